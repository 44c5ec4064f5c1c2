"""Words, bigrams and topics that set negative messages apart from the rest.

A term "drives" negative sentiment when it appears in a larger share of negative messages than
of the other messages (document frequency, so one angry message repeating a word counts once).
Stopwords are a small list authored here for Spanish social-media text; topics are keyword
families that the citizen-service and communications offices recognise (subsidio, trámite,
atención...). Pure Python and pandas; no external NLP models.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

STOPWORDS: frozenset[str] = frozenset("""
a al algo algun alguna algunas alguno algunos alla alli ante antes aqui asi aun aunque bien
cada casi como con contra cual cuales cuando cuanto de del desde donde dos el ella ellas ello
ellos en entre era eran eres es esa esas ese eso esos esta estaba estaban estamos estan estar
estas este esto estos estoy fue fueron fui ha habia han has hasta hay he hoy la las le les lo
los mas me mi mis mucho muchos muy nada ni no nos nosotros nuestra nuestro o otra otras otro
otros para pero poco por porque pues que quien quienes se sea sean ser si sido siempre sin
sobre solo son su sus tambien tan tanto te tenemos tener tengo ti tiene tienen todo todos tu
tus un una unas uno unos usted ustedes va van vez y ya yo ahi ahora entonces hace hacer hacen
puede pueden pues gracias favor buenas buenos dias tardes noches hola ok jaja jajaja xd q k
pq xq tb tmb d x eh ah oh uy pa pal mismo misma cosa cosas sr sra señor señora don doña dia
año años mes meses vez veces ser soy somos fue sera seria tenia tuvo han hizo dicen dice dijo
vamos voy ir solo sólo más está están esté qué cómo cuándo dónde quién también así allá
allí aquí día días él mí sí tú aún después despues mejor peor bueno buena malo mala
urlx http https www com co
""".split())

_WORD = re.compile(r"[a-záéíóúñü]+|[.,;:!?¿¡()\n]")  # words and the marks that end a phrase
# Words that say how someone feels or for how long, not what about: fine inside an expression
# ("nadie contesta", "llevo meses"), never a driver on their own.
NOT_ALONE: frozenset[str] = frozenset("""
nunca nadie ningun ninguna mientras tanto llevo lleva llevan llevamos toda todas vivo vive
viven visto gente sigue siguen seguimos esperando espera tengo tiene tienen hace hacen
estoy estan queda quedo pasa paso dicen dijeron hacer hecho ver vez
""".split())
_NOISE = re.compile(r"@[\w.]+|https?://\S+|www\.\S+|#\w+")  # handles, links, hashtags
_FOLD = str.maketrans("áéíóúü", "aeiouu")
STOP_FOLDED: frozenset[str] = frozenset(w.translate(_FOLD) for w in STOPWORDS)


def fold(word: str) -> str:
    """Lowercase without accents (ñ kept): 'Trámite' and 'tramite' are the same term."""
    return word.lower().translate(_FOLD)


def _content(text: str, exclude: frozenset[str] = frozenset()) -> list[tuple[str, str] | None]:
    """Words of `text` as (folded key, written form), None where a stopword or a short,
    excluded or noise word breaks the sequence (so bigrams are only adjacent content words)."""
    out: list[tuple[str, str] | None] = []
    for w in _WORD.findall(_NOISE.sub(" ", text.lower())):
        k = fold(w)
        out.append(None if len(w) < 3 or k in STOP_FOLDED or k in exclude else (k, w))
    return out  # punctuation marks are shorter than 3: they break bigrams too


def tokens(text: str, exclude: frozenset[str] = frozenset()) -> list[str]:
    """Lowercase content words (3+ letters, no stopwords, no handles or links), in order."""
    return [t[1] for t in _content(text, exclude) if t is not None]


def _doc_terms(text: str, bigrams: bool, exclude: frozenset[str] = frozenset(),
               forms: dict[str, Counter[str]] | None = None) -> set[str]:
    seq = _content(text, exclude)
    out = set()
    for t in seq:
        if t is not None and t[0] not in NOT_ALONE:
            out.add(t[0])
            if forms is not None:
                forms.setdefault(t[0], Counter())[t[1]] += 1
    if bigrams:
        for a, b in zip(seq, seq[1:], strict=False):
            if a is not None and b is not None and not (a[0] in NOT_ALONE
                                                        and b[0] in NOT_ALONE):
                key = f"{a[0]} {b[0]}"
                out.add(key)
                if forms is not None:
                    forms.setdefault(key, Counter())[f"{a[1]} {b[1]}"] += 1
    return out


def document_frequency(texts: Iterable[str | None], *, bigrams: bool = True,
                       exclude: frozenset[str] = frozenset(),
                       forms: dict[str, Counter[str]] | None = None) -> Counter[str]:
    """How many distinct texts contain each content word (and adjacent content-word bigram),
    keyed by the folded form; identical texts (copies, spam waves) count once."""
    counts: Counter[str] = Counter()
    for t in dict.fromkeys(x for x in texts if x):
        counts.update(_doc_terms(t, bigrams, exclude, forms))
    return counts


def written_form(key: str, forms: dict[str, Counter[str]]) -> str:
    """How to show a term: its accented spelling when anyone wrote it so, else as written."""
    seen = forms.get(key)
    if not seen:
        return key
    return max(seen.items(), key=lambda kv: (kv[0] != fold(kv[0]), kv[1], kv[0]))[0]


def sample(texts: Sequence[str], limit: int, seed: int = 2026) -> tuple[list[str], bool]:
    """At most `limit` texts, drawn reproducibly; the flag says whether sampling happened."""
    if len(texts) <= limit:
        return list(texts), False
    rng = random.Random(seed)
    idx = sorted(rng.sample(range(len(texts)), limit))
    return [texts[i] for i in idx], True


@dataclass(frozen=True)
class DriverTerm:
    term: str
    negative_messages: int   # negative messages containing the term
    negative_share: float    # of all negative messages (0..1)
    other_share: float       # of all other messages (0..1)
    lift: float              # negative_share / other_share (smoothed)


def negative_drivers(negative: Sequence[str], other: Sequence[str], *, top: int = 15,
                     bigrams: bool = False, min_count: int = 3, min_lift: float = 1.5,
                     exclude: Iterable[str] = ()) -> list[DriverTerm]:
    """Terms over-represented in negative messages, ranked by how many negatives carry them.

    `exclude`: folded words never shown (the entity's own handles and name). Terms are shown
    with accents when some writer used them.
    """
    ex = frozenset(fold(w) for w in exclude)
    negative = list(dict.fromkeys(x for x in negative if x))
    other = list(dict.fromkeys(x for x in other if x))
    n_neg, n_other = len(negative), len(other)
    if n_neg == 0:
        return []
    forms: dict[str, Counter[str]] = {}
    neg = document_frequency(negative, bigrams=bigrams, exclude=ex, forms=forms)
    oth = document_frequency(other, bigrams=bigrams, exclude=ex)
    floor = max(min_count, int(0.002 * n_neg))
    out: list[DriverTerm] = []
    for term, c in neg.items():
        if c < floor or ((" " in term) != bigrams):
            continue
        neg_share = c / n_neg
        other_share = oth.get(term, 0) / n_other if n_other else 0.0
        lift = neg_share / ((oth.get(term, 0) + 1) / (n_other + 1))
        if lift >= min_lift:
            out.append(DriverTerm(written_form(term, forms), c, neg_share, other_share, lift))
    out.sort(key=lambda d: (-d.negative_messages, -d.lift, d.term))
    return out[:top]


# Topic keyword families (regex on lowercased text; accents optional).
TOPICS: dict[str, str] = {
    "Subsidios y ayudas": r"subsidi|auxilio|ayuda|beneficiari|mejoramiento",
    "Trámites y documentos": r"tr[aá]mite|certificad|document|requisit|radic|formulario|solicitud",
    "Atención al ciudadano": r"atenci[oó]n|atiend|atienden|respond|respuesta|llam|l[ií]nea|"
                             r"oficina|fila|cita|asesor|funcionari",
    "Obras y vivienda": r"\bobras?\b|construcci|vivienda|casa|apartamento|proyecto|predio|lote",
    "Pagos y cobros": r"\bpag|cuota|deuda|cobr|factura|cr[eé]dito|dinero|plata",
    "Corrupción e irregularidades": r"corrup|soborno|coima|robo|rob[aó]|ladr|fraude|mordida|"
                                    r"desfalco|irregular|peculado",
    "Plataforma y canales digitales": r"p[aá]gina|plataforma|\bweb\b|\bapp\b|aplicaci|enlace|"
                                      r"\blink\b|correo|portal",
    "Reasentamiento y titulación": r"reasentamient|titulaci|escritura|arriendo|relocaliz",
}

_TOPIC_RES = {name: re.compile(rx) for name, rx in TOPICS.items()}
CORRUPTION_RE = _TOPIC_RES["Corrupción e irregularidades"]


def topics_of(text: str | None) -> list[str]:
    """Topic names whose keywords appear in the text (possibly none)."""
    if not text:
        return []
    low = text.lower()
    return [name for name, rx in _TOPIC_RES.items() if rx.search(low)]


def topic_flags(texts, *, name_prefix: str = ""):
    """A boolean DataFrame (one column per topic) for a pandas Series of texts."""
    import pandas as pd

    codes, uniques = pd.factorize(texts.fillna("").astype(str))
    # Repeated texts (copies, campaigns, spam) are matched once, then spread back by code.
    low = pd.Series(uniques, dtype=object).str.lower()
    return pd.DataFrame({f"{name_prefix}{name}": low.str.contains(rx, regex=True)
                         .to_numpy(dtype=bool)[codes] if len(codes) else
                         pd.Series([], dtype=bool).to_numpy()
                         for name, rx in TOPICS.items()}, index=texts.index)
