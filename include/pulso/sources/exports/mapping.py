"""Parse one export file into canonical rows (account_daily, post, post_daily) plus row rejects.

Rules that shape the rows:
- A row only carries the columns its file provides (a page-metric file gives one metric); the
  loader merges it into the stored row, so other metrics for that day are kept.
- Post exports hold lifetime totals at export time: they become the post_daily snapshot for
  the *snapshot day* (last date in the file name, e.g. a period end, else the file's date).
- The account comes from a Page/Account ID column when there is one, else from the inbox folder
  name or `--account` (an account_id, handle or native id from pulso.yaml).
- Post ids are namespaced by network ("facebook:123_456"), like account ids.
- Naive export times are the analyst's local time (`local_tz`, the entity's zone).
- Each row keeps `_row`, its 1-based line in the file, so rejects point at it.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pulso.core.config import DEFAULT_TIMEZONE, PulsoConfig
from pulso.sources.exports.audience import audience_sections, read_audience
from pulso.sources.exports.kinds import (
    EXPORT_KINDS,
    KINDS,
    KINDS_BY_NAME,
    YOUTUBE_DIMENSIONS,
    HeaderMatch,
    detect,
    header_signature,
    norm_header,
)
from pulso.sources.exports.reading import Grid, UnreadableFile, WrappedLines, read_grids
from pulso.sources.exports.values import (
    BadValue,
    NoYear,
    assign_years,
    infer_day_first,
    is_null,
    parse_count,
    parse_date,
    parse_datetime,
    parse_number,
)
from pulso.warehouse.validate import ColumnRows, Reject

Row = dict[str, Any]


class ExportRejected(ValueError):
    """The whole file cannot be loaded; the message names the file and the reason."""

    def __init__(self, message: str, *, kind: str | None = None,
                 header_signature: str | None = None, missing: list[str] | None = None):
        super().__init__(message)
        self.kind = kind
        self.header_signature = header_signature
        self.missing = missing or []


@dataclass
class ParsedExport:
    name: str
    kind: str
    source: str
    header_signature: str
    tables: dict[str, list[Row] | ColumnRows] = field(default_factory=dict)
    rejects: list[Reject] = field(default_factory=list)
    account_ids: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    language: str = "en"
    unused_columns: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # seconds: read, map

    def add(self, table: str, row: Row) -> None:
        self.tables.setdefault(table, []).append(row)

    @property
    def period(self) -> tuple[date | None, date | None]:
        days: list[date] = []
        for t in ("account_daily", "post_daily"):
            rows = self.tables.get(t, ())
            cols = rows.columns if isinstance(rows, ColumnRows) else None
            values = cols.get("day", ()) if cols is not None else (r.get("day") for r in rows)
            days.extend(d for d in dict.fromkeys(values) if isinstance(d, date))
        return (min(days), max(days)) if days else (None, None)

    @property
    def row_count(self) -> int:
        return sum(len(v) for v in self.tables.values())


# --- which account ------------------------------------------------------------------------------

class AccountResolver:
    """Account ids from a hint (folder name / --account) or a native id column."""

    def __init__(self, config: PulsoConfig | None, hint: str | None, name: str):
        self.config = config
        self.hint = hint.strip().lstrip("@") if hint else None
        self.name = name
        self._resolved: dict[tuple[str | None, str], str] = {}  # from_hint, once per file
        self.native_cache: dict[tuple[str, str], str] = {}  # (network, native id) -> account

    def hint_network(self) -> str | None:
        if not self.hint:
            return None
        if self.config is not None:
            for a in self.config.accounts:
                if self.hint in (a.account_id,) or self.hint.lower() in (
                        a.handle.lower(), (a.native_id or "").lower()):
                    return a.network
        return self.hint.split(":", 1)[0] if ":" in self.hint else None

    def from_native(self, network: str, native: object) -> str:
        return f"{network}:{_id_text(native)}"

    def from_hint(self, network: str | None, label: str) -> str:
        """The hinted account (same answer for every row of a file, so resolved once)."""
        done = self._resolved.get((network, label))
        if done is None:
            done = self._resolved[(network, label)] = self._from_hint(network, label)
        return done

    def _from_hint(self, network: str | None, label: str) -> str:
        if not self.hint:
            raise ExportRejected(
                f"{self.name}: cannot tell which account this {label} export belongs to: put it "
                "in the inbox folder named after the account (e.g. inbox/facebook:123/) or pass "
                "--account")
        candidates = []
        if self.config is not None:
            for a in self.config.accounts:
                if network and a.network != network:
                    continue
                if self.hint == a.account_id or self.hint.lower() in (
                        a.handle.lower(), (a.native_id or "").lower()):
                    candidates.append(a.account_id)
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            raise ExportRejected(f"{self.name}: account {self.hint!r} is ambiguous "
                                 f"({', '.join(candidates)}); use the full account id")
        if ":" in self.hint:
            net = self.hint.split(":", 1)[0]
            if network and net != network:
                raise ExportRejected(f"{self.name}: this is a {label} export ({network}) but the "
                                     f"account given is {self.hint!r} ({net})")
            return self.hint
        return f"{network or 'facebook'}:{self.hint}"


_SCI_ID = re.compile(r"\d+(\.\d+)?[eE]\+\d+")


def _id_text(v: object) -> str:
    if type(v) is str and v.isdigit():  # the common case, kept cheap for large exports
        return v
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    s = str(v).strip().lstrip("'")
    if ("e" in s or "E" in s) and _SCI_ID.fullmatch(s):
        raise BadValue(f"id {s!r} was mangled by a spreadsheet (scientific notation)")
    return s


# --- parsing context ----------------------------------------------------------------------------

class _RowError(Exception):
    def __init__(self, header: str, reason: str):
        self.header = header
        self.reason = reason


class _NoYearRow(Exception):
    """A day-month cell: the caller resolves it from the file's year (see assign_years)."""

    def __init__(self, exc: NoYear):
        self.exc = exc


