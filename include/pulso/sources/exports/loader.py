"""Load one parsed export into the warehouse: merge partial rows, upsert, record the file.

Why merge here: an export row only carries the columns its file has (a Meta page-metric file
has one metric; a posts export has no `campaign`), but the shared `upsert` rewrites every
column. So, inside the same transaction as the load, the stored rows with the same keys are
read and the file's values are laid over them: columns the file provides replace the stored
values (a re-issued export corrects figures), columns it does not provide keep theirs. That
keeps `load_batch` (validation, rejects, one transaction) unchanged and works the same on SQLite
and PostgreSQL. Two loaders writing the same day at the same moment could still race (last
writer wins on the columns both read); exports are loaded one file at a time, so this is
accepted rather than locking.
"""

from __future__ import annotations

import gc
import hashlib
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, select, text

from pulso.core.config import PulsoConfig
from pulso.sources.exports.mapping import ExportRejected, ParsedExport, parse_export_file
from pulso.warehouse.load import LoadResult, load_batch, upsert
from pulso.warehouse.schema import TABLES, primary_key, source_file
from pulso.warehouse.types import is_datetime
from pulso.warehouse.validate import Reject

_CHUNK = 20_000  # keys per existence query (bound as one list)
_TABLE_ORDER = ("account_daily", "post", "post_daily", "audience_breakdown")


@dataclass
class FileResult:
    """What happened to one file; `status` is processed | rejected | skipped."""

    path: Path
    sha256: str
    status: str
    kind: str | None = None
    loaded: dict[str, int] = field(default_factory=dict)
    rows_rejected: int = 0
    rejects: list[Reject] = field(default_factory=list)
    message: str = ""
    notes: list[str] = field(default_factory=list)
    moved_to: Path | None = None
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage (bench, logs)

    @property
    def ok(self) -> bool:
        return self.status in ("processed", "skipped")

    def as_dict(self) -> dict:
        """A JSON-safe summary (for XCom and logs): no row contents."""
        return {"file": self.path.name, "sha256": self.sha256, "status": self.status,
                "kind": self.kind, "loaded": dict(self.loaded),
                "rows_rejected": self.rows_rejected, "message": self.message,
                "moved_to": str(self.moved_to) if self.moved_to else None}


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _key_param(conn: Connection, table_name: str, col: str, values: list[Any]) -> Any:
    """A whole list of key values as ONE bind parameter (array / JSON text)."""
    if conn.dialect.name == "postgresql":
        return values
    conv = _sqlite_param(TABLES[table_name].c[col].type)
    return json.dumps([conv(v) for v in values] if conv else values)


def _sqlite_param(type_: Any) -> Any:
    from sqlalchemy import Date

    if is_datetime(type_):
        return None  # no key column is a timestamp today; compared as stored text otherwise
    if isinstance(type_, Date):
        return lambda v: v.isoformat() if isinstance(v, date) else v
    return None


def _fetch_existing(conn: Connection, table_name: str, key: list[str],
                    keys: list[tuple]) -> dict[tuple, dict[str, Any]]:
    """Stored rows for `keys`: one indexed query per chunk, each key column bound as one list.

    For a composite key the query filters each column by its own list (a superset of the
    wanted keys, still served by the primary-key index) and exact keys are picked here.
    """
    table = TABLES[table_name]
    pg = conn.dialect.name == "postgresql"
    cond = " AND ".join(
        f'"{c}" = ANY(:k{i})' if pg else f'"{c}" IN (SELECT value FROM json_each(:k{i}))'
        for i, c in enumerate(key))
    stmt = text(f'SELECT * FROM "{table_name}" WHERE {cond}').columns(*table.columns)
    wanted = set(keys)
    existing: dict[tuple, dict[str, Any]] = {}
    for i in range(0, len(keys), _CHUNK):
        chunk = keys[i:i + _CHUNK]
        params = {f"k{j}": _key_param(conn, table_name, c, list({k[j] for k in chunk}))
                  for j, c in enumerate(key)}
        for rec in conn.execute(stmt, params).mappings():
            k = tuple(rec[c] for c in key)
            if k in wanted:
                existing[k] = dict(rec)
    return existing


def merge_existing(conn: Connection, table_name: str, rows: list[dict[str, Any]]
                   ) -> list[dict[str, Any]]:
    """Lay each partial row over the stored row with the same key (see module docstring)."""
    if not rows:
        return rows
    if conn.execute(text(f'SELECT 1 FROM "{table_name}" LIMIT 1')).first() is None:
        return rows  # empty table (a first load): nothing to merge with
    key = primary_key(TABLES[table_name])
    keyed: dict[tuple, dict[str, Any]] = {}
    for r in rows:
        try:
            keyed[tuple(r[k] for k in key)] = r
        except KeyError:
            continue  # missing key: validation will reject the row
        except TypeError:
            continue  # unhashable key value: validation will reject the row
    existing = _fetch_existing(conn, table_name, key, list(keyed))
    if not existing:
        return rows
    out = []
    for r in rows:
        try:
            old = existing.get(tuple(r[k] for k in key))
        except (KeyError, TypeError):
            old = None
        if old is None:
            out.append(r)
        else:
            merged = dict(old)
            merged.update(r)
            out.append(merged)
    return out


