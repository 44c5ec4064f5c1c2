"""Idempotent loads: validated rows are upserted on their natural keys in one transaction.

PostgreSQL: rows are streamed with COPY into a temporary table and merged with
`INSERT ... ON CONFLICT DO UPDATE`; SQLite: one prepared `INSERT ... ON CONFLICT` run with
executemany. Either way an existing row is only rewritten when a value really changed, so
loading the same data twice leaves the warehouse unchanged (even `loaded_at`).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Engine

from pulso.warehouse.schema import TABLES, primary_key
from pulso.warehouse.types import is_datetime
from pulso.warehouse.validate import Reject, validate_rows

# Rows that a load must never rewrite once in this state (retention removed personal data).
FROZEN = {"message": "anonymised_at"}


@dataclass
class LoadResult:
    loaded: dict[str, int] = field(default_factory=dict)
    rejected: dict[str, int] = field(default_factory=dict)
    rejects: list[Reject] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # seconds: validate, load

    @property
    def total_loaded(self) -> int:
        return sum(self.loaded.values())

    @property
    def total_rejected(self) -> int:
        return sum(self.rejected.values())

    def merge(self, other: LoadResult) -> LoadResult:
        for k, v in other.loaded.items():
            self.loaded[k] = self.loaded.get(k, 0) + v
        for k, v in other.rejected.items():
            self.rejected[k] = self.rejected.get(k, 0) + v
        self.rejects.extend(other.rejects)
        return self


def _dedupe(rows: list[dict[str, Any]], key: list[str]) -> list[dict[str, Any]]:
    """Keep the last row per key: one statement may not touch the same row twice."""
    if len(key) == 1:
        k = key[0]
        seen = {r[k]: r for r in rows}
    else:
        seen = {tuple(r[c] for c in key): r for r in rows}
    if len(seen) == len(rows):
        return rows
    return list(seen.values())


def upsert(conn: Connection, table_name: str, rows: list[dict[str, Any]], *,
           update: bool = True) -> int:
    """Insert or update `rows` (already validated) in `table_name`; returns rows given.

    With `update=False` existing rows are kept as they are (insert-if-absent).
    """
    if not rows:
        return 0
    table = TABLES[table_name]
    key = primary_key(table)
    rows = _dedupe(rows, key)
    now = datetime.now(UTC)
    cols, has_loaded_at, compare = _write_plan(table_name, table, key)
    dialect = conn.dialect.name
    if dialect == "postgresql":
        _upsert_pg(conn, table_name, cols, key, compare, rows, now, has_loaded_at, update)
    elif dialect == "sqlite":
        _upsert_sqlite(conn, table_name, cols, key, compare, rows, now, has_loaded_at, update)
    else:  # pragma: no cover - only the two supported back ends
        raise NotImplementedError(f"unsupported warehouse dialect {dialect}")
    return len(rows)


def _write_plan(table_name: str, table, key: list[str]) -> tuple[list[str], bool, list[str]]:  # noqa: ANN001
    """Columns written (the event log's own serial id excluded), whether `loaded_at` is
    stamped, and the columns compared to decide that a stored row changed."""
    cols = [c.name for c in table.columns if not (c.autoincrement is True and c.primary_key
                                                    and len(key) == 1 and c.name == key[0]
                                                    and table_name == "pqrs_case_event")]
    return cols, "loaded_at" in cols, [c for c in cols if c not in key and c != "loaded_at"]


def upsert_columns(conn: Connection, table_name: str, columns: Mapping[str, list[Any]], *,
                   update: bool = True) -> int:
    """`upsert` for validated rows held column-wise (name -> values); same statements.

    Parameters are built per column (no row dicts); a batch with a repeated key goes through
    `upsert` so that the last row per key wins exactly as there.
    """
    n = len(next(iter(columns.values()), ()))
    if not n:
        return 0
    table = TABLES[table_name]
    key = primary_key(table)
    keys = None
    if all(c in columns for c in key):
        keys = (columns[key[0]] if len(key) == 1
                else list(zip(*(columns[c] for c in key), strict=True)))
    if keys is None or len(set(keys)) != n:
        names = list(columns)
        rows = [dict(zip(names, vals, strict=True))
                for vals in zip(*columns.values(), strict=True)]
        return upsert(conn, table_name, rows, update=update)
    now = datetime.now(UTC)
    cols, has_loaded_at, compare = _write_plan(table_name, table, key)
    empty = [None] * n
    data = {c: columns.get(c, empty) for c in cols}
    dialect = conn.dialect.name
    if dialect == "postgresql":
        data["loaded_at"] = [now] * n if has_loaded_at else empty
        _upsert_pg_columns(conn, table_name, cols, key, compare, data, keys, has_loaded_at,
                           update)
    elif dialect == "sqlite":
        convs = dict(zip(cols, _sqlite_converters(table_name, cols), strict=True))
        params = [[_sqlite_datetime(now)] * n if c == "loaded_at" else
                  data[c] if convs[c] is None else _sqlite_column(convs[c], data[c])
                  for c in cols]
        _executemany_sqlite(conn, _sqlite_sql(table_name, cols, key, compare, has_loaded_at,
                                              update), zip(*params, strict=True), n)
    else:  # pragma: no cover - only the two supported back ends
        raise NotImplementedError(f"unsupported warehouse dialect {dialect}")
    return n


def _upsert_pg_columns(conn, table_name, cols, key, compare, data, keys, has_loaded_at, update):
    """`_upsert_pg` for column-wise rows: new keys COPYed in, existing ones merged."""
    raw = conn.connection.driver_connection
    with raw.cursor() as cur:
        cur.execute(f'SELECT 1 FROM "{table_name}" LIMIT 1')
        if cur.fetchone() is None:
            existing: set = set()  # an empty table (a first load): no key to look up
        elif len(key) == 1:
            cur.execute(f'SELECT "{key[0]}" FROM "{table_name}" WHERE "{key[0]}" = ANY(%s)',
                        (keys,))
            existing = {row[0] for row in cur.fetchall()}
        else:
            table = TABLES[table_name]
            qkey = ", ".join(_quote(c) for c in key)
            unnest = ", ".join(f"%s::{table.c[c].type.compile(dialect=conn.dialect)}[]"
                               for c in key)
            cur.execute(f'SELECT {qkey} FROM "{table_name}" WHERE ({qkey}) IN '
                        f"(SELECT * FROM unnest({unnest}))", [data[c] for c in key])
            existing = {tuple(row) for row in cur.fetchall()}
        rows = zip(*(data[c] for c in cols), strict=True)
        if not existing:
            new_rows, old_rows = rows, []
        else:
            new_rows, old_rows = [], []
            for k, r in zip(keys, rows, strict=True):
                (old_rows if k in existing else new_rows).append(r)
        if not existing or new_rows:
            _pg_copy_tuples(cur, f'"{table_name}"', cols, new_rows)
        if not old_rows or not update:
            return
        _pg_merge_via_temp(cur, table_name, cols, key, compare, has_loaded_at,
                           lambda tmp: _pg_copy_tuples(cur, tmp, cols, old_rows))


def _pg_copy_tuples(cur, target: str, cols: list[str], rows) -> None:
    qcols = ", ".join(_quote(c) for c in cols)
    with cur.copy(f"COPY {target} ({qcols}) FROM STDIN") as copy:
        write = copy.write_row
        for r in rows:
            write(r)


def _quote(name: str) -> str:
    return f'"{name}"'


def _pg_existing_keys(cur, table_name: str, key: list[str], rows, dialect) -> set:
    """Keys of `rows` already in the table (one indexed query per batch)."""
    if len(key) == 1:
        k = key[0]
        cur.execute(f'SELECT "{k}" FROM "{table_name}" WHERE "{k}" = ANY(%s)',
                    ([r[k] for r in rows],))
        return {row[0] for row in cur.fetchall()}
    arrays = [[r[c] for r in rows] for c in key]
    cols = ", ".join(f'"{c}"' for c in key)
    table = TABLES[table_name]
    unnest = ", ".join(f"%s::{table.c[c].type.compile(dialect=dialect)}[]" for c in key)
    cur.execute(f'SELECT {cols} FROM "{table_name}" WHERE ({cols}) IN '
                f"(SELECT * FROM unnest({unnest}))", arrays)
    return {tuple(row) for row in cur.fetchall()}


def _pg_copy(cur, target: str, cols: list[str], rows, now) -> None:
    qcols = ", ".join(_quote(c) for c in cols)
    getters = [(c, c == "loaded_at") for c in cols]
    with cur.copy(f"COPY {target} ({qcols}) FROM STDIN") as copy:
        write = copy.write_row
        for r in rows:
            write([now if is_loaded else r.get(c) for c, is_loaded in getters])


def _upsert_pg(conn, table_name, cols, key, compare, rows, now, has_loaded_at, update):
    """New keys are COPYed straight into the table; existing ones merged through a temp table.

    Fresh data (the common case: a new day) thus costs one COPY; a re-load costs a COPY into
    a temporary table and one `INSERT ... ON CONFLICT` that rewrites only changed rows.
    """
    raw = conn.connection.driver_connection  # psycopg.Connection, inside SQLAlchemy's transaction
    with raw.cursor() as cur:
        existing = _pg_existing_keys(cur, table_name, key, rows, conn.dialect)
        if len(key) == 1:
            k = key[0]
            new_rows = [r for r in rows if r[k] not in existing]
            old_rows = [r for r in rows if r[k] in existing] if existing else []
        else:
            new_rows = [r for r in rows if tuple(r[c] for c in key) not in existing]
            old_rows = ([r for r in rows if tuple(r[c] for c in key) in existing]
                        if existing else [])
        if new_rows:
            _pg_copy(cur, f'"{table_name}"', cols, new_rows, now)
        if not old_rows or not update:
            return
        _pg_merge_via_temp(cur, table_name, cols, key, compare, has_loaded_at,
                           lambda tmp: _pg_copy(cur, tmp, cols, old_rows, now))


def _pg_merge_via_temp(cur, table_name: str, cols: list[str], key: list[str],  # noqa: ANN001
                       compare: list[str], has_loaded_at: bool, copy_into) -> None:  # noqa: ANN001
    """Existing keys: COPY into a per-table temp table (`copy_into(tmp)`), then one
    INSERT ... ON CONFLICT that rewrites only rows whose values changed."""
    tmp = f"_tmp_{table_name}"
    cur.execute(f'CREATE TEMP TABLE IF NOT EXISTS {tmp} (LIKE "{table_name}" INCLUDING DEFAULTS)'
                " ON COMMIT DELETE ROWS")
    cur.execute(f"TRUNCATE {tmp}")
    copy_into(tmp)
    cur.execute(_pg_merge_sql(table_name, cols, key, compare, has_loaded_at, tmp))
    cur.execute(f"TRUNCATE {tmp}")


def _pg_merge_sql(table_name, cols, key, compare, has_loaded_at, tmp) -> str:
    """INSERT ... SELECT from the temp table, rewriting only rows whose values changed."""
    qcols = ", ".join(_quote(c) for c in cols)
    conflict = ", ".join(_quote(c) for c in key)
    if compare:
        sets = ", ".join(f"{_quote(c)} = EXCLUDED.{_quote(c)}" for c in compare)
        if has_loaded_at:
            sets += ', "loaded_at" = EXCLUDED."loaded_at"'
        old = ", ".join(f"t.{_quote(c)}" for c in compare)
        new = ", ".join(f"EXCLUDED.{_quote(c)}" for c in compare)
        action = (f"DO UPDATE SET {sets} WHERE ({old}) IS DISTINCT FROM ({new})"
                  if len(compare) > 1 else
                  f"DO UPDATE SET {sets} WHERE {old} IS DISTINCT FROM {new}")
        if table_name in FROZEN:
            action += f' AND t."{FROZEN[table_name]}" IS NULL'
    else:
        action = "DO NOTHING"
    return (f'INSERT INTO "{table_name}" AS t ({qcols}) SELECT {qcols} FROM {tmp} '
            f"ON CONFLICT ({conflict}) {action}")


def _sqlite_datetime(v: Any) -> Any:
    if type(v) is datetime:
        if v.tzinfo is not None:
            v = v.astimezone(UTC).replace(tzinfo=None)
        return v.strftime("%Y-%m-%d %H:%M:%S.%f")
    return v


def _sqlite_column(conv, values: list[Any]) -> list[Any]:
    """`conv` over a column: date-times formatted in bulk, days once per distinct day."""
    if conv is _sqlite_datetime:
        return [v.replace(tzinfo=None).isoformat(" ", "microseconds")
                if type(v) is datetime and v.tzinfo is UTC and v.year >= 1000
                else _sqlite_datetime(v) for v in values]
    if conv is _sqlite_date:
        days = {v: _sqlite_date(v) for v in set(values)}
        return list(map(days.__getitem__, values))
    return list(map(conv, values))


def _sqlite_date(v: Any) -> Any:
    return v.isoformat() if type(v) is date else v


def _sqlite_bool(v: Any) -> Any:
    return int(v) if type(v) is bool else v


def _sqlite_converters(table_name: str, cols: list[str]):
    from sqlalchemy import Boolean, Date

    table = TABLES[table_name]
    out = []
    for c in cols:
        t = table.c[c].type
        if is_datetime(t):
            out.append(_sqlite_datetime)
        elif isinstance(t, Date):
            out.append(_sqlite_date)
        elif isinstance(t, Boolean):
            out.append(_sqlite_bool)
        else:
            out.append(None)
    return out


def _sqlite_sql(table_name, cols, key, compare, has_loaded_at, update) -> str:
    """The prepared `INSERT ... ON CONFLICT` that rewrites only rows whose values changed."""
    qcols = ", ".join(_quote(c) for c in cols)
    marks = ", ".join("?" for _ in cols)
    conflict = ", ".join(_quote(c) for c in key)
    if update and compare:
        sets = ", ".join(f"{_quote(c)} = excluded.{_quote(c)}" for c in compare)
        if has_loaded_at:
            sets += ', "loaded_at" = excluded."loaded_at"'
        changed = " OR ".join(f'"{table_name}".{_quote(c)} IS NOT excluded.{_quote(c)}'
                              for c in compare)
        action = f"DO UPDATE SET {sets} WHERE ({changed})"
        if table_name in FROZEN:
            action += f' AND "{table_name}"."{FROZEN[table_name]}" IS NULL'
    else:
        action = "DO NOTHING"
    return f'INSERT INTO "{table_name}" ({qcols}) VALUES ({marks}) ON CONFLICT ({conflict}) {action}'


_BULK_ROWS = 20_000  # from this many rows a SQLite upsert gets a larger page cache
_BULK_CACHE_KIB = 131_072  # 128 MiB at most, allocated only as pages are touched


def _executemany_sqlite(conn, sql: str, params, n: int) -> None:
    """executemany; a bulk batch runs with a larger page cache, restored afterwards.

    With SQLite's default 2 MiB cache a large upsert keeps evicting index pages it modifies
    again later, spilling each to the WAL several times (a quarter of the load's CPU).
    """
    raw = conn.connection.driver_connection  # sqlite3.Connection
    cur = raw.cursor()
    previous = None
    try:
        if n >= _BULK_ROWS:
            size = cur.execute("PRAGMA cache_size").fetchone()[0]
            page = cur.execute("PRAGMA page_size").fetchone()[0]
            kib = -size if size < 0 else size * page // 1024  # negative: KiB; positive: pages
            if kib < _BULK_CACHE_KIB:
                previous = size
                cur.execute(f"PRAGMA cache_size=-{_BULK_CACHE_KIB}")
        cur.executemany(sql, params)
    finally:
        if previous is not None:
            cur.execute(f"PRAGMA cache_size={int(previous)}")
        cur.close()


def _upsert_sqlite(conn, table_name, cols, key, compare, rows, now, has_loaded_at, update):
    sql = _sqlite_sql(table_name, cols, key, compare, has_loaded_at, update)
    now_s = _sqlite_datetime(now)
    plan = [(c, None if c == "loaded_at" else conv)
            for c, conv in zip(cols, _sqlite_converters(table_name, cols), strict=True)]
    loaded_idx = cols.index("loaded_at") if has_loaded_at else -1

    def params():
        for r in rows:
            vals = [r.get(c) if conv is None else conv(r.get(c)) for c, conv in plan]
            if loaded_idx >= 0:
                vals[loaded_idx] = now_s
            yield vals

    _executemany_sqlite(conn, sql, params(), len(rows))


def reject_rows(rejects: Iterable[Reject]) -> list[dict[str, Any]]:
    out = []
    for r in rejects:
        key = hashlib.sha256(
            f"{r.source}\x1f{r.file}\x1f{r.row}\x1f{r.field}".encode()).hexdigest()
        out.append({"reject_key": key, "source": r.source, "file": r.file, "row": r.row,
                    "field": r.field, "reason": r.reason, "raw": r.raw})
    return out


def load_batch(engine_or_conn: Engine | Connection, tables: Mapping[str, Iterable[dict[str, Any]]],
               *, source: str, file: str | None = None,
               extra_rejects: Iterable[Reject] = ()) -> LoadResult:
    """Validate and upsert rows for several tables in ONE transaction.

    Rejected rows (validation failures, plus `extra_rejects` found earlier by a parser) are
    stored in `load_reject` in the same transaction: either everything lands or nothing does.
    """
    result = LoadResult()
    validated = {}
    t0 = time.perf_counter()
    for name, rows in tables.items():
        v = validate_rows(name, rows, source=source, file=file)
        validated[name] = v
        result.rejects.extend(v.rejects)
        result.rejected[name] = len(v.rejects)
    result.rejects.extend(extra_rejects)
    result.timings["validate"] = time.perf_counter() - t0

    def _write(conn: Connection) -> None:
        t1 = time.perf_counter()
        for name, v in validated.items():
            if v.columns is not None:
                result.loaded[name] = upsert_columns(conn, name, v.columns)
            else:
                result.loaded[name] = upsert(conn, name, v.rows)
        if result.rejects:
            upsert(conn, "load_reject", reject_rows(result.rejects))
        result.timings["load"] = time.perf_counter() - t1

    if isinstance(engine_or_conn, Connection):
        _write(engine_or_conn)
    else:
        with engine_or_conn.begin() as conn:
            _write(conn)
    return result
