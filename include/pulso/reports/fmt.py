"""es-CO formats for everything a reader sees: 12.345 / 12,3 % / 05/10/2026 / octubre de 2026.

Plain-Python (no pandas import at module level) so templates and DAG-side code can use it.
Missing values (None, NaN, NaT) render as MISSING, never as 0.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

from pulso.core.periods import MONTHS_ES
from pulso.core.vocab import NETWORK_LABELS

MISSING = "—"
NO_DATA = "sin datos"
EMPTY_PERIOD = "Sin datos para este periodo"
WEEKDAYS_ES = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
WEEKDAYS_SHORT = ("lun", "mar", "mié", "jue", "vie", "sáb", "dom")


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


def _group(s: str) -> str:
    """Swap the en-US separators of a formatted number for es-CO ones."""
    return s.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def num(v: Any, decimals: int = 0) -> str:
    """12.345 or, with decimals, 12.345,6; MISSING for None/NaN; strings pass through."""
    if isinstance(v, str):
        return v
    if is_missing(v):
        return MISSING
    x = float(v)
    if decimals:
        x = 0.0 if round(x, decimals) == 0 else x  # no "-0,0"
        return _group(f"{x:,.{decimals}f}")
    r = round(x)
    return _group(f"{r if r != 0 else 0:,}")


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
    return f"{num(float(v) * 100, decimals)} %"


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
    return d.strftime("%d/%m/%Y") if d is not None else ""


def day_time(v: Any) -> str:
    """dd/mm/aaaa hh:mm (24 h); '' when missing. Convert to Bogotá before calling."""
    d = _as_datetime(v)
    if d is None:
        return ""
    if not isinstance(d, datetime):
        return d.strftime("%d/%m/%Y")
    return d.strftime("%d/%m/%Y %H:%M")


def month_label(v: Any) -> str:
    """'octubre de 2026' from a date, a Period or a 'YYYY-MM' key."""
    if hasattr(v, "label") and hasattr(v, "start"):
        v = v.start
    if isinstance(v, str):
        y, m = v.split("-")[:2]
        return f"{MONTHS_ES[int(m) - 1]} de {int(y)}"
    return f"{MONTHS_ES[v.month - 1]} de {v.year}"


def month_short(v: Any) -> str:
    """'oct. 2026' for chart axes."""
    if hasattr(v, "label") and hasattr(v, "start"):
        v = v.start
    if isinstance(v, str):
        y, m = v.split("-")[:2]
        v = date(int(y), int(m), 1)
    name = MONTHS_ES[v.month - 1]
    return f"{name[:3]}. {v.year}" if len(name) > 4 else f"{name} {v.year}"


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
