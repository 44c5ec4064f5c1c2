"""The base every network API connector is declared on: client, paging, verdicts, retries.

A connector (one module per network under `pulso.sources.networks`) is a subclass of
`ApiSource` that declares its `streams` (what it reads: endpoint -> canonical tables) and
implements `fetch`; HTTP, paging (`ApiClient.pages`), the network's error verdicts
(`classify`) and retries live here and in `pulso.sources.http`, and the explicit
network -> connector map lives in `pulso.sources.registry`. This module imports no network
module, so the import graph has no cycle.

A connector turns one account's API answers into canonical rows (see
`pulso.warehouse.schema`), one `SourceBatch` per chunk of days the network allows in a call.
Days stay in the network's own bucket (Meta and YouTube in Pacific time; X, LinkedIn and
TikTok in UTC). Lifetime snapshots (follower totals, post counters) describe "now", so they are
only written when the range reaches yesterday or today; a backfill of older days never
overwrites the past with today's numbers.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from pulso.core.config import Account
from pulso.core.privacy import author_key
from pulso.sources.base import Row, Source, SourceBatch, SourceError
from pulso.sources.followers import FollowersHistory, derive_followers
from pulso.sources.http import ApiClient, ApiCredentials, RetryPolicy

__all__ = ["ApiCredentials", "ApiSource", "RetryPolicy", "Stream", "derive_followers"]

log = logging.getLogger("pulso.sources.api")


# post_id -> the comment count stored with its latest snapshot, or None
CommentsHistory = Callable[[str], int | None]


@dataclass(frozen=True)
class Stream:
    """One thing a connector reads: an endpoint and the canonical tables it feeds."""

    name: str
    endpoint: str
    tables: tuple[str, ...]
    note: str = ""


def day_chunks(start: date, end: date, days: int) -> Iterator[tuple[date, date]]:
    """Consecutive inclusive windows of at most `days` days covering start..end."""
    if end < start:
        raise ValueError(f"end {end} is before start {start}")
    cur = start
    while cur <= end:
        last = min(end, cur + timedelta(days=days - 1))
        yield cur, last
        cur = last + timedelta(days=1)


def parse_time(value: Any) -> datetime | None:
    """A UTC-aware datetime from ISO text (Meta '+0000' included) or unix seconds."""
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value, UTC)
    s = str(value).strip()
    if s.isdigit():
        return datetime.fromtimestamp(int(s), UTC)
    s = s.replace("Z", "+00:00")
    if len(s) > 5 and s[-5] in "+-" and s[-4:].isdigit():  # 2026-06-01T07:00:00+0000
        s = f"{s[:-2]}:{s[-2:]}"
    dt = datetime.fromisoformat(s)
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def to_int(value: Any) -> int | None:
    """An API count (numbers or numeric strings, as YouTube sends) or None when absent."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return int(value)
    return int(float(value)) if isinstance(value, (int, float, str)) else None


def total(*values: int | None) -> int | None:
    """Sum of the parts that exist; None when none of them does (None is not 0)."""
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def count_by_day(times: Iterable[datetime | None], tz: ZoneInfo) -> Counter[date]:
    return Counter(t.astimezone(tz).date() for t in times if t is not None)


