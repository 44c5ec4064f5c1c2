"""End to end: the real ingestion DAG, run with dag.test() on a migrated metadata DB."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pulso.core.paths import PROJECT_ROOT

pytestmark = pytest.mark.slow


def _counts(engine) -> dict[str, int]:
    from pulso.warehouse.schema import TABLES

    with engine.connect() as conn:
        return {n: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for n, t in TABLES.items()}


def test_ingest_dag_loads_classifies_and_is_idempotent(airflow_db, tmp_path, monkeypatch):
    from airflow.dag_processing.dagbag import DagBag

    from pulso.warehouse.engine import make_engine

    url = f"sqlite:///{tmp_path / 'w.db'}"
    monkeypatch.setenv("PULSO_WAREHOUSE_URL", url)
    from pulso.context import open_warehouse

    open_warehouse(url, create=True)  # `pulso init`: DAG tasks never create the warehouse
    dag = DagBag(dag_folder=str(PROJECT_ROOT / "dags"), safe_mode=False).dags["pulso_ingest_daily"]

    run = dag.test(run_conf={"start": "2026-03-02", "end": "2026-03-04"})
    assert str(getattr(run.state, "value", run.state)) == "success"
    engine = make_engine(url)
    first = _counts(engine)
    assert first["ingest_run"] == 6 * 3  # six accounts, three days
    assert first["account_daily"] == 18
    assert first["message"] > 500
    assert first["message_label"] == first["message"]
    assert first["pqrs_case"] > 0
    assert first["load_reject"] == 0

    again = dag.test(run_conf={"start": "2026-03-02", "end": "2026-03-04"})
    assert str(getattr(again.state, "value", again.state)) == "success"
    assert _counts(engine) == first
