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
        # Laughter alone is a weak stance (mockery as often as joy): it leans, not decides.
        ("jajajaja", "neutral"),
        ("jajaja qué chévere", "positive"),
        ("jajaja qué mamera", "negative"),
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


def test_default_band_is_asymmetric() -> None:
    an = SentimentAnalyzer()
    assert (an.neutral_band, an.negative_band) == (0.3, 0.2)
    assert an.label(-0.25) == "negative" and an.label(0.25) == "neutral"
    with pytest.raises(ValueError, match="negative_band"):
        SentimentAnalyzer(negative_band=-0.1)


# ---- issue 10 failure classes (shared cues with the PQRS screener) ------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Otro retraso de una hora con el vuelo",
        "El código no sirve tras tres horas",
        "Me cancelaron la cita y nadie responde",
        "Llevo 3 semanas esperando al técnico",
        "Ya van dos días sin luz en el barrio",
    ],
)
def test_service_failure_narratives_are_negative(an: SentimentAnalyzer, text: str) -> None:
    assert an.analyze(text)[0] == "negative"


@pytest.mark.parametrize(
    "text",
    [
        "Gracias por nada",
        "Excelente servicio... llevo 2 horas en la fila",
        "Qué maravilla, otra vez sin agua",
        "Bravo, otra vez sin internet 🙄",
    ],
)
def test_sarcasm_is_negative(an: SentimentAnalyzer, text: str) -> None:
    assert an.analyze(text)[0] == "negative"


@pytest.mark.parametrize(
    "text",
    [
        "La factura llegó el doble y nadie me explica. GRACIAS",
        "Me dejaron esperando toda la mañana, muchas gracias",
    ],
)
def test_thanks_closing_a_complaint_are_not_positive(an: SentimentAnalyzer, text: str) -> None:
    assert an.analyze(text)[0] == "negative"


@pytest.mark.parametrize(
    "text",
    [
        "Buenas tardes, ¿me podrían informar un correo para una reclamación? Gracias",
        "Buenos días, necesito el certificado por favor. Dios los bendiga",
        "Cordial saludo, quisiera saber cuándo pagan el subsidio. Muchas gracias",
    ],
)
def test_courtesy_around_a_request_is_a_wrapper(an: SentimentAnalyzer, text: str) -> None:
    assert an.analyze(text)[0] == "neutral"


def test_courtesy_alone_still_reads_positive(an: SentimentAnalyzer) -> None:
    assert an.analyze("Muchas gracias, Dios los bendiga")[0] == "positive"
    assert an.analyze("Gracias por la atención tan rápida, quedé muy contenta")[0] == "positive"


@pytest.mark.parametrize(
    "text",
    [
        "Trading con ganancias garantizadas, increíble! únete t.me/grupo",
        "Gana dinero desde casa, excelente oportunidad",
    ],
)
def test_spam_is_neutral(an: SentimentAnalyzer, text: str) -> None:
    assert an.analyze(text) == ("neutral", 0.0)


def test_unmet_wish_leans_negative_but_wish_to_continue_does_not(an: SentimentAnalyzer) -> None:
    assert an.analyze("Me gusta el taller pero me gustaría que trajeran fruta")[0] == "negative"
    assert an.analyze("Me gustó el taller, ojalá vuelvan pronto")[0] == "positive"


def test_cue_tokens_are_cached_per_token_not_per_text(an: SentimentAnalyzer) -> None:
    """Cue triggers ride on the token cache: a text with none runs no cue regex."""
    from pulso.classify import cues

    calls = []
    original = cues.find_cues
    try:
        cues.find_cues = lambda t, mask=cues.ALL_BITS: calls.append(t) or original(t, mask)
        an.compound("La reunión es el martes a las tres en la sede")
        assert calls == []
        an.compound("Llevo dos horas esperando")
        assert len(calls) == 1
    finally:
        cues.find_cues = original


FAST_VS_REFERENCE = [
    "El servicio fue EXCELENTE, muchas gracias!!!",
    "No me gustó para nada la atención, pésimo",
    "Buenísimooo el taller, jajaja 😍",
    "Llevo 3 semanas esperando y nadie responde 🙄",
    "Buenas tardes, ¿me pueden informar el horario? Gracias",
    "Gracias por nada, otra vez sin agua",
    "Aunque llegaron tarde, la charla fue muy buena; pero el refrigerio no",
    "Me gustaría que trajeran más comida, a pesar de que todo estuvo bien",
    "Gana dinero desde casa con trading, únete t.me/grupo",
    "no es que sea malo, sin embargo no lo recomiendo :(",
    "@entidad #MalServicio de malas, qué pena con ustedes :)",
    "Súper bien!! requetebueno, NADA MALO",
    "que traigan frutas y que no den huevo",
    "",
    "ni siquiera un poco interesante... ya no vuelvo",
]


def test_fast_path_equals_reference_path() -> None:
    """Token/chunk caches, anchors-only first pass and batching give the reference scores."""
    fresh = SentimentAnalyzer()
    texts = FAST_VS_REFERENCE + [t.upper() for t in FAST_VS_REFERENCE] + FAST_VS_REFERENCE
    want = [fresh.compound_reference(t) for t in texts]
    assert [fresh.compound(t) for t in texts] == want  # cold, then warm caches
    assert SentimentAnalyzer().analyze_many(texts)[1] == want
    assert fresh.analyze_many(texts)[1] == want


