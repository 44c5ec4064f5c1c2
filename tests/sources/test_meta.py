"""Facebook Page connector against the fake Graph API (Instagram: see test_instagram.py)."""

from __future__ import annotations

import json
import logging
from datetime import date

import pytest

from pulso.core.config import Account
from pulso.core.privacy import author_key
from pulso.sources.base import SourceError

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
from fake_api import END, START, TOKEN, install_facebook, install_instagram, meta_error, serve

PAGE = Account(network="facebook", handle="alcaldia", native_id="111", source="api",
               conn_id="pulso_facebook")


@pytest.fixture
def api():
    with serve() as fake:
        install_facebook(fake)
        yield fake


def test_happy_path_maps_every_table(api):
    batches = run(api, PAGE)
    assert_valid(batches)
    assert [b.source for b in batches] == ["api:facebook"]
    daily = {r["day"]: r for r in rows(batches, "account_daily")}
    assert sorted(daily) == [START, date(2026, 6, 8), END]
    # end_time 2026-06-08T07:00+0000 is the end of 2026-06-07 in Pacific time
    assert daily[START]["followers"] == 5000 and daily[END]["followers"] == 5002
    assert daily[START]["followers_gained"] == 10 and daily[START]["followers_lost"] == 20
    assert daily[START]["followers_derived"] is False
    assert daily[END]["video_views"] is None  # not provided -> None, never 0
    assert [daily[d]["posts_published"] for d in sorted(daily)] == [0, 2, 1]
    posts = rows(batches, "post")
    assert {p["post_id"] for p in posts} == {"facebook:111_1", "facebook:111_2", "facebook:111_3"}
    snap = {r["post_id"]: r for r in rows(batches, "post_daily")}
    assert all(r["day"] == END for r in snap.values())
    assert snap["facebook:111_3"]["reactions"] == 30 and snap["facebook:111_2"]["shares"] is None
    assert json.loads(snap["facebook:111_3"]["reactions_by_type"]) == {"like": 27, "love": 3}


def test_paging_followed_to_the_end_without_resending_the_token(api):
    batches = run(api, PAGE)
    assert len(api.hits("/111/published_posts")) == 2
    assert len(api.hits("/111_3/comments")) == 2
    assert len(api.hits("/t_1/messages")) == 1
    assert_no_token(api)
    assert all(r.headers.get("Authorization") == f"Bearer {TOKEN}" for r in api.requests)
    msgs = {m["message_id"]: m for m in rows(batches, "message")}
    assert set(msgs) == {"facebook:c1", "facebook:c2", "facebook:c3", "facebook:m_1",
                         "facebook:m_2"}  # c0 is outside the range


def test_messages_kinds_authors_and_own_replies(api):
    msgs = {m["message_id"]: m for m in rows(run(api, PAGE), "message")}
    c1, c2, c3 = msgs["facebook:c1"], msgs["facebook:c2"], msgs["facebook:c3"]
    assert c1["like_count"] == 4 and c2["like_count"] is None
    assert c1["kind"] == "comment" and c1["post_id"] == "facebook:111_3"
    assert c1["author_key"] == author_key("facebook", "u1") and c1["author_handle"] == "Ana"
    assert c1["is_own"] is False and c1["created_at"].tzinfo is not None
    assert c2["author_key"] is None and c2["author_handle"] is None
    assert c3["kind"] == "reply" and c3["parent_id"] == "facebook:c1" and c3["is_own"] is True
    assert msgs["facebook:m_1"]["kind"] == "dm" and msgs["facebook:m_2"]["is_own"] is True


def test_long_ranges_are_split_in_90_day_calls(api):
    batches = run(api, PAGE, start=date(2026, 1, 1), end=END)
    windows = [(r.query["since"], r.query["until"]) for r in api.hits("/111/insights")]
    assert windows == [("2026-01-01", "2026-04-01"), ("2026-04-01", "2026-06-10")]
    assert [(b.start, b.end) for b in batches] == [(date(2026, 1, 1), date(2026, 3, 31)),
                                                   (date(2026, 4, 1), END)]
    assert_valid(batches)


def test_backfill_skips_lifetime_snapshots(api):
    batches = run(api, PAGE, start=date(2026, 5, 1), end=date(2026, 5, 3))
    assert rows(batches, "post_daily") == []
    assert all(r["day"] != END for r in rows(batches, "account_daily"))


def test_rate_limit_retry_after(api, caplog):
    check_rate_limit_honoured(api, PAGE, "/111/insights", caplog)


def test_meta_rate_limit_code_uses_business_usage_header(api, caplog):
    status, _, body = meta_error(32, "Page request limit reached", 403)
    usage = '{"111": [{"type": "pages", "estimated_time_to_regain_access": 2}]}'
    check_rate_limit_honoured(api, PAGE, "/111/insights", caplog,
                              (status, {"X-Business-Use-Case-Usage": usage}, body), asked="120")


