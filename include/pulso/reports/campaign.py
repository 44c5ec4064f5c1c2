"""Campaign report (informe de campaña): one communication strategy, closed with evidence.

The DADEP procedure asks the community manager to present a strategy's metrics "una vez
terminado el tiempo de divulgación" and to close the campaign with the evidence of
publication at most two days after it ends. Posts carry their campaign tag (`post.campaign`);
this report takes every post with that tag and shows, per post, its link (the evidence), reach
(people who saw it, where the network gives it), views, interactions and engagement rate over
reach; per network the same figures added up; and the messages and PQRS candidates the
campaign's posts drew, with the three facts of each case (answered in the network, filed,
formally answered).

Figures are each post's lifetime totals at the end of the closing day (last publication +
`CLOSE_DAYS`), so a re-run later gives the same report. Reach of several posts is added as
"suma del alcance por publicación": the same person may have seen more than one post.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pulso.core.periods import Period
from pulso.reports import fmt
from pulso.reports.summary import CampaignSummary, from_fields
from pulso.reports.tables import ReportTable

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from sqlalchemy import Engine

    from pulso.core.config import PulsoConfig
    from pulso.reports.base import ReportContext, ReportFiles

KIND = "campaign"
TITLE = "Informe de campaña"
STEM = "informe-campana"
CLOSE_DAYS = 2  # DADEP: close with evidence at most two days after the campaign ends
POST_TEXT_LIMIT = 90
PDF_POSTS = 40
INTERACTION_PARTS = ("reactions", "comments", "shares", "saves")


def slug(name: str) -> str:
    """'Rendición de cuentas 2026' -> 'rendicion-de-cuentas-2026' (file and period key)."""
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-") or "campana"


def campaign_spans(engine: Engine, config: PulsoConfig) -> dict[str, tuple[date, date]]:
    """{campaign: (first, last publication day)} in the entity's time zone, oldest first."""
    import pandas as pd

    from pulso.reports import data

    df = data.query(engine, "campaign_spans", tz=config.entity.timezone)
    tz = config.entity.timezone
    out = {}
    for r in df.itertuples(index=False):
        first = pd.Timestamp(r.first_at).tz_localize("UTC") if pd.Timestamp(
            r.first_at).tzinfo is None else pd.Timestamp(r.first_at)
        last = pd.Timestamp(r.last_at).tz_localize("UTC") if pd.Timestamp(
            r.last_at).tzinfo is None else pd.Timestamp(r.last_at)
        out[str(r.campaign)] = (first.tz_convert(tz).date(), last.tz_convert(tz).date())
    return out


def campaign_period(name: str, first: date, last: date) -> Period:
    """The campaign as a Period: publication days, key 'campana-<slug>'."""
    return Period(first, last, f"campana-{slug(name)}", "campaign")


def ended_campaigns(engine: Engine, config: PulsoConfig, today: date) -> list[str]:
    """Campaigns whose closing day (last publication + CLOSE_DAYS) is `today` or earlier."""
    return [n for n, (_, last) in campaign_spans(engine, config).items()
            if last + timedelta(days=CLOSE_DAYS) <= today]


@dataclass
class CampaignTables:
    """Everything the campaign report shows, computed once for both renderers."""

    name: str
    period: Period
    closing_day: date
    posts: ReportTable
    by_network: ReportTable
    messages: ReportTable
    cases: ReportTable
    totals: dict[str, Any]
    notes: list[str] = field(default_factory=list)

    def summary(self) -> CampaignSummary:
        t = self.totals

        def j(v: Any) -> Any:
            if fmt.is_missing(v):
                return None
            v = v.item() if hasattr(v, "item") else v
            return round(v, 6) if isinstance(v, float) else v

        return from_fields(CampaignSummary, {"campaign": self.name, "first_day": self.period.start.isoformat(),
                "last_day": self.period.end.isoformat(),
                "closing_day": self.closing_day.isoformat(),
                **{k: j(v) for k, v in t.items() if not isinstance(v, list)}})


POST_KINDS = {"Red": "text", "Cuenta": "text", "Publicada": "day_time", "Tipo": "text",
              "Publicación": "text", "Alcance": "num", "Visualizaciones": "num",
              "Interacciones": "num", "Tasa de interacción por alcance": "pct2",
              "Comentarios recibidos": "num", "PQRS generadas": "num",
              "Enlace (evidencia)": "text"}
