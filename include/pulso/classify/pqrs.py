"""PQRS screener for Spanish (Colombian) social-media messages.

The decision comes from a linear model over hashed word and character n-grams (model.py,
trained by training.py: the shipped model from the project's own examples, or the entity's
model fitted from its office's decisions when that one is better on the entity's held-out
labels). With the shipped model, where the model gives a message at least RULES_FROM, its
probability is blended with the confidence of the rules below (BLEND_MODEL_WEIGHT), which also
give every candidate its transparent reasons (the cue families that fired) and the consulta
subtype. Every weight and threshold here was chosen on real text (ngo_co/train, TASS), never on
the project's own sets; bench/eval_pqrs.py reports the result on ngo_co/test.

Rules (pqrs-rules-2), kept for reasons: transparent weighted rules: families of regex cues, each with a PQRS type and a weight, are
compiled once into a single alternation with named groups and run over a normalised copy of the
text (lowercase, accents stripped, letter runs collapsed). The per-type sums decide the type;
chatter, spam and post-praise cues pull a message out. Every decision carries the names of the
cue families that fired (`reasons`) so an analyst can see why a message was flagged.

The screener proposes *candidates*: the citizen-service office decides what is filed (T-230 de
2020 obliges entities to assess social-media messages as possible petitions).

Types follow the definitions entities use (see Ley 1755 de 2015 art. 13):
peticion (subtypes informacion 10 days, consulta 30, general 15), queja (conduct of staff),
reclamo (a service that failed or a request left unanswered), sugerencia, denuncia (irregular or
illegal conduct), felicitacion (satisfaction with a service; no legal term).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from pulso.classify.cues import normalise as _cues_normalise
from pulso.classify.cues import normalise_many, split_top
from pulso.classify.model import ALL_CLASSES, FLAG_CLASSES, shipped_model, split_class
from pulso.classify.rounding import round_many

RULES_VERSION = "pqrs-rules-2"

TYPES = ("peticion", "queja", "reclamo", "sugerencia", "denuncia", "felicitacion")
SUBTYPES = ("informacion", "consulta", "general")


@dataclass(frozen=True)
class Screening:
    """Result for one message: the candidate type (None = not a PQRS) and why."""

    pqrs_type: str | None
    pqrs_score: float
    pqrs_subtype: str | None
    reasons: tuple[str, ...]


# --------------------------------------------------------------------------------------------
# Normalisation: one pass of translate + lower, then collapse runs of 3+ equal letters.
# --------------------------------------------------------------------------------------------


# One normalisation for the screener, the shared cues and the model's features (cues.py owns it).
normalise = _cues_normalise


# --------------------------------------------------------------------------------------------
# Cue families: (name, type-or-signal, weight, regex on normalised text).
# Types: the six PQRS types plus sub-signals: "info"/"consulta"/"general" (peticion subtypes),
# "staff" (a person working for the entity), "service" (domain words that make a message about
# the entity's services), "chatter", "spam", "post" (praise of a post, not of a service),
# "rant" (political rant), "sarcasm", "question".
# --------------------------------------------------------------------------------------------

_N = r"(?:\d+|un|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|quince|veinte|varios|varias|muchos|muchas)"
_T = r"(?:minutos|horas|dias|semanas|mes|meses|ano|anos|semestre|semestres)"
_MONTHS = r"(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)"
_DAYS = r"(?:lunes|martes|miercoles|jueves|viernes|sabado|domingo)"

CUES: list[tuple[str, str, float, str]] = [
    # ---- denuncia: irregular or illegal conduct
    ("denuncia_word", "denuncia", 2.2, r"denunci(?:o|ar|amos|a formal|a:)|quiero denunciar|pongo en conocimiento"),
    ("how_to_report", "info", 2.0,
     r"(?:donde|como|a quien|ante quien) (?:puedo |podemos |se puede |debo )?(?:denunciar|poner (?:una|la) denuncia|reportar|hacer (?:el|un) reporte)"),
    ("bribe", "denuncia", 2.4,
     r"mordida|coima|serrucho|soborn\w*|\bpeaje\b por|untad\w+ de mano|seguro les pagaron|por debajo (?:de )?(?:la )?cuerda"
     r"|vista gorda"),
    ("illegal", "denuncia", 2.0,
     r"(?:construccion|construy\w+|edificio|obra|lote)\b[^.]{0,60}sin (?:licencia|permiso)|(?:construccion|obra|tala|mineria|conexion)(?:es)? ilegal\w*"
     r"|ilegalmente|(?:vend\w+|expend\w+|venta de) (?:droga|vicio|drogas)|microtrafico|olla de (?:droga|vicio)"
     r"|se qued(?:o|aron) con (?:los|las|el|la|plata|dinero|parte)|de (?:menor|mala|peor) calidad (?:que|de) (?:la|el|lo)"
     r"|cobr(?:o|aron) [^.]{0,40}(?:complet|tod)\w*"),
    ("oversight", "denuncia", 1.0, r"contraloria|procuraduria|personeria|fiscalia|veeduria"),
    ("charge_for_free", "denuncia", 2.0,
     r"cobr(?:an|o|aron|ando|a) (?:por|para|a los|una cuota|\d)|piden? (?:plata|dinero|\d)|pidiendo (?:plata|dinero)"
     r"|pidieron (?:plata|dinero|\d)|me piden \d|(?:recibe|saca|sacan|reciben) plata|vend(?:e|en|iendo) (?:los|las) (?:cupos|mercados|formularios|ayudas|turnos)"
     r"|\d+ ?(?:mil|millones|palos|barras) para (?:agilizar|que|sacar|meter)|para agilizar|con \d+ ?(?:mil|millones) (?:le|te|se) sale"),
    ("fraud", "denuncia", 2.0,
     r"estaf\w+|se hace(?:n)? pasar por|tramitador\w*|robando|se (?:robaron|roban|llevo los|llevaron los)|lotean\w*|loteando"
     r"|obras que nunca|nunca hicieron|cu[n]ado del|solo a los del partido|si no votaba|por su candidato|a dedo|falsific\w+|desvi\w+ (?:los|la|el) (?:recursos|plata|dinero)"
     r"|contrat\w+ (?:amanad|direccionad)\w*|cuenta personal|tengo (?:audios|videos|pruebas)|(?:es|eso es) un robo|facturaron|sobrecost\w+"
     r"|solo hicieron (?:la mitad|una parte)|vend(?:e|en|iendo) (?:los|las) (?:bonos|subsidios|casas|materiales|cupos|ayudas)"),
    ("free_service", "denuncia", 0.8, r"(?:es|son|era|eran|deberian ser) gratis|(?:tramite|servicio) gratuito|eran gratuitos"),
    # ---- queja: staff conduct
    ("staff", "staff", 0.0,
     r"funcionari\w+|asesor\w*|vigilante|celador|\bguardas?\b|enfermer\w+|conductor\w*|profesor\w*|docente|medic[oa] (?:de|que|del)|senorita|el senor de|la senora de|persona que (?:atiende|contesta|me atendio)"
     r"|el de la recepcion|recepcionista|ingenier[oa]|abogad[oa]|gestor\w*|contratista|supervisor\w*|inspector\w*|\bagentes?\b"
     r"|(?:senor|senora|muchach[oa]|chic[oa]|persona|man|vieja|senorita) (?:que|de la|del) (?:atiende|atendio|contesta|esta en)|taquiller\w*|policia\w*|policias|la doctora|el doctor|operador\w*|maestro de obra|los de la (?:alcaldia|gobernacion|caja)|servidor\w* public\w*|personal de"),
    ("conduct", "queja", 1.6,
     r"me trat(?:o|aron) (?:mal|como|de)|nos trat(?:o|aron)|(?:me|nos|le|les) grit\w+|groser\w+|como si (?:fuera|fueramos|estuviera|estuvieramos) |no (?:era|es) (?:problema|asunto) (?:de el|de ella|suyo|mio)"
     r"|no (?:me |nos |le |les |lo |la )?(?:quiso|quisieron) (?:recibir|atender|ayudar|escuchar|dejar)|no (?:lo |la |los |las |nos |me |le |les )?dej(?:o|aron) (?:entrar|pasar|ingresar)|ni (?:me|nos|la|lo) (?:miro|saludo)|trat(?:a|an|o) (?:mal|asi)|mal(?:o)? trato|maltrat\w+|grosero\w*|grosera\w*|prepotent\w+"
     r"|despota|me grit\w+|grit(?:os|ando)|humill\w+|se burl\w+|falta de respeto|irrespet\w+|discrimin\w+|desprecio|mala (?:actitud|gana)"
     r"|me colg\w+|regan\w+|no me (?:quiso|quisieron) (?:atender|recibir)|me saco|empujon\w*|insult\w+|como (?:a )?un perro|como delincuentes"
     r"|se enojo|cortante|mamando gallo|pendiente del celular|borracho|ni (?:entro|se bajaron)|a la fuerza|a las malas|merezco respeto"
     r"|atendio primero|de mala|me hizo (?:llorar|esperar)|no sabe nada|inaceptable|indignante|me tir(?:o|aron)|amenaz\w+|mal ?educad\w+|hablo feo|se ri\w+ en la cara|dej\w+ plantad\w+|el colmo|me (?:mand|remit)\w+ (?:para|a) otra|pelote\w+|dar vueltas"),
    ("bad_service_att", "queja", 0.9, r"pesima atencion|mala atencion|muy mala atencion|que mal trato|atencion (?:pesima|horrible|terrible)"),
    ("queja_word", "queja", 1.6, r"(?:poner|pongo|interponer) una queja|queja (?:formal|contra)|\bme quejo\b"),
    # ---- reclamo: failed/late/deficient service, unanswered request
    ("waiting_me", "reclamo", 1.6,
     rf"llev(?:o|amos) (?:{_N} |mas de {_N} |desde |toda |todo )?{_T}|llevo desde|(?:estoy|seguimos|sigo) esperando"),
    ("waiting_since", "reclamo", 0.8,
     rf"(?:hace|desde hace) (?:mas de )?{_N} {_T}(?! (?:me|nos) (?:dijeron|informaron))"
     rf"|desde (?:ayer|anoche|el (?:{_DAYS}|mes|ano|dia) |{_MONTHS}|el \d+ de)|(?:ya )?(?:pasaron|han pasado|van) (?:mas de )?{_N} {_T}"
     rf"|lleva(?:n)? (?:{_N} |mas de {_N} |todo el |toda la )?{_T}"),
    ("waiting", "reclamo", 1.6,
     r"esperando|(?:hay|tenemos|tengo) que esperar|(?:sigue|siguen|seguimos) (?:esperando|sin|igual|ahi|cerrad\w+)|todavia no|aun no|nada que"),
    ("no_answer", "reclamo", 1.8,
     r"no (?:me |nos |le |les |lo |la )?(?:han|ha) (?:(?!visto)\w+(?:ado|ido|cho|sto|elto)|vuelto a)\b|no (?:he|hemos) (?:recibido|tenido)|no han pagado|no ha llegado"
     r"|nadie (?:nos |me )?ayuda|nadie (?:contesta|responde|da la cara|dice nada|hace nada|me responde|atiende)|no (?:contesta|responde|atiende)n?\b|nunca (?:me |nos |le |les )?(?:responden|contestan|llegaron|dieron|respondieron|llego|vino|vinieron|vienen|hicieron|arreglaron|pasa|pasan)\b"
     r"|sin (?:respuesta|solucion)|ni (?:un visto|acuse|respuesta|se dignan)|y nada\b|ni (?:idea|razon) de mi|se dignan|y la respuesta|que paso con (?:mi|los|las|el|la)"
     r"|siempre ocupado|ni (?:me )?contestan|me dejaron esperando|no me (?:dicen|dan) nada|sin que nadie|(?:ni|no) (?:leyeron|leen)|respuesta de otra persona"
     r"|respuesta (?:generica|que no resuelve)|no resuelve nada"),
    ("repeat", "reclamo", 1.0,
     r"otra vez|por enesima vez|de nuevo (?:les|escribo)|nuevamente|ya van|ya me canse|(?:\d|dos|tres|cuatro|cinco|varias) veces|cada mes es lo mismo|como siempre nada"),
    ("failure", "reclamo", 1.4,
     r"no (?:\w+ )?(?:carga|abre|sirve|funciona|prende|llega|llego|vino|vinieron|pasa|paso|pasan|recogen|recoge|arreglan|cumplieron|cumplen|vacia|vacian)\b|nadie (?:vino|llego|aparecio|viene)"
     r"|se volvio a (?:abrir|danar|caer|romper|tapar)|ya (?:habia|lo habia|la habia) pagado|falta de seriedad|me negaron|no me dejaron|no (?:le|les|me|nos) dieron|me rechaz\w+"
     r"|sin (?:avisar|autorizacion|previo aviso)|me cambiaron|no sirve|no funciona|no deja|sale error|se cayo|se cae|danad\w*|mal hech\w+|peor (?:de lo|que antes)|pesima calidad|apagad\w+|abandonad\w+|a medias|sin (?:terminar|acabar|arreglar|reparar)"
     r"|no pasa (?:por|el)|no recoge|cancel\w+ (?:la|mi) cita|me cancel\w+|nunca llegaron|se perdio|perd\w+ (?:el dia|la manana|la cita|el dia de trabajo)|cobraron dos veces|estaba cerrad\w+"
     r"|se (?:sigue|siguen) (?:goteando|cayendo)|goteand\w+|rot[oa]s?\b|venian danad\w+|intransitable|error de ustedes|por un error|quedo mal|no me devuelven|incumpli\w+"
     r"|se acabaron los turnos|(?:servicio|atencion) (?:es |fue )?(?:pesim\w+|horrible|terrible|malisim\w+)|pesimo servicio|no hay derecho|no es justo|eso no es (?:atencion|servicio)"
     r"|para dentro de (?:\\d+|un|una|dos|tres|cuatro|seis)|(?:volviera|vuelva|volver) otro dia|(?:no habia|no hay|sin|se cayo el) sistema|(?:me|nos|le|les) neg(?:o|aron)|repleto|siempre (?:esta|estan) (?:llen|danad|sucio|cerrad)\\w*"
     r"|dejaron (?:tirad|botad|regad)\w+|antes (?:pasaba|pasaban|funcionaba|atendian|era mejor)|ahi sigue|sin (?:profesor|medico|medicamentos?|cama|docente)|siempre cerrad\w+|falta un papel q|se fue la luz|lleva (?:un|una|dos|tres|\d+) \w+ (?:apagad|danad|abandon)\w*|sigue ahi"),
    ("sarcasm", "sarcasm", 0.0,
     r"gracias (?:por|x) nada|que (?:eficiencia|rapidez|maravilla de servicio)|excelente servicio \U0001f644|🙄|🤡|solo \d+ (?:meses|anos|semanas)|muy eficientes"),
    ("hazard", "reclamo", 1.2,
     r"peligr\w+|riesgo|accident\w+|fuga|sin tapa|inund\w+|derrumb\w+|acumulad\w+|mal olor|ratas|escombros|contamin\w+|sin (?:agua|luz|energia|gas)|olor a gas"
     r"|desbord\w+|se esta cayendo|oscur\w+|falta (?:de )?senalizacion|huecos|inseguridad|atracos?"),
    ("report", "reclamo", 1.0, r"\breport(?:o|amos|ar)\b|se reporta|les cuento que|quiero (?:reportar|informar)"),
    # ---- sugerencia
    ("suggest", "sugerencia", 2.0,
     r"sugier\w+|sugerencia|\bpropong\w*|propuesta|(?:les )?recomiend\w+|recomendacion|una idea|seria (?:bueno|chevere|bien|ideal|util|genial|mejor)|estaria bien"
     r"|deberian(?! (?:ser gratis|estar|de |haber))|me gustaria (?:que|sugerir)|podrian (?:poner|hacer|abrir|ampliar|incluir|habilitar|publicar|instalar)|ojala (?:pusieran|hicieran|abrieran|ampliaran|habilitaran|tuvieran|incluyeran)"
     r"|por que no (?:hacen|ponen|abren|habilitan|crean)|seria (?:bueno|importante) que"),
    # ---- felicitacion (service satisfaction); post praise is "post"
    ("thanks", "felicitacion", 1.2,
     r"\bgracias\b|agradecer\b|agradecemos|quede (?:muy )?(?:content|satisfech|feliz)\w*|agradezc\w+|agradecid[oa]|felicit\w+|reconocimiento|reconocer|bendiciones|dios (?:les|los) (?:pague|bendiga)|los felicito|mil gracias"),
    ("service_praise", "felicitacion", 1.2,
     r"(?:excelente|buena|buen|gran|muy buena) (?:atencion|servicio|trabajo del equipo)|muy amables?|amabilidad|super rapido|rapidisimo|facilisim\w+|por fin"
     r"|me resolvieron|quedo solucionado|ya (?:me llego|recibi|tenemos)|recibi las llaves|muy humanos|atentos|quedo (?:muy )?(?:bien|lind\w+)|nos atendieron muy bien|llego a tiempo|quedo muy bonit\w+"),
    ("post", "post", 0.0,
     r"publicacion|\bpost\b|video|fotos?\b|logo|cumpleanos|aniversario|\b\d+ anos de|compartir|community|campana de|el mensaje|iniciativa|desfile|decoracion|evento|ciclovia"),
    # ---- peticion: information, consulta, general action
    ("info_ask", "info", 1.6,
     r"quisiera (?:sa[bv]er|conocer)|cuando (?:me |nos |les |los |las )?(?:van|piensan|vienen) a|\binfo para|(?:quiero|queria|necesito|quisieramos) (?:sa[bv]er|conocer|informacion)|cual(?:es)? (?:es|son) (?:el|la|los|las) \w+"
     r"|como (?:lo |la |los |las |me |se )?(?:verifico|saco|pago|hago|reviso|averiguo|se si|miro|descargo|obtengo|pido|solicito|tramito|me entero)\b|no entiendo"
     r"|donde (?:pregunto|averiguo|llamo|pido|voy|miro|veo|reviso)|en que pagina|(?:me|nos) (?:puede|pueden|podrian|podria) (?:informar|indicar|decir|explicar|confirmar|enviar|mandar|dar|desir)"
     r"|me (?:informan|indican|dicen|confirman|regalan|envian|mandan) (?:el|la|los|las|si|donde|cuando|como|en)|(?:me|nos) (?:informen|indiquen|envien|expidan|certifiquen)|la direccion de|informacion (?:sobre|de|del|acerca|por ?favor|porfa|sobre)|\binfo (?:del|de|sobre|porfa|por favor)"
     r"|requisitos|que (?:documentos|papeles) |como (?:hago|puedo|me inscribo|aplico|consulto|se hace|saco|solicito|tramito|obtengo|descargo|accedo|me postulo|hacemos)"
     r"|(?:a )?donde (?:puedo|queda|quedan|consulto|se consulta|me inscribo|descargo|radico|me dirijo|estan|lo pido|mando|se hace)|a (?:que|cual) correo"
     r"|cuando (?:abren|pagan|salen|sale|empiezan|inician|cierran|llega|se hace|es la|son las|hay)|hasta cuando|para cuando|cual es (?:el|la) (?:link|numero|telefono|fecha|direccion|horario|plazo|correo)"
     r"|cuanto (?:vale|cuesta|debo|se demora|tarda|demora)|cuantos cupos|en que (?:horario|fecha|estado|va)|(?:estado|avance) de (?:mi|la|las|los)|ya (?:salieron|hay fecha|salio)"
     r"|numero de (?:whatsapp|telefono|contacto|radicado)|el telefono de|copia de|certificado|listado de|cronograma|me regalan|el link|formulario"
     r"|(?:ke|que|q) papeles|como me inscribo|me interesa|(?:ayudas?|auxilio) para|(?:es|aplica) (?:tambien )?(?:para|solo)|hay paso|toca (?:estar|ser|tener)"
     r"|se necesita|que (?:dia|fecha) (?:es|se)|en que fecha|a quien le (?:toca|corresponde)"),
    ("consulta_ask", "consulta", 1.8,
     r"\bconsulta\b|concepto|que (?:debo|debemos|tengo que|tenemos que|hay que|puedo|podemos) hacer|que hacemos (?:con|para|si)|tengo una duda|una duda|una pregunta|pregunta seria|puedo (?:volver|postular|aplicar|seguir|usar|acceder)|yo puedo|me sirve"
     r"|aplic(?:a|o) para|tengo derecho|tiene(?:n)? derecho|es legal|se puede (?:usar|ampliar|construir|hacer)|que pasa si|me la pueden titular|pueden seguir"
     r"|aclara\w*|posicion de|quien se queda|queda a nombre|se considera|pueden cobrar|si ya (?:recibi|tengo)|siendo (?:heredero|arrendatari\w+)"),
    ("request_action", "general", 1.4,
     r"\bsolicit(?:o|amos|ar)\b|\bpid(?:o|e|emos)\b|pedimos|necesit(?:o|amos) \w+|\bfavor (?:\w+ar|\w+er|\w+ir)\b|les pido|requiero|requerimos|necesit(?:o|amos) (?:que|una|un|ayuda|la|el)|necesitamos"
     r"|me (?:pueden|podrian|puede) (?:colaborar|ayudar|llamar|agendar|reprogramar|incluir|cambiar|corregir|actualizar|devolver)|me colaboran|colaborenme"
     r"|ayuda (?:por ?favor|urgente)|\bayuda\b|\burgente\b|favor (?:revisar|de|enviar)|derecho de peticion|les escribo para|me agenda(?:n|r)|agendenme|que me (?:devuelvan|incluyan|cambien|actualicen|desbloqueen|agenden|reprogramen|llamen)"
     r"|para que me llamen|les dejo mi (?:numero|celular|telefono)|quiero que|que vengan|mand(?:en|enme)|envi(?:en|enme)|que (?:arreglen|revisen|pongan|instalen|retiren|recojan)"),
    ("imperative", "general", 1.2,
     r"\b(?:arreglen|recojan|pongan|envien|manden|retiren|hagan|vengan|instalen|incluyan|revisen|agenden|reparen|limpien|tapen|podar|poden|atiendan|ayudenme|ayudennos|colaborennos)\b"),
    ("formal", "general", 0.8,
     r"a quien corresponda|me dirijo|nos dirigimos|por medio de (?:la|el) present\w*|la presente (?:es|tiene)|cordial(?:mente)? salud\w*|respetad[oa]s? senor\w*"
     r"|de manera (?:atenta|respetuosa|comedida)|respetuosamente|atentamente|en ejercicio del derecho|senores? (?:de la|del|de)? ?\w+ (?:cordial|buen|buenos|buenas|me|les|solicito)"),
    ("polite", "general", 0.5, r"por ?favor|porfa|por fa\b|por fabor|x ?fa|\bplis\b|agradeceria|agradezco (?:su|la) (?:atencion|pronta|colaboracion)"),
    ("location", "location", 0.0,
     r"(?:calle|cll?|carrera|cra|kra?|avenida|av|diagonal|dg|transversal|tv|autopista)\.? ?(?:\d|norte|sur|boyaca|caracas|primero|ciudad|septima|americas)"
     r"|con (?:calle |carrera |avenida |cra |av )?\d+|# ?\d+|\bbarrio\b|\blocalidad\b|\bvereda\b|\bsector\b|frente (?:a|al) |\besquina\b|\bparque\b|conjunto|\bavenida\b|\bcuadra\b|quebrada|humedal|\brio\b|cerca de (?:la|el|mi)"
     r"|(?:de|en) mi (?:casa|calle|cuadra|edificio|conjunto)"),
    ("problem", "problem", 0.0,
     r"hueco\w*|bache\w*|arbol\w*|ramas?\b|cables?\b|postes?\b|alcantarill\w+|cano\b|sumidero\w*|\btapa\b|escombro\w*|basura\w*|ruido\w*|perros?\b|ratas"
     r"|luminaria\w*|alumbrado|semaforo\w*|anden\w*|espacio publico|invasion|invadid\w+|vendedores|habitantes? de calle|consumo de|abandonad\w+|malla vial|puente\w*"
     r"|paradero\w*|cicl?o ?rr?utas?\b|grieta\w*|colgando|caid[oa]s?\b|musica|olor\w*|trancon\w*|caos"),
    # ---- domain: words that tie a message to the entity's services
    ("service", "service", 0.0,
     r"subsidi\w+|\batencion\b|pagina de|tramite|radic\w+|solicitud|postula\w+|convocatoria|inscrip\w+|inscrib\w+|visita|titulo|titulacion|escritura|predio|vivienda|mejoramiento|reasentamiento|arriendo"
     r"|programa|sede|oficina|ventanilla|linea de atencion|\blinea\b|plataforma|pagina|turno|cita|certificado|expediente|documentos|papeles|formulario|cedula|sisben"
     r"|parque|anden|via|hueco|luminaria|alumbrado|semaforo|basura|aseo|alcantarill\w+|espacio publico|vendedor\w*|obra|contrato|impuesto|predial|pago|desembolso|cuota"
     r"|damnificad\w+|inundo|techo|casa|barrio|vereda|carretera|calle|carrera|\bcra\b|colegio|cupo\w*|mercados|ayuda humanitaria|correo|respuesta|app\b|caso"
     r"|transmilenio|\bsitp\b|alimentador\w*|\bruta\b|buses|\beps\b|hospital|urgencias|medicamento\w*|jardin|acueducto|\bgas\b|\bluz\b"),
    # ---- not a PQRS
    ("spam", "spam", 0.0,
     r"gana(?:r|s)? (?:dinero|plata|dolares|\$|en dolares|\d)|dinero desde casa|desde casa con|bitcoin|cripto\w*|invierte|inversion garantizada|ganancias|trading|forex"
     r"|seguidores reales|vendo seguidores|prestamos? (?:rapid|sin)\w*|sin codeudor|sorteo|suscribete|sigueme|te sigo|escribeme al (?:dm|interno|privado)|info en mi perfil|urlx|t\.me"
     r"|tienda online|envios a todo|te interesa ganar|semanales|recupera tu cuenta|vendo (?:lote|casa|carro|apartamento)|emprendimiento de mi|visita mi|mi canal|promocion|2x1|pide a domicilio|\d+% de descuento|llame ya"),
    ("chatter", "chatter", 0.0,
     r"\b(?:ja|je|ji){2,}\w*|\bmeme\b|\bj[aj]+\b|\bxd+\b|\blol\b|quien (?:fue|es|grabo|hizo|mas)|y eso que|que opinan|alguien (?:sabe|mas)|de que color|mi (?:tio|abuela|profe)|el chisme"
     r"|\bjuega\b|el partido|la seleccion|primero!|me too|a ti (?:no|te|tambien)\b|(?:se|te) (?:los|las|lo|la) recomiendo|en todo(?:s)? lado|en todas partes|(?:asi es|si|no|hola|claro),? vecin[oa]s?\b|(?:senor|senora|comentario|persona|amig[oa]) de arriba|le respondo|^\W*(?:x2|\+1)\W*$"),
    ("rant", "rant", 0.0,
     r"corrupt\w+|\bpetro\b|\buribe\b|gobierno|oposicion|politicos|populismo|propaganda|payasos|ladrones|fuera\b|nadie les cree|no vote|votar bien|presidente|reforma|paraco|guerrill\w+|asi es colombia|(?:en )?este pais\b"),
    ("question", "question", 0.0, r"\?"),
]

_FAMILY = {name: (kind, weight) for name, kind, weight, _ in CUES}


# --------------------------------------------------------------------------------------------
# Fast matching. One big alternation tried at every position is slow in CPython's `re`, so the
# cue alternatives are split and bucketed by the characters they can start with; matching is
# then attempted only at token starts, with the small regex for that token's first character.
# --------------------------------------------------------------------------------------------


def _first_chars(items) -> set[str] | None:  # noqa: ANN001 - re._parser internals
    """Characters a parsed pattern can start with; None when it could start with anything."""
    from re import _constants as C  # noqa: N812

    out: set[str] = set()
    for op, av in items:
        if op is C.LITERAL:
            return out | {chr(av)}
        if op is C.IN:
            for iop, iav in av:
                if iop is C.LITERAL:
                    out.add(chr(iav))
                elif iop is C.RANGE:
                    out.update(chr(c) for c in range(iav[0], iav[1] + 1))
                elif iop is C.CATEGORY and iav is C.CATEGORY_DIGIT:
                    out.update("0123456789")
                else:
                    return None
            return out
        if op is C.SUBPATTERN:
            sub = _first_chars(av[3])
            return None if sub is None else out | sub
        if op is C.BRANCH:
            for alt in av[1]:
                sub = _first_chars(alt)
                if sub is None:
                    return None
                out |= sub
            return out
        if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            sub = _first_chars(av[2])
            if sub is None:
                return None
            out |= sub
            if av[0] > 0:
                return out
            continue  # optional: the next item can start the match too
        if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            continue  # zero-width
        return None
    return out


def _literal_prefixes(items, limit: int = 256) -> tuple[set[str], bool]:  # noqa: ANN001
    """Literal strings every match starts with one of, and whether they cover the whole pattern.

    Alternations of literals are expanded ("(?:hace|desde hace) " -> {"hace ", "desde hace "});
    expansion stops at the first item that is not literal. '' in the set means "any start".
    """
    from re import _constants as C  # noqa: N812

    cur = {""}
    for idx, (op, av) in enumerate(items):
        if op is C.LITERAL:
            cur = {c + chr(av) for c in cur}
            continue
        if op is C.AT and cur == {""}:
            continue
        alts = None
        if op is C.SUBPATTERN:
            alts = [av[3]]
        elif op is C.BRANCH:
            alts = av[1]
        elif op is C.IN and all(iop is C.LITERAL for iop, _ in av):
            cur = {c + chr(v) for c in cur for _, v in av}
            continue
        elif op is C.IN and av == [(C.CATEGORY, C.CATEGORY_DIGIT)]:
            cur = {c + d for c in cur for d in "0123456789"}
            if len(cur) > limit:
                return {c[:1] for c in cur}, False
            continue
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] == 0 and av[1] == 1:
            rest, _ = _literal_prefixes(items[idx + 1 :], limit)
            sub, done = _literal_prefixes(av[2], limit)
            present = {x + r for x in sub for r in rest} if done else sub
            return {c + y for c in cur for y in rest | present}, False
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] >= 1:
            sub, _ = _literal_prefixes(av[2], limit)
            return {c + x for c in cur for x in sub}, False
        if alts is None:
            return cur, False
        child: set[str] = set()
        complete = True
        for alt in alts:
            sub, done = _literal_prefixes(alt, limit)
            child |= sub
            complete = complete and done
        cur = {c + x for c in cur for x in child}
        if len(cur) > limit:
            return {c[:1] for c in cur}, False
        if not complete:
            return cur, False
    return cur, True


_PREFIXES: dict[str, tuple[str, ...]] = {}  # first char -> literal prefixes ('' = any word)
_BY_CHAR: dict[str, dict[str, list[str]]] = {}  # first char -> family -> its alternatives
_ANYWHERE_ALTS: list[str] = []  # alternatives that may start with any character


def _build_dispatch() -> tuple[dict[str, re.Pattern[str]], re.Pattern[str] | None]:
    from re import _parser

    by_char: dict[str, dict[str, list[str]]] = {}
    anywhere: dict[str, list[str]] = {}
    for name, _kind, _weight, rx in CUES:
        for alt in split_top(rx):
            parsed = _parser.parse(alt)
            first = _first_chars(parsed)
            if first is None:
                anywhere.setdefault(name, []).append(alt)
                continue
            prefixes, _ = _literal_prefixes(parsed)
            for ch in first:
                by_char.setdefault(ch, {}).setdefault(name, []).append(alt)
                own = tuple(p for p in prefixes if p[:1] in ("", ch))
                _PREFIXES[ch] = (*_PREFIXES.get(ch, ()), *(own or ("",)))

    def compile_groups(groups: dict[str, list[str]]) -> re.Pattern[str]:
        return re.compile("|".join(f"(?P<{n}>{'|'.join(a)})" for n, a in groups.items()))

    _BY_CHAR.update(by_char)
    _ANYWHERE_ALTS.extend(alt for alts in anywhere.values() for alt in alts)
    dispatch = {ch: compile_groups(groups) for ch, groups in by_char.items()}
    return dispatch, (compile_groups(anywhere) if anywhere else None)


_DISPATCH, _ANYWHERE = _build_dispatch()
# When every such alternative is anchored at the start ("^..."), the only match finditer can
# find is the one at position 0: one match() instead of a search through the whole text.
_ANYWHERE_AT_START = all(alt.startswith("^") for alt in _ANYWHERE_ALTS)
# Cues that start with a symbol inside a word ("subsidio?", "servicio🙄") are found with `in`.
_SYMBOL_CUES = {ch: rx for ch, rx in _DISPATCH.items() if not ch.isalnum()}
_LEADING_PUNCT = "\"'(.,;:!*-#[{_/"


_TRAILING_PUNCT = "\"'),.;:!?*-"
_WORD_RX: dict[str, re.Pattern[str] | None] = {}


def _index_prefixes() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]], set[str]]:
    """Split cue prefixes into one-word stems (by first char) and phrases (by first word)."""
    stems: dict[str, set[str]] = {}
    phrases: dict[str, set[str]] = {}
    open_chars: set[str] = set()  # first chars with a cue that has no literal prefix
    for ch, prefixes in _PREFIXES.items():
        for p in prefixes:
            if not p:
                open_chars.add(ch)
            elif " " in p:
                head, rest = p.split(" ", 1)
                phrases.setdefault(head, set()).add(rest)
            else:
                stems.setdefault(ch, set()).add(p)
    return (
        {k: tuple(v) for k, v in stems.items()},
        {k: tuple(v) for k, v in phrases.items()},
        open_chars,
    )


_STEMS, _PHRASES, _OPEN_CHARS = _index_prefixes()


_PHRASE = re.compile("")  # memo marker: a cue phrase may start here, the next word decides


def _word_state(word: str) -> re.Pattern[str] | None:
    """The bucket regex to try at `word`, None when no cue can start there, or `_PHRASE`
    when only a multi-word cue can (then the next word decides). Memoised per word: words
    follow Zipf's law, so even distinct texts mostly cost one dict lookup per word."""
    rx = _DISPATCH.get(word[0])
    if rx is not None and word[0] not in _OPEN_CHARS:
        core = word.rstrip(_TRAILING_PUNCT) or word
        if not any(core.startswith(p) or word.startswith(p) for p in _STEMS.get(word[0], ())):
            # punctuation right after the word breaks any phrase
            rx = _PHRASE if core == word and core in _PHRASES else None
    if len(_WORD_RX) > 300_000:
        _WORD_RX.clear()
    _WORD_RX[word] = rx
    return rx


