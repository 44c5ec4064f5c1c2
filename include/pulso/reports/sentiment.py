"""Monthly sentiment report (informe de análisis de sentimientos): tables, Excel and PDF.

All figures are computed once, as pandas tables, by `compute(ctx)`; the Excel workbook and the
PDF are both rendered from those same tables, so a number can never differ between them. The
per-message database goes only to Excel (split over several sheets past Excel's row limit);
the PDF carries aggregates and short top-N lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from pulso.core.periods import Period
from pulso.core.vocab import MESSAGE_KIND_LABELS as KIND_ES
from pulso.core.vocab import PQRS_TYPE_LABELS as PQRS_ES
from pulso.reports import terms
from pulso.reports.data import utc_bounds
from pulso.reports.fmt import NETWORK_LABELS
from pulso.reports.summary import SentimentSummary

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from pulso.reports.base import ReportContext, ReportFiles

KIND = "sentiment"
SENTIMENTS = ("positive", "neutral", "negative")
SENTIMENT_ES = {"positive": "Positivo", "neutral": "Neutral", "negative": "Negativo",
                "sin_clasificar": "Sin clasificar"}
NETWORK_ES = NETWORK_LABELS
TOP_N = 10
TREND_MONTHS = 6
TERMS_SAMPLE = 150_000   # texts per group for the term analysis (bounded time at 1M rows)
TEXT_LIMIT = 280         # characters of a message text in the Excel database
TOP_TEXT_LIMIT = 220     # characters of a message text in the top-N lists


@dataclass
class SentimentTables:
    """Every figure of the report, as tables with Spanish column names."""

    period: Period
    generated_at: datetime
    total: int
    labelled: int
    counts: dict[str, int]
    by_sentiment: pd.DataFrame
    by_network: pd.DataFrame
    by_week: pd.DataFrame
    trend: pd.DataFrame
    top_negative: pd.DataFrame
    top_positive: pd.DataFrame
    drivers_words: pd.DataFrame
    drivers_bigrams: pd.DataFrame
    topics: pd.DataFrame
    messages: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    def share(self, sentiment: str) -> float | None:
        """Share (0..1) of labelled messages with `sentiment`; None when nothing is labelled."""
        return self.counts.get(sentiment, 0) / self.labelled if self.labelled else None

    def summary(self, message_sheets: int = 1) -> SentimentSummary:
        return SentimentSummary(
            messages=self.total, labelled=self.labelled,
            message_sheets=message_sheets,
            positive=self.counts.get("positive", 0),
            neutral=self.counts.get("neutral", 0),
            negative=self.counts.get("negative", 0),
            unlabelled=self.total - self.labelled,
            positive_share=_round(self.share("positive")),
            negative_share=_round(self.share("negative")),
            neutral_share=_round(self.share("neutral")),
            top_negative_terms=self.drivers_words["Término"].head(5).tolist()
            if len(self.drivers_words) else [],
        )


def _round(v: float | None) -> float | None:
    return None if v is None else round(v, 4)


# ------------------------------------------------------------------------------------------
# Loading
# ------------------------------------------------------------------------------------------


def read_sql(engine, name: str, start: date, end: date, tz: str,
             time_columns: tuple[str, ...] = ()) -> pd.DataFrame:
    """Run include/sql/reports/<name>.sql for Bogotá days start..end; times become local."""
    import pandas as pd
    from sqlalchemy import DateTime

    from pulso.core.sql import sql

    lo, hi = utc_bounds(start, end, tz)
    binds = {k: v for k, v in (("start", lo), ("end", hi)) if f":{k}" in _sql_text(name)}
    query = sql(f"reports/{name}", **dict.fromkeys(binds, DateTime(timezone=True)))
    with engine.connect() as conn:
        df = pd.read_sql(query, conn, params=binds)
    for col in time_columns:
        if col in df:
            df[col] = pd.to_datetime(df[col], utc=True, format="mixed").dt.tz_convert(tz)
    return df


def _sql_text(name: str) -> str:
    from pulso.core.paths import SQL_DIR

    return (SQL_DIR / "reports" / f"{name}.sql").read_text(encoding="utf-8")


def safe_link(link: str | None, handle: str | None, allowed: bool) -> str:
    """A permalink that does not reveal the author's handle unless allowed."""
    import re

    if not link or (isinstance(link, float)):
        return ""
    if allowed or not handle or not isinstance(handle, str) \
            or handle.lower().lstrip("@") not in link.lower():
        return link
    m = re.search(r"(?:x|twitter)\.com/[^/]+/status/(\d+)", link)
    if m:
        return f"https://x.com/i/web/status/{m.group(1)}"
    return "(enlace omitido: contiene el usuario)"


