"""Quality and speed of Pulso's Spanish sentiment analyzer next to stock vaderSentiment.

Real text only counts as evidence:

* TASS 2020 tweets (../shared/data/sentiment/tass2020_es.csv; research licence, not shipped):
  macro-F1, accuracy, per-class precision/recall/F1 and messages/s for both analyzers measured
  in this same process, and the ratios (target: macro-F1 >= 0.60).
* ngo_co real Colombian feedback (../shared/data/pqrs/ngo_co/test.csv, no licence, not
  shipped): how each staff label reads (targets: *Insatisfacción mínima* negative >= 0.50,
  *Retroalimentación positiva* positive >= 0.85; requests should mostly not read positive).

Then one line per failure class of issue 10 on small sets written for Pulso
(bench/data/sentiment_classes.tsv): regression only, not evidence.

    .venv/bin/python bench/eval_sentiment.py [--bands] [--halves] [--ngo-split train|test]
"""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA = REPO_ROOT.parent / "shared" / "data" / "sentiment" / "tass2020_es.csv"
NGO_DIR = REPO_ROOT.parent / "shared" / "data" / "pqrs" / "ngo_co"
CLASS_SETS = REPO_ROOT / "bench" / "data" / "sentiment_classes.tsv"
CLASSES = ("positive", "negative", "neutral")
# ngo_co staff label -> the reading it should get, and the target share.
NGO_TARGETS = {
    "Insatisfacción mínima": ("negative", 0.50),
    "Retroalimentación positiva": ("positive", 0.85),
}


def load(path: Path) -> tuple[list[str], list[str]]:
    if not path.is_file():
        sys.exit(f"Labelled set not found: {path} (needs ../shared/data/sentiment/ next to the repo)")
    texts, labels = [], []
    with path.open(encoding="utf-8", newline="") as fh:
        for n, row in enumerate(csv.DictReader(fh), 2):
            if row.get("label") not in CLASSES:
                sys.exit(f"{path}:{n}: label {row.get('label')!r} not in {CLASSES}")
            texts.append(row["text"])
            labels.append(row["label"])
    return texts, labels


def scores(gold: list[str], pred: list[str]) -> dict[str, float]:
    """Accuracy, per-class F1 and macro-F1, computed directly."""
    out: dict[str, float] = {}
    for c in CLASSES:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == c and p == c)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if g != c and p == c)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == c and p != c)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        out[c] = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    out["macro_f1"] = sum(out[c] for c in CLASSES) / len(CLASSES)
    out["accuracy"] = sum(1 for g, p in zip(gold, pred, strict=True) if g == p) / len(gold)
    return out


def per_class(gold: list[str], pred: list[str]) -> dict[str, tuple[float, float, float, int]]:
    """Precision, recall, F1 and support per class."""
    out = {}
    for c in CLASSES:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == c and p == c)
        n_pred = sum(1 for p in pred if p == c)
        n_gold = sum(1 for g in gold if g == c)
        prec = tp / n_pred if n_pred else 0.0
        rec = tp / n_gold if n_gold else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out[c] = (prec, rec, f1, n_gold)
    return out


def load_ngo(split: str) -> list[tuple[str, str]] | None:
    path = NGO_DIR / f"{split}.csv"
    if not path.is_file():
        return None
    with path.open(encoding="utf-8", newline="") as fh:
        return [(row["text"], " ".join(row["label"].split())) for row in csv.DictReader(fh)]


def load_class_sets() -> list[tuple[str, str, str]]:
    """(class, expected, text) rows of the authored regression sets."""
    rows = []
    with CLASS_SETS.open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            cls, expected, text = line.rstrip("\n").split("\t")
            rows.append((cls, expected, text))
    return rows


def report_ngo(analyzer, split: str) -> None:  # noqa: ANN001 - SentimentAnalyzer
    rows = load_ngo(split)
    if rows is None:
        print(f"ngo_co/{split}.csv not found under {NGO_DIR}: skipped")
        return
    labels, _ = analyzer.analyze_many([t for t, _ in rows])
    by_label: dict[str, dict[str, int]] = {}
    for (_, gold), pred in zip(rows, labels, strict=True):
        by_label.setdefault(gold, dict.fromkeys(CLASSES, 0))[pred] += 1
    print(f"ngo_co/{split}.csv: how each staff label reads ({len(rows)} rows)")
    print(f"  {'label':30} {'n':>5} {'pos':>5} {'neu':>5} {'neg':>5}  target")
    for gold, counts in sorted(by_label.items()):
        n = sum(counts.values())
        share = {c: counts[c] / n for c in CLASSES}
        target = ""
        if gold in NGO_TARGETS:
            want, floor = NGO_TARGETS[gold]
            ok = "met" if share[want] >= floor else "NOT met"
            target = f"{want} >= {floor:.2f}: {ok}"
        print(f"  {gold:30} {n:5} {share['positive']:5.2f} {share['neutral']:5.2f} "
              f"{share['negative']:5.2f}  {target}")