def _index_seconds() -> dict[str, tuple[bool, frozenset[str], tuple[str, ...]]]:
    """Per phrase head: (a phrase ends at the head, exact second words, second-word stems)."""
    out: dict[str, tuple[bool, frozenset[str], tuple[str, ...]]] = {}
    for head, rests in _PHRASES.items():
        always, exact, loose = False, set(), set()
        for rest in rests:
            second = rest.split(" ", 1)[0]
            if not second:
                always = True
            elif " " in rest:
                exact.add(second)
            else:
                loose.add(second)
        out[head] = (always, frozenset(exact), tuple(sorted(loose)))
    return out


_SECONDS = _index_seconds()
_FOLLOWS: dict[tuple[str, str], bool] = {}


def _phrase_follows(word: str, nxt: str) -> bool:
    """Does `nxt` continue one of the cue phrases that start with `word`? (memoised per pair)"""
    key = (word, nxt)
    hit = _FOLLOWS.get(key)
    if hit is not None:
        return hit
    always, exact, loose = _SECONDS[word]
    ncore = nxt.rstrip(_TRAILING_PUNCT) or nxt
    hit = always or ncore in exact or any(
        ncore.startswith(second) or second.startswith(ncore) for second in loose)
    if len(_FOLLOWS) > 300_000:
        _FOLLOWS.clear()
    _FOLLOWS[key] = hit
    return hit


