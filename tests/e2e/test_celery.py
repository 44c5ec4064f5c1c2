"""The production topology in miniature: CeleryExecutor, Redis broker, a real Celery worker.

Proves that the DAGs run unchanged on Celery: a day of ingestion through `pulso_ingest_daily`
(Params Desde/Hasta) lands in the warehouse, and `pulso_report_monthly` then builds and
e-mails (outbox) January; every task instance was executed by the Celery worker process.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
import redis
from sqlalchemy import select

from tests.airflow_stack import airflow_stack, redis_url, seed_warehouse
from tests.e2e.helpers import outbox_message_ids, report_runs

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

INGEST, REPORT = "pulso_ingest_daily", "pulso_report_monthly"
DAY = date(2026, 1, 15)
BROKER_DB = 7


def _ingested_accounts(url: str, day: date) -> set[str]:
    from pulso.warehouse.engine import make_engine
    from pulso.warehouse.schema import ingest_run

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return set(conn.execute(select(ingest_run.c.account_id)
                                    .where(ingest_run.c.day == day)).scalars())
    finally:
        engine.dispose()


def _seed_all_but(url: str, day: date) -> None:
    seed_warehouse(url, day.replace(day=1), day - timedelta(days=1))
    seed_warehouse(url, day + timedelta(days=1), date(day.year, day.month + 1, 1) - timedelta(days=1))


def _celery_executed(worker_log: str, run_id: str) -> set[str]:
    """task_id[map_index] of the workloads the worker logged for `run_id`."""
    done = set()
    for line in worker_log.splitlines():
        if "Executing workload in Celery" not in line or run_id not in line:
            continue
        task = re.search(r"task_id='([^']+)'", line)
        idx = re.search(r"map_index=(-?\d+)", line)
        if task:
            done.add(f"{task.group(1)}[{idx.group(1) if idx else -1}]")
    return done


def _celery_provider_importable() -> None:
    """Fail with the fix, not with a dead worker, when celery and the provider disagree."""
    import celery
    import celery.backends.database as db_backend

    if not hasattr(db_backend, "retry"):
        pytest.fail(f"celery {celery.__version__} lacks celery.backends.database.retry, which "
                    "apache-airflow-providers-celery 3.26.0 imports: CeleryExecutor cannot "
                    "load. Pin celery==5.6.3 in requirements.txt.")


def test_celery_worker_ingests_a_day_and_builds_the_month(airflow_template_db, pg_warehouse,
                                                          stack_tmp, redis_server):
    _celery_provider_importable()
    broker = redis.Redis.from_url(redis_url(BROKER_DB))
    broker.flushdb()  # a previous, killed session may have left messages behind
    # the rest of January is already loaded (seeded while the stack boots); the DAG loads the 15th
    pool = ThreadPoolExecutor(max_workers=1)
    seeded = pool.submit(_seed_all_but, pg_warehouse, DAY)
    try:
        with pool, airflow_stack(stack_tmp, airflow_template_db, executor="CeleryExecutor",
                                 warehouse_url=pg_warehouse, triggerer=False) as stack:
            seeded.result(timeout=120)
            assert _ingested_accounts(pg_warehouse, DAY) == set()
            client = stack.client
            for dag_id in (INGEST, REPORT):
                client.unpause(dag_id)

            ingest = client.trigger(INGEST, {"start": DAY.isoformat(), "end": DAY.isoformat()})
            client.wait_run(INGEST, ingest, timeout=120)
            from pulso.core.config import load_config
            from pulso.core.paths import PROJECT_ROOT

            accounts = {a.account_id for a in load_config(PROJECT_ROOT / "pulso.yaml").accounts}
            assert _ingested_accounts(pg_warehouse, DAY) == accounts

            report = client.trigger(REPORT, {"period": "2026-01", "reports": ["pqrs"]})
            client.wait_run(REPORT, report, timeout=120)
            rows = {(r["kind"], r["period"]): r for r in report_runs(pg_warehouse)}
            assert set(rows) == {("pqrs", "2026-01")}
            assert rows["pqrs", "2026-01"]["run_id"] == report
            assert rows["pqrs", "2026-01"]["sent_at"] is not None
            assert [m for m in outbox_message_ids(stack.outbox_dir)
                    if m.startswith("<pulso.pqrs.2026-01.")], "PQRS e-mail not in the outbox"

            worker_log = stack.component_log("celery-worker")
            for dag_id, run_id in ((INGEST, ingest), (REPORT, report)):
                tis = client.task_instances(dag_id, run_id)
                expected = {f"{t['task_id']}[{t['map_index']}]" for t in tis}
                assert all(t["state"] == "success" for t in tis), tis
                assert all(t["queue"] == "default" for t in tis), tis
                ran = _celery_executed(worker_log, run_id)
                assert ran == expected, (
                    f"{dag_id}: tasks not executed by the Celery worker: {expected - ran}\n"
                    + stack.log_tails())
            scheduler_log = stack.component_log("scheduler")
            assert "CeleryExecutor" in scheduler_log
            assert "LocalExecutor" not in scheduler_log
    finally:
        broker.flushdb()
        broker.close()
