"""Throughput of sentiment + PQRS screening together on 100,000 demo messages.

Pulso's batch classifier (`classify_frame`: Spanish sentiment, PQRS type, subtype, score and
legal due date) against stock vaderSentiment's `polarity_scores` on the same texts, single
process, same run. Target (issue 3): Pulso at least as many messages/s as stock VADER.

    .venv/bin/python bench/bench_classify.py [--messages 100000]
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import peak_rss_mb  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    args = parser.parse_args()

    import pandas as pd
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from pulso.classify.deadlines import BusinessCalendar
    from pulso.classify.pipeline import classify_frame
    from pulso.core.config import load_config
    from pulso.core.paths import PROJECT_ROOT
    from pulso.sources.demo import iter_message_chunks

    config = load_config(PROJECT_ROOT / "pulso.yaml")
    rows = [r for c in iter_message_chunks(config, date(2026, 10, 1), date(2026, 10, 31),
                                           args.messages) for r in c]
    frame = pd.DataFrame({"text": [r["text"] for r in rows],
                          "created_at": [r["created_at"] for r in rows],
                          "author_handle": [r["author_handle"] for r in rows],
                          "kind": [r["kind"] for r in rows]})
    texts = frame["text"].tolist()
    distinct = len(set(texts))

    vader = SentimentIntensityAnalyzer()
    t0 = time.perf_counter()
    for t in texts:
        vader.polarity_scores(t)
    vader_s = time.perf_counter() - t0

    calendar = BusinessCalendar(extra_closed_days=config.office.extra_closed_days,
                                office_close=config.office.close_time)
    t0 = time.perf_counter()
    out = classify_frame(frame, calendar=calendar, own_handles=config.own_handles)
    pulso_s = time.perf_counter() - t0
    assert len(out) == len(frame)

    # The same comparison on distinct texts only: no help from de-duplication.
    uniq = frame.drop_duplicates("text").reset_index(drop=True)
    t0 = time.perf_counter()
    for t in uniq["text"]:
        vader.polarity_scores(t)
    vader_u = time.perf_counter() - t0
    t0 = time.perf_counter()
    classify_frame(uniq, calendar=calendar, own_handles=config.own_handles)
    pulso_u = time.perf_counter() - t0

    n = len(texts)
    print(f"messages: {n:,} ({distinct:,} distinct texts)")
    print(f"stock vaderSentiment polarity_scores : {n / vader_s:,.0f} msg/s ({vader_s:.2f} s)")
    print(f"Pulso classify_frame (sentiment+PQRS+due date): {n / pulso_s:,.0f} msg/s "
          f"({pulso_s:.2f} s)")
    print(f"ratio Pulso / VADER = {vader_s / pulso_s:.2f}x (target >= 1.0)")
    print(f"distinct texts only ({len(uniq):,}): VADER {len(uniq) / vader_u:,.0f} msg/s, "
          f"Pulso {len(uniq) / pulso_u:,.0f} msg/s, ratio {vader_u / pulso_u:.2f}x")
    print(f"PQRS candidates: {out['pqrs_type'].notna().sum():,}; "
          f"sentiment: {out['sentiment'].value_counts().to_dict()}")
    print(f"peak RSS: {peak_rss_mb():,.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
