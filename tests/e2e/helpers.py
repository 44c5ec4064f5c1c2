"""Small helpers shared by the end-to-end tests (warehouse reads, outbox reads)."""

from __future__ import annotations

import email
import json
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from pathlib import Path

from sqlalchemy import select

from tests.airflow_stack import seed_warehouse

MONTHLY = ["growth", "sentiment", "pqrs"]


def seed_in_background(url: str, start: date, end: date) -> tuple[ThreadPoolExecutor, Future]:
    """Seed the warehouse while the stack boots (subprocesses: no GIL contention to speak of)."""
    pool = ThreadPoolExecutor(max_workers=1)
    return pool, pool.submit(seed_warehouse, url, start, end)


def report_runs(url: str) -> list[dict]:
    from pulso.warehouse.engine import make_engine
    from pulso.warehouse.schema import report_run

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(report_run)).mappings().all()
        return [{**dict(r), "files": json.loads(r["files"] or "[]")} for r in rows]
    finally:
        engine.dispose()


def outbox_message_ids(outbox: Path) -> list[str]:
    """Message-IDs of every .eml in the outbox (one file per message sent)."""
    ids = []
    for path in sorted(outbox.glob("*.eml")):
        msg = email.message_from_bytes(path.read_bytes())
        ids.append(str(msg["Message-ID"]))
    return ids


def report_files(root: Path) -> list[Path]:
    """Every published report file (scratch folders of in-flight builds excluded)."""
    return sorted(p for p in root.rglob("*") if p.is_file() and ".tmp-" not in str(p))
