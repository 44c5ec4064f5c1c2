"""Which export a table is, from its header: an alias map per export kind (English + Spanish).

Networks add, drop and reorder columns between releases (the Meta posts CSV has 32 to 34
columns), so a kind is recognised when its *required* columns are all present under any known
alias, wherever they are; extra and shuffled columns are fine. Each field lists aliases in
order of preference, so "Impressions (total)" wins over "Impressions (organic)" when a LinkedIn
file carries both. A header that matches most of a kind but misses required columns is
reported with the missing columns named, instead of "unknown file".
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from pulso.sources.exports.values import _fold


def norm_header(h: object) -> str:
    """'Watch time (hours)' -> 'watch time hours'; 'Título' -> 'titulo'."""
    if h is None:
        return ""
    s = _fold(str(h)).replace("\ufeff", "")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", s).split())


@dataclass(frozen=True)
class Col:
    """One logical column: English and Spanish header aliases, most preferred first."""

    en: tuple[str, ...]
    es: tuple[str, ...] = ()
    label: str = ""  # as the export spells it, for messages ("Publish time / Hora de publicación")


@dataclass(frozen=True)
class ExportKind:
    name: str
    label: str
    network: str | None  # None: decided by the account (Meta page exports: Facebook or Instagram)
    cols: dict[str, Col]
    required: tuple[str, ...]
    forbidden: tuple[str, ...] = ()  # fields (listed in cols) whose presence means another kind
    table: str = "account_daily"  # main target table (for messages)
    min_found: int = 0  # a complete match needs this many recognised columns at least


def _c(en: str | tuple[str, ...], es: str | tuple[str, ...] = ()) -> Col:
    en_t = (en,) if isinstance(en, str) else en
    es_t = (es,) if isinstance(es, str) else es
    label = en_t[0] if not es_t else f"{en_t[0]} / {es_t[0]}"
    return Col(tuple(norm_header(a) for a in en_t), tuple(norm_header(a) for a in es_t), label)


# Spanish (es-CO UI) and Portuguese (pt-BR UI) headers share the `es` list: both are read
# day-first by default and both are the offices' second language after English.
DATE = _c(("Date", "Day"), ("Fecha", "Día", "Data", "Dia"))
_POST_ID = _c(("Post ID", "Post id"), ("Identificador de la publicación", "ID de la publicación",
                                      "Identificador de publicación",
                                      "Identificação da publicação", "ID da publicação"))
_PUBLISH = _c(("Publish time", "Published time", "Publish date"),
              ("Hora de publicación", "Fecha de publicación", "Hora de la publicación",
               "Horário de publicação", "Data de publicação"))
_PERMALINK = _c(("Permalink", "Post link"), ("Enlace permanente", "Enlace", "Link permanente"))
_POST_TYPE = _c(("Post type", "Type"), ("Tipo de publicación", "Tipo", "Tipo de publicação"))
_DESCRIPTION = _c(("Description", "Message", "Caption"), ("Descripción", "Mensaje", "Descrição"))
_TITLE = _c("Title", ("Título",))
_VIEWS = _c(("Views", "Impressions"), ("Visualizaciones", "Impresiones", "Visualizações",
                                       "Impressões"))
_REACH = _c("Reach", "Alcance")
_COMMENTS = _c("Comments", ("Comentarios", "Comentarios totales", "Comentários"))
_SHARES = _c(("Shares", "Reposts"), ("Veces que se compartió", "Veces compartido", "Compartidos",
                                     "Compartidos totales", "Compartilhamentos"))
_LIKES = _c("Likes", ("Me gusta", "Me gusta totales", "Curtidas"))
_PAGE_ID = _c("Page ID", ("Identificador de la página", "ID de la página",
                          "Identificação da página", "ID da página"))
_PAGE_NAME = _c("Page name", ("Nombre de la página", "Nome da página"))
_ACCOUNT_ID = _c("Account ID", ("Identificador de la cuenta", "ID de la cuenta",
                                "Identificação da conta", "ID da conta"))
_ACCOUNT_USER = _c("Account username", ("Nombre de usuario de la cuenta",
                                        "Nome de usuário da conta"))
_ACCOUNT_NAME = _c("Account name", ("Nombre de la cuenta", "Nome da conta"))
_DURATION = _c(("Duration (sec)", "Duration"), ("Duración (s)", "Duración (segundos)",
                                                "Duración", "Duração (segundos)", "Duração"))
_DATA_COMMENT = _c("Data comment", ("Comentario de datos", "Comentário de dados"))
_CAPTION_TYPE = _c("Caption type", ("Tipo de subtítulos", "Tipo de legenda"))
_YT_CONTENT = _c(("Content", "Video"), ("Contenido", "Conteúdo", "Vídeo"))
_YT_VIEWS = _c("Views", ("Vistas", "Visualizaciones", "Visualizações"))
_YT_WATCH = _c("Watch time (hours)", ("Tiempo de visualización (horas)",
                                      "Tiempo de reproducción (horas)",
                                      "Tempo de exibição (horas)"))
_YT_SUBS = _c("Subscribers", ("Suscriptores", "Inscritos"))
_YT_LIKES = _c("Likes", ("Me gusta", "Marcações \"Gostei\"", "Gostei"))
_YT_COMMENTS = _c("Comments added", ("Comentarios añadidos", "Comentarios agregados",
                                     "Comentários adicionados"))
_YT_SHARES = _c("Shares", ("Veces compartido", "Compartidos", "Compartilhamentos"))
_YT_IMPRESSIONS = _c("Impressions", ("Impresiones", "Impressões"))
_X_IMPRESSIONS = _c(("Impressions",), ("Impresiones", "Impressões"))
_X_ENGAGEMENTS = _c("Engagements", ("Interacciones", "Engajamentos"))
_X_BOOKMARKS = _c("Bookmarks", ("Elementos guardados", "Itens salvos"))
_X_REPLIES = _c("Replies", ("Respuestas", "Respostas"))
_X_REPOSTS = _c(("Reposts", "Retweets"), ("Reposts", "Retweets", "Republicaciones"))
_X_PROFILE = _c(("Profile visits", "User profile clicks"), ("Visitas al perfil",
                                                            "Clics en el perfil del usuario",
                                                            "Visitas ao perfil"))
_X_FOLLOWS = _c(("New follows", "Follows"), ("Nuevos seguidores", "Seguimientos nuevos",
                                             "Seguimientos", "Novos seguidores"))
_TT_LINK = _c(("Video link", "Link"), ("Enlace del video", "Enlace del vídeo", "Link do vídeo"))
_TT_TITLE = _c(("Video title", "Title"), ("Título del video", "Título del vídeo",
                                          "Título do vídeo"))
_TT_POST_TIME = _c(("Post time", "Posted time", "Publish time"),
                   ("Hora de publicación", "Fecha de publicación", "Horário da publicação",
                    "Horário de publicação"))
_TT_VIEWS = _c(("Total views", "Video views", "Views"),
               ("Visualizaciones totales", "Visualizaciones de video", "Reproducciones de video",
                "Visualizaciones", "Visualizações totais", "Visualizações do vídeo",
                "Visualizações"))
_TT_LIKES = _c(("Total likes", "Likes"), ("Me gusta totales", "Me gusta", "Curtidas"))
_TT_COMMENTS = _c(("Total comments", "Comments"), ("Comentarios totales", "Comentarios",
                                                   "Comentários"))
_TT_SHARES = _c(("Total shares", "Shares"), ("Veces compartido", "Compartidos totales",
                                             "Compartidos", "Compartilhamentos"))

# YouTube Studio tables whose first column is an audience dimension (not a video or a day)
YOUTUBE_DIMENSIONS: dict[str, str] = {}
for _dim, _aliases in {
    "subscription_status": ("Subscription status", "Estado de la suscripción",
                            "Estado de suscripción", "Status da inscrição"),
    "subscription_source": ("Subscription source", "Fuente de suscripción",
                            "Origem da inscrição"),
    "country": ("Geography", "Geografía", "Geografia"),
    "city": ("City", "Ciudad", "Cidade"),
    "age": ("Viewer age", "Edad del usuario", "Edad del espectador", "Idade do espectador"),
    "gender": ("Viewer gender", "Género del usuario", "Sexo del usuario",
               "Género del espectador", "Gênero do espectador"),
    "traffic_source": ("Traffic source", "Fuente de tráfico", "Origem do tráfego"),
    "device": ("Device type", "Tipo de dispositivo"),
    "viewer_type": ("New and returning viewers", "Usuarios nuevos y recurrentes",
                    "Espectadores novos e recorrentes"),
    "content_type": ("Content type", "Tipo de contenido", "Tipo de conteúdo"),
}.items():
    for _a in _aliases:
        YOUTUBE_DIMENSIONS[norm_header(_a)] = _dim
_YT_DIMENSION = Col(tuple(YOUTUBE_DIMENSIONS), (), "Subscription status / Geography / ...")

KINDS: tuple[ExportKind, ...] = (
    ExportKind(
        "meta_posts", "Meta Business Suite posts", "facebook",
        {
            "post_id": _POST_ID, "page_id": _PAGE_ID, "page_name": _PAGE_NAME,
            "title": _TITLE, "description": _DESCRIPTION,
            "publish_time": _PUBLISH, "permalink": _PERMALINK, "post_type": _POST_TYPE,
            "views": _VIEWS, "reach": _REACH,
            "reactions": _c("Reactions", ("Reacciones", "Reações")),
            "comments": _COMMENTS, "shares": _SHARES,
            "clicks": _c(("Total clicks", "Clicks"), ("Clics totales", "Total de clics",
                                                      "Cliques totais")),
            "video_views": _c(("3-second video views", "Video views"),
                              ("Reproducciones de video de 3 segundos",
                               "Reproducciones de video", "Visualizações de vídeo de 3 segundos")),
            "seconds_viewed": _c("Seconds viewed", ("Segundos reproducidos",
                                                    "Segundos visualizados")),
            "duration": _DURATION, "data_comment": _DATA_COMMENT, "date": DATE,
            "caption_type": _CAPTION_TYPE,
        },
        required=("post_id", "publish_time", "reach", "reactions"), table="post_daily",
    ),
    ExportKind(
        "facebook_videos", "Meta Business Suite Facebook videos", "facebook",
        {
            "video_id": _c(("Video ID", "Video asset ID", "Asset ID"),
                           ("Identificador del video", "ID del video", "Identificador del vídeo",
                            "ID del vídeo", "Identificação do vídeo", "ID do vídeo")),
            "post_id": _POST_ID, "page_id": _PAGE_ID, "page_name": _PAGE_NAME,
            "title": _TITLE, "description": _DESCRIPTION, "publish_time": _PUBLISH,
            "permalink": _PERMALINK, "post_type": _POST_TYPE, "duration": _DURATION,
            "video_views": _c(("3-second video views", "3-second views", "Video views"),
                              ("Reproducciones de video de 3 segundos",
                               "Reproducciones de 3 segundos", "Reproducciones de video",
                               "Visualizações de vídeo de 3 segundos")),
            "views": _VIEWS, "reach": _REACH,
            "reactions": _c("Reactions", ("Reacciones", "Reações")),
            "comments": _COMMENTS, "shares": _SHARES,
            "seconds_viewed": _c("Seconds viewed", ("Segundos reproducidos",
                                                    "Segundos visualizados")),
            "minutes_viewed": _c("Minutes viewed", ("Minutos reproducidos",
                                                    "Minutos visualizados")),
            "data_comment": _DATA_COMMENT, "date": DATE,
        },
        required=("video_id", "publish_time", "video_views"), table="post_daily",
    ),
    ExportKind(
        "instagram_posts", "Instagram posts", "instagram",
        {
            "post_id": _POST_ID, "account_id": _ACCOUNT_ID, "account_username": _ACCOUNT_USER,
            "account_name": _ACCOUNT_NAME, "permalink": _PERMALINK, "publish_time": _PUBLISH,
            "description": _DESCRIPTION, "post_type": _POST_TYPE, "views": _VIEWS,
            "reach": _REACH, "likes": _LIKES, "comments": _COMMENTS, "shares": _SHARES,
            "saves": _c("Saves", ("Veces guardado", "Guardados", "Salvamentos")),
            "follows": _c("Follows", ("Seguimientos", "Seguidores", "Seguimentos")),
            "duration": _DURATION, "data_comment": _DATA_COMMENT, "date": DATE,
        },
        required=("post_id", "publish_time", "likes", "saves"), table="post_daily",
    ),
    ExportKind(
        "meta_page_metric", "Meta page daily metric", None,
        {"date": DATE, "primary": _c("Primary", ("Principal", "Primário"))},
        required=("date", "primary"),
    ),
    ExportKind(
        "x_account_overview", "X account overview", "x",
        {
            "date": DATE, "impressions": _X_IMPRESSIONS, "likes": _LIKES,
            "engagements": _X_ENGAGEMENTS, "bookmarks": _X_BOOKMARKS,
            "shares": _c("Shares", ("Veces compartido", "Compartilhamentos")),
            "new_follows": _X_FOLLOWS,
            "unfollows": _c("Unfollows", ("Dejaron de seguir", "Dejar de seguir",
                                          "Deixaram de seguir")),
            "replies": _X_REPLIES, "reposts": _X_REPOSTS, "profile_visits": _X_PROFILE,
            "video_views": _c(("Video views", "Media views"),
                              ("Reproducciones de video", "Visualizaciones de video",
                               "Visualizaciones de contenido multimedia",
                               "Visualizações de vídeo")),
            "published": _c(("Create Post", "Tweets published", "Posts published"),
                            ("Publicaciones creadas", "Tweets publicados", "Posts publicados")),
            "post_id": _c(("Post ID", "Post id", "Tweet id"), _POST_ID.es),
        },
        required=("date", "impressions", "engagements"), forbidden=("post_id",),
    ),
    ExportKind(
        "x_content", "X content", "x",
        {
            "post_id": _c(("Post id", "Tweet id"), ("Id de la publicación", "Id del post",
                                                    "Id do post")),
            "date": _c(("Date", "Time", "Day"), ("Fecha", "Hora", "Data")),
            "text": _c(("Post text", "Tweet text"), ("Texto de la publicación", "Texto del post",
                                                     "Texto do post")),
            "permalink": _c(("Post Link", "Link", "Tweet permalink", "Permalink"),
                            ("Enlace de la publicación", "Enlace del post", "Enlace",
                             "Link do post")),
            "impressions": _X_IMPRESSIONS, "likes": _LIKES,
            "engagements": _X_ENGAGEMENTS, "bookmarks": _X_BOOKMARKS,
            "shares": _c(("Shares", "Share"), ("Veces compartido", "Compartir",
                                               "Compartilhamentos")),
            "replies": _X_REPLIES, "reposts": _X_REPOSTS,
            "clicks": _c(("URL Clicks", "Link clicks"), ("Clics en el enlace", "Clics en URL",
                                                         "Cliques no link")),
            "video_views": _c(("Video views", "Media views"),
                              ("Reproducciones de video", "Visualizaciones de video")),
        },
        required=("post_id", "date", "impressions"), table="post_daily",
    ),
    ExportKind(
        "youtube_table", "YouTube Studio Table data.csv", "youtube",
        {
            "content": _YT_CONTENT,
            "title": _c("Video title", ("Título del video", "Título del vídeo",
                                        "Título do vídeo")),
            "publish_time": _c("Video publish time", ("Hora de publicación del video",
                                                      "Fecha de publicación del video",
                                                      "Horário de publicação do vídeo")),
            "views": _YT_VIEWS, "watch_hours": _YT_WATCH, "impressions": _YT_IMPRESSIONS,
            "likes": _YT_LIKES, "comments": _YT_COMMENTS, "shares": _YT_SHARES,
            "duration": _DURATION,
            "date": DATE,  # per-day per-video tables (Chart data.csv) are not lifetime totals
        },
        required=("content", "views"), forbidden=("date",), table="post_daily",
    ),
    ExportKind(
        "youtube_totals", "YouTube Studio Totals.csv", "youtube",
        {
            "date": DATE, "views": _YT_VIEWS, "watch_hours": _YT_WATCH,
            "subscribers": _YT_SUBS,
            "subs_gained": _c("Subscribers gained", ("Suscriptores obtenidos",
                                                     "Suscriptores ganados",
                                                     "Inscritos obtidos")),
            "subs_lost": _c("Subscribers lost", ("Suscriptores perdidos", "Inscritos perdidos")),
            "likes": _YT_LIKES, "comments": _YT_COMMENTS, "shares": _YT_SHARES,
            "content": _YT_CONTENT, "dimension": _YT_DIMENSION,
        },
        required=("date", "views"), forbidden=("content", "dimension"),
    ),
    ExportKind(
        "youtube_audience", "YouTube Studio audience table", "youtube",
        {
            "dimension": _YT_DIMENSION, "views": _YT_VIEWS, "watch_hours": _YT_WATCH,
            "views_share": _c(("Views (%)",), ("Vistas (%)", "Visualizaciones (%)",
                                               "Visualizações (%)")),
            "watch_share": _c(("Watch time (hours) (%)",),
                              ("Tiempo de visualización (horas) (%)",
                               "Tempo de exibição (horas) (%)")),
            "subscribers": _YT_SUBS, "date": DATE, "content": _YT_CONTENT,
        },
        required=("dimension",), forbidden=("date", "content"), table="audience_breakdown",
        min_found=2,  # the dimension plus a YouTube metric: "Ciudad" alone is not YouTube
    ),
    ExportKind(
        "tiktok_studio", "TikTok Studio overview", "tiktok",
        {
            "date": DATE,
            "video_views": _c(("Video views", "Total video views"),
                              ("Visualizaciones totales", "Visualizaciones de videos",
                               "Visualizaciones de video", "Reproducciones de video",
                               "Visualizações de vídeo", "Visualizações do vídeo")),
            "profile_views": _c(("Profile views", "Total profile views"),
                                ("Visualizaciones del perfil", "Visitas al perfil",
                                 "Visualizaciones de perfil", "Visualizações do perfil")),
            "likes": _TT_LIKES, "comments": _TT_COMMENTS, "shares": _TT_SHARES,
            "followers": _c("Followers", "Seguidores"),
            "new_followers": _c("New followers", ("Nuevos seguidores", "Novos seguidores")),
            "lost_followers": _c("Lost followers", ("Seguidores perdidos",)),
            "net_growth": _c(("Net growth", "Net followers"), ("Crecimiento neto",
                                                               "Crescimento líquido")),
            "reach": _c(("Reached audience", "Reach"), ("Audiencia alcanzada", "Alcance",
                                                        "Público alcançado")),
            "impressions": _c("Impressions", "Impresiones"),
        },
        required=("date", "video_views", "profile_views"), forbidden=("impressions",),
    ),
    ExportKind(
        "tiktok_content", "TikTok Studio content (per video)", "tiktok",
        {
            "link": _TT_LINK, "title": _TT_TITLE, "post_time": _TT_POST_TIME,
            "views": _TT_VIEWS, "likes": _TT_LIKES, "comments": _TT_COMMENTS,
            "shares": _TT_SHARES,
            "favorites": _c(("Add to Favorites", "Favorites", "Saves"),
                            ("Añadir a favoritos", "Favoritos", "Guardados",
                             "Adicionar aos favoritos")),
            "export_time": _c("Time", ("Hora", "Horário")),
        },
        required=("link", "post_time"), table="post_daily",
    ),
    ExportKind(
        "tiktok_followers", "TikTok FollowerHistory.csv", "tiktok",
        {
            "date": DATE, "followers": _c("Followers", "Seguidores"),
            "net": _c(("Difference in followers from previous day", "Difference in followers",
                       "Net growth"),
                      ("Diferencia de seguidores con respecto al día anterior",
                       "Diferencia de seguidores respecto al día anterior",
                       "Diferencia de seguidores", "Diferença de seguidores em relação ao dia "
                       "anterior", "Diferença de seguidores")),
        },
        required=("date", "net"),
    ),
    ExportKind(
        "tiktok_viewers", "TikTok Viewers.csv", "tiktok",
        {
            "date": DATE,
            "viewers": _c(("Total viewers", "Viewers", "Unique viewers"),
                          ("Espectadores totales", "Espectadores", "Espectadores únicos",
                           "Total de espectadores")),
            "new_viewers": _c("New viewers", ("Espectadores nuevos", "Nuevos espectadores",
                                              "Novos espectadores")),
            "returning_viewers": _c("Returning viewers", ("Espectadores recurrentes",
                                                          "Espectadores que regresan",
                                                          "Espectadores recorrentes")),
        },
        required=("date", "viewers"),
    ),
    ExportKind(
        "linkedin_followers", "LinkedIn followers", "linkedin",
        {
            "date": DATE,
            "sponsored": _c("Sponsored followers", "Seguidores patrocinados"),
            "organic": _c("Organic followers", "Seguidores orgánicos"),
            "auto_invited": _c("Auto-invited followers", "Seguidores invitados automáticamente"),
            "total": _c("Total followers", ("Total de seguidores", "Seguidores totales")),
        },
        required=("date", "organic"),
    ),
    ExportKind(
        "linkedin_content", "LinkedIn content", "linkedin",
        {
            "date": DATE,
            "impressions": _c(("Impressions (total)", "Impressions", "Impressions (organic)"),
                              ("Impresiones (total)", "Impresiones", "Impresiones (orgánicas)")),
            "unique_impressions": _c(
                ("Unique impressions (total)", "Unique impressions",
                 "Unique impressions (organic)"),
                ("Impresiones únicas (total)", "Impresiones únicas",
                 "Impresiones únicas (orgánicas)")),
            "clicks": _c(("Clicks (total)", "Clicks", "Clicks (organic)"),
                         ("Clics (total)", "Clics", "Clics (orgánicos)")),
            "reactions": _c(("Reactions (total)", "Reactions", "Reactions (organic)"),
                            ("Reacciones (total)", "Reacciones", "Reacciones (orgánicas)")),
            "comments": _c(("Comments (total)", "Comments", "Comments (organic)"),
                           ("Comentarios (total)", "Comentarios", "Comentarios (orgánicos)")),
            "reposts": _c(("Reposts (total)", "Reposts", "Reposts (organic)", "Shares"),
                          ("Veces compartido (total)", "Veces compartido", "Compartidos")),
            "engagement_rate": _c(("Engagement rate (total)", "Engagement rate"),
                                  ("Tasa de interacción (total)", "Tasa de interacción")),
        },
        required=("date", "impressions", "clicks"),
    ),
    ExportKind(
        "linkedin_visitors", "LinkedIn visitors", "linkedin",
        {
            "date": DATE,
            "page_views": _c(("Total page views (total)", "Overview page views (total)",
                              "Total page views", "Page views"),
                             ("Vistas de página totales (total)", "Total de vistas de página",
                              "Vistas de página")),
            "unique_visitors": _c(("Total unique visitors (total)",
                                   "Overview unique visitors (total)", "Unique visitors"),
                                  ("Visitantes únicos totales (total)", "Visitantes únicos")),
        },
        required=("date", "page_views"),
    ),
)
KINDS_BY_NAME = {k.name: k for k in KINDS}
# kinds an analyst sees (the YouTube parts make up one "youtube_studio" zip)
EXPORT_KINDS = ("meta_posts", "meta_page_metric", "meta_audience", "facebook_videos",
                "instagram_posts", "x_account_overview", "x_content", "youtube_studio",
                "youtube_audience", "tiktok_studio", "tiktok_content", "tiktok_followers",
                "tiktok_viewers", "linkedin_followers", "linkedin_content", "linkedin_visitors")


@dataclass
class HeaderMatch:
    kind: ExportKind
    header_index: int  # index into the grid's rows
    columns: dict[str, int]  # field -> column position
    missing: list[str] = field(default_factory=list)
    language: str = "en"

    @property
    def complete(self) -> bool:
        return not self.missing


def match_header(kind: ExportKind, cells: list[object]) -> tuple[dict[str, int], str]:
    """Fields of `kind` found in a header row -> their positions; plus the header's language."""
    normed = [norm_header(c) for c in cells]
    pos: dict[str, int] = {}
    for i, h in enumerate(normed):
        pos.setdefault(h, i)
    found: dict[str, int] = {}
    es_hits = en_hits = 0
    for key, col in kind.cols.items():
        for alias in col.en:
            if alias in pos:
                found[key] = pos[alias]
                en_hits += 1
                break
        else:
            for alias in col.es:
                if alias in pos:
                    found[key] = pos[alias]
                    es_hits += 1
                    break
    return found, ("es" if es_hits > en_hits else "en")


