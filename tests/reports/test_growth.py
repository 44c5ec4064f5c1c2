"""Monthly growth report: figures match the warehouse, the Excel and the PDF; empty months."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import text

from pulso.reports import fmt, growth

from report_data import FB, IG, pdf_pages, pdf_text


def _sql(engine, q, **p):
    with engine.connect() as c:
        return c.execute(text(q), p).all()


def _sheet(path, name):
    wb = load_workbook(path, read_only=True)
    rows = [tuple(r) for r in wb[name].iter_rows(values_only=True)]
    wb.close()
    return rows


def _records(rows, header_row=0):
    head = rows[header_row]
    return [dict(zip(head, r, strict=False)) for r in rows[header_row + 1:]]


@pytest.fixture
def october(make_report_ctx):
    ctx = make_report_ctx("2026-10")
    return ctx, growth.build(ctx)


def test_headline_figures_equal_direct_sql(october, report_warehouse):
    _, files = october
    s = files.summary
    (eng, reach, views, posts), = _sql(
        report_warehouse, "SELECT SUM(engagements), SUM(reach), SUM(views), "
        "SUM(posts_published) FROM account_daily WHERE day BETWEEN '2026-10-01' AND '2026-10-31'")
    (end,), = _sql(report_warehouse,
                   "SELECT SUM(followers) FROM account_daily WHERE day = '2026-10-31'")
    (start,), = _sql(report_warehouse,
                     "SELECT SUM(followers) FROM account_daily WHERE day = '2026-09-30'")
    assert (s["engagements"], s["reach"], s["views"], s["posts"]) == (eng, reach, views, posts)
    assert s["followers_end"] == end
    assert s["net_followers"] == end - start
    assert s["growth"] == pytest.approx((end - start) / start, abs=1e-6)
    assert s["engagement_rate_reach"] == pytest.approx(eng / reach, abs=1e-6)
    assert s["accounts_with_data"] == 2 and s["accounts_without_data"] == 1  # X: no data
    assert files.xlsx.name == "informe-gestion-redes_2026-10.xlsx"
    assert files.pdf.parent.name == "2026-10"


def test_excel_has_the_database_sheet_and_summary_sheets(october, report_warehouse):
    _, files = october
    wb = load_workbook(files.xlsx, read_only=True)
    assert {"Resumen", "Por red", "Por cuenta", "Mejores publicaciones", "Horarios",
            "Datos diarios", "Comparación", "Notas"} <= set(wb.sheetnames)
    wb.close()
    db = _records(_sheet(files.xlsx, "Datos diarios"))
    (n, eng), = _sql(report_warehouse, "SELECT COUNT(*), SUM(engagements) FROM account_daily "
                     "WHERE day BETWEEN '2026-10-01' AND '2026-10-31'")
    assert len(db) == n == 62  # one row per account-day, Bogotá days
    assert sum(r["Interacciones"] for r in db) == eng
    ig = [r for r in db if r["ID cuenta"] == IG]
    assert all(r["Reproducciones de video"] is None for r in ig)  # NULL stays empty, not 0
    assert ig[0]["Fecha"].date() == date(2026, 10, 1)


def test_pdf_shows_the_same_figures_as_the_excel(october):
    _, files = october
    pdf = pdf_text(files.pdf)
    accounts = _records(_sheet(files.xlsx, "Por cuenta"))
    rates = _records(_sheet(files.xlsx, "Tasas de interacción"), header_row=2)
    assert [r["Cuenta"] for r in accounts] == ["Facebook · @PruebaFB", "Instagram · @prueba.ig",
                                               "Total"]
    for a, r in zip(accounts, rates, strict=True):
        row_text = (f"{fmt.num(a['Seguidores al inicio'])} "
                    f"{fmt.num(a['Seguidores al cierre'])} {fmt.num(a['Ganados'])} "
                    f"{fmt.num(a['Perdidos'])} {fmt.signed_num(a['Crecimiento neto'])} "
                    f"{fmt.signed_pct(a['Crecimiento %'])}")
        assert row_text in pdf, a["Cuenta"]
        assert (f"{fmt.num(r['Interacciones'])} {fmt.pct(r['Tasa por alcance'], 2)} "
                f"{fmt.pct(r['Tasa por visualizaciones'], 2)} "
                f"{fmt.pct(r['Tasa por seguidores'], 2)}") in pdf
    for label in ("Tasa por alcance", "Tasa por visualizaciones", "Tasa por seguidores"):
        assert label in pdf


def test_top_posts_use_the_difference_of_lifetime_snapshots(october, report_warehouse):
    _, files = october
    top = _records(_sheet(files.xlsx, "Mejores publicaciones"))
    assert 0 < len(top) <= growth.TOP_POSTS

    def month_eng(post_id):
        def eng(day_cond):
            r = _sql(report_warehouse,
                     "SELECT reactions + comments + shares + COALESCE(saves, 0) FROM post_daily "
                     f"WHERE post_id = :p AND {day_cond} ORDER BY day DESC LIMIT 1", p=post_id)
            return r[0][0] if r else 0
        return eng("day <= '2026-10-31'") - eng("day < '2026-10-01'")

    posts = _sql(report_warehouse, "SELECT DISTINCT post_id FROM post_daily "
                 "WHERE day BETWEEN '2026-10-01' AND '2026-10-31'")
    expected = sorted((month_eng(p) for (p,) in posts), reverse=True)[:len(top)]
    assert [r["Interacciones del mes"] for r in top] == expected
    # A post published on 28/09 counts only what it gained in October.
    sept = "facebook:100-p20260928-0"
    lifetime = _sql(report_warehouse, "SELECT MAX(reactions) FROM post_daily WHERE post_id=:p",
                    p=sept)[0][0]
    assert 0 < month_eng(sept) < lifetime + 1
    pdf = pdf_text(files.pdf)
    assert fmt.day(top[0]["Publicada"]) in pdf  # the time may wrap in its cell
    assert fmt.num(top[0]["Interacciones del mes"]) in pdf
    # per-post engagement rate over the post's own reach
    rate = top[0]["Interacciones del mes"] / top[0]["Alcance del mes"]
    assert top[0]["Tasa por alcance"] == pytest.approx(rate)
    assert fmt.pct(rate, 2) in pdf


def test_best_hours_come_from_the_months_posts_in_bogota_time(october, report_warehouse):
    _, files = october
    rows = _sql(report_warehouse, """
        SELECT p.published_at, a.network, (SELECT reactions + comments + shares
          + COALESCE(saves, 0) FROM post_daily d WHERE d.post_id = p.post_id
          AND d.day <= '2026-10-31' ORDER BY d.day DESC LIMIT 1)
        FROM post p JOIN account a ON a.account_id = p.account_id
        WHERE p.published_at >= '2026-10-01 05:00:00'
          AND p.published_at < '2026-11-01 05:00:00'""")
    from datetime import datetime, timedelta
    slots = defaultdict(list)
    for at, net, eng in rows:
        local = datetime.fromisoformat(str(at)) - timedelta(hours=5)
        slots[(net, local.weekday(), local.hour)].append(eng)
    sheet = _records(_sheet(files.xlsx, "Horarios"), header_row=2)
    assert sum(r["Publicaciones"] for r in sheet) == len(rows) == files.summary["posts_in_month"]
    # one row per network and slot: networks are never averaged together
    assert len(sheet) == len(slots)
    for net in ("facebook", "instagram"):
        label = fmt.network_label(net)
        mine = [r for r in sheet if r["Red"] == label]
        repeated = {k: sum(v) / len(v) for k, v in slots.items() if k[0] == net and len(v) >= 2}
        best = max(repeated, key=repeated.get)
        assert (mine[0]["Día"], mine[0]["Hora"]) == (fmt.WEEKDAYS_ES[best[1]],
                                                     fmt.hour_label(best[2]))
        assert mine[0]["Promedio por publicación"] == pytest.approx(repeated[best])
        assert mine[0]["Publicaciones"] == len(slots[best])
    # Fixture posts are at 08:00, 12:00 and 19:00 Bogotá: no UTC hour leaks into the table.
    assert {r["Hora"] for r in sheet} <= {"08:00", "12:00", "19:00"}
    pdf = pdf_text(files.pdf)
    assert "Mejores días y horas para publicar, por red" in pdf
    assert "Las redes no se promedian entre sí" in pdf


def test_totals_say_which_networks_they_cover(make_report_ctx, report_warehouse):
    """X gives no reach in the fixture's posts but does in its account stats: in October X has
    no data at all, so every total covers Facebook and Instagram only, and says nothing."""
    files = growth.build(make_report_ctx("2026-10"))
    assert files.summary["reach_networks"] == ["Facebook", "Instagram"]
    (reach,), = _sql(report_warehouse, "SELECT SUM(reach) FROM account_daily WHERE "
                     "day BETWEEN '2026-10-01' AND '2026-10-31'")
    assert files.summary["reach"] == reach
    pdf = pdf_text(files.pdf)
    assert "Alcance: suma del" in pdf and "alcance diario de las" in pdf  # KPI label wraps
    assert "no lo informa" not in pdf  # both networks with data report reach


def test_targets_against_actual(report_warehouse, report_config, tmp_path):
    from datetime import UTC, datetime

    from pulso.core.config import Targets
    from pulso.core.periods import parse_period
    from pulso.reports.base import ReportContext

    cfg = report_config.model_copy(update={"targets": Targets(engagements=1, posts=10_000)})
    ctx = ReportContext(engine=report_warehouse, config=cfg, period=parse_period("2026-10"),
                        out_dir=tmp_path, generated_at=datetime(2026, 11, 1, 11, tzinfo=UTC))
    files = growth.build(ctx)
    rows = {r["Indicador"]: r for r in _records(_sheet(files.xlsx, "Metas"), header_row=2)}
    assert rows["Interacciones"]["Estado"] == "Cumplida"
    assert rows["Publicaciones"]["Estado"] == "No cumplida"
    assert rows["Publicaciones"]["Resultado"] == fmt.num(files.summary["posts"])
    assert "Crecimiento neto de seguidores" not in rows  # targets not set are not shown
    assert "Metas del mes" in pdf_text(files.pdf)


def test_comparison_with_previous_month_and_last_year(october, report_warehouse):
    _, files = october
    rows = _records(_sheet(files.xlsx, "Comparación"), header_row=2)
    fb = {r["Indicador"]: r for r in rows if r["Cuenta"].startswith("Facebook")}
    ig = {r["Indicador"]: r for r in rows if r["Cuenta"].startswith("Instagram")}
    (prev,), = _sql(report_warehouse, "SELECT SUM(engagements) FROM account_daily WHERE "
                    "account_id = :a AND day BETWEEN '2026-09-01' AND '2026-09-30'", a=FB)
    (last,), = _sql(report_warehouse, "SELECT SUM(engagements) FROM account_daily WHERE "
                    "account_id = :a AND day BETWEEN '2025-10-01' AND '2025-10-31'", a=FB)
    e = fb["Interacciones"]
    assert e["Mes anterior (septiembre de 2026)"] == prev
    assert e["Mismo mes año anterior (octubre de 2025)"] == last
    assert e["Variación anual"] == pytest.approx((e["Este mes"] - last) / last)
    assert ig["Interacciones"]["Mismo mes año anterior (octubre de 2025)"] is None
    pdf = pdf_text(files.pdf)
    assert "sin datos" in pdf  # Instagram had no data in October 2025


def test_every_page_has_entity_period_and_page_number(october):
    _, files = october
    pages = pdf_pages(files.pdf)
    assert len(pages) >= 2
    for i, page in enumerate(pages, start=1):
        assert "Instituto Distrital de Prueba & Vivienda" in page
        assert "octubre de 2026" in page
        assert f"Página {i} de {len(pages)}" in page


def test_empty_month_still_renders(make_report_ctx):
    files = growth.build(make_report_ctx("2024-01"))
    pdf = pdf_text(files.pdf)
    assert "Sin datos para este periodo" in pdf
    assert "enero de 2024" in pdf
    assert files.summary["accounts_with_data"] == 0 and files.summary["engagements"] is None
    db = _sheet(files.xlsx, "Datos diarios")
    assert len(db) == 1  # header only
    assert "Sin datos para este periodo" in str(_sheet(files.xlsx, "Por cuenta")[0][0])


def test_month_without_posts_for_one_account(make_report_ctx):
    files = growth.build(make_report_ctx("2026-08"))  # Instagram posted nothing in August
    rows = {r["Cuenta"]: r for r in _records(_sheet(files.xlsx, "Por cuenta"))}
    assert rows["Instagram · @prueba.ig"]["Publicaciones"] == 0
    sheet = _records(_sheet(files.xlsx, "Horarios"), header_row=2)
    assert all(r["Día"] != "martes" for r in sheet)  # Instagram's Tuesday slot is absent
    assert "Sin datos en el periodo: X · @PruebaX" in pdf_text(files.pdf)


def test_growth_report_needs_a_month(make_report_ctx):
    with pytest.raises(ValueError, match="month"):
        growth.compute(make_report_ctx("2026-S1"))