NETWORK_KINDS = {"Red": "text", "Publicaciones": "num",
                 "Alcance (suma por publicación)": "num", "Visualizaciones": "num",
                 "Interacciones": "num", "Tasa de interacción por alcance": "pct2",
                 "Comentarios recibidos": "num", "PQRS generadas": "num"}
MESSAGE_KINDS = {"Red": "text", "Comentarios recibidos": "num", "Respondidos en la red": "num",
                 "Positivos": "num", "Neutros": "num", "Negativos": "num",
                 "PQRS generadas": "num", "Radicadas": "num", "Con respuesta formal": "num",
                 "Felicitaciones": "num"}
CASE_KINDS = {"ID caso": "text", "Recibido": "day_time", "Red": "text", "Tipo": "text",
              "Estado": "text", "Respondido en la red": "text", "Radicado": "text",
              "Respuesta formal": "day"}


def _interactions(df: pd.DataFrame) -> pd.Series:
    return df[list(INTERACTION_PARTS)].apply(lambda s: s.astype("float64")).sum(
        axis=1, min_count=1)


def _er(inter: Any, reach: Any) -> float | None:
    return fmt.share(inter, reach)


def compute(ctx: ReportContext, name: str | None = None) -> CampaignTables:
    """All tables of the report of campaign `name` (default: the one ctx.period stands for)."""
    import pandas as pd

    from pulso.core.privacy import mask_personal_data, shorten
    from pulso.core.vocab import CASE_STATUS_READER_LABELS, PQRS_TYPE_LABELS
    from pulso.reports import data

    tz = ctx.config.entity.timezone
    spans = campaign_spans(ctx.engine, ctx.config)
    if name is None:
        matches = [n for n in spans if campaign_period(n, *spans[n]).key == ctx.period.key]
        if not matches:
            raise ValueError(f"no hay publicaciones de la campaña {ctx.period.key!r}")
        name = matches[0]
    first, last = spans.get(name, (ctx.period.start, ctx.period.end))
    closing = last + timedelta(days=CLOSE_DAYS)
    posts = data.query(ctx.engine, "campaign_posts", tz=tz, campaign=name, until=closing)
    msgs = data.query(ctx.engine, "campaign_messages", tz=tz, campaign=name)
    for col in ("created_at", "net_responded_at", "responded_at", "filed_at"):
        msgs[col] = pd.to_datetime(msgs[col], utc=True, format="mixed").dt.tz_convert(tz)
    posts["published_at"] = pd.to_datetime(posts["published_at"], utc=True,
                                           format="mixed").dt.tz_convert(tz)
    for c in ("reach", "views", *INTERACTION_PARTS):
        posts[c] = pd.to_numeric(posts[c], errors="coerce").astype("float64")
    posts["inter"] = _interactions(posts)
    cases = msgs[msgs["pqrs_type"].notna()]
    legal = cases[(cases["pqrs_type"] != "felicitacion") & (cases["status"] != "discarded")]

    counts = data.query(ctx.engine, "campaign_messages_per_post", tz=tz, campaign=name)
    per_post = counts.set_index("post_id") if len(counts) else pd.DataFrame(
        columns=["messages", "pqrs"])
    texts = posts["text"].fillna("")
    if ctx.audience != "internal":
        texts = texts.map(mask_personal_data)
    post_df = pd.DataFrame({
        "Red": posts["network"].map(fmt.network_label),
        "Cuenta": "@" + posts["handle"].fillna(""),
        "Publicada": posts["published_at"].dt.tz_localize(None),
        "Tipo": posts["kind"].fillna(""),
        "Publicación": texts.map(lambda t: shorten(t, POST_TEXT_LIMIT)),
        "Alcance": posts["reach"],
        "Visualizaciones": posts["views"],
        "Interacciones": posts["inter"],
        "Tasa de interacción por alcance": [_er(i, r) for i, r in
                                            zip(posts["inter"], posts["reach"], strict=True)],
        "Comentarios recibidos": posts["post_id"].map(
            per_post["messages"] if len(per_post) else {}).fillna(0),
        "PQRS generadas": posts["post_id"].map(per_post["pqrs"] if len(per_post) else {}
                                              ).fillna(0),
        "Enlace (evidencia)": posts["permalink"].fillna(""),
    })
    for c in ("Tasa de interacción por alcance", "Comentarios recibidos", "PQRS generadas"):
        post_df[c] = pd.to_numeric(post_df[c], errors="coerce").astype("float64")

    net_rows = []
    nets = list(dict.fromkeys(posts["network"].tolist()))
    for n in nets:
        sub = posts[posts["network"] == n]
        with_reach = sub.dropna(subset=["reach"])
        reach = with_reach["reach"].sum() if len(with_reach) else None
        inter_r = with_reach["inter"].sum(min_count=1) if len(with_reach) else None
        m = msgs[msgs["network"] == n]
        net_rows.append({
            "Red": fmt.network_label(n), "Publicaciones": len(sub),
            "Alcance (suma por publicación)": reach,
            "Visualizaciones": sub["views"].sum(min_count=1),
            "Interacciones": sub["inter"].sum(min_count=1),
            "Tasa de interacción por alcance": _er(inter_r, reach),
            "Comentarios recibidos": len(m),
            "PQRS generadas": int((legal["network"] == n).sum())})
    reach_nets = [fmt.network_label(n) for n in nets
                  if posts.loc[posts["network"] == n, "reach"].notna().any()]
    no_reach = [fmt.network_label(n) for n in nets if fmt.network_label(n) not in reach_nets]
    with_reach = posts.dropna(subset=["reach"])
    total_reach = with_reach["reach"].sum() if len(with_reach) else None
    totals = {
        "posts": len(posts), "networks": len(nets),
        "reach": total_reach, "reach_networks": reach_nets, "no_reach_networks": no_reach,
        "views": posts["views"].sum(min_count=1), "interactions": posts["inter"].sum(min_count=1),
        "engagement_rate_reach": _er(with_reach["inter"].sum(min_count=1)
                                     if len(with_reach) else None, total_reach),
        "messages": len(msgs), "answered_in_network": int(msgs["net_responded_at"].notna().sum()),
        "pqrs": len(legal), "pqrs_filed": int(legal["status"].isin(["filed", "answered"]).sum()),
        "pqrs_answered": int(legal["responded_at"].notna().sum()),
        "felicitaciones": int(((cases["pqrs_type"] == "felicitacion")
                               & (cases["status"] != "discarded")).sum()),
    }
    if net_rows:
        net_rows.append({
            "Red": "Total", "Publicaciones": totals["posts"],
            "Alcance (suma por publicación)": total_reach,
            "Visualizaciones": totals["views"], "Interacciones": totals["interactions"],
            "Tasa de interacción por alcance": totals["engagement_rate_reach"],
            "Comentarios recibidos": totals["messages"],
            "PQRS generadas": len(legal)})
    net_df = pd.DataFrame(net_rows, columns=list(NETWORK_KINDS))

    msg_rows = []
    for n in list(dict.fromkeys(msgs["network"].tolist())):
        m = msgs[msgs["network"] == n]
        lg = legal[legal["network"] == n]
        msg_rows.append({
            "Red": fmt.network_label(n), "Comentarios recibidos": len(m),
            "Respondidos en la red": int(m["net_responded_at"].notna().sum()),
            "Positivos": int((m["sentiment"] == "positive").sum()),
            "Neutros": int((m["sentiment"] == "neutral").sum()),
            "Negativos": int((m["sentiment"] == "negative").sum()),
            "PQRS generadas": len(lg),
            "Radicadas": int(lg["status"].isin(["filed", "answered"]).sum()),
            "Con respuesta formal": int(lg["responded_at"].notna().sum()),
            "Felicitaciones": int(((m["pqrs_type"] == "felicitacion")
                                   & (m["status"] != "discarded")).sum())})
    msg_df = pd.DataFrame(msg_rows, columns=list(MESSAGE_KINDS))
    if len(msg_df):
        tot = {"Red": "Total"} | {c: int(msg_df[c].sum()) for c in list(MESSAGE_KINDS)[1:]}
        msg_df = pd.concat([msg_df, pd.DataFrame([tot])], ignore_index=True)

    case_df = pd.DataFrame({
        "ID caso": legal["message_id"],
        "Recibido": legal["created_at"].dt.tz_localize(None),
        "Red": legal["network"].map(fmt.network_label),
        "Tipo": legal["pqrs_type"].map(PQRS_TYPE_LABELS),
        "Estado": legal["status"].map(CASE_STATUS_READER_LABELS),
        "Respondido en la red": ["Sí" if ok else "No" for ok in legal["net_responded_at"].notna()],
        "Radicado": legal["radicado"].fillna(""),
        "Respuesta formal": legal["responded_at"].dt.tz_localize(None).dt.normalize(),
    }, columns=list(CASE_KINDS)).reset_index(drop=True)

    notes = [f"Cifras de cada publicación acumuladas al cierre del {fmt.day(closing)} "
             f"({CLOSE_DAYS} días después de la última publicación)."]
    if no_reach:
        notes.append("Alcance y tasa por alcance solo de " + ", ".join(reach_nets)
                     + "; " + ", ".join(no_reach) + " no informa(n) alcance por publicación "
                     "(se muestra «—», no 0).")
    notes.append("El alcance de varias publicaciones se suma: una persona que vio dos "
                 "publicaciones cuenta dos veces (no son personas únicas).")
    from zoneinfo import ZoneInfo

    today = ctx.generated_at.astimezone(ZoneInfo(tz)).date()
    notes.append(f"Mensajes y PQRS: situación al {fmt.day(today)} (fecha de generación).")
    return CampaignTables(
        name=name, period=campaign_period(name, first, last), closing_day=closing,
        posts=ReportTable(post_df.sort_values("Publicada").reset_index(drop=True), POST_KINDS),
        by_network=ReportTable(net_df, NETWORK_KINDS, total=bool(net_rows)),
        messages=ReportTable(msg_df, MESSAGE_KINDS, total=bool(len(msg_df))),
        cases=ReportTable(case_df, CASE_KINDS), totals=totals, notes=notes)


