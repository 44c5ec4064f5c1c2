"""Monthly sentiment report: figures match the warehouse, Excel and PDF agree, edge months."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import text

from pdf_text import pdf_text

_spec = importlib.util.spec_from_file_location("_sp_fixture", Path(__file__).with_name(
    "_sp_fixture.py"))
fx = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fx)



def _sheet(path: Path, name: str) -> list[tuple]:
    wb = load_workbook(path, read_only=True)
    try:
        return [tuple(r) for r in wb[name].iter_rows(values_only=True)]
    finally:
        wb.close()


def _as_dict(rows: list[tuple]) -> list[dict]:
    head = rows[0]
    return [dict(zip(head, r, strict=False)) for r in rows[1:]]


@pytest.fixture
def built(warehouse, tmp_path):
    from pulso.reports import sentiment

    expected = fx.build(warehouse)
    ctx = fx.context(warehouse, tmp_path)
    return sentiment.build(ctx), expected, warehouse


def test_counts_match_warehouse_excel_and_pdf(built):
    files, expected, engine = built
    with engine.connect() as conn:
        inbound = conn.execute(text(
            "SELECT COUNT(*) FROM message WHERE created_at >= :a AND created_at < :b "
            "AND (is_own IS NULL OR NOT is_own)"),
            {"a": fx.utc(2026, 10, 1, 5), "b": fx.utc(2026, 11, 1, 5)}).scalar()
    assert files.summary["messages"] == inbound == expected["oct_inbound"]
    for s in ("positive", "neutral", "negative"):
        assert files.summary[s] == expected["oct_sentiment"][s]
    assert files.summary["unlabelled"] == 1

    dist = {r["Sentimiento"]: r for r in _as_dict(_sheet(files.xlsx, "Distribución"))}
    assert dist["Negativo"]["Mensajes"] == expected["oct_sentiment"]["negative"]
    assert dist["Positivo"]["Mensajes"] == expected["oct_sentiment"]["positive"]
    by_net = {r["Red"]: r for r in _as_dict(_sheet(files.xlsx, "Por red"))}
    assert by_net["YouTube"]["Total"] == 0
    assert sum(r["Total"] for r in by_net.values()) == inbound
    assert sum(r["Total"] for r in _as_dict(_sheet(files.xlsx, "Por semana"))) == inbound

    pdf = pdf_text(files.pdf)
    labelled = sum(expected["oct_sentiment"].values())
    neg_pct = f"{expected['oct_sentiment']['negative'] / labelled * 100:.1f}".replace(".", ",")
    assert f"{neg_pct} %" in pdf
    assert f"Negativo {expected['oct_sentiment']['negative']} {neg_pct} %" in pdf
    assert f"Total {inbound}" in pdf
    assert "YouTube (sin mensajes)" in pdf
    fb = by_net["Facebook"]
    assert f"Facebook {fb['Positivo']} {fb['Neutral']} {fb['Negativo']}" in pdf


def test_message_database_one_row_per_message_with_latest_label(built):
    files, expected, _ = built
    rows = _as_dict(_sheet(files.xlsx, "Mensajes"))
    ids = [r["ID mensaje"] for r in rows]
    assert len(ids) == len(set(ids)) == expected["oct_inbound"]
    relab = next(r for r in rows if r["ID mensaje"] == expected["relabelled"])
    assert relab["Sentimiento"] in ("Positivo", "Neutral")  # the v2 label, not v1 "negative"
    assert "facebook:own1" not in ids  # the entity's own messages are not citizens' sentiment
    texts = " ".join(r["Texto"] or "" for r in rows)
    assert "3001234567" not in texts and "juana.perez@correo.com" not in texts
    assert "1.020.304.050" not in texts and fx.SECRET_HANDLE not in texts
    assert all(r["Autor"].startswith(("Ciudadano ", "Anónimo")) for r in rows)


def test_trend_and_negative_drivers(built):
    files, _, _ = built
    trend = _as_dict(_sheet(files.xlsx, "Tendencia"))
    assert [r["Clave"] for r in trend] == ["2026-05", "2026-06", "2026-07", "2026-08",
                                         "2026-09", "2026-10"]
    assert trend[0]["% negativo"] == pytest.approx(0.2)
    assert trend[4]["% negativo"] == pytest.approx(0.4)
    words = [r["Término"] for r in _as_dict(_sheet(files.xlsx, "Términos negativos"))]
    assert words[0] == "subsidio"  # in every negative fixture text, in no other
    assert not set(words) & {"que", "de", "el", "la", "y"}
    topics = {r["Tema"]: r for r in _as_dict(_sheet(files.xlsx, "Temas"))}
    assert topics["Subsidios y ayudas"]["Negativos"] > 0
    pdf = pdf_text(files.pdf)
    assert "subsidio" in pdf and "Mensajes más negativos" in pdf
    assert "3001234567" not in pdf and "juana.perez@correo.com" not in pdf


def test_empty_month_renders_and_says_so(warehouse, tmp_path):
    from pulso.reports import sentiment

    fx.build(warehouse)
    files = sentiment.build(fx.context(warehouse, tmp_path, period="2026-03"))
    assert files.summary["messages"] == 0
    pdf = pdf_text(files.pdf)
    assert "No se recibieron mensajes en el periodo" in pdf
    assert _sheet(files.xlsx, "Mensajes") == [tuple(_sheet(files.xlsx, "Mensajes")[0])]
    assert files.xlsx.name == "informe-sentimientos_2026-03.xlsx"


def test_database_splits_over_sheets_past_the_row_limit(tmp_path):
    """The streamed message database with a small row limit: every row once, in order."""
    import pandas as pd

    from pulso.reports.excel import big_table_placeholder, new_workbook, save_workbook

    df = pd.DataFrame({
        "ID mensaje": [f"m{i}" for i in range(25)],
        "Fecha": pd.date_range("2026-10-01 08:30", periods=25, freq="h"),
        "Puntaje": [i / 10 for i in range(25)],
        "Texto": ["a < b & c > d \x01" if i == 3 else (None if i == 4 else f"t{i}")
                  for i in range(25)],
    })
    wb = new_workbook(write_only=True)
    fills = big_table_placeholder(wb, "Mensajes", df, max_rows=11)
    save_workbook(wb, tmp_path / "x.xlsx", fills=fills)
    names = list(fills)
    assert names == ["Mensajes (1)", "Mensajes (2)", "Mensajes (3)"]
    got = []
    for n in names:
        rows = _sheet(tmp_path / "x.xlsx", n)
        assert rows[0] == ("ID mensaje", "Fecha", "Puntaje", "Texto") and len(rows) <= 11
        got += rows[1:]
    assert [r[0] for r in got] == df["ID mensaje"].tolist()
    assert got[0][1] == df["Fecha"][0].to_pydatetime()
    assert got[24][2] == pytest.approx(2.4)
    assert got[3][3] == "a < b & c > d " and got[4][3] is None
