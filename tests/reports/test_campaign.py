"""Campaign report: the campaign's posts with their links, reach, interactions and the PQRS
they drew; every figure equals the warehouse, the Excel and the PDF."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import text

from pulso.reports import campaign, fmt

from pdf_text import pdf_text

NAME = "Feria de Vivienda 2026"


@pytest.fixture
def tagged(report_warehouse):
    """October's Facebook and Instagram posts of 12..23/10 tagged as a campaign; two Facebook
    comments attached to its first post (one of them a PQRS case)."""
    with report_warehouse.begin() as conn:
        conn.execute(text("UPDATE post SET campaign = :c WHERE published_at >= "
                          "'2026-10-12 05:00:00' AND published_at < '2026-10-24 05:00:00' "
                          "AND account_id IN ('facebook:100', 'instagram:200')"), {"c": NAME})
        first = conn.execute(text("SELECT post_id FROM post WHERE campaign = :c "
                                  "ORDER BY published_at LIMIT 1"), {"c": NAME}).scalar()
        mids = [r[0] for r in conn.execute(text(
            "SELECT m.message_id FROM message m JOIN pqrs_case c ON c.message_id = m.message_id "
            "WHERE m.account_id = 'facebook:100' AND NOT m.is_own AND c.status <> 'discarded' "
            "AND m.created_at >= '2026-10-12' ORDER BY m.created_at LIMIT 1"))]
        mids += [r[0] for r in conn.execute(text(
            "SELECT m.message_id FROM message m LEFT JOIN pqrs_case c ON c.message_id = "
            "m.message_id WHERE m.account_id = 'facebook:100' AND NOT m.is_own AND "
            "c.message_id IS NULL AND m.created_at >= '2026-10-12' ORDER BY m.created_at "
            "LIMIT 1"))]
        conn.execute(text("UPDATE message SET post_id = :p WHERE message_id IN (:a, :b)"),
                     {"p": first, "a": mids[0], "b": mids[1]})
    return report_warehouse


def _build(engine, config, tmp_path):
    from pulso.reports.base import ReportContext

    spans = campaign.campaign_spans(engine, config)
    ctx = ReportContext(engine=engine, config=config,
                        period=campaign.campaign_period(NAME, *spans[NAME]),
                        out_dir=tmp_path, generated_at=datetime(2026, 11, 1, 11, tzinfo=UTC))
    return campaign.build(ctx)


def _sheet(path, name, header_row=0):
    wb = load_workbook(path, read_only=True)
    rows = [tuple(r) for r in wb[name].iter_rows(values_only=True)]
    wb.close()
    return [dict(zip(rows[header_row], r, strict=False)) for r in rows[header_row + 1:]]


def test_campaign_figures_match_warehouse_excel_and_pdf(tagged, report_config, tmp_path):
    files = _build(tagged, report_config, tmp_path)
    s = files.summary
    assert (s["first_day"], s["last_day"], s["closing_day"]) == (
        "2026-10-12", "2026-10-23", "2026-10-25")
    with tagged.connect() as conn:
        posts = conn.execute(text(
            "SELECT p.post_id, p.permalink, d.reach, d.reactions + d.comments + d.shares "
            "+ COALESCE(d.saves, 0) FROM post p JOIN post_daily d ON d.post_id = p.post_id "
            "AND d.day = (SELECT MAX(day) FROM post_daily d2 WHERE d2.post_id = p.post_id "
            "AND d2.day <= '2026-10-25') WHERE p.campaign = :c"), {"c": NAME}).all()
    assert s["posts"] == len(posts) > 0
    assert s["reach"] == sum(r[2] for r in posts)
    assert s["interactions"] == sum(r[3] for r in posts)
    assert s["engagement_rate_reach"] == pytest.approx(s["interactions"] / s["reach"], abs=1e-6)
    assert s["messages"] == 2 and s["pqrs"] == 1

    evidence = _sheet(files.xlsx, "Publicaciones (evidencia)", 2)
    assert sorted(r["Enlace (evidencia)"] for r in evidence) == sorted(r[1] for r in posts)
    per = {r["Red"]: r for r in _sheet(files.xlsx, "Por red")}
    assert per["Total"]["Interacciones"] == s["interactions"]
    assert per["Total"]["PQRS generadas"] == 1

    pdf = pdf_text(files.pdf)
    assert NAME in pdf
    assert fmt.num(s["interactions"]) in pdf and fmt.pct(s["engagement_rate_reach"], 2) in pdf
    assert "Publicaciones (evidencia de divulgación)" in pdf


def test_campaigns_to_report_and_unknown_names(tagged, report_config):
    spans = campaign.campaign_spans(tagged, report_config)
    assert list(spans) == [NAME]
    assert campaign.ended_campaigns(tagged, report_config, datetime(2026, 10, 25).date()) == [
        NAME]
    assert campaign.ended_campaigns(tagged, report_config, datetime(2026, 10, 24).date()) == []
    with pytest.raises(ValueError, match="no hay publicaciones con la campaña"):
        campaign.run_campaign(tagged, report_config, "Otra campaña", out_dir=None)