@dataclass
class _Ctx:
    parsed: ParsedExport
    grid: Grid
    match: HeaderMatch
    header: list[object]
    resolver: AccountResolver
    snapshot_day: date
    local_tz: str
    day_first: bool = True
    metric_column: str = ""
    day_firsts: dict[str, bool] = field(default_factory=dict)
    line: int = 0  # the row being mapped (to look up resolved day-month dates)
    yearless: dict[str, dict[int, date]] = field(default_factory=dict)
    seen: set[str] | None = None  # fields the mapper read (first rows only; None = stop)
    period_start: date | None = None

    def _track(self, f: str) -> None:
        if self.seen is not None:
            self.seen.add(f)

    def _no_year(self, f: str, exc: NoYear) -> date:
        d = self.yearless.get(f, {}).get(self.line)
        if d is None:
            raise _RowError(self.header_of(f), f"{exc} (the file gives no year: pass --year)")
        return d

    def has(self, f: str) -> bool:
        return f in self.match.columns

    def header_of(self, f: str) -> str:
        i = self.match.columns.get(f)
        return str(self.header[i]) if i is not None and i < len(self.header) else f

    def cell(self, cells: list[object], f: str) -> object:
        if self.seen is not None:
            self.seen.add(f)
        i = self.match.columns.get(f)
        if i is None or i >= len(cells):
            return None
        return cells[i]

    def conv(self, cells: list[object], f: str, fn: Callable[[object], Any]) -> Any:
        try:
            return fn(self.cell(cells, f))
        except NoYear as exc:
            raise _NoYearRow(exc) from None
        except (BadValue, ValueError, OverflowError) as exc:
            raise _RowError(self.header_of(f), str(exc)) from None

    def count(self, cells: list[object], f: str) -> int | None:
        if self.seen is not None:
            self.seen.add(f)
        i = self.match.columns.get(f)
        v = cells[i] if i is not None and i < len(cells) else None
        if type(v) is str and v.isdigit() and v.isascii():  # most cells: skip the full parser
            return int(v)
        try:
            return parse_count(v)
        except (BadValue, ValueError, OverflowError) as exc:
            raise _RowError(self.header_of(f), str(exc)) from None

    def day(self, cells: list[object], f: str = "date") -> date:
        try:
            df = self.day_firsts.get(f, self.day_first)
            d = self.conv(cells, f, lambda v: parse_date(v, day_first=df))
        except _NoYearRow as e:
            d = self._no_year(f, e.exc)
        if d is None:
            raise _RowError(self.header_of(f), "date is empty")
        return d

    def when(self, cells: list[object], f: str, *, optional: bool = False) -> datetime | None:
        """A timestamp; `optional` lets an empty cell through (unlisted YouTube videos)."""
        try:
            df = self.day_firsts.get(f, self.day_first)
            dt = self.conv(cells, f, lambda v: parse_datetime(v, day_first=df,
                                                             tz=self.local_tz))
        except _NoYearRow as e:
            d = self._no_year(f, e.exc)
            naive = datetime.combine(d, e.exc.clock)
            dt = naive.replace(tzinfo=ZoneInfo(self.local_tz)).astimezone(ZoneInfo("UTC"))
        if dt is None and not optional:
            raise _RowError(self.header_of(f), "date-time is empty")
        return dt

    def text(self, cells: list[object], f: str) -> str | None:
        v = self.cell(cells, f)
        if type(v) is str:
            return v if v and not v.isspace() else None
        if v is None:
            return None
        return _id_text(v) if isinstance(v, float) else str(v)

    def native_id(self, cells: list[object], f: str) -> str:
        v = self.cell(cells, f)
        if type(v) is str and v.isdigit():  # common case: not null, nothing to clean
            return v
        if is_null(v):
            raise _RowError(self.header_of(f), "id is empty")
        return self.conv(cells, f, _id_text)

    def sum_of(self, cells: list[object], fields: tuple[str, ...]) -> int | None:
        vals = [self.count(cells, f) for f in fields if self.has(f)]
        vals = [v for v in vals if v is not None]
        return sum(vals) if vals else None

    def put(self, row: Row, col: str, cells: list[object], f: str) -> None:
        """Set `col` from field `f` only when the file has that column (partial rows)."""
        if f in self.match.columns:
            row[col] = self.count(cells, f)

    def put_all(self, row: Row, pairs: tuple[tuple[str, str], ...], cells: list[object]) -> None:
        """`put` for several (column, field) pairs; plain digit cells skip the parser call."""
        cols = self.match.columns
        n = len(cells)
        seen = self.seen
        for col, f in pairs:
            if seen is not None:
                seen.add(f)
            i = cols.get(f)
            if i is None:
                continue
            v = cells[i] if i < n else None
            if type(v) is str and v.isdigit() and v.isascii():
                row[col] = int(v)
            else:
                row[col] = self.count(cells, f)


# --- per-kind row mappers -----------------------------------------------------------------------

def _posts_common(ctx: _Ctx, cells: list[object], line: int, network: str,
                  account_field: str | None, id_field: str = "post_id") -> tuple[Row, Row]:
    native = ctx.native_id(cells, id_field)
    acc = ctx.cell(cells, account_field) if account_field else None
    if type(acc) is str and acc.isdigit():  # the usual page/account id: resolved once per file
        cache = ctx.resolver.native_cache
        account_id = cache.get((network, acc))
        if account_id is None:
            account_id = cache[(network, acc)] = ctx.resolver.from_native(network, acc)
    elif account_field and ctx.has(account_field) and not is_null(acc):
        account_id = ctx.resolver.from_native(network, ctx.native_id(cells, account_field))
    else:
        account_id = ctx.resolver.from_hint(network, ctx.match.kind.label)
    post_id = f"{network}:{native}"
    src = ctx.parsed.source
    post: Row = {"post_id": post_id, "account_id": account_id, "source": src, "_row": line}
    if ctx.has("publish_time"):
        post["published_at"] = ctx.when(cells, "publish_time")
    for col, f in (("kind", "post_type"), ("permalink", "permalink")):
        if ctx.has(f):
            post[col] = ctx.text(cells, f)
    if ctx.has("description") or ctx.has("title"):
        post["text"] = ctx.text(cells, "description") or ctx.text(cells, "title")
    daily: Row = {"post_id": post_id, "day": ctx.snapshot_day, "source": src, "_row": line}
    return post, daily


_META_COUNTS = tuple((c, c) for c in ("reach", "views", "reactions", "comments", "shares",
                                      "clicks", "video_views"))


def _minutes(ctx: _Ctx, cells: list[object], f: str, per_minute: float) -> int | None:
    """Watch time in minutes from a seconds/minutes/hours column (None when absent/empty)."""
    if not ctx.has(f):
        return None
    x = ctx.conv(cells, f, parse_number)
    return None if x is None else int(round(x / per_minute))


def _facebook_videos(ctx: _Ctx, cells: list[object], line: int) -> list[tuple[str, Row]]:
    id_field = "post_id" if ctx.has("post_id") and not is_null(ctx.cell(cells, "post_id")) \
        else "video_id"
    post, daily = _posts_common(ctx, cells, line, "facebook", "page_id", id_field=id_field)
    post.setdefault("kind", "video")
    ctx.put_all(daily, (("video_views", "video_views"), ("views", "views"), ("reach", "reach"),
                        ("reactions", "reactions"), ("comments", "comments"),
                        ("shares", "shares")), cells)
    if ctx.has("minutes_viewed"):
        daily["watch_minutes"] = _minutes(ctx, cells, "minutes_viewed", 1)
    elif ctx.has("seconds_viewed"):
        daily["watch_minutes"] = _minutes(ctx, cells, "seconds_viewed", 60)
    return [("post", post), ("post_daily", daily)]


def _x_content(ctx: _Ctx, cells: list[object], line: int) -> list[tuple[str, Row]]:
    native = ctx.native_id(cells, "post_id")
    post_id = f"x:{native}"
    src = ctx.parsed.source
    post: Row = {"post_id": post_id, "account_id": ctx.resolver.from_hint("x", "X content"),
                 "published_at": ctx.when(cells, "date"), "source": src, "_row": line}
    if ctx.has("text"):
        post["text"] = ctx.text(cells, "text")
    if ctx.has("permalink"):
        post["permalink"] = ctx.text(cells, "permalink")
    daily: Row = {"post_id": post_id, "day": ctx.snapshot_day, "source": src, "_row": line}
    ctx.put_all(daily, (("views", "impressions"), ("reactions", "likes"), ("comments", "replies"),
                   ("shares", "reposts"), ("saves", "bookmarks"), ("clicks", "clicks"),
                   ("video_views", "video_views")), cells)
    return [("post", post), ("post_daily", daily)]


