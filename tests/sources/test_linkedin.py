"""LinkedIn Pages connector against the fake REST API."""

from __future__ import annotations

from datetime import timedelta

import pytest

from pulso.core.config import Account

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
from fake_api import END, START, UNAUTHORIZED, error, install_linkedin, serve

ACC = Account(network="linkedin", handle="alcaldia", native_id="555", source="api",
              conn_id="pulso_linkedin")


@pytest.fixture
def api():
    with serve() as fake:
        install_linkedin(fake)
        yield fake


def test_happy_path_derives_lost_from_snapshots(api):
    batches = run(api, ACC, history={END - timedelta(days=1): 1995})
    assert_valid(batches)
    daily = {r["day"]: r for r in rows(batches, "account_daily")}
    end = daily[END]
    assert end["followers"] == 2000 and end["followers_gained"] == 7
    assert end["followers_lost"] == 2 and end["followers_derived"] is True  # 7 gained, net +5
    assert end["views"] == 100 and end["reach"] == 70 and end["engagements"] == 12
    assert end["profile_visits"] == 12 and end["video_views"] is None
    assert daily[START]["followers"] is None and daily[START]["followers_lost"] is None
    assert all(r.headers.get("LinkedIn-Version") == "202601" for r in api.requests)
    assert [r.query.get("start") for r in api.hits("/posts")] == [None, "2"]
    posts = {p["post_id"]: p for p in rows(batches, "post")}
    assert set(posts) == {"linkedin:urn:li:share:3", "linkedin:urn:li:share:9",
                          "linkedin:urn:li:share:2"}
    # the sponsored dark post (feedDistribution NONE) is kept but never counted as published
    assert posts["linkedin:urn:li:share:9"]["kind"] == "dark_post"
    assert posts["linkedin:urn:li:share:3"]["kind"] == "post"
    assert end["posts_published"] == 1
    snap = {r["post_id"]: r for r in rows(batches, "post_daily")}
    assert snap["linkedin:urn:li:share:3"]["clicks"] == 4


def test_version_header_from_connection_extra(api):
    run(api, ACC, linkedin_version="202607")
    assert {r.headers.get("LinkedIn-Version") for r in api.requests} == {"202607"}


def test_rate_limit(api, caplog):
    check_rate_limit_honoured(api, ACC, "/organizationalEntityFollowerStatistics", caplog,
                              error(429, {"message": "Throttled"}, {"Retry-After": "2"}),
                              asked="2")


def test_server_errors_and_timeouts_retried(api, caplog):
    check_transient_errors_retried(api, ACC, "/organizationPageStatistics", caplog)


def test_retries_are_bounded(api):
    check_retries_bounded(api, ACC, "/posts")


def test_expired_token(api, caplog):
    check_expired_token(api, ACC, "/networkSizes", UNAUTHORIZED, caplog)


def test_access_denied_not_retried(api):
    check_client_error_not_retried(api, ACC, "/organizationalEntityShareStatistics",
                                   error(403, {"message": "Not enough permissions",
                                               "status": 403}))


def test_malformed_body(api):
    check_malformed_body(api, ACC, "/organizationalEntityShareStatistics")
