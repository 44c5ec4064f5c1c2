"""Failure cases every API connector must survive, run against the fake server.

Each check drives a real connector over HTTP with faults injected on `prefix` (the path of
the connector's first call) and asserts the behaviour the analyst relies on: retries that
end, waits that honour the server, and errors that name the account and never the token.
"""

from __future__ import annotations

import logging
from datetime import date

import pytest

from pulso.core.config import Account
from pulso.sources.base import SourceBatch, SourceError
from pulso.warehouse.validate import validate_rows

from fake_api import END, RATE_LIMITED, SERVER_ERROR, START, TOKEN, FakeApi, Reply, connect


def run(api: FakeApi, account: Account, start: date = START, end: date = END,
        **extra) -> list[SourceBatch]:
    src = connect(api, account, **extra)
    try:
        return list(src.fetch(account, start, end))
    finally:
        src.close()


def rows(batches: list[SourceBatch], table: str) -> list[dict]:
    return [r for b in batches for r in b.tables.get(table, [])]


def assert_valid(batches: list[SourceBatch]) -> None:
    """Every row validates against the warehouse schema with zero rejects."""
    assert batches
    for b in batches:
        assert b.source.startswith("api:")
        for table, table_rows in b.tables.items():
            result = validate_rows(table, table_rows, source=b.source)
            assert result.rejects == [], result.rejects[:3]
            assert len(result.rows) == len(table_rows)


def assert_no_token(api: FakeApi, *texts: str) -> None:
    for t in texts:
        assert TOKEN not in t
    for r in api.requests:
        assert TOKEN not in r.raw, f"token sent in a URL: {r.path}"


def check_rate_limit_honoured(api: FakeApi, account: Account, prefix: str,
                              caplog: pytest.LogCaptureFixture, reply: Reply = RATE_LIMITED,
                              asked: str = "7") -> None:
    caplog.set_level(logging.WARNING, logger="pulso")
    api.fail(prefix, reply)
    batches = run(api, account)
    assert_valid(batches)
    assert len(api.hits(prefix)) >= 2
    assert f"el servidor pidió {asked}" in caplog.text
    assert_no_token(api, caplog.text)


def check_transient_errors_retried(api: FakeApi, account: Account, prefix: str,
                                   caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="pulso")
    api.fail(prefix, SERVER_ERROR, "timeout", SERVER_ERROR)
    batches = run(api, account)
    assert_valid(batches)
    assert len(api.hits(prefix)) >= 4
    assert "tiempo de espera agotado" in caplog.text
    assert "HTTP 503" in caplog.text


def check_retries_bounded(api: FakeApi, account: Account, prefix: str) -> None:
    api.fail(prefix, *[SERVER_ERROR] * 10)
    with pytest.raises(SourceError) as err:
        run(api, account)
    assert len(api.hits(prefix)) == 4  # FAST.max_attempts, then give up
    assert "tras 4 intentos" in str(err.value)
    assert account.account_id in str(err.value)
    assert_no_token(api, str(err.value))


def check_expired_token(api: FakeApi, account: Account, prefix: str, reply: Reply,
                        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    api.fail(prefix, reply)
    with pytest.raises(SourceError) as err:
        run(api, account)
    msg = str(err.value)
    assert account.account_id in msg
    assert f"pulso_{account.network}" in msg and "Renueve el token" in msg
    assert len(api.hits(prefix)) == 1  # never retried
    assert_no_token(api, msg, caplog.text, repr(err.value.__cause__))


def check_malformed_body(api: FakeApi, account: Account, prefix: str) -> None:
    api.fail(prefix, "malformed")
    with pytest.raises(SourceError) as err:
        run(api, account)
    msg = str(err.value)
    assert "JSON" in msg and prefix.rstrip("/") in msg and account.account_id in msg
    assert "?" not in msg.split("(")[-1]  # the URL is shown without its query string
    assert_no_token(api, msg)


def check_client_error_not_retried(api: FakeApi, account: Account, prefix: str,
                                   reply: Reply) -> None:
    api.fail(prefix, reply)
    with pytest.raises(SourceError) as err:
        run(api, account)
    assert len(api.hits(prefix)) == 1
    assert account.account_id in str(err.value)
    assert_no_token(api, str(err.value))
