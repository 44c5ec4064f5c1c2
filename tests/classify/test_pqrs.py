"""PQRS screener: behaviour on typical inbox messages and a quality floor on the labelled set."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pulso.classify.pqrs import MODEL_VERSION, Screening, normalise, screen, screen_many

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Buenas tardes, quisiera saber cuáles son los requisitos del subsidio", "peticion"),
        ("me pueden colaborar con una visita técnica", "peticion"),
        ("La funcionaria de la ventanilla me trató mal y me gritó", "queja"),
        ("llevo 3 meses esperando y nadie contesta", "reclamo"),
        ("Gracias por nada, llevo un año esperando la escritura", "reclamo"),
        ("Sugiero que abran atención los sábados", "sugerencia"),
        ("En la sede cobran por el formulario que es gratis, denuncio eso", "denuncia"),
        ("Excelente la atención en la sede, muy amables, gracias", "felicitacion"),
        ("jajaja quién fue", None),
        ("¿y eso qué?", None),
        ("Gana dinero desde casa con tu celular, escríbeme al DM", None),
        ("@laura_23 @pipe mira", None),
        ("😂😂😂", None),
        ("Excelente publicación, muy bonito el video", None),
    ],
)
def test_screen_types(text: str, expected: str | None) -> None:
    assert screen(text).pqrs_type == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # formal letters and public-space reports without a request verb are candidates
        ("A quien corresponda, en el parque de la Calle 40 sur hay un árbol caído", "peticion"),
        ("pilas con el hueco en la autopista norte con 170, casi me mato", "peticion"),
        ("el semáforo de la carrera 30 con calle 45 lleva una semana apagado", "reclamo"),
        ("Solicito se retire el carro abandonado que lleva meses en la Carrera 103", "peticion"),
        ("Hace 20 días solicitamos el retiro de escombros y siguen ahí", "reclamo"),
        ("la caja no me ha desembolsado el subsidio", "reclamo"),
        ("La EPS me negó el medicamento tres veces", "reclamo"),
        ("la enfermera de urgencias nos gritó", "queja"),
        ("el inspector no quiso recibir mi querella", "queja"),
        ("El presidente de la junta se quedó con los mercados de la alcaldía", "denuncia"),
        ("Quisiera saber dónde puedo denunciar un maltrato animal", "peticion"),
        ("cuándo van a pagar el ingreso mínimo de este mes?", "peticion"),
        # opinions, replies to other users, offers: not petitions
        ("Esos vándalos que dañaron el transmilenio deberían estar presos", None),
        ("yo también me inscribí el año pasado y me fue super bien, se los recomiendo", None),
        ("En mi barrio también hay muchos huecos, así es en todo lado", None),
        ("Aprovecha la promoción 2x1 en nuestro local de la 72, pide a domicilio", None),
        ("Ese árbol del video es un eucalipto, son muy peligrosos", None),
    ],
)
def test_realistic_styles(text: str, expected: str | None) -> None:
    assert screen(text).pqrs_type == expected


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        # feedback as programme participants leave it: wishes, dislikes, improvements, harm,
        # promises not kept (sentences written for this test, not taken from the templates)
        ("quisiéramos unas mesas nuevas para el comedor comunitario", True),
        ("no me gustó el almuerzo de hoy, estaba frío", True),
        ("sería mejor si las inscripciones fueran también por internet", True),
        ("que pongan más horarios para las clases de natación", True),
        ("la monitora nos dice brutos cuando nos equivocamos", True),
        ("me dijeron que me iban a llamar para la visita y ya van tres semanas", True),
        # the same words about one's own life are not PQRS
        ("no me gustan los domingos por la tarde", False),
        ("quiero una hamburguesa ya mismo", False),
        ("ojalá mañana no llueva para ir a la piscina", False),
    ],
)
def test_feedback_kinds_and_their_everyday_look_alikes(text: str, flagged: bool) -> None:
    result = screen(text)
    assert (result.pqrs_type not in (None, "felicitacion")) is flagged, result


def test_robust_to_caps_accents_and_typos() -> None:
    a = screen("Quisiera saber cuándo abren las inscripciones")
    b = screen("QUISIERA SABER CUANDO ABREN LAS INSCRIPCIONES")
    c = screen("quisiera saver cuando abren las inscripciones")
    assert a.pqrs_type == b.pqrs_type == c.pqrs_type == "peticion"
    assert a.pqrs_subtype == "informacion"
    assert normalise("ÁRBOL Ñoño nooooo") == "arbol nono no"


def test_subtypes() -> None:
    assert screen("Solicito copia de la resolución de mi subsidio").pqrs_subtype == "informacion"
    assert screen("Tengo una duda: ¿puedo postularme si ya recibí subsidio?").pqrs_subtype == "consulta"
    assert screen("Por favor recojan los escombros del parque").pqrs_subtype == "general"
    assert screen("Nadie contesta en la línea").pqrs_subtype is None


def test_own_account_and_empty_are_never_pqrs() -> None:
    own = screen("Solicito información del subsidio", is_own_account=True)
    assert own.pqrs_type is None and own.reasons == ("own_account",)
    assert screen("").pqrs_type is None
    assert screen("   ").reasons == ("empty",)


def test_screening_carries_reasons_and_score() -> None:
    s = screen("La funcionaria me trató mal")
    assert isinstance(s, Screening)
    assert "conduct" in s.reasons and "staff" in s.reasons
    assert 0.0 < s.pqrs_score <= 1.0
    assert screen("jajaja").pqrs_score < 0.5
    assert MODEL_VERSION.startswith("pqrs-lin-")
    assert s.reasons[-1] == f"modelo:{MODEL_VERSION}"


def test_screen_many_matches_screen_and_validates_lengths() -> None:
    texts = ["llevo 2 meses esperando respuesta", "hola", "Sugiero más canecas en el parque"]
    assert screen_many(texts) == [screen(t) for t in texts]
    res = screen_many(texts, is_own_account=[True, False, False])
    assert res[0].pqrs_type is None and res[2].pqrs_type == "sugerencia"
    with pytest.raises(ValueError):
        screen_many(texts, is_own_account=[True])


def _evaluate(path: Path) -> tuple[float, float, float]:
    tp = fp = fn = typed = 0
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            got = screen(row["text"], is_own_account=row["is_own_account"] == "true").pqrs_type
            gold = row["pqrs_type"] or None
            if gold and got:
                tp += 1
                typed += gold == got
            elif gold:
                fn += 1
            elif got:
                fp += 1
    return tp / (tp + fp), tp / (tp + fn), typed / tp


def test_quality_floor_on_labelled_set() -> None:
    # measured 0.996 / 0.996 / 0.988 on 440 messages (rules were tuned on this set)
    precision, recall, type_acc = _evaluate(DATA / "pqrs_labelled.csv")
    assert precision >= 0.95 and recall >= 0.95 and type_acc >= 0.93


def test_quality_floor_on_holdout_set() -> None:
    # 62 messages written after the first rules; measured 1.00 / 0.975 / 1.00 after one round
    # of general fixes (first contact, before any fix: precision 1.00, recall 0.525)
    precision, recall, type_acc = _evaluate(DATA / "pqrs_holdout.csv")
    assert precision >= 0.9 and recall >= 0.85 and type_acc >= 0.85


def test_quality_floor_on_realistic_set() -> None:
    # 276 messages written independently of the rules (long petitions, narratives, public-space
    # reports, short replies, 47% not PQRS). First contact (pqrs-rules-1): precision 0.932,
    # recall 0.844, type 0.887. The rules-2 cue families were then broadened against this set,
    # measured 0.986 / 0.993 / 0.959; the floors leave room for later changes.
    precision, recall, type_acc = _evaluate(DATA / "pqrs_eval_realistic.csv")
    assert precision >= 0.9 and recall >= 0.93 and type_acc >= 0.9


def test_quality_floor_on_blind_set() -> None:
    # 63 messages written after rules-2 was tuned, measured once: pqrs-rules-1 0.929 / 0.743 /
    # 0.962; pqrs-rules-2 0.912 / 0.886 / 0.839, then 0.903 type after one general fix (a public
    # problem that has lasted some time is a reclamo, not a new peticion).
    precision, recall, type_acc = _evaluate(DATA / "pqrs_eval_blind.csv")
    assert precision >= 0.85 and recall >= 0.8 and type_acc >= 0.8


def test_threshold_override_trades_false_alarms_for_recall(monkeypatch: pytest.MonkeyPatch) -> None:
    from pulso.classify.pqrs import BLEND_THRESHOLD, flag_scores, threshold

    text = "bueno, a ver qué pasa con eso"
    score = float(flag_scores([text])[0])
    assert threshold() == BLEND_THRESHOLD
    monkeypatch.setenv("PULSO_PQRS_THRESHOLD", str(max(score - 1e-6, 0.0)))
    assert screen(text).pqrs_type is not None
    monkeypatch.setenv("PULSO_PQRS_THRESHOLD", "uno")
    with pytest.raises(ValueError, match="PULSO_PQRS_THRESHOLD"):
        threshold()


# --------------------------------------------------------------------------------------------
# The one-pass cue scanner (_cue_hits) against the word-by-word definition (_cue_hits_by_word)
# --------------------------------------------------------------------------------------------

# Written for these tests: everyday inbox words, and the punctuation and spacing that the word
# checks treat specially (leading/trailing punctuation, runs of spaces, line breaks, symbols).
_INBOX_WORDS = (
    "de", "que", "la", "el", "no", "me", "en", "y", "a", "los", "se", "por", "favor", "con",
    "para", "mi", "un", "una", "hace", "desde", "llevo", "tres", "meses", "esperando", "nadie",
    "contesta", "gracias", "nada", "quisiera", "saber", "cuando", "pagan", "subsidio", "sede",
    "funcionaria", "trato", "mal", "sugiero", "denuncio", "cobran", "formulario", "gratis",
    "barrio", "calle", "hueco", "jajaja", "xd", "asi", "es", "claro", "vecino", "ganas",
    "dinero", "2x1", "t.me", "urlx", "+1", "x2", "10", "2024", "15%", "@alcaldia", "#7",
    "servicio🙄", "🤡", "bien", "otra", "vez", "sin", "luz", "agua", "cita", "me", "dejaron",
    "tirado", "primero!", "senores", "cual", "es", "el", "horario", "si,", "no,", "hola,",
    "vecino", "vecinos", "vecina",
)
_LEADS = ("", "", "", "", "(", '"', "'", "-", "#", "_", "/", "[", "{", ".", "¿", "*", "@", ")")
_TRAILS = ("", "", "", "", ",", ".", "?", "!", "...", ")", '"', ":", ";", "-", "*", "?!", "/")
_GAPS = (" ", " ", " ", " ", "  ", "\n", "\t", " - ", " \n ", "\x1f", "\xa0")


def _cue_pieces() -> tuple[list[str], list[tuple[str, str]]]:
    """Literal starts of the cue patterns: one-word stems, and phrase heads with the second
    words (or starts of them) that continue them, so generated texts reach every check."""
    from pulso.classify import pqrs

    stems = sorted({s for stems in pqrs._STEMS.values() for s in stems})
    pairs = []
    for head, (_always, exact, loose) in sorted(pqrs._SECONDS.items()):
        pairs.append((head, "x"))
        pairs.extend((head, second) for second in sorted(exact))
        for second in sorted(loose):
            pairs.extend((head, second[:k]) for k in range(1, len(second) + 1))
    return stems, pairs


def _generated_texts(n: int, seed: int) -> list[str]:
    import random

    rng = random.Random(seed)
    stems, pairs = _cue_pieces()

    def dress(word: str) -> str:
        if rng.random() < 0.2:
            word = rng.choice(_LEADS) + word
        if rng.random() < 0.25:
            word = word + rng.choice(_TRAILS)
        return word

    out = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(1, 14)):
            roll = rng.random()
            if roll < 0.45:
                words = [rng.choice(_INBOX_WORDS)]
            elif roll < 0.65:
                words = [rng.choice(stems)]
            else:
                words = list(rng.choice(pairs))
            for word in words:
                parts.append(dress(word))
                parts.append(rng.choice(_GAPS))
        text = "".join(parts)
        out.append(text if rng.random() < 0.8 else text.strip())
    return out


def _every_word_start(text: str) -> set[str]:
    """The bucket regex at every word start, without the word checks (not the definition)."""
    from pulso.classify import pqrs

    found: set[str] = set()
    pos = 0
    for word in (w.lstrip(pqrs._LEADING_PUNCT) for w in text.split()):
        if word:
            pos = text.find(word, pos)
            rx = pqrs._DISPATCH.get(word[0])
            hit = rx.match(text, pos) if rx is not None else None
            if hit is not None:
                found.add(hit.lastgroup)  # type: ignore[arg-type]
            pos += len(word)
    return pqrs._cue_hits_rest(text, found)


def test_cue_scanner_equals_the_word_by_word_definition() -> None:
    from pulso.classify import pqrs

    texts = _generated_texts(6000, seed=20261128)
    naive_differs = 0
    for text in (*texts, *map(normalise, texts)):
        want = pqrs._cue_hits_by_word(text)
        assert pqrs._cue_hits(text) == want, repr(text)
        naive_differs += _every_word_start(text) != want
    # The texts reach the word checks: trying every word start would find more ("si, vecino").
    assert naive_differs > 0


def test_family_told_from_the_word_is_the_buckets_match() -> None:
    """At every word start the scan stops at, `_word_family` (when the word decides) names the
    family the bucket regex matches there, and the match runs to the end of the word."""
    from pulso.classify import pqrs

    texts = _generated_texts(4000, seed=7)
    told = asked = 0
    for text in (*texts, *map(normalise, texts)):
        for m in pqrs._SCAN.finditer(" " + text):
            word, pos = m["w"], m.start("w") - 1
            assert m.end() == len(text) + 1 or (" " + text)[m.end()].isspace()
            assert word and not any(c.isspace() for c in word)
            want = pqrs._DISPATCH[word[0]].match(text, pos).lastgroup  # type: ignore[union-attr]
            family = pqrs._word_family(word)
            if family:
                assert family == want, (text, word)
                told += 1
            else:
                asked += 1
    assert told > 1000 and asked > 1000  # both paths are exercised


@pytest.mark.parametrize(
    "text",
    [
        "denuncio al funcionario",
        "(denuncio) al funcionario",
        "_denuncio",
        "asi es, vecino",
        "claro, vecino",
        "de  mala calidad que la anterior",
        "de\nmala calidad que la anterior",
        "de -mala calidad que la anterior",
        "ganas $ 500",
        "ganas   dinero",
        "no",
        "no .",
        "no funciona",
        "si, vecino",
        "no, vecinos",
        "hola, vecina",
        "#7 esquina",
        "llevo 3 meses",
        "servicio? 🙄",
        "x2",
        "",
        "   ",
        "de",
    ],
)
def test_cue_scanner_on_edge_cases(text: str) -> None:
    from pulso.classify import pqrs

    assert pqrs._cue_hits(text) == pqrs._cue_hits_by_word(text)
    assert pqrs._cue_hits(normalise(text)) == pqrs._cue_hits_by_word(normalise(text))


def test_phrase_follow_regex_equals_the_word_check() -> None:
    """`_follows(head)` accepts a next word exactly when `_phrase_follows` does."""
    import re

    from pulso.classify import pqrs

    tails = ("", ",", ".", "?", "!!", "...", ")", "-", '"', "x", "s", "a,", "?x", "-a")
    words = {"", "x", "?", ")", ",", "-", "...", "..x", ")a"}
    for _always, exact, loose in pqrs._SECONDS.values():
        for second in (*exact, *loose):
            for k in range(1, len(second) + 1):
                words.update(second[:k] + tail for tail in tails)
    words = {w.lstrip(pqrs._LEADING_PUNCT) for w in words} - {""}
    for head in pqrs._PHRASES:
        follow = re.compile(f"(?:{pqrs._follows(head)})") if pqrs._follows(head) else None
        for word in sorted(words):
            want = pqrs._phrase_follows(head, word)
            got = follow is not None and follow.match(word) is not None
            assert got == want, (head, word)


def test_screen_many_is_unchanged_by_the_scanner(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whole screenings with the scanner and with the word-by-word cue finder agree."""
    from pulso.classify import pqrs

    texts = [t for t in _generated_texts(600, seed=7) if t.strip()]
    fast = screen_many(texts)
    pqrs._screen_normalised.cache_clear()
    pqrs._decide_rules.cache_clear()
    monkeypatch.setattr(pqrs, "_cue_hits", pqrs._cue_hits_by_word)
    try:
        assert screen_many(texts) == fast
    finally:
        pqrs._screen_normalised.cache_clear()
        pqrs._decide_rules.cache_clear()


