"""The weekly pulso_train DAG: parses, runs on a warehouse without decisions (nothing to fit)."""

from __future__ import annotations

import pytest

from pulso.core.paths import PROJECT_ROOT

pytestmark = pytest.mark.slow


def test_train_dag_runs_and_skips_without_labels(airflow_db, tmp_path, monkeypatch):
    from airflow.dag_processing.dagbag import DagBag

    from pulso.classify.registry import scheduled_train
    from pulso.context import get_context

    monkeypatch.setenv("PULSO_WAREHOUSE_URL", f"sqlite:///{tmp_path / 'w.db'}")
    get_context().engine()  # creates the warehouse
    assert scheduled_train()["trained"] is False

    dag = DagBag(dag_folder=str(PROJECT_ROOT / "dags"), safe_mode=False).dags["pulso_train"]
    assert [t.task_id for t in dag.tasks] == ["train_entity_model"]
    run = dag.test()
    assert str(getattr(run.state, "value", run.state)) == "success"
