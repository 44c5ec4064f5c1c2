"""Monthly PQRS report (canal virtual redes sociales): figures, privacy, register, edge months."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import text

from pdf_text import pdf_text

_spec = importlib.util.spec_from_file_location("_sp_fixture", Path(__file__).with_name(
    "_sp_fixture.py"))
fx = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fx)

OCT = {"a": fx.utc(2026, 10, 1, 5), "b": fx.utc(2026, 11, 1, 5)}



def _rows(path: Path, sheet: str, header_row: int = 1) -> list[dict]:
    wb = load_workbook(path, read_only=True)
    try:
        rows = list(wb[sheet].iter_rows(values_only=True))
    finally:
        wb.close()
    head = rows[header_row - 1]
    return [dict(zip(head, r, strict=False)) for r in rows[header_row:]]


def _xlsx_all_text(path: Path) -> str:
    wb = load_workbook(path, read_only=True)
    try:
        return " ".join(str(v) for ws in wb.worksheets for r in ws.iter_rows(values_only=True)
                        for v in r if v is not None)
    finally:
        wb.close()


@pytest.fixture
def built(warehouse, tmp_path):
    from pulso.reports import pqrs

    expected = fx.build(warehouse)
    return pqrs.build(fx.context(warehouse, tmp_path)), expected, warehouse


def test_headline_figures_match_sql_excel_and_pdf(built):
    files, expected, engine = built
    with engine.connect() as conn:
        cases = conn.execute(text("SELECT status, COUNT(*) FROM pqrs_case WHERE received_at >= :a"
                                  " AND received_at < :b AND pqrs_type <> 'felicitacion'"
                                  " GROUP BY status"), OCT).all()
        answered_in_net = conn.execute(text(
            "SELECT COUNT(*) FROM message WHERE created_at >= :a AND created_at < :b AND "
            "(is_own IS NULL OR NOT is_own) AND responded_at IS NOT NULL"), OCT).scalar()
    by_status = {s: n for s, n in cases}
    s = files.summary
    assert s["messages"] == expected["oct_inbound"]
    # felicitaciones are counted apart, never inside a PQRS total
    assert s["candidates"] == sum(by_status.values()) == 7
    assert s["felicitaciones"] == 1
    assert s["filed"] == by_status["filed"] + by_status["answered"]
    assert s["discarded"] == by_status["discarded"] == 2
    assert s["answered_in_network"] == answered_in_net
    # Oct cases as of 2026-11-03 (generated before the cut-off 09/11): x:pii2 (queja, due
    # 30/10) and the denuncia (due 23/10).
    assert s["overdue"] == 2 and s["overdue_backlog"] == 1

    funnel = {r["Etapa"]: r["Cantidad"] for r in _rows(files.xlsx, "Embudo")}
    assert funnel["Posibles PQRS identificadas (sin felicitaciones)"] == s["candidates"]
    assert funnel["Descartadas (no son PQRS)"] == s["discarded"]
    assert funnel["Felicitaciones (aparte: no son PQRS)"] == 1
    inter = {r["Red"]: r for r in _rows(files.xlsx, "Interacciones")}
    assert inter["Total"]["Total"] == expected["oct_inbound"]
    assert inter["Total"]["Respondidos en la red"] == answered_in_net
    assert inter["YouTube"]["Total"] == 0
    timely = {r["Tipo"]: r for r in _rows(files.xlsx, "Oportunidad", header_row=3)}
    assert timely["Reclamo"]["A tiempo"] == 1
    assert timely["Petición"]["Fuera de término"] == 1
    assert timely["Total"]["Vencido"] == 2
    assert timely["Total"]["Pendiente en término"] == 1
    # pii0: received Tue 06/10 09:00 Bogotá, answered Tue 20/10: business days 7-9, 13-16,
    # 19-20 = 9 (Monday 12/10/2026 is the Día de la Raza holiday).
    assert timely["Reclamo"]["Promedio días hábiles de respuesta"] == 9

    pdf = pdf_text(files.pdf)
    assert f"Posibles PQRS identificadas (sin felicitaciones) {s['candidates']}" in pdf
    assert f"Total {inter['Total']['Comentario']}" in pdf
    tt = timely["Total"]
    assert f"{tt['Radicadas']} {tt['Con respuesta formal']} {tt['A tiempo']} " \
           f"{tt['Fuera de término']} {tt['Pendiente en término']} {tt['Vencido']}" in pdf
    assert tt["Casos con término"] == s["valid"] == s["candidates"] - s["discarded"]
    assert "Preparado para Atención a la Ciudadanía" in pdf
    assert "Sin mensajes entrantes en el periodo: YouTube." in pdf
    assert "03/11/2026 (fecha de generación; el corte del periodo es el 09/11/2026" in pdf


def test_sections_access_info_trend_and_alerts(built):
    files, _, _ = built
    info = {r["Indicador"]: r["Valor"] for r in _rows(files.xlsx, "Acceso a información")}
    assert info["Solicitudes de información recibidas"] == "2"
    assert info["Solicitudes en las que se negó el acceso a la información"] == "no registrado"
    assert info["Trasladadas a otra institución (según motivo de descarte registrado)"] == "1"
    comp = {r["Indicador"]: r for r in _rows(files.xlsx, "Comparación")}
    assert comp["Posibles PQRS"]["Mes anterior"] == 2
    assert comp["Posibles PQRS"]["Este mes"] == 7
    assert comp["Posibles PQRS"]["Acumulado del año"] == 9
    assert comp["Felicitaciones"]["Este mes"] == 1
    pdf = pdf_text(files.pdf)
    assert "denuncia(s) con posibles hechos de corrupción" in pdf
    assert "no registrado" in pdf
    prio = _rows(files.xlsx, "Casos prioritarios")
    assert prio[0]["Alerta"] == "Denuncia por corrupción"
    assert any(r["Alerta"] == "Vencido (mes anterior)" for r in prio)
    assert any("corrupción" in a for a in files.summary["alerts"])


def test_citizen_service_report_has_no_raw_handles_or_personal_data(built):
    files, _, _ = built
    for blob in (pdf_text(files.pdf), _xlsx_all_text(files.xlsx)):
        assert fx.SECRET_HANDLE not in blob
        assert "user_" not in blob  # the fixture's raw author handles
        assert "3001234567" not in blob
        assert "juana.perez@correo.com" not in blob
        assert "1.020.304.050" not in blob
    register = _rows(files.xlsx, "Registro de casos", header_row=3)
    texts = " ".join(r["Texto"] for r in register)
    assert "[teléfono]" in texts and "[correo]" in texts and "[documento]" in texts
    assert all(re.match(r"^(Ciudadano [0-9a-f]{6}|Anónimo)$", r["Autor"]) for r in register)


def test_register_sheet_has_status_validation(built):
    files, _, _ = built
    wb = load_workbook(files.xlsx)
    ws = wb["Registro de casos"]
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert lists and "Radicado" in lists[0].formula1 and "Descartado" in lists[0].formula1
    assert ws["A3"].value == "ID caso"


def test_month_without_pqrs_and_empty_month(warehouse, tmp_path):
    from pulso.reports import pqrs

    fx.build(warehouse)
    # August: messages but no cases.
    aug = pqrs.build(fx.context(warehouse, tmp_path, period="2026-08"))
    assert aug.summary["candidates"] == 0 and aug.summary["messages"] == 20
    assert "No se identificaron posibles PQRS en el periodo" in pdf_text(aug.pdf)
    # March: nothing at all.
    mar = pqrs.build(fx.context(warehouse, tmp_path, period="2026-03"))
    pdf = pdf_text(mar.pdf)
    assert mar.summary["messages"] == 0
    assert "No se recibieron mensajes entrantes en el periodo" in pdf
    assert "No hay casos en el periodo" in pdf
    assert [r for r in _rows(mar.xlsx, "Registro de casos", header_row=3) if r["ID caso"]] == []


def test_allowed_recipient_sees_handles(warehouse, tmp_path):
    from pulso.reports import pqrs

    fx.build(warehouse)
    # the runner sets personal_data when every recipient is in personal_data_allowed
    files = pqrs.build(fx.context(warehouse, tmp_path, personal_data=True))
    register = _rows(files.xlsx, "Registro de casos", header_row=3)
    assert f"@{fx.SECRET_HANDLE}" in {r["Autor"] for r in register}
    # texts stay masked for phones / e-mails / documents
    assert "3001234567" not in " ".join(r["Texto"] for r in register)


def _kpi_numbers(pdf: str) -> dict[str, int]:
    """The KPI block of page 1 as {label: value}, read from the PDF text (values, then labels)."""
    labels = ("PQRS válidas", "respondidas en la red", "radicadas", "con respuesta formal",
              "vencidas sin")
    m = re.search(r"PQRS del periodo al \S+ " + " ".join([r"(\d[\d.]*)"] * 5) + " "
                  + re.escape(" ".join(labels)), pdf)
    assert m, f"KPI block not in the PDF: {pdf[:1500]}"
    return {k: int(v.replace(".", "")) for k, v in zip(labels, m.groups(), strict=True)}


def test_kpis_on_first_page_agree_with_each_other_and_the_tables(built):
    files, _, _ = built
    from pdf_text import pdf_pages

    first = pdf_pages(files.pdf)[0]
    k = _kpi_numbers(first)
    s = files.summary
    assert k["PQRS válidas"] == s["valid"]
    assert k["vencidas sin"] == s["overdue"]
    # every valid PQRS is in exactly one timeliness bucket; answered ones are filed first
    assert s["on_time"] + s["late"] + s["pending_in_term"] + s["overdue"] == s["valid"]
    assert s["answered"] == s["on_time"] + s["late"] <= s["filed"] <= s["valid"]
    assert k["con respuesta formal"] == s["answered"]
    assert k["radicadas"] == s["filed"] and k["respondidas en la red"] <= s["valid"]
    sentence = (f"{s['on_time']} a tiempo + {s['late']} fuera de término + "
                f"{s['pending_in_term']} pendientes en término + {s['overdue']} vencidas")
    assert sentence in first


def test_cutoff_makes_a_later_rerun_give_the_same_figures(warehouse, tmp_path):
    """Judged at period end + office days: an answer given after the cut-off does not count."""
    from datetime import UTC, datetime

    from pulso.reports import pqrs

    fx.build(warehouse)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    early = pqrs.build(fx.context(warehouse, tmp_path / "a",
                                  generated_at=datetime(2026, 11, 20, 14, tzinfo=UTC)))
    # the office answers the overdue queja (x:pii2) on 25/11, after the cut-off (09/11)
    with warehouse.begin() as conn:
        conn.execute(text("UPDATE pqrs_case SET status = 'answered', responded_at = :r "
                          "WHERE message_id = 'x:pii2'"),
                     {"r": datetime(2026, 11, 25, 15, tzinfo=UTC)})
    later = pqrs.build(fx.context(warehouse, tmp_path / "b",
                                  generated_at=datetime(2027, 2, 1, 14, tzinfo=UTC)))
    keys = ("valid", "filed", "answered", "on_time", "late", "pending_in_term", "overdue")
    assert {k: early.summary[k] for k in keys} == {k: later.summary[k] for k in keys}
    assert later.summary["as_of"] == "2026-11-09"
    pdf = pdf_text(later.pdf)
    assert "09/11/2026 (cierre del periodo + 5 días hábiles" in pdf
    assert "situación al 01/02/2027" in pdf
    register = {r["ID caso"]: r for r in _rows(later.xlsx, "Registro de casos", header_row=3)}
    assert register["x:pii2"]["Estado"] == "Respondido"          # today's register
    assert register["x:pii2"]["Estado al corte"] == "Radicado"   # what the figures count
    assert register["x:pii2"]["Oportunidad al corte"] == "Vencido"


def test_annex_lists_cases_by_next_step_and_deadline(built):
    files, _, _ = built
    from pulso.reports.pqrs import ACTIONS

    register = [r for r in _rows(files.xlsx, "Registro de casos", header_row=3) if r["ID caso"]]
    ranks = [ACTIONS.index(r["Siguiente paso"]) for r in register]
    assert ranks == sorted(ranks)
    assert register[0]["Siguiente paso"] == "Radicar hoy (vencido)"  # the denuncia, due 23/10
    assert {r["Siguiente paso"] for r in register if r["Tipo"] == "Felicitación"} == {
        "Registrar felicitación"}
    for a, b in zip(register, register[1:], strict=False):
        if a["Siguiente paso"] == b["Siguiente paso"] and a["Vence"] and b["Vence"]:
            assert a["Vence"] <= b["Vence"]


def test_trend_row_of_a_month_equals_that_months_own_report(built, tmp_path):
    """Each month in the trend is judged at its own cut-off, as its own report is."""
    from pulso.reports import pqrs

    files, _, warehouse = built
    sep = pqrs.build(fx.context(warehouse, tmp_path / "sep", period="2026-09")) \
        if (tmp_path / "sep").mkdir() is None else None
    comp = {r["Indicador"]: r["Mes anterior"] for r in _rows(files.xlsx, "Comparación")}
    s = sep.summary
    assert comp["Posibles PQRS"] == s["candidates"]
    assert comp["Radicadas"] == s["filed"]
    assert comp["Con respuesta formal"] == s["answered"]
    assert comp["Respondidas en la red"] == s["answered_in_network_cases"]
    assert comp["Felicitaciones"] == s["felicitaciones"]
    assert comp["Mensajes entrantes"] == s["messages"]
