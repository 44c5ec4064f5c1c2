"""Batch classification of a message frame: sentiment, PQRS candidate type and legal due date.

Behaviour worth knowing:

* `is_own_account`: a message whose `author_handle` (case-insensitive, leading @ ignored) is one
  of `own_handles` is the entity talking; it is never a PQRS.
* Duplicates: when the frame has `author_handle` and `created_at`, a message whose normalised
  text repeats a PQRS candidate from the same author within `DUPLICATE_WINDOW` counts once:
  the earliest stays, later copies get `pqrs_type` None (reason "duplicate" in
  `pqrs_reasons`). Citizens often paste the same complaint on several posts.
* `due_date` is computed only when `created_at` exists and the type has a legal term
  (felicitaciones have none); it uses the term in force on the receipt day (see deadlines).
"""

from __future__ import annotations

import time
from collections.abc import Collection
from datetime import timedelta
from typing import TYPE_CHECKING

from pulso.classify.deadlines import BusinessCalendar
from pulso.classify.pqrs import normalise, screen_many

if TYPE_CHECKING:
    import pandas as pd

DUPLICATE_WINDOW = timedelta(days=3)
OUTPUT_COLUMNS = (
    "sentiment",
    "sentiment_score",
    "pqrs_type",
    "pqrs_score",
    "pqrs_subtype",
    "due_date",
)


def _handle_key(handle: object) -> str:
    if not isinstance(handle, str):
        return ""
    return handle.strip().lstrip("@").casefold()


def _handle_keys(handles: list) -> list[str]:
    """`_handle_key` of each handle, computed once per distinct handle (authors repeat)."""
    memo: dict[str, str] = {}
    out: list[str] = []
    for h in handles:
        if isinstance(h, str):
            key = memo.get(h)
            if key is None:
                key = memo[h] = _handle_key(h)
            out.append(key)
        else:
            out.append("")
    return out


def classify_frame(
    df: pd.DataFrame,
    *,
    calendar: BusinessCalendar | None = None,
    own_handles: Collection[str] = (),
    stage_times: dict[str, float] | None = None,
) -> pd.DataFrame:
    """Return a new frame: the input columns plus sentiment and PQRS columns (see module doc).

    `stage_times`, when given, receives the seconds spent in each stage (sentiment, pqrs,
    due_date), for the benchmark."""
    import pandas as pd

    from pulso.classify.sentiment import get_analyzer

    if "text" not in df.columns:
        raise KeyError("the frame has no 'text' column")
    out = df.copy()
    texts = [t if isinstance(t, str) else "" for t in out["text"].tolist()]
    n = len(texts)

    clock = time.perf_counter()
    labels, scores = get_analyzer().analyze_many(texts)
    spent = {"sentiment": time.perf_counter() - clock}
    out["sentiment"] = labels
    out["sentiment_score"] = scores

    own_keys = {_handle_key(h) for h in own_handles} - {""}
    handles = out["author_handle"].tolist() if "author_handle" in out.columns else [None] * n
    keys = _handle_keys(handles)
    own = [k in own_keys for k in keys] if own_keys else [False] * n
    kinds = out["kind"].tolist() if "kind" in out.columns else None
    if kinds is not None:
        kinds = [k if isinstance(k, str) else None for k in kinds]
    clock = time.perf_counter()
    results = screen_many(texts, is_own_account=own, kinds=kinds)
    spent["pqrs"] = time.perf_counter() - clock

    types = [r.pqrs_type for r in results]
    subtypes = [r.pqrs_subtype for r in results]
    pscores = [r.pqrs_score for r in results]
    reasons = [";".join(r.reasons) for r in results]

    created = None
    if "created_at" in out.columns:
        created = pd.to_datetime(out["created_at"], errors="coerce", utc=True, format="mixed")

    if created is not None and "author_handle" in out.columns:
        _mark_duplicates(texts, handles, created, types, subtypes, pscores, reasons, keys)

    clock = time.perf_counter()
    due: list[object] = [None] * n
    if created is not None:
        due = _due_dates(calendar or BusinessCalendar(), created, types, subtypes)
    spent["due_date"] = time.perf_counter() - clock
    if stage_times is not None:
        stage_times.update(spent)

    out["pqrs_type"] = pd.Series(types, index=out.index, dtype="object")
    out["pqrs_score"] = pscores
    out["pqrs_subtype"] = pd.Series(subtypes, index=out.index, dtype="object")
    out["due_date"] = pd.Series(due, index=out.index, dtype="object")
    out["pqrs_reasons"] = reasons
    return out