def _youtube_table(ctx: _Ctx, cells: list[object], line: int) -> list[tuple[str, Row]]:
    native = ctx.native_id(cells, "content")
    if native.strip().lower() in ("total", "totales", "total general"):
        return []  # the summary row YouTube Studio puts first
    post_id = f"youtube:{native}"
    src = ctx.parsed.source
    post: Row = {"post_id": post_id, "account_id": ctx.resolver.from_hint("youtube", "YouTube"),
                 "kind": "video", "permalink": f"https://www.youtube.com/watch?v={native}",
                 "source": src, "_row": line}
    if ctx.has("publish_time"):
        # unlisted/private videos come without a publish time: loaded without it
        published = ctx.when(cells, "publish_time", optional=True)
        if published is not None:
            post["published_at"] = published
    if ctx.has("title"):
        post["text"] = ctx.text(cells, "title")
    daily: Row = {"post_id": post_id, "day": ctx.snapshot_day, "source": src, "_row": line}
    ctx.put_all(daily, (("views", "views"), ("reactions", "likes"), ("comments", "comments"),
                   ("shares", "shares")), cells)
    if ctx.has("watch_hours"):
        daily["watch_minutes"] = _minutes(ctx, cells, "watch_hours", 1 / 60)
    return [("post", post), ("post_daily", daily)]


def _daily_row(ctx: _Ctx, cells: list[object], line: int, network: str | None,
               label: str) -> Row:
    return {"account_id": ctx.resolver.from_hint(network, label), "day": ctx.day(cells),
            "source": ctx.parsed.source, "_row": line}


def _youtube_totals(ctx: _Ctx, cells: list[object], line: int) -> list[tuple[str, Row]]:
    row = _daily_row(ctx, cells, line, "youtube", "YouTube")
    ctx.put(row, "views", cells, "views")
    ctx.put(row, "followers_gained", cells, "subs_gained")
    ctx.put(row, "followers_lost", cells, "subs_lost")
    ctx.put(row, "followers_net", cells, "subscribers")  # Totals "Subscribers": net of the day
    if ctx.has("subs_gained") or ctx.has("subs_lost"):
        row["followers_derived"] = False
    if ctx.has("watch_hours"):
        row["watch_minutes"] = _minutes(ctx, cells, "watch_hours", 1 / 60)
    parts = ("likes", "comments", "shares")
    if any(ctx.has(p) for p in parts):
        row["engagements"] = ctx.sum_of(cells, parts)
    row["_signed"] = True  # net subscribers go negative on a bad day
    return [("account_daily", row)]


def _breakdown(ctx: _Ctx, account_id: str, day: date, dimension: str, value: str,
               metric: str, line: int, *, share: float | None = None,
               count: int | None = None, period_start: date | None = None) -> Row:
    return {"account_id": account_id, "day": day, "dimension": dimension,
            "value": value[:300], "metric": metric, "share": share, "count": count,
            "period_start": period_start, "source": ctx.parsed.source, "_row": line}


def _share(ctx: _Ctx, cells: list[object], f: str) -> float | None:
    """'10.6' or '10,6 %' in a percentage column -> 0.106."""
    v = ctx.cell(cells, f)
    if is_null(v):
        return None
    x = ctx.conv(cells, f, parse_number)
    if isinstance(v, str) and v.strip().endswith("%"):
        return float(x)
    return float(x) / 100.0


def _youtube_audience(ctx: _Ctx, cells: list[object], line: int) -> list[tuple[str, Row]]:
    value = ctx.text(cells, "dimension")
    if value is None or _fold_word(value) in ("total", "totales", "total general"):
        return []
    dimension = YOUTUBE_DIMENSIONS.get(norm_header(ctx.header_of("dimension")), "dimension")
    account = ctx.resolver.from_hint("youtube", "YouTube")
    day, start = ctx.snapshot_day, ctx.period_start
    out: list[tuple[str, Row]] = []
    for metric, f in (("views", "views"), ("subscribers", "subscribers")):
        if ctx.has(f) and "%" in ctx.header_of(f):  # "Views (%)" normalises like "Views"
            sh = _share(ctx, cells, f)
            if sh is not None:
                out.append(("audience_breakdown", _breakdown(
                    ctx, account, day, dimension, value, metric, line, share=sh,
                    period_start=start)))
        elif ctx.has(f):
            n = ctx.count(cells, f)
            if n is not None:
                out.append(("audience_breakdown", _breakdown(
                    ctx, account, day, dimension, value, metric, line, count=n,
                    period_start=start)))
    if ctx.has("watch_hours") and "%" not in ctx.header_of("watch_hours"):
        m = _minutes(ctx, cells, "watch_hours", 1 / 60)
        if m is not None:
            out.append(("audience_breakdown", _breakdown(
                ctx, account, day, dimension, value, "watch_minutes", line, count=m,
                period_start=start)))
    for metric, f in (("views", "views_share"), ("watch_minutes", "watch_share")):
        if ctx.has(f):
            sh = _share(ctx, cells, f)
            if sh is not None:
                row = next((r for t, r in out if r["metric"] == metric), None)
                if row is None:
                    out.append(("audience_breakdown", _breakdown(
                        ctx, account, day, dimension, value, metric, line, share=sh,
                        period_start=start)))
                else:
                    row["share"] = sh
    return out


def _fold_word(s: str) -> str:
    return norm_header(s)


def _x_overview(ctx: _Ctx, cells: list[object], line: int) -> list[tuple[str, Row]]:
    row = _daily_row(ctx, cells, line, "x", "X account overview")
    ctx.put_all(row, (("views", "impressions"), ("engagements", "engagements"),
                   ("profile_visits", "profile_visits"), ("video_views", "video_views"),
                   ("followers_gained", "new_follows"), ("followers_lost", "unfollows"),
                   ("posts_published", "published")), cells)
    if ctx.has("new_follows") or ctx.has("unfollows"):
        row["followers_derived"] = False
    return [("account_daily", row)]


def _tiktok(ctx: _Ctx, cells: list[object], line: int) -> list[tuple[str, Row]]:
    row = _daily_row(ctx, cells, line, "tiktok", "TikTok Studio")
    ctx.put_all(row, (("video_views", "video_views"), ("profile_visits", "profile_views"),
                   ("followers", "followers"), ("followers_gained", "new_followers"),
                   ("followers_lost", "lost_followers"), ("followers_net", "net_growth"),
                   ("reach", "reach")), cells)
    if ctx.has("new_followers") or ctx.has("lost_followers"):
        row["followers_derived"] = False
    parts = ("likes", "comments", "shares")
    if any(ctx.has(p) for p in parts):
        row["engagements"] = ctx.sum_of(cells, parts)
    row["_signed"] = True  # TikTok writes corrections as negative daily values
    return [("account_daily", row)]


_TIKTOK_VIDEO = re.compile(r"/video/(\d+)")


