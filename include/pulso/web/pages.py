"""HTML of the office pages (Informes, Revisión PQRS): Jinja2 with autoescape, Spanish labels.

Kept in the library so the pages render (and are tested) without a web server; the Airflow
plugin only passes the data, the user and the CSRF token.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape

from pulso.core.paths import TEMPLATES_DIR
from pulso.core.vocab import PQRS_TYPE_LABELS as TYPE_LABELS
from pulso.core.vocab import REPORT_KIND_LABELS as KIND_LABELS

_CASE_ID = re.compile(r"^[a-z]{1,12}:[A-Za-z0-9_.:-]{1,180}$")
NOTICES = {
    "confirm": "Caso {id} confirmado como PQRS radicada.",
    "retype": "Tipo del caso {id} actualizado.",
    "discard": "Caso {id} descartado.",
}
UNCHANGED = "El caso {id} ya estaba en ese estado: no se hizo ningún cambio."


@pass_context
def _localtime(page: Any, dt: datetime | None) -> str:
    """A stored UTC time on the entity's clock (the page's `tz`)."""
    if dt is None:
        return "—"
    return dt.astimezone(page["tz"]).strftime("%Y-%m-%d %H:%M")


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
    env.filters.update(localtime=_localtime, filesize=_filesize, safe_link=_safe_link)
    return env


def render(template: str, *, base: str, user: str | None, **context: Any) -> str:
    """Render one page; `base` is the URL prefix the plugin app is mounted at."""
    from pulso.context import get_context

    return environment().get_template(template).render(
        base=base.rstrip("/"), user=user, tz=get_context().tz, kind_labels=KIND_LABELS, type_labels=TYPE_LABELS,
        **context)


def informes_page(*, base: str, user: str | None, runs: list[dict[str, Any]]) -> str:
    return render("informes.html", base=base, user=user, runs=runs, page="informes",
                  title="Informes")


def pqrs_page(*, base: str, user: str | None, cases: list[dict[str, Any]], csrf: str,
              can_write: bool, notice: str | None = None, error: str | None = None,
              form: dict[str, str] | None = None, listing: Any = None) -> str:
    """The triage list; `listing` (a review.CasePage) adds filters, counts and pages."""
    from urllib.parse import urlencode

    from pulso.cases.review import DUE_WINDOWS, PER_PAGE_CHOICES, SORTS, CaseFilters
    from pulso.core.vocab import NETWORK_LABELS

    filters = listing.filters if listing is not None else CaseFilters()

    def link(**override: Any) -> str:
        return urlencode(filters.query(**override))

    return render("pqrs.html", base=base, user=user, cases=cases, csrf=csrf,
                  can_write=can_write, notice=notice, error=error, form=form or {},
                  page="pqrs", title="Revisión PQRS", listing=listing, f=filters, link=link,
                  networks=NETWORK_LABELS, due_windows=DUE_WINDOWS, sorts=SORTS,
                  per_page_choices=PER_PAGE_CHOICES)


def case_page(*, base: str, user: str | None, case: dict[str, Any]) -> str:
    """One case and its history (who changed what, when)."""
    actions = {"confirm": "Confirmado (radicado)", "retype": "Cambio de tipo",
               "discard": "Descartado", "register_update": "Registro devuelto por la oficina"}
    return render("caso.html", base=base, user=user, case=case, page="pqrs", actions=actions,
                  title=f"Caso {case['message_id']}")


def session_expired_page(*, base: str, typed: dict[str, str], login_url: str) -> str:
    """A form posted after the session expired: say so in Spanish, keep what was typed."""
    shown = {k: v for k, v in typed.items() if k not in {"csrf"} and v}
    return render("sesion.html", base=base, user=None, typed=shown, login_url=login_url,
                  page="", title="Sesión vencida")


def error_page(*, base: str, user: str | None, title: str, message: str) -> str:
    return render("error.html", base=base, user=user, title=title, message=message, page="")


def notice_for(action: str | None, message_id: str | None, changed: bool) -> str | None:
    """The confirmation shown after a redirect; only fixed texts, never echoed free text."""
    if not action or action not in NOTICES or not message_id:
        return None
    if not _CASE_ID.match(message_id):  # a crafted ?caso= must not be echoed
        message_id = "seleccionado"
    return (NOTICES[action] if changed else UNCHANGED).format(id=message_id)


def bulk_notice(discarded: int, skipped: int) -> str:
    """The notice after a bulk discard (numbers only)."""
    text = f"{discarded} casos descartados."
    if skipped:
        text += (f" {skipped} no se descartaron porque cambiaron mientras revisaba o ya no "
                 "estaban pendientes: recargue y revíselos.")
    return text
