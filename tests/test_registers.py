"""Loading the PQRS case register returned by the citizen-service office (+ the CLI)."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from pulso.cases.registers import RegisterError, load_case_register
from pulso.warehouse.schema import pqrs_case, pqrs_case_event

_spec = importlib.util.spec_from_file_location(
    "_sp_fixture", Path(__file__).parent / "reports" / "_sp_fixture.py")
fx = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fx)

NOW = datetime(2026, 11, 5, 15, tzinfo=UTC)


@pytest.fixture
def register(warehouse, tmp_path):
    """The real PQRS workbook of October 2026 (its «Registro de casos» sheet)."""
    from pulso.reports import pqrs

    fx.build(warehouse)
    files = pqrs.build(fx.context(warehouse, tmp_path))
    return warehouse, files.xlsx


def _fill(path: Path, edits: dict[str, dict[str, object]], extra: list[dict] = ()) -> Path:
    """Edit rows of the register by case id, as the office would in Excel."""
    wb = load_workbook(path)
    ws = wb["Registro de casos"]
    head = {c.value: c.column for c in ws[3]}
    for row in ws.iter_rows(min_row=4):
        cid = row[head["ID caso"] - 1].value
        for col, value in edits.get(cid, {}).items():
            ws.cell(row=row[0].row, column=head[col], value=value)
    for e in extra:
        r = ws.max_row + 1
        for col, value in e.items():
            ws.cell(row=r, column=head[col], value=value)
    out = path.with_name("devuelto.xlsx")
    wb.save(out)
    return out


def _case(engine, cid):
    with engine.connect() as conn:
        return conn.execute(select(pqrs_case).where(pqrs_case.c.message_id == cid)).mappings() \
            .one()


def _events(engine):
    with engine.connect() as conn:
        return list(conn.execute(select(pqrs_case_event)).mappings())


def test_unchanged_register_changes_nothing(register):
    engine, path = register
    r = load_case_register(engine, path, tz="America/Bogota", actor="ana", now=NOW)
    assert r.rows_read == 8 and r.applied == [] and r.unchanged == 8 and r.issues == []
    assert _events(engine) == []


def test_good_rows_applied_with_events_and_reload_is_idempotent(register):
    engine, path = register
    filled = _fill(path, {
        "facebook:o105": {"Estado": "Radicado", "Radicado": "2026-ER-0105"},
        "x:pii2": {"Estado": "Respondido", "Fecha de respuesta": datetime(2026, 11, 2)},
        "facebook:o104": {"Estado": "Descartado", "Motivo de descarte": "Felicitación, no "
                                                                        "es petición"},
    })
    r = load_case_register(engine, filled, tz="America/Bogota", actor="ana.gomez", now=NOW)
    assert r.issues == []
    assert sorted(r.applied) == ["facebook:o104", "facebook:o105", "x:pii2"]
    c = _case(engine, "facebook:o105")
    assert c["status"] == "filed" and c["radicado"] == "2026-ER-0105"
    assert c["filed_at"] is not None and c["reviewed_by"] == "ana.gomez"
    c = _case(engine, "x:pii2")
    assert c["status"] == "answered" and c["responded_at"] is not None
    ev = _events(engine)
    assert len(ev) == 3 and {e["actor"] for e in ev} == {"ana.gomez"}
    detail = json.loads(next(e for e in ev if e["message_id"] == "facebook:o104")["detail"])
    assert detail["changes"]["status"] == ["candidate", "discarded"]

    again = load_case_register(engine, filled, tz="America/Bogota", actor="ana.gomez", now=NOW)
    assert again.applied == [] and again.unchanged == 8 and again.issues == []
    assert len(_events(engine)) == 3


def test_bad_rows_reported_with_row_and_column_good_rows_still_applied(register):
    engine, path = register
    filled = _fill(path, {
        "facebook:o105": {"Estado": "Cerrado"},                                  # bad status
        "x:pii2": {"Fecha de respuesta": "31/02/2026"},                          # bad date
        "x:pii0": {"Fecha de respuesta": datetime(2026, 10, 1)},                 # before receipt
        "facebook:o104": {"Estado": "Descartado"},                               # no reason
        "facebook:o101": {"Estado": "Radicado", "Radicado": "2026-ER-0101"},     # good
    }, extra=[{"ID caso": "facebook:nope", "Estado": "Radicado", "Radicado": "X-1"}])
    before = _case(engine, "x:pii0")
    r = load_case_register(engine, filled, tz="America/Bogota", actor="ana", now=NOW)
    assert r.applied == ["facebook:o101"]
    got = {(i.column, i.reason.split(":")[0].split(" (")[0]) for i in r.issues}
    assert ("Estado", "estado no válido") in got
    assert ("Fecha de respuesta", "fecha no válida") in got
    assert ("Fecha de respuesta", "la fecha de respuesta es anterior a la recepción del caso") \
        in got
    assert ("Motivo de descarte", "un caso descartado necesita el motivo de descarte") in got
    assert ("ID caso", "caso desconocido") in got
    assert all(i.row >= 4 for i in r.issues) and len(r.rejected_rows) == 5
    unknown = next(i for i in r.issues if i.column == "ID caso")
    wb = load_workbook(filled, read_only=True)
    assert wb["Registro de casos"].cell(row=unknown.row, column=1).value == "facebook:nope"
    wb.close()
    assert _case(engine, "x:pii0")["responded_at"] == before["responded_at"]
    assert _case(engine, "facebook:o105")["status"] == "candidate"
    assert len(_events(engine)) == 1


def test_unreadable_file(warehouse, tmp_path):
    bad = tmp_path / "no.xlsx"
    bad.write_text("not a workbook")
    with pytest.raises(RegisterError, match="no.xlsx"):
        load_case_register(warehouse, bad, tz="America/Bogota", actor="ana")
    with pytest.raises(RegisterError, match="no existe"):
        load_case_register(warehouse, tmp_path / "missing.xlsx", tz="America/Bogota", actor="ana")


def _cli(args: list[str], db_url: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PULSO_WAREHOUSE_URL=db_url, PULSO_HOME=str(tmp_path / "var"))
    return subprocess.run([sys.executable, "-m", "pulso.cli", "load-register", *args],
                          capture_output=True, text=True, env=env, timeout=120)


def test_cli(sqlite_warehouse, tmp_path):
    from pulso.reports import pqrs

    fx.build(sqlite_warehouse)
    files = pqrs.build(fx.context(sqlite_warehouse, tmp_path))
    url = sqlite_warehouse.url.render_as_string(hide_password=False)
    filled = _fill(files.xlsx, {"facebook:o105": {"Estado": "Radicado", "Radicado": "R-9"},
                                "x:pii2": {"Estado": "Nada"}})
    p = _cli([str(filled), "--actor", "ana"], url, tmp_path)
    assert p.returncode == 1, p.stderr
    assert "1 aplicadas" in p.stdout and "aplicada: facebook:o105" in p.stdout
    assert "RECHAZADA fila" in p.stdout and "«Estado»" in p.stdout
    p = _cli([str(filled), "--actor", "ana"], url, tmp_path)
    assert p.returncode == 1 and "0 aplicadas" in p.stdout
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"\x00\x01")
    p = _cli([str(junk), "--actor", "ana"], url, tmp_path)
    assert p.returncode == 2 and "junk.xlsx" in p.stderr