def _paths(ctx: ReportContext, t: CampaignTables) -> tuple[Path, Path]:
    d = Path(ctx.out_dir) / t.period.key
    d.mkdir(parents=True, exist_ok=True)
    stem = f"{STEM}_{slug(t.name)}"
    return d / f"{stem}.xlsx", d / f"{stem}.pdf"


def _header_rows(t: CampaignTables, ctx: ReportContext) -> list[tuple[str, Any]]:
    tot = t.totals
    reach_label = "Alcance (suma por publicación" + (
        f"; solo {', '.join(tot['reach_networks'])})" if tot["no_reach_networks"] else ")")
    return [("Campaña", t.name), ("Entidad", ctx.config.entity.name),
            ("Primera publicación", fmt.day(t.period.start)),
            ("Última publicación", fmt.day(t.period.end)),
            ("Cierre (cifras acumuladas a)", fmt.day(t.closing_day)),
            ("Publicaciones", tot["posts"]), (reach_label, tot["reach"]),
            ("Visualizaciones", tot["views"]), ("Interacciones", tot["interactions"]),
            ("Tasa de interacción por alcance", tot["engagement_rate_reach"]),
            ("Comentarios recibidos en las publicaciones", tot["messages"]),
            ("Respondidos en la red", tot["answered_in_network"]),
            ("PQRS generadas (sin felicitaciones ni descartadas)", tot["pqrs"]),
            ("PQRS radicadas", tot["pqrs_filed"]),
            ("PQRS con respuesta formal", tot["pqrs_answered"]),
            ("Felicitaciones", tot["felicitaciones"])]