class ApiSource(Source):
    """Base of the network connectors: client, clock, day bucket, row helpers."""

    network: str = ""
    default_base_url: str = ""
    streams: tuple[Stream, ...] = ()  # declared by each network (docs, registry listing)
    chunk_days: int = 90
    history_days: int | None = None  # how far back the API keeps daily data

    def __init__(self, account: Account, creds: ApiCredentials, *,
                 policy: RetryPolicy | None = None, sleep: Callable[[float], None] = time.sleep,
                 now: Callable[[], datetime] | None = None,
                 followers_history: FollowersHistory | None = None,
                 comment_lookback_days: int = 30, max_posts: int = 500,
                 transport: httpx.BaseTransport | None = None,
                 comments_history: CommentsHistory | None = None) -> None:
        self.account = account
        self.creds = creds
        self.tz = ZoneInfo(account.day_timezone)
        self.now = now or (lambda: datetime.now(UTC))
        self.followers_history = followers_history
        self.comment_lookback_days = comment_lookback_days
        self.comments_history = comments_history
        self.max_posts = max_posts
        self.native_id = account.native_id or account.handle
        self.client = ApiClient(network=self.network, account_id=account.account_id,
                                creds=creds, default_base_url=self.default_base_url,
                                auth_header=self.auth_header, headers=self.headers(creds),
                                classify=self.classify, policy=policy, sleep=sleep,
                                transport=transport)

    # -- hooks for subclasses

    def auth_header(self, token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}

    def headers(self, creds: ApiCredentials) -> dict[str, str]:
        return {}

    classify = None  # a `pulso.sources.http.Classifier`, or None for plain HTTP semantics

    def fetch(self, account: Account, start: date, end: date) -> Iterator[SourceBatch]:
        raise NotImplementedError

    # -- shared helpers

    @property
    def source(self) -> str:
        return f"api:{self.network}"

    @property
    def account_id(self) -> str:
        return self.account.account_id

    def close(self) -> None:
        self.client.close()

    def today(self) -> date:
        return self.now().astimezone(self.tz).date()

    def snapshot_day(self, end: date) -> date | None:
        """The day a "now" snapshot belongs to, or None for a backfill of older days."""
        today = self.today()
        if end < today - timedelta(days=1):
            log.info("%s: range ends %s, before yesterday: lifetime snapshots skipped",
                     self.account_id, end)
            return None
        return min(end, today)

    def check_account(self, account: Account) -> None:
        if account.account_id != self.account_id:
            raise SourceError(f"{account.account_id}: this connector was built for "
                              f"{self.account_id}")

    def clip_history(self, start: date, end: date) -> date:
        """Start of what the API still keeps; SourceError when the whole range is older."""
        if self.history_days is None:
            return start
        oldest = self.today() - timedelta(days=self.history_days)
        if end < oldest:
            raise SourceError(
                f"{self.account_id}: {self.network} solo conserva unos {self.history_days} días "
                f"de historia (desde {oldest}); el rango {start}..{end} ya no está disponible "
                "por API. Cárguelo desde una exportación manual.")
        if start < oldest:
            log.warning("%s: %s keeps about %d days of history; days %s..%s skipped "
                        "(load them from a manual export)", self.account_id, self.network,
                        self.history_days, start, oldest - timedelta(days=1))
            return oldest
        return start

    def in_range(self, t: datetime | None, start: date, end: date) -> bool:
        return t is not None and start <= t.astimezone(self.tz).date() <= end

    def account_row(self, handle: str | None, display_name: str | None) -> Row:
        return {"account_id": self.account_id, "network": self.network,
                "handle": handle or self.account.handle,
                "display_name": display_name or self.account.display_name,
                "source_kind": "api", "day_timezone": self.account.day_timezone}

    def daily_row(self, day: date, **metrics: Any) -> Row:
        row: Row = {"account_id": self.account_id, "day": day, "followers": None,
                    "followers_gained": None, "followers_lost": None,
                    "followers_derived": False, "reach": None, "views": None,
                    "engagements": None, "profile_visits": None, "video_views": None,
                    "posts_published": None, "source": self.source}
        row.update(metrics)
        return row

    def ns(self, native: str | None) -> str | None:
        """Namespace a native id ('facebook:123') so ids never collide across networks."""
        return f"{self.network}:{native}" if native else None

    def message_row(self, *, native_id: str, kind: str, created_at: datetime,
                    author_id: str | None, author_handle: str | None, text: str | None,
                    post_native: str | None = None, parent_native: str | None = None,
                    permalink: str | None = None, is_own: bool | None = None) -> Row:
        if is_own is None:
            is_own = bool(author_id) and author_id == self.native_id
        return {"message_id": self.ns(native_id), "account_id": self.account_id,
                "network": self.network, "kind": kind, "created_at": created_at,
                "author_key": author_key(self.network, author_id),
                "author_handle": author_handle, "is_own": is_own, "text": text,
                "post_id": self.ns(post_native), "parent_id": self.ns(parent_native),
                "permalink": permalink, "source": self.source}

    def batch(self, start: date, end: date) -> SourceBatch:
        return SourceBatch(account_id=self.account_id, start=start, end=end, source=self.source)