def detect(rows: list[tuple[int, list[object]]], *, scan: int = 12,
           kinds: tuple[ExportKind, ...] = KINDS) -> HeaderMatch | None:
    """The best (kind, header row) among the first `scan` rows; possibly incomplete.

    A complete match (all required fields, no forbidden one) beats any partial one; ties go to
    the match with more recognised columns. A partial match is returned only when it found at
    least half of the kind's required fields (two or more), so that its missing columns can be
    named; otherwise None (unknown kind).
    """
    best: tuple[tuple, HeaderMatch] | None = None
    best_partial: tuple[tuple, HeaderMatch] | None = None
    for idx, (_line, cells) in enumerate(rows[:scan]):
        if sum(1 for c in cells if c not in (None, "")) < 2:
            continue  # a title or metric-name line, not a header
        for kind in kinds:
            found, lang = match_header(kind, cells)
            if any(f in found for f in kind.forbidden):
                continue
            missing = [f for f in kind.required if f not in found]
            if not missing and len(found) < kind.min_found:
                continue
            have = len(kind.required) - len(missing)
            if missing and (have < 2 or have * 2 < len(kind.required)):
                continue
            score = (not missing, have, len(found), -idx)
            if best is None or score > best[0]:
                best = (score, HeaderMatch(kind, idx, found, missing, lang))
            if missing and (best_partial is None or score > best_partial[0]):
                best_partial = (score, HeaderMatch(kind, idx, found, missing, lang))
    if best and best_partial and best[1].complete and \
            len(best_partial[1].columns) >= len(best[1].columns) + 3:
        # e.g. a Meta posts file without "Reactions" also has "Date" and "Views" (a complete
        # but tiny YouTube totals match): name what the file most looks like instead
        return best_partial[1]
    return best[1] if best else None


def header_signature(cells: list[object]) -> str:
    """SHA-256 of the normalised header, order-insensitive: same layout -> same signature."""
    names = sorted(n for n in (norm_header(c) for c in cells) if n)
    return hashlib.sha256("\x1f".join(names).encode()).hexdigest()
