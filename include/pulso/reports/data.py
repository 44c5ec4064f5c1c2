"""Report data loaders: include/sql/reports/*.sql into pandas, times in the entity's zone.

Binds, by name, in every report query:
  :start / :end          UTC datetimes bounding the Bogotá days of the range, [start, end)
  :day_start / :day_end  the first and last Bogotá day (DATE columns such as account_daily.day)
Datetime columns come back tz-aware in the entity's time zone (`tz`, always passed), DATE columns
as datetime64 (midnight). pandas is imported inside the functions.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from pulso.core.paths import SQL_DIR

if TYPE_CHECKING:
    import pandas as pd
    from sqlalchemy import Engine

_BIND = re.compile(r"(?<![:\w]):(\w+)")
# Columns converted after loading (SQLite returns them as text).
TIME_COLUMNS = ("created_at", "published_at", "received_at", "filed_at", "responded_at",
                "classified_at", "loaded_at")
DATE_COLUMNS = ("day", "end_day", "base_day", "snapshot_day", "due_date")


def utc_bounds(start: date, end: date, tz: str) -> tuple[datetime, datetime]:
    """[start 00:00, end+1 00:00) local time, as UTC datetimes."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(tz)
    lo = datetime.combine(start, time(0), zone).astimezone(UTC)
    hi = datetime.combine(end + timedelta(days=1), time(0), zone).astimezone(UTC)
    return lo, hi


def sql_text(name: str) -> str:
    path = SQL_DIR / "reports" / f"{name}.sql"
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FileNotFoundError(f"report query {name!r} not found: {path}") from None


def query(engine: Engine, name: str, start: date | None = None, end: date | None = None, *,
          tz: str, **params: Any) -> pd.DataFrame:
    """Run include/sql/reports/<name>.sql for Bogotá days start..end (both inclusive).

    Extra `params` bind by name (dates as DATE, datetimes as timezone-aware DATETIME).
    Only binds the statement uses are passed.
    """
    import pandas as pd
    from sqlalchemy import Date, DateTime, bindparam, text

    raw = re.sub(r"--[^\n]*", "", sql_text(name))  # comments may mention binds
    used = set(_BIND.findall(raw))
    values: dict[str, Any] = dict(params)
    if start is not None and end is not None:
        lo, hi = utc_bounds(start, end, tz)
        values.update(start=lo, end=hi, day_start=start, day_end=end)
    missing = used - set(values)
    if missing:
        raise ValueError(f"report query {name!r} needs binds {sorted(missing)}")
    binds = {k: v for k, v in values.items() if k in used}
    clause = text(raw)
    typed = []
    for k, v in binds.items():
        if isinstance(v, datetime):
            typed.append(bindparam(k, type_=DateTime(timezone=True)))
        elif isinstance(v, date):
            typed.append(bindparam(k, type_=Date()))
    if typed:
        clause = clause.bindparams(*typed)
    with engine.connect() as conn:
        df = pd.read_sql(clause, conn, params=binds)
    return localize(df, tz)


def localize(df: pd.DataFrame, tz: str) -> pd.DataFrame:
    """UTC timestamp columns -> tz-aware local time; DATE columns -> datetime64."""
    import pandas as pd

    for col in TIME_COLUMNS:
        if col in df:
            df[col] = pd.to_datetime(df[col], utc=True, format="mixed").dt.tz_convert(tz)
    for col in DATE_COLUMNS:
        if col in df:
            df[col] = pd.to_datetime(df[col], format="mixed").astype("datetime64[ns]")
    for col in ("followers_derived",):
        if col in df:
            df[col] = df[col].astype("boolean")
    return df


def accounts(engine: Engine, tz: str = "UTC") -> pd.DataFrame:
    """Every account the warehouse knows (no times in it: the zone does not matter)."""
    return query(engine, "accounts", tz=tz)


def account_daily(engine: Engine, start: date, end: date, tz: str) -> pd.DataFrame:
    """One row per account-day in start..end, with network/handle/display_name."""
    return query(engine, "account_daily", start, end, tz=tz)


def post_month(engine: Engine, start: date, end: date, tz: str) -> pd.DataFrame:
    """Per post active in the range: lifetime snapshots at the end and before the start."""
    return query(engine, "post_month", start, end, tz=tz)


def posts_published(engine: Engine, start: date, end: date, tz: str) -> pd.DataFrame:
    """Posts published in the range with their latest snapshot up to `end`."""
    return query(engine, "posts_published", start, end, tz=tz)


def latest_labels(engine: Engine, start: date, end: date, tz: str) -> pd.DataFrame:
    """Inbound messages created in the range with their latest label (NULL when unlabelled)."""
    return query(engine, "message_labels", start, end, tz=tz)


def pqrs_cases(engine: Engine, start: date, end: date, tz: str) -> pd.DataFrame:
    """PQRS cases received in the range."""
    return query(engine, "pqrs_cases_received", start, end, tz=tz)
