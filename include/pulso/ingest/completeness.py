"""Is a period fully ingested? A report on a month with holes would silently under-count.

A day is complete for an account when an `ingest_run` row (account_id, day) exists: the daily
ingestion writes it after loading that account's day, whatever the number of rows (a quiet day
with zero messages is still complete).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from sqlalchemy import Engine, select

from pulso.core.config import PulsoConfig
from pulso.core.periods import Period
from pulso.warehouse.schema import ingest_run


def missing_days(engine: Engine, config: PulsoConfig, period: Period,
                 account_ids: Sequence[str] | None = None) -> dict[str, list[date]]:
    """Per configured account, the days of `period` without an ingest_run row.

    Accounts with nothing missing are left out, so an empty dict means complete.
    """
    ids = list(account_ids) if account_ids is not None else [a.account_id for a in config.accounts]
    done: dict[str, set[date]] = {a: set() for a in ids}
    stmt = (select(ingest_run.c.account_id, ingest_run.c.day)
            .where(ingest_run.c.day >= period.start, ingest_run.c.day <= period.end))
    with engine.connect() as conn:
        for account_id, day in conn.execute(stmt):
            if account_id in done:
                done[account_id].add(day if isinstance(day, date) else date.fromisoformat(day))
    days = period.days()
    out: dict[str, list[date]] = {}
    for account_id in ids:
        gaps = [d for d in days if d not in done[account_id]]
        if gaps:
            out[account_id] = gaps
    return out


def day_ranges(days: Sequence[date]) -> list[tuple[date, date]]:
    """Consecutive days collapsed into inclusive (first, last) ranges."""
    out: list[tuple[date, date]] = []
    for d in sorted(set(days)):
        if out and d == out[-1][1] + timedelta(days=1):
            out[-1] = (out[-1][0], d)
        else:
            out.append((d, d))
    return out


def format_ranges(days: Sequence[date]) -> str:
    """'2026-10-03..2026-10-05, 2026-10-09' style listing."""
    return ", ".join(a.isoformat() if a == b else f"{a.isoformat()}..{b.isoformat()}"
                     for a, b in day_ranges(days))


class IncompleteIngestion(RuntimeError):
    """The period has accounts with days not ingested yet; the report must wait or be forced."""

    def __init__(self, period: Period, missing: Mapping[str, Sequence[date]]):
        self.period = period
        self.missing = {k: list(v) for k, v in missing.items() if v}
        total = sum(len(v) for v in self.missing.values())
        lines = [f"  {acc}: {format_ranges(days)} ({len(days)} días)"
                 for acc, days in sorted(self.missing.items())]
        super().__init__(
            f"ingesta incompleta para {period.key} ({period.label}): faltan {total} días-cuenta "
            f"en {len(self.missing)} cuenta(s)\n" + "\n".join(lines)
            + "\nCargue esos días (pulso ingest / DAG pulso_ingest_daily) o use "
              "--allow-incomplete para generar el informe de todos modos.")

    @classmethod
    def from_missing(cls, period: Period, missing: Mapping[str, Sequence[date]]
                     ) -> IncompleteIngestion:
        return cls(period, missing)


def check_complete(engine: Engine, config: PulsoConfig, period: Period) -> None:
    """Raise IncompleteIngestion when any configured account misses a day of `period`."""
    missing = missing_days(engine, config, period)
    if missing:
        raise IncompleteIngestion(period, missing)