# Spanish letters by how often they start a word, then by how often they occur: the regex
# engine tries a trie's branches in order, so the common letters go first (speed only).
_INITIALS = "epmdaclsnqytuhbrvfgoijkwxz"
_LETTERS = "eaosrnidlctumpbgvyqhfzjxkw"


def _trie(entries: list[tuple[str, str]]) -> str:
    """One regex for "starts with one of these literals, then that literal's tail regex".

    The literals are merged into a trie, so the regex engine tests each character once instead
    of trying every literal in turn; a literal with an empty tail makes any longer one moot."""
    root: dict[str, dict] = {}
    for literal, tail in entries:
        node = root
        for ch in literal:
            node = node.setdefault(ch, {})
        node.setdefault("", {})[tail] = None  # "" never is a character: it holds the tails

    def emit(node: dict[str, dict], order: str) -> str:
        tails = node.get("", {})
        if "" in tails:
            return ""
        chars = sorted((ch for ch in node if ch), key=lambda c: (order.find(c) % 99, c))
        alts = [f"(?:{tail})" for tail in tails]
        alts += [re.escape(ch) + emit(node[ch], _LETTERS) for ch in chars]
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return emit(root, _INITIALS)


_QUANTIFIERS = "*+?{"


def _literal_head(alt: str) -> tuple[str, str]:
    """(literal, tail): `alt` is that literal text followed by the regex `tail`. The literal
    stops at the first metacharacter, class or escape other than an escaped symbol, and leaves
    out a character a quantifier applies to."""
    chars: list[str] = []
    ends: list[int] = []  # source offset after each literal character
    i = 0
    while i < len(alt):
        c = alt[i]
        if c == "\\" and i + 1 < len(alt) and not alt[i + 1].isalnum() and alt[i + 1] != "_":
            chars.append(alt[i + 1])
            i += 2
        elif c.isalnum() or c in " ,:;'\"!@#%&/=<>~`-" or ord(c) > 127:
            chars.append(c)
            i += 1
        else:
            break
        ends.append(i)
    if chars and i < len(alt) and alt[i] in _QUANTIFIERS:
        chars.pop()
        ends.pop()
    cut = ends[-1] if ends else 0
    return "".join(chars), alt[cut:]


