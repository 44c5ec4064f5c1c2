"""Behaviour of the Spanish VADER-style analyzer on authored examples (no external data)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pulso.classify import sentiment as sent
from pulso.classify.sentiment import MODEL_VERSION, SentimentAnalyzer, get_analyzer


@pytest.fixture(scope="module")
def an() -> SentimentAnalyzer:
    return get_analyzer()


def c(an: SentimentAnalyzer, text: str) -> float:
    return an.compound(text)


def test_model_version_and_constants_match_vader() -> None:
    from vaderSentiment import vaderSentiment as vs

    assert MODEL_VERSION.startswith("es-vader-")
    assert (sent.B_INCR, sent.B_DECR, sent.C_INCR, sent.N_SCALAR) == (
        vs.B_INCR, vs.B_DECR, vs.C_INCR, vs.N_SCALAR)
    for x in (-7.3, -1.0, 0.0, 0.4, 2.5, 30.0):
        assert sent.normalize(x) == pytest.approx(vs.normalize(x))


def test_lexicon_loads_thousands_of_entries(an: SentimentAnalyzer) -> None:
    assert len(an.lexicon) > 5000
    assert an.lexicon["excelente"] > 2 and an.lexicon["pesimo"] < -2
    # Generated inflections and accent-folded forms.
    for form in ("buena", "buenos", "malas", "odiamos", "encantó", "rapida"):
        assert sent.fold(form) in an.lexicon, form
    assert "muy" in an.boosters and an.boosters["un poco"] < 0


def test_get_analyzer_is_singleton() -> None:
    assert get_analyzer() is get_analyzer()


@pytest.mark.parametrize("text", [None, "", "   ", "@usuario https://t.co/abc", "123 456"])
def test_empty_or_contentless_is_neutral(an: SentimentAnalyzer, text: str | None) -> None:
    assert an.analyze(text) == ("neutral", 0.0)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("El servicio fue excelente, muchas gracias", "positive"),
        ("Pésima atención, llevo tres horas esperando", "negative"),
        ("La reunión es el martes a las 3", "neutral"),
        ("Qué chimba de evento, parce", "positive"),
        ("Uy no, qué mamera esta fila", "negative"),
        ("Ese concierto estuvo una nota", "positive"),
        ("De malas, otra vez sin agua en el barrio", "negative"),
        ("Ni por el putas vuelvo a ese lugar", "negative"),
        ("Muy bacano el parque nuevo", "positive"),
        ("Gracias por nada, nunca responden", "negative"),
        ("Exelente trabajo de la alcaldía", "positive"),
        ("orrible el trancón de hoy", "negative"),
        ("#MalServicio en la oficina del centro", "negative"),
        ("Felicitaciones al equipo 🎉👏", "positive"),
        ("😡😡", "negative"),
        ("jajajaja", "positive"),
        ("Qué chévere, me encantó :)", "positive"),
    ],
)
def test_authored_examples(an: SentimentAnalyzer, text: str, label: str) -> None:
    assert an.analyze(text)[0] == label


def test_negation_flips_and_concord_negates_once(an: SentimentAnalyzer) -> None:
    assert c(an, "es bueno") > 0
    assert c(an, "no es bueno") < 0
    assert c(an, "nunca es bueno") < 0
    # "no ... nada" is one negation in Spanish, not two.
    assert c(an, "no es nada bueno") < 0
    assert c(an, "sin problemas") > 0
    assert c(an, "no me gusta") < 0
    # Clitics do not use up the window: "no" still reaches "gustado".
    assert c(an, "no me lo ha gustado") < 0
    # Punctuation closes the negation scope.
    assert c(an, "no, es bueno") > c(an, "no es bueno")


def test_boosters_and_dampeners(an: SentimentAnalyzer) -> None:
    base = c(an, "es bueno")
    assert c(an, "es muy bueno") > base
    assert c(an, "es súper bueno") > base
    assert c(an, "es superbueno") > base
    assert c(an, "es re bueno") > base
    assert c(an, "es un poco bueno") < base
    assert c(an, "es muy malo") < c(an, "es malo") < c(an, "es algo malo") < 0


def test_contrast_weighs_the_clause_after_pero(an: SentimentAnalyzer) -> None:
    assert c(an, "La comida es buena pero el servicio es pésimo") < 0
    assert c(an, "El servicio es malo pero la comida es excelente") > 0
    # "aunque" halves the concession it opens.
    assert c(an, "Es excelente, aunque un poco caro") > 0


def test_elongation_and_superlative(an: SentimentAnalyzer) -> None:
    assert c(an, "buenísimooo") > c(an, "bueno") > 0
    assert c(an, "buenoooo") == c(an, "bueno")
    assert c(an, "graciaaaas") == c(an, "gracias")
    assert c(an, "malísimo") < c(an, "malo") < 0


def test_laughter_variants_are_positive(an: SentimentAnalyzer) -> None:
    for laugh in ("jaja", "jajajaja", "JAJAJA", "jejeje", "jsjsjs", "jajsjajs", "xD"):
        assert c(an, laugh) > 0, laugh


def test_caps_and_exclamations_intensify(an: SentimentAnalyzer) -> None:
    assert c(an, "es MALO el servicio") < c(an, "es malo el servicio")
    assert c(an, "¡Qué bueno!!!") > c(an, "Qué bueno")
    assert c(an, "terrible!!!") < c(an, "terrible")


def test_emoji_and_emoticons(an: SentimentAnalyzer) -> None:
    assert c(an, "llegó el paquete 😍") > 0
    assert c(an, "llegó el paquete 👎") < 0
    assert c(an, "llegó el paquete ❤️") > 0  # variation selector stripped
    assert c(an, "llegó el paquete 👍🏽") > 0  # skin tone stripped
    assert c(an, "ok :(") < 0


def test_mentions_links_and_hashtags(an: SentimentAnalyzer) -> None:
    assert c(an, "@excelente https://excelente.com/feliz") == 0.0
    assert c(an, "#ExcelenteServicio") > 0
    assert c(an, "#excelente") > 0
    assert c(an, "Todo bien @Alcaldia http://x.co/1") == c(an, "Todo bien")


def test_accents_and_case_are_folded(an: SentimentAnalyzer) -> None:
    assert c(an, "pesimo servicio") == c(an, "pésimo servicio")
    assert c(an, "Chevere") == c(an, "chévere")


def test_sarcasm_marker(an: SentimentAnalyzer) -> None:
    assert c(an, "gracias") > 0
    assert c(an, "gracias por nada") < 0


def test_label_band() -> None:
    an = SentimentAnalyzer(neutral_band=0.2)
    assert an.label(0.2) == "positive"
    assert an.label(-0.2) == "negative"
    assert an.label(0.19) == "neutral"
    with pytest.raises(ValueError, match="neutral_band"):
        SentimentAnalyzer(neutral_band=1.5)


def test_batch_equals_single(an: SentimentAnalyzer) -> None:
    texts = ["Excelente", "pésimo servicio", None, "", "Excelente", "no sirve para nada", "hola"]
    labels, scores = an.analyze_many(texts)
    assert len(labels) == len(scores) == len(texts)
    for t, lab, sc in zip(texts, labels, scores, strict=True):
        assert (lab, sc) == an.analyze(t)
    fresh = SentimentAnalyzer()
    assert fresh.analyze_many(reversed(texts)) == (labels[::-1], scores[::-1])


def test_compound_in_range(an: SentimentAnalyzer) -> None:
    for t in ("excelente " * 50 + "!!!!", "horrible " * 50 + "!!!!", "no " * 30):
        assert -1.0 <= c(an, t) <= 1.0


def test_custom_lexicon_dir_and_bad_rows(tmp_path: Path) -> None:
    (tmp_path / "words.tsv").write_text("# comment\nfeliz\t2.0\tadj\nmal\t-2\n", encoding="utf-8")
    an = SentimentAnalyzer(lexicon_dir=tmp_path)
    assert an.compound("felices") > 0 and an.compound("mal") < 0
    (tmp_path / "bad.tsv").write_text("raro\tmucho\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.tsv:1"):
        SentimentAnalyzer(lexicon_dir=tmp_path)
    with pytest.raises(FileNotFoundError):
        SentimentAnalyzer(lexicon_dir=tmp_path / "missing")
