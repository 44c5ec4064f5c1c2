"""The shared HTTP helpers: wait parsing and URL scrubbing."""

from __future__ import annotations

from datetime import UTC, datetime

from pulso.sources.http import (
    ApiCredentials,
    parse_reset_epoch,
    parse_retry_after,
    safe_url,
    strip_secret_params,
)


def test_retry_after_seconds_and_http_date():
    now = datetime(2026, 6, 10, 15, 0, tzinfo=UTC)
    assert parse_retry_after("12") == 12.0
    assert parse_retry_after("Wed, 10 Jun 2026 15:01:30 GMT", now) == 90.0
    assert parse_retry_after("Wed, 10 Jun 2026 14:00:00 GMT", now) == 0.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_reset_epoch():
    assert parse_reset_epoch("1000", now=990.0) == 10.0
    assert parse_reset_epoch("x") is None


def test_urls_lose_secrets():
    url = "https://graph.facebook.com/v23.0/1/feed?access_token=SECRET&after=QVF&limit=5"
    assert safe_url(url) == "https://graph.facebook.com/v23.0/1/feed"
    cleaned = strip_secret_params(url)
    assert "SECRET" not in cleaned and "after=QVF" in cleaned and "limit=5" in cleaned


def test_credentials_repr_hides_token():
    creds = ApiCredentials(conn_id="c", token="SECRET", extra={"a": 1})
    assert "SECRET" not in repr(creds)