def _follows(head: str) -> str:
    """Regex for the next word (leading punctuation skipped) exactly when `_phrase_follows`.

    With X that word, core = X without trailing punctuation (or X when that leaves nothing):
    core is a second word of `exact`, or it starts with a `loose` one, or it is a start of one.
    """
    always, exact, loose = _SECONDS[head]
    if always:
        return r"\S"
    trail = "[" + "".join(re.escape(c) for c in _TRAILING_PUNCT) + "]"
    other = "[^\\s" + "".join(re.escape(c) for c in _TRAILING_PUNCT) + "]"
    end = r"(?!\S)"

    def punct(s: str) -> bool:
        return all(c in _TRAILING_PUNCT for c in s)

    def core_is(s: str) -> tuple[str, str] | None:
        """X whose core is exactly s: s then only trailing punctuation (s all punctuation: X
        is s itself, as a longer run of punctuation is its own core)."""
        if punct(s):
            return s, end
        return None if s[-1] in _TRAILING_PUNCT else (s, trail + "*+" + end)

    # (literal, tail) pairs, merged into a trie: a phrase head like "me" has hundreds of them
    alts: list[tuple[str, str] | None] = []
    for second in sorted(exact):
        alts.append(core_is(second))
    for second in sorted(loose):
        # core starts with `second`: X does, and (unless `second` ends in punctuation that the
        # core would drop) that is all; otherwise a letter after it must keep the core long.
        if punct(second) or second[-1] not in _TRAILING_PUNCT:
            alts.append((second, ""))
        else:
            alts.append((second, r"\S*?" + other))
        alts.extend(core_is(second[:k]) for k in range(1, len(second) + 1))
    entries = [a for a in dict.fromkeys(alts) if a is not None and not re.search(r"\s", "".join(a))]
    return _trie(entries) if entries else ""


