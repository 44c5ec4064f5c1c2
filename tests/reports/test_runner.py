"""The report runner: completeness, report_run, atomic replacement, e-mail once, SMTP faults.

Stand-in builders (real .xlsx via openpyxl and a small PDF) follow the report contract so the
runner is tested on its own; the real builders are exercised by their own tests.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from pulso.cases import review
from pulso.core.periods import parse_period
from pulso.core.vocab import REPORT_FILE_STEMS as STEMS
from pulso.ingest.completeness import IncompleteIngestion
from pulso.reports.runner import DeliveryError, files_checksum, run_reports
from pulso.warehouse.schema import report_delivery, report_run

from report_standins import pqrs_summary
from smtp_server import attachments, free_port, smtp_conn_json, smtp_server


class StandIn:
    """A builder writing a real workbook and PDF; records the contexts it was given."""

    def __init__(self, kind: str):
        self.kind, self.calls, self.version = kind, [], 0

    def __call__(self, ctx):
        from pulso.reports.base import ReportFiles

        self.calls.append(ctx)
        self.version += 1
        folder = Path(ctx.out_dir) / ctx.period.key
        folder.mkdir(parents=True, exist_ok=True)
        stem = f"{STEMS[self.kind]}_{ctx.period.key}"
        xlsx, pdf = folder / f"{stem}.xlsx", folder / f"{stem}.pdf"
        wb = Workbook()
        wb.active.append(["version", self.version])
        wb.save(xlsx)
        pdf.write_bytes(b"%PDF-1.4\n% version " + str(self.version).encode() + b"\n%%EOF\n")
        summary = pqrs_summary(messages=1234 * self.version,
                               alerts=["2 denuncias por posible corrupción"])
        return ReportFiles(kind=self.kind, period=ctx.period, xlsx=xlsx, pdf=pdf, summary=summary)


@pytest.fixture
def builders():
    return {k: StandIn(k) for k in STEMS}


def _row(engine, kind, key):
    with engine.connect() as conn:
        return conn.execute(select(report_run).where(
            (report_run.c.kind == kind) & (report_run.c.period == key))).mappings().one()


def _run(engine, config, period, builders, out, **kw):
    kw.setdefault("kinds", ["growth", "pqrs"])
    return run_reports(engine, config, period, out_dir=out, builders=builders,
                       send_backoff=0.01, **kw)


def test_records_report_run_and_sends_pqrs_once(complete, config, period, builders, tmp_path,
                                                 monkeypatch):
    out = tmp_path / "reports"
    with smtp_server() as (inbox, port):
        monkeypatch.setenv("AIRFLOW_CONN_SMTP_DEFAULT", smtp_conn_json(port))
        runs = _run(complete, config, period, builders, out, run_id="manual__1")

        growth, pqrs = runs
        assert [p.name for p in pqrs.files] == ["informe-pqrs-redes_2026-10.xlsx",
                                                "informe-pqrs-redes_2026-10.pdf"]
        assert all(p.parent == out / "2026-10" and p.exists() for p in pqrs.files)
        assert not [p for p in out.iterdir() if p.name.startswith(".tmp-")]
        assert growth.send_status == "not_requested" and growth.sent_at is None
        assert pqrs.send_status == "sent" and pqrs.delivery.method == "smtp"

        row = _row(complete, "pqrs", "2026-10")
        assert json.loads(row["files"]) == [str(p) for p in pqrs.files]
        assert row["checksum"] == files_checksum(pqrs.files) == pqrs.checksum
        assert json.loads(row["recipients"]) == list(config.recipients.pqrs_report)
        assert row["run_id"] == "manual__1" and row["created_at"] is not None
        assert row["sent_at"] is not None
        assert _row(complete, "growth", "2026-10")["sent_at"] is None

        # audiences and personal data: the configured PQRS recipient is allowed personal data
        assert builders["pqrs"].calls[0].audience == "citizen_service"
        assert builders["growth"].calls[0].audience == "internal"
        assert builders["pqrs"].calls[0].personal_data is True
        assert builders["growth"].calls[0].personal_data is False

        assert len(inbox.messages) == 1
        msg = inbox.messages[0].message
        assert inbox.messages[0].rcpt_tos == list(config.recipients.pqrs_report)
        assert msg["Subject"] == (f"Informe PQRS redes sociales – octubre de 2026 – "
                                  f"{config.entity.short_name}")
        html = msg.get_body(("html",)).get_content()
        assert "1.234" in html and "Peticiones" in html and "denuncias" in html
        assert attachments(msg) == {p.name: p.read_bytes() for p in pqrs.files}
        first_id = msg["Message-ID"]
        first_sent = row["sent_at"]

        # re-run: files rebuilt and replaced, no duplicate e-mail
        again = _run(complete, config, period, builders, out, run_id="manual__2")
        assert again[1].send_status == "already_sent"
        assert len(inbox.messages) == 1
        xlsx = again[1].files[0]
        assert load_workbook(xlsx).active["B1"].value == 2  # the new version replaced the old
        row2 = _row(complete, "pqrs", "2026-10")
        assert row2["sent_at"] == first_sent and row2["run_id"] == "manual__2"
        assert row2["checksum"] == files_checksum(again[1].files) != row["checksum"]

        # force_send: sent again, with the content's own Message-ID
        forced = _run(complete, config, period, builders, out, kinds=["pqrs"], force_send=True)
        assert forced[0].send_status == "sent" and len(inbox.messages) == 2
        assert inbox.messages[1].message["Message-ID"] != first_id
        assert _row(complete, "pqrs", "2026-10")["sent_at"] > first_sent


def test_override_recipients_without_personal_data(complete, config, period, builders, tmp_path,
                                                    monkeypatch):
    with smtp_server() as (inbox, port):
        monkeypatch.setenv("AIRFLOW_CONN_SMTP_DEFAULT", smtp_conn_json(port))
        _run(complete, config, period, builders, tmp_path / "r", kinds=["pqrs"],
             recipients_override=["otra@ejemplo.co"])
    assert inbox.messages[0].rcpt_tos == ["otra@ejemplo.co"]
    assert builders["pqrs"].calls[0].personal_data is False
    assert builders["pqrs"].calls[0].masks_personal_data
    assert json.loads(_row(complete, "pqrs", "2026-10")["recipients"]) == ["otra@ejemplo.co"]


def test_smtp_down_keeps_report_then_sends_exactly_once(complete, config, period, builders,
                                                        tmp_path, monkeypatch, caplog):
    caplog.set_level("WARNING", logger="pulso.reports.runner")
    out, port = tmp_path / "reports", free_port()
    monkeypatch.setenv("AIRFLOW_CONN_SMTP_DEFAULT", smtp_conn_json(port))
    monkeypatch.setenv("PULSO_OUTBOX_DIR", str(tmp_path / "outbox"))
    with pytest.raises(DeliveryError) as err:
        _run(complete, config, period, builders, out, kinds=["pqrs", "growth"], send_attempts=3)
    assert "pqrs 2026-10" in str(err.value)
    retries = [r for r in caplog.records if "reintento" in r.getMessage()]
    assert [r.getMessage().split("intento ")[1][:3] for r in retries] == ["1/3", "2/3"]
    failed = err.value.runs[0]
    assert failed.send_status == "failed" and "ConnectionRefused" in failed.error
    # every report was still built and recorded, including the one after the failed send
    assert [r.kind for r in err.value.runs] == ["pqrs", "growth"]
    assert all(p.exists() for p in failed.files)
    row = _row(complete, "pqrs", "2026-10")
    assert row["sent_at"] is None and row["checksum"] == files_checksum(failed.files)
    assert not (tmp_path / "outbox").exists()  # a configured SMTP never falls back silently

    with smtp_server(port) as (inbox, _):
        runs = _run(complete, config, period, builders, out, kinds=["pqrs"])
        assert runs[0].send_status == "sent"
        _run(complete, config, period, builders, out, kinds=["pqrs"])
    assert len(inbox.messages) == 1
    assert _row(complete, "pqrs", "2026-10")["sent_at"] is not None


def test_outbox_delivery_without_smtp(complete, config, period, builders, tmp_path, monkeypatch):
    monkeypatch.delenv("AIRFLOW_CONN_SMTP_DEFAULT", raising=False)
    monkeypatch.setenv("PULSO_OUTBOX_DIR", str(tmp_path / "outbox"))
    runs = _run(complete, config, period, builders, tmp_path / "r", kinds=["pqrs"])
    assert runs[0].delivery.method == "outbox"
    emls = list((tmp_path / "outbox").glob("*.eml"))
    assert [str(e) for e in emls] == [runs[0].delivery.location]
    _run(complete, config, period, builders, tmp_path / "r", kinds=["pqrs"])
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 1


def test_incomplete_period_builds_nothing(sqlite_warehouse, config, period, builders, tmp_path):
    with pytest.raises(IncompleteIngestion):
        _run(sqlite_warehouse, config, period, builders, tmp_path / "r", send_email=False)
    assert builders["pqrs"].calls == [] and not (tmp_path / "r").exists()
    runs = _run(sqlite_warehouse, config, period, builders, tmp_path / "r", send_email=False,
                require_complete=False)
    assert [r.kind for r in runs] == ["growth", "pqrs"]
    assert _row(sqlite_warehouse, "pqrs", "2026-10")["sent_at"] is None


def test_semestral_goes_to_leadership(complete, config, builders, tmp_path, monkeypatch):
    semester = parse_period("2026-S2")
    with smtp_server() as (inbox, port):
        monkeypatch.setenv("AIRFLOW_CONN_SMTP_DEFAULT", smtp_conn_json(port))
        runs = run_reports(complete, config, semester, kinds=["semestral"], out_dir=tmp_path,
                           builders=builders, require_complete=False)
    assert builders["semestral"].calls[0].audience == "leadership"
    assert runs[0].files[0].name == "informe-semestral-redes_2026-S2.xlsx"
    assert inbox.messages[0].rcpt_tos == list(config.recipients.semestral)
    assert "segundo semestre de 2026" in inbox.messages[0].message["Subject"]


def test_failed_build_keeps_previous_files(complete, config, period, builders, tmp_path):
    out = tmp_path / "r"
    first = _run(complete, config, period, builders, out, kinds=["pqrs"], send_email=False)
    before = {p: p.read_bytes() for p in first[0].files}

    def broken(ctx):
        (Path(ctx.out_dir) / ctx.period.key).mkdir(parents=True, exist_ok=True)
        (Path(ctx.out_dir) / ctx.period.key / "informe-pqrs-redes_2026-10.xlsx").write_bytes(b"x")
        raise RuntimeError("builder exploded")

    with pytest.raises(RuntimeError, match="exploded"):
        _run(complete, config, period, {"pqrs": broken}, out, kinds=["pqrs"], send_email=False)
    assert {p: p.read_bytes() for p in first[0].files} == before
    assert not [p for p in out.iterdir() if p.name.startswith(".tmp-")]


def test_unknown_kind(complete, config, period, tmp_path):
    with pytest.raises(ValueError, match="desconocidos"):
        run_reports(complete, config, period, kinds=["nope"], out_dir=tmp_path)


def _delivery_log(engine) -> list[dict]:
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(report_delivery)
                                              .order_by(report_delivery.c.delivery_id))
                .mappings()]


def test_outbox_is_logged_as_not_sent_and_rebuild_keeps_history(
        complete, config, period, builders, tmp_path, monkeypatch):
    monkeypatch.delenv("AIRFLOW_CONN_SMTP_DEFAULT", raising=False)
    monkeypatch.setenv("PULSO_OUTBOX_DIR", str(tmp_path / "outbox"))
    monkeypatch.setenv("PULSO_REPORTS_DIR", str(tmp_path / "r"))
    first = _run(complete, config, period, builders, tmp_path / "r", kinds=["pqrs"])
    log = _delivery_log(complete)
    assert {d["recipient"] for d in log} == set(first[0].recipients)
    assert {(d["channel"], d["status"]) for d in log} == {("outbox", "outbox")}
    assert all(d["checksum"] == first[0].checksum for d in log)
    # the attack: rebuild the same period for someone else; history must not move
    _run(complete, config, period, builders, tmp_path / "r", kinds=["pqrs"],
         recipients_override=["otra.persona@example.org"], send_email=False)
    assert _delivery_log(complete) == log
    run = next(r for r in review.report_runs(complete) if r["kind"] == "pqrs")
    assert {d["recipient"] for d in run["deliveries"]} == set(first[0].recipients)
    assert all(d["status"] == "outbox" for d in run["deliveries"])
