"""Follower gains and losses from end-of-day totals: the one place they are derived.

Networks that only give a total (X, TikTok) or gains without losses (LinkedIn) get the
difference of consecutive end-of-day totals; API connectors and the daily ingest both call
`derive_followers`, so the rule (and its edge cases: a missing day, the first day of a batch)
is written once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

Row = dict[str, Any]

# (account_id, day) -> followers total already stored for that day, or None
FollowersHistory = Callable[[str, date], int | None]


def derive_followers(rows: list[Row], account_id: str, history: FollowersHistory | None,
                     *, gains_known: bool = False) -> None:
    """Fill follower gains/losses from consecutive totals, in place.

    Networks that only give a total (X) or gains without losses (LinkedIn) get the difference
    of end-of-day totals; the previous total comes from the same batch or, for the first day,
    from the warehouse (`history`). A day whose total is unknown keeps the stored snapshot
    (`history`) so that a reload never erases it. Without two totals gained/lost stay None.
    """
    prev_day: date | None = None
    prev_total: int | None = None
    for r in sorted(rows, key=lambda r: r["day"]):
        day: date = r["day"]
        if r.get("followers") is None and history is not None:
            r["followers"] = history(account_id, day)
        if prev_day == day - timedelta(days=1):
            before = prev_total
        else:
            before = history(account_id, day - timedelta(days=1)) if history else None
        now_total = r.get("followers")
        r["followers_derived"] = True
        if now_total is not None and before is not None:
            net = now_total - before
            if gains_known:
                gained = r.get("followers_gained")
                r["followers_lost"] = max(gained - net, 0) if gained is not None else None
            else:
                r["followers_gained"] = max(net, 0)
                r["followers_lost"] = max(-net, 0)
        prev_day, prev_total = day, now_total
