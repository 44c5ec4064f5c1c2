"""PQRS review actions and the report list behind the UI plugin, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from pulso.cases import review
from pulso.warehouse.schema import message, pqrs_case, pqrs_case_event, report_run

NOW = datetime(2026, 5, 20, 15, 0, tzinfo=UTC)
TODAY = date(2026, 5, 20)


def _seed(engine) -> None:
    cases = [  # message_id, type, due date, text
        ("facebook:1", "queja", date(2026, 5, 25), "No ha llegado el subsidio"),
        ("x:2", "peticion", date(2026, 5, 18), "Solicito copia del contrato <script>"),
        ("instagram:3", "felicitacion", None, "Gracias por la jornada"),
        ("facebook:4", "reclamo", date(2026, 5, 21), "Me cobraron doble"),
    ]
    with engine.begin() as conn:
        for mid, ptype, due, text in cases:
            conn.execute(message.insert().values(
                message_id=mid, account_id="facebook:ent", network=mid.split(":")[0],
                kind="comment", created_at=datetime(2026, 5, 4, 14, tzinfo=UTC), text=text,
                permalink=f"https://example.org/{mid}", source="demo"))
            conn.execute(pqrs_case.insert().values(
                message_id=mid, pqrs_type=ptype, pqrs_score=0.7,
                received_at=datetime(2026, 5, 4, 14, tzinfo=UTC), due_date=due,
                status="candidate"))
        conn.execute(pqrs_case.insert().values(
            message_id="x:9", pqrs_type="queja", received_at=NOW, status="filed",
            radicado="R-9"))


def _events(engine, mid: str) -> list[dict]:
    return review.case_events(engine, mid)


def _case(engine, mid: str) -> dict:
    with engine.connect() as conn:
        return dict(conn.execute(select(pqrs_case).where(pqrs_case.c.message_id == mid))
                    .mappings().one())


def test_open_candidates_overdue_first_then_due_date(warehouse):
    _seed(warehouse)
    rows = review.open_candidates(warehouse, limit=10, today=TODAY)
    assert [r["message_id"] for r in rows] == ["x:2", "facebook:4", "facebook:1", "instagram:3"]
    assert [r["overdue"] for r in rows] == [True, False, False, False]
    assert rows[0]["days_left"] == -2 and rows[0]["text"].endswith("<script>")
    assert rows[0]["network"] == "x" and rows[0]["permalink"] == "https://example.org/x:2"
    assert rows[0]["received_at"].tzinfo is not None
    assert [r["message_id"] for r in review.open_candidates(warehouse, 2, today=TODAY)] == [
        "x:2", "facebook:4"]


def test_same_deadline_likeliest_first_doubtful_last(warehouse):
    """Recall first: doubtful candidates stay in the queue, but after the likely ones."""
    _seed(warehouse)
    with warehouse.begin() as conn:
        for mid, score in (("facebook:20", 0.38), ("facebook:21", 0.95), ("facebook:22", None)):
            conn.execute(pqrs_case.insert().values(
                message_id=mid, pqrs_type="queja", pqrs_score=score, status="candidate",
                received_at=datetime(2026, 5, 4, 15, tzinfo=UTC), due_date=date(2026, 5, 25)))
    ids = [r["message_id"] for r in review.open_candidates(warehouse, limit=20, today=TODAY)]
    same_day = [i for i in ids if i in {"facebook:1", "facebook:20", "facebook:21", "facebook:22"}]
    assert same_day == ["facebook:21", "facebook:1", "facebook:20", "facebook:22"]


def test_confirm_files_case_records_event_and_is_idempotent(warehouse):
    _seed(warehouse)
    res = review.confirm(warehouse, "facebook:1", "  2026-ER-000123 ", "analista", now=NOW)
    assert res.changed
    case = _case(warehouse, "facebook:1")
    assert (case["status"], case["radicado"], case["reviewed_by"]) == (
        "filed", "2026-ER-000123", "analista")
    assert case["filed_at"] is not None and case["updated_at"] is not None
    again = review.confirm(warehouse, "facebook:1", "2026-ER-000123", "otra", now=NOW)
    assert not again.changed
    events = _events(warehouse, "facebook:1")
    assert [(e["action"], e["actor"]) for e in events] == [("confirm", "analista")]
    assert events[0]["detail"] == {"radicado": "2026-ER-000123", "pqrs_type": "queja"}
    assert events[0]["at"] == NOW
    assert _case(warehouse, "facebook:1")["reviewed_by"] == "analista"
    with pytest.raises(review.ReviewError, match="ya no está pendiente: está radicado con el "
                                                 "radicado 2026-ER-000123"):
        review.confirm(warehouse, "facebook:1", "OTRO-1", "analista")
    assert len(_events(warehouse, "facebook:1")) == 1


@pytest.mark.parametrize("radicado, msg", [("", "obligatorio"), ("   ", "obligatorio"),
                                           ("R" * 61, "no puede superar 60 caracteres")])
def test_confirm_validates_radicado(sqlite_warehouse, radicado, msg):
    _seed(sqlite_warehouse)
    with pytest.raises(review.ReviewError, match=msg) as err:
        review.confirm(sqlite_warehouse, "facebook:1", radicado, "analista")
    assert err.value.field == "radicado"
    assert _case(sqlite_warehouse, "facebook:1")["status"] == "candidate"
    assert _events(sqlite_warehouse, "facebook:1") == []
    review.confirm(sqlite_warehouse, "facebook:1", "R" * 60, "analista")
    assert _case(sqlite_warehouse, "facebook:1")["radicado"] == "R" * 60


def test_unknown_case_and_missing_actor(sqlite_warehouse):
    _seed(sqlite_warehouse)
    with pytest.raises(review.CaseNotFound, match="no existe el caso PQRS 'nada:0'"):
        review.confirm(sqlite_warehouse, "nada:0", "R-1", "analista")
    with pytest.raises(review.ReviewError, match="usuario"):
        review.discard(sqlite_warehouse, "facebook:1", "spam", "  ")


def test_retype_changes_type_and_due_date(warehouse):
    _seed(warehouse)
    res = review.retype(warehouse, "instagram:3", "Queja", "analista", now=NOW)
    assert res.changed and res.detail["from"] == "felicitacion" and res.detail["to"] == "queja"
    case = _case(warehouse, "instagram:3")
    assert case["pqrs_type"] == "queja" and case["reviewed_by"] == "analista"
    # received Mon 4 May 2026 09:00 Bogotá; 15 business days (18 May is a holiday) -> 26 May
    assert case["due_date"] == date(2026, 5, 26)
    assert res.detail["due_date"] == [None, "2026-05-26"]
    assert not review.retype(warehouse, "instagram:3", "queja", "analista").changed
    review.retype(warehouse, "instagram:3", "felicitacion", "jefe", now=NOW + timedelta(1))
    assert _case(warehouse, "instagram:3")["due_date"] is None
    assert [(e["action"], e["actor"]) for e in _events(warehouse, "instagram:3")] == [
        ("retype", "analista"), ("retype", "jefe")]
    with pytest.raises(review.ReviewError, match="tipo de PQRS no válido: 'tutela'") as err:
        review.retype(warehouse, "instagram:3", "tutela", "analista")
    assert err.value.field == "pqrs_type"


def test_discard_requires_reason_and_records_it(warehouse):
    _seed(warehouse)
    for bad in ("", "  \n "):
        with pytest.raises(review.ReviewError, match="el motivo de descarte es obligatorio"):
            review.discard(warehouse, "facebook:4", bad, "analista")
    with pytest.raises(review.ReviewError, match="no puede superar 300"):
        review.discard(warehouse, "facebook:4", "x" * 301, "analista")
    res = review.discard(warehouse, "facebook:4", " Es publicidad,\n no una PQRS ", "analista",
                         now=NOW)
    assert res.changed
    case = _case(warehouse, "facebook:4")
    assert (case["status"], case["discard_reason"]) == ("discarded",
                                                        "Es publicidad, no una PQRS")
    assert not review.discard(warehouse, "facebook:4", "Es publicidad, no una PQRS", "a").changed
    with pytest.raises(review.ReviewError, match="está descartado"):
        review.confirm(warehouse, "facebook:4", "R-1", "analista")
    with pytest.raises(review.ReviewError, match="está descartado"):
        review.retype(warehouse, "facebook:4", "queja", "analista")
    events = _events(warehouse, "facebook:4")
    assert [(e["action"], e["actor"], e["detail"]["reason"]) for e in events] == [
        ("discard", "analista", "Es publicidad, no una PQRS")]
    assert "facebook:4" not in {r["message_id"] for r in review.open_candidates(warehouse, today=TODAY)}


def test_failed_event_insert_rolls_back_the_case_update(sqlite_warehouse):
    """Case row and event row are one transaction: no change without its audit record."""
    _seed(sqlite_warehouse)
    with sqlite_warehouse.begin() as conn:
        conn.exec_driver_sql("CREATE TRIGGER no_events BEFORE INSERT ON pqrs_case_event "
                             "BEGIN SELECT RAISE(ABORT, 'audit down'); END")
    with pytest.raises(Exception, match="audit down"):
        review.confirm(sqlite_warehouse, "facebook:1", "R-1", "analista")
    assert _case(sqlite_warehouse, "facebook:1")["status"] == "candidate"
    with sqlite_warehouse.connect() as conn:
        assert conn.execute(select(func.count()).select_from(pqrs_case_event)).scalar() == 0


def _run(engine, kind: str, period: str, files: list[str], **kw) -> None:
    with engine.begin() as conn:
        conn.execute(report_run.insert().values(kind=kind, period=period,
                                                files=json.dumps(files), **kw))


def test_report_runs_and_confined_report_file(warehouse, tmp_path: Path, monkeypatch):
    reports = tmp_path / "reports"
    monkeypatch.setenv("PULSO_REPORTS_DIR", str(reports))
    good = reports / "growth" / "2026-04" / "crecimiento.pdf"
    good.parent.mkdir(parents=True)
    good.write_bytes(b"%PDF-1.7")
    outside = tmp_path / "secreto.txt"
    outside.write_text("x")
    link = reports / "enlace.txt"
    link.symlink_to(outside)
    _run(warehouse, "growth", "2026-04", [str(good), str(outside), str(link),
                                          str(reports / "borrado.xlsx")],
         recipients=json.dumps(["a@b.gov.co"]), sent_at=NOW, created_at=NOW)
    _run(warehouse, "pqrs", "2026-05", [], recipients=None, created_at=NOW)
    runs = review.report_runs(warehouse)
    assert [(r["kind"], r["period"]) for r in runs] == [("pqrs", "2026-05"),
                                                        ("growth", "2026-04")]
    growth = runs[1]
    assert growth["recipients"] == ["a@b.gov.co"] and growth["sent_at"] == NOW
    assert [(f["name"], f["available"]) for f in growth["files"]] == [
        ("crecimiento.pdf", True), ("secreto.txt", False), ("enlace.txt", False),
        ("borrado.xlsx", False)]
    assert growth["files"][0]["size"] == 8
    assert review.report_file(warehouse, "growth", "2026-04", "crecimiento.pdf") == \
        good.resolve()
    for name, msg in [("secreto.txt", "fuera de la carpeta"), ("enlace.txt", "fuera de la"),
                      ("../secreto.txt", "no válido"), ("..", "no válido"),
                      ("borrado.xlsx", "ya no existe"), ("otro.pdf", "no tiene el archivo")]:
        with pytest.raises(review.ReportFileError, match=msg):
            review.report_file(warehouse, "growth", "2026-04", name)
    with pytest.raises(review.ReportFileError, match="no tiene el archivo"):
        review.report_file(warehouse, "growth", "2099-01", "crecimiento.pdf")


def test_pages_render_escaped_with_test_ids(sqlite_warehouse):
    from pulso.web.pages import informes_page, pqrs_page

    _seed(sqlite_warehouse)
    cases = review.open_candidates(sqlite_warehouse, today=TODAY)
    cases[1]["permalink"] = "javascript:alert(1)"
    html = pqrs_page(base="/pulso", user="ana<lista>", csrf="t" * 64, can_write=True,
                     cases=cases, error="Radicado: <b>mal</b>")
    assert "javascript:" not in html and 'href="https://example.org/x:2"' in html
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "ana&lt;lista&gt;" in html and "&lt;b&gt;mal&lt;/b&gt;" in html
    for tid in ("caso-x:2", "vencido-x:2", "confirmar-x:2", "radicado-x:2", "tipo-x:2",
                "cambiar-tipo-x:2", "motivo-x:2", "descartar-x:2", "error"):
        assert f'data-testid="{tid}"' in html
    ro = pqrs_page(base="/pulso", user="v", csrf="", can_write=False,
                   cases=review.open_candidates(sqlite_warehouse, today=TODAY))
    assert 'data-testid="solo-lectura"' in ro and "confirmar-" not in ro
    assert 'data-testid="sin-informes"' in informes_page(base="/pulso", user="v", runs=[])