def test_cues_found_anywhere_as_by_a_search_through_the_text() -> None:
    """`_cue_hits_rest` matches the anchored `_ANYWHERE` cues once, at the start."""
    from pulso.classify import pqrs

    def searched(text: str) -> set[str]:
        found = {pqrs._DISPATCH[ch].match(text, text.find(ch)).lastgroup  # type: ignore[union-attr]
                 for ch in pqrs._SYMBOL_CUES if ch in text
                 and pqrs._DISPATCH[ch].match(text, text.find(ch)) is not None}
        if pqrs._ANYWHERE is not None:
            found |= {m.lastgroup for m in pqrs._ANYWHERE.finditer(text)}  # type: ignore[misc]
        return found  # type: ignore[return-value]

    texts = ["x2", " +1 ", "+1!", "hola x2", "x2 x2", "\n+1\n", "", "servicio🙄", "#7 y ?", "a\nx2"]
    for text in (*texts, *_generated_texts(2000, seed=3)):
        assert pqrs._cue_hits_rest(text, set()) == searched(text), repr(text)


# --------------------------------------------------------------------------------------------
# The whole-column decisions (_decide_many) against the one-by-one definition (_decide_one)
# --------------------------------------------------------------------------------------------


def _one_by_one(uniq, labels, flag, proba, model, shipped):  # noqa: ANN001, ANN202
    from pulso.classify import pqrs

    batch = pqrs._Batch(model, shipped)
    return [pqrs._decide_one(lab, row, f, t, model, shipped, batch)
            for t, lab, f, row in zip(uniq, labels, flag.tolist(), proba.tolist(), strict=True)]


