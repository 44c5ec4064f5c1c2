"""The office's review of PQRS candidates and the list of generated reports (UI plugin logic).

The Airflow plugin only routes and authorises; everything it shows or changes goes through
these functions, so they are tested without a web server. Every change of a case is one
transaction: the `pqrs_case` row (status, radicado, reviewed_by, updated_at, version) and its
`pqrs_case_event` row (who, when, what) are written together or not at all.

Optimistic concurrency: every page shows each case's `version`; an action names the version
its author saw and the update is guarded by it, so when two analysts act on the same case the
second one is told the case changed (and the audit trail never records a change from a state
the author did not see). Legal transitions live in `pulso.cases.states`.

The triage list filters (network, type, due window, score, text), sorts (due date, score) and
pages with counts in SQL, so it stays fast with tens of thousands of open cases.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, and_, func, or_, select, update

from pulso.cases.states import label as status_label
from pulso.cases.states import transition_error
from pulso.core.cells import has_control
from pulso.core.paths import reports_dir
from pulso.core.vocab import CASE_STATUS_LABELS, NETWORKS, PQRS_TYPE_LABELS, PQRS_TYPES
from pulso.warehouse.schema import (
    message,
    pqrs_case,
    pqrs_case_event,
    report_delivery,
    report_run,
)

if TYPE_CHECKING:
    from pulso.classify.deadlines import BusinessCalendar

TYPE_LABELS = PQRS_TYPE_LABELS
STATUS_LABELS = CASE_STATUS_LABELS
RADICADO_MAX = 60
PER_PAGE_CHOICES = (25, 50, 100)
BULK_MAX = 200
DUE_WINDOWS = {"vencidos": "Vencidos", "hoy": "Vencen hoy", "3d": "Próximos 3 días",
               "7d": "Próximos 7 días", "sin_termino": "Sin término"}
SORTS = {"vence": "Vencimiento", "puntaje": "Puntaje (mayor primero)",
         "recibido": "Más recientes"}
STALE = ("este caso cambió desde que abrió la página (otra persona lo modificó): "
         "recargue la página y revise el caso antes de volver a intentarlo")
REASON_MAX = 300
ACTOR_MAX = 120


class ReviewError(ValueError):
    """An analyst's action cannot be applied; `field` names the form field, message in Spanish."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class CaseNotFound(ReviewError):
    """No PQRS case with that message id."""


class StaleCase(ReviewError):
    """The case changed after the author's page was rendered (another version)."""


class ReportFileError(LookupError):
    """A requested report file is not listed in report_run or is not under the reports dir."""


@dataclass(frozen=True)
class ActionResult:
    """What an action did: `changed` is False when the case already was in that state."""

    message_id: str
    action: str
    changed: bool
    detail: dict[str, Any]


# --------------------------------------------------------------------------- reading


@dataclass
class CaseFilters:
    """What the triage list shows; every field optional, validated by `parse_filters`."""

    network: str | None = None
    pqrs_type: str | None = None
    due: str | None = None          # a key of DUE_WINDOWS
    min_score: float | None = None
    q: str | None = None            # text search in the message
    sort: str = "vence"             # a key of SORTS
    page: int = 1
    per_page: int = 50

    def query(self, **override: Any) -> dict[str, str]:
        """The filters as URL query parameters (Spanish names), for links and forms."""
        values = {"red": self.network, "tipo": self.pqrs_type, "vence": self.due,
                  "puntaje": None if self.min_score is None else f"{self.min_score:g}",
                  "q": self.q, "orden": self.sort if self.sort != "vence" else None,
                  "pagina": self.page if self.page != 1 else None,
                  "por_pagina": self.per_page if self.per_page != 50 else None}
        values.update(override)
        return {k: str(v) for k, v in values.items() if v not in (None, "")}


@dataclass
class CasePage:
    """One page of the triage list and the counts the office needs to know where it is."""

    rows: list[dict[str, Any]]
    total: int
    filters: CaseFilters
    open_total: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.filters.per_page))

    @property
    def first(self) -> int:
        return 0 if not self.total else (self.filters.page - 1) * self.filters.per_page + 1

    @property
    def last(self) -> int:
        return min(self.total, self.filters.page * self.filters.per_page)


