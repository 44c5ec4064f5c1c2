"""Analysts' mistakes fail a task at once (no retries); an empty ingest form loads yesterday."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from airflow.sdk.exceptions import AirflowFailException

BOGOTA = ZoneInfo("America/Bogota")


@pytest.mark.parametrize("params", [{"start": "2026-03-10", "end": "2026-03-01"},
                                    {"start": "ayer"}, {"start": "0000-01-01"}])
def test_bad_ingest_params_fail_without_retry(params):
    from pulso.orchestration.ingest import plan

    with pytest.raises(AirflowFailException, match="start|end"):
        plan(params, None)


def test_bad_report_period_fails_without_retry():
    from pulso.orchestration.reports import resolve_and_check

    for period in ("2026-13", "0000-01", "10000-01"):
        with pytest.raises(AirflowFailException, match="Periodo"):
            resolve_and_check("month", {"period": period}, None, None)


def test_manual_trigger_with_empty_form_loads_the_day_before():
    from pulso.orchestration.runtime import days_for_run

    yesterday = datetime.now(BOGOTA).date() - timedelta(days=1)
    assert days_for_run(None, None, None, BOGOTA) == (yesterday, yesterday)
    assert days_for_run(datetime(2026, 3, 2, 11, tzinfo=BOGOTA), None, None, BOGOTA) == (
        date(2026, 3, 1), date(2026, 3, 1))


def test_dag_forms_refuse_years_out_of_range():
    import re

    from airflow.dag_processing.dagbag import DagBag

    from pulso.core.paths import PROJECT_ROOT

    bag = DagBag(str(PROJECT_ROOT / "dags"))
    period = bag.dags["pulso_report_monthly"].params.get_param("period").schema["pattern"]
    assert re.match(period, "2026-05") and not re.match(period, "0000-01")
    assert not re.match(period, "10000-01")
    start = bag.dags["pulso_ingest_daily"].params.get_param("start").schema["pattern"]
    assert re.match(start, "2026-05-01") and not re.match(start, "9999-12-31")
