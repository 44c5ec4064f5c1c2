"""Spanish (es-CO / Latin American) sentiment scoring with VADER's rules, reimplemented lean.

Why not stock ``vaderSentiment``: its lexicon is English (~0.36 macro-F1 on Spanish tweets) and
its per-call overhead (emoji rebuild, per-word list copies, n-gram string building) makes it
slow. This module keeps VADER's scoring idea -- valence lexicon on a -4..+4 scale, booster and
dampener scalars (B_INCR/B_DECR), caps emphasis (C_INCR), negation scalar (N_SCALAR), "but"
contrast weighting, "!"/"?" amplification and ``normalize(score, alpha=15)`` -- with a Spanish
lexicon authored in this project (``include/lexicon/*.tsv``) and Spanish rules:

* one tokenisation pass; text is lower-cased and accent-folded once (ñ kept), so "rápido" and
  "rapido" share an entry; URLs and @mentions are dropped; ``#MalServicio`` -> "mal servicio";
* negative concord: "no ... nada bueno" negates once, not twice; clitics and auxiliaries
  ("me", "lo", "ha", "es"...) do not use up the 3-word negation/booster window; punctuation
  closes it;
* multi-word expressions ("qué pena", "de malas", "gracias por nada", "un poco") are merged
  into one unit before scoring;
* elongations (buenísimooo), superlatives (-ísimo), intensifying prefixes (súper-, re-,
  requete-), laughter (jajaja, jsjs) and emoji/emoticons;
* contrast: "pero"/"sin embargo"/"no obstante"/"sino" weigh the part before by 0.5 and after by
  1.5 (VADER's rule); "aunque"/"a pesar de" halve the concessive clause they open.

The neutral band is -0.2 < compound < 0.3 by default (VADER uses ±0.05; see
DEFAULT_NEUTRAL_BAND, DEFAULT_NEGATIVE_BAND and ``bench/eval_sentiment.py --bands`` for why).

es-vader-2 adds the cues shared with the PQRS screener (``pulso.classify.cues``): a service
failure told without complaint words and an unmet wish lean negative, sarcastic praise turns
negative, courtesy formulas around a request or a complaint are wrappers (not scored), and spam
scores 0.

es-vader-3: "bien" before a sentiment word is a booster ("bien feo"); superlative comparisons
("nada más lindo que", "no hay mejor", "nada como") are not negation; plain wanting ("necesito
un certificado") leans much less than a wish for change, good wishes ("que descansen") are not
unmet wishes; a message with both praise and criticism weighs the criticism 1.2x (negativity
bias); text faces (";_;", "T_T", ":c"); homographs of generated verb forms ("funcionaria",
"mate") are neutral; counterfactual "ojalá tuviera" is a lament.

Speed: ``analyze_many`` scores a large batch in ``pulso.classify.sentiment_batch`` (numpy over
every token of the batch; the same scores); ``compound`` and small batches use ``_score``.
"""

from __future__ import annotations

import math
import re
import sys
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from itertools import chain, compress
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING

from pulso.classify import cues

if TYPE_CHECKING:
    from pulso.classify.sentiment_batch import BatchScorer

MODEL_VERSION = "es-vader-3"

# VADER 3.3.2 constants (vaderSentiment.vaderSentiment); copied, not imported, because that
# module imports `requests` at top level, which is too heavy for DAG parse time. A unit test
# checks they stay equal to the installed package.
B_INCR = 0.293
B_DECR = -0.293
C_INCR = 0.733
N_SCALAR = -0.74
ALPHA = 15

LEXICON_DIR = Path(__file__).resolve().parents[2] / "lexicon"

# Unit kinds.
_NONE, _SENT, _BOOST, _NEG, _BUT, _THOUGH, _SKIP, _STOP, _COURT = range(9)
# Token flags (4th field of a cached token analysis): bit 0 = may start a multi-word unit; the
# other bits are the cue classes of pulso.classify.cues the token can trigger.
_PHRASE_FIRST = 1
_CUE_BITS = (
    cues.FAILURE_BIT | cues.SPAM_BIT | cues.SARCASM_BIT | cues.WISH_BIT | cues.REQUEST_BIT
)
# "que" opening a sentence may start a bare wish ("que traigan frutas"); checked by position.
_QUE = 1 << 15
# Kinds pass 1 of the scoring must visit (boosters, transparent words and punctuation are
# only read back from a sentiment word).
_ANCHOR_KINDS = frozenset((_SENT, _NEG, _BUT, _THOUGH, _COURT))
# A token's analysis: (kind, value, folded form, flags, anchor, second tokens of the
# multi-word units it starts or None).
_Hit = tuple[int, float, str, int, bool, frozenset[str] | None]
_KIND = itemgetter(0)
_VAL = itemgetter(1)
_ANCHOR = itemgetter(4)
_ELONG = 1 << 16  # a letter repeated 3+ times ("nooo"): the cue text needs run collapsing

