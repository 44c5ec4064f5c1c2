"""Named SQL statements from `include/sql/`, with typed bind parameters."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import TextClause, bindparam, text
from sqlalchemy.types import TypeEngine

from pulso.core.paths import SQL_DIR


@lru_cache(maxsize=64)
def _read(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def sql(name: str, **types: TypeEngine) -> TextClause:
    """`include/sql/<name>.sql` as a text clause; `types` type its bind parameters."""
    clause = text(_read(name))
    if types:
        clause = clause.bindparams(*(bindparam(k, type_=t) for k, t in types.items()))
    return clause
