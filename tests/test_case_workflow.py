"""The case state machine, optimistic concurrency, register staleness and the triage list.

Each test reproduces an attack of issue 14 (items 1-3, 9 and the review at volume) on SQLite
and on PostgreSQL.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from pulso.cases import review
from pulso.cases.registers import load_case_register
from pulso.cases.states import state_errors, transition_error
from pulso.warehouse.schema import message, pqrs_case, pqrs_case_event

T0 = datetime(2026, 10, 1, 12, tzinfo=UTC)      # cases screened
AS_OF = datetime(2026, 11, 1, 11, tzinfo=UTC)   # register generated
T1 = datetime(2026, 11, 3, 15, tzinfo=UTC)      # UI decisions after that
NOW = datetime(2026, 11, 5, 15, tzinfo=UTC)     # register loaded
TODAY = date(2026, 11, 5)


def _seed(engine, n: int = 4, **extra) -> list[str]:
    ids = [f"facebook:{i}" for i in range(1, n + 1)]
    with engine.begin() as conn:
        for i, mid in enumerate(ids, start=1):
            conn.execute(message.insert().values(
                message_id=mid, account_id="facebook:ent", network="facebook", kind="comment",
                created_at=T0, text=f"mensaje {i}", source="demo"))
            conn.execute(pqrs_case.insert().values(
                message_id=mid, pqrs_type="felicitacion", pqrs_score=0.5, received_at=T0,
                due_date=None, status="candidate", updated_at=T0, **extra))
    return ids


def _register(tmp_path: Path, rows: list[dict], name: str = "registro.xlsx") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Registro de casos"
    cols = ["ID caso", "Estado", "Radicado", "Fecha de respuesta", "Motivo de descarte"]
    ws.append(cols)
    for r in rows:
        ws.append([r.get(c) for c in cols])
    path = tmp_path / name
    wb.save(path)
    return path


def _case(engine, mid: str) -> dict:
    with engine.connect() as conn:
        return dict(conn.execute(select(pqrs_case).where(pqrs_case.c.message_id == mid))
                    .mappings().one())


def _register_events(engine) -> list:
    with engine.connect() as conn:
        return list(conn.execute(select(pqrs_case_event).where(
            pqrs_case_event.c.action == "register_update")).mappings())


# ------------------------------------------------------------------ 1. state machine


def test_state_machine_transitions_and_required_fields():
    assert transition_error("candidate", "filed") is None
    assert transition_error("discarded", "candidate") is None
    assert "no puede pasar" in transition_error("filed", "candidate")
    assert "no puede pasar" in transition_error("answered", "candidate")
    assert state_errors({"status": "filed"}) == {
        "radicado": "un caso radicado necesita número de radicado"}
    assert "responded_at" in state_errors({"status": "answered", "radicado": "R"})
    assert "responded_at" in state_errors({"status": "candidate", "responded_at": NOW})


def test_old_unchanged_register_cannot_undo_ui_decisions(warehouse, tmp_path):
    """Attack: file/discard in the UI, then load last month's register as it came (all
    «Candidato»): the decisions stay, the rows are reported stale, no event is written."""
    a, b, c, _ = _seed(warehouse)
    review.confirm(warehouse, a, "2026-ER-1", "ana", now=T1)
    review.discard(warehouse, b, "spam", "ana", now=T1)
    path = _register(tmp_path, [{"ID caso": m, "Estado": "Candidato"} for m in (a, b, c)])
    r = load_case_register(warehouse, path, tz="America/Bogota", actor="oficina", now=NOW, as_of=AS_OF)
    assert sorted(r.stale) == [a, b]
    assert r.applied == [] and r.unchanged == 1
    assert any("desactualizada" in i.reason for i in r.issues)
    assert _case(warehouse, a)["status"] == "filed"
    assert _case(warehouse, a)["radicado"] == "2026-ER-1"
    assert _case(warehouse, b)["status"] == "discarded"
    assert _register_events(warehouse) == []


def test_register_never_moves_filed_back_to_candidate_even_when_newer(warehouse, tmp_path):
    a, *_ = _seed(warehouse, 1)
    review.confirm(warehouse, a, "R-1", "ana", now=T1)
    path = _register(tmp_path, [{"ID caso": a, "Estado": "Candidato"}])
    r = load_case_register(warehouse, path, tz="America/Bogota", actor="oficina", now=NOW,
                           as_of=NOW - timedelta(hours=1))
    assert r.applied == [] and "no puede pasar" in str(r.issues[0])
    assert _case(warehouse, a)["status"] == "filed"


def test_register_applies_what_the_office_changed_and_bumps_version(warehouse, tmp_path):
    a, b, *_ = _seed(warehouse)
    path = _register(tmp_path, [
        {"ID caso": a, "Estado": "Radicado", "Radicado": "2026-ER-7"},
        {"ID caso": b, "Estado": "Respondido", "Radicado": "2026-ER-8",
         "Fecha de respuesta": datetime(2026, 11, 2)}])
    r = load_case_register(warehouse, path, tz="America/Bogota", actor="oficina", now=NOW, as_of=AS_OF)
    assert r.issues == [] and sorted(r.applied) == [a, b]
    assert _case(warehouse, a)["version"] == 1 and _case(warehouse, b)["status"] == "answered"


# ------------------------------------------------------------------ 2. concurrency


def test_concurrent_retypes_one_wins_and_the_rest_are_told_to_reload(warehouse):
    """Attack: 6 analysts retype the same case from the same page at once."""
    (a,) = _seed(warehouse, 1)
    outcomes: list = []
    barrier = threading.Barrier(6)
    types = ["peticion", "queja", "reclamo", "sugerencia", "denuncia", "peticion"]

    def act(t: str) -> None:
        barrier.wait()
        try:
            outcomes.append(review.retype(warehouse, a, t, f"u-{t}", version=0).changed)
        except review.StaleCase as exc:
            outcomes.append(str(exc))

    threads = [threading.Thread(target=act, args=(t,)) for t in types]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count(True) == 1
    assert all("recargue" in o for o in outcomes if o is not True)
    events = review.case_events(warehouse, a)
    assert len(events) == 1 and events[0]["detail"]["from"] == "felicitacion"
    assert _case(warehouse, a)["version"] == 1


def test_stale_page_gets_reload_message(warehouse):
    (a,) = _seed(warehouse, 1)
    review.retype(warehouse, a, "queja", "ana", version=0)
    with pytest.raises(review.StaleCase, match="este caso cambió"):
        review.discard(warehouse, a, "no es PQRS", "beto", version=0)
    assert _case(warehouse, a)["status"] == "candidate"


# ------------------------------------------------------------------ 3. register details


def test_long_radicados_stay_text_floats_and_duplicates_rejected(warehouse, tmp_path):
    a, b, c, d, e = _seed(warehouse, 5)
    review.confirm(warehouse, e, "R-USADO", "ana", now=T0 + timedelta(days=1))
    path = _register(tmp_path, [
        {"ID caso": a, "Estado": "Radicado", "Radicado": "20261100000000012345"},
        {"ID caso": b, "Estado": "Radicado", "Radicado": 2.0261100000000012e19},
        {"ID caso": c, "Estado": "Radicado", "Radicado": "R-USADO"},
        {"ID caso": d, "Estado": "Candidato", "Fecha de respuesta": datetime(2026, 11, 2)},
    ])
    r = load_case_register(warehouse, path, tz="America/Bogota", actor="oficina", now=NOW, as_of=AS_OF)
    assert r.applied == [a]
    assert _case(warehouse, a)["radicado"] == "20261100000000012345"
    reasons: dict[int, str] = {}
    for i in r.issues:
        reasons[i.row] = reasons.get(i.row, "") + " | " + i.reason
    assert "15 dígitos" in reasons[3] and "ya está asignado" in reasons[4]
    assert "candidato no puede tener fecha de respuesta" in reasons[5]


def test_same_radicado_for_two_cases_in_one_register(warehouse, tmp_path):
    a, b, *_ = _seed(warehouse)
    path = _register(tmp_path, [{"ID caso": a, "Estado": "Radicado", "Radicado": "R-9"},
                                {"ID caso": b, "Estado": "Radicado", "Radicado": "R-9"}])
    r = load_case_register(warehouse, path, tz="America/Bogota", actor="oficina", now=NOW, as_of=AS_OF)
    assert r.applied == [a] and "ya está asignado" in r.issues[0].reason


def test_ui_refuses_duplicate_radicado_and_control_characters(warehouse):
    a, b, *_ = _seed(warehouse)
    review.confirm(warehouse, a, "R-1", "ana")
    with pytest.raises(review.ReviewError, match="ya está asignado"):
        review.confirm(warehouse, b, "R-1", "ana")
    with pytest.raises(review.ReviewError, match="caracteres de control"):
        review.confirm(warehouse, b, "R-\x0b2", "ana")
    with pytest.raises(review.ReviewError, match="caracteres de control"):
        review.discard(warehouse, b, "spam\x1b[31m", "ana")


# ------------------------------------------------------------------ review at volume


def _seed_many(engine, n: int) -> None:
    rows_m, rows_c = [], []
    nets = ["facebook", "x", "instagram"]
    for i in range(n):
        mid = f"{nets[i % 3]}:{i}"
        rows_m.append({"message_id": mid, "account_id": "a", "network": nets[i % 3],
                       "kind": "comment", "created_at": T0,
                       "text": "luz caída en el barrio" if i % 10 == 0 else f"texto {i}",
                       "source": "demo"})
        rows_c.append({"message_id": mid, "pqrs_type": "queja" if i % 2 else "peticion",
                       "pqrs_score": (i % 100) / 100, "received_at": T0,
                       "due_date": TODAY + timedelta(days=(i % 20) - 5),
                       "status": "candidate"})
    with engine.begin() as conn:
        conn.execute(message.insert(), rows_m)
        conn.execute(pqrs_case.insert(), rows_c)


def test_filters_pagination_sort_and_counts(warehouse):
    _seed_many(warehouse, 300)
    f, errors = review.parse_filters({"red": "x", "tipo": "queja", "por_pagina": "25",
                                      "orden": "puntaje", "pagina": "2"})
    assert errors == []
    page = review.search_cases(warehouse, f, today=TODAY)
    assert page.total == 50 and page.open_total == 300 and page.pages == 2
    assert len(page.rows) == 25 and page.first == 26 and page.last == 50
    scores = [r["pqrs_score"] for r in page.rows]
    assert scores == sorted(scores, reverse=True)
    assert {r["network"] for r in page.rows} == {"x"}
    overdue, _ = review.parse_filters({"vence": "vencidos"})
    assert all(r["overdue"] for r in review.search_cases(warehouse, overdue, today=TODAY).rows)
    text, _ = review.parse_filters({"q": "LUZ caída", "puntaje": "0,5"})
    hits = review.search_cases(warehouse, text, today=TODAY)
    assert hits.total > 0 and all("luz" in r["text"] for r in hits.rows)
    assert all(r["pqrs_score"] >= 0.5 for r in hits.rows)
    wild, _ = review.parse_filters({"q": "%"})
    assert review.search_cases(warehouse, wild, today=TODAY).total == 0
    _, errors = review.parse_filters({"red": "myspace", "puntaje": "7"})
    assert len(errors) == 2


def test_bulk_discard_one_reason_skips_changed_cases(warehouse):
    ids = _seed(warehouse, 5)
    review.retype(warehouse, ids[0], "queja", "ana", version=0)  # now version 1
    res = review.bulk_discard(warehouse, [(m, 0) for m in ids], "ola de spam", "beto")
    assert res.discarded == ids[1:] and list(res.skipped) == [ids[0]]
    assert all(_case(warehouse, m)["discard_reason"] == "ola de spam" for m in ids[1:])
    detail = review.case_detail(warehouse, ids[1])
    assert [e["action"] for e in detail["events"]] == ["discard"]
    assert detail["status_label"] == "Descartado" and detail["version"] == 1


def test_export_filtered_list_keeps_hostile_text_as_text(warehouse, tmp_path):
    _seed(warehouse, 1)
    with warehouse.begin() as conn:
        conn.execute(message.update().values(text="=cmd|' /C calc'!A0\x1b"))
    f, _ = review.parse_filters({})
    path = review.export_cases(warehouse, f, tmp_path / "lista.xlsx", today=TODAY,
                               tz=ZoneInfo("America/Bogota"))
    ws = load_workbook(path).active
    cell = next(c for c in ws[2] if isinstance(c.value, str) and c.value.startswith("=cmd"))
    assert cell.data_type == "s" and cell.value == "=cmd|' /C calc'!A0"
