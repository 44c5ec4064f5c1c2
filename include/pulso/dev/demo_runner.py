"""Run the demo through the real DAGs with `dag.test()` (no scheduler needed).

Used by `pulso demo` after the Airflow environment is set and the metadata DB migrated.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import func, select

from pulso.core.config import PulsoConfig
from pulso.core.paths import PROJECT_ROOT, outbox_dir, reports_dir
from pulso.core.periods import Period, month, semester


def load_dags() -> dict[str, Any]:
    """Every DAG in `dags/`, failing loudly on import errors."""
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(PROJECT_ROOT / "dags"), safe_mode=False)
    if bag.import_errors:
        details = "\n".join(f"{k}: {v}" for k, v in bag.import_errors.items())
        raise RuntimeError(f"DAG import errors:\n{details}")
    return bag.dags


def run_dag(dag: Any, conf: dict[str, Any]) -> str:
    """Run one DAG run in-process and return its final state."""
    dr = dag.test(run_conf=conf)
    state = getattr(dr, "state", None)
    return str(getattr(state, "value", state))


def complete_periods(start: date, end: date) -> tuple[list[Period], list[Period]]:
    """The months and semesters fully inside start..end."""
    months, semesters = [], []
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        p = month(y, m)
        if p.start >= start and p.end <= end:
            months.append(p)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    for year in range(start.year, end.year + 1):
        for half in (1, 2):
            s = semester(year, half)
            if s.start >= start and s.end <= end:
                semesters.append(s)
    return months, semesters


def table_counts() -> dict[str, int]:
    from pulso.context import get_context
    from pulso.warehouse.schema import TABLES

    engine = get_context().engine()
    with engine.connect() as conn:
        return {name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for name, t in TABLES.items()}


# The demo's connection register: days before the demo's last day when each connection's
# secret was rotated, and days after it when its token expires (None: no known expiry).
DEMO_CREDENTIALS = {"facebook": (80, None), "instagram": (30, 10), "x": (20, None),
                    "youtube": (100, None), "tiktok": (45, 40), "linkedin": (60, 5)}
MONITOR_DAYS = 3  # daily digests the demo sends, for the office's last working days


def finished_campaigns(config: PulsoConfig, start: date, end: date) -> list[str]:
    """Campaigns whose tagged posts all fall inside start..end (their report is due)."""
    from pulso.context import get_context
    from pulso.reports.campaign import campaign_spans

    return [name for name, (first, last) in campaign_spans(get_context().engine(),
                                                           config).items()
            if first >= start and last <= end]


def register_credentials(engine: Any, config: PulsoConfig, end: date) -> int:
    """Record when each demo account's connection was rotated and when its token expires."""
    from datetime import UTC, datetime, time, timedelta

    from pulso.warehouse.load import upsert

    rows = []
    for a in config.accounts:
        if not a.conn_id or a.network not in DEMO_CREDENTIALS:
            continue
        back, ahead = DEMO_CREDENTIALS[a.network]
        at = datetime.combine(end, time(15), UTC)
        rows.append({"conn_id": a.conn_id, "account_id": a.account_id,
                     "rotated_at": at - timedelta(days=back),
                     "expires_at": at + timedelta(days=ahead) if ahead is not None else None,
                     "updated_at": at})
    if rows:
        with engine.begin() as conn:
            upsert(conn, "credential", rows)
    return len(rows)


STATES_ES = {"success": "correcto", "failed": "FALLÓ"}


def run_demo(config: PulsoConfig, start: str, end: str, *, reports: bool = True,
             progress: Callable[[str], None] | None = None) -> dict:
    """Ingest start..end, then the office's work, every complete month, semester and campaign,
    and the last digests; `progress` gets one line (Spanish) per DAG run as it ends."""
    import time

    from pulso.context import get_context
    from pulso.dev.demo_office import simulate_office

    say = progress or (lambda _line: None)
    get_context().engine(create=True)  # the demo is an explicit init: tasks never create
    dags = load_dags()
    runs: list[dict] = []
    office: dict = {}

    def run(dag_id: str, label: str, what: str, conf: dict[str, Any]) -> str:
        t0 = time.monotonic()
        state = run_dag(dags[dag_id], conf)
        runs.append({"dag_id": dag_id, "label": label, "state": state})
        say(f"  {what:<58} {STATES_ES.get(state, state):<9} {time.monotonic() - t0:6.1f} s")
        return state

    state = run("pulso_ingest_daily", f"{start}..{end}",
                f"ingesta y clasificación {start} a {end}", {"start": start, "end": end})
    if reports and state == "success":
        ctx = get_context()
        first, last = date.fromisoformat(start), date.fromisoformat(end)
        t0 = time.monotonic()
        result = simulate_office(ctx.engine(), config, first, last,
                                 ctx.paths.home / "registros_demo")
        office = result.as_dict()
        register_credentials(ctx.engine(), config, last)
        say(f"  {'trabajo de la oficina (revisión, registros)':<58} {'correcto':<9} "
            f"{time.monotonic() - t0:6.1f} s")
        months, semesters = complete_periods(first, last)
        for p in months:
            run("pulso_report_monthly", p.key, f"informes mensuales {p.key}", {"period": p.key})
        for p in semesters:
            run("pulso_report_semestral", p.key, f"informe semestral {p.key}", {"period": p.key})
        for c in finished_campaigns(config, first, last):
            run("pulso_report_campaign", c, f"informe de campaña {c}", {"campaign": c})
        for day in result.monitor_days[-MONITOR_DAYS:]:
            run("pulso_monitor", day.isoformat(), f"alertas del día {day.isoformat()}",
                {"day": day.isoformat()})
    files = sorted(str(p) for p in reports_dir().rglob("*") if p.is_file())
    outbox = sorted(str(p) for p in outbox_dir().glob("*.eml"))
    return {
        "ok": all(r["state"] == "success" for r in runs),
        "office": office,
        "warehouse": get_context().warehouse_url,
        "rows": table_counts(),
        "dag_runs": runs,
        "files": files,
        "outbox": outbox,
    }
