"""Issue 14, remaining items, each by its attack: outbox copies are pending until SMTP sends
them (`pulso send-pending`, real SMTP server), files with personal data are owner-only,
export file names cannot set impossible days or print raw control characters, and DAG task
bodies never create a missing warehouse."""

from __future__ import annotations

import email
import os
import stat
from datetime import UTC, datetime
from email import policy
from pathlib import Path

import pytest
from sqlalchemy import select

from pulso.reports.runner import run_reports
from pulso.warehouse.schema import ingest_run, report_delivery, report_run

from report_standins import pqrs_summary
from smtp_server import smtp_conn_json, smtp_server


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


class _Builder:
    """A PQRS report builder writing a real (tiny) workbook and PDF into its out_dir."""

    def __call__(self, ctx):
        from openpyxl import Workbook

        from pulso.reports.base import ReportFiles

        folder = Path(ctx.out_dir) / ctx.period.key
        folder.mkdir(parents=True, exist_ok=True)
        xlsx, pdf = folder / f"informe-pqrs_{ctx.period.key}.xlsx", folder / "informe.pdf"
        wb = Workbook()
        wb.active.append(["Radicado", "2026-ER-1"])
        wb.save(xlsx)
        pdf.write_bytes(b"%PDF-1.4\n% caso de Ana\n%%EOF\n")
        return ReportFiles(kind="pqrs", period=ctx.period, xlsx=xlsx, pdf=pdf,
                           summary=pqrs_summary(by_type={"queja": 3}))


def _report(engine, config, period, out):
    return run_reports(engine, config, period, kinds=["pqrs"], out_dir=out,
                       builders={"pqrs": _Builder()}, send_backoff=0.01)


def _log(engine) -> list[dict]:
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(
            select(report_delivery).order_by(report_delivery.c.delivery_id)).mappings()]


# --- item 6: an outbox delivery is not a send; pending copies go out once SMTP exists --------

def test_outbox_copy_is_pending_and_send_pending_sends_it_once(
        complete, config, period, tmp_path, monkeypatch, capsys):
    from pulso.cli import main

    monkeypatch.delenv("AIRFLOW_CONN_SMTP_DEFAULT", raising=False)
    monkeypatch.setenv("PULSO_WAREHOUSE_URL", str(complete.url))
    out, outbox = tmp_path / "r", tmp_path / "var" / "outbox"
    recipients = list(config.recipients.pqrs_report)

    # 1. no SMTP: written to the outbox, logged as `outbox` (report_run.sent_at is set, but
    #    that is not what decides); a re-run writes no second .eml
    first = _report(complete, config, period, out)
    assert first[0].delivery.method == "outbox"
    again = _report(complete, config, period, out)
    assert again[0].send_status == "in_outbox"
    emls = sorted(outbox.glob("*.eml"))
    assert len(emls) == 1
    with complete.connect() as conn:
        assert conn.execute(select(report_run.c.sent_at)).scalar() is not None
    # without SMTP the command says so and sends nothing
    assert main(["send-pending"]) == 2
    assert "SMTP no configurado" in capsys.readouterr().err
    before = _log(complete)
    assert {(d["channel"], d["status"]) for d in before} == {("outbox", "outbox")}

    with smtp_server() as (inbox, port):
        monkeypatch.setenv("AIRFLOW_CONN_SMTP_DEFAULT", smtp_conn_json(port))
        assert main(["send-pending"]) == 0
        assert "enviado por SMTP" in capsys.readouterr().out
        assert len(inbox.messages) == 1
        received = inbox.messages[0]
        assert sorted(received.rcpt_tos) == sorted(recipients)
        saved = email.message_from_bytes(emls[0].read_bytes(), policy=policy.SMTP)
        assert received.message["Message-ID"] == saved["Message-ID"]
        assert received.mail_from == "pulso@cvc.example.gov.co"
        # the pending copy is now sent: neither the command nor the DAG's runner sends again
        assert main(["send-pending"]) == 0
        assert "No hay envíos pendientes" in capsys.readouterr().out
        rerun = _report(complete, config, period, out)
        assert rerun[0].send_status == "already_sent"
        assert len(inbox.messages) == 1

    log = _log(complete)
    assert log[:len(before)] == before, "delivery history was rewritten"
    sent = [d for d in log[len(before):]]
    assert {(d["channel"], d["status"]) for d in sent} == {("smtp", "sent")}
    assert sorted(d["recipient"] for d in sent) == sorted(recipients)
    assert {d["checksum"] for d in sent} == {first[0].checksum}


