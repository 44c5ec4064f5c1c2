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


def _c(en: str | tuple[str, ...], es: str | tuple[str, ...] = ()) -> Col:
    en_t = (en,) if isinstance(en, str) else en
    es_t = (es,) if isinstance(es, str) else es
    label = en_t[0] if not es_t else f"{en_t[0]} / {es_t[0]}"
    return Col(tuple(norm_header(a) for a in en_t), tuple(norm_header(a) for a in es_t), label)


DATE = _c(("Date", "Day"), ("Fecha", "Día"))
_POST_ID = _c(("Post ID", "Post id"), ("Identificador de la publicación", "ID de la publicación",
                                      "Identificador de publicación"))
_PUBLISH = _c(("Publish time", "Published time", "Publish date"),
              ("Hora de publicación", "Fecha de publicación", "Hora de la publicación"))
_PERMALINK = _c(("Permalink", "Post link"), ("Enlace permanente", "Enlace"))
_POST_TYPE = _c(("Post type", "Type"), ("Tipo de publicación", "Tipo"))
_DESCRIPTION = _c(("Description", "Message", "Caption"), ("Descripción", "Mensaje"))
_VIEWS = _c(("Views", "Impressions"), ("Visualizaciones", "Impresiones"))
_REACH = _c("Reach", "Alcance")
_COMMENTS = _c("Comments", ("Comentarios", "Comentarios totales"))
_SHARES = _c(("Shares", "Reposts"), ("Veces que se compartió", "Veces compartido", "Compartidos",
                                     "Compartidos totales"))
_LIKES = _c("Likes", ("Me gusta", "Me gusta totales"))