def test_bien_before_a_sentiment_word_intensifies(an: SentimentAnalyzer) -> None:
    # Latin American "bien" + adjective is "very", not praise of its own.
    assert c(an, "eres bien mala onda") < c(an, "eres mala onda") < 0
    assert c(an, "está bien bonito") > c(an, "está bonito") > 0
    assert c(an, "bien, gracias") > 0


@pytest.mark.parametrize(
    "text",
    [
        "Nada más lindo que un domingo en el parque",
        "No hay nada mejor que la arepa de la abuela",
        "Nadie mejor que ustedes para organizar la feria",
    ],
)
def test_superlative_comparison_is_not_negation(an: SentimentAnalyzer, text: str) -> None:
    assert an.analyze(text)[0] == "positive"


def test_superlative_comparison_keeps_negative_words_negative(an: SentimentAnalyzer) -> None:
    assert an.analyze("No hay nada más triste que perder a un amigo")[0] == "negative"
    assert an.analyze("No hay peor trámite que el de la licencia")[0] == "negative"
    # An ordinary negation still flips.
    assert c(an, "no hay nada bueno en esta oficina") < 0


@pytest.mark.parametrize(
    "text",
    [
        "La funcionaria nos recibió los papeles a las 9",
        "Nos tomamos unos mates en la plaza",
        "Todos llegaron salvo el conductor",
    ],
)
def test_homographs_of_inflected_verbs_are_neutral(an: SentimentAnalyzer, text: str) -> None:
    assert an.analyze(text)[0] == "neutral"


def test_laughter_spellings_weigh_the_same(an: SentimentAnalyzer) -> None:
    assert c(an, "jaja") == c(an, "jajaja") > 0
    assert an.analyze("jaja")[0] == "neutral"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Qué espanto la fila de hoy", "negative"),
        ("Qué desidia la de esta oficina, tres meses con el trámite", "negative"),
        ("Fenomenal la amabilidad de la funcionaria", "positive"),
    ],
)
def test_colombian_lexicon_additions(an: SentimentAnalyzer, text: str, label: str) -> None:
    assert an.analyze(text)[0] == label


@pytest.mark.parametrize(
    "text",
    [
        "Buenas noches a todos, que descansen",
        "Que tengan un lindo fin de semana",
        "Que se mejoren pronto los niños",
    ],
)
def test_good_wishes_are_not_unmet_wishes(an: SentimentAnalyzer, text: str) -> None:
    assert an.analyze(text)[0] != "negative"


def test_plain_wanting_leans_less_than_a_wish_for_change(an: SentimentAnalyzer) -> None:
    # A wish for the service to change is mild dissatisfaction...
    assert an.analyze("Que traigan más frutas en el refrigerio")[0] == "negative"
    assert an.analyze("Por favor que pongan ventiladores en el salón")[0] == "negative"
    # ...plain wanting leans much less.
    assert c(an, "Necesito un certificado de residencia") > c(
        an, "Me gustaría que pusieran más rutas de bus")


def test_courtesy_thanks_around_a_request_is_a_wrapper(an: SentimentAnalyzer) -> None:
    assert an.analyze("Por favor enviar el formulario de inscripción, se los agradezco")[0] \
        != "positive"
    assert an.analyze("Les agradezco mucho la atención de hoy")[0] == "positive"


@pytest.mark.parametrize("face", [";_;", "T_T", "-_-", ">:(", "u.u", ":c"])
def test_text_faces(an: SentimentAnalyzer, face: str) -> None:
    assert c(an, f"otra vez lunes {face}") < 0


def test_text_faces_do_not_fire_on_times_or_handles(an: SentimentAnalyzer) -> None:
    assert c(an, "la cita es a las 10:30 en la sede_norte") == 0.0


def test_counterfactual_ojala_is_a_lament(an: SentimentAnalyzer) -> None:
    assert an.analyze("Ojalá tuviera tiempo para ir al parque")[0] == "negative"
    assert an.analyze("Ojalá gane la selección")[0] == "positive"


def test_nada_como_is_a_comparison(an: SentimentAnalyzer) -> None:
    assert an.analyze("Nada como un buen tinto en la mañana")[0] == "positive"
    assert an.analyze("No hay nada como la casa de uno")[0] != "negative"
    assert an.analyze("No hay como llegar al barrio")[0] == "negative"


def test_mixed_praise_and_criticism_leans_to_the_criticism(an: SentimentAnalyzer) -> None:
    # Equal praise and criticism: the criticism weighs more (negativity bias)...
    assert c(an, "excelente") == -c(an, "terrible")
    assert c(an, "La comida excelente y el trato terrible") < 0
    assert an.analyze("Excelente la charla, lástima el refrigerio tan malo")[0] == "negative"


def test_no_complaints_is_praise(an: SentimentAnalyzer) -> None:
    assert an.analyze("Cero quejas, todo excelente")[0] == "positive"
    assert an.analyze("No hay quejas, muy buen servicio")[0] == "positive"
    assert an.analyze("Tengo una queja del servicio de aseo")[0] == "negative"
