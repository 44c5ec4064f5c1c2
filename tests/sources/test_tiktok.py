"""TikTok connector against the fake API for Business v1.3."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from pulso.core.config import Account
from pulso.sources.base import SourceError

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
from fake_api import END, RATE_LIMITED, START, TOKEN, install_tiktok, serve, tiktok_error

ACC = Account(network="tiktok", handle="alcaldia", native_id="tt1", source="api",
              conn_id="pulso_tiktok")


@pytest.fixture
def api():
    with serve() as fake:
        install_tiktok(fake)
        yield fake


def test_happy_path_derives_followers_from_daily_totals(api):
    batches = run(api, ACC, history={START - timedelta(days=1): 898})
    assert_valid(batches)
    daily = {r["day"]: r for r in rows(batches, "account_daily")}
    assert [daily[d]["followers"] for d in sorted(daily)] == [900, 905, 907]
    assert [daily[d]["followers_gained"] for d in sorted(daily)] == [2, 5, 2]
    assert all(r["followers_derived"] for r in daily.values())
    assert daily[START]["engagements"] == 9 and daily[START]["reach"] is None
    assert all(r.headers.get("Access-Token") == TOKEN for r in api.requests)
    assert len(api.hits("/business/video/list/")) == 2
    assert {p["post_id"] for p in rows(batches, "post")} == {"tiktok:vid3", "tiktok:vid2"}
    msgs = {m["message_id"]: m for m in rows(batches, "message")}
    assert msgs["tiktok:k1"]["kind"] == "comment" and msgs["tiktok:k1"]["parent_id"] is None
    assert msgs["tiktok:k2"]["kind"] == "reply" and msgs["tiktok:k2"]["is_own"] is True
    assert len(api.hits("/business/comment/list/")) == 2 + 1  # vid3 in 2 pages, vid2 empty
    # replies come from comment/reply/list, only for the comment that says it has some
    assert [r.query["comment_id"] for r in api.hits("/business/comment/reply/list/")] == ["k1"]
    assert msgs["tiktok:k9"]["kind"] == "reply" and msgs["tiktok:k9"]["parent_id"] == "tiktok:k1"
    assert msgs["tiktok:k1"]["like_count"] == 3 and msgs["tiktok:k9"]["like_count"] == 1


def test_first_day_without_previous_total_has_unknown_gains(api):
    daily = {r["day"]: r for r in rows(run(api, ACC), "account_daily")}
    assert daily[START]["followers_gained"] is None and daily[START]["followers_lost"] is None


def test_history_limit(api, caplog):
    with pytest.raises(SourceError, match="60 días"):
        run(api, ACC, start=date(2026, 1, 1), end=date(2026, 2, 1))
    batches = run(api, ACC, start=date(2026, 3, 1), end=END)
    assert batches[0].start == date(2026, 4, 11)  # 60 days before 2026-06-10
    assert "keeps about 60 days" in caplog.text


def test_rate_limit(api, caplog):
    check_rate_limit_honoured(api, ACC, "/business/get/", caplog, RATE_LIMITED)


def test_rate_limit_envelope_code(api):
    api.fail("/business/video/list/", tiktok_error(40100, "Too many requests"))
    assert_valid(run(api, ACC))
    assert len(api.hits("/business/video/list/")) == 3


def test_server_errors_and_timeouts_retried(api, caplog):
    check_transient_errors_retried(api, ACC, "/business/get/", caplog)


def test_retries_are_bounded(api):
    check_retries_bounded(api, ACC, "/business/video/list/")


def test_expired_token(api, caplog):
    check_expired_token(api, ACC, "/business/video/list/",
                        tiktok_error(40105, "Access token is expired"), caplog)


def test_unknown_error_code_not_retried(api):
    check_client_error_not_retried(api, ACC, "/business/get/",
                                   tiktok_error(40002, "Invalid business_id"))


def test_malformed_body(api):
    check_malformed_body(api, ACC, "/business/comment/list/")