def _tiktok_content(ctx: _Ctx, cells: list[object], line: int) -> list[tuple[str, Row]]:
    link = ctx.text(cells, "link")
    m = _TIKTOK_VIDEO.search(link or "")
    if not m:
        raise _RowError(ctx.header_of("link"), f"no TikTok video id in the link {link!r}")
    if ctx.has("export_time"):
        ctx.cell(cells, "export_time")  # the export's own day: the snapshot day covers it
    post_id = f"tiktok:{m.group(1)}"
    src = ctx.parsed.source
    post: Row = {"post_id": post_id, "account_id": ctx.resolver.from_hint("tiktok", "TikTok"),
                 "kind": "video", "permalink": link,
                 "published_at": ctx.when(cells, "post_time", optional=True),
                 "source": src, "_row": line}
    if ctx.has("title"):
        post["text"] = ctx.text(cells, "title")
    daily: Row = {"post_id": post_id, "day": ctx.snapshot_day, "source": src, "_row": line}
    ctx.put_all(daily, (("views", "views"), ("reactions", "likes"), ("comments", "comments"),
                        ("shares", "shares"), ("saves", "favorites")), cells)
    return [("post", post), ("post_daily", daily)]


def _tiktok_followers(ctx: _Ctx, cells: list[object], line: int) -> list[tuple[str, Row]]:
    row = _daily_row(ctx, cells, line, "tiktok", "TikTok FollowerHistory")
    ctx.put_all(row, (("followers", "followers"), ("followers_net", "net")), cells)
    row["_signed"] = True  # the daily difference is negative when followers leave
    return [("account_daily", row)]


def _tiktok_viewers(ctx: _Ctx, cells: list[object], line: int) -> list[tuple[str, Row]]:
    row = _daily_row(ctx, cells, line, "tiktok", "TikTok Viewers")
    ctx.put(row, "reach", cells, "viewers")
    out: list[tuple[str, Row]] = [("account_daily", row)]
    for value, f in (("new", "new_viewers"), ("returning", "returning_viewers")):
        if ctx.has(f):
            n = ctx.count(cells, f)
            if n is not None:
                out.append(("audience_breakdown", _breakdown(
                    ctx, row["account_id"], row["day"], "viewer_type", value, "viewers", line,
                    count=n, period_start=row["day"])))
    return out


def _linkedin_followers(ctx: _Ctx, cells: list[object], line: int) -> list[tuple[str, Row]]:
    row = _daily_row(ctx, cells, line, "linkedin", "LinkedIn followers")
    if ctx.has("total"):
        row["followers_gained"] = ctx.count(cells, "total")
    else:
        row["followers_gained"] = ctx.sum_of(cells, ("sponsored", "organic", "auto_invited"))
    row["followers_derived"] = False
    return [("account_daily", row)]


def _linkedin_content(ctx: _Ctx, cells: list[object], line: int) -> list[tuple[str, Row]]:
    row = _daily_row(ctx, cells, line, "linkedin", "LinkedIn content")
    ctx.put(row, "views", cells, "impressions")
    ctx.put(row, "reach", cells, "unique_impressions")
    row["engagements"] = ctx.sum_of(cells, ("clicks", "reactions", "comments", "reposts"))
    return [("account_daily", row)]


def _linkedin_visitors(ctx: _Ctx, cells: list[object], line: int) -> list[tuple[str, Row]]:
    row = _daily_row(ctx, cells, line, "linkedin", "LinkedIn visitors")
    ctx.put(row, "profile_visits", cells, "page_views")
    return [("account_daily", row)]


# Meta page daily metric name (line 2 of the file) -> account_daily column
_METRIC_STOP = {"facebook", "instagram", "page", "pagina", "de", "del", "la", "el", "a", "al",
                "daily", "diario", "diarios", "diarias", "total", "totales", "of", "the", "en",
                "no", "do", "da"}
PAGE_METRICS: dict[str, str] = {
    "followers": "followers", "seguidores": "followers", "follows total": "followers",
    "follows": "followers_gained", "new follows": "followers_gained",
    "new followers": "followers_gained", "nuevos seguidores": "followers_gained",
    "seguimientos": "followers_gained", "follows unique": "followers_gained",
    "unfollows": "followers_lost", "dejaron seguir": "followers_lost",
    "dejar seguir": "followers_lost", "unfollows unique": "followers_lost",
    "reach": "reach", "alcance": "reach", "media view unique": "reach",
    "views": "views", "visualizaciones": "views", "impressions": "views",
    "impresiones": "views", "media view": "views",
    "interactions": "engagements", "content interactions": "engagements",
    "interacciones": "engagements", "interacciones con contenido": "engagements",
    "engagements": "engagements", "post engagements": "engagements",
    "visits": "profile_visits", "profile visits": "profile_visits", "visitas": "profile_visits",
    "visitas perfil": "profile_visits", "views total": "profile_visits",
    "video views": "video_views", "reproducciones video": "video_views",
    "visualizaciones video": "video_views", "3 second video views": "video_views",
    "link clicks": "link_clicks", "clics enlace": "link_clicks",
    "clics en enlace": "link_clicks", "toques enlace": "link_clicks",
    "cliques no link": "link_clicks", "cliques link": "link_clicks",
    "visualizacoes": "views", "interacoes": "engagements",
    "interacoes com conteudo": "engagements", "seguidores novos": "followers_gained",
    "novos seguidores": "followers_gained", "seguimentos": "followers_gained",
    "deixaram seguir": "followers_lost", "visitas ao perfil": "profile_visits",
}


def page_metric_column(name: str) -> str | None:
    words = [w for w in norm_header(name).split() if w not in _METRIC_STOP]
    return PAGE_METRICS.get(" ".join(words))


def _meta_page_metric(ctx: _Ctx, cells: list[object], line: int) -> list[tuple[str, Row]]:
    network = ctx.resolver.hint_network()
    if network not in ("facebook", "instagram"):
        network = "facebook" if network is None else network
    row = _daily_row(ctx, cells, line, network, "Meta page metric")
    row[ctx.metric_column] = ctx.count(cells, "primary")
    return [("account_daily", row)]


MAPPERS: dict[str, Callable[[_Ctx, list[object], int], list[tuple[str, Row]]]] = {
    "meta_page_metric": _meta_page_metric, "x_account_overview": _x_overview,
    "x_content": _x_content, "youtube_table": _youtube_table,
    "youtube_totals": _youtube_totals, "tiktok_studio": _tiktok,
    "linkedin_followers": _linkedin_followers, "linkedin_content": _linkedin_content,
    "linkedin_visitors": _linkedin_visitors, "facebook_videos": _facebook_videos,
    "youtube_audience": _youtube_audience, "tiktok_content": _tiktok_content,
    "tiktok_followers": _tiktok_followers, "tiktok_viewers": _tiktok_viewers,
}
_DATE_FIELDS = ("date", "publish_time", "post_time")


# --- per-post exports, column by column -----------------------------------------------------------

@dataclass(frozen=True)
class PostColumns:
    """How a per-post export becomes post + post_daily rows (see `_map_posts_columns`)."""

    network: str
    account_field: str
    counts: tuple[tuple[str, str], ...]  # (post_daily column, field), in reading order
    watch: tuple[str, float] | None = None  # (field, units per minute) -> watch_minutes


COLUMN_MAPPERS: dict[str, PostColumns] = {
    "meta_posts": PostColumns("facebook", "page_id", _META_COUNTS, ("seconds_viewed", 60)),
    "instagram_posts": PostColumns(
        "instagram", "account_id",
        (("reach", "reach"), ("views", "views"), ("reactions", "likes"),
         ("comments", "comments"), ("shares", "shares"), ("saves", "saves"))),
}

