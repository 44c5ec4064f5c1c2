"""Linear PQRS model: class naming, decision rule, serialisation round trip."""

from __future__ import annotations

import numpy as np
import pytest

from pulso.classify.features import N_FEATURES
from pulso.classify.model import LinearModel, join_class, split_class


@pytest.mark.parametrize(("label", "pair"), [
    ("peticion_info", ("peticion", "informacion")),
    ("peticion_consulta", ("peticion", "consulta")),
    ("peticion_general", ("peticion", "general")),
    ("reclamo", ("reclamo", None)),
    ("none", (None, None)),
])
def test_class_names_round_trip(label: str, pair: tuple) -> None:
    assert split_class(label) == pair
    assert join_class(*pair) == label


def _model(threshold: float = 0.5) -> LinearModel:
    classes = ("peticion_info", "reclamo", "felicitacion", "none")
    coef = np.zeros((4, N_FEATURES), dtype=np.float32)
    coef[:, 5] = [1.0, -1.0, 0.5, 0.0]
    return LinearModel("t-1", classes, coef, np.zeros(4), threshold, {"k": 1}, "softmax",
                       np.ones(N_FEATURES, dtype=np.float32))


def test_decide_flag_felicitacion_none_and_argmax() -> None:
    m = _model()
    p = np.array([[0.5, 0.2, 0.1, 0.2],    # flag 0.7 -> best flag class
                  [0.1, 0.1, 0.6, 0.2],    # felicitacion beats none
                  [0.2, 0.1, 0.1, 0.6]])   # none
    labels, flag = m.decide(p)
    assert labels == ["peticion_info", "felicitacion", "none"]
    assert np.allclose(flag, [0.7, 0.2, 0.3])
    m.threshold = 0.0
    assert m.decide(p)[0] == ["peticion_info", "felicitacion", "none"]


def test_bytes_round_trip_keeps_scores() -> None:
    m = _model()
    back = LinearModel.from_bytes(m.to_bytes())
    assert (back.version, back.classes, back.threshold, back.meta) == (m.version, m.classes, 0.5, {"k": 1})
    texts = ["hola", "llevo un mes esperando"]
    assert np.allclose(back.proba(texts), m.proba(texts), atol=1e-3)
    assert np.allclose(m.proba(texts).sum(axis=1), 1.0)
