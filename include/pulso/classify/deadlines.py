"""Legal response terms for PQRS, in Colombian business days (Ley 1755 de 2015, art. 14).

Business days exclude Saturdays, Sundays, national holidays (Ley 4 de 1913 art. 62, with the
Ley Emiliani moves and Ley 2578 de 2026, as implemented by the `holidays` package) and any
extra closing days the entity declares (a "día cívico", a district decree).

Counting rules encoded here:

* A message received on a non-business day, or on a business day at/after office closing time
  (Bogotá local time), counts as received on the next business day (common practice).
* The term counts from the business day *after* the receipt day, so a 15-day term on a
  message received on business day D is due on the 15th business day after D.
* Terms depend on when the petition was received: Decreto 491 de 2020 (art. 5) raised them to
  30 (general) / 20 (information) / 35 (consulta) during the COVID health emergency, and
  Ley 2207 de 2022 restored the Ley 1755 terms for petitions received from 18 May 2022.
  Assumptions (documented, not verified against the official gazette here): the emergency
  terms apply to petitions received from 2020-03-28 (Decreto 491 published) through
  2022-05-17 inclusive, judged on the receipt day as defined above; quejas, reclamos,
  sugerencias and denuncias follow the general-petition term in both regimes, since Ley 1755
  treats them as petitions. Extensions (art. 14 parágrafo) are case decisions, not computed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from pulso.core.config import DEFAULT_TIMEZONE

if TYPE_CHECKING:
    import numpy as np

# Ley 1755 de 2015 art. 14 terms, in business days, keyed by pqrs kind.
TERMS: dict[str, int] = {
    "peticion_general": 15,
    "peticion_informacion": 10,
    "peticion_consulta": 30,
    "queja": 15,
    "reclamo": 15,
    "sugerencia": 15,
    "denuncia": 15,
}

# Decreto 491 de 2020 art. 5 terms during the COVID emergency.
EMERGENCY_TERMS: dict[str, int] = {
    "peticion_general": 30,
    "peticion_informacion": 20,
    "peticion_consulta": 35,
    "queja": 30,
    "reclamo": 30,
    "sugerencia": 30,
    "denuncia": 30,
}

EMERGENCY_START = date(2020, 3, 28)
EMERGENCY_END = date(2022, 5, 17)  # Ley 2207 de 2022 restores ordinary terms from 2022-05-18

# PQRS types with no legal response term (felicitaciones are tracked, not petitions).
NO_TERM_TYPES = frozenset({"felicitacion"})


def term_key(pqrs_type: str, subtype: str | None = None) -> str | None:
    """Map a screened (type, subtype) to a TERMS key; None when the type has no legal term."""
    if pqrs_type in NO_TERM_TYPES:
        return None
    if pqrs_type == "peticion":
        return f"peticion_{subtype or 'general'}"
    return pqrs_type


def term_days(kind: str, received_on: date) -> int | None:
    """Term in business days for `kind` (a TERMS key or a plain type) received on a date.

    Returns None for kinds without a legal term (felicitacion). Raises KeyError for unknown kinds
    so a typo never silently yields a wrong deadline.
    """
    if kind in NO_TERM_TYPES:
        return None
    if kind == "peticion":
        kind = "peticion_general"
    if kind not in TERMS:
        raise KeyError(f"unknown PQRS kind {kind!r}; expected one of {sorted(TERMS)}")
    if EMERGENCY_START <= received_on <= EMERGENCY_END:
        return EMERGENCY_TERMS[kind]
    return TERMS[kind]


@lru_cache(maxsize=8)
def _co_holidays_for(years: tuple[int, ...]) -> frozenset[date]:
    import holidays  # lazy: keep DAG-parse imports light

    return frozenset(holidays.CO(years=list(years), language="es").keys())


class BusinessCalendar:
    """Colombian business-day arithmetic with entity-specific closing days and office hours."""

    def __init__(
        self,
        extra_closed_days: Iterable[date] = (),
        office_close: time = time(17, 0),
        tz: str = DEFAULT_TIMEZONE,
    ) -> None:
        self.extra_closed_days = frozenset(extra_closed_days)
        self.office_close = office_close
        self.tz = ZoneInfo(tz)
        self._holidays: set[date] = set()
        self._years: set[int] = set()

    @classmethod
    def from_config(cls, config) -> BusinessCalendar:
        """The entity's calendar: its extra closed days, office close time and time zone."""
        return cls(extra_closed_days=config.office.extra_closed_days,
                   office_close=config.office.close_time, tz=config.entity.timezone)

    def _ensure_year(self, year: int) -> None:
        if year not in self._years:
            # load neighbours too: a term near year end crosses into the next year
            wanted = {year - 1, year, year + 1} - self._years
            self._holidays |= _co_holidays_for(tuple(sorted(wanted)))
            self._years |= wanted

    def is_holiday(self, d: date) -> bool:
        """True for national holidays and the entity's extra closed days."""
        self._ensure_year(d.year)
        return d in self._holidays or d in self.extra_closed_days

    def is_business_day(self, d: date) -> bool:
        """Monday to Friday and neither a national holiday nor an extra closed day."""
        if isinstance(d, datetime):
            d = d.date()
        return d.weekday() < 5 and not self.is_holiday(d)

    def next_business_day(self, d: date) -> date:
        """First business day on or after `d`."""
        while not self.is_business_day(d):
            d += timedelta(days=1)
        return d

    def to_local(self, received_at: datetime) -> datetime:
        """Naive datetimes are UTC (the warehouse convention); aware ones are converted."""
        if received_at.tzinfo is None:
            received_at = received_at.replace(tzinfo=UTC)
        return received_at.astimezone(self.tz)

    def receipt_day(self, received_at: datetime | date) -> date:
        """The business day a message counts as received on.

        Non-business days and times at/after office close roll to the next business day. A plain
        date (no time) is taken as received during office hours of that day.
        """
        if isinstance(received_at, datetime):
            local = self.to_local(received_at)
            d = local.date()
            if self.is_business_day(d) and local.time() >= self.office_close:
                d += timedelta(days=1)
        else:
            d = received_at
        return self.next_business_day(d)

    def add_business_days(self, d: date, n: int) -> date:
        """The n-th business day after `d` (n >= 0; n == 0 returns `d` unchanged)."""
        if n < 0:
            raise ValueError("n must be >= 0")
        cache = self.__dict__.setdefault("_add_cache", {})  # the calendar never changes
        hit = cache.get((d, n))
        if hit is not None:
            return hit
        start, left = d, n
        while left > 0:
            d += timedelta(days=1)
            if self.is_business_day(d):
                left -= 1
        cache[(start, n)] = d
        return d

    def due_date(self, received_at: datetime | date, term_days: int) -> date:
        """Last day to answer: `term_days` business days counted from the day after receipt."""
        return self.add_business_days(self.receipt_day(received_at), term_days)

    def due_date_for(
        self, received_at: datetime | date, pqrs_type: str, subtype: str | None = None
    ) -> date | None:
        """Due date for a screened message, using the term in force on its receipt day."""
        key = term_key(pqrs_type, subtype)
        if key is None:
            return None
        start = self.receipt_day(received_at)
        days = term_days(key, start)
        return None if days is None else self.add_business_days(start, days)

    def busday_calendar(self, years: Iterable[int]) -> np.busdaycalendar:
        """numpy business-day calendar (Mon-Fri, holidays and extra closed days) that covers
        `years` and their neighbours, for the vectorised `due_dates`."""
        import numpy as np

        for y in years:
            self._ensure_year(int(y))
        closed = self._holidays | self.extra_closed_days
        cached = self.__dict__.get("_busdaycal")
        if cached is None or cached[0] != len(closed):  # closed days only ever grow
            days = np.array(sorted(closed), dtype="datetime64[D]")
            cached = self.__dict__["_busdaycal"] = (
                len(closed), np.busdaycalendar(weekmask="1111100", holidays=days))
        return cached[1]

    def due_dates(self, local_days: np.ndarray, after_close: np.ndarray,
                  types: Sequence[str | None], subtypes: Sequence[str | None]) -> np.ndarray:
        """`due_date_for` for a whole batch, with numpy business-day arithmetic.

        `local_days`: receipt calendar day in the calendar's time zone (datetime64[D], NaT for
        no time); `after_close`: received at/after office close that day; `types`/`subtypes`
        per row. Returns datetime64[D], NaT where there is no type, no term or no time.
        Identical to `due_date_for` row by row (tests/classify/test_deadlines.py).
        """
        import numpy as np

        local_days = np.asarray(local_days, dtype="datetime64[D]")
        after_close = np.asarray(after_close, dtype=bool)
        out = np.full(len(local_days), np.datetime64("NaT"), dtype="datetime64[D]")
        codes: dict[tuple, int] = {}  # distinct (type, subtype) -> code
        code = np.fromiter((codes.setdefault(p, len(codes)) for p in zip(types, subtypes,
                                                                         strict=True)),
                           dtype=np.int64, count=len(local_days))
        keys = [term_key(ptype, sub) if ptype is not None else None for ptype, sub in codes]
        for key in keys:  # an unknown kind raises KeyError, as in due_date_for
            if key is not None:
                term_days(key, date.min)
        has_term = np.array([k is not None for k in keys], dtype=bool)
        rows = np.flatnonzero(~np.isnat(local_days) & has_term[code])
        if not len(rows):
            return out
        day = local_days[rows]
        years = np.unique(day.astype("datetime64[Y]").astype(np.int64) + 1970)
        cal = self.busday_calendar(years.tolist())
        # receipt_day: a business day at/after close counts as the next day; then roll forward.
        late = after_close[rows] & np.is_busday(day, busdaycal=cal)
        start = np.busday_offset(day + late.astype("timedelta64[D]"), 0, roll="forward",
                                 busdaycal=cal)
        # The term in force on the receipt day (term_days), once per distinct (kind, day).
        c = code[rows]
        pairs, which = np.unique(np.stack([c, start.view(np.int64)]), axis=1, return_inverse=True)
        terms = np.array([term_days(keys[k], np.datetime64(d, "D").item())
                          for k, d in pairs.T.tolist()], dtype=np.int64)
        term = terms[which.ravel()]
        out[rows] = np.busday_offset(start, term, roll="forward", busdaycal=cal)
        return out

    def business_days_between(self, a: date, b: date) -> int:
        """Business days in (a, b]: how many business days after `a` up to and including `b`.

        Negative when b < a, so `business_days_between(due, today) > 0` means overdue.
        """
        if isinstance(a, datetime):
            a = a.date()
        if isinstance(b, datetime):
            b = b.date()
        if b < a:
            return -self.business_days_between(b, a)
        count = 0
        d = a
        while d < b:
            d += timedelta(days=1)
            if self.is_business_day(d):
                count += 1
        return count