def parse_filters(q: dict[str, str]) -> tuple[CaseFilters, list[str]]:
    """Filters from the page's query string; bad values are dropped with a Spanish note."""
    f, errors = CaseFilters(), []

    def choice(param: str, allowed: Iterable[str], error: str) -> str | None:
        value = (q.get(param) or "").strip()
        if value and value not in allowed:
            errors.append(error)
            return None
        return value or None

    f.network = choice("red", NETWORKS, "red no válida: se muestran todas")
    f.pqrs_type = choice("tipo", PQRS_TYPES, "tipo no válido: se muestran todos")
    f.due = choice("vence", DUE_WINDOWS, "vencimiento no válido: se muestran todos")
    score = (q.get("puntaje") or "").strip().replace(",", ".")
    if score:
        try:
            f.min_score = float(score)
            if not 0 <= f.min_score <= 1:
                raise ValueError
        except ValueError:
            f.min_score = None
            errors.append("puntaje mínimo no válido: use un número entre 0 y 1")
    text = " ".join((q.get("q") or "").split())[:100]
    f.q = text or None
    sort = (q.get("orden") or "vence").strip()
    f.sort = sort if sort in SORTS else "vence"
    try:
        f.per_page = int(q.get("por_pagina") or 50)
        if f.per_page not in PER_PAGE_CHOICES:
            raise ValueError
    except ValueError:
        f.per_page = 50
    try:
        f.page = max(1, min(int(q.get("pagina") or 1), 100_000))
    except ValueError:
        f.page = 1
    return f, errors


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _conditions(f: CaseFilters, today: date) -> list:
    cond = [pqrs_case.c.status == "candidate"]
    if f.network:
        cond.append(message.c.network == f.network)
    if f.pqrs_type:
        cond.append(pqrs_case.c.pqrs_type == f.pqrs_type)
    if f.due == "vencidos":
        cond.append(pqrs_case.c.due_date < today)
    elif f.due == "hoy":
        cond.append(pqrs_case.c.due_date == today)
    elif f.due in ("3d", "7d"):
        days = 3 if f.due == "3d" else 7
        cond.append(pqrs_case.c.due_date.between(today, today + timedelta(days=days)))
    elif f.due == "sin_termino":
        cond.append(pqrs_case.c.due_date.is_(None))
    if f.min_score is not None:
        cond.append(pqrs_case.c.pqrs_score >= f.min_score)
    if f.q:
        cond.append(or_(message.c.text.ilike(_like(f.q), escape="\\"),
                        pqrs_case.c.message_id == f.q))
    return cond


_LIST_COLUMNS = (pqrs_case.c.message_id, pqrs_case.c.pqrs_type, pqrs_case.c.pqrs_subtype,
                 pqrs_case.c.pqrs_score, pqrs_case.c.received_at, pqrs_case.c.due_date,
                 pqrs_case.c.reviewed_by, pqrs_case.c.updated_at,
                 func.coalesce(pqrs_case.c.version, 0).label("version"),
                 message.c.text, message.c.network, message.c.kind, message.c.permalink,
                 message.c.account_id, message.c.author_handle)


def _order(sort: str) -> list:
    if sort == "puntaje":
        return [pqrs_case.c.pqrs_score.is_(None), pqrs_case.c.pqrs_score.desc(),
                pqrs_case.c.due_date, pqrs_case.c.message_id]
    if sort == "recibido":
        return [pqrs_case.c.received_at.desc(), pqrs_case.c.message_id]
    # by deadline; within a day the likeliest PQRS first, so the doubtful ones come last
    return [pqrs_case.c.due_date.is_(None), pqrs_case.c.due_date,
            pqrs_case.c.pqrs_score.is_(None), pqrs_case.c.pqrs_score.desc(),
            pqrs_case.c.received_at, pqrs_case.c.message_id]


def _decorate(rows: list[dict[str, Any]], today: date) -> list[dict[str, Any]]:
    for r in rows:
        due = r["due_date"]
        if isinstance(due, datetime):
            due = r["due_date"] = due.date()
        r["overdue"] = due is not None and due < today
        r["days_left"] = (due - today).days if due is not None else None
        r["type_label"] = PQRS_TYPE_LABELS.get(r["pqrs_type"], r["pqrs_type"])
    return rows


