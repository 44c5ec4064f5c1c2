"""Classify stored messages and open PQRS cases, in batches.

Reads the messages of a day range that have no label of the current classifier version,
classifies them together (vectorised, one query per batch, never one per message), stores
one `message_label` row each and opens a `pqrs_case` (status `candidate`) for every PQRS
candidate. Existing cases are never overwritten: once an analyst has reviewed a case, a newer
classifier version adds a label row but leaves the case as the analyst left it.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime, Engine

from pulso.core.config import PulsoConfig
from pulso.core.sql import sql
from pulso.warehouse.load import upsert

log = logging.getLogger(__name__)
SLACK_DAYS = 3


def model_version() -> str:
    from pulso.classify import pqrs, sentiment

    return f"{sentiment.MODEL_VERSION}+{pqrs.model_version()}"


def _utc_bounds(start: date, end: date, tz: str) -> tuple[datetime, datetime]:
    zone = ZoneInfo(tz)
    lo = datetime.combine(start, time(0), zone).astimezone(UTC)
    hi = datetime.combine(end + timedelta(days=1), time(0), zone).astimezone(UTC)
    return lo, hi


def classify_pending(engine: Engine, config: PulsoConfig, start: date, end: date,
                     *, batch_size: int = 50_000) -> dict[str, int]:
    """Label every unlabelled message created on Bogotá days start..end; open PQRS cases."""
    import pandas as pd

    from pulso.classify import pqrs
    from pulso.classify.deadlines import BusinessCalendar
    from pulso.classify.pipeline import classify_frame
    from pulso.classify.registry import load_active

    pqrs.use_model(load_active(engine))  # the entity's model when it beat the shipped one
    version = model_version()
    calendar = BusinessCalendar.from_config(config)
    # A day's batch can hold messages stamped outside it (late replies, time-zone buckets):
    # widen the window; the NOT EXISTS check makes overlaps free.
    # No upper bound: a batch may carry later messages (e.g. the entity's replies days after).
    lo, _ = _utc_bounds(start - timedelta(days=SLACK_DAYS), end, config.entity.timezone)
    hi = datetime(9999, 12, 31, tzinfo=UTC)
    query = sql("classify_pending", start=DateTime(timezone=True), end=DateTime(timezone=True))
    totals = {"labelled": 0, "cases_opened": 0}
    with engine.connect() as conn:
        frames = pd.read_sql(query, conn, params={"start": lo, "end": hi,
                                                   "model_version": version},
                             chunksize=batch_size)
        chunks = list(frames)
    for df in chunks:
        if df.empty:
            continue
        df["created_at"] = pd.to_datetime(df["created_at"], utc=True, format="mixed")
        out = classify_frame(df, calendar=calendar, own_handles=config.own_handles)
        now = datetime.now(UTC)
        own = out["is_own"].fillna(False).astype(bool) if "is_own" in out else False
        labels = [
            {"message_id": r.message_id, "model_version": version, "sentiment": r.sentiment,
             "sentiment_score": float(r.sentiment_score),
             "pqrs_type": None if is_own else _none(r.pqrs_type),
             "pqrs_subtype": None if is_own else _none(r.pqrs_subtype),
             "pqrs_score": _none(r.pqrs_score), "due_date": None if is_own else _none(r.due_date),
             "classified_at": now}
            for r, is_own in zip(out.itertuples(index=False),
                                 own if not isinstance(own, bool) else [own] * len(out),
                                 strict=True)
        ]
        cases = [
            {"message_id": lab["message_id"], "pqrs_type": lab["pqrs_type"],
             "pqrs_subtype": lab["pqrs_subtype"], "pqrs_score": lab["pqrs_score"],
             "received_at": created.to_pydatetime(), "due_date": lab["due_date"],
             "status": "candidate", "updated_at": now}
            for lab, created in zip(labels, out["created_at"], strict=True)
            if lab["pqrs_type"]
        ]
        with engine.begin() as conn:
            upsert(conn, "message_label", labels)
            upsert(conn, "pqrs_case", cases, update=False)
        totals["labelled"] += len(labels)
        totals["cases_opened"] += len(cases)
    log.info("classified %s..%s with %s: %s", start, end, version, totals)
    return totals


def _none(v):
    """pandas' missing markers (NaN, NaT, None) as None; dates as `date`."""
    if v is None:
        return None
    try:
        import pandas as pd

        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(v, "date") and not isinstance(v, date):
        return v.date()
    if isinstance(v, datetime):
        return v.date()
    return v
