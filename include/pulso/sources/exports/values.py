"""Cell values as the networks' export files write them: localized numbers and dates.

Exports mix English and Spanish conventions ("1,200" and "1.200" both mean 1200), compact
counts ("1.2K", "1,2 mil", "3M"), dashes for "no data", and many date spellings. Every parser
here returns None for "no value" and raises `BadValue` for text it cannot read, so a bad cell
rejects its row with a reason instead of loading a wrong figure.

Separator rule (numbers): a single "," or "." followed by exactly three digits is a thousands
separator ("1,200" = "1.200" = 1200); otherwise it is the decimal mark ("1.5", "1,5"). With
both present, the last one is the decimal mark ("1.234,5", "1,234.5"). With a scale suffix
(K, M, mil, millones) the separator is always decimal ("1,2 mil" = 1200).

Date rule (dd/mm vs mm/dd): `infer_day_first` looks at a whole column; any value whose first
part is > 12 proves dd/mm, any whose second part is > 12 proves mm/dd; when the column never
disambiguates, Spanish exports are read dd/mm and English ones mm/dd (the networks' US-English
UI writes month first). A column that proves both orders is rejected row by row.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

NULL_TOKENS = frozenset({"", "-", "--", "—", "–", "n/a", "na", "nan", "null", "none", "n.d.",
                         "nd", "sin datos", "(not set)", "undefined"})

_SUFFIXES: dict[str, float] = {
    "k": 1e3, "mil": 1e3, "m": 1e6, "mm": 1e6, "mill": 1e6, "millon": 1e6, "millones": 1e6,
    "mn": 1e6, "b": 1e9, "bn": 1e9,
}
_NUM_RE = re.compile(r"^([+-]?)([0-9][0-9.,\s\u00a0\u202f']*)\s*([a-z]*)\.?$")

_THOUSANDS = re.compile(r"[1-9][0-9]{0,2}(?:,[0-9]{3})+|[1-9][0-9]{0,2}(?:\.[0-9]{3})+")


class BadValue(ValueError):
    """A cell that cannot be read as the value its column needs."""


class NoYear(BadValue):
    """A day and month without a year ("February 28", "8 de marzo"): the file must supply it."""

    def __init__(self, text: str, month: int, day: int, clock: time):
        super().__init__(f"date without a year: {text!r}")
        self.month, self.day, self.clock = month, day, clock


def _fold(s: str) -> str:
    """Lowercase without accents: 'Únicos' -> 'unicos'."""
    if s.isascii():
        return s.lower()
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).lower()


def is_null(v: object) -> bool:
    if v is None:
        return True
    if isinstance(v, float) and v != v:
        return True
    return isinstance(v, str) and v.strip().lower() in NULL_TOKENS


def _plain_number(body: str, scaled: bool) -> float:
    s = re.sub(r"[\s\u00a0\u202f']", "", body)
    commas, dots = s.count(","), s.count(".")
    if commas and dots:
        dec = "," if s.rfind(",") > s.rfind(".") else "."
        thou = "." if dec == "," else ","
        if s.count(dec) > 1:
            raise BadValue("two decimal marks")
        s = s.replace(thou, "").replace(dec, ".")
    elif commas or dots:
        sep = "," if commas else "."
        parts = s.split(sep)
        if len(parts) > 2:  # 1.200.300 / 1,200,300: only thousands separators
            if not all(len(p) == 3 for p in parts[1:]):
                raise BadValue("misplaced thousands separator")
            s = "".join(parts)
        elif len(parts[1]) == 3 and not scaled and parts[0] not in ("", "0"):
            s = "".join(parts)
        else:
            s = parts[0] + "." + parts[1]
    return float(s)


def parse_number(v: object) -> float | int | None:
    """'1,200' -> 1200, '1.2K' -> 1200, '12%' -> 0.12, '—' -> None; BadValue otherwise.

    Whole results are returned as int; scaled values ('1.25K') are rounded to a whole count.
    """
    if v is None or isinstance(v, bool):
        if isinstance(v, bool):
            raise BadValue(f"expected a number, got {v!r}")
        return None
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        if v != v:
            return None
        return int(v) if v.is_integer() else v
    s = str(v).strip()
    if s.isdigit() and s.isascii():  # the common case, kept cheap for large exports
        return int(s)
    if _THOUSANDS.fullmatch(s):  # "1,200" / "1.200.300": same result as the rule below
        return int(s.replace(",", "").replace(".", ""))
    if s.lower() in NULL_TOKENS:
        return None
    percent = s.endswith("%")
    if percent:
        s = s[:-1].strip()
    m = _NUM_RE.match(_fold(s))
    if not m:
        raise BadValue(f"not a number: {v!r}")
    sign, body, suffix = m.groups()
    factor = 1.0
    if suffix:
        if suffix not in _SUFFIXES or percent:
            raise BadValue(f"not a number: {v!r}")
        factor = _SUFFIXES[suffix]
    try:
        x = _plain_number(body.strip(), scaled=bool(suffix))
    except (BadValue, ValueError):
        raise BadValue(f"not a number: {v!r}") from None
    x *= factor
    if sign == "-":
        x = -x
    if percent:
        return x / 100.0
    if suffix:
        return int(round(x))
    return int(x) if x.is_integer() else x


def parse_count(v: object) -> int | None:
    """A count (views, likes...): a whole number or None."""
    x = parse_number(v)
    if x is None:
        return None
    if isinstance(x, float):
        raise BadValue(f"expected a whole number, got {v!r}")
    return x


# ---------------------------------------------------------------------------------------------
# dates

MONTHS: dict[str, int] = {}
for _i, _names in enumerate([
    ("jan", "january", "ene", "enero", "janeiro"), ("feb", "february", "febrero", "fev",
                                                       "fevereiro"),
    ("mar", "march", "marzo", "marco"), ("apr", "april", "abr", "abril"),
    ("may", "mayo", "mai", "maio"), ("jun", "june", "junio", "junho"),
    ("jul", "july", "julio", "julho"), ("aug", "august", "ago", "agosto"),
    ("sep", "sept", "september", "septiembre", "set", "setiembre", "setembro"),
    ("oct", "october", "octubre", "out", "outubro"), ("nov", "november", "noviembre", "novembro"),
    ("dec", "december", "dic", "diciembre", "dez", "dezembro"),
], start=1):
    for _n in _names:
        MONTHS[_n] = _i

_WEEKDAYS = {"mon", "tue", "wed", "thu", "fri", "sat", "sun", "monday", "tuesday", "wednesday",
             "thursday", "friday", "saturday", "sunday", "lun", "mar", "mie", "jue", "vie",
             "sab", "dom", "lunes", "martes", "miercoles", "jueves", "viernes", "sabado",
             "domingo"}
_EXCEL_EPOCH = date(1899, 12, 30)
_NUMERIC_DATE = re.compile(r"^(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})$")
_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?\s?m\.?)?$")
_OFFSET_RE = re.compile(r"\s+((utc|gmt)?\s*([+-])(\d{2}):?(\d{2})|(utc|gmt|z))$")
_ISO_RE = re.compile(r"^\d{4}-\d{2}-\d{2}([t ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(z|[+-]\d{2}:?\d{2})?$")


def excel_serial(n: float) -> datetime:
    """Excel's day count (1900 system, as every network export uses)."""
    if not 1 <= n < 2958466:
        raise BadValue(f"not an Excel date serial: {n!r}")
    return datetime.combine(_EXCEL_EPOCH, time()) + timedelta(days=float(n))


