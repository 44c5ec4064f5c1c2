"""The bodies of `pulso_monitor`'s tasks, testable without Airflow."""

from __future__ import annotations

from datetime import date


def daily_digest(params: dict | None, run_id: str | None) -> dict:
    """Build the day's digest and e-mail it once (nothing when there is nothing to say)."""
    from pulso.context import get_context
    from pulso.monitor.digest import build_digest, send_digest

    params = params or {}
    ctx = get_context()
    day = date.fromisoformat(params["day"]) if params.get("day") else ctx.today()
    d = build_digest(ctx.engine(create=False), ctx.config, day)
    return {"digest": d.as_dict(),
            "delivery": send_digest(ctx.engine(create=False), ctx.config, d, run_id=run_id)}


def retention() -> dict:
    """Anonymise message texts older than the retention period."""
    from pulso.context import get_context
    from pulso.monitor.retention import apply_retention

    ctx = get_context()
    return apply_retention(ctx.engine(create=False), ctx.config)