KINDS: tuple[ExportKind, ...] = (
    ExportKind(
        "meta_posts", "Meta Business Suite posts", "facebook",
        {
            "post_id": _POST_ID, "page_id": _c("Page ID", ("Identificador de la página",
                                                            "ID de la página")),
            "page_name": _c("Page name", "Nombre de la página"),
            "title": _c("Title", "Título"), "description": _DESCRIPTION,
            "publish_time": _PUBLISH, "permalink": _PERMALINK, "post_type": _POST_TYPE,
            "views": _VIEWS, "reach": _REACH, "reactions": _c("Reactions", "Reacciones"),
            "comments": _COMMENTS, "shares": _SHARES,
            "clicks": _c(("Total clicks", "Clicks"), ("Clics totales", "Total de clics")),
            "video_views": _c(("3-second video views", "Video views"),
                              ("Reproducciones de video de 3 segundos",
                               "Reproducciones de video")),
        },
        required=("post_id", "publish_time", "reach", "reactions"), table="post_daily",
    ),
    ExportKind(
        "instagram_posts", "Instagram posts", "instagram",
        {
            "post_id": _POST_ID,
            "account_id": _c("Account ID", ("Identificador de la cuenta", "ID de la cuenta")),
            "account_username": _c("Account username", "Nombre de usuario de la cuenta"),
            "permalink": _PERMALINK, "publish_time": _PUBLISH, "description": _DESCRIPTION,
            "post_type": _POST_TYPE, "views": _VIEWS, "reach": _REACH, "likes": _LIKES,
            "comments": _COMMENTS, "shares": _SHARES,
            "saves": _c("Saves", ("Veces guardado", "Guardados")),
            "follows": _c("Follows", "Seguimientos"),
        },
        required=("post_id", "publish_time", "likes", "saves"), table="post_daily",
    ),
    ExportKind(
        "meta_page_metric", "Meta page daily metric", None,
        {"date": DATE, "primary": _c("Primary", "Principal")},
        required=("date", "primary"),
    ),
    ExportKind(
        "x_account_overview", "X account overview", "x",
        {
            "date": DATE, "impressions": _c("Impressions", "Impresiones"), "likes": _LIKES,
            "engagements": _c("Engagements", "Interacciones"),
            "bookmarks": _c("Bookmarks", "Elementos guardados"),
            "shares": _c("Shares", "Veces compartido"),
            "new_follows": _c("New follows", ("Nuevos seguidores", "Seguimientos nuevos")),
            "unfollows": _c("Unfollows", ("Dejaron de seguir", "Dejar de seguir")),
            "replies": _c("Replies", "Respuestas"), "reposts": _c("Reposts", "Reposts"),
            "profile_visits": _c("Profile visits", "Visitas al perfil"),
            "video_views": _c("Video views", ("Reproducciones de video",
                                              "Visualizaciones de video")),
            "post_id": _POST_ID,
        },
        required=("date", "impressions", "engagements"), forbidden=("post_id",),
    ),
    ExportKind(
        "x_content", "X content", "x",
        {
            "post_id": _c(("Post id", "Tweet id"), ("Id de la publicación", "Id del post")),
            "date": DATE,
            "text": _c(("Post text", "Tweet text"), ("Texto de la publicación", "Texto del post")),
            "permalink": _c(("Post Link", "Permalink"), ("Enlace de la publicación",
                                                         "Enlace del post")),
            "impressions": _c("Impressions", "Impresiones"), "likes": _LIKES,
            "engagements": _c("Engagements", "Interacciones"),
            "bookmarks": _c("Bookmarks", "Elementos guardados"),
            "shares": _c("Shares", "Veces compartido"),
            "replies": _c("Replies", "Respuestas"), "reposts": _c("Reposts", "Reposts"),
            "clicks": _c(("URL Clicks", "Link clicks"), ("Clics en el enlace", "Clics en URL")),
            "video_views": _c("Video views", "Reproducciones de video"),
        },
        required=("post_id", "date", "impressions"), table="post_daily",
    ),
    ExportKind(
        "youtube_table", "YouTube Studio Table data.csv", "youtube",
        {
            "content": _c(("Content", "Video"), ("Contenido",)),
            "title": _c("Video title", ("Título del video", "Título del vídeo")),
            "publish_time": _c("Video publish time", ("Hora de publicación del video",
                                                      "Fecha de publicación del video")),
            "views": _c("Views", ("Vistas", "Visualizaciones")),
            "watch_hours": _c("Watch time (hours)", "Tiempo de visualización (horas)"),
            "subscribers": _c("Subscribers", "Suscriptores"),
            "impressions": _c("Impressions", "Impresiones"), "likes": _LIKES,
            "comments": _c("Comments added", ("Comentarios añadidos", "Comentarios agregados")),
            "shares": _c("Shares", ("Veces compartido", "Compartidos")),
            "date": DATE,  # per-day per-video tables (Chart data.csv) are not lifetime totals
        },
        required=("content", "views"), forbidden=("date",), table="post_daily",
    ),
    ExportKind(
        "youtube_totals", "YouTube Studio Totals.csv", "youtube",
        {
            "date": DATE, "views": _c("Views", ("Vistas", "Visualizaciones")),
            "watch_hours": _c("Watch time (hours)", "Tiempo de visualización (horas)"),
            "subscribers": _c("Subscribers", "Suscriptores"),
            "subs_gained": _c("Subscribers gained", ("Suscriptores obtenidos",
                                                     "Suscriptores ganados")),
            "subs_lost": _c("Subscribers lost", "Suscriptores perdidos"),
            "likes": _LIKES, "comments": _c("Comments added", "Comentarios añadidos"),
            "shares": _c("Shares", "Veces compartido"),
            "content": _c(("Content", "Video"), ("Contenido",)),
        },
        required=("date", "views"), forbidden=("content",),
    ),
    ExportKind(
        "tiktok_studio", "TikTok Studio overview", "tiktok",
        {
            "date": DATE,
            "video_views": _c(("Video views", "Total video views"),
                              ("Visualizaciones totales", "Visualizaciones de videos",
                               "Visualizaciones de video", "Reproducciones de video")),
            "profile_views": _c(("Profile views", "Total profile views"),
                                ("Visualizaciones del perfil", "Visitas al perfil",
                                 "Visualizaciones de perfil")),
            "likes": _c(("Likes", "Total likes"), ("Me gusta totales", "Me gusta")),
            "comments": _c(("Comments", "Total comments"), ("Comentarios totales",
                                                            "Comentarios")),
            "shares": _c(("Shares", "Total shares"), ("Veces compartido", "Compartidos totales",
                                                      "Compartidos")),
            "followers": _c("Followers", "Seguidores"),
            "new_followers": _c("New followers", "Nuevos seguidores"),
            "impressions": _c("Impressions", "Impresiones"),
        },
        required=("date", "video_views", "profile_views"), forbidden=("impressions",),
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
EXPORT_KINDS = ("meta_posts", "meta_page_metric", "instagram_posts", "x_account_overview",
                "x_content", "youtube_studio", "tiktok_studio", "linkedin_followers",
                "linkedin_content", "linkedin_visitors")


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
