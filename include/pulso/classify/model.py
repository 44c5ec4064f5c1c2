"""A linear PQRS model over hashed n-grams: scoring, the decision rule, (de)serialisation.

The model is a multinomial logistic regression (scikit-learn fits it, see training.py) kept
here as plain arrays, so scoring needs numpy/scipy only and a saved model is a small `.npz`
with no pickled code (safe to load from the warehouse). Classes are PQRS types, with
peticion split by subtype (`peticion_info`, `peticion_general`), plus `none`.

Decision: the flag score is the probability of any PQRS type but felicitación; at or above
`threshold` the message is a candidate of the most probable of those types. Otherwise it is a
felicitación when that is more probable than `none`, else not a PQRS.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from pulso.classify import features as _f
from pulso.classify.features import N_BITS, N_FEATURES

FLAG_CLASSES = ("peticion_info", "peticion_consulta", "peticion_general", "queja", "reclamo",
                "sugerencia", "denuncia")
ALL_CLASSES = (*FLAG_CLASSES, "felicitacion", "none")


def split_class(label: str) -> tuple[str | None, str | None]:
    """Model class -> (pqrs_type, pqrs_subtype)."""
    if label == "none":
        return None, None
    if label.startswith("peticion_"):
        sub = label.split("_", 1)[1]
        return "peticion", "informacion" if sub == "info" else sub
    return label, None


def join_class(pqrs_type: str | None, subtype: str | None) -> str:
    """(pqrs_type, pqrs_subtype) -> model class; a petición without subtype is general."""
    if not pqrs_type:
        return "none"
    if pqrs_type == "peticion":
        return {"informacion": "peticion_info", "consulta": "peticion_consulta"}.get(
            subtype or "", "peticion_general")
    return pqrs_type


@dataclass
class LinearModel:
    """Weights per class over the hashed feature space, and the operating threshold."""

    version: str
    classes: tuple[str, ...]
    coef: np.ndarray  # (n_classes, N_FEATURES) float32
    intercept: np.ndarray  # (n_classes,)
    threshold: float = 0.5
    meta: dict = field(default_factory=dict)
    link: str = "softmax"  # "ovr": one-vs-rest scores, sigmoid each then normalise
    idf: np.ndarray | None = None  # per hashed column, from the training texts
    # Which features the weights are over: "hash-1" (features.py: the shipped model, and every
    # model saved before the tag existed) or "tfidf-hash-2" (entity_features.py: entity models;
    # `coef` then holds only the weighted `columns`, and `idf` both blocks' IDF).
    features: str = "hash-1"
    columns: np.ndarray | None = None

    def scores(self, normalised: Sequence[str]) -> np.ndarray:
        """Linear scores X @ coef.T + intercept, X the `features.weighted` rows of the texts.

        Computed without materialising X (see `_chunk_scores`); equal to the sparse product
        to float32 rounding (tests/classify/test_model.py)."""
        if self.features != "hash-1":
            return self._tfidf_scores(normalised)
        cmap, rows = self.score_table()
        out = np.empty((len(normalised), len(self.intercept)))
        for lo in range(0, len(normalised), SCORE_CHUNK):
            part = normalised[lo : lo + SCORE_CHUNK]
            out[lo : lo + len(part)] = _chunk_scores(part, cmap, rows)
        out += self.intercept
        return out

    def score_table(self) -> tuple[np.ndarray, np.ndarray]:
        """`score_table` of this model's weights, built once (and again if they are replaced)."""
        cached = self.__dict__.get("_table")
        if cached is None or cached[0] is not self.coef or cached[1] is not self.idf:
            cached = self.__dict__["_table"] = (self.coef, self.idf,
                                                score_table(self.coef, self.idf))
        return cached[2]

    def _tfidf_scores(self, normalised: Sequence[str]) -> np.ndarray:
        """Scores of a "tfidf-hash-2" model: scikit-learn builds the sparse X, one product."""
        from pulso.classify import entity_features as ef

        if self.features != ef.TAG:
            raise ValueError(f"unknown model features {self.features!r}")
        cached = self.__dict__.get("_weights")
        if cached is None or cached[0] is not self.coef or cached[1] is not self.columns:
            cached = self.__dict__["_weights"] = (self.coef, self.columns,
                                                  ef.weight_matrix(self.columns, self.coef))
        return ef.linear_scores(list(normalised), self.idf, cached[2], self.intercept)

    def proba(self, normalised: Sequence[str]) -> np.ndarray:
        """Class probabilities (rows sum to 1) for already normalised texts."""
        z = self.scores(normalised)
        if self.link == "ovr":
            z = 1.0 / (1.0 + np.exp(-z))
        else:
            z -= z.max(axis=1, keepdims=True)
            np.exp(z, out=z)
        z /= z.sum(axis=1, keepdims=True)
        return z

    def decide(self, p: np.ndarray) -> tuple[list[str], np.ndarray]:
        """Model class per row and its flag score (probability of a PQRS but felicitación).

        Whole-column comparisons; tests/classify/test_model.py keeps the same rule row by row
        as the reference."""
        idx = {c: i for i, c in enumerate(self.classes)}
        flag_cols = [idx[c] for c in self.classes if c in FLAG_CLASSES]
        flag = p[:, flag_cols].sum(axis=1) if flag_cols else np.zeros(len(p))
        if self.threshold <= 0.0:  # plain argmax (entity models fitted on the office's labels)
            return [self.classes[j] for j in p.argmax(axis=1)], flag
        fel = p[:, idx["felicitacion"]] if "felicitacion" in idx else np.zeros(len(p))
        none = p[:, idx["none"]] if "none" in idx else np.zeros(len(p))
        names = np.array([*self.classes, "felicitacion", "none"], dtype=object)
        code = np.where((fel > none) & (fel >= flag * 0.5), len(self.classes), len(self.classes) + 1)
        if flag_cols:
            best_flag = np.asarray(flag_cols)[p[:, flag_cols].argmax(axis=1)]
            code = np.where(flag >= self.threshold, best_flag, code)
        return names[code].tolist(), flag

    def to_bytes(self) -> bytes:
        """A compressed .npz: sparse weights (most hashed columns are zero) and a JSON header."""
        if self.features != "hash-1":
            return self._tfidf_bytes()
        nz = np.flatnonzero(np.any(self.coef != 0, axis=0))
        header = {"version": self.version, "classes": list(self.classes),
                  "threshold": self.threshold, "n_bits": N_BITS, "meta": self.meta,
                  "link": self.link}
        buf = io.BytesIO()
        idf = self.idf if self.idf is not None else np.zeros(0, dtype=np.float16)
        np.savez_compressed(buf, header=np.frombuffer(json.dumps(header).encode(), np.uint8),
                            idf=idf.astype(np.float16),
                            columns=nz.astype(np.int32), weights=self.coef[:, nz].astype(np.float16),
                            intercept=self.intercept.astype(np.float64))
        return buf.getvalue()

    def _tfidf_bytes(self) -> bytes:
        """A "tfidf-hash-2" model: float32 weights of its columns and float32 IDF, as fitted."""
        header = {"version": self.version, "classes": list(self.classes),
                  "threshold": self.threshold, "features": self.features, "meta": self.meta,
                  "link": self.link}
        buf = io.BytesIO()
        np.savez_compressed(buf, header=np.frombuffer(json.dumps(header).encode(), np.uint8),
                            idf=np.asarray(self.idf, np.float32),
                            columns=np.asarray(self.columns, np.int32),
                            weights=np.asarray(self.coef, np.float32),
                            intercept=self.intercept.astype(np.float64))
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> LinearModel:
        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            header = json.loads(z["header"].tobytes().decode())
            features = header.get("features", "hash-1")
            if features != "hash-1":
                from pulso.classify import entity_features as ef

                if features != ef.TAG:
                    raise ValueError(f"unknown model features {features!r}")
                return cls(header["version"], tuple(header["classes"]), z["weights"],
                           z["intercept"].astype(np.float64), float(header["threshold"]),
                           header.get("meta", {}), header.get("link", "softmax"), z["idf"],
                           features, z["columns"])
            if header["n_bits"] != N_BITS:
                raise ValueError(f"model hashed with {header['n_bits']} bits, features use {N_BITS}")
            coef = np.zeros((len(header["classes"]), 1 << N_BITS), dtype=np.float32)
            coef[:, z["columns"]] = z["weights"].astype(np.float32)
            idf = z["idf"].astype(np.float32) if "idf" in z and len(z["idf"]) else None
            return cls(header["version"], tuple(header["classes"]), coef,
                       z["intercept"].astype(np.float64), float(header["threshold"]),
                       header.get("meta", {}), header.get("link", "softmax"), idf)


