"""Shared fixtures: throwaway warehouses on SQLite and on PostgreSQL, the services (PostgreSQL,
Redis) found running or started for the session."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from pulso.dev.airflow_env import airflow_env
from pulso.dev.services import DEFAULT_PG_URL

# A throwaway Airflow home for the whole session, set before anything imports airflow.
_AIRFLOW_HOME = Path(tempfile.mkdtemp(prefix="pulso-airflow-test-"))
os.environ.update(airflow_env(_AIRFLOW_HOME, metadata_db=f"sqlite:///{_AIRFLOW_HOME / 'airflow.db'}"))
os.environ.setdefault("PULSO_RETRY_DELAY_SECONDS", "1")

# Where to look for the services first; the session starts its own when nothing answers.
PG_URL = os.environ.get("PULSO_TEST_PG_URL", DEFAULT_PG_URL)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test writes its state (warehouse, reports, outbox, secrets) under tmp_path."""
    monkeypatch.setenv("PULSO_HOME", str(tmp_path / "var"))
    monkeypatch.setenv("PULSO_AUTHOR_SECRET", "test-author-secret")
    monkeypatch.delenv("PULSO_WAREHOUSE_URL", raising=False)
    monkeypatch.delenv("PULSO_REPORTS_DIR", raising=False)
    monkeypatch.delenv("PULSO_OUTBOX_DIR", raising=False)
    from pulso.core.privacy import author_secret

    author_secret.cache_clear()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """PostgreSQL: the server at PULSO_TEST_PG_URL (default 127.0.0.1:5432) when it answers,
    else a private one started for the session (see pulso.dev.services)."""
    from pulso.dev.services import ensure_postgres

    # not under tmp_path_factory: as root the server runs as `postgres`, which cannot enter
    # pytest's private (0700) base folder
    data_dir = Path(tempfile.mkdtemp(prefix="pulso-test-pg-"))
    url, server = ensure_postgres(PG_URL, data_dir)
    os.environ["PULSO_TEST_PG_URL"] = url  # tests.airflow_stack builds its URLs from it
    yield url
    if server is not None:
        server.stop()
    shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Redis: the server at PULSO_TEST_REDIS_URL (default 127.0.0.1:6379) when it answers,
    else a private one (no persistence) started for the session."""
    from pulso.dev.services import DEFAULT_REDIS_URL, ensure_redis

    url, server = ensure_redis(os.environ.get("PULSO_TEST_REDIS_URL", DEFAULT_REDIS_URL),
                               tmp_path_factory.mktemp("redis"))
    os.environ["PULSO_TEST_REDIS_URL"] = url
    yield url
    if server is not None:
        server.stop()


def _new_engine(kind: str, tmp_path: Path, request: pytest.FixtureRequest):
    from pulso.warehouse.engine import create_schema, drop_pg_schema, make_engine

    if kind == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'warehouse.db'}")
        create_schema(engine)
        return engine, lambda: engine.dispose()
    url = request.getfixturevalue("pg_server")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = make_engine(url, schema=schema)
    create_schema(engine)

    def cleanup() -> None:
        engine.dispose()
        from pulso.warehouse.engine import make_engine as mk

        admin = mk(url)
        drop_pg_schema(admin, schema)
        admin.dispose()

    return engine, cleanup


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def warehouse(request: pytest.FixtureRequest, tmp_path: Path):
    """An empty warehouse with the schema created, on SQLite and on PostgreSQL."""
    engine, cleanup = _new_engine(request.param, tmp_path, request)
    yield engine
    cleanup()


@pytest.fixture
def sqlite_warehouse(request: pytest.FixtureRequest, tmp_path: Path):
    engine, cleanup = _new_engine("sqlite", tmp_path, request)
    yield engine
    cleanup()


@pytest.fixture
def config():
    from pulso.core.config import load_config
    from pulso.core.paths import PROJECT_ROOT

    return load_config(PROJECT_ROOT / "pulso.yaml")


@pytest.fixture(scope="session")
def airflow_db() -> Path:
    """A migrated Airflow metadata DB (SQLite) for dag.test() runs."""
    from pulso.dev.airflow_env import migrate

    migrate(dict(os.environ))
    return _AIRFLOW_HOME


# --- a report month whose ingestion is complete (runner and delivery tests) ----------------


@pytest.fixture
def period():
    from pulso.core.periods import parse_period

    return parse_period("2026-10")


@pytest.fixture
def complete(sqlite_warehouse, config, period):
    """`sqlite_warehouse` with every configured account's days of `period` marked ingested."""
    from datetime import UTC, datetime

    from pulso.warehouse.schema import ingest_run

    rows = [{"account_id": a.account_id, "day": d, "source": "demo",
             "loaded_at": datetime.now(UTC)} for a in config.accounts for d in period.days()]
    with sqlite_warehouse.begin() as conn:
        conn.execute(ingest_run.insert(), rows)
    return sqlite_warehouse
