"""Subject and body (HTML + plain text, es-CO) of the e-mails that carry a report.

The figures come from the builder's `ReportFiles.summary`; keys are read tolerantly (a few
aliases each) so the e-mail never fails because a headline figure is missing — it is left out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from pulso.core.config import PulsoConfig
from pulso.core.paths import TEMPLATES_DIR
from pulso.core.periods import Period
from pulso.core.vocab import PQRS_TYPE_PLURALS as PQRS_TYPE_LABELS
from pulso.core.vocab import REPORT_TITLES as SUBJECTS
from pulso.reports.fmt import num

TITLES = {
    "semestral": "informe semestral de gestión de redes sociales",
    "growth": "informe de gestión de redes sociales",
    "sentiment": "informe de sentimientos en redes sociales",
}
# summary key aliases -> canonical figure (first present wins)
_PQRS_ALIASES = {
    "total_interactions": ("total_interactions", "interactions", "total_messages", "messages"),
    "candidates": ("candidates", "pqrs_candidates", "total_candidates", "cases", "total_cases"),
    "overdue": ("overdue", "overdue_cases", "vencidas"),
    "by_type": ("by_type", "pqrs_by_type", "cases_by_type"),
    "alerts": ("alerts", "alertas"),
}
_HIGHLIGHT_LABELS = {
    "followers": "Seguidores al cierre", "followers_end": "Seguidores al cierre",
    "followers_gained": "Nuevos seguidores", "net_followers": "Crecimiento neto de seguidores",
    "reach": "Alcance", "views": "Visualizaciones", "engagements": "Interacciones",
    "posts": "Publicaciones", "posts_published": "Publicaciones",
    "messages": "Mensajes recibidos", "total_messages": "Mensajes recibidos",
    "pqrs_candidates": "Posibles PQRS", "candidates": "Posibles PQRS",
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


def _first(summary: Mapping, keys: Sequence[str]):
    for k in keys:
        if k in summary and summary[k] is not None:
            return summary[k]
    return None


def pqrs_figures(summary: Mapping) -> dict:
    """Canonical PQRS headline figures from a builder summary (missing ones are None)."""
    out = {name: _first(summary, keys) for name, keys in _PQRS_ALIASES.items()}
    by_type = out["by_type"]
    if isinstance(by_type, Mapping):
        out["by_type"] = [(PQRS_TYPE_LABELS.get(str(k), str(k).capitalize()), v)
                          for k, v in by_type.items() if v]
    elif by_type is not None and not isinstance(by_type, list):
        out["by_type"] = []
    if out["candidates"] is None and out["by_type"]:
        out["candidates"] = sum(v for _, v in out["by_type"] if isinstance(v, int | float))
    alerts = out["alerts"]
    if isinstance(alerts, int | float) and not isinstance(alerts, bool):
        out["alerts"] = [f"{fmt_number(alerts)} alertas registradas"] if alerts else []
    elif isinstance(alerts, str):
        out["alerts"] = [alerts]
    elif alerts is None:
        out["alerts"] = []
    else:
        out["alerts"] = [_alert_text(a) for a in alerts]
    return out


def _alert_text(alert) -> str:
    if isinstance(alert, Mapping):
        return str(alert.get("text") or alert.get("message") or alert.get("detail") or alert)
    return str(alert)


def period_phrase(period: Period) -> str:
    return f"al {period.label}" if period.kind == "semester" else f"a {period.label}"


def subject_for(kind: str, period: Period, config: PulsoConfig) -> str:
    title = SUBJECTS.get(kind, f"Informe {kind}")
    return f"{title} – {period.label} – {config.entity.short_name}"


def render_email(kind: str, period: Period, config: PulsoConfig, summary: Mapping,
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
        ctx["figures"] = pqrs_figures(summary)
        name = "pqrs_mensual"
    else:
        ctx["report_title"] = TITLES.get(kind, f"informe {kind}")
        ctx["highlights"] = [(label, summary[k]) for k, label in _HIGHLIGHT_LABELS.items()
                             if isinstance(summary.get(k), int | float)
                             and not isinstance(summary.get(k), bool)]
        seen: set[str] = set()
        ctx["highlights"] = [(lab, v) for lab, v in ctx["highlights"]
                             if not (lab in seen or seen.add(lab))]
        name = "informe"
    html = _env(True).get_template(f"{name}.html").render(**ctx)
    text = _env(False).get_template(f"{name}.txt").render(**ctx)
    return EmailContent(ctx["subject"], html, text)
