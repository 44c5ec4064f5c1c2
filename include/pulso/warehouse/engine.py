"""Warehouse engines from a URL; which URL is decided once, in `pulso.context`."""

from __future__ import annotations

import json
import re
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url

from pulso.warehouse.schema import metadata

CONN_ID = "pulso_warehouse"
_SCHEMA_RE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def url_from_airflow_conn(conn_type: str, host: str | None, login: str | None,
                          password: str | None, port: int | None, schema: str | None,
                          extra: str | dict | None = None) -> str:
    """Turn the fields of an Airflow connection into a SQLAlchemy URL.

    Kept free of Airflow imports so it can be tested; `pulso.context` feeds it a real
    `airflow.sdk.Connection`.
    """
    extras = json.loads(extra) if isinstance(extra, str) and extra else (extra or {})
    if extras.get("sqlalchemy_url"):
        return extras["sqlalchemy_url"]
    kind = (conn_type or "").lower()
    if kind == "sqlite":  # Airflow puts the file path in `schema` (URI) or `host` (UI form)
        return f"sqlite:///{host or schema}"
    if kind in {"postgres", "postgresql"}:
        query = {"pulso_schema": extras["pulso_schema"]} if extras.get("pulso_schema") else {}
        url = URL.create("postgresql+psycopg", username=login or None, password=password or None,
                         host=host or None, port=port or None, database=schema or None,
                         query=query)
        return url.render_as_string(hide_password=False)
    raise ValueError(f"connection {CONN_ID!r}: unsupported conn_type {conn_type!r} "
                     "(use 'postgres' or 'sqlite')")


def make_engine(url: str, *, schema: str | None = None) -> Engine:
    """An engine for the warehouse at `url` (resolved by `pulso.context`); `schema` isolates a
    PostgreSQL schema (tests, tenants)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    schema = schema or parsed.query.get("pulso_schema")  # type: ignore[assignment]
    if "pulso_schema" in parsed.query:
        parsed = parsed.difference_update_query(["pulso_schema"])
    kwargs: dict = {"future": True}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": 60}
    else:
        kwargs["pool_pre_ping"] = True
    engine = create_engine(parsed, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()
    if schema:
        if not _SCHEMA_RE.match(schema):
            raise ValueError(f"invalid schema name {schema!r}")

        @event.listens_for(engine, "connect")
        def _search_path(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            cur.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
            cur.execute(f'SET search_path TO "{schema}"')
            cur.close()
            dbapi_conn.commit()
    return engine


def create_schema(engine: Engine) -> None:
    """Create every table that does not exist yet, add columns added since (idempotent)."""
    from pulso.warehouse.schema import upgrade_columns

    metadata.create_all(engine)
    upgrade_columns(engine)


def drop_pg_schema(engine: Engine, schema: str) -> None:
    if not _SCHEMA_RE.match(schema):
        raise ValueError(f"invalid schema name {schema!r}")
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
