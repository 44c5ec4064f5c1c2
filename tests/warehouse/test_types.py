"""`UtcDateTime`: aware values in any zone go in, aware UTC values come out, on both back ends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Column, Date, DateTime, Integer, MetaData, String, Table, select, text
from sqlalchemy.exc import StatementError

from pulso.warehouse.schema import TABLES, credential, pqrs_case_event
from pulso.warehouse.types import NaiveDateTimeError, UtcDateTime, is_datetime

BOGOTA = ZoneInfo("America/Bogota")


def test_every_schema_datetime_column_is_utc() -> None:
    """No plain DateTime is left in the schema: every time column reads back aware."""
    for table in TABLES.values():
        for col in table.columns:
            if isinstance(col.type, DateTime):
                pytest.fail(f"{table.name}.{col.name} is a plain DateTime")
    assert isinstance(pqrs_case_event.c.at.type, UtcDateTime)
    assert is_datetime(UtcDateTime()) and is_datetime(DateTime())
    assert not is_datetime(Date()) and not is_datetime(String())


def test_round_trip_any_zone_to_utc(warehouse) -> None:
    """Bogotá, a fixed offset and UTC all come back as the same instant in `datetime.UTC`."""
    values = {
        "bogota": datetime(2026, 3, 1, 19, 30, 15, 123456, tzinfo=BOGOTA),
        "offset": datetime(2026, 3, 1, 23, 59, tzinfo=timezone(timedelta(hours=5, minutes=30))),
        "utc": datetime(2026, 3, 2, 0, 30, tzinfo=UTC),
    }
    with warehouse.begin() as conn:
        for conn_id, at in values.items():
            conn.execute(credential.insert().values(conn_id=conn_id, rotated_at=at,
                                                    expires_at=None, updated_at=at))
    with warehouse.connect() as conn:
        got = {r.conn_id: r for r in conn.execute(select(credential))}
    for conn_id, at in values.items():
        out = got[conn_id].rotated_at
        assert out.tzinfo is UTC, conn_id
        assert out == at
        assert out.utcoffset() == timedelta(0)
        assert got[conn_id].expires_at is None
    assert got["bogota"].rotated_at == datetime(2026, 3, 2, 0, 30, 15, 123456, tzinfo=UTC)


def test_stored_as_utc_and_compared_as_utc(warehouse) -> None:
    """The stored wall time is UTC (SQLite text), and a WHERE bound in another zone matches."""
    at = datetime(2026, 3, 1, 19, 0, tzinfo=BOGOTA)  # 2026-03-02 00:00 UTC
    with warehouse.begin() as conn:
        conn.execute(credential.insert().values(conn_id="c", rotated_at=at))
    with warehouse.connect() as conn:
        if warehouse.dialect.name == "sqlite":
            raw = conn.execute(text("SELECT rotated_at FROM credential")).scalar_one()
            assert raw == "2026-03-02 00:00:00.000000"
        hit = conn.execute(select(credential.c.conn_id).where(
            credential.c.rotated_at == datetime(2026, 3, 2, 5, 30, tzinfo=timezone(
                timedelta(hours=5, minutes=30))))).scalar_one_or_none()
        assert hit == "c"
        typed = text("SELECT rotated_at FROM credential").columns(rotated_at=UtcDateTime())
        assert conn.execute(typed).scalar_one() == at
        assert conn.execute(typed).scalar_one().tzinfo is UTC


def test_naive_datetime_is_refused(warehouse) -> None:
    """A naive value is ambiguous (UTC? Bogotá?): binding it fails with a clear error."""
    with pytest.raises(StatementError) as exc, warehouse.begin() as conn:
        conn.execute(credential.insert().values(conn_id="n", rotated_at=datetime(2026, 3, 1)))
    assert isinstance(exc.value.orig, NaiveDateTimeError)
    assert "naive datetime 2026-03-01T00:00:00 bound to a UTC column" in str(exc.value)
    with warehouse.connect() as conn:
        assert conn.execute(select(credential)).first() is None


def test_result_value_from_raw_text_and_other_zones() -> None:
    """The read side also accepts raw SQLite text and aware values in another zone."""
    t = UtcDateTime()

    class _Dialect:
        name = "sqlite"

    d = _Dialect()
    assert t.process_result_value("2026-03-02 00:00:00.000000", d) == datetime(
        2026, 3, 2, tzinfo=UTC)
    assert t.process_result_value("2026-03-02 00:00:00.000000", d).tzinfo is UTC
    out = t.process_result_value(datetime(2026, 3, 1, 19, tzinfo=BOGOTA), d)
    assert out.tzinfo is UTC and out == datetime(2026, 3, 2, tzinfo=UTC)
    assert t.process_result_value(None, d) is None
    with pytest.raises(TypeError):
        t.process_bind_param("2026-03-02", d)


def test_bulk_load_and_reload_keep_utc(warehouse) -> None:
    """The upsert paths (COPY / executemany) and a re-load with equal values leave rows as
    they were; what is read back is aware UTC."""
    from pulso.warehouse.load import load_batch

    at = datetime(2026, 3, 1, 19, 0, tzinfo=BOGOTA)
    rows = [{"message_id": "m1", "account_id": "a", "network": "facebook", "kind": "comment",
             "created_at": at, "text": "hola", "source": "api"}]
    assert load_batch(warehouse, {"message": rows}, source="test").total_rejected == 0
    with warehouse.connect() as conn:
        first = conn.execute(select(TABLES["message"])).mappings().one()
    assert first["created_at"] == at and first["created_at"].tzinfo is UTC
    assert first["loaded_at"].tzinfo is UTC
    # the same instant expressed in UTC is no change: loaded_at is not rewritten
    load_batch(warehouse, {"message": [{**rows[0], "created_at": at.astimezone(UTC)}]},
               source="test")
    with warehouse.connect() as conn:
        again = conn.execute(select(TABLES["message"])).mappings().one()
    assert again["loaded_at"] == first["loaded_at"]


def test_type_is_cacheable_and_compiles_as_timestamptz(warehouse) -> None:
    md = MetaData()
    t = Table("utc_probe", md, Column("id", Integer, primary_key=True),
              Column("at", UtcDateTime()))
    ddl = str(t.c.at.type.compile(dialect=warehouse.dialect))
    assert ddl == ("TIMESTAMP WITH TIME ZONE" if warehouse.dialect.name == "postgresql"
                   else "DATETIME")
    assert UtcDateTime.cache_ok is True