# Scoring without building the feature matrix. A text's score for class j is
#   sum over its n-gram occurrences o of v_o * idf[c_o] * coef[j, c_o] / norm
# where v_o = 0.7071 / sqrt(occurrences of o's block, char or word, in the text) and norm is
# the L2 norm of the v_o * idf[c_o] (features.weighted). So per text and block only the sums
# of idf[c]**2 and idf[c] * coef[:, c] over its occurrences are needed: one row of a small
# table per occurrence. Most hashed columns have no weight (the shipped model uses a few
# thousand of 2**19); those columns only differ by their idf, so the table keeps one row per
# weighted column and one per distinct idf value (a few thousand rows, cache-resident), and
# `cmap` maps each hashed column to its row. The per-text sums are one CSR product per n-gram
# length (occurrences are already grouped by text, so indptr is the text boundaries).
# The hashes are those of features.hashed (same spans, salts and folding);
# tests/classify/test_model.py checks the scores against the sparse product.
SCORE_CHUNK = 512  # texts per pass; keeps the per-byte arrays in cache (2048: ~8% slower)
_SHIFT = np.uint64(64 - N_BITS)
_MENTION_BYTES = re.compile(rb"@\w+")
_FOLD_BYTES = bytes.maketrans(b"\t\r\n0123456789", b"   0000000000")
_ONES = np.ones(0, dtype=np.float32)