# ------------------------------------------------------------------------------------------
# Tables
# ------------------------------------------------------------------------------------------


def _pct(n, d):
    import numpy as np

    return np.where(d > 0, n / np.where(d > 0, d, 1), np.nan)


def _sentiment_pivot(df: pd.DataFrame, key: str, keys: list) -> pd.DataFrame:
    """Counts per key x sentiment (+unlabelled), totals and shares of labelled messages."""
    import pandas as pd

    s = df["sentiment"].fillna("sin_clasificar")
    piv = pd.crosstab(df[key], s) if len(df) else pd.DataFrame()
    piv = piv.reindex(index=keys, columns=[*SENTIMENTS, "sin_clasificar"], fill_value=0)
    piv = piv.fillna(0).astype("int64")
    labelled = piv[list(SENTIMENTS)].sum(axis=1)
    out = pd.DataFrame({
        "Positivo": piv["positive"], "Neutral": piv["neutral"], "Negativo": piv["negative"],
        "Sin clasificar": piv["sin_clasificar"], "Total": labelled + piv["sin_clasificar"],
    })
    out["% positivo"] = _pct(piv["positive"], labelled)
    out["% negativo"] = _pct(piv["negative"], labelled)
    return out


def _weeks(period: Period) -> list[tuple[date, date]]:
    """Monday-based weeks clipped to the period."""
    out, d = [], period.start
    while d <= period.end:
        end = min(d + timedelta(days=6 - d.weekday()), period.end)
        out.append((d, end))
        d = end + timedelta(days=1)
    return out


def _fmt_day(d: date) -> str:
    return d.strftime("%d/%m")


def pseudonyms(keys: pd.Series) -> pd.Series:
    """'Ciudadano <first 6 of the author key>' ('Anónimo' without a key)."""
    k = keys.fillna("")
    return ("Ciudadano " + k.str[:6]).where(k != "", "Anónimo")


def _clean_texts(texts: pd.Series, limit: int) -> pd.Series:
    """Shorten and mask personal data; masking only runs where it can match (@ or digits).

    Each distinct text is processed once (copies, campaigns and spam repeat texts), then
    spread back to its rows.
    """
    import pandas as pd

    from pulso.core.privacy import mask_personal_data, shorten

    codes, uniques = pd.factorize(texts.fillna("").astype(str))
    if len(uniques) < len(codes):
        done = _clean_texts(pd.Series(uniques, dtype=object), limit).to_numpy(dtype=object)
        return pd.Series(done[codes], index=texts.index, dtype=object)
    t = texts.fillna("").astype(str)
    risky = t.str.contains(r"[@\d]", regex=True)
    if risky.any():
        t = t.copy()
        t[risky] = [mask_personal_data(x) for x in t[risky]]
    long = t.str.len() > limit
    if long.any():
        t[long] = [shorten(x, limit) for x in t[long]]
    return t


def _links(df: pd.DataFrame, allowed: bool) -> pd.Series:
    import pandas as pd

    links = df["permalink"].fillna("")
    if allowed:
        return links
    return pd.Series([safe_link(lk, h, False) for lk, h in zip(links, df["author_handle"],
                                                                strict=True)],
                     index=df.index, dtype=object)


