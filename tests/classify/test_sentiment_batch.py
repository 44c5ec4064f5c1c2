"""The numpy batch path of analyze_many gives the per-text reference scores, text by text.

Texts are generated here from authored word lists and the analyzer's own lexicon (no external
data): combinations of sentiment words, negators, boosters, contrast, caps, "!!", "?",
emoticons, multi-word units, cue phrases, comparatives, links, mentions and hashtags.
"""

from __future__ import annotations

import math
import random

import pytest

from pulso.classify import sentiment as sent
from pulso.classify.sentiment import SentimentAnalyzer
from pulso.classify.sentiment_batch import BatchScorer

FILLER = [
    "el", "la", "servicio", "parque", "de", "en", "hoy", "con", "los", "nos", "me", "ha", "es",
    "fue", "que", "y", "a", "por", "para", "todo", "oficina", "taller", "fila", "agua", "luz",
    "señora", "niños", "mañana", "trámite", "sede", "hay", "más", "tan", "como", "mejor", "peor",
    "q", "lo", "se", "una", "un", "muy", "bien", "Bien", "está", "estuvo", "cita", "vez",
]
NEGATORS = ["no", "nunca", "ni", "sin", "nadie", "nada", "jamás", "ya no", "para nada", "No"]
BOOSTERS = ["muy", "súper", "re", "bastante", "un poco", "algo", "demasiado", "MUY", "bien"]
CONTRAST = ["pero", "aunque", "sin embargo", "a pesar de", "sino", "Pero"]
PUNCT = [",", ".", "!", "!!", "?", "¿", "¡", "...", ";", ":", "!!!!", "??", "???"]
EMOTICONS = [":)", ":(", ":D", "<3", "T_T", ";_;", ":c", "-_-", "u.u", ">:(", "=)", ":'("]
EMOJI = ["😍", "😡", "👍🏽", "❤️", "🙄", "🤡", "🎉", "👎"]
CUES = [
    "no me han respondido", "gracias por nada", "buenas tardes", "quisiera que",
    "me gustaría que trajeran fruta", "llevo tres horas esperando", "nadie responde",
    "otra vez sin agua", "por favor", "muchas gracias por su atención", "Dios los bendiga",
    "que traigan frutas", "que descansen", "necesito un certificado", "gana dinero desde casa",
    "únete t.me/grupo", "sigo esperando", "no sirve", "qué maravilla, otra vez sin luz",
    "cero quejas", "tengo una queja", "ojalá tuviera", "hace falta", "quiero una bici",
    "me pueden informar", "les agradezco", "gracias por la atención", "excelente servicio...",
]
PHRASES = [
    "nada más lindo que", "no hay nada mejor que", "nadie mejor que", "no hay peor",
    "nada como", "no hay como", "no hay nada como", "ni nada", "sin más", "nunca más",
    "qué pena", "de malas", "un poco", "bien hecho", "no me gusta", "me siento", "no tengo",
    "gracias a", "muchas gracias", "mil gracias", "de antemano", "cada vez", "a la",
    "no es", "no puedo", "no es que", "hijo de", "bien bonito", "bien feo",
]
EXTRA = [
    "buenísimooo", "jajaja", "JAJAJA", "jsjs", "xD", "superbueno", "requetebién", "graciaaas",
    "malísimo", "#MalServicio", "#excelente", "@alcaldia", "https://x.co/1", "www.sitio.com",
    "Excelente", "PÉSIMO", "HORRIBLE", "Bueno", "nooo", "síii", "10:30", "sede_norte", "ok",
    # cleaning rules that reach past a chunk (links, emoji modifiers) or stay inside one
    "@user.com", "#Hola_Mundo", "x.org", "ejemplo.net/ruta", "@juan🙄", "#!", "@@", "HOLA@juan",
    "#BuenServicio!!", "👍🏽", "❤️", "👩‍💻", "www.", "http", ".co", "(@alcaldia)", "#SinAgua,",
    "İstanbul", "ǅemal", "ΣΟΦΟΣ", "Straße", ":))))", "<3<3", "XD", "U.U",
]


def _texts(an: SentimentAnalyzer, n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    lexicon = sorted(an.lexicon)
    words = [w for w in lexicon if " " not in w]
    units = [w for w in lexicon if " " in w] + sorted(an.boosters)
    pools = [
        (FILLER, 8), (words, 6), (NEGATORS, 2), (BOOSTERS, 2), (CONTRAST, 1), (PUNCT, 2),
        (EMOTICONS, 0.4), (EMOJI, 0.3), (CUES, 0.6), (PHRASES, 0.8), (EXTRA, 0.6), (units, 1),
    ]
    lists, weights = zip(*pools, strict=True)
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(1, 24)):
            word = rng.choice(rng.choices(lists, weights)[0])
            r = rng.random()
            if r < 0.08:
                word = word.upper()
            elif r < 0.14:
                word = word.capitalize()
            parts.append(word)
        glue = rng.choice([" ", " ", " ", "  ", "\n"])
        out.append(glue.join(parts))
    return out


