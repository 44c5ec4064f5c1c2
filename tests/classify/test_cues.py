"""Shared cue lexicons (pulso.classify.cues) on authored examples (no external data)."""

from __future__ import annotations

import re

import pytest

from pulso.classify import cues


def hits(text: str) -> cues.CueHits:
    return cues.find_cues(cues.normalise(text))


def test_normalise_contract() -> None:
    assert cues.normalise("¿Cuándo LLEGA el niño?") == "cuando llega el nino?"
    assert cues.normalise("nooo sirveee") == "no sirve"
    assert cues.normalise("info en https://t.me/grupo ya") == "info en  urlx  ya"
    assert cues.normalise("excelente 🙄").endswith("\U0001f644")
    assert cues.normalise("sin cambios") == "sin cambios"
    assert cues.normalise("llevo", runs=False) == "llevo"


@pytest.mark.parametrize(
    "text",
    [
        "Otro retraso de una hora con el bus",
        "el código no sirve tras tres horas",
        "me cancelaron la cita y nadie responde",
        "llevo 3 semanas esperando",
        "ya van dos días sin luz en el barrio",
        "no me han devuelto la plata",
        "me cobraron dos veces",
        "la app me sale error",
    ],
)
def test_failure_narratives(text: str) -> None:
    assert hits(text).failure


@pytest.mark.parametrize(
    "text",
    ["no pasa nada, tranquilos", "llegó temprano el técnico", "me encanta el servicio",
     "hace dos semanas fui al parque"],
)
def test_not_failures(text: str) -> None:
    assert not hits(text).failure


@pytest.mark.parametrize(
    "text",
    [
        "Trading con ganancias garantizadas, únete t.me/grupo",
        "Gana dinero desde casa!!",
        "Invierte en bitcoin y escríbeme al privado",
        "Ingresos pasivos con forex, link en mi bio",
    ],
)
def test_spam(text: str) -> None:
    assert hits(text).spam
    assert cues.is_spam(cues.normalise(text))


@pytest.mark.parametrize(
    "text", ["El bitcoin cayó 5% hoy", "perdí la plata del pasaje", "¿Dónde pago el recibo?"]
)
def test_one_weak_signal_is_not_spam(text: str) -> None:
    assert not hits(text).spam


@pytest.mark.parametrize(
    "text",
    [
        "gracias por nada",
        "Excelente servicio... llevo 2 horas en la fila",
        "qué maravilla, otra vez sin agua",
        "muy eficientes 🙄",
    ],
)
def test_sarcasm(text: str) -> None:
    assert hits(text).sarcasm


def test_sincere_thanks_are_not_sarcasm() -> None:
    assert not hits("Gracias por la atención, excelente servicio").sarcasm


@pytest.mark.parametrize(
    "text",
    [
        "me gustaría que trajeran fruta en la merienda",
        "que traigan más refrigerios",
        "sugiero que amplíen el horario",
        "hace falta un ventilador",
        "deberían abrir los sábados",
    ],
)
def test_unmet_wishes(text: str) -> None:
    assert hits(text).wish


@pytest.mark.parametrize(
    "text",
    [
        "quisiera que volvieran pronto",
        "ojalá que sigan viniendo",
        "no me gustaría que cambien a la profe",
        "no tengo quejas, todo bien",
        "faltan 6 días para mi cumpleaños",
    ],
)
def test_wishes_for_more_of_the_good_thing_are_not_dissatisfaction(text: str) -> None:
    assert not hits(text).wish


@pytest.mark.parametrize(
    "text",
    ["¿me podrían informar el correo?", "quisiera saber cuándo pagan", "necesito el certificado por favor",
     "llamo para actualizar mi número"],
)
def test_requests(text: str) -> None:
    assert hits(text).request


def test_courtesy_formulas() -> None:
    for text in ("Buenas tardes", "Dios los bendiga", "muchas gracias", "por favor", "feliz día"):
        assert hits(text).courtesy, text
    assert not hits("el servicio fue bueno").courtesy