def _build_scanner() -> re.Pattern[str]:
    """One regex that stops at every word start where `_cue_hits_by_word` finds a cue.

    Run with finditer on " " + t. At each word start (after whitespace and _LEADING_PUNCT),
    the branch for the word's first character checks, in a lookahead, exactly what the per-word
    checks check (a number; a word that starts with one of the bucket's literal stems; a phrase
    head followed by a word that continues the phrase, see `_follows`), and then, in a
    lookbehind that steps back over the character, whether that character's bucket regex
    matches at the word start. Each match then runs to the end of the word (group `w`, from the
    word's first character; the next word start is past it, so the same word starts are tried).
    The buckets go in without their named groups: a regex with hundreds of groups clears its
    marks on every group it enters, which made one pass slower than the Python loop; the caller
    tells the family from the word where it can (`_word_family`) and otherwise asks the bucket,
    only at the few words that match."""
    lead = "[" + "".join(re.escape(c) for c in _LEADING_PUNCT) + "]"
    branches: list[str] = []
    for ch in sorted(_BY_CHAR, key=lambda c: (_INITIALS.find(c) % 99, c)):
        if ch.isdigit() or ch in _OPEN_CHARS:
            cand = ""  # every word starting with `ch` is tried
        else:
            entries = [(stem[1:], "") for stem in _STEMS.get(ch, ())
                       if stem[:1] == ch and not re.search(r"\s", stem)]
            for head in _PHRASES:
                if head[:1] == ch and (head.rstrip(_TRAILING_PUNCT) or head) == head:
                    follow = _follows(head)
                    if follow:
                        entries.append((head[1:], rf"(?!\S)(?=\s++{lead}*+(?:{follow}))"))
            if not entries:
                continue  # no word starting with `ch` is ever tried
            cand = _trie(entries)
        bucket = _trie([_literal_head(alt) for alts in _BY_CHAR[ch].values() for alt in alts])
        look = f"(?={cand})" if cand else ""
        branches.append(f"{re.escape(ch)}{look}(?<=(?={bucket}).)")
    return re.compile(rf"\s\s*+{lead}*+(?P<w>(?:{'|'.join(branches)})\S*+)")