def _joined():
    return pqrs_case.outerjoin(message, message.c.message_id == pqrs_case.c.message_id)


def search_cases(engine: Engine, filters: CaseFilters | None = None, *,
                 today: date) -> CasePage:
    """One page of open candidates matching `filters`, with the total that match.

    `today` is the entity-local date (`Context.today()`): due windows are counted from it.
    """
    f = filters or CaseFilters()
    cond = and_(*_conditions(f, today))
    needs_message = bool(f.network or f.q)
    counted = _joined() if needs_message else pqrs_case
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(counted).where(cond)).scalar_one()
        open_total = (total if not (f.network or f.pqrs_type or f.due or f.q
                                    or f.min_score is not None)
                      else conn.execute(select(func.count()).select_from(pqrs_case).where(
                          pqrs_case.c.status == "candidate")).scalar_one())
        pages = max(1, -(-total // f.per_page))
        f.page = min(f.page, pages)
        stmt = (select(*_LIST_COLUMNS).select_from(_joined()).where(cond)
                .order_by(*_order(f.sort)).limit(f.per_page)
                .offset((f.page - 1) * f.per_page))
        rows = [dict(r) for r in conn.execute(stmt).mappings()]
    return CasePage(_decorate(rows, today), total, f, open_total)


def open_candidates(engine: Engine, limit: int = 200, *, today: date,
                    ) -> list[dict[str, Any]]:
    """Open PQRS candidates with their message, overdue first, then by due date.

    Due dates are Bogotá dates; a case without a legal term (felicitación) goes last.
    """
    if limit < 1:
        raise ValueError("limit must be >= 1")
    stmt = (select(*_LIST_COLUMNS).select_from(_joined())
            .where(pqrs_case.c.status == "candidate").order_by(*_order("vence")).limit(limit))
    with engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(stmt).mappings()]
    return _decorate(rows, today)


def export_cases(engine: Engine, filters: CaseFilters, path: Path, *,
                 today: date, tz: ZoneInfo, limit: int = 200_000) -> Path:
    """The filtered list (every page) as an Excel workbook; texts stored as text."""
    import pandas as pd

    from pulso.reports.excel import DATE, DATETIME, new_workbook, save_workbook, write_table

    stmt = (select(*_LIST_COLUMNS).select_from(_joined())
            .where(and_(*_conditions(filters, today))).order_by(*_order(filters.sort))
            .limit(limit))
    with engine.connect() as conn:
        rows = _decorate([dict(r) for r in conn.execute(stmt).mappings()], today)
    df = pd.DataFrame({
        "ID caso": [r["message_id"] for r in rows],
        "Red": [r["network"] or "" for r in rows],
        "Tipo": [r["type_label"] for r in rows],
        "Puntaje": [r["pqrs_score"] for r in rows],
        "Recibido": [r["received_at"].astimezone(tz).replace(tzinfo=None)
                     if r["received_at"] else None for r in rows],
        "Vence": [r["due_date"] for r in rows],
        "Días restantes": [r["days_left"] for r in rows],
        "Texto": [r["text"] or "" for r in rows],
        "Versión": [r["version"] for r in rows],
    })
    wb = new_workbook(write_only=True)
    fills: dict = {}
    write_table(wb, "Candidatos PQRS", df, fills=fills,
                formats={"Recibido": DATETIME, "Vence": DATE})
    return save_workbook(wb, path, fills)


def case_detail(engine: Engine, message_id: str) -> dict[str, Any]:
    """One case with its message and its history (pqrs_case_event), for the case page."""
    stmt = (select(pqrs_case, message.c.text, message.c.network, message.c.kind,
                   message.c.permalink, message.c.account_id)
            .select_from(_joined()).where(pqrs_case.c.message_id == message_id))
    with engine.connect() as conn:
        row = conn.execute(stmt).mappings().first()
    if row is None:
        raise CaseNotFound(f"no existe el caso PQRS {message_id!r}", "message_id")
    case = dict(row)
    case["version"] = case["version"] or 0
    case["status_label"] = CASE_STATUS_LABELS.get(case["status"], case["status"])
    case["type_label"] = PQRS_TYPE_LABELS.get(case["pqrs_type"], case["pqrs_type"])
    case["events"] = case_events(engine, message_id)
    return case


def case_events(engine: Engine, message_id: str) -> list[dict[str, Any]]:
    """The audit trail of one case, oldest first (detail decoded from JSON)."""
    stmt = (select(pqrs_case_event).where(pqrs_case_event.c.message_id == message_id)
            .order_by(pqrs_case_event.c.at, pqrs_case_event.c.event_id))
    with engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(stmt).mappings()]
    for r in rows:
        r["detail"] = json.loads(r["detail"]) if r["detail"] else {}
    return rows


