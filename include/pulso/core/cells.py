"""Outside text made safe for the spreadsheets and CSV files Pulso writes.

Citizens write the messages, analysts name the files, the office types radicados: none of it
may become a live formula (`=HYPERLINK(...)`, `=cmd|...`) or break a workbook with a control
character Excel rejects. Every workbook and CSV writer goes through these helpers, so the rule
lives in one place:

* XLSX: strings are always stored as text cells (never formulas or error values), with the
  control characters Excel refuses removed;
* CSV: a value that a spreadsheet would evaluate (leading `=`, `+`, `-`, `@`, tab, CR, and their
  full-width forms) gets a leading apostrophe, the OWASP recommendation; plain numbers
  (`-12,5`) are left alone.
"""

from __future__ import annotations

import re
from typing import Any

# What openpyxl/Excel reject in a cell (XML 1.0 forbids them): C0 controls except \t \n \r.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)*$")
ERROR_CODES = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"})
_CONTROL_ANY = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def excel_text(value: str) -> str:
    """`value` without the control characters Excel cannot store."""
    return _ILLEGAL.sub("", value)


def looks_like_formula(value: str) -> bool:
    """True when a spreadsheet could evaluate `value` (formula, DDE, error code)."""
    return (value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(value)) \
        or value in ERROR_CODES


def csv_value(value: Any) -> Any:
    """A CSV field: text cleaned and, when a spreadsheet would evaluate it, quoted with `'`."""
    if not isinstance(value, str):
        return value
    value = excel_text(value)
    return "'" + value if looks_like_formula(value) else value


def force_text(cell: Any) -> Any:
    """Make an openpyxl cell holding a string a plain text cell (never 'f' or 'e')."""
    if isinstance(cell.value, str) and cell.data_type in ("f", "e"):
        cell.data_type = "s"
    return cell


def text_cell(ws: Any, value: str) -> Any:
    """A write-only cell holding `value` as text, whatever it starts with."""
    from openpyxl.cell import WriteOnlyCell

    return force_text(WriteOnlyCell(ws, value=excel_text(value)))


def printable(value: str, limit: int = 200) -> str:
    """`value` for a message or a terminal: control characters shown escaped, length capped."""
    out = _CONTROL_ANY.sub(lambda m: m.group(0).encode("unicode_escape").decode(), value)
    return out if len(out) <= limit else out[: limit - 1] + "…"


def has_control(value: str) -> bool:
    """True when a form field carries a control character (tabs and newlines included)."""
    return bool(_CONTROL_ANY.search(value or ""))


_HEADER_CELL = re.compile(r"^[\w\s%().,/#'&+-]{1,40}$")


def header_preview(cells: list[Any], limit: int = 8) -> str | None:
    """A short, sanitised preview of a header row, only if it looks like a table's header.

    Rejection messages reach logs, XCom and `load_reject`; a file that is not tabular (a
    password file, a key) must never be quoted there.
    """
    shown = [str(c).strip() for c in cells[:limit] if c not in (None, "")]
    if len(shown) < 2 or not all(_HEADER_CELL.match(c) for c in shown):
        return None
    return ", ".join(printable(c, 40) for c in shown)
