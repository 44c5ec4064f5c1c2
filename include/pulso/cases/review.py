"""The office's review of PQRS candidates and the list of generated reports (UI plugin logic).

The Airflow plugin only routes and authorises; everything it shows or changes goes through
these functions, so they are tested without a web server. Every change of a case is one
transaction: the `pqrs_case` row (status, radicado, reviewed_by, updated_at) and its
`pqrs_case_event` row (who, when, what) are written together or not at all. Updates are
guarded by the status they expect, so two analysts acting on the same case at once cannot
both win.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, select, update

from pulso.core.paths import reports_dir
from pulso.core.vocab import CASE_STATUS_LABELS, PQRS_TYPE_LABELS, PQRS_TYPES
from pulso.warehouse.schema import message, pqrs_case, pqrs_case_event, report_run

if TYPE_CHECKING:
    from pulso.classify.deadlines import BusinessCalendar

BOGOTA = ZoneInfo("America/Bogota")
RADICADO_MAX = 60
REASON_MAX = 300
ACTOR_MAX = 120


class ReviewError(ValueError):
    """An analyst's action cannot be applied; `field` names the form field, message in Spanish."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class CaseNotFound(ReviewError):
    """No PQRS case with that message id."""


class ReportFileError(LookupError):
    """A requested report file is not listed in report_run or is not under the reports dir."""


@dataclass(frozen=True)
class ActionResult:
    """What an action did: `changed` is False when the case already was in that state."""

    message_id: str
    action: str
    changed: bool
    detail: dict[str, Any]


