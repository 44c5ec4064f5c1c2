"""Fitting: the shipped examples are deterministic, a fit learns, the packaged model is current."""

from __future__ import annotations

from pulso.classify import training
from pulso.classify.entity import fit_entity_model, folds, macro_f1, predict_types
from pulso.classify.model import ALL_CLASSES, PACKAGED, LinearModel, shipped_model

SMALL = {"peticion_info": 40, "reclamo": 40, "none": 40}


def test_full_training_set_has_non_pqrs_majority_and_written_sets() -> None:
    texts, labels = training.generate()
    assert labels.count("none") > len(labels) / 3
    written = {t for t, _ in training.written_sets()}
    assert len(written) > 500 and written <= set(texts)


def test_generate_is_deterministic_and_labelled() -> None:
    a = training.generate(seed=3, per_class=SMALL, extras=False)
    b = training.generate(seed=3, per_class=SMALL, extras=False)
    assert a == b
    texts, labels = a
    assert len(texts) == len(labels) == 120
    assert set(labels) <= set(ALL_CLASSES)
    assert any(t.startswith("@") for t in texts)  # entity mentions at the start
    assert any(t == t.lower() and "[número]" not in t for t in texts)


def test_fit_learns_written_examples() -> None:
    texts, labels = training.generate(seed=5, per_class=SMALL, extras=False)
    m = training.fit(texts, labels, version="t", threshold=0.5)
    assert m.classes == ("peticion_info", "reclamo", "none")
    pred = [c for c in m.decide(m.proba([t.lower() for t in texts[:60]]))[0]]
    assert sum(p == g for p, g in zip(pred, labels[:60], strict=True)) >= 50


def test_packaged_model_matches_training_material() -> None:
    # Rebuild with `python -m pulso.classify.training` whenever examples or features change.
    packaged = LinearModel.from_bytes(PACKAGED.read_bytes())
    assert packaged.meta["material"] == training._material_hash()
    assert packaged.version == shipped_model().version
    assert training.is_current()
    assert "project-written" in packaged.meta["trained_on"]


def test_folds_are_stratified_and_cover_everything() -> None:
    labels = ["a"] * 10 + ["b"] * 5
    fs = folds(labels, 5)
    assert sorted(i for f in fs for i in f) == list(range(15))
    assert all(sum(labels[i] == "b" for i in f) == 1 for f in fs)
    assert macro_f1(["a", "b"], ["a", "a"]) == (2 / 3 + 0) / 2


def test_entity_model_cross_validates_against_shipped() -> None:
    texts, labels = training.generate(seed=9, per_class={"peticion_info": 20, "reclamo": 20,
                                                          "felicitacion": 20}, extras=False)
    model, fig = fit_entity_model(texts, labels, version="e-1", cv_folds=3)
    assert fig["n_labels"] == 60 and fig["cv_folds"] == 3
    assert 0.0 <= fig["shipped_macro_f1"] <= 1.0 and fig["cv_macro_f1"] > 0.5
    assert predict_types(model, ["llevo un mes esperando el pago"])[0][0] in ("reclamo", "peticion")


def test_failure_class_templates_are_in_the_training_set() -> None:
    from pulso.classify.training_data import failure_classes

    texts, labels = training.generate(seed=4, per_class={"felicitacion": 3000}, extras=False)
    plain = {t.lower() for t in texts}
    fixed = [t for t in failure_classes.TEMPLATES["felicitacion"] if "{" not in t]
    assert sum(any(f.lower() in t for t in plain) for f in fixed) > len(fixed) // 2
