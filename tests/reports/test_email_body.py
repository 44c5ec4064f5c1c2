"""The e-mail carrying a report: Spanish subject, es-CO figures read from typed summaries."""

from __future__ import annotations

import pytest

from pulso.core.periods import parse_period
from pulso.reports.email_body import fmt_number, pqrs_figures, render_email
from pulso.reports.summary import SemestralSummary

from report_standins import pqrs_summary


def test_pqrs_email(config):
    mail = render_email("pqrs", parse_period("2026-10"), config, pqrs_summary(),
                        ["informe-pqrs-redes_2026-10.xlsx", "informe-pqrs-redes_2026-10.pdf"])
    assert mail.subject == f"Informe PQRS redes sociales – octubre de 2026 – {config.entity.short_name}"
    for text in (mail.html, mail.text):
        assert "12.345" in text and "Peticiones" in text
        assert "Denuncias" in text and "Sugerencias" not in text  # zero counts are left out
        assert "Felicitaciones (aparte de las PQRS)" in text  # never inside the PQRS total
        assert "Situación al 07/11/2026" in text
        assert "01/10/2026" in text and "31/10/2026" in text
        assert "informe-pqrs-redes_2026-10.pdf" in text
        assert config.entity.name in text
        assert "enmascarados" in text
    assert "&lt;posible&gt;" in mail.html and "<posible>" in mail.text  # HTML is escaped
    assert "<html" not in mail.text


def test_pqrs_kpis_agree_with_each_other():
    f = pqrs_figures(pqrs_summary())
    kpis = {label: value for label, value, _ in f["kpis"]}
    valid = kpis["PQRS válidas (sin felicitaciones ni descartadas)"]
    assert kpis["Vencidas sin respuesta formal"] <= valid - kpis["Con respuesta formal"]
    assert sum(v for _, v in f["by_type"]) == valid  # felicitación is not a PQRS type here
    assert ("Felicitaciones", 4) not in f["by_type"]


def test_pqrs_email_with_personal_data_and_no_summary(config):
    mail = render_email("pqrs", parse_period("2026-10"), config, None, ["a.xlsx"],
                        personal_data=True)
    assert "enmascarados" not in mail.html
    assert "No se registran alertas" in mail.html and "Mensajes recibidos" not in mail.html


def test_semestral_email(config):
    s = SemestralSummary(period="2026-S1", networks=6, accounts=6, accounts_with_data=6,
                         top_account=None, obsolete=[], kept_for_citizens=[], pqrs_valid=1200,
                         pqrs_filed=1100, engagements=1500000, reach=None,
                         messages=2500000, negative_share=0.2, pqrs_cases=1300,
                         recommendations=3)
    mail = render_email("semestral", parse_period("2026-S1"), config, s,
                        ["informe-semestral-redes_2026-S1.pdf"])
    assert mail.subject.startswith("Informe semestral de redes sociales – primer semestre de 2026")
    assert "correspondiente al primer semestre de 2026" in mail.text
    assert "1.500.000" in mail.html and "2.500.000" in mail.html and "1.200" in mail.html
    assert "Con respuesta formal" not in mail.html  # None is "no data", never shown as 0


def test_summary_reads_fields_only():
    s = pqrs_summary()
    assert s["valid"] == 57 and s.as_dict()["overdue"] == 7
    with pytest.raises(KeyError):
        s["total_interactions"]  # an old alias is an error, not a silent None


def test_numbers():
    assert fmt_number(1234567) == "1.234.567" and fmt_number(12.34) == "12,3"
    assert fmt_number(3.0) == "3"
