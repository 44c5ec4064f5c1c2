"""Localized numbers and dates as the networks' exports write them."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from pulso.sources.exports.values import (
    BadValue,
    infer_day_first,
    parse_count,
    parse_date,
    parse_datetime,
    parse_number,
)


@pytest.mark.parametrize("text,expected", [
    ("1,200", 1200), ("1.200", 1200), ("1.2K", 1200), ("1,2 mil", 1200), ("3M", 3_000_000),
    ("12%", 0.12), ("—", None), ("", None), ("-", None), ("1.234.567", 1234567),
    ("1,234,567", 1234567), ("1.234,5", 1234.5), ("1,234.5", 1234.5), ("1.5", 1.5),
    ("0,5", 0.5), ("2.5k", 2500), ("1,5 millones", 1_500_000), ("  42 ", 42), (7, 7),
    (3.0, 3), ("1\u00a0200", 1200), ("-5", -5),
])
def test_parse_number(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["abc", "12 apples", "1,2,3", "1.2.3.4x", "5%K", "1.2.34"])
def test_parse_number_rejects_garbage(text):
    with pytest.raises(BadValue):
        parse_number(text)


def test_parse_count_refuses_fractions():
    assert parse_count("1.25K") == 1250
    with pytest.raises(BadValue):
        parse_count("2.5")


@pytest.mark.parametrize("text,day_first,expected", [
    ("2025-08-01T00:00:00", True, date(2025, 8, 1)),
    ("2026-06-06", False, date(2026, 6, 6)),
    ("Sat, Jun 6, 2026", False, date(2026, 6, 6)),
    ("06/07/2026", True, date(2026, 7, 6)),
    ("06/07/2026", False, date(2026, 6, 7)),
    ("6 jun. 2026", True, date(2026, 6, 6)),
    ("7 de junio de 2026", True, date(2026, 6, 7)),
    ("sáb, 6 de jun. de 2026", True, date(2026, 6, 6)),
    ("Jun 2, 2026", False, date(2026, 6, 2)),
    ("2 dic 2026", True, date(2026, 12, 2)),
    ("46179", True, date(2026, 6, 6)),  # Excel serial
    (46179.5, True, date(2026, 6, 6)),
    (datetime(2026, 6, 6, 23, 0), True, date(2026, 6, 6)),
])
def test_parse_date(text, day_first, expected):
    assert parse_date(text, day_first=day_first) == expected


def test_parse_datetime_with_time_and_zone():
    dt = parse_datetime("06/11/2026 09:01", day_first=False, tz="America/Bogota")
    assert dt == datetime(2026, 6, 11, 14, 1, tzinfo=UTC)
    dt = parse_datetime("6/11/2026 9:05 p. m.", day_first=True, tz="America/Bogota")
    assert dt == datetime(2026, 11, 7, 2, 5, tzinfo=UTC)
    assert parse_datetime("2026-06-06T10:00:00Z") == datetime(2026, 6, 6, 10, tzinfo=UTC)


@pytest.mark.parametrize("text", ["31/31/2026", "Juneteenth 2026", "2026-13-01", "ayer"])
def test_parse_date_rejects(text):
    with pytest.raises(BadValue):
        parse_date(text)


def test_day_first_inferred_from_the_column():
    assert infer_day_first(["01/06/2026", "13/06/2026"], default=False) is True
    assert infer_day_first(["06/01/2026", "06/13/2026"], default=True) is False
    # nothing decides: the file's language does
    assert infer_day_first(["01/06/2026", "02/06/2026"], default=True) is True
    assert infer_day_first(["01/06/2026", "02/06/2026"], default=False) is False
