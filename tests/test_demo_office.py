"""The demo office works through the office's own code paths, deterministically."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from pulso.dev.demo_office import ACTOR_REGISTER, ACTOR_REVIEW, simulate_office
from pulso.sources import demo
from pulso.warehouse.load import upsert
from pulso.warehouse.schema import pqrs_case, pqrs_case_event


def _fill(engine, config) -> list[str]:
    """Forty candidates received on weekdays of 2026-03: real petitions and chatter."""
    seed = config.demo.seed
    real = demo._text_pool(seed, "reclamo")
    chatter = demo._text_pool(seed, "chatter")
    msgs, cases, ids = [], [], []
    day = date(2026, 3, 2)
    for i in range(40):
        d = day + timedelta(days=i % 20)
        at = datetime(d.year, d.month, d.day, 15, tzinfo=UTC)
        mid = f"facebook:t{i}"
        ids.append(mid)
        msgs.append({"message_id": mid, "account_id": "facebook:104857600123",
                     "network": "facebook", "kind": "comment", "created_at": at,
                     "author_key": f"{i:064x}", "author_handle": f"u{i}", "is_own": False,
                     "text": real[i] if i % 4 else chatter[i], "post_id": None,
                     "parent_id": None, "permalink": None, "responded_at": None,
                     "anonymised_at": None, "source": "demo"})
        cases.append({"message_id": mid, "pqrs_type": "reclamo", "pqrs_subtype": None,
                      "pqrs_score": 0.8, "received_at": at, "due_date": d + timedelta(days=21),
                      "status": "candidate", "radicado": None, "filed_at": None,
                      "responded_at": None, "discard_reason": None, "reviewed_by": None,
                      "updated_at": at})
    with engine.begin() as conn:
        upsert(conn, "message", msgs)
        upsert(conn, "pqrs_case", cases)
    return ids


def _state(engine):
    with engine.connect() as conn:
        return {r.message_id: (r.status, r.radicado, r.responded_at)
                for r in conn.execute(select(pqrs_case))}


def test_office_discards_chatter_files_and_answers_petitions(sqlite_warehouse, config, tmp_path):
    ids = _fill(sqlite_warehouse, config)
    result = simulate_office(sqlite_warehouse, config, date(2026, 3, 1), date(2026, 3, 31),
                             tmp_path / "registros")
    state = _state(sqlite_warehouse)
    chatter = [m for i, m in enumerate(ids) if i % 4 == 0]
    assert all(state[m][0] == "discarded" for m in chatter)
    real = [m for m in ids if m not in chatter]
    filed = [m for m in real if state[m][0] in ("filed", "answered")]
    assert len(filed) >= 0.8 * len(real)
    assert all(state[m][1] for m in filed)  # a filed case has its radicado
    answered = [m for m in real if state[m][0] == "answered"]
    assert len(answered) >= 0.7 * len(real) and result.registers
    # who did what is in the audit trail: review screen and returned registers
    with sqlite_warehouse.connect() as conn:
        events = conn.execute(select(pqrs_case_event)).all()
    actors = {e.actor for e in events}
    assert {ACTOR_REVIEW, ACTOR_REGISTER} <= actors
    assert any(json.loads(e.detail or "{}").get("file", "").startswith("registro_devuelto_")
               for e in events if e.actor == ACTOR_REGISTER)
    assert result.issues == 0


def test_office_is_deterministic(sqlite_warehouse, warehouse, config, tmp_path):
    if warehouse.url.get_backend_name() != "postgresql":
        return  # compare SQLite with PostgreSQL only once
    for engine in (sqlite_warehouse, warehouse):
        _fill(engine, config)
        simulate_office(engine, config, date(2026, 3, 1), date(2026, 3, 31),
                        tmp_path / engine.url.get_backend_name())
    a, b = _state(sqlite_warehouse), _state(warehouse)
    assert {k: v[:2] for k, v in a.items()} == {k: v[:2] for k, v in b.items()}
