"""HTML of the office pages (Informes, Revisión PQRS): Jinja2 with autoescape, Spanish labels.

Kept in the library so the pages render (and are tested) without a web server; the Airflow
plugin only passes the data, the user and the CSRF token.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, select_autoescape

from pulso.core.paths import TEMPLATES_DIR
from pulso.core.vocab import PQRS_TYPE_LABELS as TYPE_LABELS
from pulso.core.vocab import REPORT_KIND_LABELS as KIND_LABELS

BOGOTA = ZoneInfo("America/Bogota")
NOTICES = {
    "confirm": "Caso {id} confirmado como PQRS radicada.",
    "retype": "Tipo del caso {id} actualizado.",
    "discard": "Caso {id} descartado.",
}
UNCHANGED = "El caso {id} ya estaba en ese estado: no se hizo ningún cambio."


def _bogota(dt: datetime | None) -> str:
    if dt is None:
        return "—"
    return dt.astimezone(BOGOTA).strftime("%Y-%m-%d %H:%M")


def _filesize(n: int | None) -> str:
    if n is None:
        return "—"
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB".replace(".", ",")
    return f"{n / 1024 / 1024:.1f} MB".replace(".", ",")


def _safe_link(url: str | None) -> str:
    """Only http(s) permalinks become links (a `javascript:` URL in the data must not)."""
    if url and urlsplit(url).scheme in {"http", "https"}:
        return url
    return "#"


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES_DIR / "ui"),
                      autoescape=select_autoescape(default=True, default_for_string=True))
    env.filters.update(bogota=_bogota, filesize=_filesize, safe_link=_safe_link)
    return env


def render(template: str, *, base: str, user: str | None, **context: Any) -> str:
    """Render one page; `base` is the URL prefix the plugin app is mounted at."""
    return environment().get_template(template).render(
        base=base.rstrip("/"), user=user, kind_labels=KIND_LABELS, type_labels=TYPE_LABELS,
        **context)


def informes_page(*, base: str, user: str | None, runs: list[dict[str, Any]]) -> str:
    return render("informes.html", base=base, user=user, runs=runs, page="informes",
                  title="Informes")


def pqrs_page(*, base: str, user: str | None, cases: list[dict[str, Any]], csrf: str,
              can_write: bool, notice: str | None = None, error: str | None = None,
              form: dict[str, str] | None = None) -> str:
    return render("pqrs.html", base=base, user=user, cases=cases, csrf=csrf,
                  can_write=can_write, notice=notice, error=error, form=form or {},
                  page="pqrs", title="Revisión PQRS")


def error_page(*, base: str, user: str | None, title: str, message: str) -> str:
    return render("error.html", base=base, user=user, title=title, message=message, page="")


def notice_for(action: str | None, message_id: str | None, changed: bool) -> str | None:
    """The confirmation shown after a redirect; only fixed texts, never echoed free text."""
    if not action or action not in NOTICES or not message_id:
        return None
    return (NOTICES[action] if changed else UNCHANGED).format(id=message_id)