@pytest.mark.parametrize("env_threshold", [None, "0.1", "0.02", "0.6"])
def test_decide_many_equals_decide_one(env_threshold: str | None,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """On generated texts, and on random probabilities (every class, ties of felicitación and
    none, flags either side of RULES_FROM and the threshold) paired with those texts."""
    import numpy as np

    from pulso.classify import pqrs
    from pulso.classify.model import FLAG_CLASSES

    if env_threshold is not None:
        monkeypatch.setenv("PULSO_PQRS_THRESHOLD", env_threshold)
    model = pqrs.current_model()
    texts = list(dict.fromkeys(normalise(t) for t in _generated_texts(1500, seed=5) if t.strip()))
    rng = np.random.default_rng(3)
    random_p = rng.integers(0, 6, size=(len(texts), len(model.classes))).astype(np.float64)
    flag_cols = [i for i, c in enumerate(model.classes) if c in FLAG_CLASSES]
    # per row, the PQRS classes scaled down by a random factor: flags from 0 to near 1
    random_p[:, flag_cols] *= rng.choice([0.0, 0.02, 0.1, 0.3, 1.0], size=(len(texts), 1))
    random_p[random_p.sum(axis=1) == 0, -1] = 1.0
    random_p /= random_p.sum(axis=1, keepdims=True)
    # felicitación exactly at FEL_RATIO times none in half the rows (the policy's tie)
    tied = random_p.copy()
    fel, none = model.classes.index("felicitacion"), model.classes.index("none")
    tied[::2, fel] = pqrs.FEL_RATIO * tied[::2, none]
    seen = set()
    peaked = random_p**3 / (random_p**3).sum(axis=1, keepdims=True)
    for proba in (model.proba(texts), random_p, peaked, tied):
        labels, flag = model.decide(proba)
        want = _one_by_one(texts, labels, flag, proba, model, True)
        got = pqrs._decide_many(texts, labels, flag, proba, model, True, pqrs._Batch(model, True))
        assert got == want
        seen |= {s.pqrs_type for s in got}
    assert seen >= {None, "felicitacion", "peticion", "reclamo"}
    # an entity model (not blended) takes the one-by-one path
    labels, flag = model.decide(random_p)
    assert pqrs._decide_many(texts, labels, flag, random_p, model, False,
                             pqrs._Batch(model, False)) == _one_by_one(
        texts, labels, flag, random_p, model, False)


def test_literal_heads_split_every_cue_alternative_exactly() -> None:
    """literal + tail (as the scanner's tries use them) matches where the alternative does."""
    import re

    from pulso.classify import pqrs

    texts = list(map(normalise, _generated_texts(150, seed=9)))
    split = 0
    for alts in pqrs._BY_CHAR.values():
        for alt in (a for family in alts.values() for a in family):
            literal, tail = pqrs._literal_head(alt)
            split += bool(literal)
            whole, parts = re.compile(alt), re.compile(re.escape(literal) + f"(?:{tail})")
            for text in (*texts, literal, literal + "x", alt):
                for pos in range(len(text)):
                    assert bool(whole.match(text, pos)) == bool(parts.match(text, pos)), (alt, text)
    assert split > 500
    assert pqrs._literal_head(r"piden? (?:plata)") == ("pide", "n? (?:plata)")
    assert pqrs._literal_head(r"\+1 x") == ("+1 x", "")
    assert pqrs._literal_head(r"\bpeaje\b") == ("", r"\bpeaje\b")


def test_blank_test_equals_strip_for_every_character() -> None:
    """screen_many tells blank texts by `not t or t.isspace()`, without a stripped copy."""
    for text in ("", " ", "a", " a ", "\u3000", "\x1c\x1d", "\u200b", "\ufeff"):
        assert (not text.strip()) == (not text or text.isspace()), repr(text)
    assert all((not ch.strip()) == ch.isspace() for ch in map(chr, range(0x110000)))
    assert [s.reasons for s in screen_many(["", " \n\u3000", "\u200b", "a b"])][:2] == [
        ("empty",), ("empty",)]


def test_rule_screenings_do_not_depend_on_the_hash_seed() -> None:
    """The cue weights are summed in sorted family order, not in a set's (seeded) order."""
    import json
    import os
    import subprocess
    import sys

    texts = [t for t in _generated_texts(400, seed=21) if t.strip()]
    code = ("import json, sys\nfrom pulso.classify import pqrs\n"
            "ts = json.load(sys.stdin)\n"
            "print(json.dumps([repr(pqrs._screen_normalised(pqrs.normalise(t))) for t in ts]))")
    runs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", code], input=json.dumps(texts), env=env,
                              capture_output=True, text=True, check=True)
        runs.append(json.loads(done.stdout))
    assert runs[0] == runs[1]
    from pulso.classify import pqrs

    assert runs[0] == [repr(pqrs._screen_normalised(normalise(t))) for t in texts]
