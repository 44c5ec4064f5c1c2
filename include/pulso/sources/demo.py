"""Deterministic demo source: a fictional Colombian public entity on six networks.

Generates believable daily statistics, posts, post snapshots and inbound messages (with the
entity's own answers) for the accounts of `pulso.yaml` whose source is `demo`, so the whole
pipeline (ingestion, classification, reports, monitor) can run with no network access.

Determinism: every value for (seed, account, day) comes from random generators seeded with
strings such as ``"2026:facebook:104857600123:messages:2026-10-05"`` (string seeds are stable
across processes; ``hash()`` is not), so any day can be generated alone and equals the same
day inside a longer range. Follower totals come from a trajectory computed once per account
from a fixed epoch (`EPOCH`), so ``followers(d) = followers(d-1) + gained(d) - lost(d)`` holds
across separately generated days.

Per-network trends (the story the demo tells):
  * Facebook: the biggest audience, stable (small net growth), steady posting.
  * Instagram: mid-size, growing moderately (gains rise ~16 %/year).
  * X: declining toward obsolescence: gains fall, losses rise, views and engagement per
    follower fall ~45 %/year and ~25 %/year, fewer posts every year, fewer messages.
  * YouTube: small and slow (a video or two a week, long-lived views).
  * TikTok: growing fast (gains rise ~3x a year), more views and messages every month.
  * LinkedIn: small and steady, few messages.
Weekly seasonality (weekdays busier), Colombian holidays quieter, named campaigns with date
ranges (subsidy calls, titling, housing fair, rental aid, rain emergencies) lift posts,
followers, reach and messages and shift what citizens write about. Post performance depends
on weekday and publishing hour (weekdays 7-9 h and 18-20 h best), so a best-hours heatmap
shows a real pattern.

Days are Bogotá calendar days (Colombia is UTC-5 with no DST); timestamps are UTC.
"""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from itertools import accumulate
from zoneinfo import ZoneInfo

from pulso.core.config import DEFAULT_TIMEZONE, Account, PulsoConfig
from pulso.core.privacy import author_key, author_secret
from pulso.sources import demo_text as txt
from pulso.sources.base import Row, SourceBatch

SOURCE = "demo"
EPOCH = date(2024, 1, 1)  # the demo world starts here; follower trajectories are summed from it
REF_DATE = date(2026, 7, 1)  # message volumes and view rates are nominal on this date
BOGOTA = ZoneInfo(DEFAULT_TIMEZONE)  # the demo entity is a Bogotá office
_DAY = 86_400.0

# Metrics each network offers (reference/networks.md); the others are None, never 0.
ACCOUNT_METRICS: dict[str, frozenset[str]] = {
    # page_media_view, page_total_media_view_unique, page_post_engagements, page_views_total,
    # page_video_views
    "facebook": frozenset({"reach", "views", "engagements", "profile_visits", "video_views"}),
    # reach, views, total_interactions, profile_views; Instagram dropped separate video views
    "instagram": frozenset({"reach", "views", "engagements", "profile_visits"}),
    # impressions (= views), engagements, profile visits, video views; X reports no reach
    "x": frozenset({"views", "engagements", "profile_visits", "video_views"}),
    # Analytics views (all are video views), likes+comments+shares; no reach, no profile visits
    "youtube": frozenset({"views", "engagements", "video_views"}),
    # video_views (also reported as views), profile_views, likes+comments+shares; no reach
    "tiktok": frozenset({"views", "engagements", "profile_visits", "video_views"}),
    # impressionCount, uniqueImpressionsCount, engagement, page views; no video views
    "linkedin": frozenset({"reach", "views", "engagements", "profile_visits"}),
}
POST_METRICS: dict[str, frozenset[str]] = {
    "facebook": frozenset({"reach", "views", "reactions", "comments", "shares", "clicks",
                           "video_views"}),  # video_views only on video posts
    "instagram": frozenset({"reach", "views", "reactions", "comments", "shares", "saves"}),
    "x": frozenset({"views", "reactions", "comments", "shares", "saves"}),  # saves = bookmarks
    "youtube": frozenset({"views", "reactions", "comments", "shares", "video_views"}),
    "tiktok": frozenset({"views", "reactions", "comments", "shares", "video_views"}),
    "linkedin": frozenset({"reach", "views", "reactions", "comments", "shares", "clicks"}),
}
# Networks that give only a follower total: gained/lost are derived from daily differences.
FOLLOWERS_DERIVED: dict[str, bool] = {
    "facebook": False, "instagram": False, "x": True, "youtube": False, "tiktok": False,
    "linkedin": True,
}
# Inbound message kinds each network exposes (no DMs/mentions on YouTube; no DM API on TikTok).
MESSAGE_KINDS: dict[str, tuple[tuple[str, float], ...]] = {
    "facebook": (("comment", 0.62), ("reply", 0.14), ("mention", 0.05), ("dm", 0.19)),
    "instagram": (("comment", 0.64), ("reply", 0.10), ("mention", 0.10), ("dm", 0.16)),
    "x": (("comment", 0.40), ("reply", 0.10), ("mention", 0.38), ("dm", 0.12)),
    "youtube": (("comment", 0.85), ("reply", 0.15)),
    "tiktok": (("comment", 0.86), ("reply", 0.14)),
    "linkedin": (("comment", 0.80), ("reply", 0.08), ("mention", 0.12)),
}


