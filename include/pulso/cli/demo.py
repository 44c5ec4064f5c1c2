"""`pulso demo`: the main job end to end on the demo entity, through the real DAGs.

Ingests the demo period (six months by default) with `pulso_ingest_daily`, which also
classifies every message, then produces every monthly report set and the semestral report
with `pulso_report_monthly` / `pulso_report_semestral` (dag.test, in this process, on a
throwaway Airflow home and SQLite files under the project). Re-running gives the same result.

The terminal shows only Pulso's progress and results; what Airflow, WeasyPrint and other
libraries print goes to `var/logs/demo.log`, with one summary line when they warned.
"""

from __future__ import annotations

import argparse
import os
import time
from collections import defaultdict
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--start", help="first day (default: demo.start in pulso.yaml)")
    parser.add_argument("--end", help="last day (default: demo.end in pulso.yaml)")
    parser.add_argument("--skip-reports", action="store_true", help="only ingest and classify")


def run(args: argparse.Namespace) -> int:
    from pulso.core.paths import var_dir
    from pulso.dev.quiet import count_warnings, terminal_only_for_pulso

    t0 = time.monotonic()
    log = var_dir() / "logs" / "demo.log"
    with terminal_only_for_pulso(log) as out:
        summary = _run(args, lambda line: print(line, file=out))
        warnings = count_warnings(log)
        print(_render(summary, time.monotonic() - t0, log, warnings), file=out)
    return 0 if summary["ok"] else 1


def _run(args: argparse.Namespace, say) -> dict:
    import warnings

    from pulso.dev import airflow_env

    # Airflow's own import of starlette's test client warns about httpx: not for the user.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    t0 = time.monotonic()
    env = airflow_env.apply()
    db = env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    airflow_env.migrate(env)

    from pulso.context import get_context
    from pulso.dev.demo_runner import run_demo

    config = get_context().config
    start = args.start or config.demo.start.isoformat()
    end = args.end or config.demo.end.isoformat()
    say(f"Pulso · demo de {config.entity.name}, {start} a {end}")
    kind = "PostgreSQL" if db.startswith("postgres") else "SQLite"
    say(f"  {'Airflow local (' + kind + ') en ' + _short(env['AIRFLOW_HOME']):<68} "
        f"{time.monotonic() - t0:6.1f} s")
    return run_demo(config, start, end, reports=not args.skip_reports, progress=say)


def _short(path: str | Path) -> str:
    """`path` relative to the working directory when it is inside it."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


def _render(summary: dict, seconds: float, log: Path, warnings: int) -> str:
    from pulso.reports.fmt import num

    lines = ["", ("Demo terminada: todo correcto" if summary["ok"] else
                  "Demo terminada CON FALLOS") + f" ({seconds:.0f} s)",
             f"  bodega: {summary['warehouse']}", "  filas por tabla:"]
    for table, n in summary["rows"].items():
        lines.append(f"    {table:<20} {num(n):>10}")
    files = [Path(f) for f in summary.get("files") or []]
    if files:
        by_period: dict[str, set[str]] = defaultdict(set)
        for f in files:
            by_period[f.parent.name].add(f.suffix.lstrip("."))
        folder = os.path.commonpath([str(f.parent.parent) for f in files])
        lines.append(f"  informes: {len(files)} archivos en {_short(folder)}/")
        for period, kinds in sorted(by_period.items()):
            n = sum(1 for f in files if f.parent.name == period)
            lines.append(f"    {period}/  {n} archivos ({', '.join(sorted(kinds))})")
    outbox = summary.get("outbox") or []
    if outbox:
        lines.append(f"  correos: {len(outbox)} en {_short(Path(outbox[0]).parent)}/")
    if warnings:
        lines.append(f"  avisos de bibliotecas (Airflow, WeasyPrint): {num(warnings)}, "
                     f"en {_short(log)}")
    return "\n".join(lines)
