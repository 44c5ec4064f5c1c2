"""TikTok (API for Business v1.3): daily account metrics, videos and their comments.

TikTok keeps only about 60 days of daily history, so older days are refused with a clear
message (load them from a Studio export) and Pulso keeps its own history. Days are UTC.
Responses use the envelope `{code, message, request_id, data}`: `code` 0 is success even
though errors also arrive with HTTP 200. The error codes below are *unverified* against a
primary source; unknown codes fail without retry, naming TikTok's message.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import httpx

from pulso.core.config import Account
from pulso.sources.base import Row, SourceBatch
from pulso.sources.http import Verdict
from pulso.sources.streams import (
    ApiSource,
    Stream,
    count_by_day,
    day_chunks,
    derive_followers,
    parse_time,
    to_int,
    total,
)

TIKTOK_URL = "https://business-api.tiktok.com/open_api/v1.3"
RATE_LIMIT_CODES = {40100, 40133}
AUTH_CODES = {40001, 40102, 40104, 40105}
DAILY_FIELDS = ["followers_count", "profile_views", "video_views", "likes", "comments", "shares"]
VIDEO_FIELDS = ["item_id", "create_time", "caption", "share_url", "video_views", "likes",
                "comments", "shares", "reach"]


def tiktok_verdict(resp: httpx.Response, body: Any) -> Verdict | None:
    if resp.status_code == 401:
        return Verdict("auth", "HTTP 401")
    if resp.status_code >= 400 or not isinstance(body, dict) or "code" not in body:
        return None
    code, msg = body.get("code"), str(body.get("message") or "")[:200]
    if code == 0:
        return Verdict("ok")
    if code in AUTH_CODES:
        return Verdict("auth", f"código {code}: {msg}")
    if code in RATE_LIMIT_CODES:
        return Verdict("rate_limit", f"código {code}")
    if isinstance(code, int) and code >= 50000:
        return Verdict("retry", f"código {code}: {msg}")
    return Verdict("fatal", f"código {code}: {msg}")


class TikTokSource(ApiSource):
    network = "tiktok"
    default_base_url = TIKTOK_URL
    chunk_days = 30
    history_days = 60
    streams = (
        Stream("business", "business/get/", ("account", "account_daily")),
        Stream("videos", "business/video/list/", ("post", "post_daily")),
        Stream("comments", "business/comment/list/", ("message",)),
        Stream("replies", "business/comment/reply/list/", ("message",),
               "for comments whose `replies` count is not zero"),
    )
    classify = staticmethod(tiktok_verdict)

    def auth_header(self, token: str) -> dict[str, str]:
        return {"Access-Token": token}

    def _cursor_items(self, path: str, params: dict[str, Any], key: str) -> Iterator[dict]:
        def next_of(body: Any):
            data = body.get("data") or {}
            if data.get("has_more") and data.get("cursor") is not None:
                return (path, {**params, "cursor": data["cursor"]})
            return None

        for body in self.client.pages(path, params, next_of):
            yield from (body.get("data") or {}).get(key) or []

    def fetch(self, account: Account, start: date, end: date) -> Iterator[SourceBatch]:
        self.check_account(account)
        first = self.clip_history(start, end)
        snap = self.snapshot_day(end)
        cutoff = start - timedelta(days=self.comment_lookback_days)
        videos = []
        for v in self._cursor_items("business/video/list/", {
                "business_id": self.native_id, "fields": json.dumps(VIDEO_FIELDS),
                "max_count": 20}, "videos"):
            t = parse_time(v.get("create_time"))
            if t is not None and t.date() < cutoff:
                break  # newest first
            videos.append(v)
            if len(videos) >= self.max_posts:
                break
        published = count_by_day((parse_time(v.get("create_time")) for v in videos), self.tz)
        chunks = list(day_chunks(first, end, self.chunk_days))
        for i, (c_start, c_end) in enumerate(chunks):
            batch = self.batch(c_start, c_end)
            if i == 0:
                batch.add("account", self.account_row(None, None))
            batch.add("account_daily", self._daily(c_start, c_end, published))
            if i == len(chunks) - 1:
                self._posts(batch, videos, snap, start, end)
            yield batch

    def _daily(self, start: date, end: date, published) -> list[Row]:
        body = self.client.get("business/get/", {
            "business_id": self.native_id, "start_date": start.isoformat(),
            "end_date": end.isoformat(), "fields": json.dumps(DAILY_FIELDS)})
        rows = {start + timedelta(days=n): self.daily_row(
            start + timedelta(days=n), posts_published=published.get(start + timedelta(days=n), 0))
            for n in range((end - start).days + 1)}
        for m in (body.get("data") or {}).get("metrics") or []:
            day = date.fromisoformat(str(m.get("date"))[:10])
            if day not in rows:
                continue
            vv = to_int(m.get("video_views"))
            rows[day].update(
                followers=to_int(m.get("followers_count")),
                profile_visits=to_int(m.get("profile_views")), views=vv, video_views=vv,
                engagements=total(to_int(m.get("likes")), to_int(m.get("comments")),
                                  to_int(m.get("shares"))))
        out = list(rows.values())
        derive_followers(out, self.account_id, self.followers_history)
        return out

    def _posts(self, batch: SourceBatch, videos: list[dict], snap: date | None,
               start: date, end: date) -> None:
        own = self.account.handle.lower()
        for v in videos:
            vid = str(v["item_id"])
            batch.add("post", {"post_id": self.ns(vid), "account_id": self.account_id,
                               "published_at": parse_time(v.get("create_time")),
                               "kind": "video", "text": v.get("caption"),
                               "permalink": v.get("share_url"), "source": self.source})
            if snap is not None:
                vv = to_int(v.get("video_views"))
                batch.add("post_daily", {
                    "post_id": self.ns(vid), "day": snap, "source": self.source,
                    "views": vv, "video_views": vv, "reach": to_int(v.get("reach")),
                    "reactions": to_int(v.get("likes")), "comments": to_int(v.get("comments")),
                    "shares": to_int(v.get("shares")), "saves": None, "clicks": None})
            comments = list(self._cursor_items("business/comment/list/", {
                "business_id": self.native_id, "video_id": vid, "max_count": 50}, "comments"))
            for c in comments:
                created = parse_time(c.get("create_time"))
                if not self.in_range(created, start, end):
                    continue
                parent = c.get("parent_comment_id")
                parent = None if parent in (None, "", "0", 0) else str(parent)
                self._message(batch, c, vid, v.get("share_url"), parent, own)
            for c in comments:
                if not to_int(c.get("replies")):
                    continue  # the comment says it has no replies: no call
                for r in self._cursor_items("business/comment/reply/list/", {
                        "business_id": self.native_id, "video_id": vid,
                        "comment_id": str(c["comment_id"]), "max_count": 50}, "comments"):
                    created = parse_time(r.get("create_time"))
                    if not self.in_range(created, start, end):
                        continue
                    parent = r.get("parent_comment_id")
                    parent = str(c["comment_id"]) if parent in (None, "", "0", 0) \
                        else str(parent)
                    self._message(batch, r, vid, v.get("share_url"), parent, own)

    def _message(self, batch: SourceBatch, c: dict, vid: str, link: str | None,
                 parent: str | None, own: str) -> None:
        handle = c.get("username")
        author = c.get("user_id") or handle
        row = self.message_row(
            native_id=str(c["comment_id"]), kind="reply" if parent else "comment",
            created_at=parse_time(c.get("create_time")), author_id=author,
            author_handle=handle, text=c.get("text"), post_native=vid, parent_native=parent,
            permalink=link, is_own=bool(c.get("owner")) or (handle or "").lower() == own)
        row["like_count"] = to_int(c.get("likes"))
        batch.add("message", row)
