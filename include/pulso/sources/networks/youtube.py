"""YouTube: Analytics API v2 daily report, Data API v3 channel, uploads and comment threads.

Daily values (views, subscribers gained and lost) come from `reports.query` in Pacific-time
days; the subscriber total is a Data API snapshot. Comments come from `commentThreads.list`
(newest first, paged by `nextPageToken`). YouTube has no DM or mention API. Listing the
uploads playlist costs 1 quota unit a page, where `search.list` would cost 100.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import httpx

from pulso.core.config import Account
from pulso.sources.base import Row, SourceBatch
from pulso.sources.http import ApiCredentials, Verdict, error_text
from pulso.sources.streams import (
    ApiSource,
    Stream,
    count_by_day,
    day_chunks,
    parse_time,
    to_int,
    total,
)

DATA_URL = "https://www.googleapis.com"
ANALYTICS_URL = "https://youtubeanalytics.googleapis.com"
METRICS = ("views,engagedViews,estimatedMinutesWatched,likes,comments,shares,"
           "subscribersGained,subscribersLost")
RATE_REASONS = {"rateLimitExceeded", "userRateLimitExceeded"}
QUOTA_REASONS = {"quotaExceeded", "dailyLimitExceeded"}


def google_verdict(resp: httpx.Response, body: Any) -> Verdict | None:
    if resp.status_code == 401:
        return Verdict("auth", error_text(body) or "HTTP 401")
    err = body.get("error") if isinstance(body, dict) else None
    reasons = {e.get("reason") for e in (err.get("errors") or [])} \
        if isinstance(err, dict) else set()
    if reasons & RATE_REASONS:
        return Verdict("rate_limit", ",".join(sorted(reasons & RATE_REASONS)))
    if reasons & QUOTA_REASONS:
        return Verdict("fatal", "cuota diaria de la API agotada; se restablece a medianoche "
                                "hora del Pacífico, reintente mañana")
    return None


def _next_page(path: str, params: dict[str, Any]):
    def next_of(body: Any):
        token = body.get("nextPageToken") if isinstance(body, dict) else None
        return (path, {**params, "pageToken": token}) if token else None
    return next_of


class YouTubeSource(ApiSource):
    network = "youtube"
    default_base_url = DATA_URL
    chunk_days = 90
    streams = (
        Stream("channel", "youtube/v3/channels", ("account", "account_daily"),
               "subscriber snapshot"),
        Stream("analytics", "v2/reports", ("account_daily",),
               "views, engagements, subscribers gained/lost, minutes watched"),
        Stream("videos", "youtube/v3/playlistItems + videos", ("post", "post_daily")),
        Stream("threads", "youtube/v3/commentThreads", ("message",)),
        Stream("replies", "youtube/v3/comments?parentId", ("message",),
               "replies beyond the 5 a thread embeds"),
    )
    classify = staticmethod(google_verdict)

    def __init__(self, account: Account, creds: ApiCredentials, **opts: Any) -> None:
        super().__init__(account, creds, **opts)
        self.reports_url = "v2/reports" if creds.base_url else f"{ANALYTICS_URL}/v2/reports"

    def _items(self, path: str, params: dict[str, Any]) -> Iterator[list[dict]]:
        for body in self.client.pages(path, params, _next_page(path, params)):
            yield body.get("items") or []

    def fetch(self, account: Account, start: date, end: date) -> Iterator[SourceBatch]:
        self.check_account(account)
        who = {"id": self.account.native_id} if self.account.native_id else {"mine": "true"}
        items = self.client.get("youtube/v3/channels", {
            "part": "snippet,statistics,contentDetails", **who}).get("items") or []
        channel = items[0] if items else {}
        channel_id = channel.get("id") or self.native_id
        snap = self.snapshot_day(end)
        cutoff = start - timedelta(days=self.comment_lookback_days)
        videos = self._videos(channel, cutoff)
        published = count_by_day((parse_time(v["snippet"].get("publishedAt")) for v in videos),
                                 self.tz)
        chunks = list(day_chunks(start, end, self.chunk_days))
        for i, (c_start, c_end) in enumerate(chunks):
            batch = self.batch(c_start, c_end)
            if i == 0:
                snippet = channel.get("snippet") or {}
                batch.add("account", self.account_row(
                    (snippet.get("customUrl") or "").lstrip("@") or None, snippet.get("title")))
            batch.add("account_daily", self._daily(c_start, c_end, published, channel, snap))
            if i == len(chunks) - 1:
                self._posts(batch, videos, snap)
                self._comments(batch, channel_id, start, end)
            yield batch

    def _daily(self, start: date, end: date, published, channel: dict, snap: date | None
               ) -> list[Row]:
        body = self.client.get(self.reports_url, {
            "ids": "channel==MINE", "startDate": start.isoformat(), "endDate": end.isoformat(),
            "dimensions": "day", "metrics": METRICS, "sort": "day"})
        names = [h.get("name") for h in body.get("columnHeaders") or []]
        rows = {start + timedelta(days=n): self.daily_row(
            start + timedelta(days=n), posts_published=published.get(start + timedelta(days=n), 0))
            for n in range((end - start).days + 1)}
        for values in body.get("rows") or []:
            rec = dict(zip(names, values, strict=False))
            day = date.fromisoformat(str(rec.get("day")))
            if day not in rows:
                continue
            views = to_int(rec.get("views"))
            rows[day].update(
                views=views, video_views=views,
                engagements=total(to_int(rec.get("likes")), to_int(rec.get("comments")),
                                  to_int(rec.get("shares"))),
                followers_gained=to_int(rec.get("subscribersGained")),
                followers_lost=to_int(rec.get("subscribersLost")),
                watch_minutes=to_int(rec.get("estimatedMinutesWatched")))
        stats = channel.get("statistics") or {}
        if snap in rows and not stats.get("hiddenSubscriberCount"):
            rows[snap]["followers"] = to_int(stats.get("subscriberCount"))
        return list(rows.values())

    def _videos(self, channel: dict, cutoff: date) -> list[dict]:
        uploads = ((channel.get("contentDetails") or {}).get("relatedPlaylists") or {}) \
            .get("uploads")
        if not uploads:
            return []
        ids: list[str] = []
        for page in self._items("youtube/v3/playlistItems", {
                "part": "contentDetails", "playlistId": uploads, "maxResults": 50}):
            fresh = [it["contentDetails"]["videoId"] for it in page
                     if (t := parse_time(it["contentDetails"].get("videoPublishedAt")))
                     and t.astimezone(self.tz).date() >= cutoff]
            ids.extend(fresh)
            if len(fresh) < len(page) or len(ids) >= self.max_posts:
                break  # newest first: the rest is older than the look-back window
        videos: list[dict] = []
        for n in range(0, min(len(ids), self.max_posts), 50):
            videos += self.client.get("youtube/v3/videos", {
                "part": "snippet,statistics", "id": ",".join(ids[n:n + 50])}).get("items") or []
        return videos

    def _posts(self, batch: SourceBatch, videos: list[dict], snap: date | None) -> None:
        for v in videos:
            sn, st = v.get("snippet") or {}, v.get("statistics") or {}
            batch.add("post", {"post_id": self.ns(v["id"]), "account_id": self.account_id,
                               "published_at": parse_time(sn.get("publishedAt")),
                               "kind": "video", "text": sn.get("title"),
                               "permalink": f"https://www.youtube.com/watch?v={v['id']}",
                               "source": self.source})
            if snap is not None:
                views = to_int(st.get("viewCount"))
                batch.add("post_daily", {
                    "post_id": self.ns(v["id"]), "day": snap, "source": self.source,
                    "views": views, "video_views": views,
                    "reactions": to_int(st.get("likeCount")),
                    "comments": to_int(st.get("commentCount")), "reach": None,
                    "shares": None, "saves": None, "clicks": None})

    def _comments(self, batch: SourceBatch, channel_id: str, start: date, end: date) -> None:
        for page in self._items("youtube/v3/commentThreads", {
                "part": "snippet,replies", "allThreadsRelatedToChannelId": channel_id,
                "maxResults": 100, "order": "time", "textFormat": "plainText"}):
            stale = 0
            for th in page:
                top = th["snippet"]["topLevelComment"]
                video = th["snippet"].get("videoId")
                self._comment(batch, top, "comment", video, None, start, end)
                embedded = (th.get("replies") or {}).get("comments") or []
                total_replies = to_int(th["snippet"].get("totalReplyCount")) or 0
                if total_replies > len(embedded):
                    # a thread embeds at most 5 replies: the rest come from comments.list
                    embedded = [r for page_r in self._items("youtube/v3/comments", {
                        "part": "snippet", "parentId": top["id"], "maxResults": 100,
                        "textFormat": "plainText"}) for r in page_r]
                for r in embedded:
                    self._comment(batch, r, "reply", video, top["id"], start, end)
                updated = parse_time(top["snippet"].get("updatedAt")
                                     or top["snippet"].get("publishedAt"))
                if updated is not None and updated.astimezone(self.tz).date() < start:
                    stale += 1
            if page and stale == len(page):
                break  # newest first: the rest is older than the range

    def _comment(self, batch: SourceBatch, c: dict, kind: str, video: str | None,
                 parent: str | None, start: date, end: date) -> None:
        sn = c.get("snippet") or {}
        created = parse_time(sn.get("publishedAt"))
        if not self.in_range(created, start, end):
            return
        author = (sn.get("authorChannelId") or {}).get("value")
        link = f"https://www.youtube.com/watch?v={video}&lc={c['id']}" if video else None
        row = self.message_row(
            native_id=c["id"], kind=kind, created_at=created, author_id=author,
            author_handle=sn.get("authorDisplayName"), text=sn.get("textOriginal"),
            post_native=video or sn.get("videoId"), parent_native=parent, permalink=link)
        row["like_count"] = to_int(sn.get("likeCount"))
        batch.add("message", row)
