"""Third pass: feedback as people actually leave it (written for Pulso; no real message copied).

Entities that run social programmes receive much of their PQRS through comment boxes, calls and
comments under posts, written by children, parents and community leaders in the plainest words.
Read on real sets, the screener missed whole *kinds* of such messages; each kind is written here
from scratch, with its look-alike from everyday life that is not a PQRS:

* WANT: a wish for a thing or an activity of the programme ("quiero un balón", "nos pueden dar
  colores", "me gustaría recibir charlas de ..."): a request or a suggestion.
  Look-alike: wishes about one's own life ("quiero un helado", "ojalá llueva").
* DISLIKE: what did not please about the service, without complaint words ("no me gustó la
  merienda", "la charla estuvo aburrida", "qué pesar que no alcanzó la comida"):
  dissatisfaction, a reclamo. Look-alike: dislikes of everyday life ("no me gustan los lunes").
* IMPROVE: how the service should change ("para mejorar: ...", "deberían hacer más encuentros",
  "fuera mejor si ..."): a sugerencia. Look-alike: rhetorical wishes about the world.
* PENDING: a promise of the entity not kept ("me quedaron de llamar y nada"): a reclamo.
  Look-alike: friends who do not answer.
* NEED: circumstances told to ask for help, a CV sent for a vacancy: a petition.
* HARM: a child or an adult telling of mistreatment by staff or at home ("la profe nos dice
  groserías", "mi papá me pega"): a queja, or a case the entity must route; never chatter.
* CONTACT: only a name, an ID and a phone or an address, or a one-line procedure ("anexar a mi
  hijo al núcleo"): the writer asks to be contacted or for a procedure.
* MIXED: praise that leads into a wish or a complaint ("me gustó el taller, pero quisiera que
  fuera en un lugar más fresco"); the praise is courtesy, the wish is what asks for action.
  Wishes are often bare subjunctive clauses ("que haya más días de clase").
"""

from __future__ import annotations

SLOTS: dict[str, tuple[str, ...]] = {
    "want": (
        "un balón", "colores y cuadernos", "una bicicleta", "juguetes", "plastilina", "lápices",
        "un kit escolar", "una muñeca", "útiles escolares", "material para dibujar", "cartulina",
        "uniformes para el equipo", "un tablero nuevo", "implementos deportivos", "un botiquín",
        "libros de cuentos", "una piscina", "un parque", "ventiladores", "aire acondicionado",
        "más juegos de mesa", "un computador", "pinturas", "una cancha", "refrigerio",
        "helado en la merienda", "pollo en el almuerzo", "una fiesta de fin de año", "regalos",
        "un salón más grande", "sillas para los niños", "colchonetas", "instrumentos de música",
        "mesas nuevas", "un comedor más amplio", "canecas de basura", "una nevera para la sede",
        "estantes para los libros", "cortinas", "un techo para la cancha", "baños nuevos",
        "una rampa para las sillas de ruedas", "tapabocas", "camisetas del programa", "un mural",
    ),
    "role": (
        "la monitora", "el monitor", "la tutora", "el tutor", "el guarda", "la cocinera",
        "la señora del aseo", "la coordinadora", "el recreador", "la recreadora", "la enfermera",
        "el médico", "la funcionaria", "el asesor", "la señora de la entrada", "el portero",
        "la instructora", "el entrenador", "la líder del grupo", "el conductor de la ruta",
    ),
    "topic": (
        "charlas de salud sexual", "talleres de finanzas", "capacitación en emprendimiento",
        "cursos de sistemas", "orientación psicológica", "charlas para los padres",
        "clases de música", "talleres de prevención del consumo", "cursos de inglés",
        "charlas sobre derechos", "capacitaciones en cocina", "formación para el empleo",
    ),
    "skill": (
        "a bailar", "inglés", "a tocar guitarra", "a usar el computador", "a coser", "a nadar",
        "a pintar", "a hacer manualidades", "peluquería", "a leer mejor",
    ),
    "bad": (
        "nos dejen esperando tanto", "no haya ventilador", "nos griten", "nos dejen sin recreo",
        "cambien el horario sin avisar", "no alcancen los kits para todos",
        "haga tanto calor en el salón", "los baños estén sucios", "no haya agua para tomar",
        "siempre den lo mismo de comer", "empiecen tarde", "no nos presten los juguetes",
        "nos regañen por todo", "no nos dejen jugar", "la fila sea tan larga",
    ),
    "badn": (
        "la comida", "la merienda", "el jugo", "el refrigerio", "la actividad", "la charla",
        "el taller", "el transporte", "el trato", "el espacio", "el horario", "la atención",
    ),
    "improve_do": (
        "hacer más encuentros", "realizar las charlas más seguido", "ampliar los horarios",
        "llegar a más comunidades", "dar más tiempo a las actividades", "mejorar la comida",
        "avisar con tiempo los cambios", "tener más personal", "organizar mejor las filas",
        "incluir a los adultos mayores", "traer más materiales", "hacer las reuniones en la tarde",
        "hacer más difusión del programa", "ampliar la cobertura", "visitar más las veredas",
        "tener en cuenta a los jóvenes", "dar transporte a los que vivimos lejos",
    ),
    "improve_if": (
        "hicieran más talleres", "las charlas fueran más largas", "avisaran antes",
        "hubiera más cupos", "cambiaran el menú", "nos dieran transporte",
        "el espacio fuera más grande", "vinieran más seguido", "hubiera más profesores",
        "las actividades fueran en la tarde", "dieran más refrigerio",
    ),
    "praise": (
        "me gustó mucho el taller", "todo muy bien", "la charla estuvo muy buena",
        "me gusta venir", "gracias por el espacio", "me encantó la actividad",
        "los profes son muy buenos", "estuvo chévere", "me pareció muy bueno el encuentro",
        "felicitaciones por la jornada", "el programa es muy bonito", "gracias por todo",
        "me gusta mucho el programa", "buena la comida", "me divertí mucho",
    ),
    "wishc": (
        "haya más días de clase", "nos den {want}", "traigan {want}", "no se demore el almuerzo",
        "podamos tener {want}", "vuelvan pronto", "las actividades sean más largas",
        "nos tengan en cuenta", "hagan más actividades así", "cambien el refrigerio",
        "el lugar sea más amplio", "fuera en un sitio más fresco", "lo repitan más seguido",
        "vengan también a mi colegio", "nos avisen antes", "no se vaya {staffer}",
        "pongan {want} en el salón", "dicten {topic}", "hubiera sido más largo",
    ),
    "badc": (
        "hace mucho calor", "faltó organización", "la comida no estaba buena", "empezó tarde",
        "no alcanzó el refrigerio", "fue muy corto", "el sonido no se escuchaba",
        "faltaron sillas", "nos tocó esperar mucho", "fue muy a la carrera",
    ),
    "pwant": (
        "un helado", "vacaciones", "dormir", "una pizza", "un novio", "ir a la playa",
        "que llegue el viernes", "un café", "plata para el concierto", "un perrito",
        "ver la película", "que gane mi equipo", "unos tenis nuevos", "un abrazo",
    ),
    "pdislike": (
        "los lunes", "el frío", "madrugar", "el reguetón", "esa serie", "que me ignoren",
        "la gente falsa", "el calor de esta ciudad", "las despedidas", "el tráfico de la mañana",
        "el final de la película", "estudiar matemáticas", "hacer ejercicio",
    ),
}

