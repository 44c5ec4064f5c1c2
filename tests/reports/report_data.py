"""Report test data: a small deterministic warehouse covering 2025-09 .. 2026-10.

Built with `load_batch` (the real load path) into a temp SQLite file. Every value follows a
formula of the date, so tests can recompute expectations with plain SQL. Contents:

* facebook:100 "PruebaFB"  — daily stats 2025-09-01..2026-10-31, stable growth, posts every
  Mon/Wed/Fri at 08:00 or 19:00 Bogotá, lifetime post snapshots for 5 days after publishing.
* instagram:200 "prueba.ig" — daily stats 2026-01-01..2026-10-31, growing; no video_views
  (NULL: Instagram does not offer it); posts on Tuesdays at 12:00; a whole month without posts
  (2026-08).
* x:300 "PruebaX" — stats only 2026-01-01..2026-06-30, reach and engagements falling every
  month, one post in January only: the "obsolete" account; no data at all in 2026-10.
* messages (comments) with latest labels (two model versions on some) and pqrs_case rows for
  2026-01..2026-10; a few are the entity's own messages (excluded from counts).
* Nothing at all in 2024 (empty periods).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from pdf_text import pdf_pages, pdf_text  # noqa: F401 - re-exported for the report tests

CONFIG_YAML = """
entity: {name: "Instituto Distrital de Prueba & Vivienda", short_name: IDP}
accounts:
  - {network: facebook, handle: PruebaFB, native_id: "100", display_name: Prueba FB, source: demo}
  - {network: instagram, handle: prueba.ig, native_id: "200", display_name: Prueba IG, source: demo}
  - {network: x, handle: PruebaX, native_id: "300", display_name: Prueba X, source: demo}
recipients:
  pqrs_report: [atencion@prueba.gov.co]
  semestral: [direccion@prueba.gov.co]
  personal_data_allowed: []
