"""The one runtime context: everything that depends on where Pulso runs, resolved once.

DAG tasks, CLI commands and the UI plugin all call `get_context()`; nothing below it decides
which warehouse, calendar, time zone or delivery channel to use. Resolution order for the
warehouse, the same everywhere (the defect it fixes: the CLI wrote to a local SQLite file while
the DAGs wrote to the Airflow connection's PostgreSQL):

1. an explicit URL (`--warehouse-url`, tests),
2. `PULSO_WAREHOUSE_URL`,
3. the Airflow connection `pulso_warehouse` (env `AIRFLOW_CONN_PULSO_WAREHOUSE`, the metadata
   DB or a secrets backend — whatever Airflow's own lookup finds),
4. the embedded SQLite file `PULSO_HOME/warehouse.db`.

Airflow is imported lazily, only to look the connection up, so the library stays usable and
testable without it.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from pulso.core import paths
from pulso.core.config import PulsoConfig, config_path, get_config
from pulso.delivery import DEFAULT_CONN_ID

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from pulso.classify.deadlines import BusinessCalendar

log = logging.getLogger(__name__)

WAREHOUSE_CONN_ID = "pulso_warehouse"


class WarehouseMissing(RuntimeError):
    """The SQLite warehouse file does not exist and this command may not create it."""


def airflow_connection(conn_id: str):
    """The Airflow connection `conn_id`, or None when Airflow or the connection is absent."""
    try:
        from airflow.sdk import Connection
    except ImportError:  # pragma: no cover - library used without Airflow
        return None
    try:
        return Connection.get(conn_id)
    except Exception as exc:  # not defined, or no secrets backend reachable
        log.debug("connection %s not available: %s", conn_id, type(exc).__name__)
        return None


def resolve_warehouse_url(explicit: str | None = None) -> str:
    """The warehouse URL in the one documented order (see the module docstring)."""
    if explicit:
        return explicit
    if os.environ.get("PULSO_WAREHOUSE_URL"):
        return os.environ["PULSO_WAREHOUSE_URL"]
    conn = airflow_connection(WAREHOUSE_CONN_ID)
    if conn is not None:
        from pulso.warehouse.engine import url_from_airflow_conn

        return url_from_airflow_conn(conn.conn_type, conn.host, conn.login, conn.password,
                                     conn.port, conn.schema, conn.extra)
    return f"sqlite:///{paths.var_dir() / 'warehouse.db'}"


@dataclass(frozen=True)
class Paths:
    """Where this deployment keeps its files."""

    home: Path
    reports: Path
    outbox: Path

    @classmethod
    def current(cls) -> Paths:
        return cls(home=paths.var_dir(), reports=paths.reports_dir(), outbox=paths.outbox_dir())


@dataclass
class Context:
    """Config, warehouse, calendar, time zone, paths and delivery of one deployment."""

    config: PulsoConfig
    warehouse_url: str
    paths: Paths
    smtp_conn_id: str = DEFAULT_CONN_ID

    @property
    def tz(self) -> ZoneInfo:
        """The entity's time zone: days, schedules and displayed times are in it."""
        return ZoneInfo(self.config.entity.timezone)

    @cached_property
    def calendar(self) -> BusinessCalendar:
        """Business days for legal terms: Colombian holidays + the entity's closed days."""
        from pulso.classify.deadlines import BusinessCalendar

        return BusinessCalendar.from_config(self.config)

    def engine(self, *, create: bool = True) -> Engine:
        """The warehouse engine (cached per process).

        `create=False` refuses to bring a missing SQLite file into existence: only an explicit
        init (the demo, `pulso init`) creates a warehouse; reading commands fail clearly.
        """
        return open_warehouse(self.warehouse_url, create=create)

    def today(self) -> date:
        """Today in the entity's time zone."""
        return datetime.now(UTC).astimezone(self.tz).date()


_ENGINE_CACHE: dict[tuple[str, bool], Engine] = {}


def warehouse_missing(url: str | None = None) -> str | None:
    """The SQLite file path when the resolved warehouse is a SQLite file that does not exist."""
    from sqlalchemy.engine import make_url

    parsed = make_url(resolve_warehouse_url(url))
    if (parsed.get_backend_name() == "sqlite" and parsed.database
            and parsed.database != ":memory:" and not Path(parsed.database).exists()):
        return parsed.database
    return None


def open_warehouse(url: str | None = None, *, create: bool = True) -> Engine:
    """The engine of the warehouse at `url` (resolved as documented), schema up to date.

    For commands that must work even when the entity's config is broken (loading exports);
    everything else goes through `Context.engine()`.
    """
    from sqlalchemy.engine import make_url

    from pulso.warehouse.engine import create_schema, make_engine

    url = resolve_warehouse_url(url)
    parsed = make_url(url)
    cached = _ENGINE_CACHE.get((url, create))
    # checked on every call, cached or not: a file deleted while running must not keep
    # serving old data (pooled connections to the unlinked file) or take writes into it
    missing = warehouse_missing(url)
    if missing and cached is not None:
        cached.dispose()
        _ENGINE_CACHE.pop((url, create), None)
        cached = None
    if missing and not create:
        raise WarehouseMissing(
            f"no existe el almacén de datos {missing}: créelo con «pulso init» "
            "(o «make demo») o indique el almacén con PULSO_WAREHOUSE_URL o la conexión "
            f"de Airflow {WAREHOUSE_CONN_ID!r}")
    if cached is not None:
        return cached
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        _private_sqlite_file(Path(parsed.database))
    engine = make_engine(url)
    create_schema(engine)
    _ENGINE_CACHE[(url, create)] = engine
    return engine


def _private_sqlite_file(db: Path) -> None:
    """Create the SQLite file 0600 in a 0700 folder (SQLite gives its journals the same mode);
    tighten an existing one of ours that others could read."""
    if not db.exists():
        paths.private_dir(db.parent)
        os.close(os.open(db, os.O_WRONLY | os.O_CREAT, paths.PRIVATE_FILE_MODE))
        return
    try:
        st = db.stat()
        if st.st_uid == os.getuid() and st.st_mode & 0o077:
            paths.make_private(db)
    except OSError:
        pass


def get_context(warehouse_url: str | None = None, *,
                config: PulsoConfig | str | Path | None = None) -> Context:
    """The runtime context, built from the environment in exactly one way.

    Cheap to call: the config is cached by file and mtime and engines by URL, so every task,
    command and request may call it instead of passing it around.
    """
    cfg = config if isinstance(config, PulsoConfig) else get_config(config)
    return Context(config=cfg, warehouse_url=resolve_warehouse_url(warehouse_url),
                   paths=Paths.current())


__all__ = ["Context", "Paths", "WarehouseMissing", "airflow_connection", "config_path",
           "get_context", "open_warehouse", "resolve_warehouse_url"]