TEMPLATES: dict[str, tuple[str, ...]] = {
    # ---- WANT
    "sugerencia": (
        "quiero {want}", "yo quiero {want} para jugar", "queremos {want}", "yo quisiera {want}",
        "quisiéramos {want}", "necesitaríamos {want}", "nos haría falta {want}", "pedimos {want} para la sede",
        "quisiéramos {want} para el salón", "pedimos {want}", "que nos traigan {want}",
        "ojalá nos traigan {want}", "me gustaría recibir {topic}", "me gustaría que dictaran {topic}",
        "quiero aprender {skill}", "quiero que me enseñen {skill}", "quiero que vuelva {staffer}",
        "que venga otra vez {staffer}", "{want} por favor", "nos hace falta {want}",
        "yo quiero que traigan {want} el lunes", "queremos que haya {topic}",
        # ---- IMPROVE
        "para mejorar: {improve_do}", "a mejorar: {improve_do}", "sugerencia: {improve_do}",
        "deberían {improve_do}", "debería haber {want}", "deberían {improve_do}, es muy poco",
        "sería mejor si {improve_if}", "fuera mejor si {improve_if}", "ojalá puedan {improve_do}",
        "estaría bien {improve_do}", "recomiendo {improve_do}", "mi opinión es {improve_do}",
        "mi opinión sería que {improve_if}", "que {act} sean más seguido",
        "más tiempo para {act}", "lo que cambiaría: {improve_do}", "propongo {improve_do}",
        "todo bien pero falta {improve_do}", "me gustó pero deberían {improve_do}",
        "{act} estuvo bien, para la próxima {improve_do}",
        # ---- MIXED, bare wishes
        "que {wishc}", "quisiera que {wishc}", "me gustaría que {wishc}", "ojalá {wishc}",
        "pido que {wishc}", "{praise}, pero quisiera que {wishc}", "{praise} pero me gustaría que {wishc}",
        "{praise}, solo que {badc}, ojalá {wishc}", "{praise}; para mejorar, {improve_do}",
        "{praise}, lo único es que {wishc}", "{praise}. sugiero que {wishc}",
        "{praise} y quiero que {wishc}", "si es posible, {improve_do}",
        "podrían {improve_do} si es posible", "{praise}, queremos {want}",
    ),
    # ---- DISLIKE, PENDING
    "reclamo": (
        "no me gusta {badn}", "no me gustó {badn}", "no me gusta que {bad}",
        "a mí no me gustó {act} porque me aburrí", "{act} estuvo muy aburrida", "{act} fue aburrido",
        "me aburrí mucho en {act}", "{food} no estaba rico", "{food} sabía feo",
        "{food} llegó frío", "lo que no me gustó fue {badn}", "lo único malo fue {badn}",
        "{act} fue muy corto", "me sentí mal porque {bad}", "qué tristeza que no hubo {want} para todos",
        "nos quedamos sin {want}", "siempre dan lo mismo de merienda", "no me gusta cuando {staffer} grita",
        "{badn} estuvo muy mal", "{badn} fue pésimo", "me siento triste porque no hubo {act}",
        "me quedaron de llamar y no me han llamado", "me dijeron que me llamaban y nada",
        "nadie me da razón de {proc}", "no me volvieron a llamar después de la encuesta",
        "me inscribí a {prog} y nunca me contactaron",
        "me citaron y nadie me atendió", "fui a la cita y estaba cerrado",
        "me tienen dando vueltas con {proc}", "ya entregué los papeles y no me dicen nada",
        "me prometieron {want} y nunca llegó",
        "{praise}, pero {badc}", "{praise} aunque {badc}", "{praise}, lo malo es que {badc}",
        "{badc}, eso hay que mejorarlo", "{badc} y nos incomodó", "{praise} pero no me gustó {badn}", "no encuentro la dirección del sitio y nadie me sabe decir",
    ),
    # ---- NEED
    "peticion_general": (
        "estoy necesitada, somos mis hijos y yo solos", "le pido a Dios y a ustedes una ayuda",
        "estoy pasando por una situación muy difícil con mis niños",
        "no tengo trabajo y necesito ayuda para el arriendo",
        "envío mi hoja de vida por si hay algún puesto", "busco empleo, tengo experiencia en cocina",
        "mi hijo necesita {want} para el colegio y no tengo cómo comprarlo",
        "nos pueden colaborar con {want} para las tareas",
        "quisiera que me tuvieran en cuenta para {benefit}",
    ),
    "queja": (
        "{role} nos dice groserías", "{role} nos regaña feo", "{role} nos trata de tontos",
        "{role} nos grita cuando nos equivocamos", "{role} se burla de nosotros",
        "{role} no nos deja entrar si llegamos tarde", "{role} me habló muy feo",
        "{staffer} nos dice groserías", "{staffer} nos pone apodos", "{staffer} le pegó a un niño",
        "{staffer} nos trata de brutos", "un compañero me pega y {staffer} no hace nada",
        "mi papá me pega y no me deja salir", "en mi casa me tratan mal", "me hacen bullying en el salón",
        "{staffer} solo le pone atención a unos pocos", "me da miedo {staffer} porque grita",
    ),
    "peticion_info": (
        "Ana Ruiz, C.C. [número], tel. [número], barrio {place}", "nombre: Jorge Díaz, celular [número]",
        "mis datos: Marta López, [número], vereda {place}", "dejo mi número [número] para que me llamen",
        "cambié de número, el nuevo es [número]", "espero su respuesta, muchas gracias",
        "anexar a mi hijo al núcleo familiar", "actualizar mis datos en el registro",
        "certificado de participación en {benefit}", "constancia de que asistí a {benefit}",
        "me llamaron pero no pude contestar, ¿quién era?",
        "era para preguntar sobre {benefit}", "qué posibilidades hay de entrar a {benefit}",
        "quiero información de {benefit} para mi hija", "es para lo de {benefit}",
        "me comentaron que ustedes ayudan con {benefit}, qué debo hacer",
    ),
    # ---- Look-alikes from everyday life
    "none": (
        "quiero {pwant}", "yo solo quiero {pwant}", "ojalá {pwant} jaja", "quisiera {pwant} ya",
        "no me gustan {pdislike}", "no me gusta {pdislike}", "odio {pdislike}",
        "qué aburrido es {pdislike}", "estoy aburrido en mi casa", "me aburro en vacaciones",
        "sería mejor si no existieran {pdislike} jaja", "deberían prohibir {pdislike} jaja",
        "mi amiga me quedó de llamar y nada, así son", "me dejó en visto otra vez",
        "para mejorar mi día necesito {pwant}", "mi opinión: {pdislike} es lo peor",
        "a mí no me gustó esa película, muy aburrida", "el concierto estuvo aburrido",
        "me siento triste porque se acabó la serie", "estoy triste porque perdió mi equipo",
        "queremos {pwant} ya", "le pido a Dios {pwant}", "necesito {pwant} urgente",
        "me encantó la película pero quisiera que fuera más larga",
        "el concierto estuvo buenísimo, lo malo es que llovió", "que llegue rápido el viernes",
        "ojalá mañana haga sol", "que gane mi equipo, por favor", "buen partido aunque perdimos",
    ),
}
