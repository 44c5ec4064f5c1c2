"""Daily monitoring: PQRS deadlines, unanswered backlog, spikes, credential age.

Builds one digest per day for the configured recipients; when there is nothing to say, no
e-mail is sent. The digest of a day is recorded in `report_run` (kind `monitor`) so a retried
or re-run task never sends it twice.

Spike rule (documented for analysts): for each account, the day's count of messages (and of
negative messages) is compared with the same count over the trailing 28 days. An alert is
raised when the day's count is at least `monitor.spike_min_messages` AND its z-score
(count − mean) / max(std, 1) is at least `monitor.spike_z` (default 3: a day more than three
standard deviations above the usual).
"""

from __future__ import annotations

import json
import statistics
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, select

from pulso.core.config import PulsoConfig
from pulso.core.privacy import mask_personal_data, shorten
from pulso.core.sql import sql
from pulso.warehouse.schema import credential, report_run
from pulso.warehouse.types import UtcDateTime

TRAILING_DAYS = 28
DIGEST_ROWS = 10  # rows per list in the e-mail: a summary, the full lists are in the UI


def ui_url() -> str:
    """Where the office's pages live (PULSO_UI_URL), for the links of the digest."""
    import os

    return (os.environ.get("PULSO_UI_URL") or "http://localhost:8080/pulso").rstrip("/")


@dataclass
class Digest:
    day: date
    overdue: list[dict] = field(default_factory=list)
    due_soon: list[dict] = field(default_factory=list)
    unreviewed: list[dict] = field(default_factory=list)
    backlog: list[dict] = field(default_factory=list)
    spikes: list[dict] = field(default_factory=list)
    credentials: list[dict] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.overdue or self.due_soon or self.unreviewed or self.spikes
                    or self.credentials)

    def as_dict(self) -> dict[str, Any]:
        return json.loads(json.dumps(asdict(self), default=str))


def _bounds(start: date, end_exclusive: date, tz: str) -> tuple[datetime, datetime]:
    zone = ZoneInfo(tz)
    return (datetime.combine(start, time(0), zone).astimezone(UTC),
            datetime.combine(end_exclusive, time(0), zone).astimezone(UTC))


def _as_date(v: Any) -> date | None:
    if v is None:
        return None
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, str):
        return date.fromisoformat(v[:10])
    return v


def build_digest(engine: Engine, config: PulsoConfig, today: date) -> Digest:
    """Everything the office should know this morning (`today` is a Bogotá date)."""
    from pulso.classify.deadlines import BusinessCalendar

    cal = BusinessCalendar.from_config(config)
    mon = config.monitor
    digest = Digest(day=today)
    with engine.connect() as conn:
        # raw SQL: its result columns are typed here so times come back aware (UTC)
        cases = conn.execute(sql("monitor_open_cases").columns(received_at=UtcDateTime())
                             ).mappings().all()
    for c in cases:
        # no permalinks: they carry citizens' handles and may hold any scheme; the e-mail
        # links to the case in the UI instead
        item = {"message_id": c["message_id"], "tipo": c["pqrs_type"], "red": c["network"],
                "vence": _as_date(c["due_date"]),
                "radicado": c["radicado"], "estado": c["status"],
                "texto": shorten(mask_personal_data(c["text"]), 140)}
        due = _as_date(c["due_date"])
        if due is not None:
            left = cal.business_days_between(today, due)
            item["dias_habiles_restantes"] = left
            if due < today:
                digest.overdue.append(item)
            elif left <= mon.due_soon_business_days:
                digest.due_soon.append(item)
        if c["status"] == "candidate":
            received = cal.receipt_day(c["received_at"])
            waited = cal.business_days_between(received, today)
            if waited >= mon.unreviewed_after_business_days:
                digest.unreviewed.append({**item, "dias_sin_revisar": waited})

    tz = config.entity.timezone
    lo, hi = _bounds(today - timedelta(days=TRAILING_DAYS + 1), today, tz)
    with engine.connect() as conn:
        query = sql("monitor_messages", start=UtcDateTime(), end=UtcDateTime()).columns(
            created_at=UtcDateTime(), responded_at=UtcDateTime())
        rows = conn.execute(query, {"start": lo, "end": hi}).mappings().all()
    zone = ZoneInfo(tz)
    digest.backlog = _backlog(rows)
    digest.spikes = _spikes(rows, today - timedelta(days=1), zone, mon.spike_z,
                            mon.spike_min_messages)
    digest.credentials = _credentials(engine, config, today)
    return digest


def _backlog(rows) -> list[dict]:
    by_net: dict[str, dict[str, Any]] = {}
    for r in rows:
        if r["kind"] == "reply":
            continue
        n = by_net.setdefault(r["network"], {"red": r["network"], "sin_respuesta": 0,
                                             "respondidos": 0, "_minutes": []})
        created, answered = r["created_at"], r["responded_at"]
        if answered is None:
            n["sin_respuesta"] += 1
        else:
            n["respondidos"] += 1
            n["_minutes"].append((answered - created).total_seconds() / 60)
    out = []
    for n in sorted(by_net.values(), key=lambda x: -x["sin_respuesta"]):
        minutes = n.pop("_minutes")
        n["mediana_primera_respuesta_horas"] = (round(statistics.median(minutes) / 60, 1)
                                               if minutes else None)
        out.append(n)
    return out