def _top(df: pd.DataFrame, sentiment: str, n: int, allowed: bool) -> pd.DataFrame:
    import pandas as pd

    sub = df[df["sentiment"] == sentiment]
    # one row per text: a complaint pasted twice or a spam wave must not fill the top list
    # near copies too: same words once case, accents, emoji, digits and marks are set aside
    sub = sub.assign(_k=sub["text"].fillna("").map(terms.fold)
                     .str.replace(r"[^a-zñ]+", " ", regex=True).str.split().str.join(" "))
    sub = sub.sort_values("created_at", kind="stable").drop_duplicates("_k")
    if sentiment == "negative":
        sub = sub.sort_values(["sentiment_score", "created_at", "message_id"],
                              ascending=[True, True, True]).head(n)
    else:
        sub = sub.sort_values(["sentiment_score", "created_at", "message_id"],
                              ascending=[False, True, True]).head(n)
    return pd.DataFrame({
        "Fecha": sub["created_at"].dt.strftime("%d/%m/%Y %H:%M"),
        "Red": sub["network"].map(NETWORK_ES).fillna(sub["network"]),
        "Autor": pseudonyms(sub["author_key"]),
        "Texto": _clean_texts(sub["text"], TOP_TEXT_LIMIT),
        "Puntaje": sub["sentiment_score"].round(3),
        "Enlace": _links(sub, allowed),
    }).reset_index(drop=True)


def _drivers(df: pd.DataFrame, own: frozenset[str] = frozenset()
             ) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    import pandas as pd

    notes: list[str] = []
    labelled = df[df["sentiment"].notna()]
    neg_texts = labelled.loc[labelled["sentiment"] == "negative", "text"].dropna().tolist()
    other_texts = labelled.loc[labelled["sentiment"] != "negative", "text"].dropna().tolist()
    neg_s, a = terms.sample(neg_texts, TERMS_SAMPLE)
    oth_s, b = terms.sample(other_texts, TERMS_SAMPLE)
    if a or b:
        notes.append(f"Los términos se calcularon sobre una muestra aleatoria reproducible de "
                     f"{len(neg_s):,} mensajes negativos y {len(oth_s):,} mensajes no negativos."
                     .replace(",", "."))

    def frame(items) -> pd.DataFrame:
        return pd.DataFrame({
            "Término": [d.term for d in items],
            "Mensajes negativos": [d.negative_messages for d in items],
            "% de negativos": [d.negative_share for d in items],
            "% del resto": [d.other_share for d in items],
            "Razón": [round(d.lift, 1) for d in items],
        })

    words = frame(terms.negative_drivers(neg_s, oth_s, top=15, bigrams=False, exclude=own))
    bigrams = frame(terms.negative_drivers(neg_s, oth_s, top=10, bigrams=True, exclude=own))
    return words, bigrams, notes


def own_words(config) -> frozenset[str]:
    """The entity's own handles, names and short name as folded words: never a driver."""
    import re

    out: set[str] = {terms.fold(config.entity.short_name)}
    for a in config.accounts:
        for name in (a.handle, a.display_name or ""):
            parts = [terms.fold(w) for w in re.findall(r"[A-Za-zÁÉÍÓÚáéíóúÑñÜü]+", name)]
            out.update(parts)
            out.add("".join(parts))
    return frozenset(w for w in out if len(w) >= 3)


