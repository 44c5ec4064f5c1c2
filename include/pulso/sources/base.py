"""What every source returns: rows for the canonical tables, plus the rows it rejected.

A source (demo generator, network API, manual export) maps its native shapes to the
warehouse columns in `pulso.warehouse.schema`; validation and the upsert are shared.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from pulso.core.config import Account
from pulso.warehouse.validate import Reject

Row = dict[str, Any]
CANONICAL_TABLES = ("account", "account_daily", "post", "post_daily", "message")


class SourceError(RuntimeError):
    """A source failed for one account (bad credentials, API error, unreadable file).

    The message is meant for the analyst: it names the account and what to do, and never
    contains a token or secret.
    """


@dataclass
class SourceBatch:
    """Rows for one account over a period; keys of `tables` are canonical table names."""

    account_id: str
    start: date
    end: date
    source: str
    tables: dict[str, list[Row]] = field(default_factory=dict)
    rejects: list[Reject] = field(default_factory=list)

    def add(self, table: str, rows: list[Row] | Row) -> None:
        if table not in CANONICAL_TABLES:
            raise KeyError(f"not a canonical table: {table}")
        bucket = self.tables.setdefault(table, [])
        if isinstance(rows, dict):
            bucket.append(rows)
        else:
            bucket.extend(rows)

    def count(self) -> int:
        return sum(len(v) for v in self.tables.values())


class Source(Protocol):
    """Fetches an account's data for the days `start..end` (inclusive)."""

    def fetch(self, account: Account, start: date, end: date) -> Iterator[SourceBatch]: ...
