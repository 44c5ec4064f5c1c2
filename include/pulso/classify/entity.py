"""The entity's own PQRS model, fitted from the office's decisions (see training.py for fitting).

Why: the shipped model knows how Colombians write to public entities in general; the office's
confirm / retype / discard decisions and its returned case registers say how *this* entity's
citizens write and how *this* office files them. An entity model is used only when it beats the
shipped one on the entity's own held-out labels (see `compare`).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence

from pulso.classify.model import LinearModel, split_class

MIN_LABELS = 30
MIN_PER_CLASS = 2


def predict_classes(model: LinearModel, texts: Sequence[str]) -> list[str]:
    from pulso.classify.cues import normalise

    cls, _ = model.decide(model.proba([normalise(t) if isinstance(t, str) else "" for t in texts]))
    return cls


def predict_types(model: LinearModel, texts: Sequence[str]) -> list[tuple[str | None, str | None]]:
    return [split_class(c) for c in predict_classes(model, texts)]


def shipped_classes(texts: Sequence[str]) -> list[str]:
    """What the shipped screener (model blended with rules) says, as model classes."""
    from pulso.classify import pqrs
    from pulso.classify.model import join_class

    saved = pqrs._ACTIVE
    pqrs.use_model(None)
    try:
        return [join_class(r.pqrs_type, r.pqrs_subtype) for r in pqrs.screen_many(list(texts))]
    finally:
        pqrs.use_model(saved)


def macro_f1(gold: Sequence[str], pred: Sequence[str]) -> float:
    """Macro-F1 over the classes present in `gold`."""
    scores = []
    for c in sorted(set(gold)):
        tp = sum(g == c and p == c for g, p in zip(gold, pred, strict=True))
        fp = sum(g != c and p == c for g, p in zip(gold, pred, strict=True))
        fn = sum(g == c and p != c for g, p in zip(gold, pred, strict=True))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


def folds(labels: Sequence[str], k: int, seed: int = 7) -> list[list[int]]:
    """Stratified fold assignment (indices per fold), deterministic."""
    rng = random.Random(seed)
    by_class: dict[str, list[int]] = {}
    for i, c in enumerate(labels):
        by_class.setdefault(c, []).append(i)
    out: list[list[int]] = [[] for _ in range(k)]
    j = 0
    for c in sorted(by_class):
        idx = by_class[c]
        rng.shuffle(idx)
        for i in idx:
            out[j % k].append(i)
            j += 1
    return out


def fit_entity_model(texts: Sequence[str], classes: Sequence[str], *, version: str,
                     cv_folds: int = 5, c: float = 2.0) -> tuple[LinearModel, dict]:
    """Fit on all labels; with cv_folds >= 2 also cross-validate this model and the shipped one.

    Returns the model and its figures: n_labels, per-class counts, cv macro-F1 of the entity
    model and of the shipped model on the same held-out folds.
    """
    from pulso.classify.training import fit

    if len(texts) != len(classes):
        raise ValueError("one class per text")
    counts = Counter(classes)
    if len(counts) < 2:
        raise ValueError("se necesitan etiquetas de al menos dos clases")
    figures: dict = {"n_labels": len(texts), "classes": dict(sorted(counts.items()))}
    if cv_folds >= 2:
        k = min(cv_folds, min(counts.values())) if min(counts.values()) >= 2 else 2
        ent_pred: list[str] = [""] * len(texts)
        for fold in folds(classes, k):
            held = set(fold)
            tr = [i for i in range(len(texts)) if i not in held]
            if len({classes[i] for i in tr}) < 2:
                continue
            m = fit([texts[i] for i in tr], [classes[i] for i in tr], version="cv", c=c,
                    threshold=0.0)
            for i, p in zip(fold, predict_classes(m, [texts[i] for i in fold]), strict=True):
                ent_pred[i] = p
        ship_pred = shipped_classes(texts)
        figures.update(cv_folds=k, cv_macro_f1=round(macro_f1(classes, ent_pred), 4),
                       shipped_macro_f1=round(macro_f1(classes, ship_pred), 4))
    model = fit(texts, classes, version=version, c=c, threshold=0.0, meta=figures)
    return model, figures