def _json_list(raw: str | None) -> list[str]:
    if not raw:
        return []
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        # recipients may be stored as a plain comma-separated string
        return [v.strip() for v in raw.split(",") if v.strip()]
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, list) else []


def report_runs(engine: Engine) -> list[dict[str, Any]]:
    """Generated reports, newest period first: files (name, present on disk), delivery."""
    base = reports_dir().resolve()
    stmt = select(report_run).order_by(report_run.c.period.desc(), report_run.c.kind)
    with engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(stmt).mappings()]
        log = [dict(r) for r in conn.execute(
            select(report_delivery).order_by(report_delivery.c.at.desc(),
                                             report_delivery.c.delivery_id.desc())).mappings()]
    deliveries: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for d in log:
        d["current"] = True
        deliveries.setdefault((d["kind"], d["period"]), []).append(d)
    out = []
    for r in rows:
        files = []
        for p in _json_list(r["files"]):
            path = _resolve_under(p, base)
            files.append({"name": Path(p).name,
                          "available": path is not None and path.is_file(),
                          "size": path.stat().st_size if path is not None and path.is_file()
                          else None})
        out.append({"kind": r["kind"], "period": r["period"], "files": files,
                    "checksum": r["checksum"], "recipients": _json_list(r["recipients"]),
                    "sent_at": r["sent_at"], "created_at": r["created_at"],
                    "run_id": r["run_id"],
                    "deliveries": [{**d, "current": d["checksum"] == r["checksum"]}
                                   for d in deliveries.get((r["kind"], r["period"]), [])]})
    return out


def _resolve_under(stored: str, base: Path) -> Path | None:
    """The stored path resolved (relative ones against `base`), or None if outside `base`."""
    p = Path(stored)
    path = (p if p.is_absolute() else base / p).resolve()
    return path if path.is_relative_to(base) else None


def report_file(engine: Engine, kind: str, period: str, name: str) -> Path:
    """The file `name` of report (kind, period), only if report_run lists it and it lives
    under the reports directory (symlinks resolved), so a download link cannot be turned
    into a read of an arbitrary file.
    """
    if not name or name in {".", ".."} or "/" in name or "\\" in name or "\x00" in name:
        raise ReportFileError(f"nombre de archivo no válido: {name!r}")
    with engine.connect() as conn:
        raw = conn.execute(select(report_run.c.files).where(
            (report_run.c.kind == kind) & (report_run.c.period == period))).scalar()
    listed = [p for p in _json_list(raw) if Path(p).name == name]
    if not listed:
        raise ReportFileError(f"el informe {kind} {period} no tiene el archivo {name!r}")
    path = _resolve_under(listed[0], reports_dir().resolve())
    if path is None:
        raise ReportFileError(f"el archivo {name!r} está fuera de la carpeta de informes")
    if not path.is_file():
        raise ReportFileError(f"el archivo {name!r} ya no existe en la carpeta de informes")
    return path


# --------------------------------------------------------------------------- actions


def _actor(actor: str) -> str:
    actor = (actor or "").strip()
    if not actor:
        raise ReviewError("falta el usuario que hace el cambio", "actor")
    return actor[:ACTOR_MAX]