# Grammar words, not lexicon: kept in code because they drive rules, not valence.
NEGATORS = (
    "no", "nunca", "jamas", "ni", "tampoco", "sin", "nadie", "nada", "ningun", "ninguno",
    "ninguna", "ningunos", "ningunas", "nones", "nel", "para nada", "en absoluto",
    "en ningun momento", "de ninguna manera", "de ningun modo", "ya no", "ni siquiera",
    "nisiquiera", "no es que", "nop", "nopo",
)
CONTRAST_BUT = ("pero", "sin embargo", "no obstante", "sino", "mas sin embargo", "pero igual")
CONTRAST_THOUGH = ("aunque", "a pesar de", "pese a", "si bien", "a pesar de que", "aun asi")
# Words that do not count toward the 3-unit window (clitics, articles, auxiliaries, copulas).
TRANSPARENT = (
    "me", "te", "se", "lo", "la", "le", "nos", "os", "les", "los", "las", "el", "un", "una",
    "ha", "he", "has", "han", "hemos", "habia", "hubo", "es", "son", "era", "eran", "fue",
    "fueron", "sea", "sean", "sera", "seria", "esta", "estan", "estaba", "estoy", "estas",
    "estuvo", "soy", "eres", "somos", "muy", "tan", "mas", "tampoco", "que", "tener", "va",
    "vas", "voy", "van", "ser", "estar", "haber",
)

_FOLD = str.maketrans("áéíóúüàèìòùÁÉÍÓÚÜÀÈÌÒÙ", "aeiouuaeiouAEIOUUAEIOU")
_URL_RE = re.compile(r"https?://\S+|www\.\S+|\S+\.(?:com|co|org|net|gov)(?:/\S*)?\b")
_MENTION_RE = re.compile(r"@\w+")
_HASHTAG_RE = re.compile(r"#(\w+)")
_CAMEL_RE = re.compile(r"(?<=[a-záéíóúñ])(?=[A-ZÁÉÍÓÚÑ])|_+")
_STRIP_RE = re.compile("[\ufe0f\ufe0e\u200d\U0001f3fb-\U0001f3ff]")
_EMOJI_CLASS = (
    "\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2190-\u21ff\u2300-\u23ff\u3030\u303d"
    "\u3297\u3299\u00a9\u00ae\u203c\u2049\u2122\u2139"
)
# Words (letters; "_" kept for pre-joined forms) or any single non-space symbol: punctuation and
# emoji both come out as one-character tokens. Emoticons are found by a separate cheap pass.
_TOKEN_RE = re.compile(r"[^\W\d]+|[^\w\s]")
_EMOTICON_RE = re.compile(
    r"(?:[<>]?[:;=][\-o\*'^]?[\)\]\(\[dDpP/\\|@3\*\$]+(?!\w))|<3+|</3"
    r"|(?<![\w])(?:[\)\(\]\[dD][\-o]?[:;=])(?!\w)"
    # Faces the word tokenizer splits: ";_;", "-_-", "u.u", ":c" (t_t is a token of its own).
    r"|(?<![\w;])(?:;_;|-_-|u\.u|:'?[cv])(?![\w;])"
)
_CAPS_RE = re.compile(r"[A-ZÁÉÍÓÚÜÑ]{2}")  # an ALL-CAPS word needs two capitals in a row
# Cheap substring tests before the regexes (the batch path in sentiment_batch reads the same
# tuples): a link or an emoji modifier (_clean), one of which every emoticon holds, and the
# sarcasm symbols.
LINK_NEEDLES = ("http", "www.", ".co", ".me/")
MODIFIER_NEEDLES = ("\ufe0f", "\u200d")
CLEAN_NEEDLES = LINK_NEEDLES + MODIFIER_NEEDLES
EMOTICON_NEEDLES = (":", ";", "=", "<", "_", "u.u")
EYE_ROLL = ("\U0001f644", "\U0001f921")
# Cheap test for "some normalisation rule may apply" (laughter, elongation, -ísimo, prefix).
_RULES_RE = re.compile(r"^[jhxlkm]|(.)\1|isim|errim|^(?:re|su|hi|ul|ar|me)|js")
_DOUBLE_RE = re.compile(r"(.)\1")
_PREFIX_STARTS = ("re", "su", "hi", "ul", "ar", "me")
_REPEAT3_RE = re.compile(r"(.)\1{2,}")
_REPEAT2_RE = re.compile(r"([^lrc])\1")
_LAUGH_RE = re.compile(
    r"^(?:(?:j+[aeiou]+)+j*|(?:[aeiou]?j[aeiou]?){2,}|(?:ha){2,}h?|(?:he){2,}h?|(?:js)+j?"
    r"|(?=(?:.*j){2})[jaeiouhs]{4,}|(?:xd+)+|(?:lol)+|(?:ja|je|ji|jo|ha|ka)+(?:j|h)?|jua(?:ja|jua)*|muaja\w*)$"
)
_SUPERLATIVE_RE = re.compile(r"^(\w{2,}?)(?:isim|errim)(?:o|a|os|as)$")
# Intensifying prefixes: superbueno, requetebién, recontramalo. Bare "re-" is only taken as a
# separate word ("re bueno"): glued, it is too often part of an ordinary word (reunión).
_PREFIX_RE = re.compile(r"^(?:requete|recontra|super|hiper|ultra|archi|mega)-?(\w{3,})$")
_SCOPE_WINDOW = 3
_DECAY = (0.0, 1.0, 0.95, 0.9)  # booster weight by distance, as in VADER
# Laughter is a weak stance in Spanish tweets: it goes with mockery and complaints about as often
# as with joy (TASS: laughing tweets split ~1/3 each way); 1.8 read two thirds of them positive.
_LAUGH_VALENCE = 0.5
# _resolve's common answers, shared: a new tuple per token fed the garbage collector (a
# batch resolves thousands of new words at once).
_NO_HIT = (_NONE, 0.0)
_LAUGH_HIT = (_SENT, _LAUGH_VALENCE)
# Valence of a negator that negates no sentiment word ("no hay agua", "nadie responde");
# VADER's English lexicon scores "no" -1.2 for the same reason.
NEGATION_ALONE = -1.2
# Labels: |compound| < band is neutral. VADER's 0.05 suits English review text; on Spanish
# tweets a single weak word ("vale", "claro") is usually not a stance, and the measured
# macro-F1 on the TASS 2020 set peaks around 0.3 (bench/eval_sentiment.py --bands).
DEFAULT_NEUTRAL_BAND = 0.3
# Negative reads from -0.2: a complaint is often one mild word or a bare negator ("no llegó",
# "extraño...", about -0.29), while a lone weak positive is mostly politeness. Measured on TASS
# and ngo_co train (bench/eval_sentiment.py --bands): ~+0.1 recall on dissatisfaction, no loss.
DEFAULT_NEGATIVE_BAND = 0.2
# Shared-cue weights (pulso.classify.cues), on the lexicon's -4..+4 scale. A failure story or
# an unmet wish carries about the weight of one clearly negative word; praise beside it counts
# less (the message is about what went wrong); sarcastic praise turns negative.
FAILURE_VALENCE = -2.0
FAILURE_DAMP = 0.5
WISH_VALENCE = -2.2
WISH_DAMP = 0.3
# Plain wanting ("necesito un certificado", "quiero una bici") is mostly a request or a personal
# desire: it leans negative much less than a wish for the service to change.
WANT_VALENCE = -1.2
WANT_DAMP = 0.5
SARCASM_VALENCE = -1.5
SARCASM_FLIP = 0.5
# The rest of a message is a complaint (so its courtesy is a wrapper) at this valence sum.
COMPLAINT_MIN = -1.0
# A message that both praises and criticises (at least this much valence each way, about one
# clear word) reads as a complaint more often than as praise: readers weigh the criticism more
# ("la charla buena pero el refrigerio pésimo", "excelente el parque, lástima la basura").
MIXED_MIN = 1.5
MIXED_NEG_WEIGHT = 1.2
# A question mostly asks rather than judges ("¿qué tal la temporada?"): its sentiment counts half.
QUESTION_DAMP = 0.5
_CACHE_LIMIT = 300_000
# From this many distinct texts analyze_many scores the batch with numpy (sentiment_batch);
# below it the per-text path is cheaper than setting up the arrays.
_BATCH_MIN = 64
# label() by code: 0 neutral, 1 positive, 2 negative (SentimentAnalyzer._labels).
_LABEL_NAMES = ("neutral", "positive", "negative")