class _Step:
    """One field read of the row mapper, done for the whole column: values + row errors.

    `errors` maps a row index to (header, reason) exactly as the row mapper would reject it
    (header None for a `BadValue` raised outside a field conversion).
    """

    def __init__(self, fields: tuple[str, ...], values: list[Any] | None,
                 errors: dict[int, tuple[str | None, str]]):
        self.fields = fields
        self.values = values
        self.errors = errors


class _Table:
    """A grid's data rows held for column work: line numbers, cell lists, shortest width."""

    def __init__(self, data: list[tuple[int, list[object]]]):
        self.lines = [line for line, _ in data]
        self.cells = [cells for _, cells in data]
        self.width = min(map(len, self.cells)) if self.cells else 0

    def __len__(self) -> int:
        return len(self.cells)

    def column(self, i: int | None) -> list[object]:
        """Cells of column `i` (None where a short row lacks it, or for a missing column)."""
        if i is None:
            return [None] * len(self.cells)
        if i < self.width:
            return list(map(itemgetter(i), self.cells))
        return [c[i] if i < len(c) else None for c in self.cells]


def _convert(values: list[object], fn: Callable[[object], Any]
             ) -> tuple[list[Any], dict[int, Exception]]:
    """fn over a column, computed once per distinct value; failing rows -> (None, exception)."""
    plain = set(map(type, values)) <= _PLAIN
    keys = values if plain else [(type(v), v) for v in values]  # 1 / 1.0 / True kept apart
    memo = dict.fromkeys(keys)
    failed = False
    for k in memo:
        try:
            memo[k] = fn(k if plain else k[1])
        except Exception as exc:  # noqa: BLE001 - kept and re-checked by the caller
            memo[k] = exc
            failed = True
    out = list(map(memo.__getitem__, keys))
    if not failed:
        return out, {}
    errors = {i: r for i, r in enumerate(out) if isinstance(r, Exception)}
    for i in errors:
        out[i] = None
    return out, errors


_PLAIN = frozenset({str, type(None)})


def _all_digits(values: list[object], extra: str = "") -> bool:
    """Every cell a non-empty ASCII digit string (`extra` characters also allowed), in bulk."""
    if not values or "" in values or set(map(type, values)) != {str}:
        return False
    joined = "".join(values)  # type: ignore[arg-type]
    if extra:
        joined = joined.replace(extra, "")
    return joined.isascii() and joined.isdigit()


def _row_errors(ctx: _Ctx, f: str, errors: dict[int, Exception]
                ) -> dict[int, tuple[str | None, str]]:
    """Exceptions of one field conversion -> rejects, as `_Ctx.conv` words them."""
    out: dict[int, tuple[str | None, str]] = {}
    for i, exc in errors.items():
        if isinstance(exc, _RowError):
            out[i] = (exc.header, exc.reason)
        elif isinstance(exc, (BadValue, ValueError, OverflowError)):
            out[i] = (ctx.header_of(f), str(exc))
        else:
            raise exc
    return out


def _count_step(ctx: _Ctx, data: _Table, f: str) -> _Step:
    vals = data.column(ctx.match.columns.get(f))
    if _all_digits(vals):  # the usual column: plain counts
        return _Step((f,), list(map(int, vals)), {})
    out, errs = _convert(vals, lambda v: int(v) if type(v) is str and v.isdigit()
                         and v.isascii() else parse_count(v))
    return _Step((f,), out, _row_errors(ctx, f, errs))


def _text_values(vals: list[object]) -> tuple[list[Any], dict[int, Exception]]:
    """`_Ctx.text` for a column (a float cell's id text may raise BadValue)."""
    if set(map(type, vals)) <= _PLAIN:
        return [v if v and not v.isspace() else None for v in vals], {}
    return _convert(vals, lambda v: (v if v and not v.isspace() else None) if type(v) is str
                    else None if v is None else _id_text(v) if isinstance(v, float)
                    else str(v))


def _bad_values(errs: dict[int, Exception]) -> dict[int, tuple[str | None, str]]:
    """Errors `_Ctx.text` lets out: the row mapper rejects them without a header."""
    for exc in errs.values():
        if not isinstance(exc, BadValue):
            raise exc
    return {i: (None, str(exc)) for i, exc in errs.items()}


def _native_id_step(ctx: _Ctx, data: _Table, f: str) -> _Step:
    vals = data.column(ctx.match.columns.get(f))
    if _all_digits(vals, "_"):  # "123" and Meta's "<page>_<post>": their own id text
        return _Step((f,), vals, {})

    def one(v: object) -> str:
        if type(v) is str and v.isdigit():
            return v
        if is_null(v):
            raise _RowError(ctx.header_of(f), "id is empty")
        return _id_text(v)

    out, errs = _convert(vals, one)
    return _Step((f,), out, _row_errors(ctx, f, errs))


def _when_step(ctx: _Ctx, data: _Table, f: str) -> _Step:
    """`_Ctx.when` (required) for a column: parsed once per distinct cell."""
    vals = data.column(ctx.match.columns.get(f))
    df = ctx.day_firsts.get(f, ctx.day_first)
    tz = ctx.local_tz
    out, errs = _convert(vals, lambda v: parse_datetime(v, day_first=df, tz=tz))
    header = ctx.header_of(f)
    errors: dict[int, tuple[str | None, str]] = {}
    for i, exc in errs.items():
        if isinstance(exc, NoYear):  # a day-month cell: its year depends on its line
            ctx.line = data.lines[i]
            try:
                d = ctx._no_year(f, exc)
            except _RowError as e:
                errors[i] = (e.header, e.reason)
                continue
            naive = datetime.combine(d, exc.clock)
            out[i] = naive.replace(tzinfo=ZoneInfo(tz)).astimezone(ZoneInfo("UTC"))
        elif isinstance(exc, (BadValue, ValueError, OverflowError)):
            errors[i] = (header, str(exc))
        else:
            raise exc
    for i, v in enumerate(out):
        if v is None and i not in errors:
            errors[i] = (header, "date-time is empty")
    return _Step((f,), out, errors)


def _map_posts_columns(ctx: _Ctx, data: list[tuple[int, list[object]]], spec: PostColumns, *,
                       cut_last: bool, width: int) -> None:
    """The per-post row mapper (`_posts_common` + counts) run column by column.

    Every field is converted for the whole column (distinct values once), then rows are
    assembled; a row is rejected with the FIRST failing field in the row mapper's reading
    order, the same header and reason, and the columns read by the first rows are noted the
    same way, so the result equals mapping row by row.
    """
    _map_posts(ctx, _Table(data), spec, cut_last=cut_last, width=width)


