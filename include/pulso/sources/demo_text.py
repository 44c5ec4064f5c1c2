"""Phrase banks for the demo source: fictional Colombian Spanish posts, messages and handles.

Texts are composed from templates x slot fillers and then "roughened" the way people write on
social media (no accents, all caps, typos, emojis), so the classifiers and reports meet the
variety of real inboxes. Every name, handle, phone number, e-mail and ID number here is
invented; phones use the 555 block and e-mails the reserved example.* domains so masking can
be tested without touching anyone's data.
"""

from __future__ import annotations

import random
import unicodedata

# ----------------------------------------------------------------------------------------------
# Slot fillers
# ----------------------------------------------------------------------------------------------

PROGRAMS = (
    "el subsidio de mejoramiento de vivienda", "el subsidio de arriendo", "Arriendo Solidario",
    "la titulación de predios", "el programa Mi Casa Mejorada", "el reasentamiento",
    "el subsidio para vivienda nueva", "la legalización del barrio", "el plan Terraza",
    "las ayudas por la ola invernal", "el mejoramiento de fachadas", "el subsidio de vivienda",
)
PROGRAMS_SHORT = (
    "subsidio", "mejoramiento", "arriendo solidario", "titulacion", "casa mejorada",
    "reasentamiento", "vivienda nueva", "plan terraza", "subsidio de vivienda",
)
LOCALITIES = (
    "Usme", "Ciudad Bolívar", "Bosa", "Kennedy", "Suba", "San Cristóbal", "Rafael Uribe Uribe",
    "Engativá", "Santa Fe", "Tunjuelito", "Fontibón", "Sumapaz", "Usaquén", "Los Mártires",
    "Puente Aranda", "Antonio Nariño",
)
DURATIONS = (
    "3 meses", "4 meses", "medio año", "más de un año", "8 meses", "dos meses", "15 días",
    "6 semanas", "casi un año", "5 meses", "tres semanas", "dos años",
)
DOCS = (
    "el certificado de tradición", "el paz y salvo", "la resolución de asignación",
    "el formulario de inscripción", "el acta de visita técnica", "la carta de aprobación",
    "el número de radicado", "el certificado de residencia", "la copia de la escritura",
    "el cronograma de obras", "el listado de beneficiarios",
)
STAFF = (
    "la funcionaria", "el funcionario", "el señor de la ventanilla", "la señora de la entrada",
    "el vigilante", "la asesora", "el ingeniero que hizo la visita", "la persona que atiende",
    "el contratista", "la recepcionista", "el gestor social",
)
OFFICES = (
    "la sede principal", "el punto de atención de Bosa", "la oficina de Usme", "el SuperCADE",
    "la ventanilla de radicación", "el punto de Kennedy", "la sede de Ciudad Bolívar",
)
AMOUNTS = ("500 mil", "300 mil", "un millón", "200.000 pesos", "800 mil", "2 millones", "150 mil")
SALUDOS = (
    "Buenas tardes", "Buenos días", "Hola", "Buen día", "Buenas", "Señores CVC", "Buenas noches",
    "Disculpen", "Hola, qué pena", "Buenas tardes señores", "", "", "",
)
CIERRES = (
    "Gracias", "Quedo atenta", "Quedo atento", "Mil gracias", "Dios les pague",
    "Agradezco su respuesta", "Por favor respondan", "Bendiciones", "", "", "",
)
EMOJIS = (
    "🙏", "😡", "😢", "🙄", "👏", "❤️", "😍", "🤔", "😤", "💔", "🏠", "👍", "😂", "🤡", "🔥", "😭",
    "🙌", "😒",
)
POSITIVE_EMOJIS = ("👏", "❤️", "😍", "🙌", "👍", "🏠", "💪", "🙏")
NEGATIVE_EMOJIS = ("😡", "😤", "🙄", "💔", "😒", "😭", "🤡")

# ----------------------------------------------------------------------------------------------
# Inbound message templates by category. Slots: {s} saludo, {c} cierre, {p} program,
# {ps} short program, {l} locality, {t} duration, {d} document, {f} staff, {o} office, {m} amount.
# ----------------------------------------------------------------------------------------------

