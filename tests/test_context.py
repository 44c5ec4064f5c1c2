"""The one runtime context: the CLI writes where the DAGs write.

The defect this guards against: with only the Airflow connection `pulso_warehouse` set (as the
compose deployment does), `pulso load-export` and `pulso load-register` printed their loads but
wrote them to a local SQLite file, so production lost them from every report.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import uuid
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlalchemy import text

from pulso.context import WarehouseMissing, get_context, resolve_warehouse_url
from pulso.warehouse.engine import create_schema, drop_pg_schema, make_engine


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


fx = _load("_sp_fixture", Path(__file__).parent / "reports" / "_sp_fixture.py")
ef = _load("export_files", Path(__file__).parent / "sources" / "exports" / "export_files.py")


def _cli(command: str, args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pulso.cli", command, *args],
                          capture_output=True, text=True, env=env, timeout=180)


@pytest.fixture
def airflow_conn_only(pg_server: str, tmp_path: Path):
    """An environment where the warehouse is given only as an Airflow connection URI."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    env = {k: v for k, v in os.environ.items()
           if k not in ("PULSO_WAREHOUSE_URL", "AIRFLOW_CONN_PULSO_WAREHOUSE")}
    host = pg_server.split("@", 1)[1]  # 127.0.0.1:5432/test
    env["AIRFLOW_CONN_PULSO_WAREHOUSE"] = f"postgres://postgres@{host}?pulso_schema={schema}"
    env["PULSO_HOME"] = str(tmp_path / "var")
    engine = make_engine(pg_server, schema=schema)
    create_schema(engine)
    yield env, engine
    engine.dispose()
    admin = make_engine(pg_server)
    drop_pg_schema(admin, schema)
    admin.dispose()


@pytest.mark.postgres
def test_load_export_goes_to_the_airflow_connection(airflow_conn_only, tmp_path):
    env, engine = airflow_conn_only
    h = ef.META_POSTS_HEADER_34
    posts = ef.meta_posts_csv(tmp_path / "Jun-01-2026_Jun-30-2026.csv",
                              rows=[ef.meta_post_row(h, 1), ef.meta_post_row(h, 2)])
    p = _cli("load-export", [str(posts)], env)
    assert p.returncode == 0, p.stdout + p.stderr
    with engine.connect() as conn:
        assert conn.execute(text("select count(*) from post")).scalar() == 2
    assert not (tmp_path / "var" / "warehouse.db").exists()


@pytest.mark.postgres
def test_load_register_goes_to_the_airflow_connection(airflow_conn_only, tmp_path):
    from pulso.reports import pqrs

    env, engine = airflow_conn_only
    fx.build(engine)
    files = pqrs.build(fx.context(engine, tmp_path))
    wb = load_workbook(files.xlsx)
    ws = wb["Registro de casos"]
    head = {c.value: c.column for c in ws[3]}
    case_id = None
    for row in ws.iter_rows(min_row=4):
        if row[head["Estado"] - 1].value == "Candidato":
            case_id = row[head["ID caso"] - 1].value
            ws.cell(row=row[0].row, column=head["Estado"], value="Radicado")
            ws.cell(row=row[0].row, column=head["Radicado"], value="2026-ER-000123")
            break
    assert case_id is not None
    filled = tmp_path / "devuelto.xlsx"
    wb.save(filled)
    p = _cli("load-register", [str(filled), "--actor", "Atención a la Ciudadanía"], env)
    assert f"aplicada: {case_id}" in p.stdout, p.stdout + p.stderr
    with engine.connect() as conn:
        got = conn.execute(text("select status, radicado from pqrs_case where message_id = :m"),
                           {"m": case_id}).one()
    assert tuple(got) == ("filed", "2026-ER-000123")
    assert not (tmp_path / "var" / "warehouse.db").exists()


def test_resolution_order(monkeypatch, tmp_path):
    monkeypatch.setenv("PULSO_HOME", str(tmp_path))
    monkeypatch.delenv("AIRFLOW_CONN_PULSO_WAREHOUSE", raising=False)
    assert resolve_warehouse_url() == f"sqlite:///{tmp_path / 'warehouse.db'}"
    monkeypatch.setenv("AIRFLOW_CONN_PULSO_WAREHOUSE", f"sqlite:///{tmp_path / 'conn.db'}")
    assert resolve_warehouse_url().endswith("conn.db")
    monkeypatch.setenv("PULSO_WAREHOUSE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    assert resolve_warehouse_url().endswith("env.db")
    assert resolve_warehouse_url("sqlite:///explicit.db") == "sqlite:///explicit.db"


def test_context_carries_the_entity_calendar_and_time_zone(tmp_path, monkeypatch):
    cfg = tmp_path / "pulso.yaml"
    base = (Path(__file__).resolve().parents[1] / "pulso.yaml").read_text(encoding="utf-8")
    cfg.write_text(base.replace("timezone: America/Bogota", "timezone: America/Lima"),
                   encoding="utf-8")
    monkeypatch.setenv("PULSO_HOME", str(tmp_path))
    ctx = get_context(config=cfg)
    assert ctx.tz == ZoneInfo(ctx.config.entity.timezone)
    assert ctx.calendar.tz == ctx.tz
    assert ctx.calendar.extra_closed_days == frozenset(ctx.config.office.extra_closed_days)
    assert ctx.paths.reports.is_relative_to(tmp_path)


def test_reading_commands_do_not_create_a_warehouse(tmp_path, monkeypatch):
    monkeypatch.setenv("PULSO_HOME", str(tmp_path))
    ctx = get_context(f"sqlite:///{tmp_path / 'gone.db'}")
    with pytest.raises(WarehouseMissing, match="pulso init"):
        ctx.engine(create=False)
    assert not (tmp_path / "gone.db").exists()
