"""The Pulso plugin served by a REAL `airflow api-server`: auth, pages, download, actions.

One api-server subprocess for the module (SimpleAuthManager with an admin and a viewer, the
project's plugins/ folder, a throwaway SQLite warehouse and reports dir); requests go over
HTTP exactly as a browser's would, with the `_token` JWT cookie the Airflow UI uses.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from pulso.core.paths import PROJECT_ROOT
from pulso.dev.airflow_env import airflow_env, migrate
from pulso.dev.local_airflow import airflow_bin, stack_env

pytestmark = pytest.mark.slow

PAGE_HEADERS = {"Accept": "text/html,application/xhtml+xml"}


@dataclass
class Server:
    url: str
    warehouse_url: str
    reports: Path
    outside: Path
    tokens: dict[str, str]

    def cookie(self, user: str) -> dict[str, str]:
        return {"Cookie": f"_token={self.tokens[user]}"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _seed(url: str, reports: Path, outside: Path) -> None:
    from pulso.warehouse.engine import create_schema, make_engine
    from pulso.warehouse.schema import message, pqrs_case, report_run

    engine = make_engine(url)
    create_schema(engine)
    now = datetime.now(UTC)
    today = date.today()
    cases = [("facebook:c1", "queja", today - timedelta(days=3), "Llevo un mes sin agua <b>!</b>"),
             ("x:c2", "peticion", today + timedelta(days=10), "Solicito información del PAE"),
             ("instagram:c3", "reclamo", today + timedelta(days=2), "Me cobraron dos veces")]
    with engine.begin() as conn:
        for mid, ptype, due, text in cases:
            conn.execute(message.insert().values(
                message_id=mid, account_id=f"{mid.split(':')[0]}:entidad",
                network=mid.split(":")[0], kind="comment", created_at=now - timedelta(days=5),
                text=text, permalink=f"https://example.org/{mid}", source="demo"))
            conn.execute(pqrs_case.insert().values(
                message_id=mid, pqrs_type=ptype, pqrs_score=0.8,
                received_at=now - timedelta(days=5), due_date=due, status="candidate"))
        xlsx = reports / "pqrs" / "2026-05" / "pqrs_2026-05.xlsx"
        xlsx.parent.mkdir(parents=True)
        xlsx.write_bytes(b"PK\x03\x04 contenido del informe")
        conn.execute(report_run.insert().values(
            kind="pqrs", period="2026-05", files=json.dumps([str(xlsx), str(outside)]),
            checksum="abc", recipients=json.dumps(["atencion@entidad.gov.co"]),
            sent_at=now, created_at=now))
    engine.dispose()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("plugin-http")
    home, reports = tmp / "airflow", tmp / "reports"
    reports.mkdir()
    outside = tmp / "secreto.txt"
    outside.write_text("no debe descargarse")
    warehouse_url = f"sqlite:///{tmp / 'warehouse.db'}"
    _seed(warehouse_url, reports, outside)

    base = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "PULSO_"))}
    port = _free_port()
    env = stack_env(airflow_env(home, metadata_db=f"sqlite:///{home / 'airflow.db'}", base=base),
                    home, port, users="analista:admin,lector:viewer")
    passwords = {"analista": secrets.token_urlsafe(10), "lector": secrets.token_urlsafe(10)}
    (home / "passwords.json").write_text(json.dumps(passwords))
    env.update({"AIRFLOW__CORE__PLUGINS_FOLDER": str(PROJECT_ROOT / "plugins"),
                "PULSO_WAREHOUSE_URL": warehouse_url, "PULSO_REPORTS_DIR": str(reports),
                "PULSO_HOME": str(tmp / "var"), "PULSO_AUTHOR_SECRET": "test"})
    migrate(env)
    log = (tmp / "api-server.log").open("wb")
    proc = subprocess.Popen([airflow_bin(), "api-server", "--host", "127.0.0.1", "--port",
                             str(port), "--workers", "1"], env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise AssertionError("api-server exited:\n"
                                     + (tmp / "api-server.log").read_text()[-3000:])
            try:
                if httpx.get(f"{url}/api/v2/monitor/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("api-server not healthy in 60 s:\n"
                                     + (tmp / "api-server.log").read_text()[-3000:])
            time.sleep(0.3)
        tokens = {}
        for user, pw in passwords.items():
            r = httpx.post(f"{url}/auth/token", json={"username": user, "password": pw})
            assert r.status_code in (200, 201), r.text
            tokens[user] = r.json()["access_token"]
        yield Server(url, warehouse_url, reports, outside, tokens)
    finally:
        os.killpg(proc.pid, 15)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait()
        log.close()


def _case(server: Server, message_id: str) -> dict:
    from pulso.warehouse.engine import make_engine
    from pulso.warehouse.schema import pqrs_case

    engine = make_engine(server.warehouse_url)
    with engine.connect() as conn:
        row = conn.execute(select(pqrs_case).where(pqrs_case.c.message_id == message_id)
                           ).mappings().one()
    engine.dispose()
    return dict(row)


def _events(server: Server, message_id: str) -> list[dict]:
    from pulso.cases.review import case_events
    from pulso.warehouse.engine import make_engine

    engine = make_engine(server.warehouse_url)
    try:
        return case_events(engine, message_id)
    finally:
        engine.dispose()


def _csrf(html: str) -> str:
    m = re.search(r'name="csrf" value="([0-9a-f]{64})"', html)
    assert m, "the page has no CSRF token"
    return m.group(1)


def test_without_login_browser_is_sent_to_airflow_login_and_api_gets_401(server: Server):
    for path in ("/pulso/informes", "/pulso/pqrs"):
        r = httpx.get(server.url + path, headers=PAGE_HEADERS)
        assert r.status_code == 303
        assert r.headers["location"] == f"/auth/login?next={path.replace('/', '%2F')}"
        assert httpx.get(server.url + path).status_code == 401
    r = httpx.get(server.url + "/pulso/informes/descargar",
                  params={"kind": "pqrs", "period": "2026-05", "file": "pqrs_2026-05.xlsx"})
    assert r.status_code == 401
    r = httpx.post(server.url + "/pulso/pqrs/confirmar",
                   data={"message_id": "x:c2", "radicado": "R-1"})
    assert r.status_code == 401
    assert _case(server, "x:c2")["status"] == "candidate"
    bad = {"Cookie": "_token=not-a-jwt", **PAGE_HEADERS}
    assert httpx.get(server.url + "/pulso/pqrs", headers=bad).status_code == 303


def test_informes_lists_reports_and_download_is_confined(server: Server):
    r = httpx.get(server.url + "/pulso/informes", headers={**server.cookie("analista"),
                                                           **PAGE_HEADERS})
    assert r.status_code == 200, r.text
    html = r.text
    assert 'data-testid="informe-pqrs-2026-05"' in html
    assert "atencion@entidad.gov.co" in html
    assert "Usuario: analista" in html
    assert "frame-ancestors 'self'" in r.headers["content-security-policy"]
    link = re.search(r'href="([^"]*descargar[^"]*)"', html).group(1).replace("&amp;", "&")
    assert "secreto.txt" not in link
    r = httpx.get(server.url + link, headers=server.cookie("analista"))
    assert r.status_code == 200
    assert r.content == b"PK\x03\x04 contenido del informe"
    assert "attachment" in r.headers["content-disposition"]
    # listed in report_run but outside the reports dir, traversal, and unlisted names
    for name in ("secreto.txt", "../secreto.txt", "..", "%2e%2e/secreto.txt", "otro.xlsx"):
        r = httpx.get(server.url + "/pulso/informes/descargar", headers=server.cookie("analista"),
                      params={"kind": "pqrs", "period": "2026-05", "file": name})
        assert r.status_code == 404, name
        assert b"no debe descargarse" not in r.content


def test_pqrs_page_orders_overdue_first_and_escapes_text(server: Server):
    r = httpx.get(server.url + "/pulso/pqrs", headers={**server.cookie("analista"),
                                                       **PAGE_HEADERS})
    assert r.status_code == 200
    html = r.text
    order = [html.index(f'data-testid="caso-{m}"') for m in ("facebook:c1", "instagram:c3")]
    assert order == sorted(order)
    assert 'data-testid="vencido-facebook:c1"' in html
    assert "&lt;b&gt;!&lt;/b&gt;" in html and "<b>!</b>" not in html
    assert 'data-testid="confirmar-x:c2"' in html


def test_confirm_over_http_updates_db_and_records_actor(server: Server):
    headers = {**server.cookie("analista"), **PAGE_HEADERS}
    page = httpx.get(server.url + "/pulso/pqrs", headers=headers).text
    token = _csrf(page)
    # no token, wrong token, foreign origin: refused, nothing changes
    for extra, data in (({}, {}), ({}, {"csrf": "0" * 64}),
                        ({"Origin": "https://malo.example"}, {"csrf": token})):
        r = httpx.post(server.url + "/pulso/pqrs/confirmar", headers={**headers, **extra},
                       data={"message_id": "x:c2", "radicado": "R-2026-1", **data})
        assert r.status_code == 403
    assert _case(server, "x:c2")["status"] == "candidate"
    # validation error is shown in Spanish and changes nothing
    r = httpx.post(server.url + "/pulso/pqrs/confirmar", headers=headers,
                   data={"message_id": "x:c2", "radicado": "  ", "csrf": token})
    assert r.status_code == 422
    assert "el número de radicado es obligatorio" in r.text
    r = httpx.post(server.url + "/pulso/pqrs/confirmar", headers=headers,
                   data={"message_id": "x:c2", "radicado": "R-2026-1", "csrf": token})
    assert r.status_code == 303
    assert r.headers["location"].startswith("/pulso/pqrs?hecho=confirm")
    case = _case(server, "x:c2")
    assert (case["status"], case["radicado"], case["reviewed_by"]) == ("filed", "R-2026-1",
                                                                       "analista")
    assert case["filed_at"] is not None
    events = _events(server, "x:c2")
    assert [(e["action"], e["actor"]) for e in events] == [("confirm", "analista")]
    assert events[0]["detail"]["radicado"] == "R-2026-1"
    page = httpx.get(server.url + r.headers["location"], headers=headers).text
    assert "Caso x:c2 confirmado" in page and 'data-testid="caso-x:c2"' not in page


def test_viewer_reads_but_cannot_change(server: Server):
    headers = {**server.cookie("lector"), **PAGE_HEADERS}
    r = httpx.get(server.url + "/pulso/pqrs", headers=headers)
    assert r.status_code == 200
    assert 'data-testid="solo-lectura"' in r.text and "confirmar-" not in r.text
    assert httpx.get(server.url + "/pulso/informes", headers=headers).status_code == 200
    r = httpx.post(server.url + "/pulso/pqrs/descartar", headers=headers,
                   data={"message_id": "instagram:c3", "reason": "spam", "csrf": "x"})
    assert r.status_code == 403
    assert "no modificarlos" in r.text
    assert _case(server, "instagram:c3")["status"] == "candidate"
    # a Bearer token works for API clients too, with the same authorisation
    r = httpx.post(server.url + "/pulso/pqrs/descartar",
                   headers={"Authorization": f"Bearer {server.tokens['lector']}"},
                   data={"message_id": "instagram:c3", "reason": "spam"})
    assert r.status_code == 403
    r = httpx.post(server.url + "/pulso/pqrs/descartar",
                   headers={"Authorization": f"Bearer {server.tokens['analista']}"},
                   data={"message_id": "instagram:c3", "reason": "publicidad"})
    assert r.status_code == 200 and r.json()["changed"] is True
    assert _case(server, "instagram:c3")["discard_reason"] == "publicidad"
    assert [e["actor"] for e in _events(server, "instagram:c3")] == ["analista"]


def test_menu_entries_are_registered(server: Server):
    r = httpx.get(server.url + "/api/v2/plugins",
                  headers={"Authorization": f"Bearer {server.tokens['analista']}"})
    assert r.status_code == 200
    plugin = next(p for p in r.json()["plugins"] if p["name"] == "pulso")
    views = {v["name"]: v for v in plugin["external_views"]}
    assert views["Informes"]["href"] == "/pulso/informes"
    assert views["Revisión PQRS"]["category"] == "Pulso"