TEMPLATES: dict[str, tuple[str, ...]] = {
    "peticion_info": (
        "{s} ¿cuándo abren convocatoria para {p}? {c}",
        "{s}, ¿cuáles son los requisitos para {p}?",
        "¿Qué documentos piden para inscribirse a {p}? Vivo en {l}. {c}",
        "{s} quisiera saber cómo me inscribo en {p}",
        "¿Hasta cuándo están las inscripciones de {ps}? {c}",
        "{s}, me pueden informar en qué estado va mi solicitud de {ps}? {c}",
        "¿Dónde queda {o}? ¿Qué horario tienen? {c}",
        "Necesito información sobre {p} para mi mamá que vive en {l}",
        "{s} ¿cuál es el link para consultar el listado de beneficiarios de {ps}?",
        "Buenas, ¿ya salieron los resultados de {p}? {c}",
        "¿Cuántos cupos hay para {p} en {l}?",
        "{s}, ¿me pueden enviar {d}? Lo necesito para un trámite. {c}",
        "¿Cómo hago para sacar {d}? {c}",
        "Info por favor de {p} 🙏",
        "¿Cuál es el número de whatsapp para preguntar por {ps}?",
        "{s} necesito copia de {d}, ¿a qué correo lo solicito?",
    ),
    "peticion_consulta": (
        "{s}, tengo una duda: si ya recibí {p} hace años, ¿puedo volver a postularme? {c}",
        "Una pregunta, ¿siendo arrendatario tengo derecho a {p}?",
        "¿{ps} aplica para casas en zona de riesgo en {l}? {c}",
        "{s} mi casa está a nombre de mi papá que falleció, ¿puedo pedir {p}? {c}",
        "Consulta: ¿es legal que me pidan {d} si el predio no está titulado?",
        "¿Qué pasa si no alcanzo a terminar la obra de {ps} en el plazo? {c}",
        "{s}, ¿si tengo Sisbén C puedo aplicar a {p}?",
    ),
    "peticion_general": (
        "{s}, solicito que me agenden la visita técnica de {ps}, ya tengo todo radicado. {c}",
        "Les pido el favor de actualizar mis datos, cambié de número. {c}",
        "Necesito que me reprogramen la cita en {o}, no pude ir por enfermedad. {c}",
        "{s} favor revisar mi caso de {ps}, el radicado ya está hace {t}",
        "Me pueden colaborar con la inscripción a {p}? Soy adulta mayor y no sé usar la página",
        "Ayuda por favor, necesitamos que vengan a revisar la casa en {l} antes de que se caiga",
    ),
    "queja": (
        "{f} de {o} me trató muy mal, me gritó delante de todos. {c}",
        "Pésima atención en {o}, {f} estaba pendiente del celular y no me quiso atender",
        "Quiero poner una queja contra {f}, fue grosero con mi mamá que es adulta mayor 😡",
        "{s}, {f} me humilló por no traer {d}. Merezco respeto",
        "La funcionaria me trató mal y me mandó para otra oficina sin explicarme nada",
        "{f} se burló de nosotros cuando preguntamos por {ps}. Qué falta de respeto",
        "Llevo {t} dando vueltas porque {f} no sabe nada de {ps}",
    ),
    "reclamo": (
        "Llevo {t} esperando el desembolso de {ps} y nada 😤",
        "Nadie contesta la línea, llevo toda la mañana llamando. {c}",
        "{s}, radiqué los papeles de {p} hace {t} y no me han respondido",
        "La obra de {ps} en {l} quedó mal hecha, el techo se sigue goteando",
        "La página para inscribirse a {ps} no funciona, sale error todo el día",
        "Otra vez les escribo, ya van tres veces y sin respuesta sobre {p}",
        "Me cancelaron la cita en {o} sin avisar y perdí el día de trabajo",
        "El ingeniero nunca llegó a la visita de {ps}, lo esperamos todo el día en {l}",
        "{s}, el contratista dejó la obra a medias hace {t} y nadie da la cara",
        "Hace {t} me dijeron que ya salía {ps} y todavía nada",
        "Siempre ocupado el teléfono de {o}, ¿para qué lo publican? 😒",
    ),
    "sugerencia": (
        "Sería bueno que abrieran un punto de atención en {l}, queda muy lejos {o}",
        "Les sugiero publicar el cronograma de {ps} en la página, así no tenemos que ir",
        "Deberían atender los sábados, los que trabajamos no podemos ir entre semana",
        "Propongo que manden mensajes de texto cuando salgan los resultados de {ps}",
        "Me gustaría que hicieran jornadas de inscripción en los barrios de {l}",
        "Por qué no habilitan un WhatsApp para consultar el estado de {ps}? Sería más fácil",
    ),
    "denuncia": (
        "Denuncio que un señor cobra {m} por agilizar {p} en {l}",
        "En {o} hay un tramitador que pide plata para meter a la gente en {ps}, ojo",
        "Quiero denunciar que están vendiendo los cupos de {ps} en {l}, tengo audios",
        "Un supuesto funcionario está cobrando {m} para sacar {d}, eso es un robo",
        "Pongo en conocimiento que el contratista de {ps} en {l} solo hizo la mitad de la obra y facturó todo",
        "Se hacen pasar por la Caja y piden {m} para inscribirse a {p}. Es estafa",
    ),
    "felicitacion": (
        "Muchas gracias a {f} de {o}, me atendieron muy bien y me resolvieron todo 👏",
        "Excelente atención en {o}, muy amables. Felicitaciones",
        "Por fin me llegó {ps}, Dios les pague, mi casa quedó muy bonita ❤️",
        "Agradezco al equipo de {ps} en {l}, muy atentos y humanos 🙏",
        "Recibí las llaves de mi casa nueva, gracias CVC 🏠❤️",
        "Quiero felicitar a {f}, súper rápido el trámite de {d}",
    ),
    "chatter": (
        "jajaja mi tío dice que eso es puro cuento",
        "Alguien sabe si hoy hay pico y placa?",
        "que opinan de esto?",
        "Yo vivo en {l} y por allá nunca se ve nada de esto",
        "jajaja el del video parece mi profe",
        "Esto lo vi en el noticiero ayer",
        "Hoy llueve en {l}, ojo con los charcos",
        "Primer comentario jaja",
        "Qué frío está haciendo en Bogotá",
        "Mi abuela también vivió en {l} hace años",
        "De qué color quedaron las casas?",
        "Y eso que no han visto cómo está {l}",
    ),
    "praise_post": (
        "Qué bonito video 😍",
        "Excelente iniciativa 👏👏",
        "Muy buena publicación, compartiendo",
        "Qué lindas quedaron las casas ❤️",
        "Bendiciones para todos",
        "Así se hace, bien por {l} 💪",
        "Me encantó la foto",
        "Qué chévere el evento de ayer",
    ),
    "tag": (
        "@{u} mira esto para lo de tu casa",
        "@{u} @{u2} les sirve esto",
        "@{u} esto es lo de {ps} que le conté",
        "@{u} ojo con esto",
        "@{u} mire mija, inscríbase",
    ),
    "emoji": ("👏👏👏", "❤️❤️", "😍", "🙏🙏", "🔥", "😂😂😂", "👍", "🤔", "🙌", "🏠❤️"),
    "spam": (
        "Gana dinero desde casa 💰 escríbeme al privado",
        "Invierte en bitcoin y duplica tu plata en 7 días 🚀 info en mi perfil",
        "Gana $500.000 semanales trabajando desde casa, sin experiencia. Link en mi perfil",
        "Préstamos rápidos sin codeudor, escríbeme al interno",
        "Vendo seguidores reales 100% garantizado 📈",
        "Trading con ganancias garantizadas, únete a t.me/ganancias-demo",
        "Vendo lote en {l} barato, info al DM",
        "Sígueme y te sigo 🔥🔥",
    ),
    "political": (
        "Puro show, en campaña sí aparecen y después nada",
        "Este gobierno no sirve para nada, todos son iguales",
        "Eso es pura propaganda con la plata de nosotros",
        "Y los corruptos felices, nadie dice nada",
        "Mientras tanto la gente de {l} aguantando hambre",
        "Otro año perdido, qué vergüenza de administración",
    ),
    "sarcasm": (
        "Gracias por nada 🙄",
        "Excelente servicio, {t} esperando 🙄",
        "Qué eficiencia, solo {t} para contestar un correo 🤡",
        "Ah sí, muy eficientes, mi radicado sigue perdido desde hace {t}",
        "Tan rápidos como siempre 🙄",
    ),
}

