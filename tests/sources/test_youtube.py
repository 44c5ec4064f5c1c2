"""YouTube connector against the fake Analytics v2 + Data v3 APIs."""

from __future__ import annotations

import pytest

from pulso.core.config import Account
from pulso.core.privacy import author_key

from api_cases import (
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
from fake_api import END, RATE_LIMITED, START, UNAUTHORIZED, error, install_youtube, serve

ACC = Account(network="youtube", handle="alcaldiatv", native_id="UCabc", source="api",
              conn_id="pulso_youtube")


@pytest.fixture
def api():
    with serve() as fake:
        install_youtube(fake)
        yield fake


def test_happy_path(api):
    batches = run(api, ACC)
    assert_valid(batches)
    daily = {r["day"]: r for r in rows(batches, "account_daily")}
    # fake report columns: views=1 engagedViews=2 minutes=3 likes=4 comments=5 shares=6 +7 -8
    assert daily[START]["views"] == 1 and daily[START]["engagements"] == 15
    assert daily[START]["followers_gained"] == 7 and daily[START]["followers_lost"] == 8
    assert daily[START]["followers_derived"] is False and daily[START]["reach"] is None
    assert daily[END]["followers"] == 3000 and daily[START]["followers"] is None
    assert {p["post_id"] for p in rows(batches, "post")} == {"youtube:v2", "youtube:v1"}
    assert len(api.hits("/youtube/v3/playlistItems")) == 3  # stopped at the look-back cutoff
    assert len(api.hits("/youtube/v3/commentThreads")) == 2
    msgs = {m["message_id"]: m for m in rows(batches, "message")}
    # y4 has 6 replies but embeds 1: all 6 come from comments.list?parentId (2 pages)
    assert set(msgs) == {"youtube:y1", "youtube:y1.r", "youtube:y2", "youtube:y4",
                         *(f"youtube:y4.r{n}" for n in range(1, 7))}
    assert [r.query["parentId"] for r in api.hits("/youtube/v3/comments")] == ["y4", "y4"]
    assert msgs["youtube:y4.r6"]["parent_id"] == "youtube:y4"
    assert msgs["youtube:y4.r6"]["like_count"] == 6
    assert daily[START]["watch_minutes"] == 3  # estimatedMinutesWatched
    assert msgs["youtube:y1"]["author_key"] == author_key("youtube", "UCvecino")
    assert msgs["youtube:y1.r"]["kind"] == "reply" and msgs["youtube:y1.r"]["is_own"] is True
    assert msgs["youtube:y1.r"]["parent_id"] == "youtube:y1"
    assert msgs["youtube:y2"]["post_id"] == "youtube:v1"


def test_rate_limit(api, caplog):
    check_rate_limit_honoured(api, ACC, "/v2/reports", caplog, RATE_LIMITED)


def test_google_rate_limit_reason_retried(api, caplog):
    body = {"error": {"code": 403, "message": "Rate", "errors": [{"reason": "rateLimitExceeded"}]}}
    check_rate_limit_honoured(api, ACC, "/youtube/v3/commentThreads", caplog,
                              error(403, body, {"Retry-After": "3"}), asked="3")


def test_quota_exhausted_not_retried(api):
    body = {"error": {"code": 403, "message": "quota", "errors": [{"reason": "quotaExceeded"}]}}
    check_client_error_not_retried(api, ACC, "/youtube/v3/videos", error(403, body))


def test_server_errors_and_timeouts_retried(api, caplog):
    check_transient_errors_retried(api, ACC, "/youtube/v3/channels", caplog)


def test_retries_are_bounded(api):
    check_retries_bounded(api, ACC, "/v2/reports")


def test_expired_token(api, caplog):
    check_expired_token(api, ACC, "/youtube/v3/channels", UNAUTHORIZED, caplog)


def test_malformed_body(api):
    check_malformed_body(api, ACC, "/youtube/v3/commentThreads")
