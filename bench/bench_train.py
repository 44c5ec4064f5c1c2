"""`pulso train` cost on 10,000 labels: fit + 5-fold cross-validation + shipped comparison.

Labels are the project's own generated examples (nothing from ../shared). Baseline in the same
run: one plain scikit-learn word (1-2) + char (2-5) TF-IDF logistic regression fit on the same
texts (no cross-validation). Target (issue 10): under 60 s.

    .venv/bin/python bench/bench_train.py [--labels 10000]
"""

from __future__ import annotations

import argparse
import random
import sys
import time


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--labels", type=int, default=10_000)
    args = ap.parse_args()
    from pulso.classify.entity import fit_entity_model
    from pulso.classify.model import shipped_model
    from pulso.classify.training import generate

    texts, labels = generate(seed=99)
    rng = random.Random(1)
    idx = rng.sample(range(len(texts)), min(args.labels, len(texts)))
    texts = [texts[i] for i in idx]
    labels = [labels[i] for i in idx]
    shipped_model()  # loaded once per process, not part of training

    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    t0 = time.perf_counter()
    w = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    c = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)
    x = hstack([w.fit_transform(texts), c.fit_transform(texts)]).tocsr()
    LogisticRegression(max_iter=1000).fit(x, labels)
    base_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    _, fig = fit_entity_model(texts, labels, version="bench", cv_folds=5)
    ours_s = time.perf_counter() - t0
    print(f"labels: {len(texts):,} ({len(set(labels))} classes)")
    print(f"plain TF-IDF LR, one fit: {base_s:.1f} s")
    print(f"pulso train (fit + 5-fold CV + shipped comparison): {ours_s:.1f} s "
          f"(target < 60 s; ratio to one plain fit {ours_s / base_s:.2f}x)")
    print(f"cv macro-F1 {fig['cv_macro_f1']}, shipped {fig['shipped_macro_f1']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