def _record(conn: Connection, *, sha: str, name: str, kind: str | None, signature: str | None,
            account_ids: set[str], period: tuple[date | None, date | None], status: str,
            loaded: int, rejected: int, message: str) -> None:
    accounts = ",".join(sorted(account_ids))
    upsert(conn, "source_file", [{
        "sha256": sha, "name": name[:500], "export_kind": kind, "header_signature": signature,
        "account_id": accounts[:120] or None, "period_start": period[0],
        "period_end": period[1], "status": status, "rows_loaded": loaded,
        "rows_rejected": rejected, "message": message,
    }])


def already_processed(engine: Engine, sha: str) -> bool:
    with engine.connect() as conn:
        status = conn.execute(select(source_file.c.status)
                              .where(source_file.c.sha256 == sha)).scalar()
    return status == "processed"


def load_parsed(engine: Engine, parsed: ParsedExport, *, sha: str, path: Path) -> FileResult:
    """Merge + validate + upsert + rejects + source_file, all in one transaction."""
    result = FileResult(path=path, sha256=sha, status="processed", kind=parsed.kind,
                        notes=list(parsed.notes), timings=dict(parsed.timings))
    t0 = time.perf_counter()
    with engine.begin() as conn:
        tables = {t: merge_existing(conn, t, parsed.tables[t])
                  for t in _TABLE_ORDER if t in parsed.tables}
        result.timings["merge"] = time.perf_counter() - t0
        lr: LoadResult = load_batch(conn, tables, source=parsed.source, file=parsed.name,
                                    extra_rejects=parsed.rejects)
        result.timings.update(lr.timings)
        result.loaded = {t: n for t, n in lr.loaded.items() if n}
        result.rejects = lr.rejects
        # a source line counts once even if both its post and post_daily rows failed
        result.rows_rejected = len({(r.file, r.row) for r in lr.rejects})
        loaded_total = lr.total_loaded
        if loaded_total == 0:
            result.status = "rejected"
            result.message = (f"{parsed.name}: no row could be loaded "
                              f"({result.rows_rejected} rejected)")
        else:
            parts = ", ".join(f"{t}={n}" for t, n in result.loaded.items())
            result.message = (f"{parsed.kind}: loaded {parts}; "
                              f"{result.rows_rejected} row(s) rejected")
        if parsed.unused_columns:
            result.message += ("; columnas sin destino en Pulso: "
                               + ", ".join(parsed.unused_columns))
        _record(conn, sha=sha, name=parsed.name, kind=parsed.kind,
                signature=parsed.header_signature, account_ids=parsed.account_ids,
                period=parsed.period, status=result.status, loaded=loaded_total,
                rejected=result.rows_rejected, message=result.message)
        t1 = time.perf_counter()
    result.timings["commit"] = time.perf_counter() - t1  # the transaction's COMMIT
    return result


def record_rejected_file(engine: Engine, path: Path, sha: str, exc: ExportRejected) -> FileResult:
    """A file rejected whole: one `load_reject` row and its `source_file` entry."""
    source = f"export:{exc.kind or 'unknown'}"
    reject = Reject(source, path.name, None, ", ".join(exc.missing) or None, str(exc))
    with engine.begin() as conn:
        load_batch(conn, {}, source=source, file=path.name, extra_rejects=[reject])
        _record(conn, sha=sha, name=path.name, kind=exc.kind,
                signature=exc.header_signature, account_ids=set(), period=(None, None),
                status="rejected", loaded=0, rejected=0, message=str(exc))
    return FileResult(path=path, sha256=sha, status="rejected", kind=exc.kind,
                      message=str(exc), rejects=[reject])


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a file is parsed and loaded.

    A large export allocates millions of acyclic objects (cells, rows); each allocation burst
    made the collector walk them all again (a quarter of the parse time). Nothing in a load
    builds reference cycles worth collecting meanwhile; the previous state is restored.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def process_file(engine: Engine, path: Path, *, config: PulsoConfig | None = None,
                 account: str | None = None, snapshot_day: date | None = None,
                 skip_known: bool = True, year: int | None = None) -> FileResult:
    """Parse and load one export file (no moving); the same path for the inbox and the CLI."""
    with _gc_paused():
        return _process_file(engine, path, config=config, account=account,
                             snapshot_day=snapshot_day, skip_known=skip_known, year=year)


def _process_file(engine: Engine, path: Path, *, config: PulsoConfig | None,
                  account: str | None, snapshot_day: date | None, skip_known: bool,
                  year: int | None) -> FileResult:
    t0 = time.perf_counter()
    sha = sha256_file(path)
    t_hash = time.perf_counter() - t0
    if skip_known and already_processed(engine, sha):
        return FileResult(path=path, sha256=sha, status="skipped",
                          message=f"{path.name}: already loaded (same SHA-256), skipped")
    try:
        parsed = parse_export_file(path, config=config, account=account,
                                   snapshot_day=snapshot_day, year=year)
    except ExportRejected as exc:
        return record_rejected_file(engine, path, sha, exc)
    result = load_parsed(engine, parsed, sha=sha, path=path)
    result.timings["hash"] = t_hash
    return result
