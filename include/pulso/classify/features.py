"""Hashed word (1-2) and character (2-5) n-gram features for a whole batch at once, in numpy.

Why not scikit-learn's HashingVectorizer: its analyzers build every n-gram as a Python string
(about 8,000 texts/s for char 2-5 grams), slower than the rest of classification together.
Here the batch is joined into one byte array and every n-gram hash is a polynomial hash of a
span, computed for all positions of all texts with a handful of vectorised operations
(prefix sums modulo 2**64). Hashes are deterministic across processes and machines, so a model
fitted in one place scores the same anywhere.

Input texts must already be normalised (`pqrs.normalise`: lowercase, no accents). Mentions
become `@u`, digits `0`, so "@AlcaldiaBog" and "@EAAB_ESP" are the same feature: in an
entity's inbox a leading mention is the address line, not the content.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

N_BITS = 19
N_FEATURES = 1 << N_BITS
CHAR_RANGE = (2, 5)
CHUNK = 2048
_SEP = 0x01
_C = np.uint64(0x100000001B3)  # odd multiplier: invertible modulo 2**64
_MIX = np.uint64(0x9E3779B97F4A7C15)
_MENTION = re.compile(r"@\w+")
_DIGIT = re.compile(r"\d")
_SPACES = str.maketrans({"\t": " ", "\r": " ", "\n": " ", "\x01": " "})
_WORD_BYTES = np.zeros(256, dtype=bool)
for _ch in b"abcdefghijklmnopqrstuvwxyz0123456789_@":
    _WORD_BYTES[_ch] = True
_WORD_BYTES[128:] = True  # bytes of kept emoji (utf-8) count as word characters
_POW_CACHE: dict[str, np.ndarray] = {}


def _inverse(c: int) -> int:
    return pow(c, -1, 1 << 64)


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """C**k and C**-k modulo 2**64 for k < n (cached, grown on demand)."""
    have = _POW_CACHE.get("p")
    if have is None or len(have) < n:
        size = max(n, 1 << 16, 2 * (0 if have is None else len(have)))
        with np.errstate(over="ignore"):
            p = np.full(size, _C, dtype=np.uint64)
            p[0] = 1
            p = np.cumprod(p, dtype=np.uint64)
            q = np.full(size, np.uint64(_inverse(int(_C))), dtype=np.uint64)
            q[0] = 1
            q = np.cumprod(q, dtype=np.uint64)
        _POW_CACHE["p"], _POW_CACHE["q"] = p, q
    return _POW_CACHE["p"][:n], _POW_CACHE["q"][:n]


def prepare(normalised: Sequence[str]) -> str:
    """One string for the batch: mentions and digits folded, texts separated by \\x01."""
    joined = "\x01".join(t.translate(_SPACES) for t in normalised)
    joined = _MENTION.sub("@u", joined)
    joined = _DIGIT.sub("0", joined)
    return joined


def _span_hash(s: np.ndarray, ipow: np.ndarray, start: np.ndarray, end: np.ndarray,
               salt: int) -> np.ndarray:
    """Hash of bytes [start, end) for every pair, folded to N_BITS bits."""
    with np.errstate(over="ignore"):
        h = (s[end] - s[start]) * ipow[start]
        h = (h ^ np.uint64(salt)) * _MIX
    return (h >> np.uint64(64 - N_BITS)).astype(np.int64)


def hashed(normalised: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, column, value) of every n-gram occurrence; rows may repeat a column (counts).

    Values are 1/sqrt(number of n-grams of the block in the document), so a text's char block
    and word block each weigh the same whatever its length, and a linear score is a plain sum
    of weights: no sorting, no per-document Python work.
    """
    n_docs = len(normalised)
    # A space at each end so that word-initial and word-final char n-grams exist.
    text = " " + prepare(normalised).replace("\x01", " \x01 ") + " "
    a = np.frombuffer(text.encode("utf-8", "replace"), dtype=np.uint8)
    n = len(a)
    pw, ipw = _powers(n + 1)
    with np.errstate(over="ignore"):
        s = np.zeros(n + 1, dtype=np.uint64)
        np.cumsum(a.astype(np.uint64) * pw[:n], out=s[1:])
    doc_of = np.cumsum(a == _SEP)  # document of each byte (a separator opens the next one)
    seps_before = np.concatenate(([0], doc_of))

    # Character n-grams: every span of length k that does not cross a separator.
    char_rows, char_cols = [], []
    for k in range(CHAR_RANGE[0], min(CHAR_RANGE[1], n) + 1):
        start = np.flatnonzero(seps_before[k:] == seps_before[: n + 1 - k])
        char_rows.append(doc_of[start])
        char_cols.append(_span_hash(s, ipw, start, start + k, salt=k))

    # Word unigrams, and bigrams hashed from the two word hashes (spacing between is ignored).
    isw = _WORD_BYTES[a]
    edges = np.diff(np.concatenate(([False], isw, [False])).astype(np.int8))
    w_start = np.flatnonzero(edges == 1)
    w_end = np.flatnonzero(edges == -1)
    w_doc = doc_of[w_start]
    uni = _span_hash(s, ipw, w_start, w_end, salt=101)
    same = w_doc[1:] == w_doc[:-1]
    with np.errstate(over="ignore"):
        bi = ((uni[:-1][same].astype(np.uint64) * _C + uni[1:][same].astype(np.uint64))
              ^ np.uint64(202)) * _MIX
    bi = (bi >> np.uint64(64 - N_BITS)).astype(np.int64)

    rows, cols, vals = [], [], []
    for r, c in ((np.concatenate(char_rows), np.concatenate(char_cols)),
                 (np.concatenate((w_doc, w_doc[1:][same])), np.concatenate((uni, bi)))):
        per_doc = np.bincount(r, minlength=n_docs).astype(np.float32)
        per_doc[per_doc == 0] = 1.0
        rows.append(r)
        cols.append(c)
        vals.append(np.float32(0.7071) / np.sqrt(per_doc)[r])
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)


