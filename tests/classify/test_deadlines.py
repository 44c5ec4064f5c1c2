"""Due dates under Ley 1755 de 2015 art. 14, checked against a hand-computed table.

Every expected date below was counted by hand on a calendar (weekends, Colombian holidays with
Ley Emiliani moves, Holy Week, Ley 2578 de 2026) and re-counted independently; the comment on
each row names the days that are skipped.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest

from pulso.classify.deadlines import TERMS, BusinessCalendar, term_days, term_key

BOG = timezone(timedelta(hours=-5))  # Bogotá has no DST


def at(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> datetime:
    """A Bogotá local timestamp."""
    return datetime(y, m, d, hh, mm, tzinfo=BOG)


CAL = BusinessCalendar()

# (received_at, term, expected due date, why)
TABLE = [
    (at(2026, 7, 1), 15, date(2026, 7, 24), "reference example; skips 13 Jul (Ley 2578) and 20 Jul"),
    (at(2026, 3, 30), 10, date(2026, 4, 15), "Holy Week 2026: Jueves 2 Apr, Viernes 3 Apr"),
    (at(2025, 4, 16), 15, date(2025, 5, 12), "Holy Week 2025 (17-18 Apr) and 1 May"),
    (at(2024, 3, 22), 15, date(2024, 4, 17), "San José moved to Mon 25 Mar 2024, Holy Week 28-29 Mar"),
    (at(2024, 12, 23), 10, date(2025, 1, 9), "year boundary: 25 Dec, 1 Jan, Reyes on Mon 6 Jan 2025"),
    (at(2026, 12, 22), 10, date(2027, 1, 7), "year boundary 2026/27: 25 Dec, 1 Jan"),
    (at(2025, 8, 15), 10, date(2025, 9, 1), "Emiliani: Asunción observed Mon 18 Aug 2025"),
    (at(2026, 7, 11), 15, date(2026, 8, 5), "Saturday receipt, Mon 13 Jul holiday: counts from Tue 14"),
    (at(2024, 11, 10), 15, date(2024, 12, 3), "Sunday receipt, Mon 11 Nov holiday: counts from Tue 12"),
    (at(2027, 7, 5), 30, date(2027, 8, 20), "holiday receipt (San Pedro obs.); 12 Jul, 20 Jul, 16 Aug skipped"),
    (at(2026, 7, 1, 17, 30), 15, date(2026, 7, 27), "after office hours: counts as received 2 Jul"),
    (at(2026, 7, 1, 16, 59), 15, date(2026, 7, 24), "one minute before closing: same day"),
    (at(2026, 7, 1, 17, 0), 15, date(2026, 7, 27), "exactly at closing counts as after hours"),
]


@pytest.mark.parametrize(("received", "term", "expected", "why"), TABLE)
def test_due_date_table(received: datetime, term: int, expected: date, why: str) -> None:
    assert CAL.due_date(received, term) == expected, why


def test_naive_datetimes_are_utc() -> None:
    # 21:59 UTC is 16:59 in Bogotá (before close); 22:00 UTC is 17:00 (closed)
    assert CAL.due_date(datetime(2026, 7, 1, 21, 59), 15) == date(2026, 7, 24)
    assert CAL.due_date(datetime(2026, 7, 1, 22, 0), 15) == date(2026, 7, 27)
    # 03:00 UTC on 2 Jul is 22:00 on 1 Jul in Bogotá: after hours of 1 Jul
    assert CAL.receipt_day(datetime(2026, 7, 2, 3, 0)) == date(2026, 7, 2)
    # 04:00 UTC on 1 Jul is 23:00 on 30 Jun: after hours of 30 Jun -> received 1 Jul
    assert CAL.receipt_day(datetime(2026, 7, 1, 4, 0)) == date(2026, 7, 1)
    aware_utc = datetime(2026, 7, 1, 22, 0, tzinfo=UTC)
    assert CAL.receipt_day(aware_utc) == date(2026, 7, 2)


def test_extra_closed_days_from_config() -> None:
    cal = BusinessCalendar(extra_closed_days=[date(2026, 12, 24), date(2026, 12, 31)])
    # 23 Dec (1), 24 closed, 25 holiday, 28-30 (2-4), 31 closed, 1 Jan holiday, 4-8 Jan (5-9),
    # Mon 11 Jan 2027 Reyes observed, 12 Jan (10)
    assert cal.due_date(at(2026, 12, 22), 10) == date(2027, 1, 12)
    assert not cal.is_business_day(date(2026, 12, 24))
    assert CAL.is_business_day(date(2026, 12, 24))
    # a message on an extra closed day counts from the next business day
    assert cal.receipt_day(at(2026, 12, 24)) == date(2026, 12, 28)


def test_office_close_is_configurable() -> None:
    cal = BusinessCalendar(office_close=time(16, 0))
    assert cal.receipt_day(at(2026, 7, 1, 16, 30)) == date(2026, 7, 2)
    assert CAL.receipt_day(at(2026, 7, 1, 16, 30)) == date(2026, 7, 1)


@pytest.mark.parametrize(
    ("d", "business"),
    [
        (date(2026, 7, 13), False),  # Ley 2578 de 2026, observed Monday
        (date(2026, 7, 9), True),  # the 9 July date itself moves to Monday
        (date(2026, 4, 2), False),  # Jueves Santo
        (date(2026, 4, 3), False),  # Viernes Santo
        (date(2027, 3, 25), False),  # Jueves Santo 2027
        (date(2025, 6, 30), False),  # Sagrado Corazón and San Pedro both on Mon 30 Jun 2025
        (date(2024, 1, 8), False),  # Reyes observed
        (date(2024, 1, 6), False),  # Saturday
        (date(2024, 1, 9), True),
    ],
)
def test_is_business_day(d: date, business: bool) -> None:
    assert CAL.is_business_day(d) is business


def test_add_and_between_are_inverse() -> None:
    assert CAL.add_business_days(date(2026, 7, 1), 0) == date(2026, 7, 1)
    assert CAL.business_days_between(date(2026, 7, 1), date(2026, 7, 24)) == 15
    assert CAL.business_days_between(date(2026, 7, 24), date(2026, 7, 1)) == -15
    assert CAL.business_days_between(date(2026, 7, 1), date(2026, 7, 1)) == 0
    # weekend days after a Friday add nothing
    assert CAL.business_days_between(date(2026, 7, 10), date(2026, 7, 13)) == 0
    start = date(2025, 12, 1)
    for n in (1, 10, 15, 30, 35):
        assert CAL.business_days_between(start, CAL.add_business_days(start, n)) == n
    with pytest.raises(ValueError):
        CAL.add_business_days(start, -1)


def test_emergency_terms_decreto_491() -> None:
    assert term_days("peticion_general", date(2021, 5, 10)) == 30
    assert term_days("peticion_informacion", date(2021, 5, 10)) == 20
    assert term_days("peticion_consulta", date(2021, 5, 10)) == 35
    assert term_days("queja", date(2020, 3, 28)) == 30
    assert term_days("queja", date(2020, 3, 27)) == 15
    assert term_days("peticion_informacion", date(2022, 5, 17)) == 20
    assert term_days("peticion_informacion", date(2022, 5, 18)) == 10
    assert term_days("peticion_consulta", date(2022, 5, 18)) == 30
    assert term_days("felicitacion", date(2021, 5, 10)) is None
    with pytest.raises(KeyError):
        term_days("peticion_urgente", date(2024, 1, 1))


@pytest.mark.parametrize(
    ("received", "pqrs_type", "subtype", "expected"),
    [
        # 30 days from Mon 10 May 2021; skips 17 May, 7 Jun, 14 Jun (2021 Emiliani Mondays)
        (at(2021, 5, 10), "reclamo", None, date(2021, 6, 24)),
        # last emergency day: 20 days; 30 May 2022 (Ascensión) skipped
        (at(2022, 5, 17), "peticion", "informacion", date(2022, 6, 15)),
        # first ordinary day: 10 days
        (at(2022, 5, 18), "peticion", "informacion", date(2022, 6, 2)),
        # after hours on the last emergency day counts as received 18 May: ordinary term
        (at(2022, 5, 17, 18), "peticion", "informacion", date(2022, 6, 2)),
        # day before the decree: 15 days, Holy Week 2020 (9-10 Apr) skipped
        (at(2020, 3, 27), "queja", None, date(2020, 4, 21)),
        (at(2026, 7, 1), "peticion", None, date(2026, 7, 24)),
        (at(2026, 7, 1), "felicitacion", None, None),
    ],
)
def test_due_date_for_uses_term_in_force(received, pqrs_type, subtype, expected) -> None:
    assert CAL.due_date_for(received, pqrs_type, subtype) == expected


def test_terms_table() -> None:
    assert TERMS["peticion_informacion"] == 10 and TERMS["peticion_consulta"] == 30
    assert term_key("peticion", None) == "peticion_general"
    assert term_key("peticion", "consulta") == "peticion_consulta"
    assert term_key("denuncia") == "denuncia"
    assert term_key("felicitacion") is None


KINDS = [("peticion", None), ("peticion", "informacion"), ("peticion", "consulta"),
         ("peticion", "general"), ("queja", None), ("reclamo", None), ("sugerencia", None),
         ("denuncia", None), ("felicitacion", None), (None, None)]


def _vectorised_equals_per_message(cal: BusinessCalendar, first: date, last: date) -> None:
    import numpy as np

    close = cal.office_close
    times = [time(0, 0), time(8, 30), (datetime.combine(first, close) - timedelta(seconds=1)).time(),
             close, time(close.hour, close.minute, 0, 1), time(23, 59, 59)]
    days, after, types, subs, want = [], [], [], [], []
    d, i = first, 0
    while d <= last:
        for tod in times:
            ptype, sub = KINDS[i % len(KINDS)]
            i += 1
            received = datetime.combine(d, tod, tzinfo=BOG)
            days.append(d)
            after.append(tod >= close)
            types.append(ptype)
            subs.append(sub)
            want.append(None if ptype is None else cal.due_date_for(received, ptype, sub))
        d += timedelta(days=1)
    got = cal.due_dates(np.array(days, dtype="datetime64[D]"), np.array(after), types, subs)
    assert got.astype(object).tolist() == want


def test_vectorised_due_dates_equal_per_message_calendar() -> None:
    """Every day 2019-12 .. 2028-01 (weekends, holidays, Holy Weeks, year ends, both ends of the
    Decreto 491 terms), times around closing, every kind: as `due_date_for` row by row."""
    _vectorised_equals_per_message(BusinessCalendar(), date(2019, 12, 1), date(2028, 1, 31))
    _vectorised_equals_per_message(
        BusinessCalendar(extra_closed_days=[date(2026, 12, 24), date(2026, 12, 31),
                                            date(2027, 1, 2), date(2021, 5, 17)],
                         office_close=time(16, 30)),
        date(2020, 12, 1), date(2027, 2, 28))


def test_vectorised_due_dates_edge_rows() -> None:
    import numpy as np

    days = np.array(["NaT", "2026-07-01", "2026-07-01", "1999-12-31"], dtype="datetime64[D]")
    got = CAL.due_dates(days, np.array([False, False, True, True]),
                        ["queja", None, "felicitacion", "reclamo"], [None] * 4)
    assert got.astype(object).tolist() == [None, None, None,
                                           CAL.due_date_for(at(1999, 12, 31, 18), "reclamo")]
    with pytest.raises(KeyError):
        CAL.due_dates(days[1:2], np.array([False]), ["peticion"], ["urgente"])
    assert len(CAL.due_dates(days[:0], np.array([], dtype=bool), [], [])) == 0
