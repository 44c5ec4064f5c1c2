"""A config with an API account and an export account: both load through the daily DAG."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from pulso.core.paths import PROJECT_ROOT

from fake_api import END, START, TOKEN, install_x, serve

pytestmark = pytest.mark.slow


def test_daily_dag_loads_api_and_export_accounts(airflow_db, tmp_path, monkeypatch):
    from airflow.dag_processing.dagbag import DagBag

    from pulso.context import get_context
    from pulso.warehouse.schema import post, source_file

    from exports.export_files import PAGE_ID, meta_posts_csv

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    meta_posts_csv(inbox / "Jun-01-2026_Jun-30-2026_posts.csv", n=5)
    base = (PROJECT_ROOT / "pulso.yaml").read_text(encoding="utf-8")
    head, _, tail = base.partition("accounts:")
    rest = tail[tail.index("\nrecipients:"):]
    cfg = tmp_path / "pulso.yaml"
    cfg.write_text(
        head + "accounts:\n"
        '  - {network: x, handle: alcaldia, native_id: "42", source: api, conn_id: pulso_x}\n'
        f'  - {{network: facebook, handle: cvc, native_id: "{PAGE_ID}", source: export}}\n'
        + rest.replace("exports_inbox: var/inbox", f"exports_inbox: {inbox}"),
        encoding="utf-8")
    monkeypatch.setenv("PULSO_CONFIG", str(cfg))
    monkeypatch.setenv("PULSO_WAREHOUSE_URL", f"sqlite:///{tmp_path / 'w.db'}")
    get_context().engine(create=True)  # `pulso init`: DAG tasks never create the warehouse
    with serve() as api:
        install_x(api)
        monkeypatch.setenv("AIRFLOW_CONN_PULSO_X", json.dumps(
            {"conn_type": "http", "host": api.base_url, "password": TOKEN}))
        dag = DagBag(dag_folder=str(PROJECT_ROOT / "dags"), safe_mode=False).dags["pulso_ingest_daily"]
        run = dag.test(run_conf={"start": START.isoformat(), "end": END.isoformat()})
    assert str(getattr(run.state, "value", run.state)) == "success"
    engine = get_context().engine()
    with engine.connect() as conn:
        by_account = dict(conn.execute(select(post.c.account_id, func.count())
                                       .group_by(post.c.account_id)).all())
        files = conn.execute(select(source_file.c.status, source_file.c.rows_loaded)).all()
    assert by_account["x:42"] == 4  # from the API: three tweets + a retweet (kind repost)
    assert by_account[f"facebook:{PAGE_ID}"] == 5  # from the export file
    assert files and files[0][0] == "processed"
    assert (inbox / "processed").exists() and not list(inbox.glob("*.csv"))
