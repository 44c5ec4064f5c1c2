"""Fixtures of the end-to-end suite: one migrated metadata template per session, and a
PostgreSQL warehouse schema per test. The stacks themselves are started by each test."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.airflow_stack import drop_pg_schema, migrated_template, pg_warehouse_url


@pytest.fixture(scope="session")
def airflow_template_db(pg_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated Airflow metadata DB that each stack clones (migrating costs ~10 s)."""
    with migrated_template(tmp_path_factory.mktemp("af-template")) as name:
        yield name


@pytest.fixture
def pg_warehouse(pg_server: str) -> Iterator[str]:
    """PULSO_WAREHOUSE_URL of an empty schema of its own in the `test` database."""
    schema = f"e2e_{uuid.uuid4().hex[:12]}"
    yield pg_warehouse_url(schema)
    drop_pg_schema(schema)


@pytest.fixture
def stack_tmp(tmp_path: Path) -> Path:
    return tmp_path / "stack"