def _text_field(value: str | None, field_name: str, label: str, limit: int) -> str:
    """A typed form field: control characters refused, blanks squeezed, length checked."""
    value = value or ""
    if has_control(value.replace("\n", " ").replace("\r", " ").replace("\t", " ")):
        raise ReviewError(f"{label} contiene caracteres de control no permitidos", field_name)
    value = " ".join(value.split())
    if len(value) > limit:
        raise ReviewError(f"{label} no puede superar {limit} caracteres (tiene {len(value)})",
                          field_name)
    return value


def _load_case(conn, message_id: str) -> dict[str, Any]:
    row = conn.execute(select(pqrs_case).where(pqrs_case.c.message_id == message_id)
                       ).mappings().first()
    if row is None:
        raise CaseNotFound(f"no existe el caso PQRS {message_id!r}", "message_id")
    case = dict(row)
    case["version"] = case["version"] or 0
    return case


def _not_open(case: dict[str, Any]) -> ReviewError:
    label = status_label(case["status"])
    extra = f" con el radicado {case['radicado']}" if case["status"] == "filed" else ""
    return ReviewError(f"el caso {case['message_id']} ya no está pendiente: está {label}{extra}",
                       "message_id")


def _check_version(case: dict[str, Any], seen: int | None) -> None:
    """The version the author saw must be the current one (None: caller did not say)."""
    if seen is not None and int(seen) != case["version"]:
        raise StaleCase(f"{STALE} (caso {case['message_id']})", "version")


def _apply(conn, case: dict[str, Any], values: dict[str, Any], *, action: str, actor: str,
           detail: dict[str, Any], now: datetime) -> None:
    """Update the case guarded by its version and status, and write its event, same transaction."""
    err = transition_error(case["status"], values.get("status", case["status"]))
    if err:
        raise ReviewError(f"el caso {case['message_id']}: {err}", "message_id")
    values = {**values, "reviewed_by": actor, "updated_at": now,
              "version": case["version"] + 1}
    res = conn.execute(update(pqrs_case)
                       .where((pqrs_case.c.message_id == case["message_id"])
                              & (pqrs_case.c.status == case["status"])
                              & (func.coalesce(pqrs_case.c.version, 0) == case["version"]))
                       .values(**values))
    if res.rowcount != 1:  # someone changed it between our read and our write
        raise StaleCase(f"{STALE} (caso {case['message_id']})", "version")
    conn.execute(pqrs_case_event.insert().values(
        message_id=case["message_id"], at=now, actor=actor, action=action,
        detail=json.dumps(detail, ensure_ascii=False)))


def radicado_owner(conn, radicado: str, message_id: str) -> str | None:
    """The other case already filed under `radicado`, if any (radicados are unique)."""
    return conn.execute(select(pqrs_case.c.message_id).where(
        (pqrs_case.c.radicado == radicado) & (pqrs_case.c.message_id != message_id))
        .limit(1)).scalar()


def confirm(engine: Engine, message_id: str, radicado: str, actor: str, *,
            version: int | None = None, now: datetime | None = None) -> ActionResult:
    """File a candidate with the radicado the document system gave it.

    Repeating the same confirmation (a double click, a resent form) changes nothing;
    confirming an already filed case with another radicado is refused, and so is a radicado
    another case already has.
    """
    actor = _actor(actor)
    radicado = _text_field(radicado, "radicado", "el número de radicado", RADICADO_MAX)
    if not radicado:
        raise ReviewError("el número de radicado es obligatorio", "radicado")
    now = now or datetime.now(UTC)
    with engine.begin() as conn:
        case = _load_case(conn, message_id)
        if case["status"] == "filed" and case["radicado"] == radicado:
            return ActionResult(message_id, "confirm", False, {"radicado": radicado})
        _check_version(case, version)
        if case["status"] != "candidate":
            raise _not_open(case)
        other = radicado_owner(conn, radicado, message_id)
        if other:
            raise ReviewError(f"el radicado {radicado} ya está asignado al caso {other}",
                              "radicado")
        detail = {"radicado": radicado, "pqrs_type": case["pqrs_type"]}
        _apply(conn, case, {"status": "filed", "radicado": radicado, "filed_at": now},
               action="confirm", actor=actor, detail=detail, now=now)
    return ActionResult(message_id, "confirm", True, detail)


