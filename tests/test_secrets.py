"""Tokens and passwords never reach logs, XComs, the warehouse or reports in a full run."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select, text

from pulso.core.paths import PROJECT_ROOT

from fake_api import END, START, TOKEN, install_x, serve

WAREHOUSE_PASSWORD = "WAREHOUSE-PASSW0RD-" + uuid.uuid4().hex[:8]

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def _everything_in(engine) -> str:
    from pulso.warehouse.schema import TABLES

    with engine.connect() as conn:
        return "\n".join(str(tuple(r)) for t in TABLES.values() for r in conn.execute(select(t)))


def test_no_secret_in_logs_xcoms_or_warehouse(airflow_db, pg_server, tmp_path, monkeypatch,
                                              capfd, caplog):
    from airflow.dag_processing.dagbag import DagBag

    from pulso.warehouse.engine import drop_pg_schema, make_engine

    schema = f"t_{uuid.uuid4().hex[:10]}"
    cfg = tmp_path / "pulso.yaml"
    base = (PROJECT_ROOT / "pulso.yaml").read_text(encoding="utf-8")
    head, _, tail = base.partition("accounts:")
    rest = tail[tail.index("\nrecipients:"):]
    cfg.write_text(head + "accounts:\n  - {network: x, handle: alcaldia, native_id: \"42\", "
                   "source: api, conn_id: pulso_x}\n" + rest, encoding="utf-8")
    monkeypatch.setenv("PULSO_CONFIG", str(cfg))
    server = urlsplit(pg_server)
    monkeypatch.setenv("AIRFLOW_CONN_PULSO_WAREHOUSE", json.dumps({
        "conn_type": "postgres", "host": server.hostname, "port": server.port, "login": "postgres",
        "password": WAREHOUSE_PASSWORD, "schema": "test",
        "extra": {"pulso_schema": schema}}))
    try:
        with serve() as api:
            install_x(api)
            monkeypatch.setenv("AIRFLOW_CONN_PULSO_X", json.dumps({
                "conn_type": "http", "host": api.base_url, "password": TOKEN}))
            dag = DagBag(dag_folder=str(PROJECT_ROOT / "dags"),
                         safe_mode=False).dags["pulso_ingest_daily"]
            run = dag.test(run_conf={"start": START.isoformat(), "end": END.isoformat()})
            assert api.hits("/2/users/42/tweets"), "the connector never called the fake API"
        assert str(getattr(run.state, "value", run.state)) == "success"
        out, err = capfd.readouterr()
        logs = out + err + caplog.text
        for f in Path(airflow_db).rglob("*.log"):
            logs += f.read_text(errors="replace")
        engine = make_engine(pg_server, schema=schema)
        stored = _everything_in(engine)
        assert "alcaldia" in stored or "x:42" in stored  # the run really loaded data
        from airflow.settings import Session

        with Session() as s:
            xcoms = "\n".join(str(v) for (v,) in s.execute(text("SELECT value FROM xcom")))
        for secret in (TOKEN, WAREHOUSE_PASSWORD):
            assert secret not in logs, f"{secret} leaked into the logs"
            assert secret not in xcoms, f"{secret} leaked into XComs"
            assert secret not in stored, f"{secret} leaked into the warehouse"
        engine.dispose()
    finally:
        admin = make_engine(pg_server)
        drop_pg_schema(admin, schema)
        admin.dispose()
