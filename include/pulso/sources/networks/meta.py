"""Facebook Pages and Instagram business accounts through Meta's Graph API.

Daily insights come in windows of at most 90 days (Instagram: 30); one metric Meta has
retired fails the whole call with `(#100) ... valid insights metric`, so that case is
narrowed down to the metric(s) at fault and reported by name. Days are Pacific-time buckets:
a value with `end_time` 2026-06-02T07:00:00+0000 belongs to 2026-06-01.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

import httpx

from pulso.core.config import Account
from pulso.sources.base import Row, SourceBatch, SourceError
from pulso.sources.http import ApiRejected, Verdict
from pulso.sources.streams import ApiSource, Stream, count_by_day, day_chunks, parse_time, to_int

log = logging.getLogger("pulso.sources.meta")

GRAPH_URL = "https://graph.facebook.com/v23.0"
RATE_LIMIT_CODES = {4, 17, 32, 613, 80001, 80002, 80004}
TRANSIENT_CODES = {1, 2}
INVALID_METRIC = "valid insights metric"

FB_METRICS = {  # Graph API metric -> account_daily column
    "page_follows": "followers",
    "page_daily_follows_unique": "followers_gained",
    "page_daily_unfollows_unique": "followers_lost",
    "page_media_view": "views",
    "page_total_media_view_unique": "reach",
    "page_post_engagements": "engagements",
    "page_views_total": "profile_visits",
    "page_video_views": "video_views",
}
IG_DAY_METRICS = {"reach": "reach", "follower_count": "followers_gained"}
IG_MEDIA_METRICS = {"reach": "reach", "saved": "saves", "views": "views"}  # per media
FB_REACTION_TYPES = ("like", "love", "care", "haha", "wow", "sad", "angry")
_FB_REACTION_FIELDS = ",".join(
    f"reactions.type({t.upper()}).limit(0).summary(total_count).as(reactions_{t})"
    for t in FB_REACTION_TYPES)
IG_TOTAL_METRICS = {"views": "views", "total_interactions": "engagements",
                    "profile_views": "profile_visits"}


def _usage_wait(resp: httpx.Response) -> float | None:
    """Seconds until access is regained, from X-Business-Use-Case-Usage (minutes)."""
    raw = resp.headers.get("x-business-use-case-usage")
    if not raw:
        return None
    try:
        usage = json.loads(raw)
        minutes = [int(u.get("estimated_time_to_regain_access") or 0)
                   for entries in usage.values() for u in entries]
    except (ValueError, AttributeError, TypeError):
        return None
    return max(minutes) * 60.0 if minutes and max(minutes) > 0 else None


def meta_verdict(resp: httpx.Response, body: Any) -> Verdict | None:
    """Read Graph API error codes; None leaves plain HTTP semantics in charge."""
    err = body.get("error") if isinstance(body, dict) else None
    if not isinstance(err, dict):
        return None
    code = err.get("code")
    msg = str(err.get("message") or "")
    if code == 190 or resp.status_code == 401:
        return Verdict("auth", f"código {code}")
    if code in RATE_LIMIT_CODES:
        return Verdict("rate_limit", f"código {code}", _usage_wait(resp))
    if code in TRANSIENT_CODES or err.get("is_transient") or resp.status_code >= 500:
        return Verdict("retry", f"código {code}: {msg[:120]}")
    return Verdict("fatal", msg[:300] or f"HTTP {resp.status_code}")


def _next_page(body: Any) -> tuple[str, None] | None:
    nxt = (body.get("paging") or {}).get("next") if isinstance(body, dict) else None
    return (nxt, None) if nxt else None


def _pacific_day_of(end_time: str, tz) -> date:
    """Meta stamps a daily value with the end of its day: step back one day."""
    t = parse_time(end_time)
    assert t is not None
    return t.astimezone(tz).date() - timedelta(days=1)


def _reactions_by_type(post: dict) -> str | None:
    """JSON {"like": n, "love": n, ...} from the aliased per-type summaries, or None."""
    counts = {t: to_int(((post.get(f"reactions_{t}") or {}).get("summary") or {})
                        .get("total_count")) for t in FB_REACTION_TYPES}
    counts = {t: n for t, n in counts.items() if n is not None}
    return json.dumps(counts, sort_keys=True) if counts else None


class _MetaSource(ApiSource):
    default_base_url = GRAPH_URL
    classify = staticmethod(meta_verdict)

    def _data(self, path: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """Every item of a paged edge, following `paging.next` to the end."""
        for body in self.client.pages(path, params, _next_page):
            yield from body.get("data") or []

    def _insights(self, params: dict[str, Any], metrics: list[str]) -> list[dict[str, Any]]:
        """One insights call; a retired metric becomes a SourceError naming it."""
        try:
            return self.client.get(f"{self.native_id}/insights",
                                   {**params, "metric": ",".join(metrics)}).get("data") or []
        except ApiRejected as exc:
            if INVALID_METRIC not in exc.detail:
                raise
            bad = [m for m in metrics if m in exc.detail] or self._probe(params, metrics)
            names = ", ".join(bad) if bad else ", ".join(metrics) + " (no se pudo aislar)"
            raise SourceError(
                f"{self.account_id}: Meta ya no acepta la(s) métrica(s) de insights {names} "
                "(#100: The value must be a valid insights metric). Actualice la lista de "
                f"métricas del conector {self.network} (pulso.sources.meta).") from None

    def _probe(self, params: dict[str, Any], metrics: list[str]) -> list[str]:
        bad = []
        for m in metrics:
            try:
                self.client.get(f"{self.native_id}/insights", {**params, "metric": m})
            except ApiRejected as exc:
                if INVALID_METRIC in exc.detail:
                    bad.append(m)
        return bad

    def _unix(self, d: date) -> int:
        return int(datetime.combine(d, time(0), self.tz).timestamp())


class FacebookSource(_MetaSource):
    """A Facebook Page: page insights, published posts, comments, Messenger conversations."""

    network = "facebook"
    chunk_days = 90
    streams = (
        Stream("page_insights", "/{page}/insights", ("account_daily",)),
        Stream("page", "/{page}", ("account", "account_daily"), "followers snapshot"),
        Stream("posts", "/{page}/published_posts", ("post", "post_daily"),
               "reactions by type via aliased summaries"),
        Stream("comments", "/{post}/comments", ("message",), "with like_count"),
        Stream("conversations", "/{page}/conversations", ("message",), "Messenger DMs"),
    )

    def fetch(self, account: Account, start: date, end: date) -> Iterator[SourceBatch]:
        self.check_account(account)
        page = self.client.get(self.native_id, {"fields": "id,name,username,followers_count,"
                                                          "fan_count"})
        snap = self.snapshot_day(end)
        since = start - timedelta(days=self.comment_lookback_days)
        posts = list(self._data(f"{self.native_id}/published_posts", {
            "fields": "id,created_time,message,permalink_url,status_type,shares,"
                      "comments.summary(true).limit(0),reactions.summary(true).limit(0),"
                      + _FB_REACTION_FIELDS,
            "since": self._unix(since), "until": self._unix(end + timedelta(days=1)),
            "limit": 100}))[: self.max_posts]
        published = count_by_day((parse_time(p.get("created_time")) for p in posts), self.tz)
        chunks = list(day_chunks(start, end, self.chunk_days))
        for i, (c_start, c_end) in enumerate(chunks):
            batch = self.batch(c_start, c_end)
            if i == 0:
                batch.add("account", self.account_row(page.get("username"), page.get("name")))
            batch.add("account_daily", self._daily(c_start, c_end, published, page, snap))
            if i == len(chunks) - 1:
                self._posts(batch, posts, start, end, snap)
                self._comments(batch, posts, start, end)
                self._conversations(batch, start, end)
            yield batch

    def _daily(self, start: date, end: date, published, page: dict, snap: date | None
               ) -> list[Row]:
        data = self._insights({"period": "day", "since": start.isoformat(),
                               "until": (end + timedelta(days=1)).isoformat()},
                              list(FB_METRICS))
        rows = {d: self.daily_row(d, posts_published=published.get(d, 0))
                for d in (start + timedelta(days=n) for n in range((end - start).days + 1))}
        for series in data:
            col = FB_METRICS.get(series.get("name"))
            if col is None:
                continue
            for v in series.get("values") or []:
                day = _pacific_day_of(v["end_time"], self.tz)
                if day in rows and isinstance(v.get("value"), (int, float)):
                    rows[day][col] = int(v["value"])
        if snap in rows and rows[snap]["followers"] is None:
            rows[snap]["followers"] = to_int(page.get("followers_count"))
        return list(rows.values())

    def _posts(self, batch: SourceBatch, posts: list[dict], start: date, end: date,
               snap: date | None) -> None:
        for p in posts:
            batch.add("post", {"post_id": self.ns(p["id"]), "account_id": self.account_id,
                               "published_at": parse_time(p.get("created_time")),
                               "kind": p.get("status_type"), "text": p.get("message"),
                               "permalink": p.get("permalink_url"), "source": self.source})
            if snap is not None:
                batch.add("post_daily", {
                    "post_id": self.ns(p["id"]), "day": snap, "source": self.source,
                    "reactions": to_int(((p.get("reactions") or {}).get("summary") or {})
                                        .get("total_count")),
                    "comments": to_int(((p.get("comments") or {}).get("summary") or {})
                                       .get("total_count")),
                    "shares": to_int((p.get("shares") or {}).get("count")),
                    "reach": None, "views": None, "saves": None, "clicks": None,
                    "video_views": None, "reactions_by_type": _reactions_by_type(p)})

    def _comments(self, batch: SourceBatch, posts: list[dict], start: date, end: date) -> None:
        for p in posts:
            for c in self._data(f"{p['id']}/comments", {
                    "filter": "stream", "limit": 100,
                    "fields": "id,message,created_time,from{id,name},parent{id},permalink_url,"
                              "like_count"}):
                created = parse_time(c.get("created_time"))
                if not self.in_range(created, start, end):
                    continue
                author = c.get("from") or {}
                parent = (c.get("parent") or {}).get("id")
                row = self.message_row(
                    native_id=c["id"], kind="reply" if parent else "comment",
                    created_at=created, author_id=author.get("id"),
                    author_handle=author.get("name"), text=c.get("message"),
                    post_native=p["id"], parent_native=parent,
                    permalink=c.get("permalink_url"))
                row["like_count"] = to_int(c.get("like_count"))
                batch.add("message", row)

    def _conversations(self, batch: SourceBatch, start: date, end: date) -> None:
        fields = "id,updated_time,messages.limit(100){id,message,from,created_time}"
        for conv in self._data(f"{self.native_id}/conversations",
                               {"platform": "messenger", "fields": fields, "limit": 50}):
            updated = parse_time(conv.get("updated_time"))
            if updated is not None and updated.astimezone(self.tz).date() < start:
                break  # conversations come most recently updated first
            msgs = conv.get("messages") or {}
            items = list(msgs.get("data") or [])
            if (msgs.get("paging") or {}).get("next"):
                items += list(self._data(msgs["paging"]["next"], {}))
            for m in items:
                created = parse_time(m.get("created_time"))
                if not self.in_range(created, start, end):
                    continue
                author = m.get("from") or {}
                batch.add("message", self.message_row(
                    native_id=m["id"], kind="dm", created_at=created,
                    author_id=author.get("id"), author_handle=author.get("name"),
                    text=m.get("message")))


class InstagramSource(_MetaSource):
    """An Instagram business account: insights, media, comments (no DM without a Page)."""

    network = "instagram"
    chunk_days = 30
    streams = (
        Stream("user_insights", "/{user}/insights", ("account_daily",)),
        Stream("user", "/{user}", ("account", "account_daily"), "followers snapshot"),
        Stream("media", "/{user}/media", ("post", "post_daily"),
               "window + older media whose comments_count changed"),
        Stream("media_insights", "/{media}/insights", ("post_daily",), "reach, saved, views"),
        Stream("comments", "/{media}/comments", ("message",), "nested replies, like_count"),
    )

    def fetch(self, account: Account, start: date, end: date) -> Iterator[SourceBatch]:
        self.check_account(account)
        user = self.client.get(self.native_id, {"fields": "id,username,name,followers_count,"
                                                          "media_count"})
        snap = self.snapshot_day(end)
        cutoff = start - timedelta(days=self.comment_lookback_days)
        media = self._media(cutoff)
        published = count_by_day((parse_time(m.get("timestamp")) for m in media
                                  if not m.get("_old")), self.tz)
        chunks = list(day_chunks(start, end, self.chunk_days))
        for i, (c_start, c_end) in enumerate(chunks):
            batch = self.batch(c_start, c_end)
            if i == 0:
                batch.add("account", self.account_row(user.get("username"), user.get("name")))
            batch.add("account_daily", self._daily(c_start, c_end, published, user, snap))
            if i == len(chunks) - 1:
                self._posts(batch, media, start, end, snap, user.get("username"))
            yield batch

    def _media(self, cutoff: date) -> list[dict]:
        """Media of the look-back window, plus older media whose comments changed.

        Citizens keep commenting on old posts, so a fixed window misses them: an older media
        is kept (marked `_old`) when its `comments_count` differs from the stored snapshot
        (`comments_history`), or is unknown and above zero. Paging stops at `max_posts`.
        """
        out: list[dict] = []
        fields = "id,caption,media_type,permalink,timestamp,like_count,comments_count"
        scanned = 0
        for body in self.client.pages(f"{self.native_id}/media", {"fields": fields,
                                                                   "limit": 100}, _next_page):
            for m in body.get("data") or []:
                scanned += 1
                t = parse_time(m.get("timestamp"))
                if t is not None and t.astimezone(self.tz).date() >= cutoff:
                    out.append(m)
                elif self._comments_changed(m):
                    out.append({**m, "_old": True})
            if scanned >= self.max_posts:
                break
        return out[: self.max_posts]

    def _comments_changed(self, m: dict) -> bool:
        count = to_int(m.get("comments_count"))
        if not count:
            return False
        stored = self.comments_history(self.ns(m["id"])) if self.comments_history else None
        return stored is None or stored != count

    def _daily(self, start: date, end: date, published, user: dict, snap: date | None
               ) -> list[Row]:
        days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
        rows = {d: self.daily_row(d, posts_published=published.get(d, 0)) for d in days}
        series = self._insights({"period": "day", "since": start.isoformat(),
                                 "until": (end + timedelta(days=1)).isoformat()},
                                list(IG_DAY_METRICS))
        for s in series:
            col = IG_DAY_METRICS.get(s.get("name"))
            for v in (s.get("values") or []) if col else []:
                day = _pacific_day_of(v["end_time"], self.tz)
                if day in rows and isinstance(v.get("value"), (int, float)):
                    rows[day][col] = int(v["value"])
        for d in days:  # total_value metrics cannot share a call with day series
            data = self._insights({"period": "day", "metric_type": "total_value",
                                   "since": d.isoformat(),
                                   "until": (d + timedelta(days=1)).isoformat()},
                                  list(IG_TOTAL_METRICS))
            for s in data:
                col = IG_TOTAL_METRICS.get(s.get("name"))
                value = (s.get("total_value") or {}).get("value")
                if col and isinstance(value, (int, float)):
                    rows[d][col] = int(value)
        if snap in rows:
            rows[snap]["followers"] = to_int(user.get("followers_count"))
        return list(rows.values())

    def _posts(self, batch: SourceBatch, media: list[dict], start: date, end: date,
               snap: date | None, own_username: str | None) -> None:
        own = {(own_username or self.account.handle).lower()}
        for m in media:
            batch.add("post", {"post_id": self.ns(m["id"]), "account_id": self.account_id,
                               "published_at": parse_time(m.get("timestamp")),
                               "kind": (m.get("media_type") or "").lower() or None,
                               "text": m.get("caption"), "permalink": m.get("permalink"),
                               "source": self.source})
            if snap is not None:
                batch.add("post_daily", {
                    "post_id": self.ns(m["id"]), "day": snap, "source": self.source,
                    "reactions": to_int(m.get("like_count")),
                    "comments": to_int(m.get("comments_count")), "reach": None,
                    "views": None, "shares": None, "saves": None, "clicks": None,
                    "video_views": None, **self._media_insights(m)})
            fields = ("id,text,timestamp,username,like_count,from{id,username},parent_id,"
                      "replies{id,text,timestamp,username,like_count,from{id,username},"
                      "parent_id}")
            for c in self._data(f"{m['id']}/comments", {"fields": fields, "limit": 100}):
                self._comment(batch, c, m, start, end, own)
                for reply in (c.get("replies") or {}).get("data") or []:
                    # a nested reply's parent is the comment it sits under
                    self._comment(batch, reply, m, start, end, own, parent=c["id"])

    def _media_insights(self, m: dict) -> Row:
        """Per-post reach, saves and views (lifetime); {} when the media gives none."""
        if m.get("_old"):
            return {}
        try:
            body = self.client.get(f"{m['id']}/insights", {"metric": ",".join(IG_MEDIA_METRICS)})
        except ApiRejected as exc:
            log.info("%s: media %s insights unavailable (%s)", self.account_id, m["id"], exc)
            return {}
        out: Row = {}
        for series in body.get("data") or []:
            col = IG_MEDIA_METRICS.get(series.get("name"))
            values = series.get("values") or []
            value = (series.get("total_value") or {}).get("value")
            if value is None and len(values) == 1:
                value = values[0].get("value")
            if col and isinstance(value, (int, float)):
                out[col] = int(value)
        return out

    def _comment(self, batch: SourceBatch, c: dict, media: dict, start: date, end: date,
                 own: set[str], parent: str | None = None) -> None:
        created = parse_time(c.get("timestamp"))
        if not self.in_range(created, start, end):
            return
        author = c.get("from") or c.get("user") or {}
        handle = author.get("username") or c.get("username")
        author_id = author.get("id") or handle
        parent = c.get("parent_id") or parent
        row = self.message_row(
            native_id=c["id"], kind="reply" if parent else "comment", created_at=created,
            author_id=author_id, author_handle=handle, text=c.get("text"),
            post_native=media["id"], parent_native=parent, permalink=media.get("permalink"),
            is_own=author_id == self.native_id or (handle or "").lower() in own)
        row["like_count"] = to_int(c.get("like_count"))
        batch.add("message", row)


__all__ = ["FacebookSource", "InstagramSource", "meta_verdict"]
