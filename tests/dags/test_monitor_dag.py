"""The monitor DAG end to end: one digest per day in the outbox, none on a re-run."""

from __future__ import annotations

from datetime import date

import pytest

from pulso.core.paths import PROJECT_ROOT

pytestmark = pytest.mark.slow


def test_monitor_dag_sends_one_digest_a_day(airflow_db, tmp_path, monkeypatch, config):
    from airflow.dag_processing.dagbag import DagBag

    from pulso.classify.store import classify_pending
    from pulso.context import get_context
    from pulso.ingest.daily import ingest_account

    monkeypatch.setenv("PULSO_WAREHOUSE_URL", f"sqlite:///{tmp_path / 'w.db'}")
    outbox = tmp_path / "outbox"
    monkeypatch.setenv("PULSO_OUTBOX_DIR", str(outbox))
    monkeypatch.delenv("AIRFLOW_CONN_SMTP_DEFAULT", raising=False)
    engine = get_context().engine()
    for a in config.accounts:
        ingest_account(engine, config, a.account_id, date(2026, 2, 2), date(2026, 2, 13))
    classify_pending(engine, config, date(2026, 2, 2), date(2026, 2, 13))

    dag = DagBag(dag_folder=str(PROJECT_ROOT / "dags"), safe_mode=False).dags["pulso_monitor"]
    for _ in range(2):  # the second run of the same day must not send again
        run = dag.test(run_conf={"day": "2026-02-16"})
        assert str(getattr(run.state, "value", run.state)) == "success"
    emails = sorted(outbox.glob("*.eml"))
    assert len(emails) == 1
    body = emails[0].read_text(encoding="utf-8", errors="replace")
    assert "Alertas diarias" in body or "alertas" in body.lower()
    assert "PQRS" in body
