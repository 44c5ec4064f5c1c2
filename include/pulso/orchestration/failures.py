"""Analysts' mistakes fail a task at once: no retries for what a retry cannot fix.

A wrong period (`2026-13`), days not ingested yet, an end date before the start, a missing
warehouse: retrying with backoff only delays the message by minutes and blocks the next runs.
At the task boundary these errors become Airflow's `AirflowFailException` (Task SDK), which
fails the task immediately with the same Spanish message; anything else (network, database)
keeps the DAG's retries.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


def _mistakes() -> tuple[type[BaseException], ...]:
    from pulso.context import WarehouseMissing
    from pulso.core.config import ConfigError
    from pulso.core.periods import PeriodError
    from pulso.ingest.completeness import IncompleteIngestion

    # ValueError covers params parsed by the library (dates, periods, recipients) and the
    # report DAGs' ParamsError, a ValueError (so this module needs no import of them).
    return (IncompleteIngestion, PeriodError, ConfigError, WarehouseMissing, ValueError)


def fail_fast(func: F) -> F:
    """Run `func`; an analyst's mistake is re-raised as AirflowFailException (no retry)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except _mistakes() as exc:
            try:
                from airflow.sdk.exceptions import AirflowFailException
            except ImportError:  # pragma: no cover - library used without Airflow
                raise exc from None
            raise AirflowFailException(str(exc)) from exc

    return wrapper  # type: ignore[return-value]