def write_excel(t: CampaignTables, ctx: ReportContext, path: Path) -> None:
    from pulso.reports.excel import new_workbook, save_workbook, write_key_values

    wb = new_workbook()
    rows = _header_rows(t, ctx) + [("Nota", n) for n in t.notes]
    write_key_values(wb, "Resumen", rows, heading=f"{TITLE}: {t.name}",
                     formats={"Tasa de interacción por alcance": "0.00%"})
    t.by_network.write(wb, "Por red")
    t.posts.write(wb, "Publicaciones (evidencia)", note="Una fila por publicación con su "
                  "enlace: la evidencia de divulgación.",
                  widths={"Publicación": 60, "Enlace (evidencia)": 50})
    t.messages.write(wb, "Mensajes y PQRS", note="Comentarios y respuestas recibidos en las "
                     "publicaciones de la campaña.")
    t.cases.write(wb, "PQRS de la campaña")
    save_workbook(wb, path)


def write_pdf(t: CampaignTables, ctx: ReportContext, path: Path) -> None:
    from pulso.reports import charts
    from pulso.reports.pdf import page_context, render_pdf

    tot = t.totals
    pc = page_context(ctx, TITLE, subtitle=None)
    pc["period_label"] = t.name
    pc["period_range"] = f"{fmt.day(t.period.start)} a {fmt.day(t.period.end)}"
    reach_l = "alcance (suma por publicación" + (
        f", solo {', '.join(tot['reach_networks'])})" if tot["no_reach_networks"] else ")")
    kpis = [(fmt.num(tot["posts"]), "publicaciones", f"en {tot['networks']} redes"),
            (fmt.num(tot["reach"]), reach_l, None),
            (fmt.num(tot["interactions"]), "interacciones", None),
            (fmt.pct(tot["engagement_rate_reach"], 2), "tasa de interacción por alcance",
             None),
            (fmt.num(tot["messages"]), "comentarios recibidos",
             f"{fmt.num(tot['answered_in_network'])} respondidos en la red"),
            (fmt.num(tot["pqrs"]), "PQRS generadas",
             f"{fmt.num(tot['pqrs_filed'])} radicadas, {fmt.num(tot['pqrs_answered'])} con "
             "respuesta formal")]
    chart = None
    nets = t.by_network.df[t.by_network.df["Red"] != "Total"]
    if len(nets) and nets["Interacciones"].notna().any():
        chart = charts.hbars(nets["Red"].tolist(), nets["Interacciones"].fillna(0).tolist(),
                             title="Interacciones por red")
    top = t.posts.df.sort_values("Interacciones", ascending=False, na_position="last")
    shown = ReportTable(top.head(PDF_POSTS), POST_KINDS)
    render_pdf("campaign.html", path, **pc, t=t, kpis=kpis, chart=chart,
               by_network=t.by_network.display(), messages=t.messages.display(),
               posts=shown.display(["Red", "Publicada", "Publicación", "Alcance",
                                    "Interacciones", "Tasa de interacción por alcance",
                                    "Enlace (evidencia)"]),
               posts_total=len(t.posts.df), posts_limit=PDF_POSTS,
               cases=ReportTable(t.cases.df.head(30), CASE_KINDS).display(
                   [c for c in CASE_KINDS if c != "ID caso"]),
               cases_total=len(t.cases.df))