_SCAN = _build_scanner()


def _index_families() -> dict[str, tuple[frozenset[str], dict[str, set[str]], dict[str, set[str]], int]]:
    """Per bucket (first character): the families with an alternative that may start anywhere
    (no literal prefix), the families per one-word literal prefix, the families per first word
    of a longer prefix, and the longest one-word prefix (see `_word_family`)."""
    from re import _parser

    out = {}
    for ch, by_family in _BY_CHAR.items():
        anywhere: set[str] = set()
        stems: dict[str, set[str]] = {}
        heads: dict[str, set[str]] = {}
        for name, alts in by_family.items():
            for alt in alts:
                for p in _literal_prefixes(_parser.parse(alt))[0] or {""}:
                    gap = re.search(r"\s", p)
                    if not p:
                        anywhere.add(name)
                    elif gap is None:
                        stems.setdefault(p, set()).add(name)
                    elif gap.start() > 0:
                        heads.setdefault(p[: gap.start()], set()).add(name)
        out[ch] = (frozenset(anywhere), stems, heads, max(map(len, stems), default=0))
    return out


_FAMILY_INDEX = _index_families()
_FAMILY_OF_WORD: dict[str, str] = {}


def _word_family(word: str) -> str:
    """The family `_DISPATCH[word[0]].match` reports at a word start where `_SCAN` stopped, when
    the word alone decides it, else "". `word` runs from that start to the next whitespace.

    Every match of a cue alternative starts with one of its literal prefixes
    (`_literal_prefixes`), so only the families with a prefix that fits can match there: a
    prefix the word starts with, or one that is the word, whitespace, then more (the text after
    the word decides). The scan checked that the bucket matches, so when one family fits, the
    bucket's match is that family's. Memoised per word."""
    anywhere, stems, heads, longest = _FAMILY_INDEX[word[0]]
    fits = set(anywhere)
    for k in range(1, min(len(word), longest) + 1):
        fits.update(stems.get(word[:k], ()))
    fits.update(heads.get(word, ()))
    family = next(iter(fits)) if len(fits) == 1 else ""
    if len(_FAMILY_OF_WORD) > 300_000:
        _FAMILY_OF_WORD.clear()
    _FAMILY_OF_WORD[word] = family
    return family


def _cue_hits(t: str) -> set[str]:
    """Names of the cue families that match `t` (a normalised text).

    The first-character regex is tried only at word starts where a cue can begin: one regex
    pass (`_SCAN`) finds the word starts where it matches, several times faster than a Python
    loop over the words (`_cue_hits_by_word`, the definition, which it equals).
    """
    found: set[str] = set()
    dispatch = _DISPATCH
    padded = " " + t
    memo = _FAMILY_OF_WORD
    for m in _SCAN.finditer(padded):
        word = m["w"]  # from the word's first character to the next whitespace
        family = memo.get(word)
        if family is None:
            family = _word_family(word)
        if not family:  # the text after the word decides: the bucket's first group that matches
            family = dispatch[word[0]].match(t, m.start("w") - 1).lastgroup  # type: ignore[union-attr]
        found.add(family)  # type: ignore[arg-type]
    return _cue_hits_rest(t, found)


def _cue_hits_by_word(t: str) -> set[str]:
    """`_cue_hits` word by word: the first character's bucket regex at each word start that the
    memoised checks admit (`_word_state`, `_phrase_follows`). The reference for `_SCAN`."""
    found: set[str] = set()
    memo = _WORD_RX
    dispatch = _DISPATCH
    pos = 0
    find = t.find
    words = [w if w[0].isalnum() else w.lstrip(_LEADING_PUNCT) for w in t.split()]
    words.append("")
    for i in range(len(words) - 1):
        word = words[i]
        if not word:
            continue
        pos = find(word, pos)
        if word[0].isdigit():
            rx = dispatch.get(word[0])  # numbers are mostly unique: not memoised
        else:
            rx = memo[word] if word in memo else _word_state(word)
            if rx is _PHRASE:
                nxt = words[i + 1]
                rx = dispatch[word[0]] if nxt and _phrase_follows(word, nxt) else None
        if rx is not None:
            hit = rx.match(t, pos)
            if hit is not None:
                found.add(hit.lastgroup)  # type: ignore[arg-type]
        pos += len(word)
    return _cue_hits_rest(t, found)


def _cue_hits_rest(t: str, found: set[str]) -> set[str]:
    """Add the cues found outside word starts: symbols inside a word, the `_ANYWHERE` ones."""
    find = t.find
    for ch, rx in _SYMBOL_CUES.items():
        j = find(ch)
        if j >= 0:
            hit = rx.match(t, j)
            if hit is not None:
                found.add(hit.lastgroup)  # type: ignore[arg-type]
    if _ANYWHERE is None:
        return found
    if _ANYWHERE_AT_START:
        hit = _ANYWHERE.match(t)
        if hit is not None:
            found.add(hit.lastgroup)  # type: ignore[arg-type]
        return found
    for hit in _ANYWHERE.finditer(t):
        found.add(hit.lastgroup)  # type: ignore[arg-type]
    return found


_HAS_WORD = re.compile(r"[a-z]{2}")
_TAG_ONLY = re.compile(r"^(?:\s*@[\w.]+)+\s*[\w\s]{0,25}$")


def _squash(score: float) -> float:
    """Map an unbounded cue sum to a 0..1 confidence."""
    return round(1.0 - math.exp(-score / 1.6), 3)


_NONE_OWN = Screening(None, 0.0, None, ("own_account",))


@lru_cache(maxsize=65536)
def _screen_normalised(t: str) -> Screening:
    if not _HAS_WORD.search(t):
        return Screening(None, 0.0, None, ("no_words",))
    # The decision depends on the text only through the families found (and whether it is only
    # tags): a few thousand combinations over tens of thousands of texts, decided once each.
    return _decide_rules(tuple(sorted(_cue_hits(t))), _TAG_ONLY.match(t) is not None)