def _topics(df: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    labelled = df[df["sentiment"].notna()]
    if labelled.empty:
        return pd.DataFrame(columns=["Tema", "Mensajes", "Negativos", "% negativo",
                                     "% de todos los negativos"])
    flags = terms.topic_flags(labelled["text"])
    neg = (labelled["sentiment"] == "negative").to_numpy()
    n_neg = int(neg.sum())
    rows = []
    for name in flags.columns:
        f = flags[name].to_numpy()
        total, negs = int(f.sum()), int((f & neg).sum())
        rows.append({"Tema": name, "Mensajes": total, "Negativos": negs,
                     "% negativo": negs / total if total else float("nan"),
                     "% de todos los negativos": negs / n_neg if n_neg else float("nan")})
    out = pd.DataFrame(rows).sort_values(["Negativos", "Mensajes"], ascending=False)
    return out.reset_index(drop=True)


def _trend(ctx: ReportContext, current: dict[str, int] | None = None) -> pd.DataFrame:
    """Six months of shares; `current` (this month's counts, already loaded) saves a query."""
    import pandas as pd

    from pulso.reports.fmt import month_short

    months = [ctx.period if ctx.period.kind == "month" else ctx.period.months()[-1]]
    while len(months) < TREND_MONTHS:
        months.insert(0, months[0].previous())
    rows = []
    for m in months:
        if current is not None and m.key == ctx.period.key:
            counts = current
        else:
            c = read_sql(ctx.engine, "sentiment_counts", m.start, m.end,
                         ctx.config.entity.timezone)
            counts = dict(zip(c["sentiment"], c["n"].astype(int), strict=True))
        lab = sum(counts.get(s, 0) for s in SENTIMENTS)
        total = lab + counts.get("sin_clasificar", 0)
        rows.append({"Mes": month_short(m.start),
                     "Clave": m.key, "Mensajes": total, "Clasificados": lab,
                     "% positivo": counts.get("positive", 0) / lab if lab else float("nan"),
                     "% neutral": counts.get("neutral", 0) / lab if lab else float("nan"),
                     "% negativo": counts.get("negative", 0) / lab if lab else float("nan")})
    # Months before any message was loaded are not months without messages: leave them out.
    while len(rows) > 1 and rows[0]["Mensajes"] == 0:
        rows.pop(0)
    return pd.DataFrame(rows)


def _message_database(df: pd.DataFrame, allowed: bool) -> pd.DataFrame:
    """One row per message with its latest label: the Excel database (never the PDF)."""
    import pandas as pd

    return pd.DataFrame({
        "ID mensaje": df["message_id"],
        "Fecha": df["created_at"].dt.tz_localize(None),
        "Red": df["network"].map(NETWORK_ES).fillna(df["network"]),
        "Tipo": df["kind"].map(KIND_ES).fillna(df["kind"]),
        "Autor": pseudonyms(df["author_key"]),
        "Sentimiento": df["sentiment"].map(SENTIMENT_ES).fillna("Sin clasificar"),
        "Puntaje": df["sentiment_score"],
        "Tipo PQRS": df["pqrs_type"].map(PQRS_ES).fillna(""),
        "Texto": _clean_texts(df["text"], TEXT_LIMIT),
        "Enlace": _links(df, allowed),
    })


def compute(ctx: ReportContext) -> SentimentTables:
    """Every table of the report, from the warehouse."""
    import pandas as pd

    tz = ctx.config.entity.timezone
    df = read_sql(ctx.engine, "sentiment_messages", ctx.period.start, ctx.period.end, tz,
                  time_columns=("created_at",))
    df["sentiment_score"] = pd.to_numeric(df["sentiment_score"], errors="coerce")
    notes: list[str] = []
    masks = ctx.masks_personal_data
    links_ok = not masks  # links can carry the author's handle
    total = len(df)
    counts = {s: int((df["sentiment"] == s).sum()) for s in SENTIMENTS}
    labelled = sum(counts.values())

    by_sentiment = pd.DataFrame({
        "Sentimiento": [SENTIMENT_ES[s] for s in SENTIMENTS] + ["Sin clasificar"],
        "Mensajes": [counts[s] for s in SENTIMENTS] + [total - labelled],
        "% de clasificados": [counts[s] / labelled if labelled else float("nan")
                              for s in SENTIMENTS] + [float("nan")],
    })

    networks = list(dict.fromkeys([a.network for a in ctx.config.accounts]
                                  + sorted(df["network"].dropna().unique().tolist())))
    by_network = _sentiment_pivot(df, "network", networks)
    by_network.insert(0, "Red", [NETWORK_ES.get(n, n) for n in by_network.index])
    by_network = by_network.reset_index(drop=True)
    empty_nets = by_network.loc[by_network["Total"] == 0, "Red"].tolist()
    if empty_nets and total:
        notes.append("Sin mensajes en el periodo: " + ", ".join(empty_nets) + ".")

    weeks = _weeks(ctx.period)
    day = df["created_at"].dt.date if total else pd.Series([], dtype=object)
    week_idx = pd.Series(0, index=df.index, dtype="int64")
    for i, (ws, _we) in enumerate(weeks):
        week_idx[day >= ws] = i
    df["_week"] = week_idx
    by_week = _sentiment_pivot(df, "_week", list(range(len(weeks))))
    by_week.insert(0, "Semana", [f"{_fmt_day(a)} – {_fmt_day(b)}" for a, b in weeks])
    by_week = by_week.reset_index(drop=True)

    words, bigrams, term_notes = _drivers(df, own_words(ctx.config))
    notes += term_notes
    if total == 0:
        notes.insert(0, "No se recibieron mensajes en el periodo: el informe no tiene datos "
                        "de sentimiento para analizar.")
    elif labelled < total:
        notes.append(f"{total - labelled:,} mensajes aún no están clasificados; los porcentajes "
                     "se calculan sobre los mensajes clasificados.".replace(",", "."))

    return SentimentTables(
        period=ctx.period, generated_at=ctx.generated_at, total=total, labelled=labelled,
        counts=counts, by_sentiment=by_sentiment, by_network=by_network, by_week=by_week,
        trend=_trend(ctx, counts | {"sin_clasificar": total - labelled}),
        top_negative=_top(df, "negative", TOP_N, links_ok),
        top_positive=_top(df, "positive", TOP_N, links_ok), drivers_words=words,
        drivers_bigrams=bigrams, topics=_topics(df), messages=_message_database(df, links_ok),
        notes=notes,
    )


# ------------------------------------------------------------------------------------------
# Rendering
# ------------------------------------------------------------------------------------------


def _note_rows(t: SentimentTables, db_sheets: list[str], ctx: ReportContext) -> list:
    from pulso.reports.excel import EXCEL_MAX_ROWS

    rows = [
        ("Informe", "Informe de análisis de sentimientos"),
        ("Entidad", ctx.config.entity.name),
        ("Periodo", f"{t.period.label} ({t.period.start:%d/%m/%Y} a {t.period.end:%d/%m/%Y})"),
        ("Generado", t.generated_at.strftime("%d/%m/%Y %H:%M UTC")),
        ("Mensajes del periodo", t.total),
        ("Base de mensajes", ", ".join(db_sheets)),
    ]
    if len(db_sheets) > 1:
        rows.append(("División de la base",
                     f"Excel admite {EXCEL_MAX_ROWS:,} filas por hoja; la base de "
                     f"{t.total:,} mensajes se dividió en {len(db_sheets)} hojas "
                     "consecutivas, en orden de fecha.".replace(",", ".")))
    rows += [
        ("Etiquetas", "Cada mensaje lleva su etiqueta más reciente (la clasificación con la "
                      "fecha de clasificación más reciente)."),
        ("Porcentajes", "Los porcentajes de sentimiento se calculan sobre los mensajes "
                        "clasificados; los mensajes de las cuentas de la entidad no se incluyen."),
        ("Datos personales", "Textos recortados; correos, teléfonos y documentos enmascarados; "
                             "autores seudonimizados."),
        ("Fechas", f"Hora de {ctx.config.entity.timezone}."),
    ]
    rows += [("Nota", n) for n in t.notes]
    return rows


def write_excel(t: SentimentTables, ctx: ReportContext, path) -> list[str]:
    """The workbook (write-only: a million messages stay within memory and time)."""
    import pandas as pd

    from pulso.reports.excel import (
        big_table_placeholder,
        new_workbook,
        save_workbook,
        write_table,
    )

    wb = new_workbook(write_only=True)
    summary = pd.DataFrame({"Indicador": ["Mensajes recibidos", "Clasificados", "Positivos",
                                          "Neutrales", "Negativos", "Sin clasificar"],
                            "Valor": [t.total, t.labelled, t.counts["positive"],
                                      t.counts["neutral"], t.counts["negative"],
                                      t.total - t.labelled]})
    write_table(wb, "Resumen", summary)
    write_table(wb, "Distribución", t.by_sentiment)
    write_table(wb, "Por red", t.by_network)
    write_table(wb, "Por semana", t.by_week)
    write_table(wb, "Tendencia", t.trend)
    write_table(wb, "Más negativos", t.top_negative)
    write_table(wb, "Más positivos", t.top_positive)
    write_table(wb, "Términos negativos", t.drivers_words)
    write_table(wb, "Bigramas negativos", t.drivers_bigrams)
    write_table(wb, "Temas", t.topics)
    fills = big_table_placeholder(wb, "Mensajes", t.messages)
    sheets = list(fills)
    notes = pd.DataFrame(_note_rows(t, sheets, ctx), columns=["Indicador", "Valor"])
    write_table(wb, "Nota", notes)
    save_workbook(wb, path, fills=fills)
    return sheets


def _charts(t: SentimentTables) -> dict[str, str]:
    from pulso.reports.charts import PALETTE, lines, stacked_bars

    colors = [PALETTE["positive"], PALETTE["neutral"], PALETTE["negative"]]
    out: dict[str, str] = {}
    net = t.by_network[t.by_network["Total"] > 0]
    if len(net):
        lab = (net["Positivo"] + net["Neutral"] + net["Negativo"]).replace(0, 1)
        out["network"] = stacked_bars(
            net["Red"].tolist(),
            {"Positivo": net["Positivo"] / lab, "Neutral": net["Neutral"] / lab,
             "Negativo": net["Negativo"] / lab},
            colors=colors, title="Distribución del sentimiento por red (% de clasificados)",
            percent=True, horizontal=True, size=(7.2, 0.6 + 0.45 * len(net)))
    if t.total:
        out["week"] = stacked_bars(
            t.by_week["Semana"].tolist(),
            {"Positivo": t.by_week["Positivo"], "Neutral": t.by_week["Neutral"],
             "Negativo": t.by_week["Negativo"]},
            colors=colors, title="Mensajes clasificados por semana")
    if t.trend["Clasificados"].sum():
        out["trend"] = lines(
            t.trend["Mes"].tolist(),
            {"Positivo": t.trend["% positivo"], "Neutral": t.trend["% neutral"],
             "Negativo": t.trend["% negativo"]},
            colors=colors, title="Tendencia mensual (% de clasificados)",
            percent=True)
    return out


TITLE = "Informe de análisis de sentimientos"


def write_pdf(t: SentimentTables, ctx: ReportContext, path, db_sheets: list[str]) -> None:
    from pulso.reports.pdf import page_context, render_pdf, rows

    render_pdf(
        "sentiment.html", path, **page_context(ctx, TITLE), t=t,
        timezone=ctx.config.entity.timezone, charts=_charts(t),
        by_sentiment=rows(t.by_sentiment), by_network=rows(t.by_network),
        by_week=rows(t.by_week), trend=rows(t.trend), top_negative=rows(t.top_negative),
        top_positive=rows(t.top_positive), words=rows(t.drivers_words),
        bigrams=rows(t.drivers_bigrams), topics=rows(t.topics), db_sheets=db_sheets,
        share=t.share,
    )


def build(ctx: ReportContext) -> ReportFiles:
    """Compute the tables once; render the Excel workbook and the PDF from them."""
    from pulso.reports.base import ReportFiles, report_path

    t = compute(ctx)
    xlsx, pdf = report_path(ctx, KIND, "xlsx"), report_path(ctx, KIND, "pdf")
    sheets = write_excel(t, ctx, xlsx)
    write_pdf(t, ctx, pdf, sheets)
    summary = t.summary(message_sheets=sheets)
    return ReportFiles(kind=KIND, period=ctx.period, xlsx=xlsx, pdf=pdf, summary=summary)
