"""Glue between Airflow and the library: account credentials and the task's day range.

The warehouse, config, calendar and time zone come from `pulso.context`; this module only holds
what is specific to running inside Airflow. Airflow is imported lazily inside functions.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from pulso.context import airflow_connection

log = logging.getLogger(__name__)


def api_credentials(conn_id: str):
    """Credentials of a network account from its Airflow connection (token = password)."""
    from pulso.sources.api import ApiCredentials

    conn = airflow_connection(conn_id)
    if conn is None:
        from pulso.sources.base import SourceError

        raise SourceError(f"la conexión de Airflow {conn_id!r} no está definida: créela en "
                          "Admin > Connections con el token de la cuenta")
    return ApiCredentials(conn_id=conn_id, token=conn.password or "",
                          base_url=conn.host or None, extra=conn.extra_dejson)




def days_for_run(data_interval_end: datetime | None, start: str | None, end: str | None,
                 tz: ZoneInfo) -> tuple[date, date]:
    """The inclusive day range a daily ingestion run loads.

    Params `start`/`end` (YYYY-MM-DD) win for historical loads; otherwise the Bogotá day
    before the end of the data interval, in the entity's time zone `tz` (a run at 06:00
    loads yesterday).
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
        # a manual trigger with an empty form has no data interval: "the day before" is the
        # day before today, as the form's help says
        data_interval_end = datetime.now(tz)
    day = data_interval_end.astimezone(tz).date() - timedelta(days=1)
    return day, day
