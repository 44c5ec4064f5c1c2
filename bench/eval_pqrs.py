"""PQRS screener quality on real text only (the shipped screener, as `pulso classify` runs it).

Evidence comes from sets nobody on the project wrote, read from ../shared at run time:

* ngo_co/test.csv (real Colombian feedback, staff labels): per staff label the share flagged
  as a PQRS candidate, *Retroalimentación positiva* read as felicitación, the four-class type
  macro-F1 (scoring rules in bench/_pqrs_real.py) and the confusion table;
* TASS 2020 (general Spanish tweets): share flagged as PQRS = false-alarm rate (target <= 6%);
* seed_examples.csv: flag recall per type;
* the operating point: the flag threshold that keeps recall >= 0.90 on real requests and
  complaints (chosen on ngo_co/train.csv, reported on test.csv) and the precision there.

The self-written sets under tests/data stay regression tests; they are not evidence here.

    .venv/bin/python bench/eval_pqrs.py [--threshold-only]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _pqrs_real import (  # noqa: E402
    CLASSES,
    SEED,
    STAFF_NAME,
    TASS,
    confusion,
    macro_f1,
    ngo,
    read_csv,
    to_class,
)


def _flag(pqrs_type: str | None) -> bool:
    return pqrs_type is not None and pqrs_type != "felicitacion"


def eval_ngo() -> None:
    from pulso.classify.pqrs import model_version, screen_many

    texts, gold = ngo("test")
    res = screen_many(texts)
    pred = [to_class(r.pqrs_type, r.pqrs_subtype) for r in res]
    print(f"screener: {model_version()}")
    print(f"\n== ngo_co/test.csv: {len(texts):,} real messages, staff labels ==")
    for c in CLASSES:
        idx = [i for i, g in enumerate(gold) if g == c]
        flagged = sum(_flag(res[i].pqrs_type) for i in idx) / len(idx)
        fel = sum(res[i].pqrs_type == "felicitacion" for i in idx) / len(idx)
        types = Counter(res[i].pqrs_type or "-" for i in idx)
        print(f"{STAFF_NAME[c]:<28} n={len(idx):>5}  flagged {flagged:.3f}  felicitacion {fel:.3f}  "
              f"types {dict(types.most_common())}")
    mf1, per = macro_f1(gold, pred)
    print(f"type macro-F1 (4 mapped classes): {mf1:.3f}")
    for c, (p, r, f) in per.items():
        print(f"  {STAFF_NAME[c]:<28} precision {p:.3f} recall {r:.3f} F1 {f:.3f}")
    print("confusion (rows gold, columns predicted):")
    print(confusion(gold, pred))


def eval_tass() -> None:
    from pulso.classify.pqrs import screen_many

    rows = read_csv(TASS)
    res = screen_many([r["text"] for r in rows])
    flagged = [r for r, s in zip(rows, res, strict=True) if _flag(s.pqrs_type)]
    print(f"\n== TASS 2020: {len(rows):,} general tweets ==")
    print(f"flagged as PQRS (false-alarm rate): {len(flagged) / len(rows):.3f} "
          f"({len(flagged)}) target <= 0.06")
    by_type = Counter(s.pqrs_type for s in res if _flag(s.pqrs_type))
    print(f"  by type: {dict(by_type.most_common())}")
    by_sent = Counter(r["label"] for r in flagged)
    print(f"  flagged by sentiment label: {dict(by_sent.most_common())}")


def eval_seed() -> None:
    from pulso.classify.pqrs import screen_many

    rows = read_csv(SEED)
    res = screen_many([r["text"] for r in rows])
    print(f"\n== seed_examples.csv: {len(rows)} ==")
    total = n = 0
    for lab in sorted({r["label"] for r in rows}):
        idx = [i for i, r in enumerate(rows) if r["label"] == lab]
        ok = sum(_flag(res[i].pqrs_type) for i in idx)
        typed = sum(res[i].pqrs_type == lab for i in idx)
        if lab != "felicitacion":  # a felicitación is not flagged by design
            total += ok
            n += len(idx)
        print(f"  {lab:<14} n={len(idx):>3} flagged {ok / len(idx):.3f}  same type {typed / len(idx):.3f}")
    print(f"flag recall (all but felicitación): {total / n:.3f} ({total}/{n})")


def operating_point() -> None:
    """Threshold for recall >= 0.90 on real requests/complaints, and precision there."""
    from pulso.classify.pqrs import flag_scores, threshold

    DEFAULT_THRESHOLD = threshold()  # noqa: N806

    tr_texts, tr_gold = ngo("train")
    te_texts, te_gold = ngo("test")
    tass = [r["text"] for r in read_csv(TASS)]
    tr = flag_scores(tr_texts)
    te = flag_scores(te_texts)
    ts = flag_scores(tass)
    pos_tr = sorted(s for s, g in zip(tr, tr_gold, strict=True) if g != "positiva")
    chosen = pos_tr[int(0.10 * len(pos_tr))]  # 90% of train positives at or above it
    print("\n== operating point (flag score: model P(PQRS but felicitación) blended with the rules) ==")
    print(f"shipped threshold {DEFAULT_THRESHOLD:.3f}; threshold for recall 0.90 on "
          f"ngo_co/train requests+complaints: {chosen:.3f}")
    for name, th in (("shipped", DEFAULT_THRESHOLD), ("recall-0.90", chosen)):
        tp = sum(s >= th and g != "positiva" for s, g in zip(te, te_gold, strict=True))
        fp_pos = sum(s >= th and g == "positiva" for s, g in zip(te, te_gold, strict=True))
        pos = sum(g != "positiva" for g in te_gold)
        fa = sum(s >= th for s in ts)
        # Precision on a mixed inbox: ngo_co test (positiva rows are not PQRS) + TASS tweets.
        prec = tp / max(tp + fp_pos + fa, 1)
        print(f"  {name:<12} th={th:.3f}: recall {tp / pos:.3f} on ngo_co/test requests+complaints; "
              f"precision {tp / max(tp + fp_pos, 1):.3f} within ngo_co/test, "
              f"{prec:.3f} with TASS added as non-PQRS; TASS flagged {fa / len(ts):.3f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threshold-only", action="store_true")
    args = ap.parse_args()
    if not TASS.exists():
        print(f"real sets not found under {TASS.parents[1]}; nothing to evaluate")
        return 1
    if not args.threshold_only:
        eval_ngo()
        eval_tass()
        eval_seed()
    try:
        operating_point()
    except ImportError:
        print("\n(screener has no flag_scores: operating point skipped)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
