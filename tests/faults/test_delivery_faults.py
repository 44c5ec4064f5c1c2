"""The SMTP server down, then back; a month reported twice: one e-mail, one set of files."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pulso.classify.store import classify_pending
from pulso.core.periods import parse_period
from pulso.ingest.daily import ingest_account
from pulso.reports.runner import DeliveryError, run_reports
from pulso.warehouse.schema import report_run

from smtp_server import free_port, smtp_conn_json, smtp_server

pytestmark = pytest.mark.slow


def test_smtp_outage_keeps_report_and_sends_exactly_once(sqlite_warehouse, config, tmp_path,
                                                         monkeypatch, ledger):
    period = parse_period("2026-02")
    for a in config.accounts:
        ingest_account(sqlite_warehouse, config, a.account_id, period.start, period.end)
    classify_pending(sqlite_warehouse, config, period.start, period.end)
    out = tmp_path / "reports"
    port = free_port()
    monkeypatch.setenv("AIRFLOW_CONN_SMTP_DEFAULT", smtp_conn_json(port))

    def report(**kw):
        return run_reports(sqlite_warehouse, config, period, kinds=["pqrs"], out_dir=out,
                           send_attempts=2, send_backoff=0.01, **kw)

    # 1. nobody listens on the port: the task fails, the report is kept, nothing is marked sent
    ledger["faults_injected"] += 1
    with pytest.raises(DeliveryError):
        report()
    files = sorted(p.name for p in (out / period.key).iterdir())
    assert files == ["informe-pqrs-redes_2026-02.pdf", "informe-pqrs-redes_2026-02.xlsx"]
    with sqlite_warehouse.connect() as conn:
        assert conn.execute(select(report_run.c.sent_at)).scalar() is None

    # 2. the server is back: the retry sends once; a re-run of the month sends nothing more
    with smtp_server(port) as (inbox, _):
        first = report()
        again = report()
    assert first[0].send_status == "sent"
    assert again[0].send_status == "already_sent"
    assert len(inbox.messages) == 1
    attached = sorted(p.get_filename() for p in inbox.messages[0].message.iter_attachments())
    assert attached == files
    with sqlite_warehouse.connect() as conn:
        assert conn.execute(select(func.count()).select_from(report_run)).scalar() == 1
    assert sorted(p.name for p in (out / period.key).iterdir()) == files  # replaced, not added
    ledger["faults_survived"] += 1
    ledger["duplicate_emails"] += len(inbox.messages) - 1
