"""Run a period's reports: completeness check, build, record `report_run`, deliver by e-mail.

Order matters for "never lose a report": files are moved into place and the report_run row is
committed (sent_at NULL) BEFORE any e-mail is attempted; sent_at is written only after the
message was accepted. Who already got a report is decided from the `report_delivery` log (an
SMTP `sent` row for that recipient), never from report_run.sent_at: a copy only written to the
outbox is pending and is sent by SMTP once `smtp_default` exists (next run, or `pulso
send-pending`). A re-run replaces the files atomically and does not e-mail again unless
forced, so Airflow retries and manual re-runs never spam the recipients.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import json
import logging
import os
import shutil
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select, update

from pulso.core.config import PulsoConfig
from pulso.core.periods import Period
from pulso.core.privacy import may_see_personal_data
from pulso.core.vocab import REPORT_KINDS as KINDS
from pulso.delivery import DEFAULT_CONN_ID
from pulso.ingest.completeness import check_complete
from pulso.reports.summary import ReportSummary
from pulso.warehouse.schema import report_run

log = logging.getLogger(__name__)

# who reads each report: controls masking of citizens' personal data in the builders
AUDIENCE = {"pqrs": "citizen_service", "semestral": "leadership"}
# kinds delivered by e-mail -> the config.recipients field holding their addresses
EMAILED = {"pqrs": "pqrs_report", "semestral": "semestral"}
LARGE_ATTACHMENTS = 15 * 1024 * 1024


class DeliveryError(RuntimeError):
    """E-mail failed after the retries; the files and the report_run row are kept (sent_at NULL)."""

    def __init__(self, message: str, runs: Sequence[ReportRun] = ()):
        super().__init__(message)
        self.runs = list(runs)


@dataclass
class ReportRun:
    """What one report of the period produced and where it went."""

    kind: str
    period: str
    files: list[Path]
    checksum: str
    recipients: list[str]
    created_at: datetime
    run_id: str | None
    sent_at: datetime | None = None
    delivery: Any = None  # pulso.delivery.Delivery when sent in this run
    # sent | already_sent | in_outbox | no_recipients | not_requested | failed
    send_status: str = "not_requested"
    summary: ReportSummary | None = None
    error: str | None = None

    def as_dict(self) -> dict:
        return {
            "kind": self.kind, "period": self.period, "files": [str(p) for p in self.files],
            "checksum": self.checksum, "recipients": list(self.recipients),
            "created_at": self.created_at.isoformat(), "run_id": self.run_id,
            "sent_at": self.sent_at.isoformat() if self.sent_at else None,
            "delivery": self.delivery.as_dict() if self.delivery is not None else None,
            "send_status": self.send_status, "summary": self.summary.as_dict() if self.summary is not None else None,
            "error": self.error,
        }


def files_checksum(paths: Sequence[Path]) -> str:
    """SHA-256 over the files' names and bytes, in name order (stable across runs)."""
    h = hashlib.sha256()
    for p in sorted(paths, key=lambda x: x.name):
        h.update(p.name.encode() + b"\0")
        with open(p, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        h.update(b"\0")
    return h.hexdigest()


def _resolve_builder(kind: str, builders: Mapping[str, Any] | None) -> Callable:
    """A `build(ctx)` callable from a callable, a module, or a dotted module path."""
    if builders is not None and kind in builders:
        target = builders[kind]
    else:
        try:
            from pulso.reports import BUILDERS as default  # type: ignore[attr-defined]
        except ImportError:
            default = {}
        target = default.get(kind, f"pulso.reports.{kind}")
    if isinstance(target, str):
        target = importlib.import_module(target)
    if callable(target) and not hasattr(target, "build"):
        return target
    return target.build


def _context(engine: Engine, config: PulsoConfig, period: Period, out_dir: Path, audience: str,
             personal_data: bool):
    from pulso.reports.base import ReportContext

    names = {f.name for f in dataclasses.fields(ReportContext)}
    kwargs: dict[str, Any] = {"engine": engine, "config": config, "period": period,
                              "out_dir": out_dir, "audience": audience}
    if "personal_data" in names:
        kwargs["personal_data"] = personal_data
    return ReportContext(**kwargs)


def recipients_for(kind: str, config: PulsoConfig,
                   override: Sequence[str] | None = None) -> list[str]:
    if kind not in EMAILED:
        return []
    if override:
        return list(override)
    return list(getattr(config.recipients, EMAILED[kind]))


def _build_in_place(builder: Callable, engine: Engine, config: PulsoConfig, period: Period,
                    out_dir: Path, audience: str, personal_data: bool):
    """Build into a scratch folder, then os.replace each file over the published one.

    Readers never see half-written files and a failed build leaves the previous files intact.
    """
    from pulso.core.paths import PRIVATE_DIR_MODE, make_private, private_dir

    private_dir(out_dir)
    scratch = out_dir / f".tmp-{uuid.uuid4().hex}"
    scratch.mkdir(mode=PRIVATE_DIR_MODE)  # personal data: owner-only while and after writing
    try:
        built = builder(_context(engine, config, period, scratch, audience, personal_data))
        moved: dict[str, Path] = {}
        for attr in ("xlsx", "pdf"):
            src = getattr(built, attr, None)
            if src is None:
                continue
            src = Path(src)
            try:
                rel = src.resolve().relative_to(scratch.resolve())
            except ValueError:
                raise RuntimeError(f"builder wrote {src} outside its out_dir {scratch}") from None
            dst = out_dir / rel
            private_dir(dst.parent)
            make_private(src)  # 0600 before it is published
            os.replace(src, dst)
            moved[attr] = dst
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return built, moved


def _record(engine: Engine, kind: str, period: Period, files: list[Path], checksum: str,
            recipients: list[str], created_at: datetime, run_id: str | None) -> dict | None:
    """Upsert the report_run row, keeping sent_at; return the previous row (or None)."""
    values = {"files": json.dumps([str(p) for p in files]), "checksum": checksum,
              "recipients": json.dumps(recipients), "created_at": created_at, "run_id": run_id}
    key = (report_run.c.kind == kind) & (report_run.c.period == period.key)
    with engine.begin() as conn:
        prev = conn.execute(select(report_run).where(key)).mappings().first()
        if prev is None:
            conn.execute(report_run.insert().values(kind=kind, period=period.key, sent_at=None,
                                                    **values))
        else:
            conn.execute(update(report_run).where(key).values(**values))
    return dict(prev) if prev is not None else None


def log_delivery(engine: Engine, kind: str, period_key: str, recipients: Sequence[str], *,
                 checksum: str | None, channel: str, status: str, at: datetime,
                 location: str | None = None, message_id: str | None = None,
                 error: str | None = None, run_id: str | None = None) -> None:
    """Append one `report_delivery` row per recipient; the log is never rewritten.

    `status` says what really happened: `sent` (accepted by SMTP), `outbox` (.eml written,
    nobody received it yet) or `failed`.
    """
    from pulso.warehouse.schema import report_delivery

    rows = [{"kind": kind, "period": period_key, "recipient": r[:320], "channel": channel,
             "status": status, "checksum": checksum, "at": at,
             "location": (location or "")[:500] or None, "message_id": message_id,
             "error": error, "run_id": run_id} for r in recipients]
    if rows:
        with engine.begin() as conn:
            conn.execute(report_delivery.insert(), rows)


def delivery_history(engine: Engine, kind: str, period_key: str) -> dict[str, set[str]]:
    """Per recipient (lower-case), the statuses the log holds for this report (any content)."""
    from pulso.warehouse.schema import report_delivery

    out: dict[str, set[str]] = {}
    with engine.connect() as conn:
        rows = conn.execute(select(report_delivery.c.recipient, report_delivery.c.status).where(
            (report_delivery.c.kind == kind) & (report_delivery.c.period == period_key)))
        for recipient, status in rows:
            out.setdefault(recipient.lower(), set()).add(status)
    return out


def still_to_send(recipients: Sequence[str], history: Mapping[str, set[str]], *,
                  smtp: bool, legacy_sent: bool = False) -> list[str]:
    """Who still has to get the report: "already sent" is an SMTP `sent` row in the log.

    A recipient whose copy is only in the outbox is pending: sent by SMTP once it is
    configured, left alone (no second .eml) while it is not. `legacy_sent`: report_run says
    sent but the log is empty (rows written before the log existed): nobody is pending.
    """
    if legacy_sent and not history:
        return []
    done = {"sent"} if smtp else {"sent", "outbox"}
    return [r for r in recipients if not history.get(r.lower(), set()) & done]


def _mark_sent(engine: Engine, kind: str, period: Period, sent_at: datetime) -> None:
    with engine.begin() as conn:
        conn.execute(update(report_run)
                     .where((report_run.c.kind == kind) & (report_run.c.period == period.key))
                     .values(sent_at=sent_at))


def _send_with_retries(send: Callable[[], Any], *, attempts: int, backoff: float, what: str):
    """Retries with tenacity: see `pulso.delivery.send_with_retries`."""
    from pulso.delivery import send_with_retries

    return send_with_retries(send, attempts=attempts, backoff=backoff, what=what)


def run_reports(engine: Engine, config: PulsoConfig, period: Period, *, kinds: Sequence[str],
                out_dir: Path, send_email: bool = True,
                recipients_override: Sequence[str] | None = None, force_send: bool = False,
                run_id: str | None = None, require_complete: bool = True,
                builders: Mapping[str, Any] | None = None, smtp_conn_id: str = DEFAULT_CONN_ID,
                send_attempts: int = 3, send_backoff: float = 5.0,
                outbox: Path | None = None) -> list[ReportRun]:
    """Build and deliver the reports `kinds` of `period`; see the module docstring.

    Raises IncompleteIngestion before building anything when days are missing (unless
    `require_complete` is False), and DeliveryError after every report was built and recorded
    when an e-mail could not be sent.
    """
    from pulso.delivery import make_message_id, smtp_configured
    from pulso.delivery import send_email as deliver
    from pulso.reports.email_body import render_email

    unknown = [k for k in kinds if k not in KINDS and (builders is None or k not in builders)]
    if unknown:
        raise ValueError(f"informes desconocidos: {unknown}; use {list(KINDS)}")
    if require_complete:
        check_complete(engine, config, period)
    out_dir = Path(out_dir)
    runs: list[ReportRun] = []
    failures: list[str] = []
    for kind in kinds:
        recipients = recipients_for(kind, config, recipients_override)
        personal = may_see_personal_data(recipients, config.recipients.personal_data_allowed)
        audience = AUDIENCE.get(kind, "internal")
        built, moved = _build_in_place(_resolve_builder(kind, builders), engine, config, period,
                                       out_dir, audience, personal)
        files = list(moved.values())
        checksum = files_checksum(files)
        created_at = datetime.now(UTC)
        prev = _record(engine, kind, period, files, checksum, recipients, created_at, run_id)
        run = ReportRun(kind, period.key, files, checksum, recipients, created_at, run_id,
                        sent_at=prev["sent_at"] if prev else None,
                        summary=built.summary)
        runs.append(run)
        log.info("informe %s %s: %s (sha256 %s)", kind, period.key,
                 ", ".join(str(p) for p in files), checksum[:12])
        if not send_email or kind not in EMAILED:
            continue
        if not recipients:
            run.send_status = "no_recipients"
            log.warning("informe %s %s: sin destinatarios (recipients.%s vacío); no se envía",
                        kind, period.key, EMAILED[kind])
            continue
        smtp = smtp_configured(smtp_conn_id)
        history = delivery_history(engine, kind, period.key)
        targets = list(recipients) if force_send else still_to_send(
            recipients, history, smtp=smtp, legacy_sent=run.sent_at is not None)
        if not targets:
            sent_to = {r for r, st in history.items() if "sent" in st}
            in_outbox = not smtp and any(r.lower() not in sent_to for r in recipients)
            run.send_status = "in_outbox" if in_outbox else "already_sent"
            changed = prev is not None and prev.get("checksum") != checksum
            log.info("informe %s %s: %s; no se reenvía%s", kind, period.key,
                     "en la bandeja local, pendiente de envío por SMTP" if in_outbox
                     else "ya enviado", " (el contenido cambió: use force_send para "
                     "reenviarlo)" if changed else "")
            continue
        if sum(p.stat().st_size for p in files) > LARGE_ATTACHMENTS:
            log.warning("informe %s %s: adjuntos de más de 15 MB; el servidor podría rechazarlos",
                        kind, period.key)
        content = render_email(kind, period, config, run.summary, [p.name for p in files],
                               personal_data=personal)
        message_id = make_message_id(kind, period.key, checksum)

        def send(content=content, message_id=message_id, recipients=targets, files=files):
            return deliver(recipients, content.subject, content.html, files,
                           conn_id=smtp_conn_id, message_id=message_id, text_body=content.text,
                           outbox=outbox)

        try:
            delivery = _send_with_retries(send, attempts=send_attempts, backoff=send_backoff,
                                          what=f"{kind} {period.key}")
        except Exception as exc:
            run.send_status, run.error = "failed", f"{type(exc).__name__}: {exc}"
            log_delivery(engine, kind, period.key, targets, checksum=checksum,
                         channel="smtp" if smtp else "outbox", status="failed", at=datetime.now(UTC),
                         error=run.error[:1000], run_id=run_id)
            failures.append(f"{kind} {period.key}: {run.error}")
            log.error("informe %s %s: envío fallido tras %d intentos; archivos y report_run "
                      "conservados (sent_at vacío)", kind, period.key, send_attempts)
            continue
        log_delivery(engine, kind, period.key, delivery.recipients, checksum=checksum,
                     channel=delivery.method,
                     status="sent" if delivery.method == "smtp" else "outbox",
                     at=delivery.sent_at, location=delivery.location,
                     message_id=delivery.message_id, run_id=run_id)
        _mark_sent(engine, kind, period, delivery.sent_at)
        run.sent_at, run.delivery, run.send_status = delivery.sent_at, delivery, "sent"
    if failures:
        raise DeliveryError("no se pudo enviar: " + "; ".join(failures)
                            + ". Los informes quedaron generados; reintente el envío.", runs)
    return runs


@dataclass
class PendingSend:
    """One outbox copy of a report sent (or not) by `send_pending`."""

    kind: str
    period: str
    recipients: list[str]
    eml: str
    status: str  # sent | failed
    detail: str = ""


def send_pending(engine: Engine, *, kinds: Sequence[str] | None = None,
                 period_key: str | None = None, conn_id: str = DEFAULT_CONN_ID,
                 send_attempts: int = 3, send_backoff: float = 5.0) -> list[PendingSend]:
    """Send by SMTP every report copy that only reached the outbox (`pulso send-pending`).

    Pending: a recipient whose log holds an `outbox` row but no SMTP `sent` row for that report.
    The latest `.eml` written for them is sent as it is (what they would have received); each
    send appends `sent` (or `failed`) rows to the log, which is never rewritten.
    """
    from pulso.delivery import send_saved
    from pulso.warehouse.schema import report_delivery

    query = select(report_delivery).order_by(report_delivery.c.delivery_id)
    if kinds:
        query = query.where(report_delivery.c.kind.in_(list(kinds)))
    if period_key:
        query = query.where(report_delivery.c.period == period_key)
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    latest: dict[tuple[str, str, str], Mapping[str, Any]] = {}
    done: set[tuple[str, str, str]] = set()
    for r in rows:
        key = (r["kind"], r["period"], r["recipient"].lower())
        if r["status"] == "sent":
            done.add(key)
        elif r["status"] == "outbox" and r["location"]:
            latest[key] = r
    groups: dict[tuple[str, str, str, str | None, str | None], list[str]] = {}
    for key, r in latest.items():
        if key not in done:
            groups.setdefault((r["kind"], r["period"], r["location"], r["checksum"],
                               r["message_id"]), []).append(r["recipient"])
    out: list[PendingSend] = []
    for (kind, period_key_, eml, checksum, message_id), recipients in sorted(groups.items()):
        try:
            delivery = _send_with_retries(lambda eml=eml, rcpt=recipients: send_saved(
                Path(eml), rcpt, conn_id=conn_id), attempts=send_attempts,
                backoff=send_backoff, what=f"{kind} {period_key_}")
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"[:1000]
            log_delivery(engine, kind, period_key_, recipients, checksum=checksum,
                         channel="smtp", status="failed", at=datetime.now(UTC), location=eml,
                         message_id=message_id, error=error, run_id="send-pending")
            out.append(PendingSend(kind, period_key_, recipients, eml, "failed", error))
            continue
        log_delivery(engine, kind, period_key_, delivery.recipients, checksum=checksum,
                     channel="smtp", status="sent", at=delivery.sent_at,
                     location=delivery.location, message_id=delivery.message_id,
                     run_id="send-pending")
        with engine.begin() as conn:
            conn.execute(update(report_run).where((report_run.c.kind == kind)
                                                  & (report_run.c.period == period_key_))
                         .values(sent_at=delivery.sent_at))
        out.append(PendingSend(kind, period_key_, list(delivery.recipients), eml, "sent",
                               delivery.location))
    return out
