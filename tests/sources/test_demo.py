"""The demo source: deterministic, valid, believable and fast to stream."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from pulso.core.config import Account
from pulso.core.privacy import author_key
from pulso.sources.demo import (
    ACCOUNT_METRICS,
    FOLLOWERS_DERIVED,
    POST_METRICS,
    DemoSource,
    campaign_on,
    iter_message_chunks,
)
from pulso.warehouse.load import load_batch
from pulso.warehouse.schema import TABLES
from pulso.warehouse.validate import validate_rows

D1, D2, D3 = date(2026, 10, 4), date(2026, 10, 5), date(2026, 10, 6)


def _by_network(config, network: str) -> Account:
    return next(a for a in config.accounts if a.network == network)


def _batches(src: DemoSource, account: Account, start: date, end: date) -> list[dict]:
    return [b.tables for b in src.fetch(account, start, end)]


def test_two_runs_are_identical(config) -> None:
    for account in config.accounts:
        first = _batches(DemoSource(config), account, D1, D3)
        second = _batches(DemoSource(config), account, D1, D3)
        assert first == second


def test_a_day_alone_equals_the_same_day_in_a_range(config) -> None:
    for account in config.accounts:
        full = _batches(DemoSource(config), account, D1, D3)
        alone = _batches(DemoSource(config), account, D2, D2)
        assert full[1] == alone[0]


def test_other_seed_gives_other_data(config) -> None:
    account = _by_network(config, "facebook")
    a = _batches(DemoSource(config, seed=1), account, D2, D2)[0]["message"]
    b = _batches(DemoSource(config, seed=2), account, D2, D2)[0]["message"]
    assert [m["text"] for m in a] != [m["text"] for m in b]


def test_batches_are_daily_with_all_tables(config) -> None:
    src = DemoSource(config)
    for account in config.accounts:
        batches = list(src.fetch(account, D1, D3))
        assert [b.start for b in batches] == [D1, D2, D3]
        for b in batches:
            assert b.source == "demo" and b.start == b.end
            assert set(b.tables) == {"account", "account_daily", "post", "post_daily", "message"}
            assert len(b.tables["account"]) == 1 and len(b.tables["account_daily"]) == 1
            assert b.tables["account_daily"][0]["posts_published"] == len(b.tables["post"])


def test_every_row_validates_with_canonical_columns(config) -> None:
    src = DemoSource(config)
    for account in config.accounts:
        for b in src.fetch(account, date(2026, 5, 1), date(2026, 5, 14)):
            for table, rows in b.tables.items():
                columns = {c.name for c in TABLES[table].columns}
                for row in rows:
                    assert set(row) <= columns, set(row) - columns
                result = validate_rows(table, rows, source="demo")
                assert result.rejects == []
                assert len(result.rows) == len(rows)


def test_timestamps_are_utc_and_inside_the_bogota_day(config) -> None:
    src = DemoSource(config)
    for account in config.accounts:
        b = next(src.fetch(account, D2, D2))
        for p in b.tables["post"]:
            assert p["published_at"].utcoffset() == timedelta(0)
            assert (p["published_at"] - timedelta(hours=5)).date() == D2
        for m in b.tables["message"]:
            assert m["created_at"].utcoffset() == timedelta(0)
            if not m["is_own"]:
                assert (m["created_at"] - timedelta(hours=5)).date() == D2


def test_followers_are_consistent_day_to_day(config) -> None:
    src = DemoSource(config)
    for account in config.accounts:
        rows = [b.tables["account_daily"][0]
                for b in src.fetch(account, date(2026, 6, 1), date(2026, 6, 30))]
        for prev, cur in zip(rows, rows[1:], strict=False):
            assert cur["followers"] == prev["followers"] + cur["followers_gained"] \
                - cur["followers_lost"]
        assert rows[0]["followers_derived"] is FOLLOWERS_DERIVED[account.network]
    # a day generated alone by a fresh source continues yesterday's total
    x = _by_network(config, "x")
    before = next(DemoSource(config).fetch(x, D1, D1)).tables["account_daily"][0]
    after = next(DemoSource(config).fetch(x, D2, D2)).tables["account_daily"][0]
    assert after["followers"] == before["followers"] + after["followers_gained"] \
        - after["followers_lost"]


def test_unsupported_metrics_are_none_and_supported_ones_numbers(config) -> None:
    src = DemoSource(config)
    assert FOLLOWERS_DERIVED["x"] and FOLLOWERS_DERIVED["linkedin"]
    assert "reach" not in ACCOUNT_METRICS["x"] and "reach" not in ACCOUNT_METRICS["youtube"]
    assert "video_views" not in ACCOUNT_METRICS["linkedin"]
    for account in config.accounts:
        net = account.network
        for b in src.fetch(account, date(2026, 9, 1), date(2026, 9, 10)):
            daily = b.tables["account_daily"][0]
            for metric in ("reach", "views", "engagements", "profile_visits", "video_views"):
                if metric in ACCOUNT_METRICS[net]:
                    assert isinstance(daily[metric], int)
                else:
                    assert daily[metric] is None
            for row in b.tables["post_daily"]:
                for metric in ("reach", "views", "reactions", "comments", "shares", "saves",
                               "clicks"):
                    assert (row[metric] is None) is (metric not in POST_METRICS[net])


def test_post_snapshots_are_lifetime_and_never_decrease(config) -> None:
    src = DemoSource(config)
    account = _by_network(config, "facebook")
    seen: dict[str, dict] = {}
    for b in src.fetch(account, date(2026, 7, 1), date(2026, 7, 20)):
        ids = {r["post_id"] for r in b.tables["post_daily"]}
        assert {p["post_id"] for p in b.tables["post"]} <= ids  # today's posts have a snapshot
        for r in b.tables["post_daily"]:
            old = seen.get(r["post_id"])
            if old:
                assert r["views"] >= old["views"] and r["reach"] >= old["reach"]
            seen[r["post_id"]] = r


def _mean_daily(src: DemoSource, account: Account, start: date, days: int, key: str) -> float:
    vals = []
    for k in range(days):
        d = start + timedelta(days=k)
        vals.append(src.account_daily(account, d, len(src.posts(account, d)))[key])
    return sum(vals) / len(vals)


def test_trends_tiktok_grows_x_declines_facebook_stable(config) -> None:
    src = DemoSource(config)
    start, end = date(2026, 5, 1), date(2026, 10, 31)
    tiktok, x, fb = (_by_network(config, n) for n in ("tiktok", "x", "facebook"))
    t0, t1 = src.followers(tiktok, start)[0], src.followers(tiktok, end)[0]
    assert t1 > 1.4 * t0
    x0, x1 = src.followers(x, start)[0], src.followers(x, end)[0]
    assert x1 < x0
    f0, f1 = src.followers(fb, start)[0], src.followers(fb, end)[0]
    assert 1.0 < f1 / f0 < 1.15
    # X views per day (X reports impressions, not reach) fall month over month
    may = _mean_daily(src, x, date(2026, 5, 1), 31, "views")
    october = _mean_daily(src, x, date(2026, 10, 1), 31, "views")
    assert october < 0.85 * may
    # X publishes less than two years earlier
    posts = [sum(len(src.posts(x, d0 + timedelta(days=k))) for k in range(120))
             for d0 in (date(2024, 3, 1), date(2026, 3, 1))]
    assert posts[1] < posts[0]


def test_weekdays_busier_and_campaigns_spike(config) -> None:
    src = DemoSource(config)
    fb = _by_network(config, "facebook")
    assert src.expected_messages(fb, date(2026, 6, 16)) > src.expected_messages(
        fb, date(2026, 6, 21))  # Tuesday vs Sunday, no campaign
    assert campaign_on(date(2026, 8, 25)) is not None and campaign_on(date(2026, 8, 4)) is None
    assert src.expected_messages(fb, date(2026, 8, 25)) > 1.5 * src.expected_messages(
        fb, date(2026, 8, 4))  # Tuesdays: Feria de Vivienda vs none
    campaigns = Counter(p["campaign"] for b in src.fetch(fb, date(2026, 8, 20), date(2026, 8, 30))
                        for p in b.tables["post"])
    assert campaigns["Feria de Vivienda 2026"] > 0


def test_volume_is_about_messages_per_day_and_per_account(config) -> None:
    src = DemoSource(config)
    days = [date(2026, 5, 1) + timedelta(days=k) for k in range(184)]
    per_day = sum(src.expected_messages(a, d) for a in config.accounts for d in days) / len(days)
    assert 250 <= per_day <= 350
    src10 = DemoSource(config, messages_per_day=30)
    inbound = sum(1 for a in config.accounts for b in src10.fetch(a, D2, D2)
                  for m in b.tables["message"] if not m["is_own"])
    assert 0 < inbound < sum(1 for a in config.accounts for b in src.fetch(a, D2, D2)
                             for m in b.tables["message"] if not m["is_own"])


def test_messages_kinds_replies_and_authors(config) -> None:
    src = DemoSource(config)
    kinds: dict[str, set[str]] = {}
    answered: dict[str, list[bool]] = {}
    for account in config.accounts:
        rows = [m for b in src.fetch(account, date(2026, 6, 1), date(2026, 6, 14))
                for m in b.tables["message"]]
        ids = {m["message_id"] for m in rows}
        assert len(ids) == len(rows)
        by_id = {m["message_id"]: m for m in rows}
        inbound = [m for m in rows if not m["is_own"]]
        kinds[account.network] = {m["kind"] for m in inbound}
        answered[account.network] = [m["responded_at"] is not None for m in inbound]
        for m in inbound:
            assert m["message_id"].startswith(f"{account.network}:demo-m-")
            assert re.fullmatch(r"[0-9a-f]{64}", m["author_key"])
        own = [m for m in rows if m["is_own"]]
        assert own, account.network
        for r in own:
            parent = by_id[r["parent_id"]]
            assert r["kind"] == "reply" and r["author_handle"] == account.handle
            assert r["author_key"] == author_key(account.network, account.native_id)
            assert parent["responded_at"] == r["created_at"] > parent["created_at"]
            if parent["kind"] != "dm":
                assert r["post_id"] == parent["post_id"]
        for m in inbound:
            if m["kind"] == "reply":
                assert by_id[m["parent_id"]]["kind"] == "comment"
            if m["kind"] in ("comment", "reply") and m["post_id"]:
                assert m["post_id"].startswith(f"{account.network}:demo-p-")
    assert "dm" not in kinds["youtube"] and "mention" not in kinds["youtube"]
    assert "dm" not in kinds["tiktok"]
    assert {"comment", "dm", "mention"} <= kinds["facebook"]
    rate = {n: sum(v) / len(v) for n, v in answered.items()}
    assert rate["facebook"] > rate["x"] > 0  # answer rates differ per network
    assert not all(answered["facebook"])  # some are never answered


_EMOJI = re.compile(r"[\U0001F300-\U0001FAFF\u2600-\u27BF]")


def test_texts_are_varied_and_rough(config) -> None:
    src = DemoSource(config)
    texts = [m["text"] for a in config.accounts
             for b in src.fetch(a, date(2026, 6, 1), date(2026, 6, 14))
             for m in b.tables["message"] if not m["is_own"]]
    assert len(texts) > 2000
    # a real inbox repeats its short chatter and thanks ("gracias", "👏"), so not every text is
    # unique; still, most of the volume is distinct wording
    assert len(set(texts)) > 0.4 * len(texts)
    assert sum(bool(_EMOJI.search(t)) for t in texts) > 0.1 * len(texts)
    caps = [t for t in texts if sum(c.isalpha() for c in t) > 15 and t.upper() == t]
    assert len(caps) > 10
    # questions typed without accents or opening marks, next to well-written ones
    assert any(re.search(r"(?<!¿)\bcuando abren\b", t.lower()) for t in texts)
    assert any("¿cuándo abren" in t.lower() for t in texts)
    lower = " ".join(texts).lower()
    for cue in ("requisitos", "convocatoria", "me trató mal", "esperando", "gracias por nada",
                "desde casa", "denunci", "sugier"):
        assert cue in lower or cue in unicodedata.normalize("NFKD", lower), cue
    # fake personal data for masking tests: 555 phones, example.* e-mails, cédulas
    assert any(re.search(r"3\d\d[ -]555[ -]\d{4}", t) for t in texts)
    assert any(re.search(r"@(?:correo\.)?example\.(?:com|org)", t) for t in texts)
    # duplicates: the same author pasting the same complaint twice
    pairs = Counter((m["author_key"], m["text"]) for a in config.accounts
                    for b in src.fetch(a, date(2026, 6, 1), date(2026, 6, 14))
                    for m in b.tables["message"] if not m["is_own"])
    assert any(n > 1 for n in pairs.values())


def test_posts_are_spanish_with_permalinks(config) -> None:
    src = DemoSource(config)
    for account in config.accounts:
        posts = [p for b in src.fetch(account, date(2026, 8, 1), date(2026, 8, 31))
                 for p in b.tables["post"]]
        assert posts, account.network
        assert all(p["permalink"].startswith("https://") for p in posts)
        assert len({p["post_id"] for p in posts}) == len(posts)


def test_best_hours_pattern(config) -> None:
    """Posts published on weekdays at 7-9 h or 18-20 h reach more than those at 14-16 h."""
    src = DemoSource(config)
    fb = _by_network(config, "facebook")
    good, bad = [], []
    d = date(2025, 1, 6)
    while d < date(2026, 1, 1):
        if d.weekday() < 5:
            followers = src.followers(fb, d)[0]
            for p in src.posts(fb, d):
                hour = (p.published_at - timedelta(hours=5)).hour
                ratio = p.lifetime["views"] / followers
                if hour in (7, 8, 18, 19):
                    good.append(ratio)
                elif hour in (14, 15, 16):
                    bad.append(ratio)
        d += timedelta(days=1)
    assert len(good) > 30 and len(bad) > 30
    assert sum(good) / len(good) > 1.4 * sum(bad) / len(bad)


def test_dates_before_epoch_are_refused(config) -> None:
    with pytest.raises(ValueError, match="2024-01-01"):
        list(DemoSource(config).fetch(config.accounts[0], date(2023, 12, 1), date(2023, 12, 2)))


def test_stream_yields_exact_total_in_bounded_chunks(config) -> None:
    total, chunk = 120_000, 25_000
    seen: set[str] = set()
    sizes = []
    per_account: Counter[str] = Counter()
    for rows in iter_message_chunks(config, date(2026, 10, 1), date(2026, 10, 31), total,
                                    chunk_size=chunk, seed=7):
        sizes.append(len(rows))
        for r in rows:
            seen.add(r["message_id"])
            per_account[r["account_id"]] += 1
    assert sum(sizes) == total == len(seen)
    assert all(0 < s <= chunk for s in sizes) and sizes[:-1] == [chunk] * (len(sizes) - 1)
    assert len(per_account) == len(config.accounts)
    assert per_account["facebook:104857600123"] > per_account["linkedin:90000001"]
    sample = next(iter_message_chunks(config, date(2026, 10, 1), date(2026, 10, 2), 3_000,
                                      chunk_size=5_000, seed=7))
    assert len(sample) == 3_000
    assert validate_rows("message", sample, source="demo").rejects == []
    assert any(r["is_own"] for r in sample) and any(r["responded_at"] for r in sample)


def test_stream_small_totals(config) -> None:
    assert list(iter_message_chunks(config, D1, D2, 0)) == []
    rows = [r for c in iter_message_chunks(config, D1, D1, 7, chunk_size=3) for r in c]
    assert len(rows) == 7 and len({r["message_id"] for r in rows}) == 7


def test_loads_into_the_warehouse_without_rejects(config, sqlite_warehouse) -> None:
    src = DemoSource(config)
    for account in config.accounts:
        for b in src.fetch(account, D1, D3):
            result = load_batch(sqlite_warehouse, b.tables, source=b.source)
            assert result.total_rejected == 0
    # loading the same days again changes nothing
    for b in src.fetch(config.accounts[0], D1, D3):
        load_batch(sqlite_warehouse, b.tables, source=b.source)
    with sqlite_warehouse.connect() as conn:
        n_daily = conn.execute(select(func.count()).select_from(TABLES["account_daily"])).scalar()
        n_msg = conn.execute(select(func.count()).select_from(TABLES["message"])).scalar()
        n_rej = conn.execute(select(func.count()).select_from(TABLES["load_reject"])).scalar()
    expected_msgs = sum(len(b.tables["message"]) for a in config.accounts
                        for b in DemoSource(config).fetch(a, D1, D3))
    assert n_daily == 3 * len(config.accounts) and n_rej == 0 and n_msg == expected_msgs
