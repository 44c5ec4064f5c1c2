"""X (API v2): follower snapshot, own posts with public metrics, mentions and DMs.

X gives no daily account series: the follower total is a snapshot of "now", and gains and
losses are the difference with the stored total of the day before (marked as derived).
Days are UTC. Pages follow `meta.next_token` -> `pagination_token`; a 429 waits until
`x-rate-limit-reset`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import httpx

from pulso.core.config import Account
from pulso.sources.base import SourceBatch
from pulso.sources.http import Verdict, error_text, parse_reset_epoch, parse_retry_after
from pulso.sources.streams import (
    ApiSource,
    Stream,
    count_by_day,
    derive_followers,
    parse_time,
    to_int,
    total,
)

X_URL = "https://api.x.com"


def x_verdict(resp: httpx.Response, body: Any) -> Verdict | None:
    if resp.status_code == 429:
        wait = parse_retry_after(resp.headers.get("retry-after"))
        if wait is None:
            wait = parse_reset_epoch(resp.headers.get("x-rate-limit-reset"))
        return Verdict("rate_limit", "HTTP 429", wait)
    if resp.status_code == 401:
        return Verdict("auth", error_text(body) or "HTTP 401")
    return None


def _is_retweet(tweet: dict) -> bool:
    return any(r.get("type") == "retweeted" for r in tweet.get("referenced_tweets") or []) \
        or str(tweet.get("text") or "").startswith("RT @")


class XSource(ApiSource):
    network = "x"
    default_base_url = X_URL
    classify = staticmethod(x_verdict)
    streams = (
        Stream("user", "2/users/{id}", ("account", "account_daily"), "follower snapshot"),
        Stream("timeline", "2/users/{id}/tweets", ("post", "post_daily"),
               "retweets kept as kind 'repost', not counted as published"),
        Stream("mentions", "2/users/{id}/mentions", ("message",)),
        Stream("dms", "2/dm_events", ("message",)),
    )

    def _items(self, path: str, params: dict[str, Any]) -> Iterator[tuple[dict, dict]]:
        """(item, includes) pairs of every page."""
        def next_of(body: Any) -> tuple[str, dict[str, Any]] | None:
            token = (body.get("meta") or {}).get("next_token")
            return (path, {**params, "pagination_token": token}) if token else None

        for body in self.client.pages(path, params, next_of):
            includes = body.get("includes") or {}
            for item in body.get("data") or []:
                yield item, includes

    def fetch(self, account: Account, start: date, end: date) -> Iterator[SourceBatch]:
        self.check_account(account)
        uid = self.native_id
        user = self.client.get(f"2/users/{uid}", {"user.fields": "public_metrics,username,name"})
        user = user.get("data") or {}
        snap = self.snapshot_day(end)
        t0 = datetime.combine(start, time(0), UTC)
        t1 = min(datetime.combine(end + timedelta(days=1), time(0), UTC), self.now())
        window = {"start_time": t0.strftime("%Y-%m-%dT%H:%M:%SZ"),
                  "end_time": t1.strftime("%Y-%m-%dT%H:%M:%SZ"), "max_results": 100}
        batch = self.batch(start, end)
        batch.add("account", self.account_row(user.get("username"), user.get("name")))

        # a retweet is someone else's post carrying the original's metrics: kept as kind
        # "repost" (reports leave it out of the account's publications) and not counted as
        # published; quotes and replies are the account's own words
        tweets = [t for t, _ in self._items(f"2/users/{uid}/tweets", {
            **window, "tweet.fields": "created_at,public_metrics,conversation_id,"
                                      "referenced_tweets"})]
        own_ids = {t["id"] for t in tweets if not _is_retweet(t)}
        published = count_by_day((parse_time(t.get("created_at")) for t in tweets
                                  if not _is_retweet(t)), self.tz)
        rows = [self.daily_row(start + timedelta(days=n),
                               posts_published=published.get(start + timedelta(days=n), 0))
                for n in range((end - start).days + 1)]
        for r in rows:
            if r["day"] == snap:
                r["followers"] = to_int((user.get("public_metrics") or {})
                                        .get("followers_count"))
        derive_followers(rows, self.account_id, self.followers_history)
        batch.add("account_daily", rows)

        for t in tweets:
            m = t.get("public_metrics") or {}
            batch.add("post", {"post_id": self.ns(t["id"]), "account_id": self.account_id,
                               "published_at": parse_time(t.get("created_at")),
                               "kind": "repost" if _is_retweet(t) else "post",
                               "text": t.get("text"),
                               "permalink": f"https://x.com/{user.get('username') or 'i'}"
                                            f"/status/{t['id']}", "source": self.source})
            if snap is not None:
                batch.add("post_daily", {
                    "post_id": self.ns(t["id"]), "day": snap, "source": self.source,
                    "views": to_int(m.get("impression_count")),
                    "reactions": to_int(m.get("like_count")),
                    "comments": to_int(m.get("reply_count")),
                    "shares": total(to_int(m.get("retweet_count")),
                                    to_int(m.get("quote_count"))),
                    "saves": to_int(m.get("bookmark_count")), "reach": None, "clicks": None,
                    "video_views": None})

        for t, inc in self._items(f"2/users/{uid}/mentions", {
                **window, "expansions": "author_id", "user.fields": "username",
                "tweet.fields": "created_at,author_id,conversation_id,referenced_tweets"}):
            created = parse_time(t.get("created_at"))
            if not self.in_range(created, start, end):
                continue
            users = {u["id"]: u.get("username") for u in inc.get("users") or []}
            replied = next((r["id"] for r in t.get("referenced_tweets") or []
                            if r.get("type") == "replied_to"), None)
            on_own = replied in own_ids or t.get("conversation_id") in own_ids
            batch.add("message", self.message_row(
                native_id=t["id"], kind="comment" if on_own else "mention", created_at=created,
                author_id=t.get("author_id"), author_handle=users.get(t.get("author_id")),
                text=t.get("text"), post_native=t.get("conversation_id") if on_own else None,
                parent_native=replied,
                permalink=f"https://x.com/i/web/status/{t['id']}"))

        for e, inc in self._items("2/dm_events", {
                "event_types": "MessageCreate", "expansions": "sender_id",
                "user.fields": "username", "max_results": 100,
                "dm_event.fields": "id,text,created_at,sender_id,dm_conversation_id"}):
            created = parse_time(e.get("created_at"))
            if not self.in_range(created, start, end):
                continue
            users = {u["id"]: u.get("username") for u in inc.get("users") or []}
            batch.add("message", self.message_row(
                native_id=e["id"], kind="dm", created_at=created,
                author_id=e.get("sender_id"), author_handle=users.get(e.get("sender_id")),
                text=e.get("text")))
        yield batch
