"""Entity models: per-class score offsets chosen on cross-validated scores (macro-F1)."""

from __future__ import annotations

import numpy as np

from pulso.classify.entity import _macro_f1_idx, fit_entity_model, predict_classes, tune_class_bias
from pulso.classify.model import LinearModel

# Written for these tests: many thanks, some questions, few complaints (a rare class).
THANKS = [f"muchas gracias por el taller {i}, las profes son muy amables" for i in range(24)]
QUESTIONS = [f"quisiera saber cuando abren las inscripciones del curso {i}" for i in range(16)]
COMPLAINTS = [f"la merienda {i} llego fria y nadie nos explico el cambio de horario"
              for i in range(6)]


def test_macro_f1_over_present_classes() -> None:
    y = np.array([0, 0, 1, 1])
    assert _macro_f1_idx(y, np.array([0, 0, 1, 1]), 3) == 1.0
    # class 2 is absent from y: it does not count, but a wrong prediction of it still costs
    assert abs(_macro_f1_idx(y, np.array([0, 2, 1, 1]), 3) - (2 / 3 + 1) / 2) < 1e-9


def test_bias_lifts_a_rare_class_that_the_scores_undercall() -> None:
    rng = np.random.default_rng(0)
    y = np.array([0] * 300 + [1] * 30)
    # the rare class scores higher on its own rows, but always below the frequent class
    s1 = np.where(y == 1, 0.0, -1.0) + rng.normal(0, 0.2, len(y))
    scores = np.column_stack([np.full(len(y), 0.5), s1])
    before = _macro_f1_idx(y, scores.argmax(axis=1), 2)
    bias = tune_class_bias(scores, y)
    after = _macro_f1_idx(y, (scores + bias).argmax(axis=1), 2)
    assert before < 0.5 < 0.9 < after
    assert bias[1] - bias[0] > 0.4


def test_bias_stays_zero_when_nothing_improves() -> None:
    y = np.array([0, 1, 0, 1])
    scores = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0], [0.0, 1.0]])
    assert not tune_class_bias(scores, y).any()


def test_fit_folds_the_offsets_into_the_intercepts() -> None:
    texts = THANKS + QUESTIONS + COMPLAINTS
    labels = ["felicitacion"] * 24 + ["peticion_info"] * 16 + ["reclamo"] * 6
    plain, _ = fit_entity_model(texts, labels, version="e-plain", cv_folds=0, calibrate=False)
    model, fig = fit_entity_model(texts, labels, version="e-cal", cv_folds=3)
    assert fig["cv_folds"] == 3 and 0.0 <= fig["cv_macro_f1"] <= 1.0
    bias = fig["class_bias"]
    assert set(bias) == set(labels)
    np.testing.assert_array_equal(model.coef, plain.coef)
    shift = model.intercept - plain.intercept
    np.testing.assert_allclose(shift, [bias[c] for c in model.classes], atol=0.006)
    # the saved model is the plain .npz (no pickles) and decides the same after a round trip
    again = LinearModel.from_bytes(model.to_bytes())
    probe = ["nadie nos explico por que la merienda llego fria", "gracias profes"]
    assert predict_classes(again, probe) == predict_classes(model, probe)


def test_calibration_without_reported_cv_uses_its_own_folds() -> None:
    texts = THANKS + QUESTIONS + COMPLAINTS
    labels = ["felicitacion"] * 24 + ["peticion_info"] * 16 + ["reclamo"] * 6
    _, fig = fit_entity_model(texts, labels, version="e-1", cv_folds=0)
    assert "cv_macro_f1" not in fig and "shipped_macro_f1" not in fig
    assert set(fig["class_bias"]) == {"felicitacion", "peticion_info", "reclamo"}