@dataclass(frozen=True)
class Profile:
    """How one network behaves for the demo entity (rates per day; trends are log per year)."""

    followers0: int  # followers at EPOCH
    gain0: float  # expected new followers a day at EPOCH
    gain_trend: float
    lost0: float
    lost_trend: float
    view_rate: float  # daily views / followers at REF_DATE
    view_trend: float
    reach_ratio: float  # reach / views
    eng_rate: float  # engagements / views at REF_DATE
    eng_trend: float
    posts_weekday: float  # expected posts on a weekday at REF_DATE
    posts_weekend: float
    posts_trend: float
    post_view_rate: float  # lifetime views of a post / followers at REF_DATE
    decay_days: float  # how fast a post gathers its lifetime views
    post_kinds: tuple[tuple[str, float], ...]
    message_share: float  # share of config.demo.messages_per_day at REF_DATE
    message_trend: float
    answer_rate: float  # share of PQRS-like messages the entity answers in-network
    reply_median_hours: float
    author_pool: int  # distinct citizens who write to this account


PROFILES: dict[str, Profile] = {
    "facebook": Profile(82_000, 60, 0.0, 45, 0.0, 0.35, 0.0, 0.55, 0.030, 0.0, 3.0, 1.2, 0.0,
                        0.09, 0.8, (("photo", 0.5), ("video", 0.25), ("link", 0.15),
                                    ("album", 0.1)),
                        0.40, 0.0, 0.88, 2.0, 40_000),
    "instagram": Profile(18_000, 30, 0.15, 12, 0.1, 0.50, 0.1, 0.50, 0.045, 0.0, 2.0, 1.0, 0.05,
                         0.13, 0.9, (("image", 0.4), ("carousel", 0.3), ("reel", 0.3)),
                         0.22, 0.12, 0.84, 3.0, 25_000),
    "x": Profile(34_000, 18, -0.5, 14, 0.15, 0.25, -0.6, 1.0, 0.012, -0.3, 2.6, 0.8, -0.45,
                 0.05, 0.3, (("text", 0.5), ("photo", 0.35), ("video", 0.15)),
                 0.13, -0.5, 0.66, 6.0, 15_000),
    "youtube": Profile(1_800, 2.5, 0.1, 0.8, 0.0, 0.60, 0.05, 1.0, 0.040, 0.0, 0.3, 0.12, 0.0,
                       1.0, 4.0, (("video", 0.6), ("short", 0.4)),
                       0.05, 0.0, 0.62, 20.0, 6_000),
    "tiktok": Profile(600, 8, 1.1, 1, 1.1, 1.5, 0.3, 1.0, 0.070, 0.05, 1.4, 1.0, 0.2,
                      0.8, 2.0, (("video", 1.0),),
                      0.15, 0.6, 0.70, 10.0, 30_000),
    "linkedin": Profile(3_200, 4, 0.1, 1.2, 0.0, 0.25, 0.0, 0.6, 0.030, 0.0, 0.7, 0.08, 0.0,
                        0.15, 1.2, (("post", 0.5), ("article", 0.2), ("document", 0.15),
                                    ("video", 0.15)),
                        0.05, 0.0, 0.78, 8.0, 4_000),
}

WEEKDAY_STATS = (1.05, 1.08, 1.07, 1.05, 1.0, 0.9, 0.85)  # Monday..Sunday
_msg = (1.12, 1.15, 1.12, 1.08, 1.0, 0.78, 0.72)
WEEKDAY_MESSAGES = tuple(v * 7 / sum(_msg) for v in _msg)  # mean 1 over a week
# Publishing performance by hour (Bogotá): weekdays peak 7-9 h and 18-20 h.
HOUR_FACTOR_WEEKDAY = (0.35, 0.3, 0.3, 0.3, 0.35, 0.5, 0.8, 1.5, 1.6, 1.35, 1.0, 1.0, 1.15,
                       1.1, 0.8, 0.75, 0.8, 1.0, 1.5, 1.65, 1.45, 1.0, 0.7, 0.5)
HOUR_FACTOR_WEEKEND = (0.3, 0.3, 0.25, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.85, 1.0, 1.05, 1.0,
                       0.9, 0.8, 0.8, 0.8, 0.9, 1.0, 1.05, 1.0, 0.8, 0.6, 0.45)
# When the entity publishes (community manager's day), and when citizens write.
_POST_HOURS = (0, 0, 0, 0, 0, 0, 1, 4, 5, 4, 5, 5, 3, 2, 3, 3, 3, 2, 4, 4, 2, 1, 0.3, 0)
_MSG_HOURS = (1.2, 0.7, 0.4, 0.3, 0.4, 1.0, 2.5, 4.5, 5.5, 6.0, 6.0, 5.8, 6.0, 5.5, 5.0, 5.0,
              5.0, 5.2, 6.0, 6.5, 6.5, 5.5, 4.0, 2.2)