def retype(engine: Engine, message_id: str, new_type: str, actor: str, *,
           calendar: BusinessCalendar | None = None, version: int | None = None,
           now: datetime | None = None) -> ActionResult:
    """Change the PQRS type of a candidate; its legal due date follows the new type."""
    actor = _actor(actor)
    new_type = (new_type or "").strip().lower()
    if new_type not in PQRS_TYPES:
        raise ReviewError(f"tipo de PQRS no válido: {new_type!r}; use uno de: "
                          + ", ".join(PQRS_TYPES), "pqrs_type")
    now = now or datetime.now(UTC)
    with engine.begin() as conn:
        case = _load_case(conn, message_id)
        _check_version(case, version)
        if case["status"] != "candidate":
            raise _not_open(case)
        if case["pqrs_type"] == new_type:
            return ActionResult(message_id, "retype", False, {"pqrs_type": new_type})
        from pulso.classify.deadlines import BusinessCalendar

        cal = calendar or BusinessCalendar()
        subtype = case["pqrs_subtype"] if new_type == "peticion" else None
        due = cal.due_date_for(case["received_at"], new_type, subtype)
        detail = {"from": case["pqrs_type"], "to": new_type,
                  "due_date": [_iso(case["due_date"]), _iso(due)]}
        _apply(conn, case, {"pqrs_type": new_type, "pqrs_subtype": subtype, "due_date": due},
               action="retype", actor=actor, detail=detail, now=now)
    return ActionResult(message_id, "retype", True, detail)


def _reason(reason: str | None) -> str:
    reason = _text_field(reason, "reason", "el motivo", REASON_MAX)
    if not reason:
        raise ReviewError("el motivo de descarte es obligatorio", "reason")
    return reason


def discard(engine: Engine, message_id: str, reason: str, actor: str, *,
            version: int | None = None, now: datetime | None = None) -> ActionResult:
    """Discard a candidate that is not a PQRS; the reason is required and kept."""
    actor = _actor(actor)
    reason = _reason(reason)
    now = now or datetime.now(UTC)
    with engine.begin() as conn:
        case = _load_case(conn, message_id)
        if case["status"] == "discarded" and case["discard_reason"] == reason:
            return ActionResult(message_id, "discard", False, {"reason": reason})
        _check_version(case, version)
        if case["status"] != "candidate":
            raise _not_open(case)
        detail = {"reason": reason, "pqrs_type": case["pqrs_type"]}
        _apply(conn, case, {"status": "discarded", "discard_reason": reason},
               action="discard", actor=actor, detail=detail, now=now)
    return ActionResult(message_id, "discard", True, detail)


@dataclass
class BulkResult:
    """A bulk discard: the cases discarded and, per case left alone, why."""

    discarded: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)


def bulk_discard(engine: Engine, items: list[tuple[str, int | None]], reason: str, actor: str,
                 *, now: datetime | None = None) -> BulkResult:
    """Discard many candidates with one reason (a spam wave), each guarded by its version.

    One transaction: the cases that changed meanwhile are skipped (and said so), the rest are
    discarded with one event each.
    """
    actor = _actor(actor)
    reason = _reason(reason)
    if not items:
        raise ReviewError("seleccione al menos un caso", "message_id")
    if len(items) > BULK_MAX:
        raise ReviewError(f"se pueden descartar a la vez hasta {BULK_MAX} casos "
                          f"(seleccionó {len(items)})", "message_id")
    now = now or datetime.now(UTC)
    out = BulkResult()
    with engine.begin() as conn:
        for mid, seen in dict(items).items():
            try:
                case = _load_case(conn, mid)
                _check_version(case, seen)
                if case["status"] != "candidate":
                    raise _not_open(case)
                _apply(conn, case, {"status": "discarded", "discard_reason": reason},
                       action="discard", actor=actor,
                       detail={"reason": reason, "pqrs_type": case["pqrs_type"], "bulk": True},
                       now=now)
            except ReviewError as exc:
                out.skipped[mid] = str(exc)
                continue
            out.discarded.append(mid)
    return out


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None
