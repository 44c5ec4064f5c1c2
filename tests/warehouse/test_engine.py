from __future__ import annotations

import pytest

from pulso.warehouse.engine import make_engine, url_from_airflow_conn


def test_url_from_airflow_postgres_connection() -> None:
    url = url_from_airflow_conn("postgres", "db.local", "pulso", "s3cr#t", 5433, "bodega")
    assert url == "postgresql+psycopg://pulso:s3cr%23t@db.local:5433/bodega"


def test_url_from_airflow_sqlite_connection() -> None:
    assert url_from_airflow_conn("sqlite", "/data/w.db", None, None, None, None) == "sqlite:////data/w.db"


def test_unsupported_connection_type_names_it() -> None:
    with pytest.raises(ValueError, match="unsupported conn_type 'mysql'"):
        url_from_airflow_conn("mysql", "h", None, None, None, None)


def test_invalid_schema_name_refused() -> None:
    with pytest.raises(ValueError, match="invalid schema name"):
        make_engine("postgresql://postgres@127.0.0.1/test", schema="x; drop")