def _map_posts(ctx: _Ctx, data: _Table, spec: PostColumns, *, cut_last: bool,
               width: int) -> None:
    parsed, match, cols = ctx.parsed, ctx.match, ctx.match.columns
    n = len(data)
    network, acc_f = spec.network, spec.account_field
    # the last line of a CSV cut without a line break is a broken row, whatever its values
    cut: dict[int, tuple[str | None, str]] = {}
    last_cells = data.cells[-1]
    if cut_last and len(last_cells) < width:
        cut[n - 1] = ("(row)", f"row has {len(last_cells)} fields but the header has "
                                f"{width} (truncated or broken line)")
    steps: list[_Step] = [_native_id_step(ctx, data, "post_id")]
    ids = steps[0].values

    # the account: a plain page/account id (one per file, usually), its cleaned id, or the hint
    accs = data.column(cols.get(acc_f))
    acc_out: list[Any] = [None] * n
    acc_err: dict[int, tuple[str | None, str]] = {}
    native_cache = ctx.resolver.native_cache
    hinted = False
    for i, acc in enumerate(accs):
        if i in steps[0].errors or i in cut:
            continue  # the row mapper stops before reading the account
        if type(acc) is str and acc.isdigit():
            a = native_cache.get((network, acc))
            if a is None:
                a = native_cache[(network, acc)] = ctx.resolver.from_native(network, acc)
            acc_out[i] = a
        elif acc_f in cols and not is_null(acc):
            try:
                native = _id_text(acc)
            except (BadValue, ValueError, OverflowError) as exc:
                acc_err[i] = (ctx.header_of(acc_f), str(exc))
                continue
            acc_out[i] = ctx.resolver.from_native(network, native)
        else:
            hinted = True
    if hinted:  # raises ExportRejected when no account was given, as the first such row would
        hint = ctx.resolver.from_hint(network, match.kind.label)
        acc_out = [hint if a is None else a for a in acc_out]  # errors are dropped anyway
    steps.append(_Step((acc_f,), acc_out, acc_err))

    post_keys = ["post_id", "account_id", "source", "_row"]
    post_cols: list[list[Any]] = []
    if "publish_time" in cols:
        steps.append(_when_step(ctx, data, "publish_time"))
        post_keys.append("published_at")
        post_cols.append(steps[-1].values)
    for col, f in (("kind", "post_type"), ("permalink", "permalink")):
        if f in cols:
            vals, errs = _text_values(data.column(cols[f]))
            steps.append(_Step((f,), vals, _bad_values(errs)))
            post_keys.append(col)
            post_cols.append(vals)
    title_read: list[bool] | None = None
    if "description" in cols or "title" in cols:
        desc, d_errs = _text_values(data.column(cols.get("description")))
        title, t_errs = _text_values(data.column(cols.get("title")))
        title_read = [not d and i not in d_errs for i, d in enumerate(desc)]
        text = [d or t for d, t in zip(desc, title, strict=True)]
        errors = _bad_values(d_errs)
        for i, e in _bad_values(t_errs).items():
            if i not in errors and title_read[i]:
                errors[i] = e
        steps.append(_Step(("description",), text, errors))
        post_keys.append("text")
        post_cols.append(text)

    daily_keys = ["post_id", "day", "source", "_row"]
    daily_cols: list[list[Any]] = []
    for col, f in spec.counts:
        if f in cols:
            steps.append(_count_step(ctx, data, f))
            daily_keys.append(col)
            daily_cols.append(steps[-1].values)
        else:
            steps.append(_Step((f,), None, {}))  # read, absent: only noted as seen
    if spec.watch and spec.watch[0] in cols:
        f, per_minute = spec.watch
        vals = data.column(cols[f])
        nums, errs = _convert(vals, parse_number)
        steps.append(_Step((f,), [None if x is None else int(round(x / per_minute))
                                  for x in nums], _row_errors(ctx, f, errs)))
        daily_keys.append("watch_minutes")
        daily_cols.append(steps[-1].values)

    bad: dict[int, tuple[int, tuple[str | None, str]]] = {}  # row -> (step, reject)
    for k, step in enumerate(steps):
        for i, e in step.errors.items():
            if i not in bad or bad[i][0] > k:
                bad[i] = (k, e)
    for i, e in cut.items():
        bad[i] = (-1, e)

    _note_read_columns(ctx, data, steps, bad, title_read)

    src, name, snap = parsed.source, ctx.grid.name, ctx.snapshot_day
    post_ids = [f"{network}:{x}" for x in ids]
    lines = data.lines
    post = {"post_id": post_ids, "account_id": acc_out, "source": [src] * n, "_row": lines,
            **dict(zip(post_keys[4:], post_cols, strict=True)), "_file": [name] * n}
    daily = {"post_id": post_ids, "day": [snap] * n, "source": [src] * n, "_row": lines,
             **dict(zip(daily_keys[4:], daily_cols, strict=True)), "_file": [name] * n}
    if bad:
        for i in sorted(bad):
            header, reason = bad[i][1]
            parsed.rejects.append(Reject(src, name, lines[i], header, reason,
                                         _raw(data.cells[i])))
        keep = [i for i in range(n) if i not in bad]
        if not keep:
            return  # like `ParsedExport.add`: no table entry when every row was rejected
        post = {k: list(map(v.__getitem__, keep)) for k, v in post.items()}
        daily = {k: list(map(v.__getitem__, keep)) for k, v in daily.items()}
    for table, columns in (("post", post), ("post_daily", daily)):
        if table in parsed.tables:  # a second table of the same file: plain rows
            parsed.tables[table].extend(ColumnRows(columns))
        else:
            parsed.tables[table] = ColumnRows(columns)
    parsed.account_ids.update(post["account_id"])


def _note_read_columns(ctx: _Ctx, data: _Table, steps: list[_Step],
                       bad: dict[int, tuple[int, tuple[str | None, str]]],
                       title_read: list[bool] | None) -> None:
    """The columns the row mapper would have read in the first rows (see `_note_unused`)."""
    seen: set[str] = set()
    tracked = 0
    for i in range(len(data)):
        k_bad = bad[i][0] if i in bad else len(steps)
        if k_bad < 0:
            continue  # a cut line is refused before any field is read
        for k, step in enumerate(steps[:k_bad + 1]):
            seen.update(step.fields)
            if step.fields == ("description",) and title_read and title_read[i]:
                seen.add("title")
            if k == k_bad:
                break
        if i not in bad:
            tracked += 1
            if tracked >= _TRACK_ROWS:
                break
    _note_unused(ctx.parsed, ctx.grid, ctx.match, ctx.header, seen)


# --- file level ---------------------------------------------------------------------------------

_NAME_DATE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})|([A-Za-z]{3})[-_ ](\d{1,2})[-_ ,]+(\d{4})"
    r"|(?<![0-9])(20\d{2})(\d{2})(\d{2})(?![0-9])")


