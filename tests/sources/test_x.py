"""X connector against the fake API v2."""

from __future__ import annotations

import time

import pytest

from pulso.core.config import Account
from pulso.core.privacy import author_key

from api_cases import (
    assert_no_token,
    assert_valid,
    check_client_error_not_retried,
    check_expired_token,
    check_malformed_body,
    check_rate_limit_honoured,
    check_retries_bounded,
    check_transient_errors_retried,
    rows,
    run,
)
from fake_api import END, START, UNAUTHORIZED, error, install_x, serve

ACC = Account(network="x", handle="alcaldia", native_id="42", source="api", conn_id="pulso_x")


@pytest.fixture
def api():
    with serve() as fake:
        install_x(fake)
        yield fake


def test_happy_path_derives_followers_from_stored_snapshot(api):
    from datetime import timedelta
    batches = run(api, ACC, history={END - timedelta(days=1): 1510})
    assert_valid(batches)
    daily = {r["day"]: r for r in rows(batches, "account_daily")}
    end = daily[END]
    assert end["followers"] == 1500 and end["followers_gained"] == 0
    assert end["followers_lost"] == 10 and end["followers_derived"] is True
    assert end["reach"] is None and end["views"] is None  # X gives no account series
    assert daily[START]["posts_published"] == 1 and end["posts_published"] == 2
    snap = {r["post_id"]: r for r in rows(batches, "post_daily")}
    assert snap["x:t3"]["views"] == 300 and snap["x:t3"]["shares"] == 3
    assert snap["x:t3"]["clicks"] is None


def test_single_snapshot_leaves_gains_unknown(api):
    daily = {r["day"]: r for r in rows(run(api, ACC), "account_daily")}
    assert daily[END]["followers"] == 1500
    assert daily[END]["followers_gained"] is None and daily[END]["followers_lost"] is None


def test_paging_and_messages(api):
    batches = run(api, ACC)
    assert [r.query.get("pagination_token") for r in api.hits("/2/users/42/tweets")] == [None, "2"]
    assert len(api.hits("/2/dm_events")) == 2
    msgs = {m["message_id"]: m for m in rows(batches, "message")}
    assert msgs["x:r1"]["kind"] == "comment" and msgs["x:r1"]["post_id"] == "x:t3"
    assert msgs["x:r2"]["kind"] == "mention" and msgs["x:r2"]["author_handle"] == "otra"
    assert msgs["x:d1"]["kind"] == "dm" and msgs["x:d1"]["author_key"] == author_key("x", "7")
    assert msgs["x:d2"]["is_own"] is True
    assert_no_token(api)


def test_rate_limit_reset_header(api, caplog):
    reset = str(int(time.time()) + 30)
    check_rate_limit_honoured(api, ACC, "/2/users/42/tweets", caplog,
                              error(429, {"title": "Too Many Requests"},
                                    {"x-rate-limit-reset": reset, "x-rate-limit-remaining": "0"}),
                              asked="")


def test_retry_after_http_date(api, caplog):
    from datetime import UTC, datetime, timedelta
    from email.utils import format_datetime
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=90), usegmt=True)
    check_rate_limit_honoured(api, ACC, "/2/users/42/mentions", caplog,
                              error(429, {}, {"Retry-After": when}), asked="")


def test_server_errors_and_timeouts_retried(api, caplog):
    check_transient_errors_retried(api, ACC, "/2/users/42/tweets", caplog)


def test_retries_are_bounded(api):
    check_retries_bounded(api, ACC, "/2/dm_events")


def test_expired_token(api, caplog):
    check_expired_token(api, ACC, "/2/users/42", UNAUTHORIZED, caplog)


def test_malformed_body(api):
    check_malformed_body(api, ACC, "/2/users/42/mentions")


def test_forbidden_not_retried(api):
    check_client_error_not_retried(api, ACC, "/2/dm_events",
                                   error(403, {"title": "Forbidden", "detail": "Tier too low"}))


def test_retweets_are_not_the_accounts_posts(api):
    batches = run(api, ACC)
    posts = {p["post_id"]: p for p in rows(batches, "post")}
    assert posts["x:rt1"]["kind"] == "repost" and posts["x:t3"]["kind"] == "post"
    daily = {r["day"]: r for r in rows(batches, "account_daily")}
    assert daily[END]["posts_published"] == 2  # t3 and t2; the retweet is not counted
    assert "referenced_tweets" in api.hits("/2/users/42/tweets")[0].query["tweet.fields"]
