"""The analyst's path through the real UI, in a real headless Chromium (Debian's `chromium`).

Proves: the Airflow login with the `analista` user works; the Trigger form of
`pulso_report_monthly` renders the Params (Periodo...) and triggers a run for the typed month;
the Pulso *Informes* page lists that month and serves its PDF (the same bytes as the file
recorded in report_run); the *Revisión PQRS* page confirms a candidate with a radicado, and
the warehouse records status `filed` and an event by `analista`; then, at triage volume, it
filters by network, pages to page 2 and bulk-discards three cases with one reason (each
`discarded` with that reason and one event by `analista`).

Screenshots of each step are kept under the test's tmp folder (`shots/`).
"""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.airflow_stack import StackError, airflow_stack
from tests.e2e.helpers import report_runs, seed_in_background

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.browser]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
DAG = "pulso_report_monthly"
PERIOD = "2026-02"
RADICADO = "2026-ER-004217"
NETWORK = "facebook"
BULK_REASON = "Spam: ola de mensajes repetidos"


def ensure_chromium() -> str:
    """Debian's chromium; installed with apt-get (after `apt-get update`) when missing and root."""
    from pulso.dev.services import ServiceError, apt_install

    if os.path.exists(CHROMIUM):
        return CHROMIUM
    try:
        installed = apt_install("chromium")
    except ServiceError as exc:
        pytest.fail(str(exc))
    if not installed or not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium "
                    "(`sudo apt-get install -y chromium`); the UI test never downloads a browser")
    return CHROMIUM


def _case(url: str, message_id: str) -> tuple[dict, list[dict]]:
    from pulso.warehouse.engine import make_engine
    from pulso.warehouse.schema import pqrs_case, pqrs_case_event

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            case = conn.execute(select(pqrs_case).where(
                pqrs_case.c.message_id == message_id)).mappings().one()
            events = conn.execute(select(pqrs_case_event).where(
                pqrs_case_event.c.message_id == message_id)).mappings().all()
        return dict(case), [dict(e) for e in events]
    finally:
        engine.dispose()