# same answer as `numeric_date_parts` for a value that starts with a numeric date token
_LEAD_PARTS = re.compile(r"(\d{1,3})[/.-](\d{1,2})[/.-]\d{1,4}(?=[ T]|$)")


def numeric_date_parts(s: str) -> tuple[int, int] | None:
    """The two leading parts of 'a/b/yyyy' (to infer day-first), or None."""
    m = _NUMERIC_DATE.match(s.strip().split(" ")[0].split("T")[0])
    if not m or len(m.group(1)) == 4:
        return None
    return int(m.group(1)), int(m.group(2))


def infer_day_first(values: list[object], default: bool) -> bool:
    """dd/mm or mm/dd for a whole column; `default` when no value decides (see module doc)."""
    day_first = month_first = False
    lead = _LEAD_PARTS.match
    for v in values:
        if not isinstance(v, str):
            continue
        m = lead(v)  # the usual "06/14/2026 09:05", without the general splitting below
        if m is not None:
            a, b = int(m[1]), int(m[2])
        else:
            parts = numeric_date_parts(v)
            if parts is None:
                continue
            a, b = parts
        day_first |= a > 12
        month_first |= b > 12
        if day_first and month_first:
            break
    if day_first and not month_first:
        return True
    if month_first and not day_first:
        return False
    return default