_POST_HOURS_CUM = list(accumulate(_POST_HOURS))
_MSG_HOURS_CUM = list(accumulate(_MSG_HOURS))


# ----------------------------------------------------------------------------------------------
# Campaigns
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Campaign:
    name: str
    kind: str  # key of demo_text.CAMPAIGN_POSTS
    start: date
    end: date
    intensity: float  # message multiplier while it runs
    hashtag: str


def _year_campaigns(y: int) -> list[Campaign]:
    rains = (Campaign(f"Emergencia por lluvias abril {y}", "emergencia", date(y, 4, 20),
                      date(y, 5, 3), 2.3, "TemporadaDeLluvias") if y % 2 else
             Campaign(f"Emergencia por lluvias octubre {y}", "emergencia", date(y, 10, 5),
                      date(y, 10, 18), 2.4, "TemporadaDeLluvias"))
    return sorted([
        Campaign(f"Rendición de cuentas {y}", "rendicion", date(y, 3, 2), date(y, 3, 6), 1.2,
                 "RendiciónDeCuentas"),
        Campaign(f"Subsidio Mejoramiento de Vivienda {y}", "subsidio", date(y, 5, 11),
                 date(y, 6, 12), 1.7, "MejoramientoDeVivienda"),
        Campaign(f"Titulación de predios {y}", "titulacion", date(y, 7, 6), date(y, 7, 31), 1.4,
                 "TuCasaATuNombre"),
        Campaign(f"Feria de Vivienda {y}", "feria", date(y, 8, 20), date(y, 8, 30), 2.0,
                 "FeriaDeVivienda"),
        Campaign(f"Convocatoria Arriendo Solidario {y}", "arriendo", date(y, 9, 7),
                 date(y, 9, 25), 1.5, "ArriendoSolidario"),
        rains,
    ], key=lambda c: c.start)


CAMPAIGNS: tuple[Campaign, ...] = tuple(c for y in range(2024, 2031) for c in _year_campaigns(y))


@lru_cache(maxsize=4096)
def campaign_on(day: date) -> Campaign | None:
    """The campaign running on `day` (at most one by construction), or None."""
    for c in CAMPAIGNS:
        if c.start <= day <= c.end:
            return c
    return None


@lru_cache(maxsize=32)
def _holidays(year: int) -> frozenset[date]:
    import holidays  # light, but only needed when generating

    return frozenset(holidays.country_holidays("CO", years=year).keys())


def is_holiday(day: date) -> bool:
    return day in _holidays(day.year)


def _calendar_factor(day: date) -> float:
    """Message multiplier of campaigns and holidays on `day`."""
    camp = campaign_on(day)
    return (camp.intensity if camp else 1.0) * (0.75 if is_holiday(day) else 1.0)


@lru_cache(maxsize=1)
def _calendar_norm() -> float:
    """Mean calendar factor over May-October of the reference year (the default demo window),
    so that `messages_per_day` is the average daily volume there despite campaign spikes."""
    start = date(REF_DATE.year, 5, 1)
    days = [start + timedelta(days=k) for k in range(184)]
    return sum(_calendar_factor(d) for d in days) / len(days)


# ----------------------------------------------------------------------------------------------
# Category mixes for inbound messages
# ----------------------------------------------------------------------------------------------

# Category weights of inbound messages. A real public entity's inbox is mostly conversation:
# praise of a post, tags of friends, emoji, chatter; requests and complaints are a minority
# (about one message in ten), more in direct messages.
_BASE_MIX = {
    "peticion_info": 0.024, "peticion_consulta": 0.008, "peticion_general": 0.006,
    "queja": 0.008, "reclamo": 0.014, "sugerencia": 0.005, "denuncia": 0.003,
    "felicitacion": 0.012, "chatter": 0.27, "praise_post": 0.21, "tag": 0.14, "emoji": 0.09,
    "spam": 0.06, "political": 0.06, "sarcasm": 0.025,
}
_DM_MIX = {**_BASE_MIX, "peticion_info": 0.08, "peticion_consulta": 0.025, "peticion_general":
           0.03, "queja": 0.016, "reclamo": 0.036, "denuncia": 0.012, "felicitacion": 0.02,
           "sugerencia": 0.008, "tag": 0.0, "emoji": 0.04, "praise_post": 0.06, "chatter": 0.30,
           "political": 0.02, "spam": 0.15, "sarcasm": 0.02}
_NETWORK_BIAS: dict[str, dict[str, float]] = {
    "linkedin": {"spam": 0.3, "tag": 0.6, "emoji": 0.5, "political": 0.5, "praise_post": 1.5},
    "youtube": {"chatter": 1.4, "praise_post": 1.3, "tag": 0.2},
    "tiktok": {"emoji": 1.8, "tag": 1.6, "chatter": 1.4, "political": 0.6},
    "x": {"political": 2.2, "sarcasm": 1.8, "emoji": 0.5, "tag": 0.6},
}
_CAMPAIGN_BIAS: dict[str, dict[str, float]] = {
    "rendicion": {"peticion_info": 1.3, "sugerencia": 2.0, "political": 1.5},
    "subsidio": {"peticion_info": 1.8, "peticion_consulta": 1.5, "denuncia": 1.5},
    "titulacion": {"peticion_info": 1.5, "peticion_consulta": 1.8},
    "feria": {"peticion_info": 1.6, "felicitacion": 1.6, "praise_post": 1.3},
    "arriendo": {"peticion_info": 1.8, "reclamo": 1.3},
    "emergencia": {"reclamo": 2.2, "peticion_general": 2.5, "queja": 1.3},
}