_COMPARATIVE_NEG = frozenset(("nada", "nadie", "ninguno", "ninguna", "ningun"))
_COMPARATIVE = frozenset(("mas", "tan", "mejor", "peor", "menos", "como"))
# Words that can follow a negator opening a comparison (cheap test before _is_comparative).
_COMPARATIVE_NEXT = _COMPARATIVE | {"hay", "nada"}


def _is_comparative(hits: list, j: int, ti: int) -> bool:
    """Negator at j opens a superlative comparison for the sentiment word at ti (or any word up
    to ti): "nada más lindo que", "nadie mejor", "no hay peor", "no hay nada como" (negator,
    optional "hay" and "nada", comparative word)."""
    nxt = j + 1
    if hits[j][2] == "no" and nxt < ti and hits[nxt][2] == "hay":
        nxt += 1
    if hits[j][2] not in _COMPARATIVE_NEG and nxt == j + 1:
        return False
    if nxt < len(hits) and hits[nxt][2] == "nada" and nxt < ti:
        nxt += 1
    if nxt > ti or hits[nxt][2] not in _COMPARATIVE:
        return False
    # "como" compares only after "nada"/"nadie" ("no hay como llegar" is "no way to get there").
    return hits[nxt][2] != "como" or hits[nxt - 1][2] in _COMPARATIVE_NEG


def _clean(text: str) -> tuple[str, int]:
    """Text with links, @mentions, hashtag marks and emoji modifiers removed, and the cue mask
    they set (a link is one weak spam signal). Shared by the per-text and the batch path."""
    mask = 0
    if any(n in text for n in LINK_NEEDLES):
        stripped = _URL_RE.sub(" ", text)
        if stripped != text:
            mask = cues.SPAM_BIT
        text = stripped
    if "@" in text:
        text = _MENTION_RE.sub(" ", text)
    if "#" in text:
        text = _HASHTAG_RE.sub(lambda m: " " + _CAMEL_RE.sub(" ", m.group(1)) + " ", text)
    if any(n in text for n in MODIFIER_NEEDLES):
        text = _STRIP_RE.sub("", text)
    return text, mask


def fold(text: str) -> str:
    """Lower-case and drop accents/diaeresis, keeping ñ (año != ano)."""
    return text.lower().translate(_FOLD)


def normalize(score: float, alpha: float = ALPHA) -> float:
    """VADER's squashing of a raw valence sum into -1..1."""
    norm = score / math.sqrt(score * score + alpha)
    return max(-1.0, min(1.0, norm))