def _parse_time(s: str) -> time:
    m = _TIME_RE.match(s.strip())
    if not m:
        raise BadValue(f"not a time: {s!r}")
    h, mi, sec = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
    ampm = (m.group(4) or "").replace(".", "").replace(" ", "")
    if ampm:
        if not 1 <= h <= 12:
            raise BadValue(f"not a time: {s!r}")
        h = h % 12 + (12 if ampm == "pm" else 0)
    return time(h, mi, sec)


def _parse_text_date(s: str, day_first: bool) -> datetime:
    """Dates written out in words or digits, with an optional time."""
    t = _fold(s).strip()
    if _ISO_RE.match(t):
        return datetime.fromisoformat(t.upper().replace("Z", "+00:00"))
    # a trailing UTC offset ("2019-01-31 20:47 +0000", legacy Twitter Analytics)
    tz_m = _OFFSET_RE.search(t)
    if tz_m:
        naive = _parse_text_date(t[: tz_m.start()], day_first)
        if naive.tzinfo is not None:
            raise BadValue(f"not a date: {s!r}")
        sign, hh, mm = tz_m.group(3), tz_m.group(4), tz_m.group(5)
        offset = timedelta(hours=int(hh or 0), minutes=int(mm or 0))
        return naive.replace(tzinfo=timezone(-offset if sign == "-" else offset))
    # split off a trailing time ("06/06/2026 10:15", "jun 6, 2026, 9:05 a. m.")
    tm = re.search(r"[ ,t](\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?\s?m\.?)?)$", t)
    clock = time()
    if tm:
        clock = _parse_time(tm.group(1))
        t = t[: tm.start()].rstrip(" ,t")
    num = _NUMERIC_DATE.match(t)
    if num:
        a, b, c = (int(x) for x in num.groups())
        if len(num.group(1)) == 4:  # 2026/06/06
            y, mo, d = a, b, c
        else:
            y = c if c >= 100 else 2000 + c
            d, mo = (a, b) if day_first else (b, a)
        return datetime.combine(date(y, mo, d), clock)
    words = [w for w in re.split(r"[\s,./-]+", t) if w and w != "de" and w != "del"]
    words = [w for w in words if w not in _WEEKDAYS or w in MONTHS]
    month = day = year = None
    rest: list[int] = []
    for w in words:
        if w.isdigit():
            rest.append(int(w))
        elif w in MONTHS and month is None:
            month = MONTHS[w]
        elif w in _WEEKDAYS:
            continue
        else:
            raise BadValue(f"not a date: {s!r}")
    if month is not None and len(rest) == 1 and 1 <= rest[0] <= 31:
        raise NoYear(s, month, rest[0], clock)
    if month is None or len(rest) != 2:
        raise BadValue(f"not a date: {s!r}")
    if rest[0] > 31:
        year, day = rest
    else:
        day, year = rest
    if year < 100:
        year += 2000
    return datetime.combine(date(year, month, day), clock)


