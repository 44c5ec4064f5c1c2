"""A local fake of the six network APIs, served over real HTTP on 127.0.0.1.

Each network's routes answer with the documented shapes (reference: networks.md), split into
several pages. A test injects faults per path prefix (`api.fail(prefix, ...)`): a 429 with
Retry-After, a 5xx, a slow answer longer than the client timeout, an expired token, a
retired metric, a malformed body. Every request is recorded so that tests can check that
paging ran to the end and that the token never travelled in a URL.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

from pulso.core.config import Account
from pulso.sources.api import connector_for
from pulso.sources.http import ApiCredentials, RetryPolicy

TOKEN = "FAKE-TOKEN-s3cr3t-9f8e7d"
NOW = datetime(2026, 6, 10, 15, 0, tzinfo=UTC)  # 08:00 in Pacific time, 10:00 in Bogotá
START, END = date(2026, 6, 7), date(2026, 6, 9)  # END is "yesterday" everywhere
FAST = RetryPolicy(max_attempts=4, backoff_initial=0.001, backoff_max=0.005, jitter=0.001,
                   max_wait=0.01, timeout=0.3)
SLOW_SECONDS = 0.8

Reply = tuple[int, dict[str, str], Any]  # status, headers, JSON body (or bytes)
Handler = Callable[[dict[str, str], dict[str, str]], Reply]


@dataclass
class Seen:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    raw: str


@dataclass
class FakeApi:
    base_url: str = ""
    routes: list[tuple[re.Pattern[str], Callable[..., Reply]]] = field(default_factory=list)
    faults: dict[str, list[str | Reply]] = field(default_factory=dict)
    requests: list[Seen] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def route(self, pattern: str) -> Callable[[Callable[..., Reply]], Callable[..., Reply]]:
        def deco(fn: Callable[..., Reply]) -> Callable[..., Reply]:
            self.routes.append((re.compile(pattern + r"$"), fn))
            return fn
        return deco

    def fail(self, prefix: str, *faults: str | Reply) -> None:
        """Queue faults for the next requests whose path starts with `prefix`.

        A fault is "timeout", "malformed", "reset" or a ready (status, headers, body) reply.
        """
        self.faults.setdefault(prefix, []).extend(faults)

    def hits(self, prefix: str) -> list[Seen]:
        return [r for r in self.requests if r.path.startswith(prefix)]

    def answer(self, path: str, query: dict[str, str], headers: dict[str, str], raw: str
               ) -> Reply | str:
        with self.lock:
            self.requests.append(Seen(path, query, headers, raw))
            for prefix, queue in self.faults.items():
                if path.startswith(prefix) and queue:
                    fault = queue.pop(0)
                    if fault == "timeout":
                        break  # answer normally, but too late
                    return fault
            else:
                fault = None
        if fault == "timeout":
            time.sleep(SLOW_SECONDS)
        for pattern, fn in self.routes:
            m = pattern.match(path)
            if m:
                return fn(query, headers, *m.groups())
        return 404, {}, {"error": {"message": f"no route {path}"}}


class _Handler(BaseHTTPRequestHandler):
    api: FakeApi

    def log_message(self, *args: Any) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        parts = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        reply = self.api.answer(unquote(parts.path), query, dict(self.headers.items()),
                                self.path)
        if reply == "malformed":
            reply = (200, {"Content-Type": "application/json"}, b'{"data": [{"id": ')
        status, headers, body = reply  # type: ignore[misc]
        payload = body if isinstance(body, bytes) else json.dumps(body).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout test)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


@contextmanager
def serve() -> Iterator[FakeApi]:
    """Run a fresh fake API on a free port for the duration of the block."""
    api = FakeApi()
    handler = type("Handler", (_Handler,), {"api": api})
    server = _Server(("127.0.0.1", 0), handler)
    api.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01},
                              daemon=True)
    thread.start()
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()


def connect(api: FakeApi, account: Account, history: dict[date, int] | None = None,
            policy: RetryPolicy = FAST, **extra: Any):
    """A connector pointed at the fake server, with a fixed clock and a tiny backoff."""
    creds = ApiCredentials(conn_id=f"pulso_{account.network}", token=TOKEN,
                           base_url=api.base_url, extra=extra)
    hist = history or {}
    return connector_for(account, creds, policy=policy, now=lambda: NOW,
                         followers_history=lambda _acc, d: hist.get(d))


# --------------------------------------------------------------------- canned failures

def error(status: int, body: Any, headers: dict[str, str] | None = None) -> Reply:
    return status, headers or {}, body


RATE_LIMITED = error(429, {"error": "too many"}, {"Retry-After": "7"})
SERVER_ERROR = error(503, {"error": "unavailable"})
UNAUTHORIZED = error(401, {"error": {"message": "Invalid credentials", "code": 401}})


def days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def page(items: list[Any], query: dict[str, str], key: str, size: int) -> tuple[list, int | None]:
    """Slice `items` at the offset carried by cursor parameter `key`; next offset or None."""
    offset = int(query.get(key) or 0)
    chunk = items[offset: offset + size]
    nxt = offset + size if offset + size < len(items) else None
    return chunk, nxt


def next_url(api: FakeApi, path: str, query: dict[str, str], key: str, value: Any) -> str:
    """A Meta-style `paging.next`: absolute, with the token in it as Meta does."""
    q = {**query, key: str(value), "access_token": TOKEN}
    return f"{api.base_url}{path}?{urlencode(q)}"


def iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S+0000")


def at(d: date, hour: int = 18) -> datetime:
    """A UTC time on day `d` that is the same calendar day in Pacific and UTC."""
    return datetime(d.year, d.month, d.day, hour, 0, tzinfo=UTC)


# --------------------------------------------------------------------- Meta

def meta_error(code: int, message: str, status: int = 400) -> Reply:
    return status, {}, {"error": {"message": message, "type": "OAuthException", "code": code,
                                  "fbtrace_id": "AbC"}}


def install_facebook(api: FakeApi, page_id: str = "111", removed: set[str] | None = None
                     ) -> None:
    """Page 111: insights (page_video_views absent), 3 posts in 2 pages, comments, a DM."""
    removed = removed or set()
    posts = [{"id": f"{page_id}_{n}", "created_time": iso(at(d)), "message": f"Publicación {n}",
              "permalink_url": f"https://facebook.com/{page_id}_{n}", "status_type": "photo",
              "comments": {"data": [], "summary": {"total_count": n * 2}},
              "reactions": {"data": [], "summary": {"total_count": n * 10}},
              "reactions_like": {"data": [], "summary": {"total_count": n * 9}},
              "reactions_love": {"data": [], "summary": {"total_count": n}},
              **({"shares": {"count": n}} if n != 2 else {})}
             for n, d in ((3, date(2026, 6, 9)), (2, date(2026, 6, 8)), (1, date(2026, 6, 8)))]
    comments = [
        {"id": "c1", "message": "¿Cuándo arreglan la vía?", "created_time": iso(at(END, 16)),
         "from": {"id": "u1", "name": "Ana"}, "permalink_url": "https://facebook.com/c1",
         "like_count": 4},
        {"id": "c2", "message": "Gracias", "created_time": iso(at(END, 17))},  # no `from`
        {"id": "c3", "message": "Hola Ana, ya está programado.", "created_time": iso(at(END, 19)),
         "from": {"id": page_id, "name": "Alcaldía"}, "parent": {"id": "c1"}},
        {"id": "c0", "message": "viejo", "created_time": iso(at(date(2026, 5, 1)))},
    ]

    @api.route(rf"/{page_id}")
    def _page(q, h):
        return 200, {}, {"id": page_id, "name": "Alcaldía de Prueba", "username": "alcaldia",
                         "followers_count": 5020, "fan_count": 4900}

    @api.route(rf"/{page_id}/insights")
    def _insights(q, h):
        metrics = q["metric"].split(",")
        if removed & set(metrics):
            return meta_error(100, "(#100) The value must be a valid insights metric")
        since, until = date.fromisoformat(q["since"]), date.fromisoformat(q["until"])
        data = []
        for i, m in enumerate(metrics):
            if m == "page_video_views":
                continue  # not provided: must become None, not 0
            values = [{"value": 5000 + n if m == "page_follows" else 10 * i + n,
                       "end_time": f"{(d + timedelta(days=1)).isoformat()}T07:00:00+0000"}
                      for n, d in enumerate(days(since, until - timedelta(days=1)))]
            data.append({"name": m, "period": "day", "values": values, "id": f"x/{m}/day"})
        return 200, {}, {"data": data, "paging": {"previous": "p", "next": "n"}}

    @api.route(rf"/{page_id}/published_posts")
    def _posts(q, h):
        chunk, nxt = page(posts, q, "after", 2)
        paging = {"cursors": {"after": str(nxt)}}
        if nxt is not None:
            paging["next"] = next_url(api, f"/{page_id}/published_posts", q, "after", nxt)
        return 200, {}, {"data": chunk, "paging": paging}

    @api.route(r"/([0-9]+_[0-9]+)/comments")
    def _comments(q, h, post_id):
        items = comments if post_id.endswith("_3") else []
        chunk, nxt = page(items, q, "after", 2)
        body: dict[str, Any] = {"data": chunk, "paging": {}}
        if nxt is not None:
            body["paging"]["next"] = next_url(api, f"/{post_id}/comments", q, "after", nxt)
        return 200, {}, body

    @api.route(rf"/{page_id}/conversations")
    def _convs(q, h):
        msgs = {"data": [{"id": "m_1", "message": "Quiero radicar un derecho de petición",
                          "from": {"id": "u9", "name": "Luis"},
                          "created_time": iso(at(START, 15))}],
                "paging": {"next": f"{api.base_url}/t_1/messages?after=1&access_token={TOKEN}"}}
        return 200, {}, {"data": [{"id": "t_1", "updated_time": iso(at(END)), "messages": msgs},
                                  {"id": "t_0", "updated_time": iso(at(date(2026, 1, 1))),
                                   "messages": {"data": []}}]}

    @api.route(r"/t_1/messages")
    def _more(q, h):
        return 200, {}, {"data": [{"id": "m_2", "message": "Buen día, con gusto",
                                   "from": {"id": page_id, "name": "Alcaldía"},
                                   "created_time": iso(at(START, 16))}], "paging": {}}


def install_instagram(api: FakeApi, ig_id: str = "178") -> None:
    """IG user 178: reach/follower_count series, total_value metrics, 3 media in 2 pages."""
    media = [{"id": f"m{n}", "caption": f"Post {n}", "media_type": "IMAGE",
              "permalink": f"https://instagram.com/p/m{n}", "timestamp": iso(at(d)),
              "like_count": 5 * n, "comments_count": n}
             for n, d in ((3, END), (2, START), (1, date(2026, 1, 2)))]
    media.append({"id": "m0", "caption": "Post de 2025", "media_type": "IMAGE",
                  "permalink": "https://instagram.com/p/m0", "timestamp": iso(at(date(2025, 3, 1))),
                  "like_count": 40, "comments_count": 7})  # old, but citizens still comment

    @api.route(r"/m(\d)/insights")
    def _media_insights(q, h, n):
        return 200, {}, {"data": [{"name": m, "period": "lifetime",
                                   "values": [{"value": 100 * int(n) + i}]}
                                  for i, m in enumerate(q["metric"].split(","))]}

    @api.route(rf"/{ig_id}")
    def _user(q, h):
        return 200, {}, {"id": ig_id, "username": "alcaldia", "name": "Alcaldía",
                         "followers_count": 800, "media_count": 3}

    @api.route(rf"/{ig_id}/insights")
    def _insights(q, h):
        if q.get("metric_type") == "total_value":
            return 200, {}, {"data": [{"name": m, "period": "day",
                                       "total_value": {"value": 7}}
                                      for m in q["metric"].split(",") if m != "profile_views"]}
        since, until = date.fromisoformat(q["since"]), date.fromisoformat(q["until"])
        return 200, {}, {"data": [{"name": m, "period": "day", "values": [
            {"value": 3, "end_time": f"{(d + timedelta(days=1)).isoformat()}T07:00:00+0000"}
            for d in days(since, until - timedelta(days=1))]} for m in q["metric"].split(",")]}

    @api.route(rf"/{ig_id}/media")
    def _media(q, h):
        chunk, nxt = page(media, q, "after", 2)
        paging = {"next": next_url(api, f"/{ig_id}/media", q, "after", nxt)} if nxt else {}
        return 200, {}, {"data": chunk, "paging": paging}

    @api.route(r"/m(\d)/comments")
    def _comments(q, h, n):
        if n == "0":
            return 200, {}, {"data": [{
                "id": "old1", "text": "¿Esto sigue vigente?", "timestamp": iso(at(END, 10)),
                "username": "maria", "like_count": 2, "from": {"id": "77", "username": "maria"},
                "replies": {"data": [{"id": "old2", "text": "Sí, hasta julio",  # no parent_id
                                      "timestamp": iso(at(END, 11)), "username": "alcaldia",
                                      "from": {"id": ig_id, "username": "alcaldia"}}]}}]}
        if n != "3":
            return 200, {}, {"data": []}
        return 200, {}, {"data": [{
            "id": "ic1", "text": "Excelente", "timestamp": iso(at(END, 20)), "username": "pepe",
            "from": {"id": "999", "username": "pepe"},
            "replies": {"data": [{"id": "ic2", "text": "Gracias", "timestamp": iso(at(END, 21)),
                                  "username": "alcaldia", "parent_id": "ic1",
                                  "from": {"id": ig_id, "username": "alcaldia"}}]}}]}


# --------------------------------------------------------------------- X

def install_x(api: FakeApi, uid: str = "42") -> None:
    """User 42: follower snapshot, 3 posts in 2 pages, a reply, a mention, 2 DMs."""
    tweets = [{"id": f"t{n}", "text": f"Tuit {n}", "created_at": at(d).isoformat()
               .replace("+00:00", ".000Z"),
               "public_metrics": {"impression_count": 100 * n, "like_count": n,
                                  "reply_count": 1, "retweet_count": 2, "quote_count": 1,
                                  "bookmark_count": 0}}
              for n, d in ((3, END), (2, END), (1, START))]
    tweets.insert(1, {"id": "rt1", "text": "RT @otra: noticia", "created_at":
                      at(END).isoformat().replace("+00:00", ".000Z"),
                      "referenced_tweets": [{"type": "retweeted", "id": "o1"}],
                      "public_metrics": {"impression_count": 0, "like_count": 0,
                                         "reply_count": 0, "retweet_count": 900,
                                         "quote_count": 0, "bookmark_count": 0}})

    @api.route(rf"/2/users/{uid}")
    def _user(q, h):
        return 200, {"x-rate-limit-remaining": "99"}, {"data": {
            "id": uid, "name": "Alcaldía", "username": "alcaldia",
            "public_metrics": {"followers_count": 1500, "following_count": 10}}}

    @api.route(rf"/2/users/{uid}/tweets")
    def _tweets(q, h):
        chunk, nxt = page(tweets, q, "pagination_token", 2)
        meta = {"result_count": len(chunk), **({"next_token": str(nxt)} if nxt else {})}
        return 200, {}, {"data": chunk, "meta": meta}

    @api.route(rf"/2/users/{uid}/mentions")
    def _mentions(q, h):
        return 200, {}, {"data": [
            {"id": "r1", "text": "@alcaldia hay un hueco", "author_id": "7",
             "created_at": "2026-06-09T13:00:00.000Z", "conversation_id": "t3",
             "referenced_tweets": [{"type": "replied_to", "id": "t3"}]},
            {"id": "r2", "text": "Buen trabajo @alcaldia", "author_id": "8",
             "created_at": "2026-06-08T13:00:00.000Z", "conversation_id": "r2"}],
            "includes": {"users": [{"id": "7", "username": "vecino"},
                                   {"id": "8", "username": "otra"}]},
            "meta": {"result_count": 2}}

    @api.route(r"/2/dm_events")
    def _dms(q, h):
        events = [{"id": "d1", "event_type": "MessageCreate", "text": "Necesito un certificado",
                   "sender_id": "7", "created_at": "2026-06-07T12:00:00.000Z"},
                  {"id": "d2", "event_type": "MessageCreate", "text": "Con gusto",
                   "sender_id": uid, "created_at": "2026-06-07T13:00:00.000Z"}]
        chunk, nxt = page(events, q, "pagination_token", 1)
        return 200, {}, {"data": chunk, "includes": {"users": [{"id": "7", "username": "vecino"}]},
                         "meta": {"result_count": 1, **({"next_token": str(nxt)} if nxt else {})}}


# --------------------------------------------------------------------- YouTube

def install_youtube(api: FakeApi, channel: str = "UCabc") -> None:
    """Channel UCabc: analytics rows, uploads (2 pages), 2 videos, threads in 2 pages."""
    @api.route(r"/youtube/v3/channels")
    def _channels(q, h):
        return 200, {}, {"items": [{"id": channel, "snippet": {"title": "Alcaldía TV",
                                                                "customUrl": "@alcaldiatv"},
                                    "statistics": {"subscriberCount": "3000",
                                                   "hiddenSubscriberCount": False},
                                    "contentDetails": {"relatedPlaylists": {"uploads": "UU1"}}}]}

    @api.route(r"/v2/reports")
    def _reports(q, h):
        names = ["day", *q["metrics"].split(",")]
        rows = [[d.isoformat(), *[n + 1 for n in range(len(names) - 1)]]
                for d in days(date.fromisoformat(q["startDate"]),
                              date.fromisoformat(q["endDate"]))]
        return 200, {}, {"kind": "youtubeAnalytics#resultTable", "rows": rows,
                         "columnHeaders": [{"name": n, "columnType": "METRIC"} for n in names]}

    uploads = [{"contentDetails": {"videoId": v, "videoPublishedAt": iso(at(d))}}
               for v, d in (("v2", END), ("v1", START), ("v0", date(2025, 1, 1)))]

    @api.route(r"/youtube/v3/playlistItems")
    def _uploads(q, h):
        chunk, nxt = page(uploads, q, "pageToken", 1)
        return 200, {}, {"items": chunk, **({"nextPageToken": str(nxt)} if nxt else {})}

    @api.route(r"/youtube/v3/videos")
    def _videos(q, h):
        return 200, {}, {"items": [{"id": v, "snippet": {"title": f"Video {v}",
                                                         "publishedAt": iso(at(d))},
                                    "statistics": {"viewCount": "120", "likeCount": "9",
                                                   "commentCount": "2"}}
                                   for v, d in (("v2", END), ("v1", START))
                                   if v in q["id"].split(",")]}

    def thread(tid: str, video: str, t: datetime, author: str, replies: list | None = None):
        top = {"id": tid, "snippet": {"textOriginal": f"Comentario {tid}", "videoId": video,
                                      "authorDisplayName": f"@{author}",
                                      "authorChannelId": {"value": author},
                                      "publishedAt": iso(t), "updatedAt": iso(t)}}
        return {"id": tid, "snippet": {"videoId": video, "topLevelComment": top},
                **({"replies": {"comments": replies}} if replies else {})}

    reply = {"id": "y1.r", "snippet": {"textOriginal": "Gracias por escribir",
                                       "authorDisplayName": "@alcaldiatv", "videoId": "v2",
                                       "authorChannelId": {"value": channel},
                                       "publishedAt": iso(at(END, 22))}}
    threads = [thread("y1", "v2", at(END, 20), "UCvecino", [reply]),
               {**thread("y4", "v2", at(END, 8), "UCmucho", [reply | {"id": "y4.r1"}]),
                "snippet": {**thread("y4", "v2", at(END, 8), "UCmucho")["snippet"],
                            "totalReplyCount": 6}},
               thread("y2", "v1", at(START, 20), "UCotro"),
               thread("y3", "v0", at(date(2026, 5, 1)), "UCviejo")]

    @api.route(r"/youtube/v3/comments")
    def _replies(q, h):
        assert q["parentId"] == "y4"
        items = [{"id": f"y4.r{n}", "snippet": {
            "textOriginal": f"Respuesta {n}", "authorDisplayName": "@vecino", "videoId": "v2",
            "authorChannelId": {"value": "UCvecino"}, "parentId": "y4", "likeCount": n,
            "publishedAt": iso(at(END, 9 + n))}} for n in range(1, 7)]
        chunk, nxt = page(items, q, "pageToken", 4)
        return 200, {}, {"items": chunk, **({"nextPageToken": str(nxt)} if nxt else {})}

    @api.route(r"/youtube/v3/commentThreads")
    def _threads(q, h):
        chunk, nxt = page(threads, q, "pageToken", 2)
        return 200, {}, {"items": chunk, **({"nextPageToken": str(nxt)} if nxt else {})}


# --------------------------------------------------------------------- TikTok

def tiktok_error(code: int, message: str) -> Reply:
    return 200, {}, {"code": code, "message": message, "request_id": "r1", "data": {}}


def install_tiktok(api: FakeApi, business: str = "tt1") -> None:
    """Business tt1: daily metrics with totals, 3 videos by cursor, comments on one."""
    def ok(data: Any) -> Reply:
        return 200, {}, {"code": 0, "message": "OK", "request_id": "r1", "data": data}

    @api.route(r"/business/get/")
    def _daily(q, h):
        return ok({"metrics": [{"date": d.isoformat(), "followers_count": 900 + 5 * n - 3 * (n == 2),
                                "profile_views": 4, "video_views": 50, "likes": 6, "comments": 2,
                                "shares": 1}
                               for n, d in enumerate(days(date.fromisoformat(q["start_date"]),
                                                          date.fromisoformat(q["end_date"])))]})

    videos = [{"item_id": f"vid{n}", "create_time": int(at(d).timestamp()), "caption": f"V{n}",
               "share_url": f"https://tiktok.com/@alcaldia/video/vid{n}", "video_views": 300,
               "likes": 20, "comments": 3, "shares": 1}
              for n, d in ((3, END), (2, START), (1, date(2026, 1, 1)))]

    @api.route(r"/business/video/list/")
    def _videos(q, h):
        chunk, nxt = page(videos, q, "cursor", 2)
        return ok({"videos": chunk, "cursor": nxt or 0, "has_more": nxt is not None})

    @api.route(r"/business/comment/list/")
    def _comments(q, h):
        items = [{"comment_id": "k1", "video_id": "vid3", "user_id": "u5", "username": "vecina",
                  "create_time": int(at(END, 19).timestamp()), "text": "¿A qué hora abren?",
                  "parent_comment_id": "0", "replies": 1, "likes": 3},
                 {"comment_id": "k2", "video_id": "vid3", "username": "alcaldia",
                  "create_time": int(at(END, 20).timestamp()), "text": "A las 8",
                  "parent_comment_id": "k1"}] if q["video_id"] == "vid3" else []
        chunk, nxt = page(items, q, "cursor", 1)
        return ok({"comments": chunk, "cursor": nxt or 0, "has_more": nxt is not None})

    @api.route(r"/business/comment/reply/list/")
    def _replies(q, h):
        assert q["comment_id"] == "k1", q
        return ok({"comments": [{"comment_id": "k9", "video_id": "vid3", "user_id": "u6",
                                 "username": "vecino", "text": "Yo también pregunto",
                                 "create_time": int(at(END, 21).timestamp()), "likes": 1,
                                 "parent_comment_id": "k1"}], "cursor": 0, "has_more": False})


# --------------------------------------------------------------------- LinkedIn

def install_linkedin(api: FakeApi, org: str = "555") -> None:
    """Organization 555: follower total, daily stats, 3 posts paged by start/count."""
    urn = f"urn:li:organization:{org}"

    def span(q: dict[str, str]) -> list[date]:
        m = re.search(r"start:(\d+),end:(\d+)", q["timeIntervals"])
        assert m, q
        s, e = (datetime.fromtimestamp(int(x) / 1000, UTC).date() for x in m.groups())
        return days(s, e - timedelta(days=1))

    def ms(d: date) -> int:
        return int(datetime(d.year, d.month, d.day, tzinfo=UTC).timestamp() * 1000)

    @api.route(rf"/networkSizes/{urn}")
    def _size(q, h):
        return 200, {}, {"firstDegreeSize": 2000}

    @api.route(r"/organizationalEntityFollowerStatistics")
    def _followers(q, h):
        return 200, {}, {"elements": [{"timeRange": {"start": ms(d), "end": ms(d) + 86400000},
                                       "followerGains": {"organicFollowerGain": 6,
                                                         "paidFollowerGain": 1},
                                       "organizationalEntity": urn} for d in span(q)],
                         "paging": {"start": 0, "count": 10, "links": []}}

    @api.route(r"/organizationalEntityShareStatistics")
    def _shares(q, h):
        if "timeIntervals" not in q:  # lifetime statistics of given posts
            ids = [unquote(u) for u in re.findall(r"List\((.*)\)", q.get("shares", ""))[0]
                   .split(",")] if "shares" in q else []
            return 200, {}, {"elements": [{"share": i, "totalShareStatistics": {
                "impressionCount": 80, "uniqueImpressionsCount": 60, "clickCount": 4,
                "likeCount": 3, "commentCount": 1, "shareCount": 0}} for i in ids]}
        return 200, {}, {"elements": [{"timeRange": {"start": ms(d), "end": ms(d) + 86400000},
                                       "totalShareStatistics": {
                                           "impressionCount": 100, "uniqueImpressionsCount": 70,
                                           "clickCount": 5, "likeCount": 4, "commentCount": 2,
                                           "shareCount": 1, "engagement": 0.12}}
                                      for d in span(q)]}

    @api.route(r"/organizationPageStatistics")
    def _pages(q, h):
        return 200, {}, {"elements": [{"timeRange": {"start": ms(d), "end": ms(d) + 86400000},
                                       "totalPageStatistics": {"views": {"allPageViews": {
                                           "pageViews": 12}}}} for d in span(q)]}

    posts = [{"id": f"urn:li:share:{n}", "createdAt": ms(d) + 3600000, "commentary": f"P{n}",
              "author": urn, "lifecycleState": "PUBLISHED"}
             for n, d in ((3, END), (2, START), (1, date(2025, 12, 1)))]
    posts.insert(1, {"id": "urn:li:share:9", "createdAt": ms(END) + 7200000,
                     "commentary": "Anuncio patrocinado", "author": urn,
                     "lifecycleState": "PUBLISHED",
                     "distribution": {"feedDistribution": "NONE"}})  # a sponsored dark post

    @api.route(r"/posts")
    def _posts(q, h):
        chunk, _ = page(posts, q, "start", 2)
        return 200, {}, {"elements": chunk, "paging": {"start": int(q.get("start") or 0),
                                                       "count": 2, "total": len(posts)}}
