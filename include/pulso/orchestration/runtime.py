"""Glue between Airflow and the library: connections, engines, the task's period.

Airflow is imported lazily inside functions, so the rest of `pulso` stays importable and
testable without it. Outside a task (CLI, tests) everything falls back to environment
variables and the embedded SQLite default.
"""

from __future__ import annotations

import logging
import os
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from pulso.warehouse.engine import (
    CONN_ID,
    create_schema,
    make_engine,
    resolve_url,
    url_from_airflow_conn,
)

log = logging.getLogger(__name__)
BOGOTA = ZoneInfo("America/Bogota")


def _airflow_connection(conn_id: str):
    """The Airflow connection `conn_id`, or None when Airflow or the connection is absent."""
    try:
        from airflow.sdk import Connection
    except ImportError:  # pragma: no cover - library used without Airflow
        return None
    try:
        return Connection.get(conn_id)
    except Exception as exc:  # not defined, or no task context / secrets backend
        log.debug("connection %s not available: %s", conn_id, type(exc).__name__)
        return None


def warehouse_url() -> str:
    """PULSO_WAREHOUSE_URL, else the Airflow connection `pulso_warehouse`, else SQLite."""
    if os.environ.get("PULSO_WAREHOUSE_URL"):
        return os.environ["PULSO_WAREHOUSE_URL"]
    conn = _airflow_connection(CONN_ID)
    if conn is not None:
        return url_from_airflow_conn(conn.conn_type, conn.host, conn.login, conn.password,
                                     conn.port, conn.schema, conn.extra)
    return resolve_url(None)


@lru_cache(maxsize=4)
def _engine_for(url: str) -> Engine:
    engine = make_engine(url)
    create_schema(engine)
    return engine


def warehouse_engine() -> Engine:
    """The warehouse engine with its schema created (cached per URL, per process)."""
    return _engine_for(warehouse_url())


def api_credentials(conn_id: str):
    """Credentials of a network account from its Airflow connection (token = password)."""
    from pulso.sources.api import ApiCredentials

    conn = _airflow_connection(conn_id)
    if conn is None:
        from pulso.sources.base import SourceError

        raise SourceError(f"la conexión de Airflow {conn_id!r} no está definida: créela en "
                          "Admin > Connections con el token de la cuenta")
    return ApiCredentials(conn_id=conn_id, token=conn.password or "",
                          base_url=conn.host or None, extra=conn.extra_dejson)


def bogota_day(dt: datetime) -> date:
    return dt.astimezone(BOGOTA).date()


def days_for_run(data_interval_end: datetime | None, start: str | None, end: str | None,
                 ) -> tuple[date, date]:
    """The inclusive day range a daily ingestion run loads.

    Params `start`/`end` (YYYY-MM-DD) win for historical loads; otherwise the Bogotá day
    before the end of the data interval (a run at 06:00 loads yesterday).
    """
    if start or end:
        try:
            d0 = date.fromisoformat(start or end)  # type: ignore[arg-type]
            d1 = date.fromisoformat(end or start)  # type: ignore[arg-type]
        except ValueError:
            raise ValueError(f"los parámetros start/end deben ser fechas AAAA-MM-DD; "
                             f"recibido start={start!r} end={end!r}") from None
        if d1 < d0:
            raise ValueError(f"end ({d1}) es anterior a start ({d0})")
        if (d1 - d0).days > 3660:
            raise ValueError("el rango start..end no puede superar 10 años")
        return d0, d1
    if data_interval_end is None:
        raise ValueError("run without a data interval and without start/end params")
    day = bogota_day(data_interval_end) - timedelta(days=1)
    return day, day
