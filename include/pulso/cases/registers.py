"""Load the PQRS case register the citizen-service office fills in and sends back.

The monthly PQRS workbook carries a sheet "Registro de casos" with one row per case; the office
fills in estado, radicado, fecha de respuesta and motivo de descarte and returns the file.
Loading it validates every row (unknown case, bad status, bad or impossible date, missing
radicado/motivo) and reports each problem with its sheet row and column; nothing is silently
dropped. Good rows are applied in one transaction and every change is recorded in
`pqrs_case_event` with the actor and time. A blank cell never erases a stored value, and
loading the same register twice changes nothing the second time.

A register is a snapshot: it changes a case only where the office changed the row. The
workbook's creation time (docProps, kept by Excel and LibreOffice on save) is the moment the
rows were true; a row that differs from a case changed after that moment (in the UI, or by a
newer register) is reported as stale and never applied, so last month's register loaded
unmodified cannot undo this week's filings. Every change must also be a legal transition with
the fields its state requires (`pulso.cases.states`), radicados are text and unique, and each
update is guarded by the case's version.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, bindparam, func, select, update

from pulso.cases.states import state_errors, transition_error
from pulso.core.vocab import CASE_STATUS_LABELS as STATUS_LABELS
from pulso.warehouse.schema import pqrs_case, pqrs_case_event

SHEET = "Registro de casos"
COL_ID = "ID caso"
COL_STATUS = "Estado"
COL_RADICADO = "Radicado"
COL_RESPONDED = "Fecha de respuesta"
COL_REASON = "Motivo de descarte"
_HEADER_SCAN_ROWS = 10


class RegisterError(ValueError):
    """The register file cannot be read at all (missing, not a workbook, no case sheet)."""


@dataclass(frozen=True)
class RegisterIssue:
    row: int          # Excel row number in the sheet
    column: str       # column header
    value: str
    reason: str

    def __str__(self) -> str:
        return f"fila {self.row}, columna «{self.column}» ({self.value!r}): {self.reason}"


@dataclass
class RegisterResult:
    path: Path
    sheet: str
    rows_read: int = 0
    applied: list[str] = field(default_factory=list)      # case ids changed
    unchanged: int = 0
    stale: list[str] = field(default_factory=list)        # case ids changed after the register
    as_of: datetime | None = None                         # when the register was generated
    issues: list[RegisterIssue] = field(default_factory=list)

    @property
    def rejected_rows(self) -> list[int]:
        return sorted({i.row for i in self.issues})


def _norm(s: Any) -> str:
    t = unicodedata.normalize("NFKD", str(s or "")).encode("ascii", "ignore").decode()
    return " ".join(t.lower().split())


_STATUS_IN = {_norm(v): k for k, v in STATUS_LABELS.items()} | {k: k for k in STATUS_LABELS}
_STATUS_IN |= {"respondida": "answered", "radicada": "filed", "descartada": "discarded",
               "candidata": "candidate", "pendiente": "candidate"}


def _cell_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return str(v).strip()


def _radicado_text(v: Any) -> tuple[str, str | None]:
    """A radicado cell as text; a long number Excel stored as a float lost digits: refuse it."""
    if isinstance(v, float) and (abs(v) >= 1e15 or not v.is_integer()):
        return "", ("radicado numérico de más de 15 dígitos: Excel lo redondeó y perdió "
                    "dígitos; escríbalo como texto (formato de celda Texto o con ' delante)")
    return _cell_text(v), None


def _parse_date(v: Any, tz: ZoneInfo) -> tuple[datetime | date | None, str | None]:
    """A cell as a local datetime, or a date when no time of day was given."""
    if v is None or (isinstance(v, str) and not v.strip()):
        return None, None
    if isinstance(v, datetime):
        if v.time() == time(0):
            return v.date(), None
        return (v if v.tzinfo else v.replace(tzinfo=tz)), None
    if isinstance(v, date):
        return v, None
    if isinstance(v, str):
        s = v.strip()
        for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
            try:
                return datetime.strptime(s, fmt).date(), None
            except ValueError:
                pass
        for fmt in ("%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"):
            try:
                return datetime.strptime(s, fmt).replace(tzinfo=tz), None
            except ValueError:
                pass
    return None, "fecha no válida: use dd/mm/aaaa"


def _read_sheet(path: Path) -> tuple[str, int, dict[str, int], list[tuple[int, tuple]],
                                     datetime | None]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if not path.exists():
        raise RegisterError(f"{path}: el archivo no existe")
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as exc:
        raise RegisterError(f"{path}: no es un libro de Excel (.xlsx) legible: {exc}") from None
    created = getattr(wb.properties, "created", None)
    as_of = (created.replace(tzinfo=UTC) if created.tzinfo is None else created.astimezone(UTC)
             ) if isinstance(created, datetime) else None
    try:
        names = [SHEET] if SHEET in wb.sheetnames else wb.sheetnames
        for name in names:
            ws = wb[name]
            rows = ws.iter_rows(values_only=True)
            for r_no, row in enumerate(rows, start=1):
                if r_no > _HEADER_SCAN_ROWS:
                    break
                heads = {_norm(v): i for i, v in enumerate(row) if v is not None}
                if _norm(COL_ID) in heads:
                    data = [(n, r) for n, r in enumerate(rows, start=r_no + 1)]
                    return name, r_no, heads, data, as_of
    finally:
        wb.close()
    raise RegisterError(f"{path}: no se encontró la hoja «{SHEET}» con la columna «{COL_ID}»")


def load_case_register(engine: Engine, path: str | Path, *, actor: str,
                       tz: str, now: datetime | None = None,
                       as_of: datetime | None = None) -> RegisterResult:
    """Validate a returned register and apply its good rows to pqrs_case in one transaction.

    `as_of` overrides when the register's rows were true (default: the workbook's creation
    time); rows that differ from a case changed after it are stale.
    """
    if not actor or not actor.strip():
        raise ValueError("actor is required: who returned this register")
    path = Path(path)
    zone = ZoneInfo(tz)
    now = (now or datetime.now(UTC)).astimezone(UTC)
    sheet, header_row, heads, data, created = _read_sheet(path)
    as_of = (as_of or created)
    as_of = as_of.astimezone(UTC) if as_of is not None else None
    if _norm(COL_STATUS) not in heads:
        raise RegisterError(f"{path}: hoja «{sheet}», fila {header_row}: falta la columna "
                            f"«{COL_STATUS}»")
    result = RegisterResult(path=path, sheet=sheet, as_of=as_of)

    def cell(row: tuple, col: str) -> Any:
        i = heads.get(_norm(col))
        return row[i] if i is not None and i < len(row) else None

    rows = [(n, r) for n, r in data if any(v not in (None, "") for v in r)]
    result.rows_read = len(rows)
    ids = {_cell_text(cell(r, COL_ID)) for _, r in rows} - {""}
    current: dict[str, dict] = {}
    with engine.connect() as conn:
        id_list = sorted(ids)
        for i in range(0, len(id_list), 500):
            chunk = id_list[i:i + 500]
            q = select(pqrs_case).where(pqrs_case.c.message_id.in_(chunk))
            current.update({m["message_id"]: dict(m) for m in conn.execute(q).mappings()})
        radicados_in_use = {}  # radicado -> case id, for cases this register does not list
        wanted = {_radicado_text(cell(r, COL_RADICADO))[0] for _, r in rows} - {""}
        wanted_list = sorted(wanted)
        for i in range(0, len(wanted_list), 500):
            q = select(pqrs_case.c.radicado, pqrs_case.c.message_id).where(
                pqrs_case.c.radicado.in_(wanted_list[i:i + 500]))
            for rad, mid in conn.execute(q):
                radicados_in_use.setdefault(rad, mid)
    radicado_rows: dict[str, str] = {}  # radicado -> case id claimed by an earlier row

    seen: set[str] = set()
    changes: list[tuple[str, dict, dict]] = []  # (case id, new values, detail)
    for n, r in rows:
        issues: list[RegisterIssue] = []

        def bad(col: str, value: Any, reason: str, _n: int = n, _i: list = issues) -> None:
            _i.append(RegisterIssue(_n, col, _cell_text(value), reason))

        cid = _cell_text(cell(r, COL_ID))
        case = current.get(cid)
        if not cid:
            bad(COL_ID, cid, "falta el identificador del caso")
        elif cid in seen:
            bad(COL_ID, cid, "caso repetido en el registro")
        elif case is None:
            bad(COL_ID, cid, "caso desconocido: no existe en el almacén")
        seen.add(cid)
        if case is None:
            result.issues.extend(issues)
            continue

        raw_status = cell(r, COL_STATUS)
        status = case["status"]
        if _cell_text(raw_status):
            status = _STATUS_IN.get(_norm(raw_status))
            if status is None:
                bad(COL_STATUS, raw_status, "estado no válido: use "
                    + ", ".join(STATUS_LABELS.values()))
                status = case["status"]
        raw_radicado = cell(r, COL_RADICADO)
        typed, rad_err = _radicado_text(raw_radicado)
        if rad_err:
            bad(COL_RADICADO, raw_radicado, rad_err)
        radicado = typed or case["radicado"]
        if radicado and len(radicado) > 60:
            bad(COL_RADICADO, radicado, "radicado demasiado largo (máximo 60 caracteres)")
        if radicado and radicado != case["radicado"]:
            owner = radicado_rows.get(radicado) or radicados_in_use.get(radicado)
            if owner and owner != cid:
                bad(COL_RADICADO, radicado, f"el radicado ya está asignado al caso {owner}")
        if radicado:
            radicado_rows.setdefault(radicado, cid)
        reason = _cell_text(cell(r, COL_REASON)) or case["discard_reason"]
        if reason and len(reason) > 300:
            bad(COL_REASON, reason, "motivo demasiado largo (máximo 300 caracteres)")

        raw_resp = cell(r, COL_RESPONDED)
        responded = case["responded_at"]
        parsed, err = _parse_date(raw_resp, zone)
        if err:
            bad(COL_RESPONDED, raw_resp, err)
        elif parsed is not None:
            received = case["received_at"]
            rec_local = received.astimezone(zone)
            if isinstance(parsed, datetime):
                resp_dt = parsed.astimezone(UTC)
                too_early = resp_dt < received
            else:
                too_early = parsed < rec_local.date()
                resp_dt = max(datetime.combine(parsed, time(12), zone).astimezone(UTC),
                              received)
            if too_early:
                bad(COL_RESPONDED, raw_resp, "la fecha de respuesta es anterior a la recepción "
                    f"del caso ({rec_local:%d/%m/%Y %H:%M})")
            elif resp_dt.astimezone(zone).date() > now.astimezone(zone).date():
                bad(COL_RESPONDED, raw_resp, "la fecha de respuesta está en el futuro")
            elif not (isinstance(parsed, date) and not isinstance(parsed, datetime)
                      and responded is not None
                      and responded.astimezone(zone).date() == parsed):
                responded = resp_dt  # a bare date equal to the stored day keeps its time

        if status == "candidate" and case["status"] == "discarded":
            reason = ""  # reopened: the discard reason no longer applies
        new = {"status": status, "radicado": radicado or None,
               "discard_reason": reason or None, "responded_at": responded}
        old = {"status": case["status"], "radicado": case["radicado"],
               "discard_reason": case["discard_reason"],
               "responded_at": case["responded_at"]}
        diff = {k: (old[k], v) for k, v in new.items() if v != old[k]}
        if not diff and not issues:
            result.unchanged += 1
            continue
        changed_at = case["updated_at"]
        if diff and as_of is not None and changed_at is not None and changed_at > as_of:
            by = f" por {case['reviewed_by']}" if case["reviewed_by"] else ""
            bad(COL_ID, cid, "fila desactualizada: el caso cambió "
                f"{changed_at.astimezone(zone):%d/%m/%Y %H:%M}{by}, después de generar este "
                f"registro ({as_of.astimezone(zone):%d/%m/%Y %H:%M}); no se aplicó. Use el "
                "registro del informe más reciente")
            result.stale.append(cid)
            result.issues.extend(issues)
            continue
        err = transition_error(case["status"], status)
        if err:
            bad(COL_STATUS, raw_status, err)
        col_of = {"radicado": COL_RADICADO, "responded_at": COL_RESPONDED,
                  "discard_reason": COL_REASON}
        for fld, msg in state_errors(new).items():
            bad(col_of[fld], "", msg)
        if issues:
            result.issues.extend(issues)
            continue
        values = dict(new)
        if "radicado" in diff and new["radicado"] and not case["filed_at"]:
            values["filed_at"] = now
        else:
            values["filed_at"] = case["filed_at"]
        values["reviewed_by"] = actor
        values["updated_at"] = now
        values["version"] = (case["version"] or 0) + 1
        detail = {k: [_show(a), _show(b)] for k, (a, b) in diff.items()}
        changes.append((cid, values, detail))

    if changes:
        stmt = (update(pqrs_case)
                .where((pqrs_case.c.message_id == bindparam("_id"))
                       & (func.coalesce(pqrs_case.c.version, 0) == bindparam("_seen")))
                .values({k: bindparam(k) for k in changes[0][1]}))
        with engine.begin() as conn:
            for cid, vals, _ in changes:
                res = conn.execute(stmt, {"_id": cid, "_seen": vals["version"] - 1, **vals})
                if res.rowcount != 1:
                    raise RegisterError(f"{path}: el caso {cid} cambió mientras se cargaba el "
                                        "registro; no se aplicó ninguna fila: cárguelo de nuevo")
            conn.execute(pqrs_case_event.insert(), [
                {"message_id": cid, "at": now, "actor": actor, "action": "register_update",
                 "detail": json.dumps({"file": path.name, "changes": det}, ensure_ascii=False)}
                for cid, _, det in changes])
        result.applied = [cid for cid, _, _ in changes]
    return result


def _show(v: Any) -> Any:
    if isinstance(v, datetime):
        return v.astimezone(UTC).isoformat()
    return v