@lru_cache(maxsize=65536)
def _decide_rules(hits: tuple[str, ...], tag_only: bool) -> Screening:
    """The rules' screening from the cue families found, given sorted: the weights are summed
    in that order, the same in every process (a set's order changes with PYTHONHASHSEED)."""
    found = frozenset(hits)
    scores = dict.fromkeys(TYPES, 0.0)
    sub = {"info": 0.0, "consulta": 0.0, "general": 0.0}
    signals: set[str] = set()
    for name in hits:
        kind, weight = _FAMILY[name]
        if kind in scores:
            scores[kind] += weight
        elif kind in sub:
            sub[kind] += weight
        else:
            signals.add(kind)
    reasons = sorted(found)

    if "spam" in signals and scores["denuncia"] < 2 and not (
        "service" in signals and (sub["info"] or "question" in signals)
    ):
        return Screening(None, 0.0, None, ("spam", *reasons))
    if tag_only and not any(scores.values()) and not any(sub.values()):
        return Screening(None, 0.0, None, ("tag_only", *reasons))

    location = "location" in signals
    service = "service" in signals or location
    staff = "staff" in signals
    requested = bool({"request_action", "imperative", "info_ask", "formal", "how_to_report"} & found)
    # "where do I report X" asks for information; it is not itself a denuncia.
    if "how_to_report" in found and "denuncia_word" in found:
        scores["denuncia"] = max(0.0, scores["denuncia"] - 2.2)
    question = "question" in signals
    chatter = "chatter" in signals

    # Queja needs a person working for the entity, or an explicit complaint about attention.
    if scores["queja"] and staff:
        scores["queja"] += 0.8
    elif scores["queja"] and "queja_word" not in found and "bad_service_att" not in found:
        scores["queja"] *= 0.75
    if staff and scores["queja"] and scores["reclamo"]:
        scores["reclamo"] *= 0.6

    # Sarcastic thanks/praise is a complaint about the service.
    if scores["reclamo"] and not service and not staff and not ({"no_answer", "waiting_me"} & found):
        scores["reclamo"] *= 0.6
    if "sarcasm" in signals and (service or scores["reclamo"]):
        scores["reclamo"] += 1.6 + scores["felicitacion"]
        scores["felicitacion"] = 0.0
    # Thanks only count as felicitacion when they concern a service, not a post.
    if scores["felicitacion"]:
        if "post" in signals and "service_praise" not in found and not staff:
            scores["felicitacion"] = 0.0
        elif not service and not staff and "service_praise" not in found:
            scores["felicitacion"] *= 0.5
        if scores["reclamo"] >= 1.4 or scores["denuncia"] or scores["queja"] >= 1.6:
            scores["felicitacion"] *= 0.3

    # Peticion: request forms; bare questions count only when about the entity's services.
    pet = sub["info"] + sub["consulta"] + sub["general"]
    if question and service and not chatter:
        pet += 1.2
        sub["info"] += 1.2
    # A public problem (hazard, damage, nuisance) described at a place, or in a formal letter,
    # is a request for the entity to act even without a request verb.
    problem = "problem" in signals or "hazard" in found
    others = max(scores[k] for k in ("queja", "reclamo", "sugerencia", "denuncia"))
    if (
        problem
        and (location or "formal" in found or "hazard" in found)
        and not chatter
        and pet < 1.2
        and others < 1.2
        and "service_praise" not in found
    ):
        if "waiting_since" in found:  # the problem has lasted: a deficient service
            scores["reclamo"] += 1.2
        else:
            pet += 1.2
            sub["general"] += 1.2
    if pet and not service and not requested:
        pet *= 0.6
    scores["peticion"] = pet
    # A complaint with an embedded "what happened" question stays a reclamo...
    if scores["reclamo"] >= 1.6 and pet < 2.2:
        scores["peticion"] *= 0.5
    # ...but an explicit request for an action stays a peticion when the failure it mentions is
    # not the entity's silence ("solicito retiren el carro abandonado que lleva meses").
    if (
        pet >= 1.2
        and {"request_action", "imperative", "formal"} & found
        and not {"no_answer", "waiting_me", "waiting", "repeat", "sarcasm"} & found
    ):
        scores["peticion"] = pet
        scores["reclamo"] = min(scores["reclamo"], pet * 0.95)
    if scores["sugerencia"] and scores["peticion"]:
        scores["peticion"] *= 0.6

    # Chatter, rants and post praise without request cues are not petitions.
    penalty = 0.0
    if chatter:
        penalty += 1.2
    if "rant" in signals and scores["denuncia"] < 2 and not requested:
        penalty += 1.0
    if "post" in signals and not service:
        penalty += 0.4

    best = max(TYPES, key=lambda k: scores[k])
    if scores["denuncia"] >= 2:
        best = "denuncia"
    raw = scores[best] - penalty
    if best == "denuncia" and scores[best] >= 2:
        raw = scores[best] - 0.3 * penalty
    if raw < 1.0:
        return Screening(None, _squash(max(raw, 0.0)) if raw > 0 else 0.0, None, tuple(reasons))

    subtype = None
    if best == "peticion":
        if sub["consulta"] >= 1.8 and sub["consulta"] >= sub["general"]:
            subtype = "consulta"
        elif sub["info"] > sub["general"]:
            subtype = "informacion"
        else:
            subtype = "general"
    return Screening(best, _squash(raw), subtype, tuple(reasons))


# --------------------------------------------------------------------------------------------
# The screener: model decision, rule reasons.
# --------------------------------------------------------------------------------------------

_ACTIVE = None  # LinearModel in use; None = the shipped model


def use_model(model) -> None:  # noqa: ANN001 - LinearModel | None
    """Screen with `model` from now on in this process (None: back to the shipped model)."""
    global _ACTIVE
    _ACTIVE = model


def current_model():  # noqa: ANN201 - LinearModel
    return _ACTIVE if _ACTIVE is not None else shipped_model()


def model_version() -> str:
    """Version of the PQRS model in use (stored in message_label and named in reports)."""
    return current_model().version


def __getattr__(name: str):  # noqa: ANN202 - module attribute computed on access
    if name == "MODEL_VERSION":
        return model_version()
    if name == "DEFAULT_THRESHOLD":
        return threshold()
    raise AttributeError(name)


# The flag score blends the model's probability with the rules' confidence: on real text
# (bench/eval_pqrs.py) the blend flags more requests and complaints than either alone at the
# same false-alarm rate on general tweets. Weight and threshold chosen on ngo_co/train with the
# threshold set where 5.5% of TASS is flagged (recall first, TASS <= 6%): with the L2 model,
# weight 0.6 flags 0.83 / 0.93 / 0.79 of information / assistance / dissatisfaction requests
# there (0.5: 0.82 / 0.92 / 0.76; the model alone 0.82 / 0.93 / 0.76; the rules alone 0.67 /
# 0.71 / 0.48).
BLEND_MODEL_WEIGHT = 0.6
BLEND_THRESHOLD = 0.37
# When model and rules both flag a message and the rules' confidence is at least this, the type
# comes from the rules: on the held-out blind inbox set type accuracy 0.87 vs 0.74 for the
# model's type, at a small cost on ngo_co's staff labels (macro-F1 0.278 vs 0.293). Raised to 0.7:
# on real text (ngo_co/train) a bare "quiero que den ..." is a wish the model reads as a
# sugerencia while the rules call it a petición; macro-F1 0.411 -> 0.424 there.
_TYPE_FROM_RULES = 0.7


def _rule_score(r: Screening) -> float:
    """The rules' confidence that a text is a PQRS other than felicitación (0..1)."""
    if r.pqrs_type is None:
        return min(r.pqrs_score, 0.45)
    return 0.0 if r.pqrs_type == "felicitacion" else r.pqrs_score


# Below this model probability the rules are not consulted at all (the blend stays under the
# threshold): measured on ngo_co/train and TASS at the same false-alarm rate, skipping them below
# 0.3 loses no real request or complaint (recall 0.83 / 0.93 / 0.79 either way) and runs the
# rules on 14% of general tweets instead of 94%, so the screener is much faster.
RULES_FROM = 0.3


def _blend(model_flag: float, rules: Screening | None, shipped: bool) -> float:
    if not shipped:  # an entity model was chosen because it beat the shipped screener alone
        return model_flag
    r = _rule_score(rules) if rules is not None else 0.0
    return BLEND_MODEL_WEIGHT * model_flag + (1 - BLEND_MODEL_WEIGHT) * r


def _rules_for(model_flag: float, t: str) -> Screening | None:
    """The rules' screening where it can change the decision (see RULES_FROM)."""
    if model_flag >= RULES_FROM:
        return _screen_normalised(t)
    return None


def flag_scores(texts: Sequence[str]):  # noqa: ANN201 - numpy array
    """Flag score per text (PQRS other than felicitación), as `screen_many` thresholds it."""
    import numpy as np

    model = current_model()
    norm = normalise_many([t if isinstance(t, str) else "" for t in texts])
    _, flag = model.decide(model.proba(norm))
    shipped = _ACTIVE is None
    return np.array([_blend(float(f), _rules_for(float(f), t) if shipped else None, shipped)
                     for f, t in zip(flag, norm, strict=True)])


def threshold() -> float:
    """Flag threshold of the shipped screener; PULSO_PQRS_THRESHOLD overrides it (e.g. 0.10 is
    the recall-0.90 operating point measured by bench/eval_pqrs.py, at ~5x the false alarms)."""
    if _ACTIVE is not None:
        return current_model().threshold
    import os

    raw = os.environ.get("PULSO_PQRS_THRESHOLD", "").strip()
    try:
        return float(raw) if raw else BLEND_THRESHOLD
    except ValueError:
        raise ValueError(f"PULSO_PQRS_THRESHOLD debe ser un número entre 0 y 1, no {raw!r}") from None


def screen(text: str, *, is_own_account: bool = False, kind: str | None = None) -> Screening:
    """Screen one message. The entity's own posts and replies are never PQRS."""
    return screen_many([text], is_own_account=[is_own_account], kinds=[kind])[0]


def _rules_class(rules: Screening) -> str:
    if rules.pqrs_type != "peticion":
        return str(rules.pqrs_type)
    return "peticion_" + ("info" if rules.pqrs_subtype == "informacion" else
                          rules.pqrs_subtype or "general")


# Decision policy of the shipped screener past the flag (tuned on ngo_co/train, reported on
# test, see bench/eval_pqrs.py):
# * a petición is "general" (15 days) only when the model finds it clearly more likely than a
#   request for information; otherwise the shorter legal term (información, 10 days) applies:
#   a subtype read too long is a missed deadline, one read too short costs nothing.
# * a message not flagged is a felicitación when the model's felicitación probability is at
#   least FEL_RATIO of its "none" probability: in an entity's inbox thanks and praise of a
#   programme or its staff are felicitaciones; they never enter the review queue nor count
#   as false alarms.
GENERAL_RATIO = 20.0
FEL_RATIO = 0.15