"""

FB, IG, XA = "facebook:100", "instagram:200", "x:300"
BOGOTA_OFFSET = timedelta(hours=5)  # Colombia: UTC-5, no DST


def bogota_to_utc(d: date, hour: int, minute: int = 0) -> datetime:
    return datetime(d.year, d.month, d.day, hour, minute, tzinfo=UTC) + BOGOTA_OFFSET


def _days(start: date, end: date):
    d = start
    while d <= end:
        yield d
        d += timedelta(days=1)


def _month_index(d: date) -> int:
    """Months since 2025-09 (0 for September 2025)."""
    return (d.year - 2025) * 12 + d.month - 9


def fb_post_times(d: date) -> list[int]:
    """Bogotá hours of Facebook posts on day d (Mon/Wed/Fri)."""
    if d.weekday() == 0:
        return [8, 19]
    if d.weekday() in (2, 4):
        return [8]
    return []


def ig_post_times(d: date) -> list[int]:
    if d.weekday() == 1 and not (d.year == 2026 and d.month == 8):
        return [12]
    return []


def x_post_times(d: date) -> list[int]:
    return [10] if d == date(2026, 1, 7) else []


def post_lifetime(account_id: str, d: date, hour: int, age: int) -> dict[str, int]:
    """Lifetime metrics `age` days after publishing (0 = publishing day), saturating at 4."""
    base = {FB: 1000, IG: 600, XA: 50}[account_id]
    boost = 2 if hour in (8, 19) else 1
    seed = base * boost + 10 * d.day
    frac = min(age + 1, 5)
    return {"reach": seed * frac, "views": 2 * seed * frac, "reactions": (seed // 10) * frac,
            "comments": (seed // 50) * frac, "shares": (seed // 100) * frac,
            "saves": (seed // 200) * frac if account_id == IG else None,
            "clicks": (seed // 40) * frac, "video_views": None}


def _daily_row(account_id: str, d: date, followers: int, gained: int, lost: int,
               posts: int) -> dict:
    m = _month_index(d)
    if account_id == FB:
        reach, engagements, video = 2000 + 10 * d.day + 50 * m, 100 + d.day + 2 * m, 300
    elif account_id == IG:
        reach, engagements, video = 800 + 5 * d.day + 120 * m, 60 + d.day + 6 * m, None
    else:  # X declines month after month
        k = m - 4  # 0 in January 2026
        reach, engagements, video = max(900 - 150 * k, 20), max(40 - 7 * k, 1), 5
    return {"account_id": account_id, "day": d, "followers": followers,
            "followers_gained": gained, "followers_lost": lost,
            "followers_derived": account_id == XA, "reach": reach, "views": 2 * reach,
            "engagements": engagements, "profile_visits": reach // 50, "video_views": video,
            "posts_published": posts, "source": "test"}


SPANS = {FB: (date(2025, 9, 1), date(2026, 10, 31)), IG: (date(2026, 1, 1), date(2026, 10, 31)),
         XA: (date(2026, 1, 1), date(2026, 6, 30))}
POST_TIMES = {FB: fb_post_times, IG: ig_post_times, XA: x_post_times}


def _stats_and_posts() -> dict[str, list[dict]]:
    tables: dict[str, list[dict]] = {"account": [], "account_daily": [], "post": [],
                                     "post_daily": []}
    names = {FB: ("facebook", "PruebaFB", "Prueba FB"), IG: ("instagram", "prueba.ig", "Prueba IG"),
             XA: ("x", "PruebaX", "Prueba X")}
    for acc, (net, handle, name) in names.items():
        tables["account"].append({"account_id": acc, "network": net, "handle": handle,
                                  "display_name": name, "entity": "Prueba",
                                  "source_kind": "demo", "day_timezone": "America/Bogota"})
        start, end = SPANS[acc]
        followers = {FB: 10_000, IG: 3_000, XA: 2_000}[acc]
        for d in _days(start, end):
            if acc == FB:
                gained, lost = 30 + d.day % 5, 10 + d.day % 3
            elif acc == IG:
                gained, lost = 20 + _month_index(d) * 2, 5
            else:
                gained, lost = (2, 0) if d.day % 3 == 0 else (0, 4)
            followers += gained - lost
            hours = POST_TIMES[acc](d)
            tables["account_daily"].append(_daily_row(acc, d, followers, gained, lost,
                                                      len(hours)))
            for i, h in enumerate(hours):
                pid = f"{acc}-p{d:%Y%m%d}-{i}"
                tables["post"].append({
                    "post_id": pid, "account_id": acc, "published_at": bogota_to_utc(d, h),
                    "kind": "photo", "text": f"Publicación {d:%d/%m} {h}h sobre vivienda",
                    "permalink": f"https://{net}.com/p/{pid}", "campaign": None,
                    "source": "test"})
                for age in range(6):
                    snap = d + timedelta(days=age)
                    if snap > end:
                        break
                    tables["post_daily"].append({"post_id": pid, "day": snap, "source": "test",
                                                 **post_lifetime(acc, d, h, age)})
    return tables


SENTIMENTS = ("negative", "neutral", "positive")
PQRS = (None, "peticion", "queja", "reclamo", None, "sugerencia", None)


def _messages() -> dict[str, list[dict]]:
    """Comments 2026-01..2026-10: 2 per day on Facebook, 1 every other day on Instagram."""
    msgs, labels, cases = [], [], []
    n = 0
    for d in _days(date(2026, 1, 1), date(2026, 10, 31)):
        per_account = [(FB, 2), (IG, 1 if d.day % 2 == 0 else 0)]
        if d <= date(2026, 6, 30) and d.day == 15:
            per_account.append((XA, 1))
        for acc, count in per_account:
            for _ in range(count):
                n += 1
                mid = f"{acc.split(':')[0]}:m{n}"
                at = bogota_to_utc(d, 9 + (n % 10), n % 60)
                own = n % 25 == 0
                msgs.append({"message_id": mid, "account_id": acc, "network": acc.split(":")[0],
                             "kind": "comment", "created_at": at, "author_key": f"{n % 40:064x}",
                             "author_handle": f"ciudadano{n % 40}", "is_own": own,
                             "text": f"Mensaje {n} sobre el subsidio", "post_id": None,
                             "parent_id": None, "permalink": f"https://x.test/{mid}",
                             "responded_at": None, "anonymised_at": None, "source": "test"})
                # Negative share rises with the month: month m has (m % 3) extra negatives.
                sentiment = SENTIMENTS[(n + d.month) % 3] if n % 4 else "negative"
                ptype = PQRS[n % len(PQRS)]
                labels.append({"message_id": mid, "model_version": "v1", "sentiment": "neutral",
                               "sentiment_score": 0.0, "pqrs_type": None, "pqrs_subtype": None,
                               "pqrs_score": 0.1, "due_date": None,
                               "classified_at": at + timedelta(hours=1)})
                labels.append({"message_id": mid, "model_version": "v2", "sentiment": sentiment,
                               "sentiment_score": {"negative": -0.6, "neutral": 0.0,
                                                   "positive": 0.7}[sentiment],
                               "pqrs_type": ptype, "pqrs_subtype": None,
                               "pqrs_score": 0.8 if ptype else 0.1, "due_date": None,
                               "classified_at": at + timedelta(hours=2)})
                if ptype and not own:
                    status = ("answered", "filed", "candidate", "discarded")[n % 4]
                    cases.append({"message_id": mid, "pqrs_type": ptype, "pqrs_subtype": None,
                                  "pqrs_score": 0.8, "received_at": at,
                                  "due_date": d + timedelta(days=15), "status": status,
                                  "radicado": f"R-{n}" if status in ("answered", "filed") else None,
                                  "filed_at": at + timedelta(days=1)
                                  if status in ("answered", "filed") else None,
                                  "responded_at": at + timedelta(days=5)
                                  if status == "answered" else None,
                                  "discard_reason": "spam" if status == "discarded" else None,
                                  "reviewed_by": "analista", "updated_at": at})
    return {"message": msgs, "message_label": labels, "pqrs_case": cases}


def build_report_warehouse(engine) -> None:
    """Fill an empty warehouse (schema created) with the fixture data through load_batch."""
    from pulso.warehouse.load import load_batch

    tables = _stats_and_posts()
    tables.update(_messages())
    result = load_batch(engine, tables, source="test")
    if result.total_rejected:
        raise AssertionError(f"fixture rows rejected: {result.rejects[:3]}")