# "06/14/2026 09:05", "14/06/2026 9:05:30", "2026-06-14 09:05:00": the shapes of almost every
# cell in a large export, parsed without the general path (which gives the same result)
_FAST_DMY = re.compile(
    r"(\d{1,2})([/.-])(\d{1,2})\2([1-9]\d{3})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_FAST_ISO = re.compile(r"([1-9]\d{3})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?")
_UTC = ZoneInfo("UTC")


def _fast_datetime(s: str, day_first: bool) -> datetime | None:
    """The common numeric shapes, or None to let the general parser decide (and word errors)."""
    m = _FAST_DMY.fullmatch(s)
    if m:
        a, _sep, b, y, h, mi, sec = m.groups()
        d, mo = (a, b) if day_first else (b, a)
    else:
        m = _FAST_ISO.fullmatch(s)
        if not m:
            return None
        y, mo, d, h, mi, sec = m.groups()
    try:
        if h is None:
            return datetime(int(y), int(mo), int(d))
        return datetime(int(y), int(mo), int(d), int(h), int(mi), int(sec or 0))
    except ValueError:
        return None


def parse_datetime(v: object, *, day_first: bool = True,
                   tz: str | None = None) -> datetime | None:
    """A timestamp from an export cell; naive values are taken in `tz` (if given) -> UTC-aware.

    Accepts datetime/date objects (XLSX cells), Excel serial numbers, ISO strings, numeric
    dates and dates with English or Spanish month names.
    """
    if type(v) is str:
        dt = _fast_datetime(v, day_first)
        if dt is not None:
            return dt if tz is None else dt.replace(tzinfo=ZoneInfo(tz)).astimezone(_UTC)
    if is_null(v):
        return None
    if isinstance(v, datetime):
        dt = v
    elif isinstance(v, date):
        dt = datetime.combine(v, time())
    elif isinstance(v, (int, float)) and not isinstance(v, bool):
        dt = excel_serial(v)
    else:
        s = str(v).strip()
        if re.fullmatch(r"\d{5}(\.\d+)?", s):
            dt = excel_serial(float(s))
        else:
            try:
                dt = _parse_text_date(s, day_first)
            except BadValue:
                raise
            except (ValueError, OverflowError):
                raise BadValue(f"not a date: {v!r}") from None
    if tz is not None:
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=ZoneInfo(tz))
        dt = dt.astimezone(_UTC)
    return dt


def parse_date(v: object, *, day_first: bool = True) -> date | None:
    """A calendar day from an export cell (the time part, if any, is the day's start)."""
    dt = parse_datetime(v, day_first=day_first)
    return None if dt is None else dt.date()


def assign_years(items: list[tuple[int, NoYear]], *, first_year: int | None = None,
                 start: date | None = None, end: date | None = None,
                 series: bool = True) -> dict[int, date]:
    """Years for day-month cells, keyed by line: a daily series rolls over the new year.

    A series ("February 28", "March 1", ... "February 27") is read in file order, ascending
    or descending (whichever most steps go); a step against that order is a new year. The
    series is placed by, in order: `first_year` (the earliest day's year, e.g. `--year`),
    `start` (first day of the period in the file name: the earliest day falls on or after
    it), else `end` (export day: the latest day falls on or before it). Cells that are not a
    series (a post's publish day) each take the latest year not after `end`. A day that does
    not exist in its year (29 February) is left out (its row is rejected).
    """
    if not items:
        return {}
    keys = [(x.month, x.day) for _, x in items]
    if series and len(items) > 1:
        up = sum(1 for a, b in zip(keys, keys[1:], strict=False) if b > a)
        down = sum(1 for a, b in zip(keys, keys[1:], strict=False) if b < a)
        ascending = up >= down
        rel = [0]
        for a, b in zip(keys, keys[1:], strict=False):
            step = 0
            if ascending and b < a:
                step = 1
            elif not ascending and b > a:
                step = -1
            rel.append(rel[-1] + step)
    else:
        rel = [0] * len(items)
    lo, hi = min(rel), max(rel)
    earliest = min(k for k, r in zip(keys, rel, strict=False) if r == lo)
    latest = max(k for k, r in zip(keys, rel, strict=False) if r == hi)
    if not series:
        anchor = end or date.today()
        out: dict[int, date] = {}
        for (line, x), k in zip(items, keys, strict=False):
            y = anchor.year if k <= (anchor.month, anchor.day) else anchor.year - 1
            try:
                out[line] = date(y, x.month, x.day)
            except ValueError:
                continue
        return out
    if first_year is not None:
        base = first_year - lo
    elif start is not None:
        y = start.year if earliest >= (start.month, start.day) else start.year + 1
        base = y - lo
    else:
        anchor = end or date.today()
        y = anchor.year if latest <= (anchor.month, anchor.day) else anchor.year - 1
        base = y - hi
    out = {}
    for (line, x), r in zip(items, rel, strict=False):
        try:
            out[line] = date(base + r, x.month, x.day)
        except ValueError:
            continue
    return out
