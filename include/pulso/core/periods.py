"""Reporting periods: a month ("2026-10") or a semester ("2026-S1"), in Bogotá days."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

LOCALE = "es_CO"  # CLDR locale of every text a reader sees (formats: pulso.reports.fmt)
_MONTH_RE = re.compile(r"^([0-9]{4})-([0-9]{2})$")
_SEMESTER_RE = re.compile(r"^([0-9]{4})-S([12])$", re.IGNORECASE)


class PeriodError(ValueError):
    """A period string that is not YYYY-MM or YYYY-S1/S2."""


@dataclass(frozen=True, order=True)
class Period:
    """An inclusive range of calendar days with a key and a Spanish label."""

    start: date
    end: date
    key: str
    kind: str  # "month" | "semester"

    @property
    def label(self) -> str:
        if self.kind == "month":
            from babel.dates import format_date

            return format_date(self.start, "MMMM 'de' y", locale=LOCALE)
        half = "primer" if self.start.month == 1 else "segundo"
        return f"{half} semestre de {self.start.year}"

    def days(self) -> list[date]:
        n = (self.end - self.start).days + 1
        return [self.start + timedelta(days=i) for i in range(n)]

    def previous(self) -> Period:
        return period_containing(self.start - timedelta(days=1), self.kind)

    def same_last_year(self) -> Period:
        return period_containing(self.start.replace(year=self.start.year - 1), self.kind)

    def months(self) -> list[Period]:
        out, d = [], self.start
        while d <= self.end:
            m = month(d.year, d.month)
            out.append(m)
            d = m.end + timedelta(days=1)
        return out


def month(year: int, month_no: int) -> Period:
    if not 1 <= month_no <= 12:
        raise PeriodError(f"month must be 01..12, got {month_no:02d}: use YYYY-MM (e.g. 2026-10)")
    start = date(year, month_no, 1)
    nxt = date(year + (month_no == 12), month_no % 12 + 1, 1)
    return Period(start, nxt - timedelta(days=1), f"{year:04d}-{month_no:02d}", "month")


def semester(year: int, half: int) -> Period:
    if half not in (1, 2):
        raise PeriodError(f"semester must be S1 or S2, got S{half}")
    start = date(year, 1 if half == 1 else 7, 1)
    end = date(year, 6, 30) if half == 1 else date(year, 12, 31)
    return Period(start, end, f"{year:04d}-S{half}", "semester")


def parse_period(value: str) -> Period:
    """Parse '2026-10' or '2026-S1'; raise PeriodError with the expected forms otherwise."""
    s = (value or "").strip()
    if (m := _MONTH_RE.match(s) or _SEMESTER_RE.match(s)) and not 2000 <= int(m.group(1)) <= 2100:
        raise PeriodError(f"periodo {value!r}: el año {int(m.group(1))} está fuera del rango "
                          "admitido (2000 a 2100)")
    if m := _MONTH_RE.match(s):
        return month(int(m.group(1)), int(m.group(2)))
    if m := _SEMESTER_RE.match(s):
        return semester(int(m.group(1)), int(m.group(2)))
    raise PeriodError(f"period {value!r} is not valid: use YYYY-MM (e.g. 2026-10) "
                      "or YYYY-S1 / YYYY-S2 (e.g. 2026-S1)")


def period_containing(d: date, kind: str) -> Period:
    if kind == "month":
        return month(d.year, d.month)
    if kind == "semester":
        return semester(d.year, 1 if d.month <= 6 else 2)
    raise PeriodError(f"unknown period kind {kind!r}")


def last_complete(kind: str, today: date | datetime) -> Period:
    """The last period of `kind` that ended before `today` (Bogotá date)."""
    if isinstance(today, datetime):
        today = today.date()
    return period_containing(today, kind).previous()


def resolve_run_period(kind: str, requested: str | None, *, run_type: str | None,
                       data_interval_start: datetime | None, now: datetime,
                       tz: tzinfo) -> Period:
    """The period a report DAG run covers.

    An explicit `period` param wins. A manual run without one reports the last complete
    period; a scheduled or backfill run reports the period its data interval starts in
    (in the entity's time zone `tz`), which is the previous month/semester of its run date.
    """
    if requested and requested.strip():
        period = parse_period(requested)
        if period.kind != kind:
            expected = "YYYY-MM" if kind == "month" else "YYYY-S1 o YYYY-S2"
            raise PeriodError(f"period {requested!r} is not a {kind}: use {expected}")
        return period
    if run_type == "manual" or data_interval_start is None:
        return last_complete(kind, now.astimezone(tz))
    return period_containing(data_interval_start.astimezone(tz).date(), kind)
