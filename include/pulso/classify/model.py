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
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from pulso.classify.features import N_BITS, linear_scores

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

    def proba(self, normalised: Sequence[str]) -> np.ndarray:
        """Class probabilities (rows sum to 1) for already normalised texts."""
        cached = self.__dict__.get("_coef_t")
        if cached is None or cached[0] is not self.coef:  # scoring layout, built once per array
            cached = self.__dict__["_coef_t"] = (self.coef, np.ascontiguousarray(self.coef.T))
        z = linear_scores(normalised, self.coef, self.intercept, self.idf, cached[1])
        if self.link == "ovr":
            z = 1.0 / (1.0 + np.exp(-z))
        else:
            z -= z.max(axis=1, keepdims=True)
            np.exp(z, out=z)
        z /= z.sum(axis=1, keepdims=True)
        return z

    def decide(self, p: np.ndarray) -> tuple[list[str], np.ndarray]:
        """Model class per row and its flag score (probability of a PQRS but felicitación)."""
        idx = {c: i for i, c in enumerate(self.classes)}
        flag_cols = [idx[c] for c in self.classes if c in FLAG_CLASSES]
        flag = p[:, flag_cols].sum(axis=1) if flag_cols else np.zeros(len(p))
        best_flag = np.asarray(flag_cols)[p[:, flag_cols].argmax(axis=1)] if flag_cols else None
        fel = p[:, idx["felicitacion"]] if "felicitacion" in idx else np.zeros(len(p))
        none = p[:, idx["none"]] if "none" in idx else np.zeros(len(p))
        if self.threshold <= 0.0:  # plain argmax (entity models fitted on the office's labels)
            return [self.classes[j] for j in p.argmax(axis=1)], flag
        out: list[str] = []
        for i in range(len(p)):
            if flag_cols and flag[i] >= self.threshold:
                out.append(self.classes[best_flag[i]])
            elif fel[i] > none[i] and fel[i] >= flag[i] * 0.5:
                out.append("felicitacion")
            else:
                out.append("none")
        return out, flag

    def to_bytes(self) -> bytes:
        """A compressed .npz: sparse weights (most hashed columns are zero) and a JSON header."""
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

    @classmethod
    def from_bytes(cls, data: bytes) -> LinearModel:
        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            header = json.loads(z["header"].tobytes().decode())
            if header["n_bits"] != N_BITS:
                raise ValueError(f"model hashed with {header['n_bits']} bits, features use {N_BITS}")
            coef = np.zeros((len(header["classes"]), 1 << N_BITS), dtype=np.float32)
            coef[:, z["columns"]] = z["weights"].astype(np.float32)
            idf = z["idf"].astype(np.float32) if "idf" in z and len(z["idf"]) else None
            return cls(header["version"], tuple(header["classes"]), coef,
                       z["intercept"].astype(np.float64), float(header["threshold"]),
                       header.get("meta", {}), header.get("link", "softmax"), idf)


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
    return _SHIPPED
