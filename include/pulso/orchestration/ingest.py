"""The bodies of `pulso_ingest_daily`'s tasks, testable without Airflow.

Tasks exchange small dicts (ISO dates, account ids), never data frames, so any worker can
run any task.
"""

from __future__ import annotations

from datetime import date, datetime

from pulso.orchestration.failures import fail_fast


@fail_fast
def plan(params: dict | None, data_interval_end: datetime | None) -> dict:
    """Which days and which API/demo accounts this run loads."""
    from pulso.context import get_context
    from pulso.orchestration.runtime import days_for_run

    params = params or {}
    ctx = get_context()
    start, end = days_for_run(data_interval_end, params.get("start"), params.get("end"), ctx.tz)
    accounts = [a.account_id for a in ctx.config.accounts if a.source != "export"]
    return {"start": start.isoformat(), "end": end.isoformat(), "accounts": accounts}


def ingest_account(account_id: str, p: dict) -> dict:
    """Fetch and load one account's days (one transaction per day)."""
    from pulso.context import get_context
    from pulso.ingest.daily import ingest_account as run

    ctx = get_context()
    engine = ctx.engine(create=False)  # tasks never create a warehouse
    return run(engine, ctx.config, account_id, date.fromisoformat(p["start"]),
               date.fromisoformat(p["end"])).as_dict()


def load_exports() -> list[dict]:
    """Load the export files dropped in the inbox folder."""
    from pulso.context import get_context
    from pulso.sources.exports.inbox import process_inbox

    ctx = get_context()
    inbox = ctx.config.resolve_path(ctx.config.exports_inbox)
    return [r.as_dict() for r in process_inbox(ctx.engine(create=False), ctx.config, inbox)]


def classify(p: dict) -> dict:
    """Label the new messages (sentiment, PQRS) and open PQRS cases."""
    from pulso.classify.store import classify_pending
    from pulso.context import get_context

    ctx = get_context()
    engine = ctx.engine(create=False)
    return classify_pending(engine, ctx.config, date.fromisoformat(p["start"]),
                            date.fromisoformat(p["end"]))