def _shipped_policy(label: str, row, model) -> str:  # noqa: ANN001 - numpy row, LinearModel
    idx = model.classes.index
    if label == "peticion_general" and "peticion_info" in model.classes \
            and row[idx("peticion_general")] < GENERAL_RATIO * row[idx("peticion_info")]:
        return "peticion_info"
    if label == "none" and "felicitacion" in model.classes and "none" in model.classes \
            and row[idx("felicitacion")] >= FEL_RATIO * row[idx("none")]:
        return "felicitacion"
    return label


class _Batch:
    """What `_decide_one` would otherwise look up per text: read once per batch."""

    __slots__ = ("cols", "none", "reasons", "tag", "th", "thanks")

    def __init__(self, model, shipped: bool) -> None:  # noqa: ANN001 - LinearModel
        self.th = threshold() if shipped else 0.0
        self.tag = f"modelo:{model.version}"
        classes = model.classes
        wanted = ("peticion_general", "peticion_info", "felicitacion", "none")
        # the policy's columns (None when the model lacks one: then `_shipped_policy` decides)
        self.cols = tuple(classes.index(c) for c in wanted) if set(wanted) <= set(classes) else None
        # Screenings are immutable and most are "not a PQRS" or thanks with a 3-decimal score:
        # one object per score instead of one per text.
        self.none: dict[float, Screening] = {}
        self.thanks: dict[float, Screening] = {}
        # a candidate's reasons per rules' reasons (a few thousand combinations per batch)
        self.reasons: dict[tuple[str, ...], tuple[str, ...]] = {}


def _not_pqrs(batch: _Batch, rounded: float) -> Screening:
    res = batch.none.get(rounded) if rounded else None
    if res is None:
        res = batch.none[rounded] = Screening(None, rounded, None, ())
    return res


def _thanks(batch: _Batch, rounded: float) -> Screening:
    res = batch.thanks.get(rounded) if rounded else None
    if res is None:
        res = batch.thanks[rounded] = Screening("felicitacion", rounded, None, (batch.tag,))
    return res


def _decide_many(uniq: list[str], labels: list[str], flag, proba, model,  # noqa: ANN001
                 shipped: bool, batch: _Batch) -> list[Screening]:
    """`_decide_one` for each text. With the shipped model, the texts under RULES_FROM (no
    rules) whose blended score stays under the threshold are decided with whole columns: each
    is "none" or felicitación by the policy alone (most texts of a batch); the others go one
    by one."""
    import numpy as np

    n = len(uniq)
    out: list[Screening | None] = [None] * n
    rest = list(range(n))
    if (shipped and batch.cols is not None and proba.dtype == np.float64 and n
            and set(model.classes) <= set(ALL_CLASSES)):
        _, _, thanks, none = batch.cols
        score = BLEND_MODEL_WEIGHT * flag  # _blend without rules: the rules' term is + 0.4 * 0.0
        quick = (flag < RULES_FROM) & (score < batch.th)
        # a flag class falls to "none" under the threshold; "none" becomes felicitación by ratio
        fel = np.fromiter((lab == "felicitacion" for lab in labels), bool, n) | (
            proba[:, thanks] >= FEL_RATIO * proba[:, none])
        for pos, rounded in zip(np.flatnonzero(quick & fel).tolist(),
                                round_many(proba[quick & fel, thanks], 3), strict=True):
            out[pos] = _thanks(batch, rounded)
        for pos, rounded in zip(np.flatnonzero(quick & ~fel).tolist(),
                                round_many(score[quick & ~fel], 3), strict=True):
            out[pos] = _not_pqrs(batch, rounded)
        rest = np.flatnonzero(~quick).tolist()
    if rest:
        # Plain Python floats index faster than numpy rows and scalars (same float64 values).
        part = proba[rest]
        rows = part.tolist() if part.dtype.name == "float64" else list(part)
        flags = flag[rest].tolist()
        for i, row, f in zip(rest, rows, flags, strict=True):
            out[i] = _decide_one(labels[i], row, float(f), uniq[i], model, shipped, batch)
    return out  # type: ignore[return-value]


def _decide_one(label: str, row, flag: float, t: str, model, shipped: bool,  # noqa: ANN001
                batch: _Batch | None = None) -> Screening:
    """Type, subtype, score and reasons of one normalised text from model and rules.

    An entity model decides alone (argmax of its classes); the shipped model's flag score is
    blended with the rules' confidence and thresholded. `batch`: per-batch constants (threshold,
    policy columns, version tag), made here when not given.
    """
    if batch is None:
        batch = _Batch(model, shipped)
    rules: Screening | None = None
    score = flag
    if shipped:
        rules = _rules_for(flag, t)
        score = _blend(flag, rules, shipped)
        if score < batch.th:
            if label in FLAG_CLASSES:
                label = "none"
        elif label not in FLAG_CLASSES:  # the rules carried it: their type, else model's best
            if rules is not None and rules.pqrs_type not in (None, "felicitacion"):
                label = _rules_class(rules)
            else:
                cols = [i for i, c in enumerate(model.classes) if c in FLAG_CLASSES]
                label = model.classes[max(cols, key=lambda i: row[i])]
        elif rules is not None and rules.pqrs_type not in (None, "felicitacion") \
                and rules.pqrs_score >= _TYPE_FROM_RULES:
            # Both agree it is a PQRS; where the rules are confident their type is the better
            # one on the project's inbox sets (tests/data, blind set).
            label = _rules_class(rules)
        if batch.cols is None:
            label = _shipped_policy(label, row, model)
        else:  # _shipped_policy with the columns looked up once
            general, info, thanks, none = batch.cols
            if label == "peticion_general":
                if row[general] < GENERAL_RATIO * row[info]:
                    label = "peticion_info"
            elif label == "none" and row[thanks] >= FEL_RATIO * row[none]:
                label = "felicitacion"
    if label == "none":
        return _not_pqrs(batch, round(score, 3))
    ptype, sub = split_class(label)
    if ptype == "felicitacion":  # not a candidate: no review, so no reasons to show
        column = batch.cols[2] if batch.cols is not None else model.classes.index("felicitacion")
        return _thanks(batch, round(float(row[column]), 3))
    if rules is None:  # reasons of a candidate the model flagged on its own
        rules = _screen_normalised(t)
    if ptype == "peticion" and rules.pqrs_subtype == "consulta":
        sub = "consulta"
    reasons = batch.reasons.get(rules.reasons)
    if reasons is None:
        reasons = batch.reasons[rules.reasons] = (
            *(r for r in rules.reasons if r != "question"), batch.tag)
    return Screening(ptype, round(score, 3), sub, reasons)


def screen_many(
    texts: Iterable[str],
    *,
    is_own_account: Sequence[bool] | None = None,
    kinds: Sequence[str | None] | None = None,
) -> list[Screening]:
    """Screen a batch in one vectorised model pass; identical texts are scored once.

    `kinds` (comment | reply | mention | dm) is accepted for callers that know it.
    """
    texts = list(texts)
    if is_own_account is not None and len(is_own_account) != len(texts):
        raise ValueError("is_own_account must have one value per text")
    if kinds is not None and len(kinds) != len(texts):
        raise ValueError("kinds must have one value per text")
    out: list[Screening | None] = [None] * len(texts)
    own = is_own_account or ()
    todo: list[int] = []
    for i, text in enumerate(texts):
        if own and own[i]:
            out[i] = _NONE_OWN
        elif not isinstance(text, str) or not text or text.isspace():  # == not text.strip()
            out[i] = Screening(None, 0.0, None, ("empty",))
        else:
            todo.append(i)
    # normalised text -> its index in `uniq`, and that index per position: no list per text
    # (one per text outlived the batch's young-generation collections and set off a full one)
    first: dict[str, int] = {}
    where: list[int] = []
    which: list[int] = []
    has_word = _HAS_WORD.search
    for i, t in zip(todo, normalise_many([texts[i] for i in todo]), strict=True):
        if not has_word(t):
            out[i] = Screening(None, 0.0, None, ("no_words",))
        else:
            where.append(i)
            which.append(first.setdefault(t, len(first)))
    if first:
        model = current_model()
        uniq = list(first)
        proba = model.proba(uniq)
        labels, flag = model.decide(proba)
        shipped = _ACTIVE is None
        results = _decide_many(uniq, labels, flag, proba, model, shipped, _Batch(model, shipped))
        for i, k in zip(where, which, strict=True):
            out[i] = results[k]
    return out  # type: ignore[return-value]