def _utc(dt: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes for UTC columns; make them aware."""
    if dt is None:
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def _today() -> date:
    return datetime.now(BOGOTA).date()


# --------------------------------------------------------------------------- reading


def open_candidates(engine: Engine, limit: int = 200, *, today: date | None = None,
                    ) -> list[dict[str, Any]]:
    """Open PQRS candidates with their message, overdue first, then by due date.

    Due dates are Bogotá dates; a case without a legal term (felicitación) goes last.
    """
    if limit < 1:
        raise ValueError("limit must be >= 1")
    today = today or _today()
    stmt = (
        select(pqrs_case.c.message_id, pqrs_case.c.pqrs_type, pqrs_case.c.pqrs_subtype,
               pqrs_case.c.pqrs_score, pqrs_case.c.received_at, pqrs_case.c.due_date,
               pqrs_case.c.reviewed_by, pqrs_case.c.updated_at,
               message.c.text, message.c.network, message.c.kind, message.c.permalink,
               message.c.account_id, message.c.author_handle)
        .select_from(pqrs_case.outerjoin(message,
                                         message.c.message_id == pqrs_case.c.message_id))
        .where(pqrs_case.c.status == "candidate")
        .order_by(pqrs_case.c.due_date.is_(None), pqrs_case.c.due_date,
                  pqrs_case.c.received_at, pqrs_case.c.message_id)
        .limit(limit)
    )
    with engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(stmt).mappings()]
    for r in rows:
        r["received_at"] = _utc(r["received_at"])
        r["updated_at"] = _utc(r["updated_at"])
        due = r["due_date"]
        r["overdue"] = due is not None and due < today
        r["days_left"] = (due - today).days if due is not None else None
        r["type_label"] = PQRS_TYPE_LABELS.get(r["pqrs_type"], r["pqrs_type"])
    return rows


def case_events(engine: Engine, message_id: str) -> list[dict[str, Any]]:
    """The audit trail of one case, oldest first (detail decoded from JSON)."""
    stmt = (select(pqrs_case_event).where(pqrs_case_event.c.message_id == message_id)
            .order_by(pqrs_case_event.c.at, pqrs_case_event.c.event_id))
    with engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(stmt).mappings()]
    for r in rows:
        r["at"] = _utc(r["at"])
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
                    "sent_at": _utc(r["sent_at"]), "created_at": _utc(r["created_at"]),
                    "run_id": r["run_id"]})
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


def _load_case(conn, message_id: str) -> dict[str, Any]:
    row = conn.execute(select(pqrs_case).where(pqrs_case.c.message_id == message_id)
                       ).mappings().first()
    if row is None:
        raise CaseNotFound(f"no existe el caso PQRS {message_id!r}", "message_id")
    return dict(row)


def _not_open(case: dict[str, Any]) -> ReviewError:
    label = CASE_STATUS_LABELS.get(case["status"], case["status"]).lower()
    extra = f" con el radicado {case['radicado']}" if case["status"] == "filed" else ""
    return ReviewError(f"el caso {case['message_id']} ya no está pendiente: está {label}{extra}",
                       "message_id")


def _apply(conn, case: dict[str, Any], values: dict[str, Any], *, action: str, actor: str,
           detail: dict[str, Any], now: datetime) -> None:
    """Update the case guarded by its current status and write its event, same transaction."""
    values = {**values, "reviewed_by": actor, "updated_at": now}
    res = conn.execute(update(pqrs_case)
                       .where((pqrs_case.c.message_id == case["message_id"])
                              & (pqrs_case.c.status == case["status"]))
                       .values(**values))
    if res.rowcount != 1:  # someone changed it between our read and our write
        raise ReviewError(f"el caso {case['message_id']} cambió mientras lo revisaba; "
                          "recargue la página", "message_id")
    conn.execute(pqrs_case_event.insert().values(
        message_id=case["message_id"], at=now, actor=actor, action=action,
        detail=json.dumps(detail, ensure_ascii=False)))


def confirm(engine: Engine, message_id: str, radicado: str, actor: str, *,
            now: datetime | None = None) -> ActionResult:
    """File a candidate with the radicado the document system gave it.

    Repeating the same confirmation (a double click, a resent form) changes nothing;
    confirming an already filed case with another radicado is refused.
    """
    actor = _actor(actor)
    radicado = (radicado or "").strip()
    if not radicado:
        raise ReviewError("el número de radicado es obligatorio", "radicado")
    if len(radicado) > RADICADO_MAX:
        raise ReviewError(f"el número de radicado no puede superar {RADICADO_MAX} caracteres "
                          f"(tiene {len(radicado)})", "radicado")
    now = now or datetime.now(UTC)
    with engine.begin() as conn:
        case = _load_case(conn, message_id)
        if case["status"] == "filed" and case["radicado"] == radicado:
            return ActionResult(message_id, "confirm", False, {"radicado": radicado})
        if case["status"] != "candidate":
            raise _not_open(case)
        detail = {"radicado": radicado, "pqrs_type": case["pqrs_type"]}
        _apply(conn, case, {"status": "filed", "radicado": radicado, "filed_at": now},
               action="confirm", actor=actor, detail=detail, now=now)
    return ActionResult(message_id, "confirm", True, detail)


def retype(engine: Engine, message_id: str, new_type: str, actor: str, *,
           calendar: BusinessCalendar | None = None, now: datetime | None = None,
           ) -> ActionResult:
    """Change the PQRS type of a candidate; its legal due date follows the new type."""
    actor = _actor(actor)
    new_type = (new_type or "").strip().lower()
    if new_type not in PQRS_TYPES:
        raise ReviewError(f"tipo de PQRS no válido: {new_type!r}; use uno de: "
                          + ", ".join(PQRS_TYPES), "pqrs_type")
    now = now or datetime.now(UTC)
    with engine.begin() as conn:
        case = _load_case(conn, message_id)
        if case["status"] != "candidate":
            raise _not_open(case)
        if case["pqrs_type"] == new_type:
            return ActionResult(message_id, "retype", False, {"pqrs_type": new_type})
        from pulso.classify.deadlines import BusinessCalendar

        cal = calendar or BusinessCalendar()
        subtype = case["pqrs_subtype"] if new_type == "peticion" else None
        due = cal.due_date_for(_utc(case["received_at"]), new_type, subtype)
        detail = {"from": case["pqrs_type"], "to": new_type,
                  "due_date": [_iso(case["due_date"]), _iso(due)]}
        _apply(conn, case, {"pqrs_type": new_type, "pqrs_subtype": subtype, "due_date": due},
               action="retype", actor=actor, detail=detail, now=now)
    return ActionResult(message_id, "retype", True, detail)


def discard(engine: Engine, message_id: str, reason: str, actor: str, *,
            now: datetime | None = None) -> ActionResult:
    """Discard a candidate that is not a PQRS; the reason is required and kept."""
    actor = _actor(actor)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ReviewError("el motivo de descarte es obligatorio", "reason")
    if len(reason) > REASON_MAX:
        raise ReviewError(f"el motivo no puede superar {REASON_MAX} caracteres "
                          f"(tiene {len(reason)})", "reason")
    now = now or datetime.now(UTC)
    with engine.begin() as conn:
        case = _load_case(conn, message_id)
        if case["status"] == "discarded" and case["discard_reason"] == reason:
            return ActionResult(message_id, "discard", False, {"reason": reason})
        if case["status"] != "candidate":
            raise _not_open(case)
        detail = {"reason": reason, "pqrs_type": case["pqrs_type"]}
        _apply(conn, case, {"status": "discarded", "discard_reason": reason},
               action="discard", actor=actor, detail=detail, now=now)
    return ActionResult(message_id, "discard", True, detail)


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None
