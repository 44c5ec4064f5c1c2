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

import numpy as np

from pulso.classify.model import ALL_CLASSES, LinearModel, split_class

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
    """Macro-F1 over the classes present in `gold` (labels as strings; see `_macro_f1_idx`)."""
    if len(gold) != len(pred):
        raise ValueError("one prediction per label")
    index: dict[str, int] = {}
    y = np.array([index.setdefault(g, len(index)) for g in gold], dtype=np.int64)
    p = np.array([index.setdefault(q, len(index)) for q in pred], dtype=np.int64)
    return _macro_f1_idx(y, p, len(index))


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


# Per-class score offsets tried by `tune_class_bias` (in units of the linear scores), smallest
# first so that among equally good offsets the smallest is kept.
BIAS_GRID = tuple(sorted((round(v * 0.1, 1) for v in range(-30, 31)), key=abs))
BIAS_ROUNDS = 2
CALIBRATION_FOLDS = 5


def _macro_f1_idx(y: np.ndarray, pred: np.ndarray, n: int) -> float:
    """Macro-F1 over the classes present in y (integer class indices), vectorised."""
    conf = np.bincount(y * n + pred, minlength=n * n).reshape(n, n)
    tp = np.diag(conf).astype(float)
    denom = conf.sum(axis=0) + conf.sum(axis=1)
    present = conf.sum(axis=1) > 0
    f1 = np.divide(2 * tp, denom, out=np.zeros(n), where=denom > 0)
    return float(f1[present].mean()) if present.any() else 0.0


