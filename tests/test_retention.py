"""Retention: old texts and handles are removed, and past reports keep their figures."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from pulso.classify.store import classify_pending
from pulso.core.periods import parse_period
from pulso.ingest.daily import ingest_account
from pulso.monitor.retention import apply_retention
from pulso.reports.runner import run_reports
from pulso.warehouse.schema import message

pytestmark = pytest.mark.slow
FIGURES = ("messages", "candidates", "by_type", "filed", "discarded", "screened")


def _figures(runs) -> dict:
    out = {}
    for r in runs:
        out[r.kind] = {k: v for k, v in r.summary.items()
                       if k in FIGURES or k in ("messages", "positive", "negative", "neutral",
                                                "by_network")}
    return out


def test_retention_keeps_report_figures(sqlite_warehouse, config, tmp_path) -> None:
    period = parse_period("2026-02")
    for a in config.accounts:
        ingest_account(sqlite_warehouse, config, a.account_id, period.start, period.end)
    classify_pending(sqlite_warehouse, config, period.start, period.end)

    def report(out):
        return run_reports(sqlite_warehouse, config, period, kinds=["sentiment", "pqrs"],
                           out_dir=tmp_path / out, send_email=False)

    before = _figures(report("before"))
    # 30 months later, with a 24-month retention, February 2026 is anonymised
    result = apply_retention(sqlite_warehouse, config, now=datetime(2028, 8, 1, tzinfo=UTC))
    with sqlite_warehouse.connect() as conn:
        total = conn.execute(select(func.count()).select_from(message)).scalar()
        left = conn.execute(select(func.count()).select_from(message).where(
            message.c.text.is_not(None) | message.c.author_handle.is_not(None))).scalar()
    assert result["anonymised"] == total > 0 and left == 0
    after = _figures(report("after"))
    assert after == before
    assert before["pqrs"]["candidates"] > 0 and before["pqrs"]["messages"] > 0