def _due_dates(
    cal: BusinessCalendar, created: pd.Series, types: list, subtypes: list
) -> list[object]:
    """Due date per row (None without a type or a time), vectorised (`BusinessCalendar.due_dates`).

    The due date depends only on the local receipt day, whether the message came at/after
    office close, and the type/subtype; all three are whole-column operations here."""
    import numpy as np

    if not any(t is not None for t in types):
        return [None] * len(types)
    local = created.dt.tz_convert(cal.tz).dt.tz_localize(None).to_numpy()
    days = local.astype("datetime64[D]")
    close = cal.office_close
    close_at = np.timedelta64(((close.hour * 60 + close.minute) * 60 + close.second) * 1_000_000
                              + close.microsecond, "us")
    after_close = (local - days.astype(local.dtype)) >= close_at  # NaT compares False
    return cal.due_dates(days, after_close, types, subtypes).astype(object).tolist()


def _mark_duplicates(texts, handles, created, types, subtypes, pscores, reasons,  # noqa: ANN001
                     keys: list[str] | None = None) -> None:
    """Keep the earliest of repeated PQRS texts per author within DUPLICATE_WINDOW.

    Per (author, normalised text), in time order (ties in row order), a copy within the window
    of the last kept one is a duplicate. A candidate with no other candidate of its author
    within the window can neither be a copy nor make one (the next same-author candidate is
    further than the window from it and from anything kept before it), so only the others are
    normalised, and only repeated keys are walked in order. `keys`: `_handle_keys(handles)`
    when the caller has them."""
    import numpy as np

    stamps = created.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy()
    timed = ~np.isnat(stamps)
    window = np.timedelta64(DUPLICATE_WINDOW).astype(stamps.dtype).astype(np.int64)
    ticks = stamps.view(np.int64)
    authors: dict[str, int] = {}
    rows, author_of = [], []
    for i, t in enumerate(types):
        if t is not None and timed[i]:
            author = keys[i] if keys is not None else _handle_key(handles[i])
            if author:
                rows.append(i)
                author_of.append(authors.setdefault(author, len(authors)))
    if len(rows) < 2:
        return
    rows_a, author_a = np.asarray(rows), np.asarray(author_of)
    order = np.lexsort((rows_a, ticks[rows_a], author_a))
    rows_a, author_a = rows_a[order], author_a[order]
    close = (author_a[1:] == author_a[:-1]) & (np.diff(ticks[rows_a]) <= window)
    near = np.zeros(len(rows_a), dtype=bool)
    near[1:] |= close
    near[:-1] |= close
    by_key: dict[tuple[int, str], list[int]] = {}
    for i, a in zip(rows_a[near].tolist(), author_a[near].tolist(), strict=True):
        by_key.setdefault((a, " ".join(normalise(texts[i]).split())), []).append(i)
    for group in by_key.values():  # each in time order, ties in row order (the lexsort)
        if len(group) < 2:
            continue
        kept = ticks[group[0]]
        for i in group[1:]:
            if ticks[i] - kept <= window:
                types[i] = None
                subtypes[i] = None
                pscores[i] = 0.0
                reasons[i] = "duplicate"
            else:
                kept = ticks[i]
