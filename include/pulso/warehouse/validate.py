"""Row validation against the warehouse schema.

Each row is checked column by column and coerced to the column's type; a row that fails is
not loaded but returned as a `Reject` naming its source, file, row and field, so that nothing
is silently dropped and the good rows of the same batch still load.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, Date, Float, Integer, String, Table, Text

from pulso.warehouse.schema import TABLES
from pulso.warehouse.types import is_datetime

# columns that hold counts: a negative value is a broken export, not a fact
_NON_NEGATIVE_SUFFIXES = ("followers", "_gained", "_lost", "reach", "views", "engagements",
                          "visits", "published", "reactions", "comments", "shares", "saves",
                          "clicks")
_AUTO_COLUMNS = {"loaded_at"}


class InvalidValue(ValueError):
    """A value that cannot be stored in its column."""


@dataclass(frozen=True)
class Reject:
    source: str
    file: str | None
    row: int | None
    field: str | None
    reason: str
    raw: str | None = None


class ColumnRows(Sequence[dict[str, Any]]):
    """Rows held column-wise (name -> values, names in row-dict key order).

    A parser that maps whole columns hands its rows over this way so that `validate_rows`
    checks the columns without building a dict per row. Used as a sequence (indexing,
    iteration, append), it builds the row dicts once and from then on behaves as that list
    of dicts: `columns` is None afterwards, since the rows may have been changed.
    """

    def __init__(self, columns: dict[str, list[Any]]):
        self._columns = columns
        self._rows: list[dict[str, Any]] | None = None
        self._n = len(next(iter(columns.values()), ()))

    @property
    def columns(self) -> dict[str, list[Any]] | None:
        return self._columns if self._rows is None else None

    def rows(self) -> list[dict[str, Any]]:
        if self._rows is None:
            names = list(self._columns)
            self._rows = [dict(zip(names, vals, strict=True))
                          for vals in zip(*self._columns.values(), strict=True)]
        return self._rows

    def __len__(self) -> int:
        return self._n if self._rows is None else len(self._rows)

    def __getitem__(self, i):  # noqa: ANN001 - int or slice, as a list
        return self.rows()[i]

    def __iter__(self):  # noqa: ANN204
        return iter(self.rows())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (list, ColumnRows)):
            return self.rows() == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment] - mutable, like a list

    def __repr__(self) -> str:
        return f"ColumnRows({self.rows()!r})"

    def append(self, row: dict[str, Any]) -> None:
        self.rows().append(row)
        self._n = len(self._rows)

    def extend(self, rows: Iterable[dict[str, Any]]) -> None:
        self.rows().extend(rows)
        self._n = len(self._rows)


@dataclass
class Validated:
    """Clean rows and rejects; a batch whose every row passed may come back column-wise.

    `columns` (column name -> values, one per row) is set when the whole batch was checked
    column by column (see `_validate_columns`); `rows` then builds the row dicts on demand.
    """

    _rows: list[dict[str, Any]] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    columns: dict[str, list[Any]] | None = None

    @property
    def rows(self) -> list[dict[str, Any]]:
        if self.columns is not None and not self._rows:
            names = list(self.columns)
            self._rows = [dict(zip(names, vals, strict=True))
                          for vals in zip(*self.columns.values(), strict=True)]
        return self._rows

    def __len__(self) -> int:
        if self.columns is not None:
            return len(next(iter(self.columns.values()), ()))
        return len(self._rows)


def _to_int(v: Any) -> int:
    t = type(v)
    if t is int:
        return v
    if t is bool:
        raise InvalidValue("expected a number, got a boolean")
    if t is float:
        if math.isnan(v):
            raise _Null
        if not v.is_integer():
            raise InvalidValue(f"expected a whole number, got {v!r}")
        return int(v)
    if isinstance(v, str):
        s = v.strip().replace("\u00a0", "")
        if s == "":
            raise _Null
        try:
            return int(s)
        except ValueError:
            try:
                f = float(s)
            except ValueError:
                raise InvalidValue(f"expected a whole number, got {v!r}") from None
            return _to_int(f)
    if hasattr(v, "__int__"):  # numpy integers
        return int(v)
    raise InvalidValue(f"expected a whole number, got {type(v).__name__}")


def _to_float(v: Any) -> float:
    if type(v) is float:
        if math.isnan(v):
            raise _Null
        return v
    if isinstance(v, bool):
        raise InvalidValue("expected a number, got a boolean")
    if isinstance(v, int):
        return float(v)
    if isinstance(v, str):
        s = v.strip()
        if s == "":
            raise _Null
        try:
            return float(s)
        except ValueError:
            raise InvalidValue(f"expected a number, got {v!r}") from None
    if hasattr(v, "__float__"):
        f = float(v)
        if math.isnan(f):
            raise _Null
        return f
    raise InvalidValue(f"expected a number, got {type(v).__name__}")


def _to_datetime(v: Any) -> datetime:
    if isinstance(v, datetime):
        dt = v
    elif isinstance(v, str):
        s = v.strip()
        if not s:
            raise _Null
        try:
            dt = datetime.fromisoformat(s.replace("Z", "+00:00"))
        except ValueError:
            raise InvalidValue(f"expected an ISO date-time, got {v!r}") from None
    elif isinstance(v, (int, float)) and not isinstance(v, bool):
        try:
            dt = datetime.fromtimestamp(v, UTC)
        except (OverflowError, OSError, ValueError):
            raise InvalidValue(f"timestamp out of range: {v!r}") from None
    else:
        if hasattr(v, "to_pydatetime"):  # pandas Timestamp
            if v != v:  # NaT
                raise _Null
            dt = v.to_pydatetime()
        else:
            raise InvalidValue(f"expected a date-time, got {type(v).__name__}")
    if dt.tzinfo is None:
        return dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def _to_date(v: Any) -> date:
    if type(v) is date:
        return v
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, str):
        s = v.strip()
        if not s:
            raise _Null
        try:
            return date.fromisoformat(s[:10])
        except ValueError:
            raise InvalidValue(f"expected a date YYYY-MM-DD, got {v!r}") from None
    if hasattr(v, "date") and callable(v.date):
        if v != v:
            raise _Null
        return v.date()
    raise InvalidValue(f"expected a date, got {type(v).__name__}")


def _to_bool(v: Any) -> bool:
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)) and v in (0, 1):
        return bool(v)
    if isinstance(v, str):
        s = v.strip().lower()
        if s in {"true", "t", "1", "yes", "si", "sí"}:
            return True
        if s in {"false", "f", "0", "no"}:
            return False
        if s == "":
            raise _Null
    raise InvalidValue(f"expected true/false, got {v!r}")


def _string(max_len: int | None) -> Callable[[Any], str]:
    def conv(v: Any) -> str:
        s = v if type(v) is str else str(v)
        if "\x00" in s:
            s = s.replace("\x00", "\ufffd")  # PostgreSQL text cannot hold NUL
        if max_len is not None and len(s) > max_len:
            raise InvalidValue(f"longer than {max_len} characters ({len(s)})")
        return s
    return conv


class _Null(Exception):
    """Raised by converters for values that mean 'missing' (empty string, NaN, NaT)."""


def _converter(col) -> Callable[[Any], Any]:
    t = col.type
    if isinstance(t, (BigInteger, Integer)):
        conv = _to_int
        if col.name.endswith(_NON_NEGATIVE_SUFFIXES):
            def conv(v: Any, _base=_to_int) -> int:  # noqa: F811 - deliberate wrap
                n = _base(v)
                if n < 0:
                    raise InvalidValue(f"negative count {n}")
                return n
        return conv
    if isinstance(t, Float):
        return _to_float
    if is_datetime(t):
        return _to_datetime
    if isinstance(t, Date):
        return _to_date
    if isinstance(t, Boolean):
        return _to_bool
    if isinstance(t, Text):
        return _string(None)
    if isinstance(t, String):
        return _string(t.length)
    raise TypeError(f"no converter for {t!r}")


_PLANS: dict[tuple[str, bool], list[tuple[str, Callable[[Any], Any], bool]]] = {}


def _plan(table: Table, signed: bool = False) -> list[tuple[str, Callable[[Any], Any], bool]]:
    """Converters per column; `signed` plans accept negative counts (see validate_rows)."""
    plan = _PLANS.get((table.name, signed))
    if plan is None:
        plan = [
            (c.name, _to_int if signed and isinstance(c.type, (BigInteger, Integer))
             else _converter(c), (not c.nullable) or c.primary_key)
            for c in table.columns
            if c.name not in _AUTO_COLUMNS and c.autoincrement is not True
        ]
        _PLANS[(table.name, signed)] = plan
    return plan


def _raw(row: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in row.items() if not k.startswith("_")},
                      default=str, ensure_ascii=False)[:4000]


def validate_rows(table_name: str, rows: Iterable[dict[str, Any]], *, source: str,
                  file: str | None = None, row_offset: int = 1) -> Validated:
    """Coerce `rows` to `table_name`'s columns; bad rows become rejects.

    A row may carry `_row` (its line in the source file) and `_file`; unknown keys are ignored.
    A row with `_signed` true accepts negative counts: daily series that carry corrections
    (TikTok writes -1 comments when a comment is removed) are facts there, not broken exports.
    """
    table = TABLES[table_name]
    cols = rows.columns if isinstance(rows, ColumnRows) else None
    if cols is not None:
        n = len(rows)
        fast = _validate_columns(table, lambda name: cols.get(name) or [None] * n,
                                 cols.get("_signed"))
    else:
        rows = rows if isinstance(rows, list) else list(rows)
        fast = _validate_columns(table, lambda name: [r.get(name) for r in rows],
                                 [r.get("_signed") for r in rows]) if rows else None
    if fast is not None:
        return Validated(columns=fast)
    plan = _plan(table)
    signed_plan = None
    out = Validated()
    good = out._rows
    for i, row in enumerate(rows):
        clean: dict[str, Any] = {}
        row_plan = plan
        if row.get("_signed"):
            row_plan = signed_plan = signed_plan or _plan(table, signed=True)
        try:
            for name, conv, required in row_plan:
                v = row.get(name)
                if v is None:
                    if required:
                        raise _Missing(name)
                    clean[name] = None
                    continue
                try:
                    clean[name] = conv(v)
                except _Null:
                    if required:
                        raise _Missing(name) from None
                    clean[name] = None
                except (InvalidValue, ValueError, TypeError, OverflowError, OSError) as exc:
                    raise _Bad(name, str(exc)) from None
        except _Missing as m:
            out.rejects.append(Reject(source, row.get("_file", file), row.get("_row", i + row_offset),
                                      m.field, f"{table_name}.{m.field} is required", _raw(row)))
            continue
        except _Bad as b:
            out.rejects.append(Reject(source, row.get("_file", file), row.get("_row", i + row_offset),
                                      b.field, f"{table_name}.{b.field}: {b.reason}", _raw(row)))
            continue
        good.append(clean)
    return out


class _Missing(Exception):
    def __init__(self, field: str):
        self.field = field


class _Bad(Exception):
    def __init__(self, field: str, reason: str):
        self.field = field
        self.reason = reason


# --- column-wise fast path ----------------------------------------------------------------------

_NONE = type(None)
_INT_TYPES = frozenset({int, _NONE})
_STR_TYPES = frozenset({str, _NONE})
_DT_TYPES = frozenset({datetime, _NONE})
_DATE_TYPES = frozenset({date, _NONE})
_BOOL_TYPES = frozenset({bool, _NONE})
_FLOAT_TYPES = frozenset({float, _NONE})
_KINDS: dict[str, list[tuple[str, str, int | None, bool]]] = {}


def _column_kinds(table: Table) -> list[tuple[str, str, int | None, bool]]:
    """(column, kind, max length, required) for the columns `validate_rows` checks."""
    kinds = _KINDS.get(table.name)
    if kinds is None:
        kinds = []
        for c in table.columns:
            if c.name in _AUTO_COLUMNS or c.autoincrement is True:
                continue
            t = c.type
            if isinstance(t, (BigInteger, Integer)):
                kind = "count" if c.name.endswith(_NON_NEGATIVE_SUFFIXES) else "int"
            elif isinstance(t, Float):
                kind = "float"
            elif is_datetime(t):
                kind = "datetime"
            elif isinstance(t, Date):
                kind = "date"
            elif isinstance(t, Boolean):
                kind = "bool"
            elif isinstance(t, (Text, String)):
                kind = "str"
            else:
                raise TypeError(f"no converter for {t!r}")
            length = t.length if isinstance(t, String) and not isinstance(t, Text) else None
            kinds.append((c.name, kind, length, (not c.nullable) or c.primary_key))
        _KINDS[table.name] = kinds
    return kinds


def _validate_columns(table: Table, column: Callable[[str], list[Any]],
                      signed_flags: list[Any] | None) -> dict[str, list[Any]] | None:
    """Check a batch column by column; the clean columns when EVERY row passes, else None.

    Each column is accepted only when its values already have the column's exact Python type
    (and fit: non-negative counts, string lengths, no NUL), so the per-row converters would
    return them unchanged (aware date-times are only moved to UTC, as `_to_datetime` does).
    Anything else (a bad value, a string to convert, a mixed `_signed` batch) returns None and
    the caller validates row by row, which names the rejects exactly as before.
    """
    signed = set(map(bool, signed_flags)) if signed_flags is not None else {False}
    if len(signed) > 1:
        return None
    signed_batch = signed.pop()
    out: dict[str, list[Any]] = {}
    for name, kind, length, required in _column_kinds(table):
        col = column(name)
        types = set(map(type, col))
        if required and _NONE in types:
            return None
        vals = [v for v in col if v is not None] if _NONE in types else col
        if not vals:
            out[name] = col
            continue
        if kind in ("int", "count"):
            if not types <= _INT_TYPES:
                return None
            if kind == "count" and not signed_batch and min(vals) < 0:
                return None
        elif kind == "str":
            if not types <= _STR_TYPES or "\x00" in "".join(vals):
                return None
            if length is not None and max(map(len, vals)) > length:
                return None
        elif kind == "datetime":
            if not types <= _DT_TYPES:
                return None
            col = [v if v is None or v.tzinfo is UTC
                   else v.replace(tzinfo=UTC) if v.tzinfo is None else v.astimezone(UTC)
                   for v in col]
        elif kind == "date":
            if not types <= _DATE_TYPES:
                return None
        elif kind == "bool":
            if not types <= _BOOL_TYPES:
                return None
        elif kind == "float":
            if not types <= _FLOAT_TYPES or any(v != v for v in vals):
                return None
        out[name] = col
    return out
