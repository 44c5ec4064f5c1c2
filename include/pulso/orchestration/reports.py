"""The bodies of the report DAGs' tasks, kept here so they are testable without Airflow."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import UTC, datetime
from typing import Any

from pulso.orchestration.failures import fail_fast

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")



class ParamsError(ValueError):
    """A report DAG parameter the analyst filled in wrongly."""


def _run_type(dag_run: Any) -> str | None:
    rt = getattr(dag_run, "run_type", None)
    return getattr(rt, "value", rt)


@fail_fast
def resolve_and_check(kind: str, params: dict | None, dag_run: Any,
                      data_interval_start: datetime | None) -> str:
    """Resolve the run's period and fail with the missing days if ingestion is incomplete."""
    from pulso.context import get_context
    from pulso.core.periods import PeriodError, resolve_run_period
    from pulso.ingest.completeness import IncompleteIngestion, missing_days

    params = params or {}
    ctx = get_context()
    try:
        period = resolve_run_period(kind, params.get("period"), run_type=_run_type(dag_run),
                                    data_interval_start=data_interval_start,
                                    now=datetime.now(UTC), tz=ctx.tz)
    except PeriodError as exc:
        raise ParamsError(f"parámetro «Periodo»: {exc}") from None
    missing = missing_days(ctx.engine(create=False), ctx.config, period)
    if any(missing.values()):
        raise IncompleteIngestion.from_missing(period, missing)
    return period.key


@fail_fast
def selected_reports(params: dict | None, allowed: list[str]) -> list[str]:
    chosen = list((params or {}).get("reports") or allowed)
    unknown = [k for k in chosen if k not in allowed]
    if unknown:
        raise ParamsError(f"parámetro «Informes»: desconocidos {unknown}; use {allowed}")
    if not chosen:
        raise ParamsError("parámetro «Informes»: elija al menos un informe")
    return chosen


def parse_recipients(value: str | None) -> list[str] | None:
    if not value or not str(value).strip():
        return None
    out = [a.strip() for a in str(value).replace(";", ",").split(",") if a.strip()]
    bad = [a for a in out if not _EMAIL.match(a)]
    if bad:
        raise ParamsError(f"parámetro «Destinatarios»: no son correos válidos: {bad}")
    return out


@fail_fast
def render_and_deliver(kind: str, period_key: str, params: dict | None,
                       run_id: str | None) -> dict:
    """Build one report and deliver it (e-mail or outbox) in the same task."""
    from pulso.context import get_context
    from pulso.core.periods import parse_period
    from pulso.reports.runner import run_reports

    params = params or {}
    ctx = get_context()
    runs = run_reports(
        ctx.engine(create=False), ctx.config, parse_period(period_key), kinds=[kind],
        out_dir=ctx.paths.reports, send_email=bool(params.get("send_email", True)),
        recipients_override=parse_recipients(params.get("recipients")),
        force_send=bool(params.get("force_send", False)), run_id=run_id,
        require_complete=False,  # checked by resolve_period, before any rendering
    )
    return json.loads(json.dumps([_plain(r) for r in runs], default=str))[0]


def _plain(obj: Any) -> Any:
    if hasattr(obj, "as_dict"):
        return obj.as_dict()
    if dataclasses.is_dataclass(obj):
        return dataclasses.asdict(obj)
    return obj