def _read_tsv(path: Path) -> list[tuple[str, list[str], int]]:
    """Rows of a lexicon TSV as (term, other columns, line number); '#' starts a comment."""
    rows = []
    with path.open(encoding="utf-8") as fh:
        for lineno, raw in enumerate(fh, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            parts = [p for p in raw.rstrip("\n").split("\t") if not p.startswith("#")]
            rows.append((unicodedata.normalize("NFC", parts[0].strip()), parts[1:], lineno))
    return rows


def _float(path: Path, lineno: int, value: str) -> float:
    try:
        return float(value)
    except ValueError as exc:
        raise ValueError(f"{path.name}:{lineno}: valence {value!r} is not a number") from exc


# ---- inflection of authored seeds ---------------------------------------------------------

_VOWELS = "aeiou"


def _adj_forms(word: str) -> list[str]:
    """Gender/number forms of an adjective seed (masculine singular)."""
    if word.endswith("o"):
        s = word[:-1]
        return [word, s + "a", s + "os", s + "as", s + "ito", s + "ita", s + "isimo", s + "isima"]
    if word.endswith(("e", "a", "i", "u")):
        return [word, word + "s"]
    if word.endswith("z"):
        return [word, word[:-1] + "ces"]
    if word.endswith(("or", "on", "an", "in")):
        # trabajador(a), llorón/llorona, holgazán(a)
        base = word
        return [word, base + "a", base + "es", base + "as"]
    return [word, word + "es"]


def _noun_forms(word: str) -> list[str]:
    if word[-1] in _VOWELS:
        return [word, word + "s"]
    if word.endswith("z"):
        return [word, word[:-1] + "ces"]
    if word.endswith("cion"):
        return [word, word[:-4] + "ciones"]
    return [word, word + "es"]


def _verb_forms(inf: str) -> list[str]:
    """Common regular forms of an -ar/-er/-ir verb (accent-folded)."""
    stem, end = inf[:-2], inf[-2:]
    if end == "ar":
        suf = [
            "ar", "o", "as", "a", "amos", "an", "e", "es", "en", "emos", "ado", "ada", "ados",
            "adas", "ando", "aba", "aban", "abas", "aste", "o", "aron", "ara", "aran", "are",
            "aria", "arian", "ariamos", "arte", "arlo", "arla", "arme", "arnos", "andolo",
            "ame", "alo", "ala", "en", "ais", "ad", "asteis",
        ]
    elif end in ("er", "ir"):
        v = "e" if end == "er" else "i"
        suf = [
            end, "o", "es", "e", "emos" if end == "er" else "imos", "en", "a", "as", "an",
            "amos", "ido", "ida", "idos", "idas", "iendo", "ia", "ian", "iste", "io",
            "ieron", "iera", "ieran", v + "ra", v + "ria", v + "rian", end + "te", end + "lo",
            end + "la", end + "me", end + "nos",
        ]
    else:
        return [inf]
    return [stem + s for s in suf]


_EXPANDERS = {"adj": _adj_forms, "noun": _noun_forms, "verb": _verb_forms}


class SentimentAnalyzer:
    """Scores Spanish short texts; compound in -1..1, label by a symmetric neutral band."""

    def __init__(
        self,
        lexicon_dir: Path | None = None,
        neutral_band: float = DEFAULT_NEUTRAL_BAND,
        negative_band: float | None = None,
    ) -> None:
        self.lexicon_dir = Path(lexicon_dir) if lexicon_dir else LEXICON_DIR
        if not self.lexicon_dir.is_dir():
            raise FileNotFoundError(f"sentiment lexicon directory not found: {self.lexicon_dir}")
        if not 0.0 <= neutral_band < 1.0:
            raise ValueError(f"neutral_band must be in [0, 1), got {neutral_band}")
        self.neutral_band = neutral_band
        # A given neutral_band alone keeps the band symmetric (older callers and tests).
        if negative_band is None:
            negative_band = (
                DEFAULT_NEGATIVE_BAND if neutral_band == DEFAULT_NEUTRAL_BAND else neutral_band
            )
        if not 0.0 <= negative_band < 1.0:
            raise ValueError(f"negative_band must be in [0, 1), got {negative_band}")
        self.negative_band = negative_band
        self.negation_alone = NEGATION_ALONE
        self.lexicon: dict[str, float] = {}
        self.boosters: dict[str, float] = {}
        self._load()
        self._build_tables()

    # ---- loading --------------------------------------------------------------------------

    def _load(self) -> None:
        files = sorted(self.lexicon_dir.glob("*.tsv"))
        if not files:
            raise FileNotFoundError(f"no *.tsv lexicon files in {self.lexicon_dir}")
        explicit: dict[str, float] = {}
        generated: dict[str, float] = {}
        for path in files:
            is_booster = "booster" in path.name
            for term, cols, lineno in _read_tsv(path):
                if not cols:
                    raise ValueError(f"{path.name}:{lineno}: missing valence for {term!r}")
                value = _float(path, lineno, cols[0])
                key = " ".join(fold(_STRIP_RE.sub("", term)).split())
                if is_booster:
                    self.boosters[key] = value
                    continue
                if not -4.0 <= value <= 4.0:
                    raise ValueError(f"{path.name}:{lineno}: valence {value} outside -4..4")
                explicit[key] = value
                pos = cols[1].strip() if len(cols) > 1 else ""
                if pos:
                    if pos not in _EXPANDERS:
                        raise ValueError(f"{path.name}:{lineno}: unknown form class {pos!r}")
                    for form in _EXPANDERS[pos](key):
                        # Generated superlatives (buenísimo) get a booster step, as the
                        # runtime -ísimo rule gives.
                        boost = (B_INCR if value > 0 else -B_INCR) if "isim" in form else 0.0
                        generated.setdefault(form, value + boost)
        # Authored entries win over generated inflections; an authored single word with
        # valence 0 cancels a generated form that is really another word ("tarde" != tardar).
        merged = {**generated, **explicit}
        self.lexicon = {k: v for k, v in merged.items() if v != 0.0 or " " in k}

    def _build_tables(self) -> None:
        info: dict[str, tuple[int, float]] = {}
        for w in TRANSPARENT:
            info[w] = (_SKIP, 0.0)
        for w, v in self.lexicon.items():
            info[w] = (_SENT, v)
        for w, v in self.boosters.items():
            info[w] = (_BOOST, v)
        for w in NEGATORS:
            info[w] = (_NEG, 0.0)
        for w in CONTRAST_BUT:
            info[w] = (_BUT, 0.0)
        for w in CONTRAST_THOUGH:
            info[w] = (_THOUGH, 0.0)
        for p in ".,;:!?¡¿…":
            info[p] = (_STOP, 0.0)
        # Courtesy formulas keep their valence but are marked: a wrapper around a request or a
        # complaint does not make the message positive.
        for term in (*cues.COURTESY_TERMS, *cues.ASKED_TERMS):
            kind, val = info.get(term, (_NONE, 0.0))
            if kind == _SENT:
                info[term] = (_COURT, val)
        self._info = info
        # Multi-word units, keyed by first token, longest first.
        # Multi-word units, keyed by their first two tokens, longest first.
        phrases: dict[tuple[str, str], list[tuple[tuple[str, ...], str]]] = {}
        for key in info:
            parts = key.split()
            if len(parts) > 1:
                phrases.setdefault((parts[0], parts[1]), []).append((tuple(parts), key))
        for lst in phrases.values():
            lst.sort(key=lambda item: -len(item[0]))
        self._phrases = phrases
        # Word pairs whose only unit is the pair itself: (kind, value) without a scan.
        self._pair_unit = {
            pair: info[lst[0][1]] for pair, lst in phrases.items()
            if len(lst) == 1 and len(lst[0][0]) == 2
        }
        self._phrase_first = {first for first, _ in phrases}
        # First token of a multi-word unit -> the second tokens it can take.
        nexts: dict[str, set[str]] = {}
        for first, second in phrases:
            nexts.setdefault(first, set()).add(second)
        self._phrase_next = {k: frozenset(v) for k, v in nexts.items()}
        self._chunks: dict[str, tuple[_Hit, ...]] = {}
        # Raw lower-cased token -> (kind, value, folded form, flags: phrase start | cue bits,
        # anchor: pass 1 of the scoring must look at it).
        self._cache: dict[str, _Hit] = {w: self._analyse(w) for w in info if " " not in w}

    def _flags(self, folded: str) -> int:
        flags = (_PHRASE_FIRST if folded in self._phrase_first else 0) | cues.token_mask(folded)
        if folded in ("que", "q"):
            flags |= _QUE
        if _REPEAT3_RE.search(folded):
            flags |= _ELONG
        return flags

    # ---- token resolution (cached) --------------------------------------------------------

    def _resolve(self, tok: str) -> tuple[int, float]:
        """Kind and value of one folded token, trying elongation/superlative/prefix rules."""
        info = self._info
        hit = info.get(tok)
        if hit is not None:
            return hit
        if len(tok) < 3 or not tok.isalpha():
            return _NO_HIT
        if tok[0] in "jhxlkm" and _LAUGH_RE.match(tok):
            return _LAUGH_HIT
        cands: list[str] = []
        if _DOUBLE_RE.search(tok):  # elongation: buenooo, siiii, graciaaas
            # (most doubles are Spanish "ll", "rr", "cc": sub, with its template, only on a triple)
            short = _REPEAT3_RE.sub(r"\1", tok) if _REPEAT3_RE.search(tok) else tok
            if short != tok:
                cands.append(short)
            if _REPEAT2_RE.search(short):
                cands.append(_REPEAT2_RE.sub(r"\1", short))
            for c in cands:
                hit = info.get(c)
                if hit is not None:
                    return hit
            if cands and cands[0][0] in "jhxlkm" and _LAUGH_RE.match(cands[0]):
                return _LAUGH_HIT
        for c in cands or [tok]:
            m = _SUPERLATIVE_RE.match(c) if ("isim" in c or "errim" in c) else None
            if m:
                stem = m.group(1)
                stem_opts = (stem + "o", stem + "e", stem, stem + "a")
                if stem.endswith("c"):
                    stem_opts += (stem[:-1] + "z", stem[:-1] + "co")
                if stem.endswith("qu"):
                    stem_opts += (stem[:-2] + "co",)
                if stem.endswith("gu"):
                    stem_opts += (stem[:-2] + "go",)
                if stem.endswith("bil"):
                    stem_opts += (stem[:-3] + "ble",)
                for base in stem_opts:
                    kind, val = info.get(base, _NO_HIT)
                    if kind == _SENT:
                        return (_SENT, val + (B_INCR if val > 0 else -B_INCR))
            m = _PREFIX_RE.match(c) if c.startswith(_PREFIX_STARTS) else None
            if m:
                kind, val = info.get(m.group(1), _NO_HIT)
                if kind == _SENT:
                    return (_SENT, val + (B_INCR if val > 0 else -B_INCR))
        return _NO_HIT

    # ---- scoring --------------------------------------------------------------------------

    def _analyse(self, tok: str) -> _Hit:
        """One raw lower-cased token: (kind, value, folded form, flags, anchor for pass 1)."""
        folded = tok if tok.isascii() else tok.translate(_FOLD)
        hit = self._info.get(folded)
        if hit is not None:
            kind, val = hit
        elif len(folded) > 2 and _RULES_RE.search(folded) and folded.isalpha():
            kind, val = self._resolve(folded)
        else:  # the common case: a word with no sentiment and nothing to normalise
            kind, val = _NONE, 0.0
        flags = self._flags(folded)
        nexts = self._phrase_next.get(folded)
        return (kind, val, folded, flags, bool(flags) or kind in _ANCHOR_KINDS, nexts)

    def _lookup(self, tok: str) -> _Hit:
        """Cache miss path: analyse and remember (bounded)."""
        hit = self._analyse(tok)
        cache = self._cache
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        cache[tok] = hit
        return hit

    def _chunk(self, chunk: str) -> tuple[_Hit, ...]:
        """Cache miss path for a whitespace chunk: tokenise it and analyse each token."""
        get = self._cache.get
        lookup = self._lookup
        toks = [chunk] if chunk.isalpha() else _TOKEN_RE.findall(chunk)
        hits = tuple([get(t) or lookup(t) for t in toks])
        chunks = self._chunks
        if len(chunks) > _CACHE_LIMIT:
            chunks.clear()
        chunks[chunk] = hits
        return hits

    def _cap_flags(self, text: str, n: int) -> tuple[list[bool], bool]:
        """ALL-CAPS flag per token and VADER's cap differential (some, not all, words caps)."""
        raw = _TOKEN_RE.findall(text)
        if len(raw) != n:  # lower() changed the length of some character; skip emphasis
            return [False] * n, False
        caps = [t.isupper() and len(t) > 1 for t in raw]
        words = [c for t, c in zip(raw, caps, strict=True) if t.isalpha()]
        n_caps = sum(words)
        return caps, 0 < n_caps < len(words)

    def _merge_phrase(
        self, hits: list[_Hit], i: int
    ) -> tuple[int, int, float] | None:
        """Longest multi-word unit starting at token i: (length, kind, value)."""
        if i + 1 >= len(hits):
            return None
        unit = self._pair_unit.get((hits[i][2], hits[i + 1][2]))
        if unit is not None:  # the pair is the only unit it starts (most units)
            return 2, unit[0], unit[1]
        cand = self._phrases.get((hits[i][2], hits[i + 1][2]))
        if not cand:
            return None
        for parts, key in cand:
            k = len(parts)
            if k == 2 or (
                i + k <= len(hits) and tuple(h[2] for h in hits[i : i + k]) == parts
            ):
                kind, val = self._info[key]
                return k, kind, val
        return None

    def compound(self, text: str | None) -> float:
        """VADER-style compound score in -1..1 (0.0 for None/empty/no sentiment/spam)."""
        if not text:
            return 0.0
        return self._score(text, True)

    def compound_reference(self, text: str | None) -> float:
        """The same score computed without the token/chunk caches and with the cue patterns run
        on the whole text: the reference the fast path is tested against (slow; tests only)."""
        if not text:
            return 0.0
        return self._score(text, False)

    def _score(self, text: str, fast: bool) -> float:
        raw = text
        text, mask = _clean(text)
        low = text.lower()
        words = low.split()
        if fast:
            # Whitespace chunks ("bueno," "jajaja!!") map to cached token analyses, so the
            # token regex only runs on chunks never seen before.
            parts = list(map(self._chunks.get, words))
            if None in parts:
                new_chunk = self._chunk
                parts = [new_chunk(c) if p is None else p
                         for p, c in zip(parts, words, strict=True)]
            hits = list(chain.from_iterable(parts))
        else:
            analyse = self._analyse
            hits = [analyse(t) for w in words for t in _TOKEN_RE.findall(w)]
        if any(n in low for n in EMOTICON_NEEDLES):
            for emo in _EMOTICON_RE.findall(low):
                hits.append(self._cache.get(emo) or self._lookup(emo) if fast
                            else self._analyse(emo))
        if any(n in low for n in EYE_ROLL):
            mask |= cues.SARCASM_BIT | cues.SARCASM_OTHER_BIT
        n = len(hits)
        if not n:
            return 0.0
        # Pass 1, over anchors only (sentiment words, negators, contrast, courtesy, cue
        # triggers, starts of multi-word units; see _analyse): cue mask, multi-word units and
        # the positions pass 2 needs. Boosters, transparent words and punctuation are only
        # read back from a sentiment word in pass 2.
        any_sent = False
        has_court = False
        neg_alone = self.negation_alone
        nxt = 0
        sent_pos: list[int] = []
        neg_pos: list[int] = []
        court: list[int] = []
        though: list[int] = []
        but_at = -1
        merged_at: list[tuple[int, int, int, float]] | None = None
        for i in compress(range(n), map(_ANCHOR, hits)):
            kind, val, folded, flags, _, nexts = hits[i]
            if flags:
                mask |= flags
                if flags & _QUE and (i == 0 or hits[i - 1][0] == _STOP or hits[i - 1][2] == "y"):
                    mask |= cues.WISH_BIT
                if i < nxt:
                    continue
                if nexts is not None and i + 1 < n and hits[i + 1][2] in nexts:
                    merged = self._merge_phrase(hits, i)
                    if merged is not None:
                        k, kind, val = merged
                        if merged_at is None:
                            merged_at = []
                        merged_at.append((i, k, kind, val))
                        nxt = i + k
                        # A multi-word negator does not count as sentiment on its own.
                        if kind == _NEG:
                            neg_pos.append(i)
                            continue
                        any_sent = any_sent or kind == _SENT or kind == _COURT
                if not kind:
                    continue
            elif i < nxt:
                continue
            if kind == _SENT:
                if folded == "bien" and i + 1 < n and hits[i + 1][0] == _SENT:
                    # "bien" before a sentiment word intensifies it ("bien feo", "bien
                    # bonito"): a booster, not praise of its own.
                    if merged_at is None:
                        merged_at = []
                    merged_at.append((i, 1, _BOOST, B_INCR))
                    continue
                sent_pos.append(i)
                any_sent = True
            elif kind == _NEG:
                neg_pos.append(i)
                if neg_alone:
                    any_sent = True
            elif kind == _COURT:
                sent_pos.append(i)
                court.append(i)
                any_sent = has_court = True
            elif kind == _BUT:
                if but_at < 0:
                    but_at = i
            elif kind == _THOUGH:
                though.append(i)
        found = None
        cue_text = ""
        # A request only matters for the courtesy around it, and only when no complaint
        # already makes that courtesy a wrapper: it is looked for last, in _apply_cues.
        ask = mask & cues.REQUEST_BIT if has_court else 0
        mask &= ~cues.REQUEST_BIT
        if mask & _CUE_BITS:
            cue_text = cues.normalise(raw, bool(mask & _ELONG))
            found = cues.find_cues(cue_text, mask)
            if found.spam:
                return 0.0
            if not any_sent and not (found.failure or found.wish or found.sarcasm):
                return 0.0
        elif not any_sent:
            return 0.0
        caps: list[bool] | None = None
        cap_diff = False
        if _CAPS_RE.search(text):
            caps, cap_diff = self._cap_flags(text, n)
        kinds = list(map(_KIND, hits))
        vals = list(map(_VAL, hits))
        if merged_at is not None:
            for i, k, kind, val in merged_at:
                kinds[i] = kind
                vals[i] = val
                for j in range(i + 1, i + k):
                    kinds[j] = _NONE
        # Pass 2: VADER's valence rules, looking back from each sentiment word over at most
        # three counted tokens (transparent words do not count; punctuation and contrast stop).
        sentiments: list[tuple[int, float]] = []  # (token position, valence)
        used_neg: set[int] = set()
        for ti in sent_pos:
            v = vals[ti]
            if cap_diff and caps is not None and caps[ti]:
                v = v + C_INCR if v > 0 else v - C_INCR
            negated = False
            skipped = 0
            j = ti - 1
            while j >= 0:
                pk = kinds[j]
                if pk == _SKIP:
                    skipped += 1
                    j -= 1
                    continue
                d = ti - j - skipped
                if d > _SCOPE_WINDOW or pk == _STOP or pk == _BUT or pk == _THOUGH:
                    break
                if pk == _BOOST:
                    pv = vals[j]
                    s = pv if v > 0 else -pv
                    if cap_diff and caps is not None and caps[j]:
                        s = s + C_INCR if v > 0 else s - C_INCR
                    v += s * _DECAY[d]
                elif pk == _NEG:
                    if hits[j + 1][2] in _COMPARATIVE_NEXT and _is_comparative(hits, j, ti):
                        # "nada más lindo que", "no hay nada mejor que", "nadie peor": a
                        # superlative, not a negation; the "no hay" before it neither.
                        v += B_INCR if v > 0 else -B_INCR
                        used_neg.add(j)
                        k = j - 1
                        while k >= 0 and kinds[k] == _NEG or (k >= 0 and hits[k][2] == "hay"):
                            used_neg.add(k)
                            k -= 1
                        break
                    negated = True
                    used_neg.add(j)
                j -= 1
            if negated:
                v *= N_SCALAR
            sentiments.append((ti, v))
        if neg_alone and neg_pos:
            # A negator that negates no sentiment word ("no hay", "nadie responde") still
            # leans negative, like VADER's own lexicon entry for "no".
            # "no hay nada como...", "nadie como ella": a comparison, not a complaint.
            sentiments.extend(
                (p, neg_alone) for p in neg_pos
                if p not in used_neg and (
                    p + 1 == n or hits[p + 1][2] not in _COMPARATIVE_NEXT
                    or not _is_comparative(hits, p, n - 1))
            )
        if but_at >= 0:
            sentiments = [(p, v * 0.5 if p < but_at else v * 1.5) for p, v in sentiments]
        if though:
            spans = []
            for t in though:
                k = t + 1
                while k < n and kinds[k] != _STOP:
                    k += 1
                spans.append((t, k))
            sentiments = [
                (p, v * 0.5 if any(a < p < b for a, b in spans) else v) for p, v in sentiments
            ]
        if found is not None or court:
            if ask and not cue_text:
                cue_text = cues.normalise(raw, bool(mask & _ELONG))
            sentiments = self._apply_cues(sentiments, court, found, cue_text if ask else "")
        total = sum(v for _, v in sentiments)
        if len(sentiments) > 1:
            pos = sum(v for _, v in sentiments if v > 0)
            if pos >= MIXED_MIN and pos - total >= MIXED_MIN:
                # Praise and criticism together: the criticism weighs more (negativity bias).
                total = pos + (total - pos) * MIXED_NEG_WEIGHT
        if total == 0.0:
            return 0.0
        if "?" in text:
            total *= QUESTION_DAMP
        amp = min(max(text.count("!"), text.count("¡")), 4) * 0.292
        q = text.count("?")
        if q > 1:
            amp += q * 0.18 if q <= 3 else 0.96
        total = total + amp if total > 0 else total - amp
        return round(normalize(total), 4)

    def _apply_cues(
        self,
        sentiments: list[tuple[int, float]],
        court: list[int],
        found: cues.CueHits | None,
        ask_text: str,
    ) -> list[tuple[int, float]]:
        """Shared-cue rules: failures and unmet wishes lean negative, sarcasm flips praise,
        courtesy around a request or a complaint is a wrapper (dropped).

        `ask_text` is the normalised text when a request is worth looking for ("" if not)."""
        failure = found is not None and found.failure
        wish = found is not None and found.wish
        sarcasm = found is not None and found.sarcasm
        if court:
            cset = set(court)
            complaint = failure or wish or sarcasm or sum(
                v for u, v in sentiments if u not in cset
            ) <= COMPLAINT_MIN
            if complaint or (ask_text and cues.has_request(ask_text)):
                sentiments = [(u, v) for u, v in sentiments if u not in cset]
        if sarcasm:
            sentiments = [(u, -v * SARCASM_FLIP if v > 0 else v) for u, v in sentiments]
            sentiments.append((-1, SARCASM_VALENCE))
        if failure:
            if not sarcasm:  # praise next to a failure story is not a stance for the service
                sentiments = [(u, v * FAILURE_DAMP if v > 0 else v) for u, v in sentiments]
            sentiments.append((-1, FAILURE_VALENCE))
        if wish:
            strong = found is not None and found.wish_strong
            damp = WISH_DAMP if strong else WANT_DAMP
            sentiments = [(u, v * damp if v > 0 else v) for u, v in sentiments]
            sentiments.append((-1, WISH_VALENCE if strong else WANT_VALENCE))
        return sentiments

    def label(self, compound: float) -> str:
        if compound >= self.neutral_band:
            return "positive"
        if compound <= -self.negative_band:
            return "negative"
        return "neutral"

    def analyze(self, text: str | None) -> tuple[str, float]:
        c = self.compound(text)
        return self.label(c), c

    def analyze_many(self, texts: Iterable[str | None]) -> tuple[list[str], list[float]]:
        """Batch scoring; identical texts (retweets, copy-paste complaints) are scored once.

        A large batch is scored by ``pulso.classify.sentiment_batch`` (numpy over every token at
        once, ~3x faster); a small one by the per-text path, which gives the same scores."""
        texts = list(texts)
        distinct = list(dict.fromkeys(t for t in texts if t))
        if len(distinct) < _BATCH_MIN:
            seen = {t: self._score(t, True) for t in distinct}
            scores = [seen[t] if t else 0.0 for t in texts]
            lab = self.label
            return [lab(c) for c in scores], scores
        scored = self._batch_scorer().scores(distinct)
        if len(distinct) == len(texts):  # every text non-empty and distinct, in this order
            scores = scored
        else:
            seen = dict(zip(distinct, scored, strict=True))
            scores = [seen[t] if t else 0.0 for t in texts]
        return self._labels(scores), scores

    def _labels(self, scores: list[float]) -> list[str]:
        """`[self.label(c) for c in scores]` as two numpy comparisons (the batch path)."""
        import numpy as np

        if type(self).label is not SentimentAnalyzer.label:  # a subclass's own labels
            return [self.label(c) for c in scores]
        c = np.array(scores, dtype=np.float64)
        code = np.where(c >= self.neutral_band, 1, np.where(c <= -self.negative_band, 2, 0))
        return np.array(_LABEL_NAMES, dtype=object)[code].tolist()

    def _batch_scorer(self) -> BatchScorer:
        """The batch scorer and its chunk/token tables, built on first use (imports numpy)."""
        scorer = self.__dict__.get("_batch")
        if scorer is None:
            from pulso.classify.sentiment_batch import BatchScorer

            scorer = self._batch = BatchScorer(self, sys.modules[__name__])
        return scorer


@lru_cache(maxsize=1)
def get_analyzer() -> SentimentAnalyzer:
    """Process-wide analyzer; the lexicon is read once."""
    return SentimentAnalyzer()