def score_table(coef: np.ndarray, idf: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """(cmap, rows): hashed column (N_FEATURES = an absent n-gram) -> row of
    [idf**2, idf * coef[0], ..., idf * coef[-1]]; the last row is all zero.

    float32 (products in float64 first): half the cache footprint of float64 for a model with
    tens of thousands of weighted columns; sums in float32 as the sparse product's did."""
    w = np.ones(N_FEATURES, dtype=np.float32) if idf is None else np.asarray(idf, np.float32)
    used = np.any(coef != 0, axis=0)
    nz, zero = np.flatnonzero(used), np.flatnonzero(~used)
    levels, level_of = np.unique(w[zero], return_inverse=True)
    rows = np.zeros((len(nz) + len(levels) + 1, len(coef) + 1))
    rows[: len(nz), 0] = w[nz].astype(np.float64) ** 2
    rows[: len(nz), 1:] = (coef[:, nz].astype(np.float64) * w[nz]).T
    rows[len(nz) : len(nz) + len(levels), 0] = levels.astype(np.float64) ** 2
    cmap = np.empty(N_FEATURES + 1, dtype=np.int32)
    cmap[nz] = np.arange(len(nz))
    cmap[zero] = len(nz) + level_of.ravel()
    cmap[N_FEATURES] = len(rows) - 1
    return cmap, rows.astype(np.float32)


def _batch_bytes(part: Sequence[str]) -> bytes:
    """The bytes `features.hashed` hashes: prepared texts, \\x01-separated, space-padded."""
    joined = "\x01".join(part)
    if joined.isascii() and joined.count("\x01") == len(part) - 1:
        # ASCII: \w and \d are [A-Za-z0-9_] and [0-9], so byte-level folds equal `prepare`
        # (mentions first, then digits and whitespace; none of these creates or breaks a mention).
        b = _MENTION_BYTES.sub(b"@u", joined.encode()).translate(_FOLD_BYTES)
    else:
        b = _f.prepare(part).encode("utf-8", "replace")
    return b" " + b.replace(b"\x01", b" \x01 ") + b" "


def _row_sums(idx: np.ndarray, indptr: np.ndarray, rows: np.ndarray, n_docs: int) -> np.ndarray:
    """Per text, the sum of rows[idx[i]] over its occurrences i (texts delimited by indptr)."""
    from scipy.sparse._sparsetools import csr_matvecs

    global _ONES
    if len(_ONES) < len(idx):
        _ONES = np.ones(max(len(idx), 2 * len(_ONES)), dtype=np.float32)
    # What csr_matrix((ones, idx, indptr)) @ rows runs, without building and checking the matrix
    # each time: same kernel, same float32 sums in the same order.
    out = np.zeros((n_docs, rows.shape[1]), dtype=rows.dtype)
    csr_matvecs(n_docs, len(rows), rows.shape[1], indptr, idx, _ONES[: len(idx)], rows.ravel(),
                out.ravel())
    return out


def _chunk_scores(part: Sequence[str], cmap: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Scores (without intercept) of a chunk of normalised texts; see the comment above."""
    n_docs = len(part)
    a = np.frombuffer(_batch_bytes(part), dtype=np.uint8)
    n = len(a)
    pw, ipw = _f._powers(n + 1)
    with np.errstate(over="ignore"):
        s = np.zeros(n + 1, dtype=np.uint64)
        np.cumsum(a.astype(np.uint64) * pw[:n], out=s[1:])
        sp = s * ipw  # span hash (s[e] - s[b]) * C**-b == sp[e] * C**(e-b) - sp[b]
    seps = np.flatnonzero(a == _f._SEP)
    indptr = np.concatenate(([0], seps, [0])).astype(np.int32)  # text d: [indptr[d], [d+1])
    seg_len = np.diff(np.concatenate(([-1], seps, [n]))) - 1  # bytes of each padded text

    # Character n-grams: every start position; spans over a separator count as absent.
    char = np.zeros((n_docs, rows.shape[1]))
    n_char = np.zeros(n_docs, dtype=np.int64)
    for k in range(_f.CHAR_RANGE[0], _f.CHAR_RANGE[1] + 1):
        m = n + 1 - k
        if m <= 0:
            break
        with np.errstate(over="ignore"):
            h = sp[k:] * pw[k]
            h -= sp[:m]
            h ^= np.uint64(k)
            h *= _f._MIX
        h >>= _SHIFT
        col = h.view(np.int64)
        crossing = (seps[:, None] - np.arange(k)).ravel()
        col[crossing[(crossing >= 0) & (crossing < m)]] = N_FEATURES
        indptr[-1] = m
        # an empty last text starts past the last k-gram start: clamp (indptr must not decrease)
        char += _row_sums(np.take(cmap, col), np.minimum(indptr, m), rows, n_docs)
        n_char += np.maximum(seg_len - k + 1, 0)

    # Word unigrams and bigrams (a bigram is counted at its first word).
    isw = _f._WORD_BYTES[a]
    edges = np.diff(np.concatenate(([False], isw, [False])).astype(np.int8))
    w_start = np.flatnonzero(edges == 1)
    w_end = np.flatnonzero(edges == -1)
    nw = len(w_start)
    with np.errstate(over="ignore"):
        uni = ((s[w_end] - s[w_start]) * ipw[w_start] ^ np.uint64(101)) * _f._MIX
    uni >>= _SHIFT
    w_doc = np.searchsorted(seps, w_start)
    same = w_doc[1:] == w_doc[:-1]
    bi_col = np.full(nw, N_FEATURES, dtype=np.int64)
    with np.errstate(over="ignore"):
        bi = ((uni[:-1][same] * _f._C + uni[1:][same]) ^ np.uint64(202)) * _f._MIX
    bi_col[: nw - 1][same] = (bi >> _SHIFT).view(np.int64)
    w_ptr = np.append(np.searchsorted(w_start, indptr[:-1]), nw).astype(np.int32)
    word = _row_sums(np.take(cmap, uni.view(np.int64)), w_ptr, rows, n_docs)
    word += _row_sums(np.take(cmap, bi_col), w_ptr, rows, n_docs)
    n_words = np.diff(w_ptr)
    n_word = 2 * n_words - (n_words > 0)

    # Block weights as features.hashed computes them (float32), then the L2 norm.
    a_char = (np.float32(0.7071) / np.sqrt(n_char.astype(np.float32))).astype(np.float64)
    a_word = (np.float32(0.7071) / np.sqrt(np.maximum(n_word, 1).astype(np.float32))
              ).astype(np.float64)
    norm = np.sqrt(a_char**2 * char[:, 0] + a_word**2 * word[:, 0])
    norm[norm == 0] = 1.0
    return (a_char[:, None] * char[:, 1:] + a_word[:, None] * word[:, 1:]) / norm[:, None]


# The shipped model, fitted by `python -m pulso.classify.training` from the project's own
# examples and committed. It is only ever loaded here, never refitted at classification time:
# tests/classify/test_training.py checks that it matches its training material.
PACKAGED = Path(__file__).with_name("shipped_model.npz")
_SHIPPED: LinearModel | None = None


def shipped_model() -> LinearModel:
    """The packaged shipped model (loaded once per process)."""
    global _SHIPPED
    if _SHIPPED is None:
        if not PACKAGED.exists():
            raise FileNotFoundError(f"{PACKAGED} is missing: rebuild it with "
                                    "`python -m pulso.classify.training`")
        _SHIPPED = LinearModel.from_bytes(PACKAGED.read_bytes())
        # built with the model, as part of loading it, not on the first batch scored
        _SHIPPED.score_table()
    return _SHIPPED
