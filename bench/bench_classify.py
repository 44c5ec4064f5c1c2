"""Throughput of sentiment + PQRS screening + due date together, against stock VADER.

On distinct real texts when ../shared is present (TASS 2020 tweets + ngo_co feedback, each text
once, so no cache or de-duplication helps); otherwise, or with --demo, on demo messages.
Pulso's batch classifier (`classify_frame`: Spanish sentiment, PQRS type, subtype, score and
legal due date) against stock vaderSentiment's `polarity_scores` on the same texts, single
process, same run. Target (issue 10): Pulso at least as many messages/s as stock VADER (>= 1.0x).

    .venv/bin/python bench/bench_classify.py [--demo] [--messages 100000]
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import peak_rss_mb  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
REAL_SETS = (
    SHARED / "sentiment" / "tass2020_es.csv",
    SHARED / "pqrs" / "ngo_co" / "train.csv",
    SHARED / "pqrs" / "ngo_co" / "test.csv",
)


def real_texts() -> list[str] | None:
    """Distinct texts of the real sets (read here, never copied into the project)."""
    if not all(p.is_file() for p in REAL_SETS):
        return None
    texts: list[str] = []
    for path in REAL_SETS:
        with path.open(encoding="utf-8", newline="") as fh:
            texts.extend(row["text"] for row in csv.DictReader(fh))
    return list(dict.fromkeys(t for t in texts if t))


def real_frame(texts: list[str]):  # noqa: ANN201 - pandas DataFrame
    """Messages with synthetic receipt times (office hours spread over a month) and authors."""
    import pandas as pd

    start = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)
    return pd.DataFrame({
        "text": texts,
        "created_at": [start + timedelta(minutes=37 * i) for i in range(len(texts))],
        "author_handle": [f"ciudadano{i % 5000}" for i in range(len(texts))],
        "kind": ["comment"] * len(texts),
    })


def demo_frame(messages: int):  # noqa: ANN201 - pandas DataFrame
    import pandas as pd

    from pulso.core.config import load_config
    from pulso.core.paths import PROJECT_ROOT
    from pulso.sources.demo import iter_message_chunks

    config = load_config(PROJECT_ROOT / "pulso.yaml")
    rows = [r for c in iter_message_chunks(config, date(2026, 10, 1), date(2026, 10, 31),
                                           messages) for r in c]
    return pd.DataFrame({"text": [r["text"] for r in rows],
                         "created_at": [r["created_at"] for r in rows],
                         "author_handle": [r["author_handle"] for r in rows],
                         "kind": [r["kind"] for r in rows]})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000, help="demo messages (--demo)")
    parser.add_argument("--demo", action="store_true", help="demo text even if ../shared exists")
    args = parser.parse_args()

    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from pulso.classify.deadlines import BusinessCalendar
    from pulso.classify.pipeline import classify_frame
    from pulso.classify.sentiment import SentimentAnalyzer, get_analyzer
    from pulso.core.config import load_config
    from pulso.core.paths import PROJECT_ROOT

    texts = None if args.demo else real_texts()
    if texts is not None:
        source = "distinct real texts (TASS 2020 + ngo_co train/test)"
        frame = real_frame(texts)
    else:
        source = "demo messages" + ("" if args.demo else " (../shared not found)")
        frame = demo_frame(args.messages)
        texts = frame["text"].tolist()
    n = len(texts)
    distinct = len(set(texts))

    config = load_config(PROJECT_ROOT / "pulso.yaml")
    calendar = BusinessCalendar(extra_closed_days=config.office.extra_closed_days,
                                office_close=config.office.close_time)
    # Startup costs are paid once per worker, not per message: load the lexicon and the PQRS
    # model and warm the imports (scipy.sparse, the holidays calendars; this environment
    # compiles them on each run) before timing, but leave every per-token and per-text cache
    # empty.
    t0 = time.perf_counter()
    get_analyzer()
    startup = time.perf_counter() - t0
    t0 = time.perf_counter()
    import holidays.countries  # noqa: F401 - what holidays.CO imports on first use
    import scipy.sparse  # noqa: F401

    from pulso.classify.pqrs import current_model

    current_model()
    warm = time.perf_counter() - t0
    fresh = SentimentAnalyzer()

    vader = SentimentIntensityAnalyzer()
    t0 = time.perf_counter()
    for t in texts:
        vader.polarity_scores(t)
    vader_s = time.perf_counter() - t0

    stages: dict[str, float] = {}
    t0 = time.perf_counter()
    out = classify_frame(frame, calendar=calendar, own_handles=config.own_handles,
                         stage_times=stages)
    pulso_s = time.perf_counter() - t0
    assert len(out) == len(frame)

    t0 = time.perf_counter()
    fresh.analyze_many(texts)
    sent_s = time.perf_counter() - t0

    from pulso.classify.pqrs import normalise

    norm = list(dict.fromkeys(normalise(t) for t in texts))
    t0 = time.perf_counter()
    current_model().proba(norm)
    model_s = time.perf_counter() - t0

    print(f"{source}: {n:,} messages ({distinct:,} distinct texts)")
    print(f"stock vaderSentiment polarity_scores : {n / vader_s:,.0f} msg/s ({vader_s:.2f} s)")
    print(f"Pulso classify_frame (sentiment+PQRS+due date): {n / pulso_s:,.0f} msg/s "
          f"({pulso_s:.2f} s)")
    for stage in ("sentiment", "pqrs", "due_date"):
        spent = stages.get(stage, 0.0)
        print(f"  stage {stage:<9}: {spent:6.2f} s ({spent / pulso_s:4.0%} of the pipeline, "
              f"{n / spent if spent else float('inf'):,.0f} msg/s)")
    rest = pulso_s - sum(stages.values())
    print(f"  stage other    : {rest:6.2f} s ({rest / pulso_s:4.0%}: frame copy, duplicates, columns)")
    print(f"  sentiment alone (cold caches): {n / sent_s:,.0f} msg/s ({sent_s:.2f} s, "
          f"{sent_s / pulso_s:.0%} of the pipeline; ratio to VADER {vader_s / sent_s:.2f}x); "
          f"lexicon load once per process {startup:.2f} s, not counted")
    print(f"  PQRS model scoring alone (proba on {len(norm):,} distinct normalised texts): "
          f"{model_s:.2f} s")
    print(f"  imports (scipy.sparse, holidays) and PQRS model load once per process: {warm:.2f} s,"
          " not counted")
    print(f"ratio Pulso / VADER = {vader_s / pulso_s:.2f}x (target >= 1.0)")
    print(f"PQRS candidates: {out['pqrs_type'].notna().sum():,}; "
          f"sentiment: {out['sentiment'].value_counts().to_dict()}")
    print(f"peak RSS: {peak_rss_mb():,.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