def test_fast_and_plain_patterns_agree() -> None:
    """The word-start fast forms find exactly what the plain patterns find."""
    texts = [
        "otro retraso de una hora", "hola que tal", "que traigan fruta", "y que no den huevo",
        "me gustaría que vinieran más seguido", "no me gusta", "bravo, otra vez sin luz",
        "¿cuándo pagan?", "gana 100 dolares ya", "el agua llegó",
    ]
    for t in map(cues.normalise, texts):
        p = " " + t
        assert bool(cues.FAILURE_RE.search(t)) == bool(cues._FAILURE_FAST.search(p)), t
        wish_fast = cues._WISH_STRONG_FAST.search(p) or cues._WANT_FAST.search(p)
        assert bool(cues.WISH_RE.search(t)) == bool(wish_fast), t
        assert bool(cues.SARCASM_RE.search(t)) == bool(cues._SARCASM_FAST.search(p)), t


@pytest.mark.parametrize(
    ("bit", "text"),
    [
        (cues.FAILURE_BIT, "otro retraso de una hora"),
        (cues.FAILURE_BIT, "me cancelaron y nadie responde"),
        (cues.FAILURE_BIT, "llevo 3 semanas esperando"),
        (cues.SPAM_BIT, "gana dinero desde casa"),
        (cues.WISH_BIT, "me gustaria que trajeran fruta"),
        (cues.SARCASM_BIT, "gracias por nada"),
        (cues.REQUEST_BIT, "quisiera saber el horario"),
    ],
)
def test_some_token_triggers_each_class(bit: int, text: str) -> None:
    """The token triggers must cover what the patterns find, or the analyzer never looks."""
    mask = 0
    for tok in re.findall(r"\w+|\?", cues.normalise(text)):
        mask |= cues.token_mask(tok)
    assert mask & bit


def test_cue_names_for_reasons() -> None:
    names = cues.cue_names(cues.normalise("me cancelaron y nadie responde"))
    assert {"cancelled", "no_answer"} <= names
    assert "spam" in cues.cue_names(cues.normalise("gana dinero desde casa"))


def test_tripled_letter_search_equals_the_substring_test() -> None:
    """normalise collapses runs only when some letter is tripled; one search tells it."""
    import random

    rng = random.Random(11)
    pieces = ["a", "aa", "aaa", "b", "bb", "nooo", "siii", "xyz", " ", "!!!", "111", "AAA", "ñññ",
              "ooo", "zzz", "zz", "q", "eee!", "--", "ab"]
    for _ in range(3000):
        t = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        want = any(c * 3 in t for c in "abcdefghijklmnopqrstuvwxyz")
        assert (cues._TRIPLE.search(t) is not None) == want, t
        # ...and skipping the substitution when none is changes nothing
        assert cues.normalise(t) == cues._RUNS.sub(r"\1", cues.normalise(t, runs=False)), t


def test_normalise_many_equals_normalise_one_by_one() -> None:
    import random

    rng = random.Random(5)
    pieces = ["Sííí", "NOOO", "aa", "a", "\n", "ñññ", "🙄", "🤡", "x", " ", "bbb!", "¿Qué?", "ü", "",
              "www.x.co/abc", "zz", "Ǆ", "ﬃ", "\u0301", "1111", "eee"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 10))) for _ in range(3000)]
    assert cues.normalise_many(texts) == [cues.normalise(t) for t in texts]
    assert cues.normalise_many(texts[:10]) == [cues.normalise(t) for t in texts[:10]]
    assert cues.normalise_many([]) == []


