"""LinkedIn Pages (REST, versioned by the `LinkedIn-Version` header): page statistics and posts.

Daily follower gains, share statistics and page views come in UTC days. LinkedIn gives no
"followers lost": the total (`networkSizes`) is a snapshot and losses are derived from the
stored total of the day before (marked as derived). Collections page with start/count.
Comments need the Community Management API (a separate LinkedIn approval): not read here.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import quote

from pulso.core.config import Account
from pulso.sources.base import Row, SourceBatch
from pulso.sources.http import ApiCredentials
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

LINKEDIN_URL = "https://api.linkedin.com/rest"
DEFAULT_VERSION = "202601"


def _ms(d: date) -> int:
    return int(datetime.combine(d, time(0), UTC).timestamp() * 1000)


def _day_of_ms(ms: Any) -> date:
    return datetime.fromtimestamp(int(ms) / 1000, UTC).date()


def _is_dark(post: dict) -> bool:
    """Sponsored content targeted only to an audience (`feedDistribution: NONE`)."""
    return (post.get("distribution") or {}).get("feedDistribution") == "NONE"


class LinkedInSource(ApiSource):
    network = "linkedin"
    default_base_url = LINKEDIN_URL
    chunk_days = 90
    streams = (
        Stream("network_size", "networkSizes/{urn}", ("account_daily",), "follower snapshot"),
        Stream("follower_stats", "organizationalEntityFollowerStatistics", ("account_daily",)),
        Stream("page_stats", "organizationPageStatistics", ("account_daily",)),
        Stream("posts", "posts?q=author", ("post",), "dark posts (feedDistribution NONE) "
               "kept as kind dark_post, not counted as published"),
        Stream("share_stats", "organizationalEntityShareStatistics", ("post_daily",)),
    )

    def headers(self, creds: ApiCredentials) -> dict[str, str]:
        return {"LinkedIn-Version": str(creds.extra.get("linkedin_version", DEFAULT_VERSION)),
                "X-Restli-Protocol-Version": "2.0.0"}

    def __init__(self, account: Account, creds: ApiCredentials, **opts: Any) -> None:
        super().__init__(account, creds, **opts)
        self.urn = f"urn:li:organization:{self.native_id}"

    def _elements(self, path: str, params: dict[str, Any] | None = None) -> Iterator[dict]:
        """Every element, following `paging` (start/count/total, or a `next` link)."""
        params = dict(params or {})

        def next_of(body: Any):
            paging = body.get("paging") or {}
            for link in paging.get("links") or []:
                if link.get("rel") == "next" and link.get("href"):
                    href = link["href"]
                    return (href if href.startswith("http") else
                            f"{self.client.base_url}/{href.lstrip('/').removeprefix('rest/')}",
                            None)
            start, count = paging.get("start"), paging.get("count")
            got = len(body.get("elements") or [])
            if paging.get("total") is not None and start is not None and count and got \
                    and start + got < paging["total"]:
                return (path, {**params, "start": start + got, "count": count})
            return None

        for body in self.client.pages(path, params, next_of):
            yield from body.get("elements") or []

    def _stats(self, resource: str, key: str, start: date, end: date) -> Iterator[dict]:
        interval = (f"(timeRange:(start:{_ms(start)},end:{_ms(end + timedelta(days=1))}),"
                    "timeGranularityType:DAY)")
        path = (f"{resource}?q={key}&{key}={quote(self.urn, safe='')}"
                f"&timeIntervals={interval}")
        yield from self._elements(path)

    def fetch(self, account: Account, start: date, end: date) -> Iterator[SourceBatch]:
        self.check_account(account)
        snap = self.snapshot_day(end)
        size = self.client.get(f"networkSizes/{quote(self.urn, safe='')}",
                               {"edgeType": "COMPANY_FOLLOWED_BY_MEMBER"})
        followers_now = to_int(size.get("firstDegreeSize"))
        cutoff = start - timedelta(days=self.comment_lookback_days)
        posts = self._posts_since(cutoff)
        # a sponsored "dark post" never appeared on the page: stored (kind dark_post, for its
        # figures) but not counted as published
        published = count_by_day((parse_time(p.get("createdAt") / 1000
                                             if p.get("createdAt") else None)
                                  for p in posts if not _is_dark(p)), self.tz)
        chunks = list(day_chunks(start, end, self.chunk_days))
        for i, (c_start, c_end) in enumerate(chunks):
            batch = self.batch(c_start, c_end)
            if i == 0:
                batch.add("account", self.account_row(None, None))
            batch.add("account_daily",
                      self._daily(c_start, c_end, published, snap, followers_now))
            if i == len(chunks) - 1:
                self._posts(batch, posts, snap)
            yield batch

    def _daily(self, start: date, end: date, published, snap: date | None,
               followers_now: int | None) -> list[Row]:
        rows = {start + timedelta(days=n): self.daily_row(
            start + timedelta(days=n), posts_published=published.get(start + timedelta(days=n), 0))
            for n in range((end - start).days + 1)}
        for el in self._stats("organizationalEntityFollowerStatistics", "organizationalEntity",
                              start, end):
            day = _day_of_ms((el.get("timeRange") or {}).get("start"))
            gains = el.get("followerGains") or {}
            if day in rows:
                rows[day]["followers_gained"] = total(to_int(gains.get("organicFollowerGain")),
                                                      to_int(gains.get("paidFollowerGain")))
        for el in self._stats("organizationalEntityShareStatistics", "organizationalEntity",
                              start, end):
            day = _day_of_ms((el.get("timeRange") or {}).get("start"))
            s = el.get("totalShareStatistics") or {}
            if day in rows:
                rows[day].update(
                    views=to_int(s.get("impressionCount")),
                    reach=to_int(s.get("uniqueImpressionsCount")),
                    engagements=total(to_int(s.get("clickCount")), to_int(s.get("likeCount")),
                                      to_int(s.get("commentCount")),
                                      to_int(s.get("shareCount"))))
        for el in self._stats("organizationPageStatistics", "organization", start, end):
            day = _day_of_ms((el.get("timeRange") or {}).get("start"))
            views = (((el.get("totalPageStatistics") or {}).get("views") or {})
                     .get("allPageViews") or {}).get("pageViews")
            if day in rows:
                rows[day]["profile_visits"] = to_int(views)
        if snap in rows:
            rows[snap]["followers"] = followers_now
        out = list(rows.values())
        derive_followers(out, self.account_id, self.followers_history, gains_known=True)
        return out

    def _posts_since(self, cutoff: date) -> list[dict]:
        out: list[dict] = []
        for p in self._elements("posts", {"q": "author", "author": self.urn, "count": 50,
                                          "sortBy": "CREATED"}):
            created = p.get("createdAt")
            if created and _day_of_ms(created) < cutoff:
                break  # newest first
            out.append(p)
            if len(out) >= self.max_posts:
                break
        return out

    def _posts(self, batch: SourceBatch, posts: list[dict], snap: date | None) -> None:
        for p in posts:
            batch.add("post", {"post_id": self.ns(p["id"]), "account_id": self.account_id,
                               "published_at": parse_time(p["createdAt"] / 1000),
                               "kind": "dark_post" if _is_dark(p) else "post",
                               "text": p.get("commentary"),
                               "permalink": f"https://www.linkedin.com/feed/update/{p['id']}",
                               "source": self.source})
        if snap is None or not posts:
            return
        for kind in ("share", "ugcPost"):
            urns = [p["id"] for p in posts if p["id"].startswith(f"urn:li:{kind}:")]
            for n in range(0, len(urns), 20):
                group = ",".join(quote(u, safe="") for u in urns[n:n + 20])
                path = (f"organizationalEntityShareStatistics?q=organizationalEntity"
                        f"&organizationalEntity={quote(self.urn, safe='')}"
                        f"&{kind}s=List({group})")
                for el in self._elements(path):
                    s = el.get("totalShareStatistics") or {}
                    batch.add("post_daily", {
                        "post_id": self.ns(el.get(kind)), "day": snap, "source": self.source,
                        "views": to_int(s.get("impressionCount")),
                        "reach": to_int(s.get("uniqueImpressionsCount")),
                        "clicks": to_int(s.get("clickCount")),
                        "reactions": to_int(s.get("likeCount")),
                        "comments": to_int(s.get("commentCount")),
                        "shares": to_int(s.get("shareCount")), "saves": None,
                        "video_views": None})
