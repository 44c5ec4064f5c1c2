"""Entity models over "tfidf-hash-2" features: fitting, scoring, saving, and old models."""

from __future__ import annotations

import io

import numpy as np

from pulso.classify import entity_features as ef
from pulso.classify.entity import fit_entity_model, predict_classes
from pulso.classify.model import LinearModel, shipped_model

# Written for these tests: thanks, questions, complaints (a rare class).
THANKS = [f"muchas gracias por el taller {i}, las profes son muy amables" for i in range(20)]
QUESTIONS = [f"quisiera saber cuando abren las inscripciones del curso {i}" for i in range(14)]
COMPLAINTS = [f"la merienda {i} llego fria y nadie nos explico el cambio de horario"
              for i in range(8)]
TEXTS = THANKS + QUESTIONS + COMPLAINTS
LABELS = ["felicitacion"] * 20 + ["peticion_info"] * 14 + ["reclamo"] * 8
PROBE = ["nadie nos explico por que la merienda llego fria", "gracias profes",
         "cuando abren inscripciones?", "", "texto con palabras nuevas xyzzy"]


def _sklearn_scores(model: LinearModel, texts: list[str]) -> np.ndarray:
    """The scores computed directly with scikit-learn's TfidfTransformer pieces."""
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import HashingVectorizer
    from sklearn.preprocessing import normalize

    blocks = []
    for vec, idf in ((HashingVectorizer(ngram_range=(1, 2), n_features=ef.N_WORD,
                                        alternate_sign=False, norm=None, lowercase=False),
                      model.idf[: ef.N_WORD]),
                     (HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5),
                                        n_features=ef.N_CHAR, alternate_sign=False, norm=None,
                                        lowercase=False),
                      model.idf[ef.N_WORD :])):
        x = vec.transform(texts).tocsr()
        x.data = (1.0 + np.log(x.data)) * idf.astype(np.float64)[x.indices]
        blocks.append(normalize(x))
    x = hstack(blocks, format="csr")
    dense = np.zeros((len(model.classes), ef.N_COLUMNS))
    dense[:, model.columns] = model.coef
    return np.asarray(x @ dense.T) + model.intercept


def test_entity_model_is_tfidf_and_scores_as_sklearn() -> None:
    model, fig = fit_entity_model(TEXTS, LABELS, version="e-2", cv_folds=3)
    assert model.features == ef.TAG and fig["features"] == ef.TAG
    assert model.coef.shape == (3, len(model.columns))
    norm = ["nadie nos explico por que la merienda llego fria", "gracias profes", "",
            "palabras nuevas xyzzy"]
    np.testing.assert_allclose(model.scores(norm), _sklearn_scores(model, norm), atol=1e-9)
    # an n-gram no training text had weighs nothing, not even in the norm
    assert np.allclose(model.scores(["QQQ JJJ", ""]), model.intercept)
    assert predict_classes(model, ["la merienda llego fria otra vez"]) == ["reclamo"]


def test_tfidf_model_round_trip_without_pickles() -> None:
    model, _ = fit_entity_model(TEXTS, LABELS, version="e-3", cv_folds=0)
    data = model.to_bytes()
    with np.load(io.BytesIO(data), allow_pickle=False) as z:
        assert {"header", "idf", "columns", "weights", "intercept"} <= set(z.files)
    back = LinearModel.from_bytes(data)
    assert (back.version, back.classes, back.link, back.features, back.meta) == \
        (model.version, model.classes, model.link, ef.TAG, model.meta)
    norm = [t.lower() for t in PROBE]
    np.testing.assert_array_equal(back.scores(norm), model.scores(norm))
    assert predict_classes(back, PROBE) == predict_classes(model, PROBE)
    assert back.to_bytes() == data


def test_fold_scores_equal_model_scores() -> None:
    from pulso.classify.entity import _block_scores, _fit_tfidf, _normalised

    norm = _normalised(TEXTS)
    blocks = ef.counts(norm)
    rows = list(range(0, len(TEXTS), 2))
    m = _fit_tfidf(blocks, LABELS, rows, 2.0, version="cv")
    held = list(range(1, len(TEXTS), 2))
    np.testing.assert_allclose(_block_scores(m, blocks, held), m.scores([norm[i] for i in held]),
                               atol=1e-9)


def test_hash1_models_keep_their_format() -> None:
    # the shipped model has no features tag, loads as hash-1, and saves to the same header
    ship = shipped_model()
    assert ship.features == "hash-1" and ship.columns is None
    back = LinearModel.from_bytes(ship.to_bytes())
    assert back.features == "hash-1"
    with np.load(io.BytesIO(ship.to_bytes()), allow_pickle=False) as z:
        assert b"features" not in z["header"].tobytes()
    texts = ["quisiera saber el horario", "gracias"]
    np.testing.assert_array_equal(back.scores(texts), ship.scores(texts))
    # entity models can still be fitted on the old features
    old, fig = fit_entity_model(TEXTS, LABELS, version="e-1", cv_folds=0, features="hash-1")
    assert old.features == "hash-1" and fig["features"] == "hash-1"
    assert LinearModel.from_bytes(old.to_bytes()).features == "hash-1"
