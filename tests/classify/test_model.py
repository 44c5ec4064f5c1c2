"""Linear PQRS model: class naming, decision rule, serialisation round trip."""

from __future__ import annotations

import numpy as np
import pytest

from pulso.classify.features import N_FEATURES
from pulso.classify.model import FLAG_CLASSES, LinearModel, join_class, split_class


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


def _decide_rows(m: LinearModel, p: np.ndarray) -> tuple[list[str], np.ndarray]:
    """`LinearModel.decide` one row at a time: the definition the whole-column form must equal
    (the row loop it replaced in the library)."""
    idx = {c: i for i, c in enumerate(m.classes)}
    flag_cols = [idx[c] for c in m.classes if c in FLAG_CLASSES]
    flag = p[:, flag_cols].sum(axis=1) if flag_cols else np.zeros(len(p))
    best_flag = np.asarray(flag_cols)[p[:, flag_cols].argmax(axis=1)] if flag_cols else None
    fel = p[:, idx["felicitacion"]] if "felicitacion" in idx else np.zeros(len(p))
    none = p[:, idx["none"]] if "none" in idx else np.zeros(len(p))
    if m.threshold <= 0.0:
        return [m.classes[j] for j in p.argmax(axis=1)], flag
    out: list[str] = []
    for i in range(len(p)):
        if flag_cols and flag[i] >= m.threshold:
            out.append(m.classes[best_flag[i]])
        elif fel[i] > none[i] and fel[i] >= flag[i] * 0.5:
            out.append("felicitacion")
        else:
            out.append("none")
    return out, flag


@pytest.mark.parametrize("classes", [
    ("peticion_info", "reclamo", "felicitacion", "none"),
    ("peticion_info", "peticion_general", "queja", "reclamo", "none"),  # no felicitacion
    ("reclamo", "felicitacion"),  # no none
    ("felicitacion", "none"),  # no flag class
])
@pytest.mark.parametrize("threshold", [0.5, 0.37, 0.1, 0.0])
def test_decide_whole_columns_equals_row_by_row(classes: tuple, threshold: float) -> None:
    # coarse probabilities (multiples of 1/8) so ties at every comparison occur often
    rng = np.random.default_rng(len(classes) + int(threshold * 100))
    p = rng.integers(0, 5, size=(2000, len(classes))).astype(np.float64)
    p[p.sum(axis=1) == 0, 0] = 1.0
    p /= p.sum(axis=1, keepdims=True)
    m = LinearModel("t-1", classes, np.zeros((len(classes), 1), dtype=np.float32),
                    np.zeros(len(classes)), threshold)
    labels, flag = m.decide(p)
    ref_labels, ref_flag = _decide_rows(m, p)
    assert labels == ref_labels
    assert all(type(label) is str for label in labels)
    assert np.array_equal(flag, ref_flag)
    assert len(set(labels)) > 1


def test_bytes_round_trip_keeps_scores() -> None:
    m = _model()
    back = LinearModel.from_bytes(m.to_bytes())
    assert (back.version, back.classes, back.threshold, back.meta) == (m.version, m.classes, 0.5, {"k": 1})
    texts = ["hola", "llevo un mes esperando"]
    assert np.allclose(back.proba(texts), m.proba(texts), atol=1e-3)
    assert np.allclose(m.proba(texts).sum(axis=1), 1.0)


def _texts() -> list[str]:
    """Normalised-looking texts plus the cases the byte-level fast path must hand back."""
    import random

    rng = random.Random(3)
    words = ["hola", "llevo", "0", "meses", "@u", "esperando", "la", "eps", "a_b", "x", "urlx",
             "123", "@alcaldia_bog", "sin", "respuesta", "no", "me", "han", "pagado"]
    texts = ["", "a", ""]  # empty texts first: separators at the very start of the batch
    texts += [" ".join(rng.choice(words) for _ in range(rng.randint(0, 40))) for _ in range(300)]
    texts += ["", " ", "x", "ab", "@", "@@x y", "x@y_1 z", "tab\there\r\nnew",
              "con \x01 separador", "\x01", "emoji \U0001f621 y ñ", "digitos \u0663\u0664 arabes",
              "superindice \u00b2", "a" * 3000]
    return texts


