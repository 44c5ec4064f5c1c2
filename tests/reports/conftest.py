"""Shared report fixtures (the data itself is described in report_data.py).

Other report tests may use: report_config, report_warehouse (filled SQLite engine) and
make_report_ctx(period, audience=...). Helpers pdf_text/pdf_pages live in report_data.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from report_data import CONFIG_YAML, build_report_warehouse


@pytest.fixture(scope="session")
def report_config():
    """The fixture entity's configuration (three accounts)."""
    import yaml

    from pulso.core.config import PulsoConfig

    return PulsoConfig.model_validate(yaml.safe_load(CONFIG_YAML))


@pytest.fixture(scope="session")
def _report_db(tmp_path_factory) -> Path:
    from pulso.warehouse.engine import create_schema, make_engine

    path = tmp_path_factory.mktemp("report-warehouse") / "warehouse.db"
    engine = make_engine(f"sqlite:///{path}")
    create_schema(engine)
    build_report_warehouse(engine)
    engine.dispose()
    return path


@pytest.fixture
def report_warehouse(_report_db: Path, tmp_path: Path):
    """A filled SQLite warehouse (a per-test copy of a session-built file)."""
    import shutil

    from pulso.warehouse.engine import make_engine

    path = tmp_path / "report-warehouse.db"
    shutil.copy(_report_db, path)
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


@pytest.fixture
def make_report_ctx(report_warehouse, report_config, tmp_path: Path):
    """Factory: make_report_ctx("2026-10", audience="internal") -> ReportContext."""
    from pulso.core.periods import parse_period
    from pulso.reports.base import ReportContext

    def make(period: str, audience: str = "internal", **kw):
        return ReportContext(engine=report_warehouse, config=report_config,
                             period=parse_period(period), out_dir=tmp_path / "reports",
                             audience=audience,
                             generated_at=datetime(2026, 11, 1, 11, 0, tzinfo=UTC), **kw)

    return make