PQRS_CATEGORIES = frozenset({"peticion_info", "peticion_consulta", "peticion_general", "queja",
                             "reclamo", "sugerencia", "denuncia", "felicitacion"})

# Phrases carrying fake personal data, appended to some PQRS messages.
PII_SUFFIXES = (
    "Mi número es 300 555 {a:04d}", "Me pueden llamar al 310 555 {a:04d}",
    "Mi celular: 315-555-{a:04d}", "Escríbanme a vecina.{b}@example.com",
    "Mi correo es usuario{b}@correo.example.org", "Mi cédula es 1.000.555.{c:03d}",
    "C.C. 52.555.{c:03d}", "Documento 80555{c:03d}, por favor revisen",
)

# ----------------------------------------------------------------------------------------------
# Handles: invented first names + suffixes + digits; never real people.
# ----------------------------------------------------------------------------------------------

FIRST_NAMES = (
    "yenny", "marlen", "dayana", "wilson", "jhon", "yeison", "luz", "nelly", "edwin", "sandra",
    "brayan", "yurani", "fredy", "marleny", "jairo", "leidy", "stiven", "carmenza", "harold",
    "deisy", "nini", "ober", "gladys", "alba", "yamile", "duvan", "rubiela", "arley", "mileidy",
    "jeison", "floralba", "nubia", "hernan", "ligia", "kevin", "tatiana", "wilmer", "yolima",
)
HANDLE_SUFFIXES = (
    "bog", "_del_sur", ".co", "_usme", "vivienda", "_bta", "la_mona", "_oficial", "_27", "xd",
    "_kennedy", "bosa", "_rolo", ".rola", "_suba", "_cb", "mama", "_luz", "_real", "10",
)
SPAM_HANDLES = ("ganadinero_ya", "cripto.facil", "prestamos_rapidos", "seguidores.top",
                "inversion_segura", "trading.master")