@pytest.fixture(scope="module")
def texts() -> list[str]:
    an = SentimentAnalyzer()
    return _texts(an, 6000, 7) + _texts(an, 2000, 11)


def test_batch_scores_equal_the_per_text_reference(texts: list[str]) -> None:
    an = SentimentAnalyzer()
    want = [an.compound_reference(t) for t in texts]
    got = BatchScorer(an, sent).scores(list(dict.fromkeys(texts)))
    by_text = dict(zip(dict.fromkeys(texts), got, strict=True))
    diff = [(t, by_text[t], w) for t, w in zip(texts, want, strict=True) if by_text[t] != w]
    assert diff == []
    # The test texts reach the rules the batch path implements, not only the per-text ones.
    assert sum(1 for w in want if w) > len(want) // 2


def test_analyze_many_batch_equals_single_calls_cold_and_warm(texts: list[str]) -> None:
    an = SentimentAnalyzer()
    cold = an.analyze_many(texts)
    assert "_batch" in an.__dict__  # the numpy path ran
    warm = an.analyze_many(texts[::-1])
    single = SentimentAnalyzer()
    want = [single.analyze(t) for t in texts]
    assert list(zip(*cold, strict=True)) == want
    assert list(zip(*warm, strict=True)) == want[::-1]


def test_batch_token_analysis_equals_per_token_analysis() -> None:
    an = SentimentAnalyzer()
    scorer = BatchScorer(an, sent)
    toks = sorted({t for w in an._info for t in w.split()}) + [
        "buenísimooo", "jajaja", "superbueno", "requetebién", "graciaaas", "malísimo", "nooo",
        "sirvió", "retrasó", "ñame", "árbol", "q", "que", ":)", "!", "?", "¡", "jsjsjs"]
    scorer._add_tokens(list(dict.fromkeys(toks)))
    for t in toks:
        kind, val, _folded, flags, _, _ = an._analyse(t)
        i = scorer.tok_ids[t]
        assert (scorer._kind[i], scorer._val[i], scorer._flags[i]) == (kind, val, flags), t


def test_small_batches_and_empty_texts() -> None:
    an = SentimentAnalyzer()
    texts = [None, "", "   ", "excelente", "excelente", "no sirve"] * 20
    labels, scores = an.analyze_many(texts)
    assert scores == [an.compound(t) for t in texts]
    assert labels == [an.label(c) for c in scores]
    assert sent._BATCH_MIN > 1


@pytest.mark.parametrize("odd", ["\x00", "\x01", "\x01!", "a\x01b"])
def test_texts_holding_the_batch_separators(odd: str) -> None:
    """The characters the batch path joins texts or chunks with may occur in a text."""
    an = SentimentAnalyzer()
    texts = [f"{odd} muy bueno {i} :) pero {odd}malo!" for i in range(sent._BATCH_MIN + 6)]
    texts += ["", "   ", "\n\t"]
    ref = SentimentAnalyzer()
    want = [ref.compound_reference(t) for t in texts]
    assert an.analyze_many(texts)[1] == want


@pytest.mark.parametrize("size", [1, 7, 500])
def test_texts_split_a_slice_at_a_time(texts: list[str], size: int,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Splitting the batch in slices of texts (down to one text a slice, and texts of no
    chunk at slice edges) gives the same scores as one slice."""
    import pulso.classify.sentiment_batch as batch

    distinct = list(dict.fromkeys(texts + ["   ", "\t"]))
    want = BatchScorer(SentimentAnalyzer(), sent).scores(distinct)
    monkeypatch.setattr(batch, "_SLICE", size)
    assert BatchScorer(SentimentAnalyzer(), sent).scores(distinct) == want
    assert len(distinct) > 2 * 500


def test_batch_labels_equal_label_at_the_band_edges() -> None:
    """The batch path labels the scores with numpy comparisons: same as label(), also on the
    band edges, for repeated and empty texts, and a subclass's own label() is kept."""
    an = SentimentAnalyzer()
    edges = [an.neutral_band, -an.negative_band, 0.0, -0.0, 1.0, -1.0,
             math.nextafter(an.neutral_band, 0.0), math.nextafter(-an.negative_band, 0.0),
             math.nextafter(an.neutral_band, 2.0), math.nextafter(-an.negative_band, -2.0)]
    assert an._labels(edges) == [an.label(c) for c in edges]
    texts = [f"muy bueno el parque {i}" for i in range(sent._BATCH_MIN)]
    texts += ["", None, "pésimo servicio", "pésimo servicio", "el parque"]
    labels, scores = an.analyze_many(texts)
    assert "_batch" in an.__dict__
    assert labels == [an.label(c) for c in scores]
    assert scores == [an.compound(t) for t in texts]

    class Loud(SentimentAnalyzer):
        def label(self, compound: float) -> str:
            return "LOUD" if compound > 0 else "quiet"

    loud = Loud()
    assert loud.analyze_many(texts)[0] == [loud.label(c) for c in scores]
