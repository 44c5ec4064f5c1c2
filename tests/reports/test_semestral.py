"""Semestral report: ranking, trends, obsolescence, PQRS/sentiment match the warehouse."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from sqlalchemy import text

from pulso.reports import fmt, semestral

from report_data import pdf_pages, pdf_text


def _sql(engine, q, **p):
    with engine.connect() as c:
        return c.execute(text(q), p).all()


def _records(path, name, header_row=0):
    wb = load_workbook(path, read_only=True)
    rows = [tuple(r) for r in wb[name].iter_rows(values_only=True)]
    wb.close()
    return [dict(zip(rows[header_row], r, strict=False)) for r in rows[header_row + 1:]]


@pytest.fixture
def s1(make_report_ctx):
    ctx = make_report_ctx("2026-S1", audience="leadership")
    return ctx, semestral.build(ctx)


def test_counts_ranking_and_formula(s1, report_warehouse):
    _, files = s1
    s = files.summary
    assert (s["networks"], s["accounts"], s["accounts_with_data"]) == (3, 3, 3)
    (eng, reach), = _sql(report_warehouse, "SELECT SUM(engagements), SUM(reach) FROM "
                         "account_daily WHERE day BETWEEN '2026-01-01' AND '2026-06-30'")
    assert (s["engagements"], s["reach"]) == (eng, reach)
    ranking = _records(files.xlsx, "Ranking de impacto", header_row=2)
    assert [r["Cuenta"] for r in ranking] == ["Facebook · @PruebaFB", "Instagram · @prueba.ig",
                                              "X · @PruebaX"]
    per = {a: _sql(report_warehouse, "SELECT SUM(reach), SUM(engagements) FROM account_daily "
                   "WHERE account_id = :a AND day BETWEEN '2026-01-01' AND '2026-06-30'", a=a)[0]
           for a in ("facebook:100", "instagram:200", "x:300")}
    assert ranking[0]["Alcance"] == per["facebook:100"][0]
    assert ranking[2]["Interacciones"] == per["x:300"][1]
    pdf = pdf_text(files.pdf)
    assert "Índice de impacto = 100 × (0,4 × alcance" in pdf
    for r in ranking:
        assert f"{fmt.num(r['Alcance'])} {fmt.num(r['Interacciones'])}" in pdf
        assert fmt.num(r["Índice de impacto"], 1) in pdf


def test_declining_inactive_account_is_flagged_obsolete_with_evidence(s1):
    _, files = s1
    assert files.summary["obsolete"] == ["X · @PruebaX"]
    status = {r["Cuenta"]: r for r in _records(files.xlsx, "Estado de las cuentas")}
    assert status["X · @PruebaX"]["Estado"] == semestral.STATUS_DECLINING
    assert status["X · @PruebaX"]["Tendencia del alcance"] < semestral.AUDIENCE_DECLINE
    assert status["X · @PruebaX"]["Tendencia de interacciones"] < semestral.ENG_DECLINE
    assert status["Instagram · @prueba.ig"]["Estado"] == semestral.STATUS_GROWING
    pdf = pdf_text(files.pdf)
    assert "Cuentas en declive: ¿cerrar o reorientar?" in pdf
    assert "Evaluar el cierre o la reorientación de X · @PruebaX" in pdf
    # the evidence includes the citizens: X drew 6 of the semester's messages (1,6 %)
    assert "Candidata a cierre o reorientación" in pdf and "posibles PQRS" in pdf
    assert fmt.signed_pct(status["X · @PruebaX"]["Tendencia de interacciones"]) in pdf


def test_monthly_trend_is_one_row_per_account_month(s1, report_warehouse):
    _, files = s1
    monthly = _records(files.xlsx, "Tendencia mensual")
    assert len(monthly) == 18  # 3 accounts x 6 months
    march_fb = next(r for r in monthly if r["Mes"] == "marzo de 2026"
                    and r["Cuenta"].startswith("Facebook"))
    (eng,), = _sql(report_warehouse, "SELECT SUM(engagements) FROM account_daily WHERE "
                   "account_id='facebook:100' AND day BETWEEN '2026-03-01' AND '2026-03-31'")
    assert march_fb["Interacciones"] == eng


def test_sentiment_and_pqrs_match_the_latest_labels_and_cases(s1, report_warehouse):
    _, files = s1
    months = {r["Mes"]: r for r in _records(files.xlsx, "Sentimiento por mes")}
    # Latest label = model v2 (classified later); own messages excluded; Bogotá months.
    rows = _sql(report_warehouse, """
        SELECT strftime('%m', datetime(m.created_at, '-5 hours')), l.sentiment
        FROM message m JOIN message_label l ON l.message_id = m.message_id
        WHERE l.model_version = 'v2' AND NOT m.is_own
          AND m.created_at >= '2026-01-01 05:00:00' AND m.created_at < '2026-07-01 05:00:00'""")
    feb = [s for mth, s in rows if mth == "02"]
    assert months["febrero de 2026"]["Mensajes recibidos"] == len(feb)
    assert months["febrero de 2026"]["Negativos"] == feb.count("negative")
    total = months["Semestre"]
    neg = sum(1 for _, s in rows if s == "negative")
    assert total["Negativos"] == neg and total["Mensajes recibidos"] == len(rows)
    assert files.summary["negative_share"] == pytest.approx(neg / len(rows), abs=1e-6)
    types = {r["Tipo"]: r["Casos"] for r in _records(files.xlsx, "PQRS por tipo")}
    expected = dict(_sql(report_warehouse, """
        SELECT pqrs_type, COUNT(*) FROM pqrs_case WHERE received_at >= '2026-01-01 05:00:00'
          AND received_at < '2026-07-01 05:00:00' AND status <> 'discarded'
          AND pqrs_type <> 'felicitacion' GROUP BY pqrs_type"""))
    assert types["Queja"] == expected["queja"] and types["Petición"] == expected["peticion"]
    assert types["Total PQRS válidas"] == sum(expected.values()) == files.summary["pqrs_valid"]
    pdf = pdf_text(files.pdf)
    assert f"Semestre {fmt.num(len(rows))} {fmt.num(len(rows))} {fmt.num(neg)}" in pdf
    assert fmt.pct(neg / len(rows)) in pdf


def test_leadership_report_carries_no_citizen_data(s1):
    _, files = s1
    pdf = pdf_text(files.pdf)
    wb = load_workbook(files.xlsx, read_only=True)
    cells = " ".join(str(v) for ws in wb for row in ws.iter_rows(values_only=True)
                     for v in row if v is not None)
    wb.close()
    for doc in (pdf, cells):
        assert "ciudadano" not in doc.replace("ciudadanía", "")
        assert "Mensaje 1" not in doc


def test_pages_have_running_header_and_numbers(s1):
    _, files = s1
    pages = pdf_pages(files.pdf)
    for i, page in enumerate(pages, start=1):
        assert "Instituto Distrital de Prueba & Vivienda" in page
        assert "primer semestre de 2026" in page
        assert f"Página {i} de {len(pages)}" in page


def test_recommendations_follow_from_the_figures(s1):
    _, files = s1
    wb = load_workbook(files.xlsx, read_only=True)
    recs = [row[1] for row in wb["Recomendaciones"].iter_rows(values_only=True)]
    wb.close()
    assert any(r.startswith("Priorizar Facebook · @PruebaFB") for r in recs)
    assert any("PQRS vencidas sin respuesta" in r for r in recs)
    assert any("posibles PQRS que siguen sin revisar" in r for r in recs)
    assert not any("sin clasificar" in r for r in recs)


def test_empty_semester_still_renders(make_report_ctx):
    files = semestral.build(make_report_ctx("2024-S1", audience="leadership"))
    pdf = pdf_text(files.pdf)
    assert "Sin datos para este periodo" in pdf
    assert files.summary["accounts_with_data"] == 0 and files.summary["messages"] == 0
    assert files.summary["top_account"] is None


def test_semestral_report_needs_a_semester(make_report_ctx):
    with pytest.raises(ValueError, match="semester"):
        semestral.compute(make_report_ctx("2026-10"))


def _sem(reach, eng, net, growth=0.01, posts=2.0):
    return {"reach": reach, "engagements": eng, "net": net, "growth": growth,
            "er_reach": None, "posts": posts, "views": None, "followers_end": 100.0}


def test_ranking_never_treats_a_missing_metric_as_zero():
    import pandas as pd

    labels = pd.Series({"fb": "Facebook · @a", "tt": "TikTok · @b"})
    # TikTok gives no reach: ranked on interactions and growth only, and the basis says so
    table = semestral._ranking({"fb": _sem(1000.0, 100.0, 10.0), "tt": _sem(None, 100.0, 10.0)},
                               labels).df.set_index("Cuenta")
    assert table.loc["TikTok · @b", "Índice de impacto"] == pytest.approx(100.0)
    assert table.loc["Facebook · @a", "Índice de impacto"] == pytest.approx(100.0)
    assert "la red no informa alcance" in table.loc["TikTok · @b", "Base del índice"]
    assert pd.isna(table.loc["TikTok · @b", "Alcance"])


def test_a_declining_network_citizens_still_use_is_not_a_candidate_to_close():
    import pandas as pd

    labels = pd.Series({"x": "X · @a"})
    month = {"reach": 100.0, "views": 100.0, "engagements": 100.0, "posts": 1.0}
    falling = [dict(month), dict(month), dict(month, reach=60.0, engagements=50.0),
               dict(month, reach=50.0, engagements=40.0)]
    sem = {"x": _sem(300.0, 290.0, -50.0, growth=-0.05, posts=4.0)}
    _, quiet = semestral._status({"x": falling}, sem, labels, 4,
                                 {"x": {"messages": 10, "share": 0.01, "pqrs": 0,
                                        "most_pqrs": False}})
    assert quiet[0]["Candidata"] is True
    _, busy = semestral._status({"x": falling}, sem, labels, 4,
                                {"x": {"messages": 900, "share": 0.15, "pqrs": 40,
                                       "most_pqrs": True}})
    assert busy[0]["Candidata"] is False
    assert "No es candidata al cierre" in busy[0]["Conclusión"]
    assert "15,0 %" in busy[0]["Conclusión"] and "40 posibles PQRS" in busy[0]["Conclusión"]


def test_response_performance_and_previous_semester(s1):
    _, files = s1
    s = files.summary
    assert s["pqrs_valid"] == s["pqrs_on_time"] + s["pqrs_late"] + s["pqrs_pending_in_term"] \
        + s["pqrs_overdue"]
    rows = {r["Indicador"]: r for r in _records(files.xlsx, "Respuesta a PQRS", 2)}
    assert rows["Radicadas"]["Casos"] == s["pqrs_filed"]
    pdf = pdf_text(files.pdf)
    assert "Respuesta a la ciudadanía (PQRS)" in pdf
    # the fixture's Facebook account has data in 2025-S2: the comparison is shown
    prev = {r["Indicador"]: r for r in _records(files.xlsx, "Semestre anterior")}
    assert prev["Interacciones"]["Este semestre"] == s["engagements"]
    assert "Comparación con el semestre anterior" in pdf
