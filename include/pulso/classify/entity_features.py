"""Features of entity models ("tfidf-hash-2"): per-block sublinear TF-IDF over hashed n-grams.

Why not the shipped model's features (features.py, "hash-1"): those are tuned for scoring
speed (one joint IDF and L2 norm over word and character n-grams, character n-grams across
word boundaries, raw counts). Fitted on an office's own labels they lose to a plain TF-IDF
logistic regression; the anchor's features recover it: word 1-2 grams and char_wb 2-5 grams
(character n-grams inside words padded with spaces), each hashed by scikit-learn's
HashingVectorizer (stateless: the same text gets the same columns anywhere), sublinear tf
(1 + log count), each block with its own smoothed IDF from the training texts and its own L2
norm, the two blocks side by side. Texts are normalised (cues.normalise) before both blocks.

An entity model keeps its two IDF arrays next to its weights (model.py); the columns are
fixed by the constants below, which are part of the tag: changing them needs a new tag.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

TAG = "tfidf-hash-2"
WORD_BITS = 20
CHAR_BITS = 20
N_WORD = 1 << WORD_BITS
N_CHAR = 1 << CHAR_BITS
N_COLUMNS = N_WORD + N_CHAR


def _vectorizers():  # noqa: ANN202 - two HashingVectorizers
    from sklearn.feature_extraction.text import HashingVectorizer

    common = {"alternate_sign": False, "norm": None, "lowercase": False, "dtype": np.float64}
    word = HashingVectorizer(ngram_range=(1, 2), n_features=N_WORD, **common)
    char = HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5), n_features=N_CHAR,
                             **common)
    return word, char


def counts(normalised: Sequence[str]) -> tuple:
    """(word, char) CSR matrices of n-gram counts of already normalised texts."""
    word, char = _vectorizers()
    texts = list(normalised)
    return word.transform(texts), char.transform(texts)


def block_idf(x) -> np.ndarray:  # noqa: ANN001 - csr_matrix of counts
    """Smoothed IDF per column (as scikit-learn's TfidfTransformer): log((1+n)/(1+df)) + 1,
    and 0 for a column no training text has.

    The 0 drops n-grams the training texts never had from a scored text, as a fitted
    vocabulary does (TfidfVectorizer): counted in the L2 norm they would only shrink the
    weighted part of a text with new words, and move it toward the intercepts. Measured on
    real labels (1,000 rows), keeping them costs 0.015 macro-F1.
    """
    df = np.bincount(x.indices, minlength=x.shape[1])
    idf = np.log((1.0 + x.shape[0]) / (1.0 + df)) + 1.0
    idf[df == 0] = 0.0
    return idf


def _weigh(x, idf: np.ndarray):  # noqa: ANN001, ANN202 - csr_matrix in and out
    """Sublinear tf times IDF, each row scaled to unit L2 norm (a new matrix)."""
    from sklearn.preprocessing import normalize

    x = x.tocsr(copy=True)
    x.sum_duplicates()
    np.log(x.data, out=x.data)
    x.data += 1.0
    x.data *= idf[x.indices]
    return normalize(x, norm="l2", copy=False)


def transform(blocks: tuple, idf_word: np.ndarray, idf_char: np.ndarray):  # noqa: ANN201
    """The feature matrix (n x N_COLUMNS CSR, float64) from `counts` and the two IDF arrays."""
    from scipy.sparse import hstack

    w, c = blocks
    return hstack([_weigh(w, idf_word), _weigh(c, idf_char)], format="csr")


def featurize(normalised: Sequence[str], idf_word: np.ndarray, idf_char: np.ndarray):  # noqa: ANN201
    return transform(counts(normalised), idf_word, idf_char)


def fit_blocks(blocks: tuple, y: np.ndarray, n_classes: int, c: float,
               init: tuple | None = None) -> dict:
    """A logistic regression with balanced class weights on the rows of `blocks` (`counts` of
    the training texts) with class indices `y` (each of 0..n_classes-1 present).

    One softmax model (lbfgs, as the issue's anchor), fitted on the weighted columns only (the
    others are zero in every training row, so their weights are zero): lbfgs is several times
    faster on ~10**5 columns than on 2**21.

    Returns the arrays of a "tfidf-hash-2" model: idf (word then char, float32), columns (the
    weighted ones, int32), coef (n_classes x len(columns), float32), intercept (float64) and
    link. `init`: (columns, coef, intercept) of a multinomial model with the same classes, the
    solver's starting point (columns it lacks start at 0). Features are computed from the float32 IDF, as scoring does, so a model scores its
    own training texts the same before and after a save.
    """
    from sklearn.linear_model import LogisticRegression

    idf = np.concatenate([block_idf(blocks[0]), block_idf(blocks[1])]).astype(np.float32)
    x = transform(blocks, idf[:N_WORD].astype(np.float64), idf[N_WORD:].astype(np.float64))
    columns = np.flatnonzero(np.bincount(x.indices, minlength=N_COLUMNS)).astype(np.int32)
    x = x[:, columns]
    lr = LogisticRegression(C=c, class_weight="balanced", max_iter=1000,
                            warm_start=init is not None)
    if init is not None:
        start = np.zeros((n_classes, len(columns)))
        pos = np.searchsorted(init[0], columns)
        have = pos < len(init[0])
        have[have] = init[0][pos[have]] == columns[have]
        start[:, have] = init[1][:, pos[have]]
        lr.coef_, lr.intercept_ = start, np.asarray(init[2], np.float64).copy()
    lr.fit(x, y)
    coef, intercept = lr.coef_, lr.intercept_
    if n_classes == 2:  # binary: one row, expand to one per class (same softmax)
        coef = np.vstack([-coef[0] / 2, coef[0] / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
    return {"idf": idf, "columns": columns, "coef": coef.astype(np.float32),
            "intercept": intercept.astype(np.float64), "link": "softmax"}


def weight_matrix(columns: np.ndarray, coef: np.ndarray, n_columns: int = N_COLUMNS):  # noqa: ANN201
    """coef.T as a sparse (n_columns x n_classes) CSR matrix with rows only at `columns`."""
    from scipy.sparse import csr_matrix

    k = coef.shape[0]
    indptr = np.zeros(n_columns + 1, dtype=np.int64)
    indptr[columns.astype(np.int64) + 1] = k
    np.cumsum(indptr, out=indptr)
    indices = np.tile(np.arange(k, dtype=np.int32), len(columns))
    return csr_matrix((np.ascontiguousarray(coef.T).ravel(), indices, indptr),
                      shape=(n_columns, k))


def linear_scores(normalised: Sequence[str], idf: np.ndarray, weights, intercept: np.ndarray,  # noqa: ANN001
                  chunk: int = 4096) -> np.ndarray:
    """X @ coef.T + intercept for already normalised texts; `weights` from `weight_matrix`."""
    idf_w = idf[:N_WORD].astype(np.float64)
    idf_c = idf[N_WORD:].astype(np.float64)
    out = np.empty((len(normalised), len(intercept)))
    for lo in range(0, len(normalised), chunk):
        part = normalised[lo : lo + chunk]
        out[lo : lo + len(part)] = (featurize(part, idf_w, idf_c) @ weights).toarray()
    out += intercept
    return out
