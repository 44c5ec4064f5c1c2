"""Daily ingestion of one account: fetch from its source, validate, upsert, mark the day.

Each source batch (one account-day or chunk) is loaded in ONE transaction together with the
`ingest_run` rows of the days it covers, so a day counts as ingested exactly when its data
is in the warehouse; re-running a day upserts the same rows and changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, select

from pulso.core.config import Account, PulsoConfig
from pulso.sources.base import Source, SourceBatch, SourceError
from pulso.sources.followers import derive_followers
from pulso.warehouse.load import LoadResult, load_batch, upsert
from pulso.warehouse.schema import account_daily, post_daily

log = logging.getLogger(__name__)


@dataclass
class IngestSummary:
    account_id: str
    start: date
    end: date
    days: int = 0
    loaded: dict[str, int] = field(default_factory=dict)
    rejected: int = 0

    def as_dict(self) -> dict:
        return {"account_id": self.account_id, "start": self.start.isoformat(),
                "end": self.end.isoformat(), "days": self.days, "loaded": self.loaded,
                "rejected": self.rejected}


def stored_followers(engine: Engine) -> Callable[[str, date], int | None]:
    """Look-up of a stored follower total, for sources that derive gains from totals."""
    def lookup(account_id: str, day: date) -> int | None:
        with engine.connect() as conn:
            return conn.execute(select(account_daily.c.followers).where(
                account_daily.c.account_id == account_id, account_daily.c.day == day)).scalar()
    return lookup


def stored_comment_counts(engine: Engine) -> Callable[[str], int | None]:
    """Look-up of a post's latest stored comment count (to spot old posts with new comments)."""
    def lookup(post_id: str) -> int | None:
        with engine.connect() as conn:
            return conn.execute(select(post_daily.c.comments).where(
                post_daily.c.post_id == post_id).order_by(post_daily.c.day.desc())
                .limit(1)).scalar()
    return lookup


def source_for(config: PulsoConfig, account: Account, engine: Engine | None = None,
               credentials: Callable[[str], object] | None = None) -> Source:
    """The source object for an account's configured source kind."""
    if account.source == "demo":
        from pulso.sources.demo import DemoSource

        return DemoSource(config)
    if account.source == "api":
        from pulso.sources.api import connector_for

        if credentials is None:
            from pulso.orchestration.runtime import api_credentials as credentials
        opts = {"followers_history": stored_followers(engine),
                "comments_history": stored_comment_counts(engine)} if engine is not None else {}
        return connector_for(account, credentials(account.conn_id), **opts)  # type: ignore[arg-type]
    raise SourceError(f"{account.account_id}: la fuente 'export' se carga desde la bandeja de "
                      "exportaciones, no por API")


def _fill_derived_followers(engine: Engine, batch: SourceBatch) -> None:
    """Derive gained/lost from yesterday's stored total when the source has only totals."""
    rows = [r for r in batch.tables.get("account_daily", [])
            if r.get("followers_derived") and r.get("followers") is not None
            and r.get("followers_gained") is None and r.get("followers_lost") is None]
    if not rows:
        return
    by_day = {r["day"]: r for r in batch.tables["account_daily"]}

    def history(account_id: str, day: date) -> int | None:
        if day in by_day and by_day[day].get("followers") is not None:
            return by_day[day]["followers"]
        with engine.connect() as conn:
            return conn.execute(
                select(account_daily.c.followers).where(
                    account_daily.c.account_id == account_id,
                    account_daily.c.day == day)).scalar()

    derive_followers(rows, batch.account_id, history)


def load_source_batch(engine: Engine, batch: SourceBatch) -> LoadResult:
    """Load one batch and mark its days ingested, atomically."""
    _fill_derived_followers(engine, batch)
    with engine.begin() as conn:
        result = load_batch(conn, batch.tables, source=batch.source,
                            extra_rejects=batch.rejects)
        now = datetime.now(UTC)
        days = [batch.start + timedelta(days=i) for i in range((batch.end - batch.start).days + 1)]
        upsert(conn, "ingest_run", [
            {"account_id": batch.account_id, "day": d, "source": batch.source,
             "rows_loaded": result.total_loaded, "rows_rejected": result.total_rejected,
             "loaded_at": now} for d in days], update=False)
    return result


def ingest_account(engine: Engine, config: PulsoConfig, account_id: str, start: date, end: date,
                   *, source: Source | None = None) -> IngestSummary:
    """Fetch and load `start..end` for one account; raises SourceError on source failure.

    Days loaded before a failure stay loaded (each batch is its own transaction), so a retry
    resumes with nothing lost and nothing duplicated.
    """
    account = config.account(account_id)
    src = source or source_for(config, account, engine)
    summary = IngestSummary(account_id, start, end)
    try:
        for batch in src.fetch(account, start, end):
            result = load_source_batch(engine, batch)
            summary.days += (batch.end - batch.start).days + 1
            for k, v in result.loaded.items():
                summary.loaded[k] = summary.loaded.get(k, 0) + v
            summary.rejected += result.total_rejected
            if result.total_rejected:
                log.warning("%s %s..%s: %d rows rejected (see load_reject)", account_id,
                            batch.start, batch.end, result.total_rejected)
    finally:
        close = getattr(src, "close", None)
        if callable(close):
            close()
    log.info("ingested %s %s..%s: %s", account_id, start, end, summary.loaded)
    return summary
