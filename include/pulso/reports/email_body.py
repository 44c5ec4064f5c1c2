"""Subject and body (HTML + plain text, es-CO) of the e-mails that carry a report.

The figures come from the builder's typed summary (`pulso.reports.summary`): the PQRS e-mail
shows the report's own KPIs at its cut-off, the others each summary's highlights; a figure the
report does not have (None) is left out, never shown as zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from pulso.core.config import PulsoConfig
from pulso.core.paths import TEMPLATES_DIR
from pulso.core.periods import Period
from pulso.core.vocab import PQRS_TYPE_PLURALS as PQRS_TYPE_LABELS
from pulso.core.vocab import REPORT_TITLES as SUBJECTS
from pulso.reports.fmt import num
from pulso.reports.summary import PqrsSummary, ReportSummary

TITLES = {
    "semestral": "informe semestral de gestión de redes sociales",
    "growth": "informe de gestión de redes sociales",
    "sentiment": "informe de sentimientos en redes sociales",
}
@dataclass(frozen=True)
class EmailContent:
    subject: str
    html: str
    text: str


def fmt_number(value) -> str:
    """es-CO number (pulso.reports.fmt): 12.345 and 12,3; other values as text."""
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int):
        return num(value)
    if isinstance(value, float):
        return num(value, 0 if value.is_integer() else 1)
    return str(value)


def _env(autoescape: bool) -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES_DIR / "email")),
                      autoescape=select_autoescape(["html"]) if autoescape else False,
                      undefined=StrictUndefined, keep_trailing_newline=True)
    env.filters["num"] = fmt_number
    return env


def pqrs_figures(summary: PqrsSummary | None) -> dict:
    """The PQRS e-mail's figures, consistent with the report's own KPIs at its cut-off.

    Felicitaciones are counted apart, never inside the PQRS total; `kpis` is an ordered list
    of (label, value, emphasise) so the template cannot mix up labels and figures.
    """
    if summary is None:
        return {"kpis": [], "by_type": [], "alerts": [], "as_of": None}
    s = summary
    kpis = [("Mensajes recibidos", s.messages, False),
            ("PQRS válidas (sin felicitaciones ni descartadas)", s.valid, False),
            ("Respondidas en la red", s.answered_in_network_cases, False),
            ("Radicadas", s.filed, False),
            ("Con respuesta formal", s.answered, False),
            ("Vencidas sin respuesta formal", s.overdue, bool(s.overdue)),
            ("Candidatos sin revisar", s.pending_review, False),
            ("Felicitaciones (aparte de las PQRS)", s.felicitaciones, False)]
    by_type = [(PQRS_TYPE_LABELS.get(k, k), v) for k, v in s.by_type.items()
               if v and k != "felicitacion"]
    as_of = date.fromisoformat(s.as_of).strftime("%d/%m/%Y") if s.as_of else None
    return {"kpis": kpis, "by_type": by_type, "alerts": list(s.alerts), "as_of": as_of}


def period_phrase(period: Period) -> str:
    return f"al {period.label}" if period.kind == "semester" else f"a {period.label}"


def subject_for(kind: str, period: Period, config: PulsoConfig) -> str:
    title = SUBJECTS.get(kind, f"Informe {kind}")
    return f"{title} – {period.label} – {config.entity.short_name}"


def render_email(kind: str, period: Period, config: PulsoConfig, summary: ReportSummary | None,
                 attachments: Sequence[str], *, personal_data: bool = False,
                 report_link: str | None = None, now: datetime | None = None) -> EmailContent:
    """Subject, HTML and text of the e-mail carrying report `kind` for `period`."""
    now = (now or datetime.now(UTC)).astimezone(ZoneInfo(config.entity.timezone))
    ctx = {
        "entity": config.entity, "period_label": period.label, "period_phrase": period_phrase(period),
        "period_start": period.start.strftime("%d/%m/%Y"),
        "period_end": period.end.strftime("%d/%m/%Y"),
        "attachments": list(attachments), "report_link": report_link,
        "personal_data": personal_data, "generated_on": now.strftime("%d/%m/%Y a las %H:%M"),
        "subject": subject_for(kind, period, config),
    }
    if kind == "pqrs":
        ctx["figures"] = pqrs_figures(summary if isinstance(summary, PqrsSummary) else None)
        name = "pqrs_mensual"
    else:
        ctx["report_title"] = TITLES.get(kind, f"informe {kind}")
        ctx["highlights"] = summary.highlights() if summary is not None else []
        name = "informe"
    html = _env(True).get_template(f"{name}.html").render(**ctx)
    text = _env(False).get_template(f"{name}.txt").render(**ctx)
    return EmailContent(ctx["subject"], html, text)