def test_server_errors_and_timeouts_retried(api, caplog):
    check_transient_errors_retried(api, PAGE, "/111/insights", caplog)


def test_retries_are_bounded(api):
    check_retries_bounded(api, PAGE, "/111/published_posts")


def test_expired_token_code_190(api, caplog):
    check_expired_token(api, PAGE, "/111", meta_error(
        190, f"Error validating access token: Session has expired. token={TOKEN}"), caplog)


def test_malformed_body(api):
    check_malformed_body(api, PAGE, "/111/published_posts")


def test_permission_error_not_retried(api):
    check_client_error_not_retried(api, PAGE, "/111/conversations",
                                   meta_error(200, "(#200) Requires pages_messaging permission",
                                              403))


def test_removed_metric_is_named(caplog):
    with serve() as fake:
        install_facebook(fake, removed={"page_video_views"})
        with pytest.raises(SourceError) as err:
            run(fake, PAGE)
    msg = str(err.value)
    assert "page_video_views" in msg and "#100" in msg and "facebook:111" in msg
    assert "page_media_view" not in msg
    assert_no_token(fake, msg, caplog.text)


def test_tokens_never_logged(api, caplog):
    caplog.set_level(logging.DEBUG)
    run(api, PAGE)
    assert TOKEN not in caplog.text


IG = Account(network="instagram", handle="alcaldia", native_id="178", source="api",
             conn_id="pulso_instagram")


@pytest.fixture
def ig_api():
    with serve() as fake:
        install_instagram(fake)
        yield fake


def test_instagram_happy_path(ig_api):
    batches = run(ig_api, IG)
    assert_valid(batches)
    daily = {r["day"]: r for r in rows(batches, "account_daily")}
    assert daily[END]["followers"] == 800 and daily[START]["followers"] is None
    assert daily[START]["followers_gained"] == 3 and daily[START]["followers_lost"] is None
    assert daily[START]["views"] == 7 and daily[START]["profile_visits"] is None
    assert len(ig_api.hits("/178/media")) == 2  # second page reached the look-back cutoff
    # m0 (2025) and m1 are older than the look-back but have comments the warehouse has not
    # seen (no stored count): their comments are read too
    assert {p["post_id"] for p in rows(batches, "post")} == {
        "instagram:m3", "instagram:m2", "instagram:m1", "instagram:m0"}
    assert daily[START]["posts_published"] == 1 and daily[END]["posts_published"] == 1
    snap = {r["post_id"]: r for r in rows(batches, "post_daily")}
    assert (snap["instagram:m3"]["reach"], snap["instagram:m3"]["saves"],
            snap["instagram:m3"]["views"]) == (300, 301, 302)
    assert snap["instagram:m0"]["reach"] is None  # no insights call for old media
    msgs = {m["message_id"]: m for m in rows(batches, "message")}
    assert msgs["instagram:old1"]["post_id"] == "instagram:m0"
    assert msgs["instagram:old1"]["like_count"] == 2
    assert msgs["instagram:old2"]["kind"] == "reply"  # parent from the nesting (no parent_id)
    assert msgs["instagram:old2"]["parent_id"] == "instagram:old1"
    assert msgs["instagram:ic1"]["kind"] == "comment" and not msgs["instagram:ic1"]["is_own"]
    assert msgs["instagram:ic2"]["kind"] == "reply" and msgs["instagram:ic2"]["is_own"] is True
    assert msgs["instagram:ic2"]["parent_id"] == "instagram:ic1"


def test_instagram_windows_are_30_days(ig_api):
    run(ig_api, IG, start=date(2026, 4, 1), end=date(2026, 5, 15))
    series = [r for r in ig_api.hits("/178/insights") if "metric_type" not in r.query]
    assert [(r.query["since"], r.query["until"]) for r in series] == [
        ("2026-04-01", "2026-05-01"), ("2026-05-01", "2026-05-16")]


def test_instagram_expired_token(ig_api, caplog):
    check_expired_token(ig_api, IG, "/178", meta_error(190, "Session has expired", 401), caplog)


def test_instagram_rate_limit_code_4(ig_api, caplog):
    caplog.set_level(logging.WARNING, logger="pulso")
    ig_api.fail("/178/insights", meta_error(4, "Application request limit reached", 400))
    assert_valid(run(ig_api, IG))
    assert "límite de peticiones (código 4)" in caplog.text


def test_instagram_old_media_read_only_when_comment_count_changed(ig_api):
    from fake_api import connect

    src = connect(ig_api, IG)
    stored = {"instagram:m0": 7, "instagram:m1": 0}
    src.comments_history = stored.get
    try:
        batches = list(src.fetch(IG, START, END))
    finally:
        src.close()
    assert {p["post_id"] for p in rows(batches, "post")} == {"instagram:m3", "instagram:m2",
                                                             "instagram:m1"}
    assert not ig_api.hits("/m0/comments")