def _spikes(rows, day: date, zone: ZoneInfo, z_min: float, min_messages: int) -> list[dict]:
    counts: dict[tuple[str, date], list[int]] = {}
    day_msgs: dict[str, list] = {}
    for r in rows:
        d = r["created_at"].astimezone(zone).date()
        c = counts.setdefault((r["account_id"], d), [0, 0])
        c[0] += 1
        neg = r["sentiment"] == "negative"
        c[1] += neg
        if d == day and neg:
            day_msgs.setdefault(r["account_id"], []).append(r)
    alerts = []
    for account in sorted({a for a, _ in counts}):
        history = [counts.get((account, day - timedelta(days=i)), [0, 0])
                   for i in range(1, TRAILING_DAYS + 1)]
        today_counts = counts.get((account, day), [0, 0])
        for idx, label in ((0, "volumen de mensajes"), (1, "mensajes negativos")):
            series = [h[idx] for h in history]
            mean = statistics.fmean(series)
            std = statistics.pstdev(series)
            x = today_counts[idx]
            z = (x - mean) / max(std, 1.0)
            if x >= min_messages and z >= z_min:
                worst = sorted(day_msgs.get(account, []),
                               key=lambda r: r["sentiment_score"] or 0)[:5]
                alerts.append({
                    "cuenta": account, "dia": day, "indicador": label, "valor": x,
                    "promedio_28_dias": round(mean, 1), "z": round(z, 1),
                    "mensajes": [{"texto": shorten(mask_personal_data(m["text"]), 140)}
                                 for m in worst],
                })
    return alerts


def _credentials(engine: Engine, config: PulsoConfig, today: date) -> list[dict]:
    mon = config.monitor
    with engine.connect() as conn:
        reg = {r.conn_id: r for r in conn.execute(select(credential))}
    out = []
    for a in config.accounts:
        if not a.conn_id:  # an account without a connection has no secret to rotate
            continue
        r = reg.get(a.conn_id)
        if r is None or r.rotated_at is None:
            if a.source == "api":  # an API token must be in the register; others may be
                out.append({"conexion": a.conn_id, "cuenta": a.account_id,
                            "aviso": "sin fecha de rotación registrada"})
            continue
        rotated = r.rotated_at.date()
        rotate_by = rotated + timedelta(days=mon.rotation_days)
        if today >= rotate_by - timedelta(days=mon.rotation_warn_days):
            out.append({"conexion": a.conn_id, "cuenta": a.account_id,
                        "aviso": f"rotar la contraseña antes del {rotate_by:%d/%m/%Y} "
                                 f"(última rotación {rotated:%d/%m/%Y})"})
        if r.expires_at is not None:
            expires = r.expires_at.date()
            if today >= expires - timedelta(days=mon.rotation_warn_days):
                out.append({"conexion": a.conn_id, "cuenta": a.account_id,
                            "aviso": f"el token vence el {expires:%d/%m/%Y}: renuévelo"})
    return out


def render_digest(config: PulsoConfig, digest: Digest) -> tuple[str, str]:
    """(subject, html) of the digest e-mail, in Spanish."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    from pulso.core.paths import TEMPLATES_DIR

    env = Environment(loader=FileSystemLoader(TEMPLATES_DIR / "email"),
                      autoescape=select_autoescape(["html"]))
    html = env.get_template("monitor_diario.html").render(
        config=config, d=digest, limite=DIGEST_ROWS, ui_url=ui_url())
    subject = (f"Pulso – alertas del {digest.day:%d/%m/%Y} – {config.entity.short_name}: "
               f"{len(digest.overdue)} vencidas, {len(digest.due_soon)} por vencer")
    return subject, html


def send_digest(engine: Engine, config: PulsoConfig, digest: Digest, *,
                run_id: str | None = None) -> dict[str, Any]:
    """E-mail the digest once per day; nothing is sent when it is empty or already sent."""
    from pulso.delivery import send_email
    from pulso.warehouse.load import upsert

    key = digest.day.isoformat()
    if digest.is_empty:
        return {"sent": False, "reason": "nada que informar"}
    if not config.recipients.monitor:
        return {"sent": False, "reason": "sin destinatarios (recipients.monitor)"}
    with engine.connect() as conn:
        sent_at = conn.execute(select(report_run.c.sent_at).where(
            report_run.c.kind == "monitor", report_run.c.period == key)).scalar()
    if sent_at is not None:
        return {"sent": False, "reason": "ya enviado"}
    subject, html = render_digest(config, digest)
    delivery = send_email(list(config.recipients.monitor), subject, html, [],
                          message_id=f"<pulso-monitor-{key}@pulso.local>")
    with engine.begin() as conn:
        upsert(conn, "report_run", [{
            "kind": "monitor", "period": key, "files": "[]", "checksum": None,
            "recipients": ", ".join(config.recipients.monitor),
            "sent_at": delivery.sent_at,
            "created_at": datetime.now(UTC), "run_id": run_id}])
    return {"sent": True, "via": delivery.as_dict()}
