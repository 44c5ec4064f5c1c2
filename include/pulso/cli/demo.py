"""`pulso demo`: the main job end to end on the demo entity, through the real DAGs.

Ingests the demo period (six months by default) with `pulso_ingest_daily`, which also
classifies every message, then produces every monthly report set and the semestral report
with `pulso_report_monthly` / `pulso_report_semestral` (dag.test, in this process, on a
throwaway Airflow home and SQLite files under the project). Re-running gives the same result.
"""

from __future__ import annotations

import argparse
import time


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--start", help="first day (default: demo.start in pulso.yaml)")
    parser.add_argument("--end", help="last day (default: demo.end in pulso.yaml)")
    parser.add_argument("--skip-reports", action="store_true", help="only ingest and classify")


def run(args: argparse.Namespace) -> int:
    import warnings

    from pulso.dev import airflow_env

    # Airflow's own import of starlette's test client warns about httpx: not for the user.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    t0 = time.monotonic()
    env = airflow_env.apply()
    print(f"Airflow home: {env['AIRFLOW_HOME']} (metadata DB: migrating...)", flush=True)
    airflow_env.migrate(env)


    from pulso.context import get_context
    from pulso.dev.demo_runner import run_demo

    config = get_context().config
    start = args.start or config.demo.start.isoformat()
    end = args.end or config.demo.end.isoformat()
    summary = run_demo(config, start, end, reports=not args.skip_reports)
    print(_render(summary, time.monotonic() - t0))
    return 0 if summary["ok"] else 1


def _render(summary: dict, seconds: float) -> str:
    lines = ["", "Pulso demo finished" + (" OK" if summary["ok"] else " WITH FAILURES"),
             f"  warehouse: {summary['warehouse']}", "  rows per table:"]
    for table, n in summary["rows"].items():
        lines.append(f"    {table:<16} {n:>10,}")
    if summary.get("dag_runs"):
        lines.append("  DAG runs:")
        for r in summary["dag_runs"]:
            lines.append(f"    {r['dag_id']:<24} {r['label']:<24} {r['state']}")
    if summary.get("files"):
        lines.append("  files written:")
        for f in summary["files"]:
            lines.append(f"    {f}")
    if summary.get("outbox"):
        lines.append("  e-mails in the outbox:")
        for f in summary["outbox"]:
            lines.append(f"    {f}")
    lines.append(f"  wall time: {seconds:.1f} s")
    return "\n".join(lines)
