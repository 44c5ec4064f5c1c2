"""A network API answering 429/500/timeouts for a while, or failing for good."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from pulso.core.config import Account
from pulso.ingest.daily import ingest_account
from pulso.sources.base import SourceError
from pulso.warehouse.schema import TABLES

from fake_api import END, RATE_LIMITED, SERVER_ERROR, START, TOKEN, connect, install_x, serve

ACC = Account(network="x", handle="alcaldia", native_id="42", source="api", conn_id="pulso_x")


def _canon(v) -> str:
    """The same value reads back as str on SQLite and as datetime on PostgreSQL."""
    from datetime import UTC, datetime

    if isinstance(v, datetime):
        v = v.astimezone(UTC).replace(tzinfo=None) if v.tzinfo else v
        return v.isoformat(sep=" ")
    if isinstance(v, str) and len(v) >= 19 and v[4] == "-" and v[10] == " ":
        return datetime.fromisoformat(v).isoformat(sep=" ")
    return str(v)


def _state(engine) -> dict[str, list[tuple]]:
    with engine.connect() as conn:
        return {n: sorted(tuple(_canon(v) for v in r) for r in conn.execute(
            select(*[c for c in t.columns if c.name != "loaded_at"])))
            for n, t in TABLES.items()}


@pytest.fixture
def api_config(config):
    return config.model_copy(update={"accounts": (ACC,)})


def test_transient_faults_complete_within_retry_budget(warehouse, api_config, ledger, tmp_path):
    """429, 5xx and a timeout on several endpoints: the load completes as if nothing happened."""
    from pulso.warehouse.engine import create_schema, make_engine

    clean = make_engine(f"sqlite:///{tmp_path / 'clean.db'}")
    create_schema(clean)
    with serve() as api:
        install_x(api)
        ingest_account(clean, api_config, ACC.account_id, START, END,
                       source=connect(api, ACC))
    with serve() as api:
        install_x(api)
        faults = {"/2/users/42/tweets": (RATE_LIMITED, SERVER_ERROR, "timeout"),
                  "/2/users/42/mentions": (SERVER_ERROR, RATE_LIMITED),
                  "/2/dm_events": ("timeout", SERVER_ERROR, "reset")}
        for prefix, fs in faults.items():
            api.fail(prefix, *fs)
        ledger["faults_injected"] += sum(len(v) for v in faults.values())
        summary = ingest_account(warehouse, api_config, ACC.account_id, START, END,
                                 source=connect(api, ACC))
    assert summary.rejected == 0
    got, want = _state(warehouse), _state(clean)
    assert got == want
    ledger["faults_survived"] += sum(len(v) for v in faults.values())
    ledger["rows_lost"] += sum(len(v) for v in want.values()) - sum(len(v) for v in got.values())


def test_outage_beyond_budget_fails_clearly_and_keeps_what_was_loaded(
        warehouse, api_config, ledger, caplog):
    with serve() as api:
        install_x(api)
        ingest_account(warehouse, api_config, ACC.account_id, START, START,
                       source=connect(api, ACC))
    before = _state(warehouse)
    with serve() as api:
        install_x(api)
        api.fail("/2/users/42/mentions", *([SERVER_ERROR] * 20))
        ledger["faults_injected"] += 1
        with pytest.raises(SourceError) as err:
            ingest_account(warehouse, api_config, ACC.account_id, START, END,
                           source=connect(api, ACC))
    msg = str(err.value)
    assert "x:42" in msg or "alcaldia" in msg, msg
    assert TOKEN not in msg and TOKEN not in caplog.text
    after = _state(warehouse)
    for table, rows in before.items():  # nothing already loaded was lost
        assert set(rows) <= set(after[table]), table
    ledger["faults_survived"] += 1