def test_runner_sends_the_outbox_copy_by_smtp_once_configured(
        complete, config, period, tmp_path, monkeypatch):
    monkeypatch.delenv("AIRFLOW_CONN_SMTP_DEFAULT", raising=False)
    out = tmp_path / "r"
    assert _report(complete, config, period, out)[0].delivery.method == "outbox"
    with smtp_server() as (inbox, port):
        monkeypatch.setenv("AIRFLOW_CONN_SMTP_DEFAULT", smtp_conn_json(port))
        runs = _report(complete, config, period, out)  # the monthly DAG re-run, say
        assert runs[0].send_status == "sent" and runs[0].delivery.method == "smtp"
        assert _report(complete, config, period, out)[0].send_status == "already_sent"
    assert len(inbox.messages) == 1
    statuses = [(d["channel"], d["status"]) for d in _log(complete)]
    assert statuses.count(("smtp", "sent")) == len(config.recipients.pqrs_report)


def test_only_recipients_without_an_smtp_send_get_it(complete, config, period, tmp_path,
                                                      monkeypatch):
    """A recipient added after the send gets the report; those already served do not."""
    from pulso.reports.runner import log_delivery

    done = config.recipients.pqrs_report[0]
    log_delivery(complete, "pqrs", period.key, [done], checksum="x", channel="smtp",
                 status="sent", at=datetime.now(UTC))
    with smtp_server() as (inbox, port):
        monkeypatch.setenv("AIRFLOW_CONN_SMTP_DEFAULT", smtp_conn_json(port))
        runs = run_reports(complete, config, period, kinds=["pqrs"], out_dir=tmp_path / "r",
                           builders={"pqrs": _Builder()}, send_backoff=0.01,
                           recipients_override=[done, "nueva@example.gov.co"])
    assert runs[0].send_status == "sent"
    assert [m.rcpt_tos for m in inbox.messages] == [["nueva@example.gov.co"]]


# --- item 13: files with personal data are not world-readable ----------------------------------

@pytest.fixture
def open_umask():
    old = os.umask(0o022)  # the usual umask: 0644 files unless Pulso says otherwise
    yield
    os.umask(old)


def test_warehouse_reports_and_eml_are_owner_only(open_umask, config, period, tmp_path,
                                                  monkeypatch):
    from pulso.context import open_warehouse
    from pulso.core.paths import outbox_dir, reports_dir

    monkeypatch.delenv("AIRFLOW_CONN_SMTP_DEFAULT", raising=False)
    db = tmp_path / "nuevo" / "warehouse.db"
    engine = open_warehouse(f"sqlite:///{db}", create=True)
    assert _mode(db) == 0o600 and _mode(db.parent) == 0o700
    with engine.begin() as conn:  # journals get the file's mode
        conn.execute(ingest_run.insert(), [
            {"account_id": a.account_id, "day": d, "source": "demo",
             "loaded_at": datetime.now(UTC)} for a in config.accounts for d in period.days()])
    assert all(_mode(p) == 0o600 for p in db.parent.iterdir()), \
        {p.name: oct(_mode(p)) for p in db.parent.iterdir()}

    runs = run_reports(engine, config, period, kinds=["pqrs"], out_dir=reports_dir(),
                       builders={"pqrs": _Builder()}, send_backoff=0.01)
    assert _mode(reports_dir()) == 0o700 and _mode(outbox_dir()) == 0o700
    assert _mode(Path(os.environ["PULSO_HOME"])) == 0o700
    for f in runs[0].files:
        assert _mode(f) == 0o600, f
        assert _mode(f.parent) == 0o700, f.parent
    eml = Path(runs[0].delivery.location)
    assert eml.suffix == ".eml" and _mode(eml) == 0o600

    # an existing world-readable warehouse of ours is tightened when opened
    old = tmp_path / "viejo.db"
    old.touch(mode=0o644)
    open_warehouse(f"sqlite:///{old}", create=True)
    assert _mode(old) == 0o600


