"""The e-mail carrying a report: Spanish subject, es-CO figures, tolerant of missing keys."""

from __future__ import annotations

from pulso.core.periods import parse_period
from pulso.reports.email_body import fmt_number, pqrs_figures, render_email


def test_pqrs_email(config):
    summary = {"total_interactions": 12345, "candidates": 57, "overdue": 3,
               "by_type": {"peticion": 40, "queja": 10, "denuncia": 7, "sugerencia": 0},
               "alerts": ["Denuncia por <posible> corrupción"]}
    mail = render_email("pqrs", parse_period("2026-10"), config, summary,
                        ["informe-pqrs-redes_2026-10.xlsx", "informe-pqrs-redes_2026-10.pdf"])
    assert mail.subject == f"Informe PQRS redes sociales – octubre de 2026 – {config.entity.short_name}"
    for text in (mail.html, mail.text):
        assert "12.345" in text and "57" in text and "Peticiones" in text
        assert "Denuncias" in text and "Sugerencias" not in text  # zero counts are left out
        assert "01/10/2026" in text and "31/10/2026" in text
        assert "informe-pqrs-redes_2026-10.pdf" in text
        assert config.entity.name in text
        assert "enmascarados" in text
    assert "&lt;posible&gt;" in mail.html and "<posible>" in mail.text  # HTML is escaped
    assert "<html" not in mail.text


def test_pqrs_email_with_personal_data_and_missing_figures(config):
    mail = render_email("pqrs", parse_period("2026-10"), config, {}, ["a.xlsx"],
                        personal_data=True)
    assert "enmascarados" not in mail.html
    assert "No se registran alertas" in mail.html and "Interacciones recibidas" not in mail.html


def test_semestral_email(config):
    mail = render_email("semestral", parse_period("2026-S1"), config,
                        {"followers": 1500000, "reach": 2.5e6, "engagements": 10.5},
                        ["informe-semestral-redes_2026-S1.pdf"])
    assert mail.subject.startswith("Informe semestral de redes sociales – primer semestre de 2026")
    assert "correspondiente al primer semestre de 2026" in mail.text
    assert "1.500.000" in mail.html and "2.500.000" in mail.html and "10,5" in mail.html


def test_figures_aliases_and_numbers():
    f = pqrs_figures({"messages": 10, "by_type": {"reclamo": 2, "queja": 1}, "alerts": 2})
    assert f["total_interactions"] == 10 and f["candidates"] == 3
    assert f["by_type"] == [("Reclamos", 2), ("Quejas", 1)]
    assert f["alerts"] == ["2 alertas registradas"]
    assert fmt_number(1234567) == "1.234.567" and fmt_number(12.34) == "12,3"
    assert fmt_number(3.0) == "3"
