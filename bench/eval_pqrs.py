"""Evaluate the PQRS screener and measure classifier throughput against stock VADER.

Prints: flag precision/recall/F1 (PQRS vs not), per-type accuracy on flagged messages and the
confusion counts on tests/data/pqrs_labelled.csv, the hold-out set, the independent realistic
set (long petitions, narratives, public-space reports, chatter) and the small blind set written
after the rules-2 tuning; flag recall on the public seed examples when /work/shared is present;
then messages/s of `screen_many` and of
`classify_frame` (sentiment + PQRS) next to stock vaderSentiment on the same 100,000 messages.

    .venv/bin/python bench/eval_pqrs.py [--n 100000]
"""

from __future__ import annotations

import argparse
import csv
import random
import time
from collections import Counter
from pathlib import Path

from pulso.classify.pqrs import screen, screen_many

REPO = Path(__file__).resolve().parents[1]
LABELLED = REPO / "tests" / "data" / "pqrs_labelled.csv"
HOLDOUT = REPO / "tests" / "data" / "pqrs_holdout.csv"
REALISTIC = REPO / "tests" / "data" / "pqrs_eval_realistic.csv"
BLIND = REPO / "tests" / "data" / "pqrs_eval_blind.csv"
SEED = REPO.parent / "shared" / "data" / "pqrs" / "seed_examples.csv"


def evaluate(path: Path) -> list[str]:
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    tp = fp = fn = tn = 0
    conf: Counter[tuple[str, str]] = Counter()
    sub_ok = sub_n = 0
    for r in rows:
        s = screen(r["text"], is_own_account=r["is_own_account"] == "true")
        gold = r["pqrs_type"] or "-"
        got = s.pqrs_type or "-"
        conf[(gold, got)] += 1
        if gold != "-" and got != "-":
            tp += 1
            if gold == got == "peticion":
                sub_n += 1
                sub_ok += r["pqrs_subtype"] == s.pqrs_subtype
        elif gold != "-":
            fn += 1
        elif got != "-":
            fp += 1
        else:
            tn += 1
    p = tp / max(tp + fp, 1)
    rc = tp / max(tp + fn, 1)
    f1 = 2 * p * rc / max(p + rc, 1e-9)
    typed = sum(v for (g, o), v in conf.items() if g == o and g != "-")
    print(f"\n== {path.name}: {len(rows)} messages ==")
    print(f"flag precision {p:.3f}  recall {rc:.3f}  F1 {f1:.3f}  (tp {tp} fp {fp} fn {fn} tn {tn})")
    print(f"type accuracy on correctly flagged: {typed / max(tp, 1):.3f}; "
          f"peticion subtype accuracy: {sub_ok / max(sub_n, 1):.3f} ({sub_n})")
    labels = ["peticion", "queja", "reclamo", "sugerencia", "denuncia", "felicitacion", "-"]
    print("confusion (rows gold, columns predicted; '-' = not PQRS)")
    print(" " * 13 + "".join(f"{lab[:6]:>7}" for lab in labels))
    for g in labels:
        print(f"{g:>13}" + "".join(f"{conf[(g, o)]:>7}" for o in labels))
    return [r["text"] for r in rows]


def seed_recall() -> None:
    if not SEED.exists():
        print(f"\n(seed examples not found at {SEED}; skipped)")
        return
    rows = list(csv.DictReader(SEED.open(encoding="utf-8")))
    flagged = sum(screen(r["text"]).pqrs_type is not None for r in rows)
    print(f"\n== seed_examples.csv: flag recall {flagged / len(rows):.3f} ({flagged}/{len(rows)}) ==")


SUFFIXES = ["", " 🙏", " !!", " gracias", " 😡", " xfa", " ya", " ...", " 👏👏", " por favor", " jm"]


def synthesise(texts: list[str], n: int, seed: int = 7) -> list[str]:
    """Vary the labelled texts with random suffixes/numbers so caching cannot explain speed."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        t = rng.choice(texts)
        if rng.random() < 0.3:
            t = t.upper() if rng.random() < 0.5 else t.lower()
        out.append(f"{t}{rng.choice(SUFFIXES)} {rng.randint(0, 999_999)}")
    return out


def throughput(texts: list[str]) -> None:
    import pandas as pd
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from pulso.classify import pqrs
    from pulso.classify.pipeline import classify_frame
    from pulso.classify.sentiment import get_analyzer

    n = len(texts)
    vader = SentimentIntensityAnalyzer()
    t0 = time.perf_counter()
    for t in texts:
        vader.polarity_scores(t)
    v_rate = n / (time.perf_counter() - t0)

    pqrs._screen_normalised.cache_clear()
    t0 = time.perf_counter()
    screen_many(texts)
    s_rate = n / (time.perf_counter() - t0)

    get_analyzer()  # lexicon load is a one-off, not per message
    pqrs._screen_normalised.cache_clear()
    df = pd.DataFrame({"text": texts})
    t0 = time.perf_counter()
    classify_frame(df)
    c_rate = n / (time.perf_counter() - t0)

    print(f"\n== throughput on {n:,} messages ({len(set(texts)):,} distinct) ==")
    print(f"stock vaderSentiment polarity_scores : {v_rate:>10,.0f} msg/s")
    print(f"pqrs.screen_many                     : {s_rate:>10,.0f} msg/s  ({s_rate / v_rate:.2f}x VADER)")
    print(f"classify_frame (sentiment + PQRS)    : {c_rate:>10,.0f} msg/s  ({c_rate / v_rate:.2f}x VADER)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    args = ap.parse_args()
    texts = evaluate(LABELLED)
    for extra in (HOLDOUT, REALISTIC, BLIND):
        if extra.exists():
            evaluate(extra)
    seed_recall()
    throughput(synthesise(texts, args.n))


if __name__ == "__main__":
    main()
