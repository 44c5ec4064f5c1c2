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


# Already normalised texts (literal, so the fingerprint does not depend on `normalise`):
# mentions, digits, an emoji, an empty text, tabs, repeated words, a text past 1,000 bytes.
FIXED = [
    "@u buenas tardes, cuando pagan el subsidio?",
    "llevo 000 meses esperando respuesta",
    "jajaja",
    "x",
    "",
    "ab",
    "la eps no me entrega los medicamentos desde hace 0 semanas urlx \U0001f621",
    "  espacios   multiples\ty\ttabs  ",
    "a_b c-d e.f @u @u hola hola hola",
    "peticion de informacion sobre el tramite de la licencia de construccion " * 5,
]
# Per text: (n-gram occurrences, sha256 prefix of its sorted columns, sum of values, sum of
# value * column / N_FEATURES), computed with the implementation the shipped model was fitted
# with. The shipped and entity models depend on these exact columns: a faster `hashed` must
# reproduce them.
HASHED_FINGERPRINT = [
    (183, "5b9d7e53eec7f692", 11.76894, 6.11149),
    (147, "5e2d5e0dd5342152", 10.42784, 5.17652),
    (23, "19dbeaa4038ceaca", 4.02369, 2.81367),
    (4, "00500ecbd9ff8f0d", 1.93183, 1.29985),
    (1, "ac9e9744b2d925c4", 0.7071, 0.25234),
    (7, "0c261a77a19852d3", 2.43913, 1.40362),
    (295, "46cb209fdc5990b7", 15.15434, 7.35096),
    (129, "a75af631fa011648", 9.68099, 4.37252),
    (145, "cb0b9e76a88e3956", 11.01935, 5.53013),
    (1547, "55f5e8b0eab44dc0", 34.19626, 17.22966),
]
WEIGHTED_FINGERPRINT = [
    (183, "5b9d7e53eec7f692", 11.69277, 5.89701),
    (147, "5e2d5e0dd5342152", 10.04338, 4.95144),
    (23, "19dbeaa4038ceaca", 4.22417, 2.99898),
    (4, "00500ecbd9ff8f0d", 1.95762, 1.19994),
    (1, "ac9e9744b2d925c4", 1.0, 0.35686),
    (7, "0c261a77a19852d3", 2.51852, 1.36029),
    (295, "46cb209fdc5990b7", 14.50102, 6.80495),
    (129, "a75af631fa011648", 8.84887, 4.02784),
    (145, "cb0b9e76a88e3956", 10.7571, 5.43937),
    (1547, "55f5e8b0eab44dc0", 32.32992, 16.6123),
]
SCORES_FINGERPRINT = [
    [0.36617, -0.13682, 0.30829], [0.00775, -0.56982, 0.04766], [0.03452, -0.19377, 0.53396],
    [-0.20974, -0.31985, 0.37004], [-0.3, -0.503, 0.094], [0.02503, -0.36177, 0.38253],
    [0.17424, -0.19463, 0.33759], [0.17517, -0.03357, 0.07384], [0.01379, 0.27892, 0.25606],
    [-0.84405, -0.6078, 0.68361],
]


def _fingerprint(r: np.ndarray, c: np.ndarray, v: np.ndarray, n: int) -> list[tuple]:
    import hashlib

    out = []
    for i in range(n):
        m = r == i
        cols = np.sort(c[m]).astype(np.int64)
        vals = v[m].astype(np.float64)
        out.append((int(m.sum()), hashlib.sha256(cols.tobytes()).hexdigest()[:16],
                    float(vals.sum()), float((vals * c[m]).sum() / N_FEATURES)))
    return out


def _same(got: list[tuple], want: list[tuple]) -> None:
    for g, w in zip(got, want, strict=True):
        assert g[:2] == w[:2]
        assert np.allclose(g[2:], w[2:], atol=2e-5), (g, w)


def _fixed_idf_coef() -> tuple[np.ndarray, np.ndarray]:
    j = np.arange(N_FEATURES, dtype=np.int64)
    idf = (1.0 + (j % 7) / 3.0).astype(np.float32)
    coef = np.stack([((j * 2654435761 + k * 97) % 1000) / 1000.0 - 0.5 for k in range(3)])
    return idf, coef.astype(np.float32)


def test_hashes_and_weights_match_the_fitted_fingerprint() -> None:
    _same(_fingerprint(*hashed(FIXED), len(FIXED)), HASHED_FINGERPRINT)
    idf, coef = _fixed_idf_coef()
    _same(_fingerprint(*weighted(FIXED, idf), len(FIXED)), WEIGHTED_FINGERPRINT)
    got = linear_scores(FIXED, coef, np.array([0.1, -0.2, 0.3]), idf)
    assert np.allclose(got, SCORES_FINGERPRINT, atol=2e-5)


def test_linear_scores_do_not_depend_on_chunks() -> None:
    """Texts past the chunk size score as they do alone (chunk edges, empty texts)."""
    from pulso.classify import features

    idf, coef = _fixed_idf_coef()
    batch = [FIXED[i % len(FIXED)] + f" n{i % 13}" * (i % 3) for i in range(2 * features.CHUNK + 7)]
    batch[features.CHUNK - 1] = batch[features.CHUNK] = ""
    intercept = np.zeros(3)
    got = linear_scores(batch, coef, intercept, idf)
    picks = [0, 1, features.CHUNK - 1, features.CHUNK, features.CHUNK + 1, len(batch) - 1]
    want = np.vstack([linear_scores([batch[i]], coef, intercept, idf) for i in picks])
    assert np.allclose(got[picks], want, atol=1e-5)
