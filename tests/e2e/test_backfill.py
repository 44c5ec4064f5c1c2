"""A real backfill of the monthly reports through the REST API, then a re-run of one month.

Proves, on a real scheduler with PostgreSQL metadata: the monthly timetable maps run dates
2026-02-01..2026-04-01 to the periods 2026-01..2026-03; each run builds and records its
reports; a manual re-run of one month replaces its files without duplicating report_run
rows, files or the PQRS e-mail.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.airflow_stack import airflow_stack
from tests.e2e.helpers import (
    MONTHLY,
    outbox_message_ids,
    report_files,
    report_runs,
    seed_in_background,
)

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

DAG = "pulso_report_monthly"
PERIODS = ["2026-01", "2026-02", "2026-03"]


def _pqrs_mails(outbox: Path, period: str) -> list[str]:
    return [m for m in outbox_message_ids(outbox) if m.startswith(f"<pulso.pqrs.{period}.")]


def test_backfill_three_months_then_rerun_one(airflow_template_db, pg_warehouse, stack_tmp):
    pool, seeded = seed_in_background(pg_warehouse, date(2026, 1, 1), date(2026, 3, 31))
    with pool, airflow_stack(stack_tmp, airflow_template_db, warehouse_url=pg_warehouse,
                             dag_ids=(DAG,)) as stack:
        seeded.result(timeout=120)
        client = stack.client
        client.unpause(DAG)

        backfill = client.create_backfill(
            DAG, "2026-02-01T00:00:00-05:00", "2026-04-01T23:59:00-05:00", max_active_runs=3)
        runs = [r for r in client.runs(DAG) if r["run_type"] == "backfill"]
        assert len(runs) == 3, f"backfill {backfill['id']} created {len(runs)} runs: {runs}"
        # the window selects by run date: the run of 1 Feb 06:00 Bogotá covers January, etc.
        assert sorted(r["run_after"][:10] for r in runs) == [
            "2026-02-01", "2026-03-01", "2026-04-01"], runs
        assert sorted(r["data_interval_start"][:10] for r in runs) == [
            "2026-01-01", "2026-02-01", "2026-03-01"], runs
        for run in runs:
            client.wait_run(DAG, run["dag_run_id"], timeout=150)

        rows = report_runs(pg_warehouse)
        assert sorted((r["kind"], r["period"]) for r in rows) == sorted(
            (k, p) for k in MONTHLY for p in PERIODS)
        by_run = {r["dag_run_id"] for r in runs}
        for row in rows:
            assert row["run_id"] in by_run, row
            assert row["files"], f"{row['kind']} {row['period']}: no files recorded"
            for f in map(Path, row["files"]):
                assert f.is_file() and f.stat().st_size > 0, f"missing/empty report file {f}"
                assert stack.reports_dir in f.parents, f
                if f.suffix == ".pdf":
                    assert f.read_bytes()[:5] == b"%PDF-", f
        pqrs_sent = {r["period"]: r["sent_at"] for r in rows if r["kind"] == "pqrs"}
        assert all(pqrs_sent.values()), f"PQRS report not e-mailed: {pqrs_sent}"
        for period in PERIODS:
            assert len(_pqrs_mails(stack.outbox_dir, period)) == 1, period
        files_before = report_files(stack.reports_dir)
        assert len(files_before) == sum(len(r["files"]) for r in rows)

        # Re-run February by hand: files replaced, nothing duplicated, no second e-mail.
        rerun = client.trigger(DAG, {"period": "2026-02"})
        client.wait_run(DAG, rerun, timeout=150)
        after = report_runs(pg_warehouse)
        assert len(after) == len(rows) == 9
        feb = {r["kind"]: r for r in after if r["period"] == "2026-02"}
        assert {r["run_id"] for r in feb.values()} == {rerun}, "February was not re-rendered"
        assert feb["pqrs"]["sent_at"] == pqrs_sent["2026-02"], "sent_at must be kept"
        assert report_files(stack.reports_dir) == files_before
        for period in PERIODS:
            assert len(_pqrs_mails(stack.outbox_dir, period)) == 1, f"{period}: e-mail resent"
        assert len(outbox_message_ids(stack.outbox_dir)) == 3
        # the scheduler marks a backfill complete on its own, slower cadence: checked last
        done = client.wait_backfill(backfill["id"])
        assert done["dag_id"] == DAG and done["completed_at"]