def report_classes(analyzer) -> None:  # noqa: ANN001 - SentimentAnalyzer
    rows = load_class_sets()
    print(f"failure classes (authored regression sets, {CLASS_SETS.name}; not evidence):")
    by_class: dict[str, list[bool]] = {}
    for cls, expected, text in rows:
        label = analyzer.analyze(text)[0]
        ok = label != "positive" if expected == "not_positive" else label == expected
        by_class.setdefault(cls, []).append(ok)
    for cls, oks in by_class.items():
        expected = next(e for c, e, _ in rows if c == cls)
        print(f"  {cls:20} expected {expected:12} {sum(oks)}/{len(oks)}")


def vader_label(compound: float, band: float = 0.05) -> str:
    if compound >= band:
        return "positive"
    if compound <= -band:
        return "negative"
    return "neutral"


def best_of(fn, repeats: int = 3) -> float:
    """Fastest of a few runs, in seconds (less noise from a busy machine)."""
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from pulso.classify.sentiment import MODEL_VERSION, SentimentAnalyzer

    texts, gold = load(DATA)
    n = len(texts)
    stock = SentimentIntensityAnalyzer()
    ours = SentimentAnalyzer()

    stock_comp: list[float] = []

    def run_stock() -> None:
        stock_comp[:] = [stock.polarity_scores(t)["compound"] for t in texts]

    def run_ours_single() -> None:
        # Fresh analyzer each run so the token cache starts cold, like a new worker process.
        a = SentimentAnalyzer()
        for t in texts:
            a.analyze(t)

    def run_ours_batch() -> None:
        SentimentAnalyzer().analyze_many(texts)

    warm = SentimentAnalyzer()
    for t in texts:  # the per-text token/chunk caches now hold this vocabulary (analyze_many
        warm.compound(t)  # scores a large batch with its own tables and leaves them empty)

    def run_ours_warm() -> None:
        # Steady state of a long-lived worker: vocabulary cached, texts not (distinct list).
        for t in texts:
            warm.analyze(t)

    t_stock = best_of(run_stock)
    t_single = best_of(run_ours_single)
    t_batch = best_of(run_ours_batch)
    t_warm = best_of(run_ours_warm)
    stock_pred = [vader_label(c) for c in stock_comp]
    ours_pred, ours_comp = ours.analyze_many(texts)

    rows = [("stock vaderSentiment 3.3.2", scores(gold, stock_pred), n / t_stock),
            (f"pulso {MODEL_VERSION} (analyze)", scores(gold, ours_pred), n / t_single),
            (f"pulso {MODEL_VERSION} (analyze_many)", scores(gold, ours_pred), n / t_batch),
            (f"pulso {MODEL_VERSION} (warm vocab)", scores(gold, ours_pred), n / t_warm)]
    print(f"TASS 2020 es: {n} tweets, neutral band "
          f"({-ours.negative_band}, {ours.neutral_band})")
    print(f"{'system':38} {'macroF1':>8} {'acc':>6} {'F1pos':>6} {'F1neg':>6} {'F1neu':>6} {'msg/s':>9}")
    for name, s, speed in rows:
        print(f"{name:38} {s['macro_f1']:8.3f} {s['accuracy']:6.3f} {s['positive']:6.3f} "
              f"{s['negative']:6.3f} {s['neutral']:6.3f} {speed:9.0f}")
    q = rows[1][1]["macro_f1"] / rows[0][1]["macro_f1"]
    print(f"ratios vs stock: macro-F1 x{q:.2f}, speed: analyze (cold) x{t_stock / t_single:.2f}, "
          f"analyze_many (cold) x{t_stock / t_batch:.2f}, warm vocabulary x{t_stock / t_warm:.2f}")
    print("cold = new analyzer per run (empty caches); warm = caches filled by an earlier pass")
    print(f"pulso {MODEL_VERSION} per class on TASS:")
    for c, (prec, rec, f1, support) in per_class(gold, ours_pred).items():
        print(f"  {c:9} precision {prec:.3f} recall {rec:.3f} F1 {f1:.3f} (n={support})")
    target = "met" if rows[1][1]["macro_f1"] >= 0.60 else "NOT met"
    print(f"  macro-F1 {rows[1][1]['macro_f1']:.3f} (target >= 0.60: {target})")
    if "--halves" in sys.argv:
        # Deterministic split by row parity: decide changes on one half, check on the other.
        for name, start in (("even rows", 0), ("odd rows", 1)):
            idx = range(start, n, 2)
            s = scores([gold[i] for i in idx], [ours_pred[i] for i in idx])
            print(f"  TASS {name}: macro-F1 {s['macro_f1']:.4f} acc {s['accuracy']:.3f} "
                  f"(n={len(idx)})")
    split = sys.argv[sys.argv.index("--ngo-split") + 1] if "--ngo-split" in sys.argv else "test"
    report_ngo(ours, split)
    report_classes(ours)

    if "--bands" in sys.argv:
        print("neutral band sweep on TASS (pulso): negative band x positive band")
        for neg in (0.1, 0.15, 0.2, 0.25, 0.3):
            cells = []
            for pos in (0.2, 0.25, 0.3, 0.35, 0.4):
                pred = ["positive" if c >= pos else "negative" if c <= -neg else "neutral"
                        for c in ours_comp]
                cells.append(f"{pos:.2f}: {scores(gold, pred)['macro_f1']:.3f}")
            print(f"  neg {neg:.2f} | " + "  ".join(cells))


if __name__ == "__main__":
    main()