def _pattern_words() -> list[str]:
    """Words of the cue patterns themselves, so generated texts reach deep into them."""
    sources = [rx for group in (cues.FAILURE, cues.SPAM_STRONG, cues.SPAM_WEAK, cues.SARCASM,
                                cues.WISH, cues.REQUEST, cues.COURTESY) for _, rx in group]
    return sorted({w for rx in sources for w in re.findall(r"[a-z]{2,}", re.sub(r"\\.", " ", rx))})


def _generated_texts(n: int, seed: int) -> list[str]:
    import random

    rng = random.Random(seed)
    words = _pattern_words()
    filler = ["el", "la", "de", "y", "que", "no", "me", "se", "casa", "bus", "3", "20", "mas",
              "una", "hora", "dias", "sin", "muy", "por", "q", "ya", "otra", "vez", "x"]
    phrases = ["gana dinero", "gana $ 50", "ganancias garantizadas", "desde casa", "ingresos extra",
               "t.me", "wa.me", "urlx", "no me gustaria que", "ya van dos horas", "que bien,",
               "gracias por nada", "excelente servicio...", "me gustaria", "por favor que",
               "que no", "quiero un", "sin falta", "no tengo queja", "de nuevo sin", "se cayo el"]
    marks = [".", ",", "!", "?", "...", ";", ":", "\U0001f644", "\U0001f921", "\n", "$", "-"]
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(1, 24)):
            r = rng.random()
            if r < 0.05:
                parts.append(rng.choice(phrases))
            elif r < 0.45:
                parts.append(rng.choice(words))
            elif r < 0.85:
                parts.append(rng.choice(filler))
            else:
                parts.append(rng.choice(marks))
        out.append(rng.choice(["", " ", ".", "que "]) + " ".join(parts))
    return out


def test_dispatched_patterns_match_the_same_texts_as_the_plain_ones() -> None:
    """The letter-grouped forms that find_cues uses match the same texts (yes/no) as the
    plain alternation they are built from."""
    strong = tuple(p for p in cues.WISH if p[0] not in cues.WANT_ONLY)
    want = tuple(p for p in cues.WISH if p[0] in cues.WANT_ONLY)
    groups = [cues.FAILURE, cues.SPAM_STRONG, cues.SARCASM, cues._REQUEST_WORDS, cues.COURTESY,
              strong, want, *((p,) for p in cues.SPAM_WEAK)]
    texts = [" " + cues.normalise(t) for t in _generated_texts(20_000, seed=7)]
    counts = []
    for patterns in groups:
        plain = cues._compile_fast(patterns, dispatch=False)
        fast = cues._compile_fast(patterns)
        assert fast.pattern != plain.pattern
        found = [plain.search(t) is not None for t in texts]
        assert [fast.search(t) is not None for t in texts] == found, patterns[0][0]
        counts.append(sum(found))
    assert min(counts) > 0 and sum(counts) > 5_000, counts  # the texts do reach the patterns


def _rows(texts: list[str], masks: list[int]) -> list[cues.CueHits]:
    """cue_columns read back as one CueHits per text."""
    return [cues.CueHits(*row) for row in zip(*cues.cue_columns(texts, masks), strict=True)]


def test_cue_columns_equal_the_plain_reference_for_every_mask() -> None:
    """The column form gives what the plain per-class patterns give, text by text, for random
    masks (find_cues is its one-row case)."""
    import random

    rng = random.Random(11)
    texts = [cues.normalise(t) for t in _generated_texts(6_000, seed=3)]
    bits = [cues.FAILURE_BIT, cues.SPAM_BIT, cues.SARCASM_BIT, cues.WISH_BIT, cues.REQUEST_BIT,
            cues.COURTESY_BIT, cues.SARCASM_OTHER_BIT]
    masks = [cues.ALL_BITS if rng.random() < 0.3 else sum(b for b in bits if rng.random() < 0.5)
             for _ in texts]
    many = _rows(texts, masks)
    assert many == [_reference_cues(t, m) for t, m in zip(texts, masks, strict=True)]
    for field in ("failure", "spam", "sarcasm", "wish", "request", "courtesy", "wish_strong"):
        assert sum(getattr(h, field) for h in many) > 20, field  # every class is reached
    assert _rows([], []) == []