def author_handle(index: int) -> str:
    """A deterministic fictional handle for author number `index` of a network's pool."""
    n = len(FIRST_NAMES)
    first = FIRST_NAMES[index % n]
    suffix = HANDLE_SUFFIXES[(index // n) % len(HANDLE_SUFFIXES)]
    digits = (index * 7919) % 100
    return f"{first}{suffix}{digits:02d}" if index % 3 else f"{first}{suffix}"


def spam_handle(index: int) -> str:
    return f"{SPAM_HANDLES[index % len(SPAM_HANDLES)]}{1000 + index % 9000}"


# ----------------------------------------------------------------------------------------------
# Roughening: how people actually type.
# ----------------------------------------------------------------------------------------------

_STRIP = {cp: unicodedata.normalize("NFKD", chr(cp))[0]
          for cp in range(0xC0, 0x180)
          if unicodedata.normalize("NFKD", chr(cp))[0].isascii()
          and unicodedata.normalize("NFKD", chr(cp))[0] != chr(cp)}
_STRIP.update({ord("¿"): None, ord("¡"): None})

TYPOS = (
    (" que ", " q "), ("por favor", "porfa"), ("por qué", "xq"), ("porque", "xq"),
    ("usted", "ud"), ("Hola", "Ola"), ("hace", "ase"), ("está", "esta"), ("también", "tambn"),
    ("información", "imformacion"), ("necesito", "nesecito"), ("gracias", "grax"),
    ("para", "pa"), ("mañana", "manana"), ("vez", "ves"), ("nada", "nadaaa"),
)


def strip_accents(text: str) -> str:
    return text.translate(_STRIP)


def roughen(text: str, rng: random.Random, category: str) -> str:
    """Apply the typing habits of social media, with probabilities by category."""
    r = rng.random()
    if r < 0.12:
        for a, b in rng.sample(TYPOS, 4):
            text = text.replace(a, b)
    if rng.random() < 0.35:
        text = strip_accents(text)
    r = rng.random()
    angry = category in {"queja", "reclamo", "denuncia", "political", "sarcasm"}
    if r < (0.12 if angry else 0.04):
        text = text.upper()
    elif r < 0.30:
        text = text.lower()
    r = rng.random()
    if r < 0.2:
        pool = NEGATIVE_EMOJIS if angry else POSITIVE_EMOJIS if category in {
            "felicitacion", "praise_post"} else EMOJIS
        text = f"{text} {rng.choice(pool)}" + (rng.choice(pool) if rng.random() < 0.3 else "")
    elif r < 0.27 and category in PQRS_CATEGORIES:
        text = text.rstrip(".") + rng.choice(("!!", "???", "!!!", "..."))
    return " ".join(text.split())


def compose(category: str, rng: random.Random) -> str:
    """One message text of `category`, from a template and random slot fillers."""
    template = rng.choice(TEMPLATES[category])
    text = template.format(
        s=rng.choice(SALUDOS), c=rng.choice(CIERRES), p=rng.choice(PROGRAMS),
        ps=rng.choice(PROGRAMS_SHORT), l=rng.choice(LOCALITIES), t=rng.choice(DURATIONS),
        d=rng.choice(DOCS), f=rng.choice(STAFF), o=rng.choice(OFFICES), m=rng.choice(AMOUNTS),
        u=author_handle(rng.randrange(5000)), u2=author_handle(rng.randrange(5000)),
    )
    if category != "emoji":
        text = text[0].upper() + text[1:] if text else text
    if category in PQRS_CATEGORIES and category != "felicitacion" and rng.random() < 0.08:
        pii = rng.choice(PII_SUFFIXES).format(a=5000 + rng.randrange(5000),
                                              b=rng.randrange(1000), c=rng.randrange(1000))
        text = f"{text.rstrip()}. {pii}"
    if category == "emoji":
        return text
    return roughen(text, rng, category)


# ----------------------------------------------------------------------------------------------
# The entity's own replies and posts.
# ----------------------------------------------------------------------------------------------

OWN_REPLIES: dict[str, tuple[str, ...]] = {
    "pqrs": (
        "Hola @{h}, gracias por escribirnos. Te enviamos un mensaje privado para revisar tu caso.",
        "@{h} lamentamos la situación. Por favor escríbenos por mensaje directo tu número de radicado para darle trámite.",
        "Hola @{h}, la información de requisitos y fechas está en cvc.example.gov.co/convocatorias. Si tienes dudas te atendemos por DM.",
        "@{h} tu solicitud fue remitida al área encargada. Puedes hacer seguimiento en la línea 601 555 0100.",
        "Gracias @{h}. Registramos tu mensaje como PQRS; recibirás respuesta dentro de los términos de ley.",
    ),
    "thanks": (
        "¡Gracias @{h}! 💙", "Con gusto @{h}, seguimos trabajando por Bogotá 🏠",
        "¡Qué alegría leerte @{h}! Gracias por tu mensaje.",
    ),
    "other": (
        "Hola @{h}, te invitamos a seguir nuestras publicaciones para conocer las convocatorias.",
        "@{h} gracias por tu comentario.",
    ),
}

CAMPAIGN_POSTS: dict[str, tuple[str, ...]] = {
    "rendicion": (
        "📢 Te invitamos a la audiencia pública de {n}: conoce los resultados de la entidad y haz tus preguntas.",
        "¿Qué quieres saber de nuestra gestión? Envía tus preguntas para la {n} hasta el {e}.",
        "En vivo: audiencia pública de {n} desde {l}.",
        "Estos son los avances de los programas de vivienda que presentamos en la {n} 🏠",
    ),
    "subsidio": (
        "📢 Abrimos inscripciones para el {n}. Conoce los requisitos en cvc.example.gov.co #ViviendaDigna",
        "¿Tu casa necesita mejoras? El {n} te puede ayudar. Inscríbete hasta el {e}. #MejoramientoDeVivienda",
        "Así avanzan las obras del {n} en {l} 🏠 #ViviendaDigna",
        "Recuerda: la inscripción al {n} es GRATUITA. No pagues a intermediarios. #CeroTramitadores",
    ),
    "titulacion": (
        "📄 Jornada de {n} en {l}: trae tu cédula y los documentos del predio. #TuCasaATuNombre",
        "Más de 300 familias de {l} ya son propietarias gracias a la {n} 🏡",
        "¿Tu predio no tiene escrituras? Conoce el proceso de {n}. #TuCasaATuNombre",
    ),
    "feria": (
        "🎉 ¡Llega la {n}! Asesoría gratuita, subsidios y oferta de vivienda. Te esperamos en Corferias.",
        "Hoy en la {n}: charlas sobre ahorro programado y crédito para vivienda. #FeriaDeVivienda",
        "Gracias a las miles de familias que visitaron la {n} 💙",
    ),
    "arriendo": (
        "Si pagas arriendo, la {n} te apoya con el canon. Requisitos en cvc.example.gov.co",
        "📢 Resultados de la {n}: consulta si fuiste beneficiario con tu número de documento.",
    ),
    "emergencia": (
        "⚠️ {n}: si tu vivienda en {l} resultó afectada, repórtala en la línea 601 555 0100.",
        "Nuestros equipos técnicos visitan hoy los barrios afectados en {l}. #{t}",
        "Entregamos ayudas a familias damnificadas por las lluvias en {l}. #{t}",
    ),
}
GENERIC_POSTS = (
    "Conoce nuestros puntos de atención y horarios en cvc.example.gov.co/atencion",
    "¿Sabías que todos nuestros trámites son gratuitos? Denuncia cualquier cobro indebido. #CeroTramitadores",
    "Visitamos a las familias beneficiarias de {l} 💙 #ViviendaDigna",
    "Así fue el encuentro con la comunidad de {l} sobre legalización de barrios",
    "📌 Este sábado, jornada de atención en {l} de 8:00 a. m. a 1:00 p. m.",
    "Rendición de cuentas: estos son los avances de nuestros programas de vivienda",
    "Feliz día a todas las madres cabeza de hogar que construyen Bogotá 🏠",
    "Nuestro equipo social acompaña a las familias en el proceso de reasentamiento en {l}",
    "Recuerda actualizar tus datos de contacto para recibir información de las convocatorias",
    "#MartesDeVivienda: te explicamos qué es el subsidio de mejoramiento en 1 minuto ⏱️",
)