@lru_cache(maxsize=256)
def _mix(network: str, dm: bool, campaign_kind: str | None) -> tuple[tuple[str, ...],
                                                                       list[float]]:
    base = _DM_MIX if dm else _BASE_MIX
    bias = _NETWORK_BIAS.get(network, {})
    cbias = _CAMPAIGN_BIAS.get(campaign_kind or "", {})
    cats = tuple(base)
    weights = [base[c] * bias.get(c, 1.0) * cbias.get(c, 1.0) for c in cats]
    return cats, list(accumulate(weights))


@lru_cache(maxsize=32)
def _answering(answer_rate: float) -> dict[str, tuple[float, str]]:
    """Per category: the chance the entity answers it and which kind of answer it writes."""
    out: dict[str, tuple[float, str]] = {}
    for cat in _BASE_MIX:
        if cat == "felicitacion":
            out[cat] = (answer_rate * 0.4, "thanks")
        elif cat in txt.PQRS_CATEGORIES:
            out[cat] = (answer_rate, "pqrs")
        elif cat in ("praise_post", "chatter", "tag"):
            out[cat] = (answer_rate * 0.08, "thanks" if cat == "praise_post" else "other")
        else:
            out[cat] = (0.0, "")
    return out


# ----------------------------------------------------------------------------------------------
# Shared caches: text pools and author identities (deterministic per seed / secret)
# ----------------------------------------------------------------------------------------------

_POOL_SIZE = 2000


@lru_cache(maxsize=64)
def _text_pool(seed: int, category: str) -> tuple[str, ...]:
    """Composed texts of one category; messages pick from it (fast, still varied)."""
    if category == "emoji":
        return txt.TEMPLATES["emoji"]
    rng = random.Random(f"{seed}:texts:{category}")
    return tuple(txt.compose(category, rng) for _ in range(_POOL_SIZE))


_AUTHORS: dict[tuple[bytes, str], dict[int, tuple[str, str, str | None]]] = {}


def _author(network: str, index: int, spam: bool) -> tuple[str, str, str | None]:
    """(author_id, handle, author_key) of citizen `index` of a network (negative = spam)."""
    key = -1 - index if spam else index
    secret = author_secret()
    cache = _AUTHORS.setdefault((secret, network), {})
    hit = cache.get(key)
    if hit is None:
        if spam:
            aid, handle = f"demo-spam-{index}", txt.spam_handle(index)
        else:
            aid, handle = f"demo-u-{index}", txt.author_handle(index)
        hit = (aid, handle, author_key(network, aid, secret))
        cache[key] = hit
    return hit


# ----------------------------------------------------------------------------------------------
# Helpers
# ----------------------------------------------------------------------------------------------


def _years(d: date, ref: date) -> float:
    return (d - ref).days / 365.25


def _poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _noisy(rng: random.Random, mu: float, rel: float = 0.12) -> int:
    return max(0, round(mu * max(0.2, rng.gauss(1.0, rel))))


def _day_start_utc(day: date) -> datetime:
    return datetime.combine(day, time(0), BOGOTA).astimezone(UTC)


def _tag(account: Account) -> str:
    return account.native_id or account.handle


@dataclass(frozen=True)
class _Post:
    post_id: str
    published_at: datetime
    age_origin: float  # seconds since the Bogotá midnight of its day
    day: date
    kind: str
    text: str
    permalink: str
    campaign: str | None
    lifetime: dict[str, int | None]


class _Trajectory:
    """Followers gained/lost per day from EPOCH, extended on demand (values never change)."""

    def __init__(self, seed: int, account_id: str, profile: Profile):
        self.rng = random.Random(f"{seed}:{account_id}:followers")
        self.p = profile
        self.followers: list[int] = []
        self.gained: list[int] = []
        self.lost: list[int] = []

    def upto(self, idx: int) -> None:
        p, rng = self.p, self.rng
        while len(self.followers) <= idx:
            i = len(self.followers)
            d = EPOCH + timedelta(days=i)
            t = i / 365.25
            camp = campaign_on(d)
            boost = 1.0 + 0.6 * (camp.intensity - 1.0) if camp else 1.0
            wk = WEEKDAY_STATS[d.weekday()]
            g_mu = p.gain0 * math.exp(p.gain_trend * t) * wk * boost
            l_mu = p.lost0 * math.exp(p.lost_trend * t)
            gained = _poisson(rng, g_mu)
            lost = _poisson(rng, l_mu)
            prev = self.followers[-1] if self.followers else p.followers0
            lost = min(lost, prev + gained)
            self.gained.append(gained)
            self.lost.append(lost)
            self.followers.append(prev + gained - lost)


