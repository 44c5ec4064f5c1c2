"""Cue lexicons shared by the sentiment analyzer and the PQRS screener.

Why one module: a service failure told without complaint words ("otro retraso de una hora",
"me cancelaron y nadie responde"), spam ("ganancias garantizadas... t.me/..."), courtesy
formulas ("buenas tardes", "Dios los bendiga") and sarcasm ("gracias por nada") change both the
sentiment of a message and whether it is a PQRS. Keeping one vocabulary means a phrase taught
to one classifier is known to the other.

Every pattern runs on ``normalise(text)``: lower-case, accents stripped (ñ -> n), ¿¡ dropped,
runs of 3+ equal letters collapsed ("nooo" -> "no"), links replaced by `` urlx ``. This is the
same contract as ``pulso.classify.pqrs.normalise``, so the screener can use these patterns on
the text it already normalised.

Speed: each class also has a *trigger* regex over single folded tokens (accents stripped, ñ
kept or not). A caller that already tokenises (the sentiment analyzer caches per token) runs
the class regex only when some token triggers it; most messages trigger nothing.

Sections below: SENTIMENT-SHARED (failure, spam, sarcasm, courtesy, wish, request), owned with
the sentiment analyzer; screener additions go in their own section at the end of the file.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

# --------------------------------------------------------------------------------------------
# Normalisation (same contract as pqrs.normalise)
# --------------------------------------------------------------------------------------------


def _build_translation() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in range(0xC0, 0x250):
        ch = chr(cp)
        base = unicodedata.normalize("NFKD", ch)[0]
        if base != ch and base.isascii():
            table[cp] = base.lower()
    for ch in "¿¡":
        table[ord(ch)] = " "
    table[ord("\u2019")] = "'"
    return table


_TRANSLATION = _build_translation()
_RUNS = re.compile(r"([a-z])\1{2,}")
_TRIPLES = tuple(c * 3 for c in "abcdefghijklmnopqrstuvwxyz")
# "Some letter three times in a row" (= any of _TRIPLES in t): one search, no substitution.
_TRIPLE = re.compile(r"([a-z])\1\1")
_URL = re.compile(r"(?:https?://|www\.)\S+|\b[a-z0-9-]+\.(?:com|co|ly|me|net|org)/\S*")
# Symbols that are cues themselves (kept after normalisation): rolling eyes, clown.
KEPT_SYMBOLS = "\U0001f644\U0001f921"


def _has_kept(t: str) -> bool:
    """Any kept symbol in t: two substring tests, cheaper than the generator when (almost
    always) there is none."""
    return "\U0001f644" in t or "\U0001f921" in t


def normalise(text: str, runs: bool = True) -> str:
    """Lower-case, strip accents (ñ -> n), collapse 'nooo' -> 'no', mark links as ' urlx '.

    `runs=False` skips the collapsing, for a caller that already knows no letter is tripled.
    """
    t = text.lower()
    if not t.isascii():
        # The table folds every Latin-1/Latin Extended letter; what is left (emoji, dashes,
        # quotes) is dropped, except the symbols that are cues themselves.
        keep = "".join(ch for ch in KEPT_SYMBOLS if ch in t) if _has_kept(t) else ""
        # NFKD splits accented letters (ñ -> n + tilde); ASCII encoding drops the marks, emoji
        # and other symbols. About 15x faster than a per-character translation table.
        t = unicodedata.normalize("NFKD", t).encode("ascii", "ignore").decode("ascii")
        if keep:
            t = f"{t} {' '.join(keep)}"
    if "://" in t or "www." in t or ".ly/" in t or ".me/" in t:
        t = _URL.sub(" urlx ", t)
    # Most texts have no tripled letter: a search is about twice as fast as the substitution
    # (and than 26 substring tests), and only the rare texts that have one pay for `sub`.
    if runs and _TRIPLE.search(t) is not None:
        t = _RUNS.sub(r"\1", t)
    return t


def normalise_many(texts: list[str]) -> list[str]:
    """`[normalise(t) for t in texts]`, for a batch: the test for a tripled letter runs once
    over all the texts (numpy) instead of one regex search per text."""
    out = [normalise(t, runs=False) for t in texts]
    if len(out) < 64:  # numpy's fixed cost is not worth it
        return [_RUNS.sub(r"\1", t) if _TRIPLE.search(t) else t for t in out]
    for i in _tripled(out):
        out[i] = _RUNS.sub(r"\1", out[i])
    return out


def _tripled(texts: list[str]) -> list[int]:
    """Indices of the texts where some letter a-z comes three times in a row."""
    import numpy as np

    # One byte per character ("?" for any non-ASCII one, never a letter); the separator is not
    # a letter either, so no run spans two texts.
    b = np.frombuffer("\n".join(texts).encode("ascii", "replace"), dtype=np.uint8)
    same = b[1:] == b[:-1]
    at = np.flatnonzero((b[:-2] >= 97) & (b[:-2] <= 122) & same[:-1] & same[1:])
    if not at.size:
        return []
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) + 1
    starts = np.cumsum(lengths) - lengths
    return np.unique(np.searchsorted(starts, at, side="right") - 1).tolist()


# --------------------------------------------------------------------------------------------
# SENTIMENT-SHARED cues. Each class: named patterns (name, regex on normalised text) and a
# trigger regex that must match at least one token of any text the class can match.
# --------------------------------------------------------------------------------------------

# Amounts and time units in narratives ("llevo 3 semanas", "una hora de retraso").
N = (
    r"(?:\d+|un|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|quince|veinte"
    r"|treinta|media|varios|varias|muchos|muchas|mas de \w+|casi \w+)"
)
T = r"(?:minutos?|mins?|horas?|hrs?|dias?|semanas?|mes|meses|anos?)"

# (3) Service failures told as a narrative, without complaint words.
FAILURE: tuple[tuple[str, str], ...] = (
    ("delay",
     rf"\b(?:otr[oa]|nuev[oa]|siempre|de nuevo) (?:retraso|demora|atraso)"
     rf"|\b(?:retraso|demora|atraso)s? (?:de |mas de )?{N} {T}\b"
     rf"|\b{N} {T} (?:de )?(?:retraso|demora|atraso|tarde|en (?:la )?fila|en espera|esperando|haciendo fila)"
     rf"|\b(?:lleg\w+|sali\w*|vino|vinieron|paso|pasaron) (?:con )?{N} {T} tarde"
     rf"|\b(?:retrasad|demorad|atrasad)[oa]s? (?:otra vez|de nuevo|\w+ {T})"),
    ("broken",
     r"\bno (?:me |nos |le |les |te |lo |la )?(?:\w+ )?(?:sirve|sirven|sirvio|funciona|funcionan|funciono"
     r"|carga|cargan|abre|abren|prende|prenden|conecta|deja|dejan|llega|llegan|llego|llegaron"
     r"|sale|salio|responde|responden|respondio|contesta|contestan|contesto|atiende|atienden|atendio"
     r"|resuelve|resuelven|soluciona|solucionan|devuelve|devuelven|devolvieron|arreglan|arreglaron"
     r"|pasa el|pasan los|recogen|cumplen|cumplieron)\b"
     r"|\b(?:sale|me sale|aparece|da|me da|salta) (?:un |el )?error\b"
     r"|\bse (?:cayo|cae|cayeron|fue|va|daño|dano|bloqueo|bloquea|colgo) (?:el|la|los|las|otra vez|de nuevo)"
     r" ?(?:sistema|servicio|pagina|app|aplicacion|plataforma|luz|agua|internet|senal|red|linea|energia)?\b"
     r"|\b(?:sistema|servicio|pagina|app|aplicacion|plataforma|internet|senal|red) (?:caid|colapsad|lentisim)\w*"),
    ("no_answer",
     r"\bno (?:me |nos |le |les )?(?:han|ha|hemos|he) (?:\w+ )?(?:respondido|contestado|devuelto|solucionado"
     r"|resuelto|llegado|pagado|llamado|dado|entregado|recibido|arreglado|enviado|atendido|cumplido"
     r"|vuelto a (?:llamar|escribir|contactar))\b"
     r"|\bno (?:me |nos |le |les )?volvieron a (?:llamar|contactar|escribir|llegar)"
     r"|\bnadie (?:me |nos |le |les )?(?:responde|contesta|atiende|da razon|dice nada|soluciona|resuelve"
     r"|ayuda|llama|viene|vino|llego|aparece|hace nada|da la cara)"
     r"|\bsin (?:respuesta|solucion|servicio|senal|agua|luz|energia|internet|gas|linea)\b"
     r"|\bnunca (?:me |nos |le |les )?(?:responden|contestan|respondieron|contestaron|llega|llego|llegaron"
     r"|llaman|llamaron|vinieron|vino|solucionan|solucionaron|devolvieron)\b"
     r"|\bni (?:me |nos )?(?:responden|contestan|llaman|atienden)\b"),
    ("cancelled",
     r"\b(?:me|nos|le|les) (?:cancelaron|cancelo|cerraron|bloquearon|bloqueo|cortaron|corto|suspendieron"
     r"|suspendio|quitaron|nego|negaron|rechazaron|rechazo|robaron|estafaron|enganaron|devolvieron"
     r"|dejaron (?:esperando|plantad\w+|botad\w+|tirad\w+)|cobraron (?:doble|dos veces|de mas))\b"
     r"|\b(?:vuelo|cita|pedido|servicio|tarjeta|cuenta|pago|envio|orden|reserva)s? (?:fue |ha sido |esta )?"
     r"(?:cancelad|suspendid|bloquead|rechazad|perdid|retrasad|demorad)\w*"
     r"|\bcobr\w+ (?:doble|dos veces|de mas)\b"),
    ("waiting",
     rf"\bllev(?:o|amos|a|an) (?:ya )?(?:mas de |casi )?{N} {T}"
     r"|\bllev(?:o|amos) (?:toda la|todo el) (?:manana|tarde|dia|semana|mes|ano)"
     r"|\b(?:sigo|seguimos|estoy|estamos|sigue|siguen|continuo|continuamos) (?:esperando|sin)\b"
     rf"|\bya van {N} {T}"
     rf"|\b(?:hace|desde hace) (?:mas de )?{N} {T} (?:que |y )?(?:no\b|nada|sin|esperando|espero)"),
    ("outage_again",
     r"\b(?:otra vez|de nuevo|nuevamente|siempre|por enesima vez) (?:sin|se (?:cayo|cae|fue|va))\b"),
)
# Trigger tokens: each failure pattern needs one of these words (verbs of the failure, the
# missing service, the waiting); very common words ("sin", "otra", "hace") are left out on
# purpose, so a few rare phrasings are only found with another trigger word present.
FAILURE_TRIGGER = (
    r"retras|demor|atras|sirv|funcion|carga$|cargan$|abre$|abren$|prend|conect|deja$|dejan$"
    r"|llega$|llegan$|llego$|llegaron$|llegado$|llegar$|sale$|salio$|salta$|respond|contesta$|contestan$"
    r"|contesto$|contestado$|contestaron$|atiend|atendi|resuelv|soluciona|devuel|devolv|arregl|pasan$"
    r"|recog|cumpl|error|cay|cae$|dano$|daño$|bloque|colg|colaps|lentisim|nadie|nunca|cancel"
    r"|cerraron|cortaron|corto$|suspend|quitaron|nego$|negaron|rechaz|robaron|estaf|engan|dejaron"
    r"|cobraron|cobrado|cobro$|perdid|lleva|llevo|sigo$|seguimos$|sigue$|siguen$|continuo$"
    r"|continuamos$|esperando|respuesta$|solucion$|senal$|señal$|luz$|energia$|internet$|gas$"
)

# (4) Spam: money promises need nothing else; weak signals need two (or one plus a link).
SPAM_STRONG: tuple[tuple[str, str], ...] = (
    ("money_promise",
     r"\bgan(?:a|ar|as|e|es|o|aras|an) (?:hasta |mas de |desde )?(?:dinero|plata|dolares|usd|\$ ?\d|\d+ ?(?:usd|dolares|mil|k|\$))"
     r"|\b(?:dinero|plata|ingresos?) (?:\w+ )?(?:desde (?:tu |su |la comodidad de (?:tu|su) )?casa|facil y rapido)"
     r"|\btrabaj\w+ desde (?:tu |su )?casa|\bganancias (?:garantizad|asegurad|diari|semanal|segur|de hasta)\w*"
     r"|\binversion (?:garantizad|segur|minima)\w*|\bmultiplica (?:tu|su) (?:dinero|inversion|capital)"
     r"|\bingresos? (?:pasivos?|extra)\b|\boportunidad de negocio|\b(?:seguidores|likes) reales"
     r"|\b(?:compra|vendo|venta de) seguidores|\bprestamos? (?:rapidos?|inmediatos?|sin (?:codeudor|fiador|papeleo))"
     r"|\bopciones binarias|\bsenales de trading|\brentabilidad (?:garantizad|diari|del \d)\w*"),
)
SPAM_WEAK: tuple[tuple[str, str], ...] = (
    ("crypto", r"\b(?:trading|trader|forex|bitcoin|btc|usdt|binance|cripto\w*|criptomoneda\w*|ethereum)\b"),
    ("contact_me",
     r"\b(?:escribeme|escribenos|contactame|contactanos) (?:al|por) (?:dm|privado|interno|whatsapp|wsp|telegram)"
     r"|\b(?:link|enlace) en (?:mi |la )?(?:bio|perfil)|\btelegram\b|\bt\.me\b|\bwa\.me\b|\bunete (?:a|al) (?:mi|nuestro)"),
    ("invest", r"\b(?:invierte|invertir|inversion|ganancias|gana|ganar|rentabilidad|dolares)\b"),
    ("link", r"\burlx\b"),
)
SPAM_TRIGGER = (
    r"dinero$|plata$|ingresos?$|inversion|invierte|multiplica|oportunidad|seguidores|likes|prestamos?$"
    r"|binarias|trading|trader|senales|señales|rentabilidad|forex|bitcoin|btc|usdt|binance|cripto"
    r"|ethereum|escribeme|escribenos|contactame|contactanos|link|enlace|telegram|unete|dolares|ganancias"
    r"|\$"
)

# (4) Sarcasm: praise or thanks that mean the opposite.
SARCASM: tuple[tuple[str, str], ...] = (
    ("thanks_for_nothing",
     r"\bgracias (?:por|x) (?:nada|no (?:\w+ )?(?:responder|contestar|hacer nada|solucionar|llegar|venir))"
     r"|\bgracias por (?:dejarnos|dejarme) (?:sin|esperando|plantad)"),
    ("praise_then_failure",
     r"\bque (?:maravilla|eficiencia|rapidez|belleza|lujo|bien|genial|bonito|chimba|alegria|buen servicio)"
     r"\b[\s,.!…]+(?:otra vez|de nuevo|nuevamente|ya van|llevo|sin \w+|no (?:hay|sirve|funciona|llega))"
     r"|\b(?:excelente|buenisim[oa]|maravillos[oa]|espectacular|genial|increible|gran|super) (?:servicio|atencion)"
     r"[\s,.!…]+(?:\.\.\.|…)? ?(?:llevo|llevamos|otra vez|ya van|\d+ (?:horas|dias|semanas)|nadie|sin \w+|no (?:sirve|funciona|llega|responden))"
     r"|\b(?:bravo|felicitaciones|aplausos|excelente|genial)\b[^.?!]{0,40}(?:otra vez sin|de nuevo sin|no sirve|no funciona|llevo \w+ (?:horas|dias|semanas))"),
    ("eye_roll", r"\b(?:excelente|genial|gracias|bravo|felicitaciones|muy eficientes?|que bien|buen servicio)\b[^\n]{0,60}[\U0001f644\U0001f921]"),
)
SARCASM_TRIGGER = (
    r"gracias|maravilla|eficien|rapidez|belleza|lujo|bien|genial|bonito|chimba|alegria|excelente"
    r"|buenisim|maravillos|espectacular|increible|gran|super|bravo|felicitaciones|aplausos|servicio"
)
# Sarcasm also needs the other half: a failure trigger or one of these words.
SARCASM_OTHER_TRIGGER = r"nada$|dejarnos$|dejarme$|otra$|llevo$|llevamos$|van$|nadie$"

# A wish that the good thing goes on or comes back is praise, not dissatisfaction.
_CONTINUE = (
    r"[^.;!?]{0,50}\b(?:volv\w*|vuelv\w*|regres\w*|sig[au]\w*|segu\w*|continu\w*|repit\w*|otra vez"
    r"|de nuevo|nuevamente|mas seguido|seguido|siempre|pronto|cada vez|dur[ea]\w*|qued[ea]\w*"
    r"|(?:no|nunca) (?:se )?(?:acab|vay|fuer|termin|olvid|fall)\w*)"
)

# (4) Unmet wishes and suggestions: mild dissatisfaction ("me gustaría que hubiera más...").
WISH: tuple[tuple[str, str], ...] = (
    ("wish_that",
     r"\b(?:me gustaria|nos gustaria|quisiera|quisieramos|quiero|queremos|deseo|deseamos|ojala"
     r")(?<!no me gustaria)(?<!no nos gustaria)(?<!no quisiera)(?<!no quiero)(?<!no queremos)"
     r" (?:que|q) (?!(?:me |nos |le |les |\w+ ){0,2}(?:sigan|continuen|sigamos|siga|continue"
     r"|vuelvan|regresen|vengan|ayuden|ayude|informen|llamen|digan|expliquen|colaboren|respondan)\b)"
     # ...nor a wish that the good thing continues or comes back ("quisiera que volvieran").
     rf"(?!{_CONTINUE})"),
    ("suggestion",
     rf"\b(?:sugiero|sugerimos|recomiendo|recomendamos) (?:que )?(?!{_CONTINUE})"
     r"|\bqueja(?<!no tengo queja)(?<!no tenemos queja)(?<!nada de queja)(?<!ninguna queja)"
     r"(?<!sin queja)(?<!cero queja)(?<!ni una queja)(?<!no hay queja)(?<!no tengo ninguna queja)s?\b|\b(?:le )?(?:quitaria|agregaria|cambiaria|pondria|mejoraria)\b"
     r"|\b(?:sugerencia|sugerir|recomendacion|recomendaria|mi queja|me quejo(?<!no me quejo)|quejarme"
     r"|inconform\w*|insatisfech\w*|descontent\w*|incomod\w*|inconveniente con)\b"
     r"|\b(?:seria|sera) (?:bueno|mejor|importante|ideal|chevere|bien|bonito|genial|interesante) (?:que|q|si|tener|hacer|poner|incluir)\b"
     r"|\bdeberian\b|\bdeben (?:dar|darles|darnos|tener|poner|hacer|mejorar|traer|incluir)\b"
     r"|\bhace(?:n)? falta\b|\bfalta(?:n|ria)? (?:mas|un|una|de|algo)\b"
     r"|\b(?:necesitamos|se necesita|necesitan|necesitariamos) (?:mas|mejor|otro|otra|un poco mas|que)\b"
     # (after "me gustaria/quiero que" the wish_that rule decides, negation included)
     r"|\bque(?<!gustaria que)(?<!quisiera que)(?<!quiero que)(?<!queremos que)"
     r" (?:mejoren|cambien|aumenten|amplien|agreguen) "
     r"|\b(?:para|a|pueden|puede|podrian|deben|debe|hay que) mejorar\b|\bmejorarian?\b"
     rf"|\bfalta(?<!sin falta)(?:n|ria|rian|ba|ban)?\b(?! (?:poco|{N}) {T})|\bhace (?:mucho |mucha |demasiado )?(?:calor|frio)\b"),
    # A bare wish opening a sentence: "que traigan frutas", "que no den huevo".
    ("wish_bare",
     r"\bque(?:(?<=^que)|(?<=^ que)|(?<=[.,;:!?]que)|(?<=[.,;:!?] que)|(?<=\by que)) (?:no )?(?:nos |les |me |le |se |lo |la )?"
     r"(?!sigan|vuelvan|continuen|regresen|tienen|tambien|quien|vienen|estan|pasen|disfruten|vayan|acaben)"
     # ...nor a good wish for the reader ("que descansen", "que tengan un lindo dia", "que se
     # mejoren pronto"): a blessing, not a wish for the service to change.
     r"(?!(?:descansen|tengan|duerman|diviertan|gocen|cuiden|suenen|cumplan)\b)"
     r"(?!(?<=se )(?:mejoren|recuperen)\b)"
     rf"[a-z]{{2,}}(?:an|en)\b(?! (?:de|que)\b)(?!{_CONTINUE})"),
    # Wanting something one lacks: "quiero una muneca", "queremos otro refrigerio".
    ("want_thing",
     r"\b(?:quiero|queremos|quisiera|quisieramos|necesito|necesitamos) (?:un|una|unos|unas|mas|otro|otra|otros|otras)\b"
     r"|\b(?:quiero|queremos)(?<!te quiero)(?<!lo quiero)(?<!la quiero)(?<!los quiero)(?<!las quiero)"
     r"(?<!les quiero)(?<!los queremos)(?<!las queremos)(?<!te queremos) "
     r"(?!(?:que|q|a|al|de|en|mucho|tanto|mas|saber|ser|estar|agradecer|felicitar|dar|decir|conocer)\b)"
     r"(?![a-z]+(?:ar|er|ir)(?:lo|la|los|las|le|les|me|nos|te)?\b)[a-z]{3,}(?! (?:que|q)\b)"
     rf"(?!{_CONTINUE})"
     r"|\b(?:me|nos) gustaria(?<!no me gustaria)(?<!no nos gustaria) (?!que\b)(?!(?:\w+ ){0,2}(?:seguir|volver|continuar|regresar|participar|venir)\b)"
     rf"(?!{_CONTINUE})"),
    # A wish asked politely or as a plea: "por favor que traigan meriendas", "les pido que
    # pongan ventiladores" (not "les pido que sigan": the good thing going on is praise).
    ("wish_please",
     r"\b(?:por ?favor|porfa|favor|les pido|le pido|les pedimos|pedimos|les rogamos|ruego)"
     r" (?:que|q) (?!(?:me |nos |le |les |\w+ ){0,2}(?:sigan|continuen|sigamos|siga|continue"
     r"|vuelvan|regresen|vengan)\b)"
     rf"(?!{_CONTINUE})"),
)
# Wanting something ("quiero una muneca", "necesito un certificado") is mostly a request or a
# personal desire, not dissatisfaction with a service: the sentiment analyzer weighs a wish that
# only this pattern finds less (see CueHits.wish_strong).
WANT_ONLY = ("want_thing",)
# ("que" opening a sentence, for "wish_bare", is found by the caller: see token_mask.)
WISH_TRIGGER = (
    r"gustaria|quisiera|quisieramos|quiero|queremos|deseo|deseamos|sugeren"
    r"|sugier|sugerimos|sugerir|recomiend|recomendaci|recomendaria|queja|quejo|quejarme|inconform"
    r"|insatisf|descontent|incomod|inconveniente|seria$|deberian|deben|falta|necesit|mejoren"
    r"|cambien|aumenten|amplien|agreguen|mejorar|quitaria|agregaria|cambiaria|pondria|calor|frio$"
    r"|favor$|porfavor$|porfa$|pido$|pedimos$|rogamos$|ruego$"
)

# Requests (a courtesy formula around a request is a wrapper, not praise).
REQUEST: tuple[tuple[str, str], ...] = (
    ("request",
     r"\?|\bpor ?favor\b|\bporfa\b|\bplis\b|\bplease\b"
     r"|\b(?:quisiera|quiero|queria|necesito|necesitamos|deseo|deseaba|quisieramos) (?:saber|conocer|informacion"
     r"|preguntar|consultar|solicitar|pedir|que|una|un|ayuda|el|la|los|las|mas|cambiar|actualizar|inscribir\w*)\b"
     r"|\b(?:me|nos) (?:pueden|podrian|puede|podria|podrias) (?:informar|indicar|decir|ayudar|colaborar|explicar"
     r"|enviar|dar|llamar|confirmar|regalar)\b"
     r"|\bsolicit(?:o|amos|ar|ud|e|en)\b|\bpid(?:o|emos)\b|\brequiero\b|\bme colaboran\b|\bayudenme\b"
     r"|\bcomo (?:hago|puedo|se hace|saco|me inscribo|hacemos)\b|\bdonde (?:puedo|queda|me)\b"
     r"|\bcuando (?:van|me|nos|llega|pagan|sale|abren)\b|\b(?:llamo|escribo|me comunico) (?:para|porque|por)\b"
     r"|\bles escribo\b|\bmi (?:nombre|numero|cedula|documento) es\b|\bagradeceria\b"),
)
REQUEST_TRIGGER = (
    r"\?|por|favor|porfavor|porfa|plis|please|quisiera|quiero|queria|necesito|necesitamos|deseo|deseaba"
    r"|quisieramos|pueden|podrian|puede|podria|podrias|solicit|pido|pedimos|requiero|colaboran|ayudenme"
    r"|como|donde|cuando|llamo|escribo|comunico|nombre|numero|cedula|documento|agradeceria"
)

# Courtesy formulas, in the sentiment analyzer's folded form (accents stripped). Positive in
# the lexicon; a wrapper, not a stance, when the message carries a request or a complaint.
COURTESY_TERMS: tuple[str, ...] = (
    # greetings and wishes
    "hola", "buenas", "buenos dias", "buen dia", "buenas tardes", "buenas noches", "saludos",
    "cordial saludo", "un saludo", "cordialmente", "feliz dia", "feliz tarde", "feliz noche",
    "feliz fin de semana", "feliz semana", "que tenga buen dia", "que tengan buen dia",
    "bienvenidos", "estimados", "estimado", "estimada", "apreciados", "respetados",
    # blessings
    "bendiga", "bendigan", "bendiciones", "bendicion", "dios los bendiga", "dios les bendiga",
    "dios te bendiga", "dios le bendiga", "que dios los bendiga", "dios les pague",
    "dios le pague", "bendecido", "bendecida", "bendecidos",
    # thanks as a formula ("gracias por el apoyo", "agradecida con..." are praise, not formulas)
    "gracias", "muchas gracias", "mil gracias", "muchisimas gracias", "gracias de antemano",
    "de antemano gracias", "agradeceria", "agradezco de antemano", "quedo atento",
    "quedo atenta", "muy amable", "amablemente", "atentamente", "gentilmente",
    "gracias por su atencion", "gracias por la atencion", "gracias por su colaboracion",
    "agradezco", "agradecemos", "agradeceriamos", "gracias por su tiempo", "gracias por su respuesta", "gracias por la respuesta",
    "gracias por su ayuda", "gracias por la ayuda", "gracias por su comprension",
    "muchas gracias por su atencion", "muchas gracias por su colaboracion",
    "muchas gracias por su ayuda", "mil gracias por su ayuda",
    # please
    "por favor", "porfa", "porfavor", "plis", "please",
)
# Goods a request asks for ("necesito ayuda", "que nos apoyen"): positive words in the lexicon
# that say nothing about satisfaction when they are the object of a request or a wish.
ASKED_TERMS: tuple[str, ...] = (
    "ayuda", "ayudas", "ayudar", "ayuden", "ayude", "ayudeme", "ayudenme", "ayudarme",
    "ayudarnos", "ayudennos", "apoyo", "apoyos", "apoyar", "apoyen", "apoye", "apoyarnos",
    "apoyarme", "colaboracion", "colaborar", "colaboren", "colaborarme", "colaborarnos",
    "beneficio", "beneficios", "mejorar", "mejoren", "mejore", "quiero", "queremos",
    "quisiera", "quisieramos", "solucion", "solucionar", "solucionen", "respuesta",
)
COURTESY = (
    ("courtesy",
     r"\b(?:" + "|".join(sorted({re.escape(t) for t in COURTESY_TERMS}, key=len, reverse=True)) + r")\b"),
)

# --------------------------------------------------------------------------------------------
# Compiled forms and the public helpers
# --------------------------------------------------------------------------------------------


def _compile(patterns: tuple[tuple[str, str], ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{rx})" for _, rx in patterns))


def _compile_named(patterns: tuple[tuple[str, str], ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?P<{name}>{rx})" for name, rx in patterns))


def _compile_fast(
    patterns: tuple[tuple[str, str], ...], dispatch: bool = True,
) -> re.Pattern[str]:
    """The same patterns behind one consumed non-alphanumeric character, searched on ' ' + t.

    Every cue starts at a word start; a leading character class lets the regex engine skip
    straight to the characters after a space or punctuation instead of trying the whole
    alternation at every position (5-20x faster; the leading \\b then always holds).

    `dispatch` also groups the alternatives by their first letter (see _dispatch), so at a
    word start the engine compares one character per group instead of entering every
    alternative: about 2x faster again. Only for yes/no use: whether a text matches is the
    same, which alternative (so the match's end) may differ.
    """
    alts = [a[2:] if a.startswith("\\b") else a for _, rx in patterns for a in split_top(rx)]
    if dispatch:
        spread: list[str] = []
        for a in alts:
            _heads(a, spread)
        return re.compile("[^a-z0-9](?:" + _dispatch(spread) + ")")
    return re.compile("[^a-z0-9](?:" + "|".join(alts) + ")")


_QUANTIFIERS = "?*+{"


def _structure(rx: str, start: int = 0) -> Iterator[tuple[int, str, int]]:
    """(index, character, group depth before it) of each `(`, `)` and `|` of `rx` from `start`
    that is syntax: escapes and character classes are skipped. The one scanner `_group_end`
    and `split_top` read."""
    depth, in_class, i = 0, False, start
    while i < len(rx):
        c = rx[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            if rx[i + 1 : i + 2] == "]":  # "[]..." : a literal ] opens the class
                i += 1
        elif c in "()|":
            yield i, c, depth
            depth += (c == "(") - (c == ")")
        i += 1


def _group_end(rx: str, i: int) -> int:
    """Index of the ')' closing the group that opens at rx[i]."""
    for j, c, depth in _structure(rx, i):
        if c == ")" and depth == 1:
            return j
    raise ValueError(f"unbalanced group in {rx!r}")


def _heads(alt: str, out: list[str]) -> None:
    """Append to `out` alternatives whose union is `alt`, with a leading non-capturing group
    spread out ("(?:a|b)c" -> "ac", "bc"; "(?:a)?c" -> "ac", "c") so that most start with a
    plain letter. Yes/no only: a union matches somewhere whatever the order of its parts."""
    if alt.startswith("(?:"):
        end = _group_end(alt, 0)
        inner, after = alt[3:end], alt[end + 1 :]
        if after[:1] == "?" and after[1:2] not in ("?", "+"):
            _spread(split_top(inner), after[1:], out)
            _heads(after[1:], out)
            return
        if after[:1] == "" or after[:1] not in _QUANTIFIERS:
            _spread(split_top(inner), after, out)
            return
    out.append(alt)


def _spread(inner: list[str], after: str, out: list[str]) -> None:
    """The alternatives of "(?:inner...)after": those of the inner ones that start with the
    same plain letter share one copy of `after` ("c(?:x|y)after"), which keeps the compiled
    pattern (and the compile time at import) small."""
    by_letter: dict[str, list[str]] = {}
    for a in inner:
        c = a[:1]
        if (c == " " or "a" <= c <= "z") and a[1:2] not in _QUANTIFIERS:
            by_letter.setdefault(c, []).append(a[1:])
        else:
            _heads(a + after, out)
    for c, rests in by_letter.items():
        out.append(f"{c}{rests[0]}{after}" if len(rests) == 1
                   else f"{c}(?:{'|'.join(rests)}){after}")


def _dispatch(alts: list[str], depth: int = 1) -> str:
    """One regex for the union of `alts`: those that start with a plain lower-case letter or
    a space (not quantified) are grouped under it, "c(?:...)", `depth` levels deep (a second
    level was no faster and doubles the compile time at import).

    Why: Python's regex engine skips an alternative whose first item is a literal that does
    not match with one comparison, but enters every other one (a group, a lookaround).
    """
    groups: dict[str, list[str]] = {}
    other: list[str] = []
    for a in alts:
        c = a[:1]
        if depth and (c == " " or "a" <= c <= "z") and a[1:2] not in _QUANTIFIERS:
            groups.setdefault(c, []).append(a[1:])
        else:
            other.append(a)
    parts = []
    for c, rests in groups.items():
        spread: list[str] = []
        for r in rests:
            _heads(r, spread)
        parts.append(f"{c}(?:{_dispatch(spread, depth - 1)})")
    return "|".join(parts + other)


def split_top(rx: str) -> list[str]:
    """Split a regex on its top-level `|` (outside groups and character classes)."""
    cuts = [i for i, c, depth in _structure(rx) if c == "|" and depth == 0]
    return [rx[a + 1 : b] for a, b in zip([-1, *cuts], [*cuts, len(rx)], strict=True)]


# Plain compiled forms (for callers with their own scanning, e.g. the screener)...
FAILURE_RE = _compile(FAILURE)
SPAM_STRONG_RE = _compile(SPAM_STRONG)
SARCASM_RE = _compile(SARCASM)
WISH_RE = _compile(WISH)
REQUEST_RE = _compile(REQUEST)
COURTESY_RE = _compile(COURTESY)
# ...and the fast ones, used on " " + normalised text.
_REQUEST_WORDS = tuple((n, rx.replace("\\?|", "", 1)) for n, rx in REQUEST)
_FAILURE_FAST = _compile_fast(FAILURE)
_SPAM_FAST = _compile_fast(SPAM_STRONG)
_SARCASM_FAST = _compile_fast(SARCASM)
_REQUEST_FAST = _compile_fast(_REQUEST_WORDS)
_COURTESY_FAST = _compile_fast(COURTESY)
_SPAM_WEAK_FAST = tuple((name, _compile_fast(((name, rx),))) for name, rx in SPAM_WEAK)
# The wish class in two parts, so one pass tells a wish for change from plain wanting.
_WISH_STRONG_FAST = _compile_fast(tuple(p for p in WISH if p[0] not in WANT_ONLY))
_WANT_FAST = _compile_fast(tuple(p for p in WISH if p[0] in WANT_ONLY))
# Any wish, and any spam signal, in one scan: most texts have none, and only those that do
# need the scans that tell the kinds apart.
_WISH_FAST = _compile_fast(WISH)
_SPAM_ANY_FAST = _compile_fast(SPAM_STRONG + SPAM_WEAK)
_NAMED = {
    "failure": _compile_named(FAILURE),
    "sarcasm": _compile_named(SARCASM),
    "wish": _compile_named(WISH),
}

# Cue classes as bits (the sentiment analyzer keeps a mask per cached token).
FAILURE_BIT, SPAM_BIT, SARCASM_BIT, WISH_BIT, REQUEST_BIT = 1 << 1, 1 << 2, 1 << 3, 1 << 4, 1 << 5
COURTESY_BIT = 1 << 6
SARCASM_OTHER_BIT = 1 << 7  # the second half a sarcasm pattern needs (see find_cues)
ALL_BITS = (
    FAILURE_BIT | SPAM_BIT | SARCASM_BIT | WISH_BIT | REQUEST_BIT | COURTESY_BIT | SARCASM_OTHER_BIT
)
_TRIGGERS = (
    (SARCASM_OTHER_BIT, re.compile(rf"^(?:{SARCASM_OTHER_TRIGGER})")),
    (FAILURE_BIT, re.compile(rf"^(?:{FAILURE_TRIGGER})")),
    (SPAM_BIT, re.compile(rf"^(?:{SPAM_TRIGGER})")),
    (SARCASM_BIT, re.compile(rf"^(?:{SARCASM_TRIGGER})")),
    (WISH_BIT, re.compile(rf"^(?:{WISH_TRIGGER})")),
    (REQUEST_BIT, re.compile(rf"^(?:{REQUEST_TRIGGER})")),
)




def _any_trigger() -> re.Pattern[str]:
    """Whether some trigger matches at a token's start (for `match` only): the alternatives of
    every trigger grouped by first letters (_dispatch), ~2.5x faster than their plain union."""
    spread: list[str] = []
    for rx in (SARCASM_OTHER_TRIGGER, FAILURE_TRIGGER, SPAM_TRIGGER, SARCASM_TRIGGER, WISH_TRIGGER,
               REQUEST_TRIGGER):
        for a in split_top(rx):
            _heads(a, spread)
    return re.compile(_dispatch(spread, depth=2))


_ANY_TRIGGER = _any_trigger()


def token_mask(token: str) -> int:
    """Bits of the cue classes a folded token can take part in (0 for most words)."""
    if _ANY_TRIGGER.match(token) is None:  # one regex call for the common case
        return 0
    mask = 0
    for bit, rx in _TRIGGERS:
        if rx.match(token):
            mask |= bit
    return mask


def is_spam(t: str) -> bool:
    """Spam on normalised text: a money promise, or two kinds of weak signal (crypto + link...)."""
    return _is_spam(" " + t)


def _is_spam(padded: str) -> bool:
    if _SPAM_ANY_FAST.search(padded) is None:
        return False
    if _SPAM_FAST.search(padded):
        return True
    kinds = 0
    for _name, rx in _SPAM_WEAK_FAST:
        if rx.search(padded):
            kinds += 1
            if kinds >= 2:
                return True
    return False


def has_request(t: str) -> bool:
    """A request (question, "por favor", "quisiera saber"...) in normalised text."""
    return "?" in t or _REQUEST_FAST.search(" " + t) is not None


@dataclass(frozen=True, slots=True)
class CueHits:
    """Which shared cue classes fire on a message."""

    failure: bool = False
    spam: bool = False
    sarcasm: bool = False
    wish: bool = False
    request: bool = False
    courtesy: bool = False
    # A wish found by a pattern other than plain wanting (WANT_ONLY); implies `wish`.
    wish_strong: bool = False


def find_cues(t: str, mask: int = ALL_BITS) -> CueHits:
    """Cue classes on normalised text; `mask` (from token_mask) skips classes nothing triggers.
    One row of `cue_columns`, so the per-text and the batch sentiment read the same rules."""
    return CueHits(*(column[0] for column in cue_columns([t], [mask])))


def cue_columns(texts: list[str], masks: list[int]) -> tuple[list[bool], ...]:
    """The cue classes of each normalised text (`masks` as in find_cues), as columns: one list
    of bools per CueHits field, in field order. Each class's regex runs over the texts whose mask enables it in one loop:
    no call and no CueHits object per text (the regex scans themselves cost the same)."""
    n = len(texts)
    padded = [" " + t for t in texts]
    both = FAILURE_BIT | SARCASM_OTHER_BIT

    def where(bit: int) -> list[int]:
        return [i for i, m in enumerate(masks) if m & bit]

    def column(found: list[int]) -> list[bool]:
        out = [False] * n
        for i in found:
            out[i] = True
        return out

    search = _FAILURE_FAST.search
    failure = column([i for i in where(FAILURE_BIT) if search(padded[i]) is not None])
    spam = column([i for i in where(SPAM_BIT) if _is_spam(padded[i])])
    search = _SARCASM_FAST.search
    sarcasm = column([i for i in where(SARCASM_BIT) if masks[i] & both
                          and search(padded[i]) is not None])
    search = _WISH_FAST.search
    wishing = [i for i in where(WISH_BIT) if search(padded[i]) is not None]
    wish = column(wishing)
    search = _WISH_STRONG_FAST.search
    strong = column([i for i in wishing if search(padded[i]) is not None])
    search = _REQUEST_FAST.search
    request = column([i for i in where(REQUEST_BIT)
                          if "?" in texts[i] or search(padded[i]) is not None])
    search = _COURTESY_FAST.search
    courtesy = column([i for i in where(COURTESY_BIT) if search(padded[i]) is not None])
    return failure, spam, sarcasm, wish, request, courtesy, strong


def cue_names(t: str) -> set[str]:
    """Names of the failure/sarcasm/wish patterns that fire on normalised text (for reasons)."""
    found: set[str] = set()
    for rx in _NAMED.values():
        for m in rx.finditer(t):
            found.add(m.lastgroup)  # type: ignore[arg-type]
    if is_spam(t):
        found.add("spam")
    return found


# --------------------------------------------------------------------------------------------
# SCREENER additions (owned by the PQRS screener; add below this line)
# --------------------------------------------------------------------------------------------