def build(ctx: ReportContext, name: str | None = None) -> ReportFiles:
    """Compute the campaign's tables once; render its Excel workbook and PDF."""
    from pulso.reports.base import ReportFiles

    t = compute(ctx, name)
    xlsx, pdf = _paths(ctx, t)
    write_excel(t, ctx, xlsx)
    write_pdf(t, ctx, pdf)
    return ReportFiles(kind=KIND, period=t.period, xlsx=xlsx, pdf=pdf, summary=t.summary())


def run_campaign(engine: Engine, config: PulsoConfig, name: str, out_dir: Path, *,
                 run_id: str | None = None) -> dict[str, Any]:
    """Build one campaign's report through the report runner (recorded in report_run)."""
    import sys

    from pulso.reports.runner import run_reports

    spans = campaign_spans(engine, config)
    if name not in spans:
        known = ", ".join(spans) or "ninguna"
        raise ValueError(f"no hay publicaciones con la campaña «{name}»; campañas: {known}")
    period = campaign_period(name, *spans[name])
    runs = run_reports(engine, config, period, kinds=[KIND], out_dir=out_dir,
                       send_email=False, run_id=run_id, require_complete=False,
                       builders={KIND: sys.modules[__name__]})
    return runs[0].as_dict()


def campaigns_to_report(params: dict | None) -> list[str]:
    """DAG task: the campaign named in the params, or every campaign closing today."""
    from pulso.context import get_context

    ctx = get_context()
    name = ((params or {}).get("campaign") or "").strip()
    spans = campaign_spans(ctx.engine(), ctx.config)
    if name:
        if name not in spans:
            known = ", ".join(spans) or "ninguna"
            raise ValueError(f"parámetro «Campaña»: no hay publicaciones con la campaña "
                             f"«{name}»; campañas registradas: {known}")
        return [name]
    today = ctx.today()
    return [n for n, (_, last) in spans.items() if last + timedelta(days=CLOSE_DAYS) == today]


def render_campaign(name: str, run_id: str | None = None) -> dict[str, Any]:
    """DAG task: build one campaign's report into the reports folder."""
    from pulso.context import get_context

    ctx = get_context()
    return run_campaign(ctx.engine(), ctx.config, name, ctx.paths.reports, run_id=run_id)
