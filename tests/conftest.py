"""Shared fixtures: throwaway warehouses on SQLite and on the local PostgreSQL server."""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path

import pytest

from pulso.dev.airflow_env import airflow_env

# A throwaway Airflow home for the whole session, set before anything imports airflow.
_AIRFLOW_HOME = Path(tempfile.mkdtemp(prefix="pulso-airflow-test-"))
os.environ.update(airflow_env(_AIRFLOW_HOME, metadata_db=f"sqlite:///{_AIRFLOW_HOME / 'airflow.db'}"))
os.environ.setdefault("PULSO_RETRY_DELAY_SECONDS", "1")

PG_URL = os.environ.get("PULSO_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


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


def _pg_available() -> bool:
    import psycopg

    try:
        with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test",
                             connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


@pytest.fixture(scope="session")
def pg_server() -> str:
    """The PostgreSQL server on this machine; started if it is installed but stopped."""
    if not _pg_available():
        import subprocess

        versions = sorted(os.listdir("/etc/postgresql")) if os.path.isdir("/etc/postgresql") else []
        if versions:
            subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main",
                            "start"], check=False)
    if not _pg_available():
        pytest.fail("PostgreSQL is not reachable on 127.0.0.1:5432 (user postgres, db test)")
    return PG_URL


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