@pytest.mark.parametrize("sparse", [True, False])
@pytest.mark.parametrize("with_idf", [True, False])
def test_scores_equal_the_sparse_feature_product(sparse: bool, with_idf: bool) -> None:
    from pulso.classify.features import weighted

    rng = np.random.default_rng(1)
    coef = rng.normal(size=(4, N_FEATURES)).astype(np.float32)
    if sparse:  # as fitted models: most hashed columns without weight
        coef[:, rng.random(N_FEATURES) < 0.99] = 0.0
    idf = (rng.integers(1, 300, N_FEATURES) / 64).astype(np.float32) if with_idf else None
    m = LinearModel("t", ("peticion_info", "reclamo", "felicitacion", "none"), coef,
                    np.array([0.1, -0.2, 0.3, 0.0]), idf=idf)
    texts = _texts()
    # X @ coef.T + intercept over the occurrences of `weighted`, summed in float64. Scores sum
    # in float32, as the sparse product did: ~1e-4 relative on the 3,000-letter text (12,000
    # occurrences of a few columns; the sparse product is off by 5e-5 there), 1e-6 on the rest.
    r, c, v = weighted(texts, idf)
    want = np.stack([np.bincount(r, weights=v * coef[j, c].astype(np.float64), minlength=len(texts))
                     for j in range(len(coef))], axis=1) + m.intercept
    got = m.scores(texts)
    assert np.allclose(got, want, rtol=3e-4, atol=1e-5)
    assert np.allclose(got[:-1], want[:-1], rtol=1e-5, atol=1e-5)
    # the same across chunk edges (a batch larger than SCORE_CHUNK)
    from pulso.classify import model as model_mod

    many = (texts * (model_mod.SCORE_CHUNK // len(texts) + 2))[: model_mod.SCORE_CHUNK + 5]
    got = m.scores(many)
    assert np.abs(got[model_mod.SCORE_CHUNK - 2 : model_mod.SCORE_CHUNK + 5]
                  - m.scores(many[model_mod.SCORE_CHUNK - 2 : model_mod.SCORE_CHUNK + 5])).max() < 1e-9
    assert m.scores([]).shape == (0, 4)


@pytest.mark.parametrize("batch", [[""], ["", ""], ["hola que tal", ""], ["x", "ab", ""],
                                   ["una queja larga sobre el servicio de agua", "", ""],
                                   ["", "", "abc"], ["a", "ab", "abc", "abcd"]])
def test_scores_of_short_and_empty_texts_at_the_batch_edges(batch: list[str], monkeypatch) -> None:  # noqa: ANN001
    from pulso.classify import model as model_mod
    from pulso.classify.features import linear_scores

    row_sums = model_mod._row_sums

    def checked(idx, indptr, rows, n_docs):  # noqa: ANN001, ANN202 - a CSR past its data reads garbage
        assert np.all(np.diff(indptr) >= 0) and indptr[-1] <= len(idx) and len(indptr) == n_docs + 1
        return row_sums(idx, indptr, rows, n_docs)

    monkeypatch.setattr(model_mod, "_row_sums", checked)
    m = model_mod.shipped_model()
    want = linear_scores(batch, m.coef, m.intercept, m.idf)
    assert np.abs(m.scores(batch) - want).max() < 1e-4
    assert np.abs(m.scores(batch) - np.vstack([m.scores([t]) for t in batch])).max() < 1e-9


def test_batch_bytes_equal_prepare() -> None:
    from pulso.classify.features import prepare
    from pulso.classify.model import _batch_bytes

    texts = _texts()
    for part in (texts, texts[:1], ["con \x01 separador", "x"], ["a", ""], ["tab\there"]):
        want = b" " + prepare(part).encode("utf-8", "replace").replace(b"\x01", b" \x01 ") + b" "
        assert _batch_bytes(part) == want


def test_shipped_model_scores_equal_feature_product() -> None:
    from pulso.classify.features import linear_scores
    from pulso.classify.model import shipped_model

    m = shipped_model()
    texts = _texts()
    want = linear_scores(texts, m.coef, m.intercept, m.idf)
    assert np.abs(m.scores(texts) - want).max() < 1e-3  # float32 sums in the sparse product


def test_row_sums_equal_the_csr_product_exactly() -> None:
    from scipy.sparse import csr_matrix

    from pulso.classify.model import _row_sums

    rng = np.random.default_rng(7)
    rows = rng.normal(size=(50, 6)).astype(np.float32)
    counts = rng.integers(0, 9, size=300)
    counts[:5] = 0  # texts without occurrences, also at the start
    indptr = np.concatenate(([0], np.cumsum(counts))).astype(np.int32)
    idx = rng.integers(0, 50, size=int(indptr[-1])).astype(np.int32)
    want = csr_matrix((np.ones(len(idx), np.float32), idx, indptr), shape=(300, 50)) @ rows
    got = _row_sums(idx, indptr, rows, 300)
    assert got.dtype == want.dtype
    assert np.array_equal(got, want)
