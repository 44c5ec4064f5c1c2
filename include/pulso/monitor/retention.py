"""Retention of citizens' personal data (Ley 1581 de 2012, habeas data).

Message texts, handles and permalinks (which carry the handle) older than `retention.message_text_months` are removed; the row,
its labels and its PQRS case stay, so the counts of past reports do not change. The loader
never rewrites an anonymised message (see `pulso.warehouse.load`), so a re-ingested old day
cannot bring the text back.
"""

from __future__ import annotations

from datetime import UTC, datetime

from dateutil.relativedelta import relativedelta
from sqlalchemy import Engine, and_, update

from pulso.core.config import PulsoConfig
from pulso.warehouse.schema import message


def retention_cutoff(config: PulsoConfig, now: datetime | None = None) -> datetime:
    now = now or datetime.now(UTC)
    return now - relativedelta(months=config.retention.message_text_months)


def apply_retention(engine: Engine, config: PulsoConfig, now: datetime | None = None) -> dict:
    """Anonymise messages created before the cutoff; idempotent."""
    now = now or datetime.now(UTC)
    cutoff = retention_cutoff(config, now)
    with engine.begin() as conn:
        result = conn.execute(
            update(message)
            .where(and_(message.c.created_at < cutoff, message.c.anonymised_at.is_(None)))
            .values(text=None, author_handle=None, permalink=None, anonymised_at=now))
    return {"cutoff": cutoff.isoformat(), "anonymised": result.rowcount}