def weighted(normalised: Sequence[str], idf: np.ndarray | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`hashed` with IDF weights and each document scaled to unit L2 norm (over occurrences).

    Fitting and scoring both go through here, so the same text gets the same features.
    """
    r, c, v = hashed(normalised)
    if idf is not None:
        v = v * idf[c]
    norms = np.sqrt(np.bincount(r, weights=v.astype(np.float64) ** 2, minlength=len(normalised)))
    norms[norms == 0] = 1.0
    return r, c, (v / norms[r]).astype(np.float32)


def featurize(normalised: Sequence[str], idf: np.ndarray | None = None):  # noqa: ANN201
    """Sparse CSR matrix (len(texts) x N_FEATURES) for fitting; repeated n-grams summed."""
    from scipy.sparse import csr_matrix

    if not normalised:
        return csr_matrix((0, N_FEATURES), dtype=np.float32)
    r, c, v = weighted(normalised, idf)
    return csr_matrix((v, (r, c)), shape=(len(normalised), N_FEATURES), dtype=np.float32)


def document_frequency_idf(x) -> np.ndarray:  # noqa: ANN001 - csr_matrix
    """Smoothed IDF per hashed column from a fitted batch (as scikit-learn's TfidfTransformer)."""
    df = np.bincount(x.indices, minlength=N_FEATURES)
    return (np.log((1.0 + x.shape[0]) / (1.0 + df)) + 1.0).astype(np.float32)


def linear_scores(normalised: Sequence[str], coef: np.ndarray, intercept: np.ndarray,
                  idf: np.ndarray | None = None, coef_t: np.ndarray | None = None) -> np.ndarray:
    """X @ coef.T + intercept; X stays in COO form (no sort, no duplicate merge).

    `coef_t`: coef.T already made C-contiguous (one row per hashed column, so the product
    reads each n-gram's weights from one cache line); the model keeps it (model.py).
    """
    from scipy.sparse import coo_matrix

    n_docs = len(normalised)
    out = np.empty((n_docs, len(intercept)))
    if coef_t is None:
        coef_t = np.ascontiguousarray(coef.T)
    # Chunks keep the per-byte arrays in cache (one huge batch is memory-bound, ~2x slower).
    for lo in range(0, n_docs, CHUNK):
        part = normalised[lo : lo + CHUNK]
        r, c, v = weighted(part, idf)
        x = coo_matrix((v, (r, c)), shape=(len(part), N_FEATURES))
        out[lo : lo + len(part)] = np.asarray(x @ coef_t, dtype=np.float64) + intercept
    return out
