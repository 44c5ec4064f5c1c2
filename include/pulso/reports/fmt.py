"""es-CO formats for everything a reader sees: 12.345 / 12,3 % / 05/10/2026 / octubre de 2026.

Numbers, dates and month and weekday names come from CLDR's es_CO data through Babel (one
locale, `LOCALE`); the only house rules kept here are a space before '%', no "-0,0", and
missing values (None, NaN, NaT) rendering as MISSING, never as 0. No pandas import at module
level, so templates and DAG-side code can use it.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from functools import cache
from typing import Any

from babel import Locale
from babel.dates import format_date, get_day_names, get_month_names
from babel.numbers import NumberPattern, parse_pattern

from pulso.core.periods import LOCALE
from pulso.core.vocab import NETWORK_LABELS

_LOCALE = Locale.parse(LOCALE)
MISSING = "—"
NO_DATA = "sin datos"
EMPTY_PERIOD = "Sin datos para este periodo"
MONTHS_ES = tuple(get_month_names("wide", locale=_LOCALE)[m] for m in range(1, 13))
WEEKDAYS_ES = tuple(get_day_names("wide", locale=_LOCALE)[d] for d in range(7))  # Monday first
WEEKDAYS_SHORT = tuple(get_day_names("abbreviated", locale=_LOCALE)[d] for d in range(7))


def is_missing(v: Any) -> bool:
    """None, float NaN, pandas NA/NaT."""
    if v is None:
        return True
    if isinstance(v, float):
        return math.isnan(v)
    if isinstance(v, str):
        return False
    try:
        return bool(v != v)  # NaN-like (numpy.nan, pd.NA raises TypeError)
    except TypeError:
        return True


@cache
def _pattern(decimals: int, percent: bool = False) -> NumberPattern:
    """The CLDR number pattern with a fixed number of decimals (percent: with ' %')."""
    frac = "." + "0" * decimals if decimals else ""
    return parse_pattern(f"#,##0{frac}" + (" %" if percent else ""))


def num(v: Any, decimals: int = 0) -> str:
    """12.345 or, with decimals, 12.345,6; MISSING for None/NaN; strings pass through."""
    if isinstance(v, str):
        return v
    if is_missing(v):
        return MISSING
    x = float(v)
    if round(x, decimals) == 0:
        x = 0.0  # no "-0" / "-0,0"
    return _pattern(decimals).apply(x, _LOCALE)


def signed_num(v: Any, decimals: int = 0) -> str:
    """+1.234 / -56 / 0 (the sign tells growth from decline)."""
    if is_missing(v) or isinstance(v, str):
        return num(v, decimals)
    s = num(v, decimals)
    return ("+" + s) if float(v) > 0 and s.strip("0,.") else s


def pct(v: Any, decimals: int = 1) -> str:
    """A share (0..1) as '12,3 %'; MISSING when missing or not computable."""
    if isinstance(v, str):
        return v
    if is_missing(v) or math.isinf(float(v)):
        return MISSING
    x = float(v)
    if round(x * 100, decimals) == 0:
        x = 0.0
    return _pattern(decimals, percent=True).apply(x, _LOCALE)


def signed_pct(v: Any, decimals: int = 1) -> str:
    """+12,3 % / -4,0 %."""
    if isinstance(v, str) or is_missing(v) or math.isinf(float(v)):
        return pct(v, decimals)
    s = pct(v, decimals)
    return ("+" + s) if float(v) > 0 and s.replace("%", "").strip().strip("0,.") else s


def share(part: Any, whole: Any) -> float | None:
    """part / whole, or None when either is missing or whole is 0 (no fake 0 %)."""
    if is_missing(part) or is_missing(whole) or float(whole) == 0:
        return None
    return float(part) / float(whole)


def change(current: Any, previous: Any) -> float | None:
    """Relative change (current - previous) / previous; None when not computable."""
    if is_missing(current) or is_missing(previous) or float(previous) == 0:
        return None
    return (float(current) - float(previous)) / float(previous)


def _as_datetime(v: Any) -> datetime | date | None:
    if is_missing(v):
        return None
    if isinstance(v, datetime | date):
        return v
    if hasattr(v, "to_pydatetime"):
        return v.to_pydatetime()
    if isinstance(v, str):
        try:
            return datetime.fromisoformat(v)
        except ValueError:
            return None
    return None


def day(v: Any) -> str:
    """dd/mm/aaaa; '' when missing."""
    d = _as_datetime(v)
    return format_date(d, "dd/MM/y", locale=_LOCALE) if d is not None else ""


def day_time(v: Any) -> str:
    """dd/mm/aaaa hh:mm (24 h); '' when missing. Convert to the entity's zone before calling:
    the wall-clock time of `v` is shown as it is."""
    d = _as_datetime(v)
    if d is None:
        return ""
    if not isinstance(d, datetime):
        return day(d)
    return f"{day(d)} {d:%H:%M}"


def _month_start(v: Any) -> date:
    """The first day of the month of a date, a Period or a 'YYYY-MM' key."""
    if hasattr(v, "label") and hasattr(v, "start"):
        v = v.start
    if isinstance(v, str):
        y, m = v.split("-")[:2]
        return date(int(y), int(m), 1)
    return date(v.year, v.month, 1)


def month_name(v: Any) -> str:
    """'octubre' (CLDR es_CO) from a date, a Period or a 'YYYY-MM' key."""
    return MONTHS_ES[_month_start(v).month - 1]


def month_label(v: Any) -> str:
    """'octubre de 2026' from a date, a Period or a 'YYYY-MM' key."""
    return format_date(_month_start(v), "MMMM 'de' y", locale=_LOCALE)


def month_short(v: Any) -> str:
    """'oct. 2026' / 'sept. 2026' for chart axes (CLDR es_CO stand-alone abbreviation)."""
    return format_date(_month_start(v), "LLL y", locale=_LOCALE)


def hour_label(h: int) -> str:
    """'07:00'."""
    return f"{int(h):02d}:00"


def or_no_data(v: Any, formatter=num) -> str:
    """The formatted value, or 'sin datos' when missing (comparisons with absent months)."""
    return NO_DATA if is_missing(v) else formatter(v)


def printable(text: Any) -> str:
    """Text without emoji and other pictographs the PDF fonts cannot draw (they print as
    boxes); Spanish letters, punctuation and ordinary symbols stay."""
    import unicodedata

    if is_missing(text):
        return ""
    out = []
    for ch in str(text):
        cp = ord(ch)
        if cp in (0x200D, 0xFE0E, 0xFE0F) or 0x1F000 <= cp <= 0x1FAFF or 0x2600 <= cp <= 0x27BF:
            continue
        if unicodedata.category(ch) == "So" and cp > 0x2000:
            continue
        out.append(ch)
    return " ".join("".join(out).split())


FILTERS = {"num": num, "signed_num": signed_num, "pct": pct, "signed_pct": signed_pct,
           "day": day, "day_time": day_time, "month_label": month_label,
           "month_short": month_short, "hour_label": hour_label, "or_no_data": or_no_data,
           "printable": printable}


def network_label(network: Any) -> str:
    """'facebook' -> 'Facebook' (unknown names pass through)."""
    return NETWORK_LABELS.get(str(network), str(network))


FILTERS["network"] = network_label