def test_token_mask_equals_the_plain_trigger_tests() -> None:
    """token_mask's grouped pre-test lets through every token some trigger matches."""
    import random

    rng = random.Random(5)
    sources = (cues.SARCASM_OTHER_TRIGGER, cues.FAILURE_TRIGGER, cues.SPAM_TRIGGER,
               cues.SARCASM_TRIGGER, cues.WISH_TRIGGER, cues.REQUEST_TRIGGER)
    stems = sorted({w for rx in sources for w in re.findall(r"[a-zñ$]+", rx.replace("\\", ""))})
    tokens = [*stems, *_pattern_words(), "", "$", "ñ", "seña", "x", "que", "q"]
    for _ in range(20_000):  # cut trigger stems, with endings (some triggers need the end)
        stem = rng.choice(stems)
        middle = rng.choice(["a", "es", "s", "ito", "$"]) if rng.random() < 0.1 else ""
        ending = rng.choice(["", "", "s", "o", "a", "ar", "ando"])
        tokens.append(stem[: rng.randint(0, len(stem))] + middle + ending)
    plain = {bit: rx for bit, rx in cues._TRIGGERS}
    for tok in tokens:
        want = 0
        for bit, rx in plain.items():
            if rx.match(tok):
                want |= bit
        assert cues.token_mask(tok) == want, tok
    assert sum(cues.token_mask(t) != 0 for t in tokens) > 2_000


def _reference_cues(t: str, mask: int) -> cues.CueHits:
    """find_cues as first written: one plain (ungrouped) word-start pattern per class, spam
    as a money promise or two weak kinds, a wish found by either wish pattern."""
    def plain(patterns: tuple[tuple[str, str], ...]) -> bool:
        return cues._compile_fast(patterns, dispatch=False).search(p) is not None

    p = " " + t
    strong = bool(mask & cues.WISH_BIT) and plain(
        tuple(x for x in cues.WISH if x[0] not in cues.WANT_ONLY))
    want = bool(mask & cues.WISH_BIT) and plain(
        tuple(x for x in cues.WISH if x[0] in cues.WANT_ONLY))
    weak = sum(plain((x,)) for x in cues.SPAM_WEAK)
    return cues.CueHits(
        failure=bool(mask & cues.FAILURE_BIT) and plain(cues.FAILURE),
        spam=bool(mask & cues.SPAM_BIT) and (plain(cues.SPAM_STRONG) or weak >= 2),
        sarcasm=bool(mask & cues.SARCASM_BIT)
        and bool(mask & (cues.FAILURE_BIT | cues.SARCASM_OTHER_BIT)) and plain(cues.SARCASM),
        wish=strong or want,
        request=bool(mask & cues.REQUEST_BIT) and ("?" in t or plain(cues._REQUEST_WORDS)),
        courtesy=bool(mask & cues.COURTESY_BIT) and plain(cues.COURTESY),
        wish_strong=strong,
    )


def test_find_cues_equals_the_plain_reference() -> None:
    """find_cues and cue_columns (grouped patterns, one-scan pre-tests for any wish and any
    spam signal) give what the plain per-class patterns give."""
    import random

    rng = random.Random(13)
    texts = [cues.normalise(t) for t in _generated_texts(4_000, seed=17)]
    masks = [cues.ALL_BITS if rng.random() < 0.5 else rng.randrange(256) for _ in texts]
    want = [_reference_cues(t, m) for t, m in zip(texts, masks, strict=True)]
    assert [cues.find_cues(t, m) for t, m in zip(texts, masks, strict=True)] == want
    assert _rows(texts, masks) == want
    assert sum(h.spam for h in want) > 50 and sum(h.wish and not h.wish_strong for h in want) > 50