# --- item 13: export file names ----------------------------------------------------------------

def _export(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("Post ID,Publish time,Reach\n1,2026-10-01,5\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("name", ["Oct-01-2026_Dec-31-9999_posts.csv",
                                  "publicaciones_9999-12-31.csv",
                                  "posts_1900-01-01_2026-10-31.csv"])
def test_file_name_cannot_set_an_impossible_snapshot_day(sqlite_warehouse, tmp_path, name):
    from pulso.sources.exports.loader import process_file
    from pulso.warehouse.schema import post_daily

    path = _export(tmp_path / "in", name)
    result = process_file(sqlite_warehouse, path, account="facebook:1")
    assert result.status == "rejected"
    assert "fuera del rango admitido" in result.message
    assert "renombre el archivo" in result.message
    with sqlite_warehouse.connect() as conn:
        assert conn.execute(select(post_daily.c.day)).all() == []


def test_tomorrow_in_a_file_name_is_still_accepted():
    from datetime import date, timedelta

    from pulso.sources.exports.mapping import check_name_dates

    today = date(2026, 11, 28)
    check_name_dates("x", [date(2000, 1, 1), today + timedelta(days=1)], today)
    with pytest.raises(ValueError, match="2026-11-30"):
        check_name_dates("x", [today + timedelta(days=2)], today)


def test_control_characters_in_names_are_printed_escaped(sqlite_warehouse, tmp_path, config,
                                                         monkeypatch, capsys):
    from pulso.cli import main
    from pulso.sources.exports.inbox import process_inbox

    monkeypatch.setenv("PULSO_WAREHOUSE_URL", str(sqlite_warehouse.url))
    evil = "posts\x1b[2J\x1b[31mOK\x07\x0b.csv"
    path = _export(tmp_path / "manual", evil)
    main(["load-export", str(path)])
    printed = capsys.readouterr().out
    assert "\\x1b[2J" in printed and "\\x07" in printed
    assert not any(c in printed for c in "\x1b\x07\x0b")

    inbox = tmp_path / "bandeja"
    _export(inbox, evil)
    (inbox / "link\x1b.csv").symlink_to(path)  # refused unread: its message names it too
    results = process_inbox(sqlite_warehouse, config, inbox)
    assert len(results) == 2
    for r in results:
        assert r.message and not any(c in r.message for c in "\x1b\x07\x0b"), r.message
        assert "\\x1b" in r.message


# --- item 12: DAG tasks never create a missing warehouse ---------------------------------------

def test_dag_task_bodies_refuse_a_missing_warehouse(tmp_path, monkeypatch):
    from pulso.orchestration import ingest, monitor

    monkeypatch.delenv("AIRFLOW_CONN_PULSO_WAREHOUSE", raising=False)
    db = Path(os.environ["PULSO_HOME"]) / "warehouse.db"
    assert not db.exists()
    span = {"start": "2026-10-01", "end": "2026-10-01"}
    tasks = [lambda: ingest.classify(span), ingest.load_exports, monitor.retention,
             lambda: monitor.daily_digest({"day": "2026-10-01"}, "manual__x")]
    for task in tasks:
        with pytest.raises(Exception, match="pulso init"):
            task()
        assert not db.exists(), "a DAG task created the warehouse"


def test_report_task_refuses_a_missing_warehouse(tmp_path, monkeypatch):
    from pulso.orchestration import reports

    monkeypatch.delenv("AIRFLOW_CONN_PULSO_WAREHOUSE", raising=False)
    db = Path(os.environ["PULSO_HOME"]) / "warehouse.db"
    with pytest.raises(Exception, match="pulso init"):
        reports.resolve_and_check("month", {"period": "2026-10"}, None, None)
    assert not db.exists()