def dates_in_name(name: str) -> list[date]:
    """Dates written in a file name, in order ('Jun-01-2026_Jun-30-2026', '_20210801_')."""
    found: list[date] = []
    for m in _NAME_DATE.finditer(name):
        try:
            if m.group(1):
                found.append(date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
            elif m.group(7):
                found.append(date(int(m.group(7)), int(m.group(8)), int(m.group(9))))
            else:
                d = parse_date(f"{m.group(4)} {m.group(5)} {m.group(6)}")
                if d:
                    found.append(d)
        except (ValueError, BadValue):
            continue
    return found


EARLIEST_NAME_DATE = date(2000, 1, 1)


def check_name_dates(name: str, named: list[date], today: date) -> None:
    """Refuse a file whose name sets an impossible day (9999-12-31, 1900-01-01): those dates
    become the snapshot day of post totals and the period of the file."""
    from datetime import timedelta

    from pulso.core.cells import printable

    latest = today + timedelta(days=1)
    for d in named:
        if not EARLIEST_NAME_DATE <= d <= latest:
            raise ExportRejected(
                f"{printable(name)}: la fecha {d.isoformat()} del nombre del archivo está fuera "
                f"del rango admitido ({EARLIEST_NAME_DATE.isoformat()} a {latest.isoformat()}); "
                "renombre el archivo con las fechas reales de la exportación")


def snapshot_day_from_name(name: str) -> date | None:
    """The last date written in a file name ('Jun-01-2026_Jun-30-2026_...' -> 2026-06-30)."""
    found = dates_in_name(name)
    return found[-1] if found else None


def _header_len(cells: list[object]) -> int:
    n = len(cells)
    while n and (cells[n - 1] is None or cells[n - 1] == ""):
        n -= 1
    return n


def _raw(cells: list[object]) -> str:
    return json.dumps([c if isinstance(c, (int, float, str)) or c is None else str(c)
                       for c in cells], ensure_ascii=False)[:4000]


def _parse_grid(parsed: ParsedExport, grid: Grid, match: HeaderMatch,
                resolver: AccountResolver, snapshot_day: date, local_tz: str,
                is_csv: bool, hints: YearHints | None = None) -> None:
    rows = grid.rows
    header = rows[match.header_index][1]
    kind = match.kind
    ctx = _Ctx(parsed, grid, match, header, resolver, snapshot_day, local_tz)
    data = rows[match.header_index + 1:]
    if kind.name == "meta_page_metric":
        preamble = [c for _, cells in rows[:match.header_index] for c in cells
                    if c not in (None, "")]
        metric = str(preamble[-1]) if preamble else None
        if metric is None:
            raise ExportRejected(f"{grid.name}: Meta page daily export without its metric-name "
                                 "line (line 2)", kind=kind.name)
        col = page_metric_column(metric)
        if col is None:
            raise ExportRejected(
                f"{grid.name}: unknown Meta page metric {metric!r}; known metrics: "
                f"{', '.join(sorted(set(PAGE_METRICS)))}", kind=kind.name)
        ctx.metric_column = col
        parsed.notes.append(f"metric {metric!r} -> account_daily.{col}")
    if not data:
        raise ExportRejected(f"{grid.name}: header only, no data rows", kind=kind.name,
                             header_signature=parsed.header_signature)
    _refuse_scientific_ids(grid, match, data, kind.name)
    hints = hints or YearHints(end=snapshot_day)
    for date_field in _DATE_FIELDS:  # dd/mm or mm/dd, decided per column
        if date_field in match.columns:
            col_i = match.columns[date_field]
            sample = dict.fromkeys(cells[col_i] for _, cells in data if col_i < len(cells))
            ctx.day_firsts[date_field] = infer_day_first(list(sample),
                                                         default=match.language == "es")
    for f in _DATE_FIELDS:
        if f in match.columns:
            resolved = _resolve_yearless(data, match.columns[f], hints, series=(f == "date"))
            if resolved is not None:
                ctx.yearless[f] = resolved
    ctx.period_start = hints.start
    width = _header_len(header)
    if kind.name in COLUMN_MAPPERS:
        _map_posts_columns(ctx, data, COLUMN_MAPPERS[kind.name],
                           cut_last=is_csv and grid.cut_tail, width=width)
        return
    mapper = MAPPERS[kind.name]
    last_line = data[-1][0]
    ctx.seen = set()
    tracked = 0
    for line, cells in data:
        ctx.line = line
        try:
            if is_csv and len(cells) < width and line == last_line and grid.cut_tail:
                raise _RowError("(row)", f"row has {len(cells)} fields but the header has "
                                f"{width} (truncated or broken line)")
            # shorter rows are fine: Meta omits trailing empty fields on older posts
            out = mapper(ctx, cells, line)
        except _RowError as e:
            parsed.rejects.append(Reject(parsed.source, grid.name, line, e.header, e.reason,
                                         _raw(cells)))
            continue
        except BadValue as e:
            parsed.rejects.append(Reject(parsed.source, grid.name, line, None, str(e),
                                         _raw(cells)))
            continue
        if ctx.seen is not None:  # rows mapped in full tell which columns the kind reads
            tracked += 1
            if tracked >= _TRACK_ROWS:
                _note_unused(parsed, grid, match, header, ctx.seen)
                ctx.seen = None
        for table, row in out:
            row["_file"] = grid.name
            parsed.add(table, row)
            if "account_id" in row:
                parsed.account_ids.add(row["account_id"])
    if ctx.seen is not None:
        _note_unused(parsed, grid, match, header, ctx.seen)


_TRACK_ROWS = 5  # rows whose field reads decide which columns were used


def _note_unused(parsed: ParsedExport, grid: Grid, match: HeaderMatch, header: list[object],
                 seen: set[str]) -> None:
    """Name every header column Pulso did not load: nothing is dropped without a word."""
    used = {i for f, i in match.columns.items() if f in seen}
    unused = [str(h).strip() for i, h in enumerate(header)
              if h not in (None, "") and str(h).strip() and i not in used]
    if unused:
        parsed.unused_columns.extend(c for c in unused if c not in parsed.unused_columns)
        parsed.notes.append(f"{grid.name}: columnas sin destino en Pulso (no se cargan): "
                            f"{', '.join(unused)}")


def _refuse_scientific_ids(grid: Grid, match: HeaderMatch, data: list[tuple[int, list[object]]],
                           kind: str) -> None:
    """IDs turned into '1.22166E+17' by a spreadsheet lost digits: refuse the whole file."""
    for f in ("post_id", "video_id", "page_id", "account_id"):
        i = match.columns.get(f)
        if i is None:
            continue
        vals = [cells[i] for _, cells in data[:50] if i < len(cells) and cells[i] not in ("", None)]
        bad = [v for v in vals if isinstance(v, str) and _SCI_ID.fullmatch(v.strip())]
        if vals and len(bad) * 2 > len(vals):
            raise ExportRejected(
                f"{grid.name}: la columna {match.kind.cols[f].label!r} trae identificadores en "
                f"notación científica ({bad[0]}): una hoja de cálculo (Excel) los convirtió al "
                "abrir y guardar el archivo y se perdieron dígitos, así que las publicaciones no "
                "se pueden identificar. Descargue de nuevo la exportación desde la red social y "
                "cárguela tal cual, sin abrirla ni guardarla en Excel (si necesita abrirla, "
                "impórtela con las columnas de ID como texto)", kind=kind)


@dataclass
class YearHints:
    """Where a day-month date gets its year: --year, the file name's period, the export day."""

    year: int | None = None
    start: date | None = None
    end: date | None = None


def _resolve_yearless(data: list[tuple[int, list[object]]], col: int, hints: YearHints,
                      series: bool) -> dict[int, date] | None:
    """Dates for the day-month cells of one column (None when the column has years)."""
    items: list[tuple[int, NoYear]] = []
    checked = 0
    for line, cells in data:
        v = cells[col] if col < len(cells) else None
        if is_null(v) or not isinstance(v, str):
            continue
        if checked < 3 and not items:
            checked += 1
            try:
                parse_datetime(v)
                continue
            except NoYear as e:
                items.append((line, e))
            except BadValue:
                continue
            continue
        if not items:
            return None
        try:
            parse_datetime(v)
        except NoYear as e:
            items.append((line, e))
        except BadValue:
            continue
    if not items:
        return None
    return assign_years(items, first_year=hints.year, start=hints.start, end=hints.end,
                        series=series)


def parse_meta_audience(grid: Grid, name: str, resolver: AccountResolver, snapshot: date,
                        period_start: date | None) -> ParsedExport:
    """Meta's Audience export -> audience_breakdown shares on the snapshot day."""
    kind = "meta_audience"
    parsed = ParsedExport(name=name, kind=kind, source=f"export:{kind}",
                          header_signature=header_signature(
                              [c for _, cells in grid.rows[:3] for c in cells]))
    values, errors = read_audience(grid.rows)
    network = resolver.hint_network()
    network = network if network in ("facebook", "instagram") else "facebook"
    account = resolver.from_hint(network, "Meta Audience")
    for v in values:
        parsed.add("audience_breakdown", {
            "account_id": account, "day": snapshot, "dimension": v.dimension,
            "value": v.value[:300], "metric": "share", "share": v.share, "count": None,
            "period_start": period_start, "source": parsed.source, "_row": v.line,
            "_file": grid.name})
    for e in errors:
        parsed.rejects.append(Reject(parsed.source, grid.name, e.line, e.field,
                                     e.reason, None))
    if not values and not errors:
        raise ExportRejected(f"{grid.name}: audience export without values", kind=kind)
    parsed.account_ids.add(account)
    parsed.notes.append(f"perfil de audiencia al {snapshot.isoformat()}: "
                        f"{', '.join(sorted({v.dimension for v in values}))}")
    return parsed


def _missing_message(name: str, match: HeaderMatch) -> str:
    labels = [match.kind.cols[f].label for f in match.missing]
    return (f"{name}: looks like a {match.kind.label} export ({match.kind.name}) but misses "
            f"required columns: {', '.join(labels)}")


def _unknown_message(name: str, grid: Grid) -> str:
    from pulso.core.cells import header_preview

    # only a short, sanitised header of something tabular: never quote arbitrary content
    shown = header_preview(grid.rows[0][1]) if grid.rows else None
    return (f"{name}: unknown export kind (first row: {shown or 'not a table header'}); "
            "supported: "
            f"{', '.join(EXPORT_KINDS)}")


def parse_export(data: bytes, name: str, *, config: PulsoConfig | None = None,
                 account: str | None = None, snapshot_day: date | None = None,
                 file_date: date | None = None, local_tz: str | None = None,
                 year: int | None = None) -> ParsedExport:
    """Parse an export file's bytes; raise ExportRejected when the whole file is unusable.

    `account` is the hint (inbox folder or --account); `snapshot_day` overrides the day post
    snapshots are filed under (default: last date in `name`, else `file_date`, else today).
    `year` is the year of the earliest day-month date in files that write none ("February
    28"); without it the period in the file name, else the export day (`file_date`) decides.
    """
    local_tz = local_tz or (config.entity.timezone if config else DEFAULT_TIMEZONE)
    check_name_dates(name, dates_in_name(name), datetime.now(ZoneInfo(local_tz)).date())
    t0 = time.perf_counter()
    try:
        grids = read_grids(data, name)
    except WrappedLines as exc:  # name the kind it would have been, to say what to export
        m = detect([(1, list(exc.header))])
        raise ExportRejected(str(exc), kind=m.kind.name if m else None,
                             header_signature=header_signature(exc.header)) from None
    except UnreadableFile as exc:
        raise ExportRejected(str(exc)) from None
    t_read = time.perf_counter() - t0
    is_zip = len(grids) > 1 or (grids and "/" in grids[0].name[len(name):])
    snapshot = (snapshot_day or snapshot_day_from_name(name) or file_date
                or datetime.now(ZoneInfo(local_tz)).date())
    resolver = AccountResolver(config, account, name)
    named = dates_in_name(name)
    hints = YearHints(year=year, start=named[0] if len(named) > 1 else None,
                      end=snapshot)

    audience = [g for g in grids if audience_sections(g.rows)]
    if audience and not any(detect(g.rows) for g in grids if g not in audience):
        return parse_meta_audience(audience[0], name, resolver, snapshot, hints.start)

    matches: list[tuple[Grid, HeaderMatch]] = []
    partial: tuple[Grid, HeaderMatch] | None = None
    for g in grids:
        m = detect(g.rows)
        if m is None:
            continue
        if m.complete:
            matches.append((g, m))
        elif partial is None:
            partial = (g, m)
    yt = [(g, m) for g, m in matches if m.kind.name.startswith("youtube_")]
    if is_zip and yt:
        kind_name = "youtube_studio"
        # Totals.csv is the channel's daily series; Chart data.csv repeats it when it has no
        # Content column, so keep only one daily-series table.
        daily = [(g, m) for g, m in yt if m.kind.name == "youtube_totals"]
        daily.sort(key=lambda gm: "totals" not in gm[0].name.lower())
        used = [(g, m) for g, m in yt
                if m.kind.name in ("youtube_table", "youtube_audience")] + daily[:1]
        skipped = [g.name for g in grids if all(g is not u for u, _ in used)]
    elif matches:
        g, m = matches[0]
        kind_name = m.kind.name
        used = [(g, m)]
        skipped = [x.name for x in grids if x is not g]
    elif partial is not None:
        g, m = partial
        raise ExportRejected(_missing_message(g.name, m), kind=m.kind.name,
                             header_signature=header_signature(g.rows[m.header_index][1]),
                             missing=[m.kind.cols[f].label for f in m.missing])
    else:
        if all(not g.rows for g in grids):
            raise ExportRejected(f"{name}: empty file")
        raise ExportRejected(_unknown_message(name, grids[0]))

    first_g, first_m = used[0]
    signature = header_signature(
        [c for g, m in used for c in g.rows[m.header_index][1]])
    parsed = ParsedExport(name=name, kind=kind_name, source=f"export:{kind_name}",
                          header_signature=signature, language=first_m.language)
    try:
        for g, m in used:
            _parse_grid(parsed, g, m, resolver, snapshot, local_tz,
                        is_csv=g.encoding is not None, hints=hints)
    except ExportRejected as exc:
        exc.kind = exc.kind or kind_name
        exc.header_signature = exc.header_signature or signature
        raise
    if skipped:
        parsed.notes.append(f"ignored tables: {', '.join(skipped)}")
    parsed.timings = {"read": t_read, "map": time.perf_counter() - t0 - t_read}
    return parsed


def parse_export_file(path: Path, **kwargs: Any) -> ParsedExport:
    """`parse_export` for a file on disk; its modification date is the fallback snapshot day."""
    data = path.read_bytes()
    tz = kwargs.get("local_tz") or (kwargs["config"].entity.timezone
                                    if kwargs.get("config") else DEFAULT_TIMEZONE)
    mdate = datetime.fromtimestamp(path.stat().st_mtime, ZoneInfo(tz)).date()
    kwargs.setdefault("file_date", mdate)
    return parse_export(data, path.name, **kwargs)


__all__ = ["ExportRejected", "ParsedExport", "parse_export", "parse_export_file", "KINDS",
           "KINDS_BY_NAME", "page_metric_column", "snapshot_day_from_name", "dates_in_name"]