def tune_class_bias(scores: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Per-class offsets added to the linear scores that maximise macro-F1 of the argmax.

    `scores` are held-out (cross-validated) scores of the training labels `y` (class indices).
    Macro-F1 weighs a rare type as much as a frequent one, and a model fitted on few examples
    of a type is shy of predicting it: shifting that type's score up trades some precision of
    the frequent types for recall of the rare ones. Coordinate ascent over a fixed grid; an
    offset is only moved when it strictly improves the held-out macro-F1.
    """
    n = scores.shape[1]
    bias = np.zeros(n)
    best = _macro_f1_idx(y, scores.argmax(axis=1), n)
    for _ in range(BIAS_ROUNDS):
        moved = False
        for c in range(n):
            for v in BIAS_GRID:
                trial = bias.copy()
                trial[c] = v
                m = _macro_f1_idx(y, (scores + trial).argmax(axis=1), n)
                if m > best + 1e-9:
                    best, bias, moved = m, trial, True
        if not moved:
            break
    return bias


def _raw_scores(model: LinearModel, texts: Sequence[str]) -> np.ndarray:
    """Linear scores (before the link) of raw texts: argmax of these is the model's class."""
    return model.scores(_normalised(texts))


def _normalised(texts: Sequence[str]) -> list[str]:
    from pulso.classify.cues import normalise

    return [normalise(t) if isinstance(t, str) else "" for t in texts]


def _fit_tfidf(blocks: tuple, classes: Sequence[str], rows: Sequence[int], c: float, *,
               version: str, meta: dict | None = None,
               init: LinearModel | None = None) -> LinearModel:
    """A "tfidf-hash-2" model fitted on `rows` of `blocks` (entity_features.counts of all the
    normalised texts, so cross-validation hashes each text once). `init`: a model with the
    same classes whose weights start the solver (a cross-validation fold starts from the
    model on all labels: fewer iterations to the same optimum)."""
    from pulso.classify import entity_features as ef

    present = {classes[i] for i in rows}
    order = tuple(cl for cl in ALL_CLASSES if cl in present)
    extra = sorted(present - set(order))
    if extra:
        raise ValueError(f"unknown classes: {extra}")
    y = np.array([order.index(classes[i]) for i in rows])
    idx = np.asarray(rows, dtype=np.int64)
    start = None
    if init is not None and init.classes == order and len(order) > 2:
        start = (init.columns, init.coef, init.intercept)
    a = ef.fit_blocks((blocks[0][idx], blocks[1][idx]), y, len(order), c, init=start)
    return LinearModel(version, order, a["coef"], a["intercept"], 0.0, dict(meta or {}),
                       a["link"], a["idf"], ef.TAG, a["columns"])


def _block_scores(model: LinearModel, blocks: tuple, rows: Sequence[int]) -> np.ndarray:
    """`model.scores` of the texts at `rows` of `blocks` (without hashing them again)."""
    from pulso.classify import entity_features as ef

    idx = np.asarray(rows, dtype=np.int64)
    x = ef.transform((blocks[0][idx], blocks[1][idx]),
                     model.idf[: ef.N_WORD].astype(np.float64),
                     model.idf[ef.N_WORD :].astype(np.float64))
    return (x @ ef.weight_matrix(model.columns, model.coef)).toarray() + model.intercept


def _held_out_scores(texts: Sequence[str], classes: Sequence[str], k: int, c: float,
                     order: tuple[str, ...], blocks: tuple | None = None,
                     init: LinearModel | None = None) -> np.ndarray:
    """Cross-validated linear scores (columns in `order`) of every text; NaN rows where a
    fold could not be fitted (a training part with a single class). With `blocks` the folds
    are "tfidf-hash-2" models, else "hash-1" ones (training.fit)."""
    from pulso.classify.training import fit

    out = np.full((len(texts), len(order)), np.nan)
    for fold in folds(classes, k):
        held = set(fold)
        tr = [i for i in range(len(texts)) if i not in held]
        if len({classes[i] for i in tr}) < 2:
            continue
        if blocks is not None:
            m = _fit_tfidf(blocks, classes, tr, c, version="cv", init=init)
            z = _block_scores(m, blocks, fold)
        else:
            m = fit([texts[i] for i in tr], [classes[i] for i in tr], version="cv", c=c,
                    threshold=0.0)
            z = _raw_scores(m, [texts[i] for i in fold])
        cols = [order.index(cl) for cl in m.classes]
        # a class missing from this training part is never predicted for the held-out fold
        full = np.full((len(fold), len(order)), -np.inf)
        full[:, cols] = z
        out[fold] = full
    return out


def fit_entity_model(texts: Sequence[str], classes: Sequence[str], *, version: str,
                     cv_folds: int = 5, c: float = 2.0, calibrate: bool = True,
                     features: str = "tfidf-hash-2") -> tuple[LinearModel, dict]:
    """Fit on all labels; with cv_folds >= 2 also cross-validate this model and the shipped one.

    `features`: "tfidf-hash-2" (entity_features.py, the default) or "hash-1" (the shipped
    model's features, training.fit; kept for comparison).

    `calibrate`: per-class score offsets chosen on cross-validated scores of the labels to
    maximise macro-F1 (`tune_class_bias`), folded into the model's intercepts. They reuse the
    folds of the cross-validation (or CALIBRATION_FOLDS of their own when cv_folds < 2). The
    reported cv macro-F1 is cross-fitted: each fold is scored with offsets tuned on the other
    folds only, so it does not flatter the calibrated model.

    Returns the model and its figures: n_labels, per-class counts, cv macro-F1 of the entity
    model and of the shipped model on the same held-out folds, and the offsets applied.
    """
    from pulso.classify.training import fit

    if len(texts) != len(classes):
        raise ValueError("one class per text")
    counts = Counter(classes)
    if len(counts) < 2:
        raise ValueError("se necesitan etiquetas de al menos dos clases")
    if features not in ("hash-1", "tfidf-hash-2"):
        raise ValueError(f"unknown features {features!r}")
    figures: dict = {"n_labels": len(texts), "classes": dict(sorted(counts.items())),
                     "features": features, "c": c}
    blocks = None
    if features != "hash-1":
        from pulso.classify import entity_features as ef

        blocks = ef.counts(_normalised(texts))
    order = tuple(cl for cl in ALL_CLASSES if cl in counts)
    y = np.array([order.index(cl) for cl in classes])
    smallest = min(counts.values())
    want = cv_folds if cv_folds >= 2 else (CALIBRATION_FOLDS if calibrate else 0)
    # tfidf-hash-2: the model on all labels first; the fold fits start from its weights.
    model = (_fit_tfidf(blocks, classes, range(len(texts)), c, version=version)
             if blocks is not None else None)
    scores = None
    if want >= 2:
        k = min(want, smallest) if smallest >= 2 else 2
        scores = _held_out_scores(texts, classes, k, c, order, blocks, init=model)
        ok = ~np.isnan(scores).any(axis=1)
    bias = np.zeros(len(order))
    if scores is not None:
        # Cross-fitted: each fold scored with offsets tuned on the other folds only.
        plain = np.full(len(texts), -1)
        cal = np.full(len(texts), -1)
        fold_of = np.empty(len(texts), dtype=int)
        for j, fold in enumerate(folds(classes, k)):
            fold_of[fold] = j
        for j in range(k):
            rows = ok & (fold_of == j)
            rest = ok & (fold_of != j)
            b = tune_class_bias(scores[rest], y[rest]) \
                if calibrate and cv_folds >= 2 and rest.sum() >= 2 \
                else np.zeros(len(order))
            plain[rows] = scores[rows].argmax(axis=1)
            cal[rows] = (scores[rows] + b).argmax(axis=1)
        # Offsets are kept whenever calibrating: choosing them only when they raise the
        # cross-fitted macro-F1 was measured on real labels (bench/learning_curve_pqrs.py)
        # and the choice was noise (wrong at 100 and 3,000 rows, -0.04 and -0.005).
        use = calibrate and ok.sum() >= 2
        if use:
            bias = tune_class_bias(scores[ok], y[ok])
        if calibrate:
            figures["calibrated"] = bool(use)
        if cv_folds >= 2:
            pred = cal if use else plain
            ent_pred = [order[p] if p >= 0 else "" for p in pred]
            ship_pred = shipped_classes(texts)
            figures.update(cv_folds=k, cv_macro_f1=round(macro_f1(classes, ent_pred), 4),
                           shipped_macro_f1=round(macro_f1(classes, ship_pred), 4))
    if calibrate and scores is not None:
        figures["class_bias"] = {cl: round(float(b), 2) for cl, b in zip(order, bias, strict=True)}
    if model is None:
        model = fit(texts, classes, version=version, c=c, threshold=0.0, meta=figures)
    model.meta = dict(figures)
    if bias.any():
        shift = np.array([bias[order.index(cl)] for cl in model.classes])
        model.intercept = model.intercept + shift
    return model, figures
