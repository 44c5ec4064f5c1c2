"""Upserts, idempotency and rejects, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select, text

from pulso.warehouse.load import load_batch, upsert
from pulso.warehouse.schema import TABLES, account_daily, load_reject, message


def _snapshot(engine) -> dict[str, list[tuple]]:
    with engine.connect() as conn:
        return {name: sorted(tuple(map(str, r)) for r in conn.execute(select(t)))
                for name, t in TABLES.items()}


def _msg(i: int, **over) -> dict:
    row = {"message_id": f"facebook:m{i}", "account_id": "facebook:1", "network": "facebook",
           "kind": "comment", "created_at": datetime(2026, 10, 1, 12, i % 60, tzinfo=UTC),
           "author_key": "a" * 64, "author_handle": "ciudadano", "is_own": False,
           "text": f"Hola {i}, ¿cuándo abren la convocatoria?", "source": "demo"}
    row.update(over)
    return row


def test_upsert_is_idempotent(warehouse) -> None:
    rows = {"message": [_msg(i) for i in range(50)],
            "account_daily": [{"account_id": "facebook:1", "day": date(2026, 10, d),
                               "followers": 1000 + d, "reach": None, "source": "demo"}
                              for d in range(1, 11)]}
    first = load_batch(warehouse, rows, source="demo")
    assert first.loaded == {"message": 50, "account_daily": 10}
    before = _snapshot(warehouse)
    load_batch(warehouse, rows, source="demo")
    assert _snapshot(warehouse) == before  # loaded_at included: nothing rewritten


def test_changed_values_update_in_place(warehouse) -> None:
    load_batch(warehouse, {"message": [_msg(1)]}, source="demo")
    load_batch(warehouse, {"message": [_msg(1, text="texto corregido")]}, source="demo")
    with warehouse.connect() as conn:
        assert conn.execute(select(func.count()).select_from(message)).scalar() == 1
        assert conn.execute(select(message.c.text)).scalar() == "texto corregido"


def test_bad_rows_are_rejected_with_reason_and_good_rows_load(warehouse) -> None:
    rows = [_msg(1), _msg(2, created_at="ayer"), _msg(3, message_id=None),
            _msg(4, kind=None), _msg(5)]
    result = load_batch(warehouse, {"message": rows}, source="export", file="comentarios.csv")
    assert result.loaded["message"] == 2
    reasons = sorted((r.row, r.field, r.reason) for r in result.rejects)
    assert reasons == [
        (2, "created_at", "message.created_at: expected an ISO date-time, got 'ayer'"),
        (3, "message_id", "message.message_id is required"),
        (4, "kind", "message.kind is required"),
    ]
    with warehouse.connect() as conn:
        stored = conn.execute(select(load_reject.c.file, load_reject.c.row, load_reject.c.field,
                                     load_reject.c.raw).order_by(load_reject.c.row)).all()
    assert [(f, r, fld) for f, r, fld, _ in stored] == [
        ("comentarios.csv", 2, "created_at"), ("comentarios.csv", 3, "message_id"),
        ("comentarios.csv", 4, "kind")]
    assert "ayer" in stored[0][3]
    # rejects are keyed too: loading the same broken batch again stores them once
    load_batch(warehouse, {"message": rows}, source="export", file="comentarios.csv")
    with warehouse.connect() as conn:
        assert conn.execute(select(func.count()).select_from(load_reject)).scalar() == 3


def test_negative_counts_and_wrong_types_rejected(warehouse) -> None:
    rows = [{"account_id": "x:1", "day": "2026-10-01", "followers": "1200", "source": "api"},
            {"account_id": "x:1", "day": "2026-10-02", "followers": -5, "source": "api"},
            {"account_id": "x:1", "day": "2026-10-03", "reach": "mucho", "source": "api"},
            {"account_id": "x:1", "day": "2026-10-04", "views": 12.5, "source": "api"}]
    result = load_batch(warehouse, {"account_daily": rows}, source="api")
    assert result.loaded["account_daily"] == 1
    assert {r.field for r in result.rejects} == {"followers", "reach", "views"}
    with warehouse.connect() as conn:
        assert conn.execute(select(account_daily.c.followers)).scalar() == 1200


def test_missing_metric_stays_null_not_zero(warehouse) -> None:
    load_batch(warehouse, {"account_daily": [
        {"account_id": "x:1", "day": date(2026, 10, 1), "followers": 10, "reach": "",
         "source": "api"}]}, source="api")
    with warehouse.connect() as conn:
        assert conn.execute(select(account_daily.c.reach)).scalar() is None


def test_batch_is_one_transaction(warehouse) -> None:
    """A failure while writing rolls back every table of the batch."""
    good = {"account_daily": [{"account_id": "x:1", "day": date(2026, 10, 1), "followers": 1,
                               "source": "api"}]}
    with pytest.raises(Exception):  # noqa: B017 - any DB error must abort the whole batch
        with warehouse.begin() as conn:
            load_batch(conn, good, source="api")
            conn.execute(text("INSERT INTO no_such_table VALUES (1)"))
    with warehouse.connect() as conn:
        assert conn.execute(select(func.count()).select_from(account_daily)).scalar() == 0


def test_duplicate_keys_in_one_batch_keep_the_last(warehouse) -> None:
    rows = [_msg(1, text="primero"), _msg(1, text="segundo")]
    with warehouse.begin() as conn:
        assert upsert(conn, "message",
                      load_batch.__globals__["validate_rows"]("message", rows, source="t").rows) == 1
    with warehouse.connect() as conn:
        assert conn.execute(select(message.c.text)).scalar() == "segundo"


def test_hostile_text_round_trips(warehouse) -> None:
    hostile = "'; DROP TABLE message; --\u202e\U0001F468\u200d\U0001F469\u200d\U0001F467 " + "x" * 100_000
    load_batch(warehouse, {"message": [_msg(1, text=hostile), _msg(2, text="nul\x00byte")]},
               source="demo")
    with warehouse.connect() as conn:
        texts = dict(conn.execute(select(message.c.message_id, message.c.text)).all())
    assert texts["facebook:m1"] == hostile
    assert texts["facebook:m2"] == "nul\ufffdbyte"  # NUL cannot be stored in PostgreSQL text


def test_anonymised_message_is_never_rewritten(warehouse, config) -> None:
    from pulso.monitor.retention import apply_retention

    old = _msg(1, created_at=datetime(2020, 1, 10, tzinfo=UTC), text="mi cel 3001234567")
    recent = _msg(2, text="reciente")
    load_batch(warehouse, {"message": [old, recent]}, source="demo")
    first = apply_retention(warehouse, config)
    assert first["anonymised"] == 1
    assert apply_retention(warehouse, config)["anonymised"] == 0  # idempotent
    load_batch(warehouse, {"message": [old, recent]}, source="demo")  # re-ingest the old day
    with warehouse.connect() as conn:
        rows = dict(conn.execute(select(message.c.message_id, message.c.text)).all())
        handle = conn.execute(select(message.c.author_handle).where(
            message.c.message_id == "facebook:m1")).scalar()
    assert rows == {"facebook:m1": None, "facebook:m2": "reciente"}
    assert handle is None


# --- column-wise validation and upsert ----------------------------------------------------------

def _daily(i: int, **over) -> dict:
    row = {"post_id": f"facebook:1_{i}", "day": date(2026, 6, 30), "reach": i, "views": None,
           "source": "export:meta_posts", "_row": i + 1, "_file": "posts.csv"}
    row.update(over)
    return row


def test_column_wise_validation_gives_the_row_by_row_rows() -> None:
    from pulso.warehouse.validate import ColumnRows, validate_rows

    rows = [_daily(i) for i in range(5)]
    fast = validate_rows("post_daily", rows, source="export")
    assert fast.columns is not None and not fast.rejects
    cols = ColumnRows({k: [r.get(k) for r in rows] for k in rows[0]})
    assert validate_rows("post_daily", cols, source="export").columns == fast.columns
    # one bad row: validated row by row, the good rows come out the same
    slow = validate_rows("post_daily", [*rows, _daily(9, reach=-1)], source="export")
    assert slow.columns is None and slow.rows == fast.rows
    assert [(r.row, r.field) for r in slow.rejects] == [(10, "reach")]


def test_column_wise_validation_declines_what_it_would_convert() -> None:
    from pulso.warehouse.validate import validate_rows

    aware = datetime(2026, 6, 1, 7, 0, tzinfo=UTC)
    for bad in ({"reach": "12"}, {"reach": True}, {"source": "x" * 41}, {"day": "2026-06-30"},
                {"source": "a\x00b"}, {"_signed": True}):
        rows = [_daily(0), _daily(1, **bad)]
        assert validate_rows("post_daily", rows, source="e").columns is None, bad
    v = validate_rows("post", [{"post_id": "p", "account_id": "a", "source": "s",
                                "published_at": aware.replace(tzinfo=None)}], source="e")
    assert v.columns["published_at"] == [aware]  # naive taken as UTC, as row by row


def test_upsert_columns_equals_upsert(warehouse) -> None:
    from pulso.warehouse.load import upsert_columns

    clean = [{k: v for k, v in _daily(i).items() if not k.startswith("_")} for i in range(30)]
    with warehouse.begin() as conn:
        upsert(conn, "post_daily", clean)
    before = _snapshot(warehouse)
    cols = {k: [r.get(k) for r in clean] for k in clean[0]}
    with warehouse.begin() as conn:
        assert upsert_columns(conn, "post_daily", cols) == 30
    assert _snapshot(warehouse) == before  # same rows, nothing rewritten (not even loaded_at)
    cols["reach"] = [r["reach"] + 1 for r in clean]
    cols["post_id"] = [*cols["post_id"][:29], "facebook:1_new"]  # 29 updates, 1 insert
    with warehouse.begin() as conn:
        upsert_columns(conn, "post_daily", cols)
    with warehouse.connect() as conn:
        got = dict(conn.execute(text("SELECT post_id, reach FROM post_daily")).all())
    assert len(got) == 31 and got["facebook:1_0"] == 1 and got["facebook:1_29"] == 29
    assert got["facebook:1_new"] == 30
    dup = {k: [*v, v[3]] for k, v in cols.items()}  # a repeated key: the last row wins
    dup["reach"][-1] = 333
    with warehouse.begin() as conn:
        assert upsert_columns(conn, "post_daily", dup) == 30
    with warehouse.connect() as conn:
        assert conn.execute(text("SELECT reach FROM post_daily WHERE post_id = 'facebook:1_3'")
                            ).scalar() == 333


def test_sqlite_bulk_upsert_restores_the_page_cache(sqlite_warehouse) -> None:
    from pulso.warehouse.load import _BULK_ROWS, upsert_columns

    n = _BULK_ROWS
    cols = {"post_id": [f"facebook:1_{i}" for i in range(n)], "day": [date(2026, 6, 30)] * n,
            "reach": list(range(n)), "source": ["export:meta_posts"] * n}
    with sqlite_warehouse.begin() as conn:
        before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
        assert upsert_columns(conn, "post_daily", cols) == n
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == before
    with sqlite_warehouse.connect() as conn:
        assert conn.execute(text("SELECT count(*), sum(reach) FROM post_daily")).one() == (
            n, n * (n - 1) // 2)