def _wait_for_ui_run(client, timeout: float = 30) -> str:
    """The run the form created (manual, conf period = PERIOD)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for run in client.runs(DAG):
            if run["run_type"] == "manual" and (run.get("conf") or {}).get("period") == PERIOD:
                return run["dag_run_id"]
        time.sleep(0.5)
    raise StackError(f"no manual run of {DAG} with period {PERIOD} after {timeout}s; "
                     f"runs: {client.runs(DAG)}")


def test_analyst_triggers_downloads_and_confirms_in_the_browser(
        airflow_template_db, pg_warehouse, stack_tmp):
    from playwright.sync_api import expect, sync_playwright

    chromium = ensure_chromium()
    shots = stack_tmp.parent / "shots"
    shots.mkdir(parents=True, exist_ok=True)
    pool, seeded = seed_in_background(pg_warehouse, date(2026, 2, 1), date(2026, 2, 28))
    with pool, airflow_stack(stack_tmp, airflow_template_db, warehouse_url=pg_warehouse,
                             dag_ids=(DAG,)) as stack, sync_playwright() as pw:
        seeded.result(timeout=120)
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS,
                                     headless=True)
        context = browser.new_context(locale="en-US", accept_downloads=True,
                                      viewport={"width": 1400, "height": 900})
        context.set_default_timeout(30_000)
        page = context.new_page()
        try:
            # 1. Airflow's login page (SimpleAuthManager), then the DAG page
            page.goto(f"{stack.url}/dags/{DAG}")
            page.get_by_label("Username").fill("analista")
            page.get_by_label("Password").fill(stack.client.password)
            page.screenshot(path=shots / "01-login.png")
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(f"**/dags/{DAG}**")

            # 2. Trigger -> Params form: only Periodo is typed, as the README tells analysts
            page.get_by_role("button", name="Trigger").first.click()
            dialog = page.get_by_role("dialog")
            dialog.locator("input[name=element_period]").fill(PERIOD)
            submit = dialog.get_by_role("button", name="Trigger")
            submit.scroll_into_view_if_needed()
            page.screenshot(path=shots / "02-trigger-form.png")
            assert submit.is_enabled(), (
                "the Trigger button stays disabled with only «Periodo» filled: the form marks "
                "every Param whose type lacks 'null' as required, so the optional «Destinatarios» "
                "(and an empty «Periodo») block the run; declare them "
                "Param(None, type=['null', 'string'], ...) in dags/pulso_report_monthly.py. "
                f"Screenshot: {shots / '02-trigger-form.png'}")
            submit.click()
            run_id = _wait_for_ui_run(stack.client)
            stack.client.wait_run(DAG, run_id, timeout=150)

            # 3. Informes: the month's PQRS PDF, byte for byte the file of report_run
            page.goto(f"{stack.url}/pulso/informes")
            expect(page.get_by_test_id(f"informe-pqrs-{PERIOD}")).to_be_visible()
            page.screenshot(path=shots / "03-informes.png", full_page=True)
            link = page.locator(f'a[data-testid^="descargar-pqrs-{PERIOD}-"]'
                                f'[data-testid$=".pdf"]')
            expect(link).to_have_count(1)
            with page.expect_download() as info:
                link.click()
            download = info.value
            pdf = Path(download.path()).read_bytes()
            assert pdf[:5] == b"%PDF-", pdf[:40]
            assert PERIOD in download.suggested_filename, download.suggested_filename
            row = next(r for r in report_runs(pg_warehouse)
                       if (r["kind"], r["period"]) == ("pqrs", PERIOD))
            assert row["run_id"] == run_id
            recorded = next(Path(f) for f in row["files"] if f.endswith(".pdf"))
            assert pdf == recorded.read_bytes(), "downloaded PDF differs from the recorded one"

            # 4. Revisión PQRS: confirm the first open candidate with a radicado
            page.get_by_test_id("nav-pqrs").click()
            first = page.locator('tr[data-testid^="caso-"]').first
            expect(first).to_be_visible()
            message_id = first.get_attribute("data-message-id")
            assert message_id
            page.get_by_test_id(f"radicado-{message_id}").fill(RADICADO)
            page.screenshot(path=shots / "04-pqrs.png")
            page.get_by_test_id(f"confirmar-{message_id}").click()
            expect(page.get_by_test_id("aviso")).to_be_visible()
            page.screenshot(path=shots / "05-pqrs-confirmado.png")
            expect(page.get_by_test_id(f"caso-{message_id}")).to_have_count(0)

            # 5. triage at volume: filter by network, 25 per page, go to page 2, mark three
            #    cases there and discard them with one reason (a spam wave)
            page.get_by_test_id("filtro-red").select_option(NETWORK)
            page.get_by_test_id("filtro-por-pagina").select_option("25")
            page.get_by_test_id("filtrar").click()
            page.wait_for_url(f"**/pulso/pqrs?*red={NETWORK}*")
            expect(page.get_by_test_id("paginacion")).to_be_visible()
            page.get_by_test_id("pagina-siguiente").click()
            page.wait_for_url("**pagina=2**")
            expect(page.get_by_test_id("pagina-actual")).to_contain_text("página 2 de")
            rows = page.locator('tr[data-testid^="caso-"]')
            expect(rows).to_have_count(25)
            bulk = [rows.nth(i).get_attribute("data-message-id") for i in (0, 3, 7)]
            assert all(m and m.startswith(f"{NETWORK}:") for m in bulk), bulk
            for mid in bulk:
                page.get_by_test_id(f"marcar-{mid}").check()
            page.get_by_test_id("motivo-lote").fill(BULK_REASON)
            page.screenshot(path=shots / "06-pqrs-lote.png", full_page=True)
            page.get_by_test_id("descartar-lote").click()
            expect(page.get_by_test_id("aviso")).to_contain_text("3 casos descartados.")
            assert f"red={NETWORK}" in page.url, page.url  # the filter survives the action
            for mid in bulk:
                expect(page.get_by_test_id(f"caso-{mid}")).to_have_count(0)
            page.screenshot(path=shots / "07-pqrs-lote-hecho.png", full_page=True)
        except Exception:
            page.screenshot(path=shots / "99-failure.png", full_page=True)
            print(f"screenshots in {shots}\n{stack.log_tails()}")
            raise
        finally:
            context.close()
            browser.close()

        case, events = _case(pg_warehouse, message_id)
        assert case["status"] == "filed", case
        assert case["radicado"] == RADICADO
        assert case["filed_at"] is not None
        assert [e["actor"] for e in events] == ["analista"], events
        for mid in bulk:
            case, events = _case(pg_warehouse, mid)
            assert case["status"] == "discarded", case
            assert case["discard_reason"] == BULK_REASON, case
            assert [e["actor"] for e in events] == ["analista"], (mid, events)