# ----------------------------------------------------------------------------------------------
# The source
# ----------------------------------------------------------------------------------------------


class DemoSource:
    """Seeded generator of the demo entity's data; implements `pulso.sources.base.Source`."""

    def __init__(self, config: PulsoConfig, *, messages_per_day: int | None = None,
                 seed: int | None = None):
        self.config = config
        self.messages_per_day = (config.demo.messages_per_day if messages_per_day is None
                                 else messages_per_day)
        self.seed = config.demo.seed if seed is None else seed
        if self.messages_per_day < 0:
            raise ValueError("messages_per_day must be >= 0")
        self._traj: dict[str, _Trajectory] = {}
        self._posts: dict[tuple[str, date], tuple[_Post, ...]] = {}

    # -- public API -------------------------------------------------------------------------

    def fetch(self, account: Account, start: date, end: date) -> Iterator[SourceBatch]:
        """One batch per Bogotá day `start..end` with all five canonical tables."""
        if end < start:
            raise ValueError(f"{account.account_id}: end {end} is before start {start}")
        self._check_day(start)
        d = start
        while d <= end:
            batch = SourceBatch(account.account_id, d, d, SOURCE)
            posts = self.posts(account, d)
            batch.add("account", self.account_row(account))
            batch.add("account_daily", self.account_daily(account, d, len(posts)))
            batch.add("post", [self._post_row(account, p) for p in posts])
            batch.add("post_daily", self.post_daily(account, d))
            batch.add("message", self.messages(account, d))
            yield batch
            d += timedelta(days=1)

    def expected_messages(self, account: Account, day: date) -> float:
        """Expected inbound messages for one account-day (no other account involved)."""
        p = PROFILES[account.network]
        mu = (self.messages_per_day * p.message_share
              * math.exp(p.message_trend * _years(day, REF_DATE))
              * WEEKDAY_MESSAGES[day.weekday()] * _calendar_factor(day))
        return mu / _calendar_norm()

    # -- tables -----------------------------------------------------------------------------

    def account_row(self, account: Account) -> Row:
        return {"account_id": account.account_id, "network": account.network,
                "handle": account.handle, "display_name": account.display_name,
                "entity": self.config.entity.name, "source_kind": SOURCE,
                "day_timezone": DEFAULT_TIMEZONE}

    def followers(self, account: Account, day: date) -> tuple[int, int, int]:
        """(total at end of day, gained, lost) from the cached trajectory."""
        self._check_day(day)
        tr = self._traj.get(account.account_id)
        if tr is None:
            tr = self._traj[account.account_id] = _Trajectory(
                self.seed, account.account_id, PROFILES[account.network])
        i = (day - EPOCH).days
        tr.upto(i)
        return tr.followers[i], tr.gained[i], tr.lost[i]

    def account_daily(self, account: Account, day: date, posts_published: int) -> Row:
        net = account.network
        p = PROFILES[net]
        total, gained, lost = self.followers(account, day)
        if FOLLOWERS_DERIVED[net]:  # only totals are known: report the net change
            prev = self.followers(account, day - timedelta(days=1))[0] if day > EPOCH else (
                p.followers0)
            delta = total - prev
            gained, lost = max(delta, 0), max(-delta, 0)
        rng = random.Random(f"{self.seed}:{account.account_id}:stats:{day.isoformat()}")
        camp = campaign_on(day)
        lift = 1.0 + 0.25 * (camp.intensity - 1.0) if camp else 1.0
        t = _years(day, REF_DATE)
        wk = WEEKDAY_STATS[day.weekday()] * (0.85 if is_holiday(day) else 1.0)
        posting = 0.7 + 0.3 * min(posts_published, 4) / max(p.posts_weekday, 0.5)
        views = _noisy(rng, total * p.view_rate * math.exp(p.view_trend * t) * wk * lift
                       * posting, 0.15)
        values = {
            "reach": _noisy(rng, views * p.reach_ratio, 0.05),
            "views": views,
            "engagements": _noisy(rng, views * p.eng_rate * math.exp(p.eng_trend * t), 0.2),
            "profile_visits": _noisy(rng, views * 0.012, 0.25),
            "video_views": views if net in ("youtube", "tiktok") else _noisy(
                rng, views * (0.3 if net == "facebook" else 0.1), 0.2),
        }
        offered = ACCOUNT_METRICS[net]
        row: Row = {"account_id": account.account_id, "day": day, "followers": total,
                    "followers_gained": gained, "followers_lost": lost,
                    "followers_derived": FOLLOWERS_DERIVED[net],
                    "posts_published": posts_published, "source": SOURCE}
        for k, v in values.items():
            row[k] = v if k in offered else None
        return row

    def posts(self, account: Account, day: date) -> tuple[_Post, ...]:
        """Posts published on a Bogotá day (cached; deterministic)."""
        key = (account.account_id, day)
        hit = self._posts.get(key)
        if hit is not None:
            return hit
        net = account.network
        p = PROFILES[net]
        rng = random.Random(f"{self.seed}:{account.account_id}:posts:{day.isoformat()}")
        camp = campaign_on(day)
        weekend = day.weekday() >= 5 or is_holiday(day)
        t = _years(day, REF_DATE)
        lam = (p.posts_weekend if weekend else p.posts_weekday) * math.exp(p.posts_trend * t)
        lam *= 1.35 if camp else 1.0
        n = _poisson(rng, lam)
        followers = self.followers(account, day)[0] if day >= EPOCH else p.followers0
        seconds = sorted(
            (bisect.bisect_right(_POST_HOURS_CUM, rng.random() * _POST_HOURS_CUM[-1]) * 3600.0
             + rng.randrange(3600)) for _ in range(n))
        start = _day_start_utc(day)
        hours = HOUR_FACTOR_WEEKEND if weekend else HOUR_FACTOR_WEEKDAY
        kinds = [k for k, _ in p.post_kinds]
        kcum = list(accumulate(w for _, w in p.post_kinds))
        out = []
        for i, s in enumerate(seconds):
            kind = kinds[bisect.bisect_right(kcum, rng.random() * kcum[-1])]
            in_campaign = camp is not None and rng.random() < 0.65
            text = self._post_text(rng, camp if in_campaign else None)
            perf = (hours[int(s // 3600)] * math.exp(rng.gauss(0, 0.35))
                    * (1.3 if kind in ("video", "reel", "short") else 1.0)
                    * (1.0 + 0.3 * (camp.intensity - 1.0) if in_campaign and camp else 1.0)
                    * (0.85 if weekend else 1.0))
            post_id = f"{net}:demo-p-{_tag(account)}-{day:%Y%m%d}-{i:02d}"
            out.append(_Post(
                post_id=post_id, published_at=start + timedelta(seconds=s), age_origin=s,
                day=day, kind=kind, text=text,
                permalink=self._post_permalink(account, day, i),
                campaign=camp.name if in_campaign and camp else None,
                lifetime=self._lifetime(rng, net, kind, followers * p.post_view_rate
                                        * math.exp(p.view_trend * t) * perf)))
        result = tuple(out)
        self._posts[key] = result
        return result

    def post_daily(self, account: Account, day: date) -> list[Row]:
        """Lifetime snapshots at the end of `day` of posts published in the last 14 days."""
        tau = PROFILES[account.network].decay_days * _DAY
        rows = []
        for back in range(13, -1, -1):
            pd = day - timedelta(days=back)
            if pd < EPOCH:
                continue
            for post in self.posts(account, pd):
                age = back * _DAY + _DAY - post.age_origin
                frac = 1.0 - math.exp(-age / tau)
                row: Row = {"post_id": post.post_id, "day": day, "source": SOURCE}
                for k, v in post.lifetime.items():
                    row[k] = None if v is None else round(v * frac)
                rows.append(row)
        return rows

    # -- messages ---------------------------------------------------------------------------

    def messages(self, account: Account, day: date, *, cap: int | None = None) -> list[Row]:
        """Inbound messages of one account-day, each followed by the entity's answer if any.

        `cap` (streaming benchmarks) fixes the exact number of rows, answers included.
        """
        net = account.network
        p = PROFILES[net]
        acc_id = account.account_id
        rng = random.Random(f"{self.seed}:{acc_id}:messages:{day.isoformat()}")
        rand = rng.random
        if cap is None:
            n_in = _noisy(rng, self.expected_messages(account, day), 0.15)
        else:
            n_in = min(cap, max(1, round(cap / 1.25)))
        if n_in == 0:
            return []
        # Posts a comment can belong to: the last 14 days', sorted by publication.
        recent: list[_Post] = []
        for back in range(13, -1, -1):
            pd = day - timedelta(days=back)
            if pd >= EPOCH:
                recent.extend(self.posts(account, pd))
        day_start = _day_start_utc(day)
        # a post's time as seconds from this day's Bogotá midnight
        recent_s = [(post.published_at - day_start).total_seconds() for post in recent]
        camp = campaign_on(day)
        ck = camp.kind if camp else None
        mix_pub = _mix(net, False, ck)
        mix_dm = _mix(net, True, ck)
        kinds = [k for k, _ in MESSAGE_KINDS[net]]
        kcum = list(accumulate(w for _, w in MESSAGE_KINDS[net]))
        kmax = kcum[-1]
        seed = self.seed
        tag = _tag(account)
        prefix = f"{net}:demo-m-{tag}-{day:%Y%m%d}-"
        num_prefix = f"{day.toordinal()}"
        own_handle = account.handle
        own_h = own_handle
        own_key = author_key(net, account.native_id or account.handle)
        wd = day.weekday()
        pool_size = p.author_pool
        hcum, hmax = _MSG_HOURS_CUM, _MSG_HOURS_CUM[-1]
        bisect_right = bisect.bisect_right
        td = timedelta
        median = math.log(p.reply_median_hours)
        times = sorted(bisect_right(hcum, rand() * hmax) * 3600.0 + rand() * 3600.0
                       for _ in range(n_in))
        authors = _AUTHORS.setdefault((author_secret(), net), {})
        pools: dict[str, tuple[str, ...]] = {}
        answering = _answering(p.answer_rate)
        rows: list[Row] = []
        comments: list[tuple[str, _Post | None]] = []
        limit = cap if cap is not None else 1 << 62
        i = 0

        def emit(s: float, kind: str, author: tuple[str, str, str | None],
                 text: str, post: _Post | None, parent: str | None) -> Row:
            nonlocal i
            mid = f"{prefix}{i:04d}"
            num = f"{num_prefix}{i:05d}"
            i += 1
            handle = author[1]
            if kind == "dm":
                link = None
            elif post is not None:
                link = _comment_link(net, post.permalink, num, handle)
            else:
                link = f"https://x.com/{handle}/status/{num}" if net == "x" else None
            row = {"message_id": mid, "account_id": acc_id, "network": net, "kind": kind,
                   "created_at": day_start + td(seconds=s), "author_key": author[2],
                   "author_handle": handle, "is_own": False, "text": text,
                   "post_id": post.post_id if post is not None else None,
                   "parent_id": parent, "permalink": link, "responded_at": None,
                   "anonymised_at": None, "source": SOURCE}
            rows.append(row)
            return row

        for n, s in enumerate(times):
            if len(rows) >= limit:
                break
            remaining = n_in - n - 1
            kind = kinds[bisect_right(kcum, rand() * kmax)]
            cats, cum = mix_dm if kind == "dm" else mix_pub
            cat = cats[bisect_right(cum, rand() * cum[-1])]
            spam = cat == "spam"
            idx = int(pool_size * rand() ** 1.8) if not spam else int(rand() * 400)
            author = authors.get(-1 - idx if spam else idx) or _author(net, idx, spam)
            pool = pools.get(cat) or pools.setdefault(cat, _text_pool(seed, cat))
            text = pool[int(rand() * len(pool))]
            post = None
            parent = None
            if kind in ("comment", "reply"):
                k = bisect_right(recent_s, s)
                if k:
                    post = recent[k - 1 - int(k * rand() ** 3)]
                if kind == "reply":
                    if comments:  # answers one of today's comments, recent ones more often
                        parent, post = comments[min(len(comments) - 1,
                                                    int(len(comments) * (1 - rand() ** 2)))]
                    else:
                        kind = "comment"
            elif kind == "mention":
                text = f"@{own_handle} {text}"
            row = emit(s, kind, author, text, post, parent)
            if kind == "comment":
                comments.append((row["message_id"], post))
            # the entity's answer
            rate, group = answering[cat]
            if rate and len(rows) + 1 + remaining <= limit and rand() < rate:
                r = _reply_time(s, wd, rng, median)
                reply_text = rng.choice(txt.OWN_REPLIES[group]).format(h=author[1])
                row["responded_at"] = day_start + td(seconds=r)
                rows.append({
                    "message_id": f"{row['message_id']}-r", "account_id": acc_id,
                    "network": net, "kind": "reply", "created_at": row["responded_at"],
                    "author_key": own_key, "author_handle": own_h, "is_own": True,
                    "text": reply_text, "post_id": row["post_id"],
                    "parent_id": row["message_id"],
                    "permalink": None if kind == "dm" else row["permalink"],
                    "responded_at": None, "anonymised_at": None, "source": SOURCE})
            # the same person pasting the same complaint twice
            if cat in ("queja", "reclamo", "denuncia") and rand() < 0.06 \
                    and len(rows) + 1 + remaining <= limit:
                emit(min(s + 60 + rand() * 900, _DAY - 1), kind, author, text, post, parent)
        # cap mode: fill up with unanswered messages at random times of the day
        while len(rows) < limit and cap is not None:
            s = bisect_right(hcum, rand() * hmax) * 3600.0 + rand() * 3600.0
            cats, cum = mix_pub
            cat = cats[bisect_right(cum, rand() * cum[-1])]
            author = _author(net, int(pool_size * rand() ** 1.8), False)
            pool = _text_pool(seed, cat) if cat != "spam" else _text_pool(seed, "chatter")
            k = bisect_right(recent_s, s)
            emit(s, "comment", author, pool[int(rand() * len(pool))],
                 recent[k - 1] if k else None, None)
        return rows

    # -- internals --------------------------------------------------------------------------

    def _check_day(self, day: date) -> None:
        if day < EPOCH:
            raise ValueError(f"demo data starts on {EPOCH.isoformat()}; got {day.isoformat()}")

    def _post_row(self, account: Account, post: _Post) -> Row:
        return {"post_id": post.post_id, "account_id": account.account_id,
                "published_at": post.published_at, "kind": post.kind, "text": post.text,
                "permalink": post.permalink, "campaign": post.campaign, "source": SOURCE}

    def _post_text(self, rng: random.Random, camp: Campaign | None) -> str:
        loc = rng.choice(txt.LOCALITIES)
        if camp is None:
            return rng.choice(txt.GENERIC_POSTS).format(l=loc)
        tpl = rng.choice(txt.CAMPAIGN_POSTS[camp.kind])
        text = tpl.format(n=camp.name, l=loc, t=camp.hashtag, e=f"{camp.end:%d/%m/%Y}")
        return text if "#" in text else f"{text} #{camp.hashtag}"

    def _post_permalink(self, account: Account, day: date, i: int) -> str:
        num = f"{day.toordinal()}{i:03d}"
        tag = _tag(account)
        return {
            "facebook": f"https://www.facebook.com/{tag}/posts/{num}",
            "instagram": f"https://www.instagram.com/p/CVC{num}/",
            "x": f"https://x.com/{account.handle}/status/{num}",
            "youtube": f"https://www.youtube.com/watch?v=cvc{num}",
            "tiktok": f"https://www.tiktok.com/@{account.handle}/video/{num}",
            "linkedin": f"https://www.linkedin.com/feed/update/urn:li:activity:{num}",
        }[account.network]

    def _lifetime(self, rng: random.Random, net: str, kind: str, views: float
                  ) -> dict[str, int | None]:
        p = PROFILES[net]
        views = max(views, 5.0)
        eng = p.eng_rate * math.exp(rng.gauss(0, 0.3))  # interactions per view of a post
        values: dict[str, float] = {
            "views": views,
            "reach": views * p.reach_ratio * rng.uniform(0.9, 1.0),
            "reactions": views * eng * 0.75,
            "comments": views * eng * 0.08,
            "shares": views * eng * (0.12 if net in ("facebook", "x", "tiktok") else 0.05),
            "saves": views * eng * 0.06,
            "clicks": views * eng * 0.3,
            "video_views": views if net in ("youtube", "tiktok") else views * 0.6,
        }
        offered = POST_METRICS[net]
        out: dict[str, int | None] = {}
        for k in ("reach", "views", "reactions", "comments", "shares", "saves", "clicks",
                  "video_views"):
            applicable = k in offered and not (
                k == "video_views" and net == "facebook" and kind != "video")
            out[k] = round(values[k]) if applicable else None
        return out


def _comment_link(net: str, permalink: str, num: str, handle: str) -> str:
    if net == "facebook":
        return f"{permalink}?comment_id={num}"
    if net == "instagram":
        return f"{permalink}c/{num}/"
    if net == "x":
        return f"https://x.com/{handle}/status/{num}"
    if net == "youtube":
        return f"{permalink}&lc={num}"
    if net == "linkedin":
        return f"{permalink}?commentUrn=urn:li:comment:{num}"
    return permalink


def _reply_time(s: float, weekday: int, rng: random.Random, log_median: float) -> float:
    """When the entity answers a message written `s` seconds after a Bogotá midnight.

    Community managers work 7-19 h; what arrives later waits for the next morning, and most
    weekend messages wait for Monday.
    """
    r = s + 300 + rng.lognormvariate(log_median, 1.1) * 3600.0
    day_off = int(r // _DAY)
    hour = (r % _DAY) / 3600.0
    wd = (weekday + day_off) % 7
    if hour < 7 or hour >= 19:
        day_off += 1 if hour >= 19 else 0
        wd = (weekday + day_off) % 7
        r = day_off * _DAY + 7.5 * 3600 + rng.random() * 3 * 3600
    if wd >= 5 and rng.random() < 0.6:
        r = (day_off + 7 - wd) * _DAY + 8 * 3600 + rng.random() * 4 * 3600
    return r


# ----------------------------------------------------------------------------------------------
# Streaming for benchmarks
# ----------------------------------------------------------------------------------------------


def _allocate(weights: list[float], total: int) -> list[int]:
    """Split `total` proportionally to `weights` exactly (largest remainder)."""
    w = sum(weights)
    if w <= 0:
        weights, w = [1.0] * len(weights), float(len(weights))
    quotas = [total * x / w for x in weights]
    counts = [int(q) for q in quotas]
    short = total - sum(counts)
    order = sorted(range(len(quotas)), key=lambda j: (counts[j] - quotas[j], j))
    for j in order[:short]:
        counts[j] += 1
    return counts


def iter_message_chunks(config: PulsoConfig, start: date, end: date, total: int, *,
                        chunk_size: int = 50_000, seed: int | None = None
                        ) -> Iterator[list[dict]]:
    """Stream exactly `total` `message` rows over `start..end` and all accounts, in chunks.

    Volume per account-day follows the same shares, trends and seasonality as `DemoSource`;
    only one account-day plus one chunk is held in memory at a time.
    """
    if total < 0:
        raise ValueError("total must be >= 0")
    if chunk_size < 1:
        raise ValueError("chunk_size must be >= 1")
    if end < start:
        raise ValueError(f"end {end} is before start {start}")
    src = DemoSource(config, seed=seed, messages_per_day=100)
    days = [start + timedelta(days=k) for k in range((end - start).days + 1)]
    cells = [(d, a) for d in days for a in config.accounts]
    counts = _allocate([src.expected_messages(a, d) for d, a in cells], total)
    buf: list[dict] = []
    for (d, a), n in zip(cells, counts, strict=True):
        if not n:
            continue
        buf.extend(src.messages(a, d, cap=n))
        if len(src._posts) > 2000:  # posts are cheap to regenerate; keep memory flat
            src._posts.clear()
        while len(buf) >= chunk_size:
            yield buf[:chunk_size]
            buf = buf[chunk_size:]
    if buf:
        yield buf
