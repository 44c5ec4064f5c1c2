"""Column types of the warehouse: UTC date-times that come back aware on every back end.

SQLite has no time-zone type: SQLAlchemy's `DateTime` stores naive text there and hands naive
values back, while PostgreSQL's `timestamptz` returns aware values in the session's zone.
`UtcDateTime` makes both the same: what is bound is converted to UTC, what is read is an aware
datetime in UTC (`tzinfo is datetime.UTC`).

Naive datetimes are refused when bound through SQLAlchemy: a naive value is ambiguous (UTC?
Bogotá?) and storing it as UTC silently shifts local times by five hours. Code that builds
times uses `datetime.now(UTC)` or attaches its zone. (The bulk loader does not bind through
SQLAlchemy: rows reach it through `validate_rows`, whose documented rule for source data is
that a naive time is UTC.)
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine


class NaiveDateTimeError(ValueError):
    """A naive datetime was bound to a `UtcDateTime` column."""


class UtcDateTime(TypeDecorator[datetime]):
    """`DateTime(timezone=True)` that binds aware values as UTC and reads aware UTC values."""

    impl = DateTime
    cache_ok = True

    def __init__(self) -> None:
        super().__init__(timezone=True)

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"UtcDateTime takes a datetime, got {type(value).__name__}: "
                            f"{value!r}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise NaiveDateTimeError(
                f"naive datetime {value.isoformat()} bound to a UTC column: attach its time "
                "zone (datetime.now(UTC), value.replace(tzinfo=ZoneInfo(...)))")
        value = value.astimezone(UTC)
        # SQLite stores text without an offset: store the UTC wall time
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # a value the dialect did not parse (raw SQLite text)
            value = datetime.fromisoformat(value)
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value if value.tzinfo is UTC else value.astimezone(UTC)

    @property
    def python_type(self) -> type[datetime]:
        return datetime


def is_datetime(type_: TypeEngine[Any]) -> bool:
    """True for date-time column types (`UtcDateTime` or a plain `DateTime`), not `Date`."""
    return isinstance(type_, (UtcDateTime, DateTime))
