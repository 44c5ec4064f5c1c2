"""Hashed n-gram features: deterministic, batch-independent, equal to the sparse product."""

from __future__ import annotations

import numpy as np

from pulso.classify.features import (
    N_FEATURES,
    featurize,
    hashed,
    linear_scores,
    prepare,
    weighted,
)
from pulso.classify.pqrs import normalise

TEXTS = [normalise(t) for t in (
    "@AlcaldiaBog buenas tardes, ¿cuándo pagan el subsidio?",
    "llevo 3 meses esperando respuesta",
    "jajaja",
    "x",
)]


def test_mentions_and_digits_fold() -> None:
    assert prepare(["@EAAB_ESP hola 123", "@otra hola 999"]) == "@u hola 000\x01@u hola 000"
    a, b = featurize([normalise("@EAAB_ESP llevo 3 días")]), featurize([normalise("@Enel llevo 9 días")])
    assert (a != b).nnz == 0


def test_features_do_not_depend_on_the_batch() -> None:
    alone = [featurize([t]) for t in TEXTS]
    together = featurize(TEXTS)
    for i, row in enumerate(alone):
        assert abs(together[i] - row).max() < 1e-6


def test_rows_have_unit_norm_and_expected_ngrams() -> None:
    r, _, v = weighted(TEXTS, None)  # unit norm over n-gram occurrences
    assert np.allclose(np.bincount(r, weights=v.astype(float) ** 2), 1.0, atol=1e-4)
    r, _, _ = hashed(["ab"])
    # " ab " -> char 2-grams " a","ab","b " + 3-grams " ab","ab " + 4-gram " ab " + 1 word
    assert len(r) == 3 + 2 + 1 + 1


def test_linear_scores_equal_sparse_product() -> None:
    rng = np.random.default_rng(0)
    coef = rng.normal(size=(3, N_FEATURES)).astype(np.float32)
    intercept = np.array([0.1, -0.2, 0.3])
    idf = rng.uniform(1, 3, size=N_FEATURES).astype(np.float32)
    got = linear_scores(TEXTS, coef, intercept, idf)
    want = featurize(TEXTS, idf) @ coef.T + intercept
    assert np.allclose(got, want, atol=1e-3)
    assert linear_scores([], coef, intercept).shape == (0, 3)
