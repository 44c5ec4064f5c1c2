"""The demo's citizen-service office at work, through the code paths a real office uses.

After the demo period is ingested and classified, this replays, day by day and
deterministically, what the social-media and citizen-service teams do with the PQRS
candidates:

* every business day the community manager triages the new candidates in the review screen
  (`pulso.cases.review.bulk_discard`): spam and comments that are not petitions are
  discarded with their reason, most the same or the next business day;
* twice a week (Tuesday and Friday afternoon) Atención a la Ciudadanía returns its register
  (`pulso.cases.registers.load_case_register`, the same loader as `pulso load-register`):
  radicado numbers of the cases it filed, and the date of each formal answer — most within
  the legal term, some late, a few still open;
* a few candidates are never reviewed, as happens in a busy month.

The answers in the network (the entity replying in the thread) come from the demo source
itself. Which candidates are real petitions is known from the generator's text pools, so the
office discards exactly the messages a person would. The registers are kept under
`PULSO_HOME/registros_demo/` as evidence of what was loaded.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, select

from pulso.core.config import PulsoConfig

ACTOR_REVIEW = "Equipo de redes (demo)"
ACTOR_REGISTER = "Atención a la Ciudadanía (demo)"
REASON_SPAM = "Spam o publicidad"
REASON_NOT_PQRS = "No es una petición: comentario u opinión"
# Business days from receipt to the formal answer, per legal term (share on time ~85 %).
ON_TIME_SHARE = 0.85
LATE_SHARE = 0.10  # the rest (~5 %) is still unanswered when the demo ends
UNREVIEWED_SHARE = 0.03
FELICITACION_FILED = 0.6
REGISTER_WEEKDAYS = (1, 4)  # Tuesday, Friday
SPAM_WORDS = ("gana", "dinero", "cripto", "préstamo", "prestamo", "seguidores", "inversión",
              "link", "http", "promo", "bitcoin", "trading")


@dataclass
class OfficeResult:
    """What the simulated office did."""

    discarded: int = 0
    registers: list[Path] = field(default_factory=list)
    filed: int = 0
    answered: int = 0
    unreviewed: int = 0
    issues: int = 0
    monitor_days: list[date] = field(default_factory=list)  # the office's last working days

    def as_dict(self) -> dict:
        return {"discarded": self.discarded, "registers": len(self.registers),
                "filed": self.filed, "answered": self.answered,
                "unreviewed": self.unreviewed, "issues": self.issues}


@dataclass
class _Plan:
    message_id: str
    discard: str | None = None  # reason
    review_day: date | None = None
    file_day: date | None = None  # first register day that carries the radicado
    radicado: str | None = None
    answer_day: date | None = None


def _petition_texts(seed: int) -> frozenset[str]:
    """Every text the generator writes for a real PQRS (or felicitación)."""
    from pulso.sources import demo
    from pulso.sources import demo_text as txt

    out: set[str] = set()
    for cat in txt.PQRS_CATEGORIES:
        out.update(demo._text_pool(seed, cat))
    return frozenset(out)


def _strip_mention(text: str, handles: frozenset[str]) -> str:
    if text.startswith("@"):
        head, _, rest = text.partition(" ")
        if head[1:].lower() in handles:
            return rest
    return text


def _plan(cases: list[dict], config: PulsoConfig, cal, last_day: date) -> list[_Plan]:
    """What happens to each candidate, decided from a generator seeded by its id."""
    seed = config.demo.seed
    real = _petition_texts(seed)
    handles = config.own_handles
    plans = []
    seq: dict[int, int] = {}
    for c in sorted(cases, key=lambda c: (c["received_at"], c["message_id"])):
        rng = random.Random(f"{seed}:office:{c['message_id']}")
        received = cal.receipt_day(c["received_at"])
        p = _Plan(c["message_id"])
        lag = rng.choices((0, 1, 2, 3), weights=(55, 30, 10, 5))[0]
        p.review_day = cal.add_business_days(received, lag)
        text = _strip_mention(c["text"] or "", handles)
        if text not in real:
            low = text.lower()
            p.discard = REASON_SPAM if any(w in low for w in SPAM_WORDS) else REASON_NOT_PQRS
        elif rng.random() < UNREVIEWED_SHARE or p.review_day > last_day:
            p.review_day = None
        elif c["pqrs_type"] == "felicitacion":
            if rng.random() < FELICITACION_FILED:
                p.file_day = p.review_day
        else:
            p.file_day = p.review_day
            due = c["due_date"]
            r = rng.random()
            if due is not None and r < ON_TIME_SHARE + LATE_SHARE:
                term = max(cal.business_days_between(received, due), 2)
                if r < ON_TIME_SHARE:
                    n = rng.randint(max(1, term // 4), term)
                else:
                    n = term + rng.randint(1, 8)
                p.answer_day = max(cal.add_business_days(received, n), p.review_day)
        if p.file_day is not None:
            y = p.file_day.year
            seq[y] = seq.get(y, 0) + 1
            p.radicado = f"{y}-ER-{seq[y]:06d}"
        plans.append(p)
    return plans


def _at(d: date, hour: int, zone: ZoneInfo) -> datetime:
    return datetime.combine(d, time(hour), zone).astimezone(UTC)


def _write_register(path: Path, rows: list[tuple[str, str, str, date | None, str]]) -> None:
    """A register as the office returns it: the sheet, its header row and the filled rows.

    The workbook keeps its real creation time: rows of a case changed after it are stale.
    """
    from openpyxl import Workbook

    from pulso.cases import registers as reg

    wb = Workbook()
    ws = wb.active
    ws.title = reg.SHEET
    ws.append([reg.COL_ID, reg.COL_STATUS, reg.COL_RADICADO, reg.COL_RESPONDED,
               reg.COL_REASON])
    for r in rows:
        ws.append(list(r))
        if r[3] is not None:
            ws.cell(ws.max_row, 4).number_format = "DD/MM/YYYY"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def simulate_office(engine: Engine, config: PulsoConfig, start: date, end: date,
                    out_dir: Path) -> OfficeResult:
    """Replay the office's work on the cases received start..end (see the module doc).

    The office keeps working after `end` for the business days it needs to close the month
    (`office.report_cutoff_business_days` + 5), never past today.
    """
    from pulso.cases.registers import load_case_register
    from pulso.cases.review import BULK_MAX, bulk_discard
    from pulso.classify.deadlines import BusinessCalendar
    from pulso.core.vocab import CASE_STATUS_LABELS
    from pulso.reports.data import utc_bounds
    from pulso.warehouse.schema import message, pqrs_case

    zone = ZoneInfo(config.entity.timezone)
    cal = BusinessCalendar.from_config(config)
    today = datetime.now(UTC).astimezone(zone).date()
    last_day = min(cal.add_business_days(end, config.office.report_cutoff_business_days + 5),
                   today - timedelta(days=1))
    lo, hi = utc_bounds(start, end, config.entity.timezone)
    stmt = (select(pqrs_case.c.message_id, pqrs_case.c.pqrs_type, pqrs_case.c.received_at,
                   pqrs_case.c.due_date, pqrs_case.c.version, message.c.text)
            .select_from(pqrs_case.join(message, message.c.message_id
                                        == pqrs_case.c.message_id))
            .where(pqrs_case.c.status == "candidate", pqrs_case.c.received_at >= lo,
                   pqrs_case.c.received_at < hi))
    with engine.connect() as conn:
        cases = [dict(r) for r in conn.execute(stmt).mappings()]
    plans = _plan(cases, config, cal, last_day)
    result = OfficeResult(unreviewed=sum(1 for p in plans if p.review_day is None
                                         and p.discard is None))
    version = {c["message_id"]: c["version"] for c in cases}
    filed_label, answered_label = CASE_STATUS_LABELS["filed"], CASE_STATUS_LABELS["answered"]
    pending_file = [p for p in plans if p.radicado]
    pending_answer = [p for p in plans if p.answer_day]
    d = start
    while d <= last_day:
        if cal.is_business_day(d):
            for reason in (REASON_SPAM, REASON_NOT_PQRS):
                items = [(p.message_id, version.get(p.message_id)) for p in plans
                         if p.discard == reason and p.review_day == d]
                for i in range(0, len(items), BULK_MAX):  # one screenful of cases at a time
                    res = bulk_discard(engine, items[i:i + BULK_MAX], reason, ACTOR_REVIEW,
                                       now=_at(d, 11, zone))
                    result.discarded += len(res.discarded)
                    result.issues += len(res.skipped)
            if d.weekday() in REGISTER_WEEKDAYS or d == last_day:
                rows: dict[str, tuple] = {}
                for p in pending_file:
                    if p.file_day <= d:
                        rows[p.message_id] = (p.message_id, filed_label, p.radicado, None, "")
                for p in pending_answer:
                    if p.answer_day <= d:
                        rows[p.message_id] = (p.message_id, answered_label, p.radicado,
                                              p.answer_day, "")
                if rows:
                    at = _at(d, 17, zone)
                    path = out_dir / f"registro_devuelto_{d:%Y-%m-%d}.xlsx"
                    _write_register(path, list(rows.values()))
                    res = load_case_register(engine, path, actor=ACTOR_REGISTER,
                                             tz=config.entity.timezone, now=at)
                    result.registers.append(path)
                    result.issues += len(res.issues)
                    done = set(res.applied)
                    result.filed += sum(1 for p in pending_file if p.message_id in done)
                    result.answered += sum(1 for p in pending_answer
                                           if p.message_id in done and p.answer_day <= d)
                    pending_file = [p for p in pending_file if p.file_day > d]
                    pending_answer = [p for p in pending_answer if p.answer_day > d]
        d += timedelta(days=1)
    d = last_day
    while len(result.monitor_days) < 5 and d >= start:
        if cal.is_business_day(d):
            result.monitor_days.insert(0, d)
        d -= timedelta(days=1)
    return result
