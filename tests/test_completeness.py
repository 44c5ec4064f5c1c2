"""Completeness of a period's ingestion, from ingest_run rows."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from pulso.core.periods import parse_period
from pulso.ingest.completeness import (
    IncompleteIngestion,
    check_complete,
    day_ranges,
    format_ranges,
    missing_days,
)
from pulso.warehouse.schema import ingest_run


def _ingest(engine, account_id: str, days) -> None:
    rows = [{"account_id": account_id, "day": d, "source": "demo", "rows_loaded": 0,
             "rows_rejected": 0, "loaded_at": datetime.now(UTC)} for d in days]
    with engine.begin() as conn:
        conn.execute(ingest_run.insert(), rows)


def test_complete_period_has_no_missing_days(warehouse, config):
    period = parse_period("2026-10")
    for acc in config.accounts:
        _ingest(warehouse, acc.account_id, period.days())
    assert missing_days(warehouse, config, period) == {}
    check_complete(warehouse, config, period)  # does not raise


def test_missing_days_per_account(warehouse, config):
    period = parse_period("2026-10")
    ids = [a.account_id for a in config.accounts]
    holes = {date(2026, 10, 3), date(2026, 10, 4), date(2026, 10, 5), date(2026, 10, 31)}
    _ingest(warehouse, ids[0], [d for d in period.days() if d not in holes])
    for acc in ids[1:-1]:
        _ingest(warehouse, acc, period.days())
    # the last account has only days outside the period: all 31 days are missing
    _ingest(warehouse, ids[-1], [date(2026, 9, 30), date(2026, 11, 1)])
    # rows for an account that is not configured do not count for anybody
    _ingest(warehouse, "facebook:otra", period.days())

    missing = missing_days(warehouse, config, period)
    assert set(missing) == {ids[0], ids[-1]}
    assert missing[ids[0]] == sorted(holes)
    assert missing[ids[-1]] == period.days()

    with pytest.raises(IncompleteIngestion) as err:
        check_complete(warehouse, config, period)
    text = str(err.value)
    assert f"{ids[0]}: 2026-10-03..2026-10-05, 2026-10-31 (4 días)" in text
    assert f"{ids[-1]}: 2026-10-01..2026-10-31 (31 días)" in text
    assert "2026-10" in text and "--allow-incomplete" in text
    assert err.value.missing == missing


def test_semester_is_checked_over_all_its_days(sqlite_warehouse, config):
    period = parse_period("2026-S1")
    acc = config.accounts[0].account_id
    _ingest(sqlite_warehouse, acc, [d for d in period.days() if d != date(2026, 2, 28)])
    missing = missing_days(sqlite_warehouse, config, period, account_ids=[acc])
    assert missing == {acc: [date(2026, 2, 28)]}


def test_from_missing_matches_the_dag_task_usage(config):
    period = parse_period("2026-10")
    err = IncompleteIngestion.from_missing(period, {"x:1": [date(2026, 10, 2)], "x:2": []})
    assert err.missing == {"x:1": [date(2026, 10, 2)]}
    assert "x:2" not in str(err)


def test_day_ranges():
    d = date(2026, 10, 1)
    days = [d, d + timedelta(1), d + timedelta(2), d + timedelta(5), d + timedelta(1)]
    assert day_ranges(days) == [(d, d + timedelta(2)), (d + timedelta(5), d + timedelta(5))]
    assert format_ranges(days) == "2026-10-01..2026-10-03, 2026-10-06"
    assert format_ranges([]) == ""
