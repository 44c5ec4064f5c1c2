"""Monthly growth and management report (informe mensual de gestión de redes).

Per network and account: followers at the start and end of the month, gained, lost, net and %
growth, reach, views, engagements and three engagement-rate variants (each named by its
denominator), posts published; the month's top posts (differences of lifetime snapshots);
a comparison with the previous month and the same month last year; the best weekdays and hours
to publish (Bogotá time); and an automatic summary in Spanish. Excel and PDF are rendered from
the same computed tables (`compute`), so their figures agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from pulso.core.periods import Period
from pulso.reports import fmt
from pulso.reports.summary import GrowthSummary
from pulso.reports.tables import ReportTable

if TYPE_CHECKING:
    import pandas as pd

    from pulso.reports.base import ReportContext, ReportFiles

KIND = "growth"
TITLE = "Informe mensual de gestión de redes sociales"
TOP_POSTS = 10
POST_TEXT_LIMIT = 110
POST_METRICS = ("reach", "views", "reactions", "comments", "shares", "saves", "clicks",
                "video_views")
# A post's engagements: the interactions every network counts (clicks and views excluded).
POST_ENGAGEMENT_PARTS = ("reactions", "comments", "shares", "saves")
RATE_DEFINITIONS = [
    ("Tasa de interacción por alcance", "interacciones del mes / suma del alcance diario"),
    ("Tasa de interacción por visualizaciones",
     "interacciones del mes / visualizaciones del mes"),
    ("Tasa de interacción por seguidores", "interacciones del mes / seguidores al cierre"),
    ("Tasas de una red o del total", "solo suman las cuentas que informan el numerador y el "
                                     "denominador (p. ej. TikTok no informa alcance)"),
]
ACCOUNT_STATS = ("followers_start", "followers_end", "gained", "lost", "net", "growth",
                 "reach", "views", "engagements", "er_reach", "er_views", "er_followers",
                 "posts", "days")


# ------------------------------------------------------------------------------------------
# Computation
# ------------------------------------------------------------------------------------------


def _sum(s) -> float | None:
    """Sum of the non-missing values; None when every value is missing (NULL is not 0)."""
    v = s.sum(min_count=1)
    return None if fmt.is_missing(v) else float(v)


def account_stats(days: pd.DataFrame, before: pd.DataFrame | None = None) -> dict[str, Any]:
    """The month's figures of one account from its account_daily rows (sorted by day).

    followers_start: total at the end of the day before the period (`before`), else the first
    day's total minus that day's net change. net: end - start (else gained - lost).
    """
    out: dict[str, Any] = dict.fromkeys(ACCOUNT_STATS)
    out["days"] = len(days)
    if days.empty:
        return out
    f = days.dropna(subset=["followers"])
    end = float(f["followers"].iloc[-1]) if len(f) else None
    start = None
    if before is not None and len(before.dropna(subset=["followers"])):
        start = float(before.dropna(subset=["followers"])["followers"].iloc[-1])
    elif len(f):
        first = f.iloc[0]
        g, lo = first["followers_gained"], first["followers_lost"]
        start = float(first["followers"])
        if not fmt.is_missing(g) and not fmt.is_missing(lo):
            start -= float(g) - float(lo)
    gained, lost = _sum(days["followers_gained"]), _sum(days["followers_lost"])
    if start is not None and end is not None:
        net = end - start
    elif gained is not None and lost is not None:
        net = gained - lost
    else:
        net = None
    reach, views, eng = _sum(days["reach"]), _sum(days["views"]), _sum(days["engagements"])
    out.update(followers_start=start, followers_end=end, gained=gained, lost=lost, net=net,
               growth=fmt.share(net, start), reach=reach, views=views, engagements=eng,
               er_reach=fmt.share(eng, reach), er_views=fmt.share(eng, views),
               er_followers=fmt.share(eng, end), posts=_sum(days["posts_published"]))
    return out


def _combine(stats: list[dict[str, Any]]) -> dict[str, Any]:
    """Add accounts' figures (a network or the total); rates recomputed from the sums."""
    out: dict[str, Any] = dict.fromkeys(ACCOUNT_STATS)

    def add(key: str) -> float | None:
        vals = [s[key] for s in stats if not fmt.is_missing(s[key])]
        return float(sum(vals)) if vals else None

    for k in ("followers_start", "followers_end", "gained", "lost", "net", "reach", "views",
              "engagements", "posts", "days"):
        out[k] = add(k)
    with_both = [s for s in stats if s["followers_start"] is not None
                 and s["followers_end"] is not None]
    start_both = sum(s["followers_start"] for s in with_both) if with_both else None
    out["growth"] = fmt.share(sum(s["net"] for s in with_both) if with_both else None,
                              start_both)
    # A rate only adds accounts that report both its numerator and its denominator (TikTok
    # gives no reach: its engagements must not inflate the rate per reach).
    for key, denom in (("er_reach", "reach"), ("er_views", "views"),
                       ("er_followers", "followers_end")):
        both = [s for s in stats if s["engagements"] is not None and s[denom] is not None]
        out[key] = fmt.share(sum(s["engagements"] for s in both) if both else None,
                             sum(s[denom] for s in both) if both else None)
    return out


def period_stats(ctx: ReportContext, period: Period,
                 daily: pd.DataFrame | None = None) -> dict[str, dict[str, Any]]:
    """{account_id: stats} for accounts with at least one account_daily row in `period`."""
    from pulso.reports import data

    tz = ctx.config.entity.timezone
    if daily is None:
        daily = data.account_daily(ctx.engine, period.start - timedelta(days=1), period.end, tz)
    first = _ts(period.start)
    out = {}
    for acc, rows in daily.groupby("account_id", sort=False):
        rows = rows.sort_values("day")
        inside = rows[rows["day"] >= first]
        if inside.empty:
            continue
        out[str(acc)] = account_stats(inside, rows[rows["day"] < first])
    return out


def _ts(d: date):
    import pandas as pd

    return pd.Timestamp(d)


def account_label(network: str, handle: str | None, display_name: str | None = None) -> str:
    """'Facebook · @PruebaFB' (the entity's own accounts: not personal data)."""
    who = f"@{handle}" if handle else (display_name or "")
    return f"{fmt.network_label(network)} · {who}".strip(" ·")


@dataclass
class GrowthTables:
    """Everything the growth report shows, computed once for both renderers."""

    period: Period
    accounts: pd.DataFrame  # configured + known accounts: account_id, network, label
    stats: dict[str, dict[str, Any]]
    network_stats: dict[str, dict[str, Any]]
    total: dict[str, Any]
    previous: dict[str, dict[str, Any]]
    last_year: dict[str, dict[str, Any]]
    daily_db: ReportTable  # one row per account-day (the Excel database sheet)
    by_account: ReportTable
    by_account_rates: ReportTable
    by_network: ReportTable
    comparison: ReportTable
    top_posts: ReportTable
    slots: ReportTable  # network x weekday x hour aggregates of the month's posts
    heats: dict[str, Any]  # network -> (7 x 24 mean engagements per post, 7 x 24 post counts)
    best_slots: list[dict[str, Any]]  # the best slots of each network (two or more posts)
    posts_in_month: int
    summary_text: list[str]
    no_data: list[str]  # labels of accounts without data in the month
    notes: list[str] = field(default_factory=list)
    coverage: dict[str, list[str]] = field(default_factory=dict)  # metric -> networks with it
    targets: ReportTable | None = None  # monthly targets vs actual (config.targets)

    @property
    def has_data(self) -> bool:
        return bool(self.stats)

    def summary(self) -> GrowthSummary:
        t = self.total

        def j(v):
            return None if fmt.is_missing(v) else (round(v, 6) if isinstance(v, float) else v)

        best = self.best_slots[0] if self.best_slots else None
        return GrowthSummary(**{
            "period": self.period.key, "accounts_with_data": len(self.stats),
            "accounts_without_data": len(self.no_data),
            "followers_end": j(t["followers_end"]), "net_followers": j(t["net"]),
            "growth": j(t["growth"]), "reach": j(t["reach"]), "views": j(t["views"]),
            "engagements": j(t["engagements"]), "engagement_rate_reach": j(t["er_reach"]),
            "posts": j(t["posts"]), "posts_in_month": self.posts_in_month,
            "best_slot": (f"{fmt.network_label(best['network'])}: "
                          f"{fmt.WEEKDAYS_ES[best['weekday']]} {fmt.hour_label(best['hour'])}"
                          if best else None),
            "reach_networks": self.coverage.get("reach", []),
            "text": " ".join(self.summary_text),
        })


ACCOUNT_COLUMNS = {"Red": "text", "Cuenta": "text", "Seguidores al inicio": "num",
                   "Seguidores al cierre": "num", "Ganados": "num", "Perdidos": "num",
                   "Crecimiento neto": "signed_num", "Crecimiento %": "signed_pct",
                   "Publicaciones": "num", "Días con datos": "num"}
RATE_COLUMNS = {"Red": "text", "Cuenta": "text", "Alcance": "num", "Visualizaciones": "num",
                "Interacciones": "num", "Tasa por alcance": "pct2",
                "Tasa por visualizaciones": "pct2", "Tasa por seguidores": "pct2"}
NETWORK_COLUMNS = {"Red": "text", "Cuentas": "num", "Seguidores al cierre": "num",
                   "Crecimiento neto": "signed_num", "Crecimiento %": "signed_pct",
                   "Alcance": "num", "Visualizaciones": "num", "Interacciones": "num",
                   "Tasa por alcance": "pct2", "Publicaciones": "num"}


def _account_row(label_net: str, label: str, s: dict[str, Any]) -> dict[str, Any]:
    return {"Red": label_net, "Cuenta": label, "Seguidores al inicio": s["followers_start"],
            "Seguidores al cierre": s["followers_end"], "Ganados": s["gained"],
            "Perdidos": s["lost"], "Crecimiento neto": s["net"], "Crecimiento %": s["growth"],
            "Publicaciones": s["posts"], "Días con datos": s["days"]}


def _rate_row(label_net: str, label: str, s: dict[str, Any]) -> dict[str, Any]:
    return {"Red": label_net, "Cuenta": label, "Alcance": s["reach"],
            "Visualizaciones": s["views"], "Interacciones": s["engagements"],
            "Tasa por alcance": s["er_reach"], "Tasa por visualizaciones": s["er_views"],
            "Tasa por seguidores": s["er_followers"]}


def _frame(rows: list[dict[str, Any]], kinds: dict[str, str]) -> pd.DataFrame:
    import pandas as pd

    from pulso.reports.pdf import NUMERIC_KINDS

    df = pd.DataFrame(rows, columns=list(kinds))
    for c, k in kinds.items():
        if k in NUMERIC_KINDS:
            df[c] = pd.to_numeric(df[c], errors="coerce").astype("float64")
    return df


def _accounts(ctx: ReportContext) -> pd.DataFrame:
    """Configured accounts plus any other account in the warehouse, in network order."""
    import pandas as pd

    from pulso.core.vocab import NETWORKS
    from pulso.reports import data

    known = data.query(ctx.engine, "accounts", tz=ctx.config.entity.timezone)
    rows = {r.account_id: (r.network, r.handle, r.display_name)
            for r in known.itertuples(index=False)}
    for a in ctx.config.accounts:
        rows.setdefault(a.account_id, (a.network, a.handle, a.display_name))
    out = pd.DataFrame([{"account_id": k, "network": v[0], "handle": v[1],
                         "display_name": v[2], "label": account_label(*v)}
                        for k, v in rows.items()],
                       columns=["account_id", "network", "handle", "display_name", "label"])
    order = {n: i for i, n in enumerate(NETWORKS)}
    out["_o"] = out["network"].map(order).fillna(99)
    return out.sort_values(["_o", "account_id"]).drop(columns="_o").reset_index(drop=True)


def _post_engagements(df: pd.DataFrame, prefix: str = "") -> pd.Series:
    cols = [f"{prefix}{c}" for c in POST_ENGAGEMENT_PARTS]
    return df[cols].apply(lambda s: s.astype("float64")).sum(axis=1, min_count=1)


def _top_posts(ctx: ReportContext, accounts: pd.DataFrame) -> ReportTable:
    """Posts ranked by the month's engagements (end snapshot - snapshot before the month)."""
    import pandas as pd

    from pulso.core.privacy import mask_personal_data, shorten
    from pulso.reports import data

    tz = ctx.config.entity.timezone
    pm = data.post_month(ctx.engine, ctx.period.start, ctx.period.end, tz)
    kinds = {"Red": "text", "Cuenta": "text", "Publicada": "day_time", "Tipo": "text",
             "Publicación": "text", "Alcance del mes": "num", "Visualizaciones del mes": "num",
             "Interacciones del mes": "num", "Tasa por alcance": "pct2", "Enlace": "text"}
    if pm.empty:
        return ReportTable(_frame([], kinds), kinds)
    month = {}
    for m in POST_METRICS:
        end = pm[f"end_{m}"].astype("float64")
        base = pm[f"base_{m}"].astype("float64").fillna(0)
        month[m] = (end - base).where(end.notna())
    md = pd.DataFrame(month)
    md["engagements"] = _post_engagements(md)
    labels = accounts.set_index("account_id")["label"]
    texts = pm["text"].fillna("")
    if ctx.audience != "internal":
        texts = texts.map(mask_personal_data)
    out = pd.DataFrame({
        "Red": pm["network"].map(fmt.network_label),
        "Cuenta": pm["account_id"].map(labels).fillna(pm["account_id"]),
        "Publicada": pm["published_at"].dt.tz_localize(None),
        "Tipo": pm["kind"].fillna(""),
        "Publicación": texts.map(lambda t: shorten(t, POST_TEXT_LIMIT)),
        "Alcance del mes": md["reach"], "Visualizaciones del mes": md["views"],
        "Interacciones del mes": md["engagements"],
        "Tasa por alcance": (md["engagements"] / md["reach"].where(md["reach"] > 0)),
        "Enlace": pm["permalink"].fillna(""),
    })
    out = out.dropna(subset=["Interacciones del mes"])
    out = out.sort_values(["Interacciones del mes", "Publicada"], ascending=[False, True],
                          kind="stable").head(TOP_POSTS).reset_index(drop=True)
    return ReportTable(out, kinds)


def _slots(ctx: ReportContext) -> tuple[ReportTable, dict[str, Any], list[dict[str, Any]],
                                        int]:
    """Weekday x hour (Bogotá) of the month's posts, per network: count and mean engagements.

    Networks are never averaged together: a slot that looks good across networks mostly says
    which network posted then. Returns (table, {network: (mean matrix, count matrix)}, the
    best slots per network, number of posts).
    """
    import numpy as np

    from pulso.reports import data

    posts = data.posts_published(ctx.engine, ctx.period.start, ctx.period.end,
                                 ctx.config.entity.timezone)
    kinds = {"Red": "text", "Día": "text", "Hora": "text", "Publicaciones": "num",
             "Interacciones (acumuladas)": "num", "Promedio por publicación": "num1"}
    heats: dict[str, Any] = {}
    if posts.empty:
        return ReportTable(_frame([], kinds), kinds), heats, [], 0
    posts["engagements"] = _post_engagements(posts)
    posts["weekday"] = posts["published_at"].dt.weekday
    posts["hour"] = posts["published_at"].dt.hour
    measured = posts.dropna(subset=["engagements"])
    rows, best = [], []
    order = {n: i for i, n in enumerate(("facebook", "instagram", "x", "youtube", "tiktok",
                                         "linkedin"))}
    for net in sorted(measured["network"].unique(), key=lambda n: order.get(n, 99)):
        sub = measured[measured["network"] == net]
        g = (sub.groupby(["weekday", "hour"])["engagements"]
             .agg(["count", "sum", "mean"]).reset_index())
        mean, count = np.full((7, 24), np.nan), np.zeros((7, 24), dtype=int)
        for r in g.itertuples(index=False):
            mean[int(r.weekday), int(r.hour)] = r.mean
            count[int(r.weekday), int(r.hour)] = int(r.count)
        heats[net] = (mean, count)
        # Rank slots with at least two posts first: one lucky post is not a pattern.
        g["_repeat"] = g["count"] >= 2
        g = g.sort_values(["_repeat", "mean", "count"], ascending=[False, False, False],
                          kind="stable")
        label = fmt.network_label(net)
        rows += [{"Red": label, "Día": fmt.WEEKDAYS_ES[int(r.weekday)],
                  "Hora": fmt.hour_label(int(r.hour)), "Publicaciones": r.count,
                  "Interacciones (acumuladas)": r.sum, "Promedio por publicación": r.mean}
                 for r in g.itertuples(index=False)]
        best += [{"network": net, "weekday": int(r.weekday), "hour": int(r.hour),
                  "mean": float(r.mean), "count": int(r.count)}
                 for r in g[g["_repeat"]].head(3).itertuples(index=False)]
    return ReportTable(_frame(rows, kinds), kinds), heats, best, len(posts)


def _comparison(accounts: pd.DataFrame, cur: dict, prev: dict, last: dict,
                period: Period) -> ReportTable:
    prev_label = fmt.month_label(period.previous())
    last_label = fmt.month_label(period.same_last_year())
    kinds = {"Cuenta": "text", "Indicador": "text", "Este mes": "num",
             f"Mes anterior ({prev_label})": "num", "Variación vs. mes anterior": "signed_pct",
             f"Mismo mes año anterior ({last_label})": "num",
             "Variación anual": "signed_pct"}
    metrics = [("Seguidores al cierre", "followers_end"), ("Crecimiento neto", "net"),
               ("Alcance", "reach"), ("Visualizaciones", "views"),
               ("Interacciones", "engagements"), ("Publicaciones", "posts")]
    rows = []
    for r in accounts.itertuples(index=False):
        if r.account_id not in cur:
            continue
        for name, key in metrics:
            c = cur[r.account_id][key]
            p = prev.get(r.account_id, {}).get(key)
            y = last.get(r.account_id, {}).get(key)
            rows.append({"Cuenta": r.label, "Indicador": name, "Este mes": c,
                         f"Mes anterior ({prev_label})": p,
                         "Variación vs. mes anterior": (fmt.change(c, p) if key != "net"
                                                        else None),
                         f"Mismo mes año anterior ({last_label})": y,
                         "Variación anual": fmt.change(c, y) if key != "net" else None})
    return ReportTable(_frame(rows, kinds), kinds)


def _daily_db(daily: pd.DataFrame, accounts: pd.DataFrame, period: Period) -> ReportTable:
    import pandas as pd

    kinds = {"Fecha": "day", "Red": "text", "Cuenta": "text", "ID cuenta": "text",
             "Nombre": "text", "Seguidores": "num", "Ganados": "num", "Perdidos": "num",
             "Seguidores derivados": "text", "Alcance": "num", "Visualizaciones": "num",
             "Interacciones": "num", "Visitas al perfil": "num",
             "Reproducciones de video": "num", "Publicaciones": "num", "Fuente": "text"}
    d = daily[daily["day"] >= pd.Timestamp(period.start)]
    labels = accounts.set_index("account_id")["label"]
    derived = d["followers_derived"].map(
        lambda v: "" if fmt.is_missing(v) else ("sí" if bool(v) else "no"))
    out = pd.DataFrame({
        "Fecha": d["day"], "Red": d["network"].map(fmt.network_label),
        "Cuenta": d["account_id"].map(labels).fillna(d["account_id"]),
        "ID cuenta": d["account_id"], "Nombre": d["display_name"].fillna(""),
        "Seguidores": d["followers"], "Ganados": d["followers_gained"],
        "Perdidos": d["followers_lost"], "Seguidores derivados": derived,
        "Alcance": d["reach"], "Visualizaciones": d["views"], "Interacciones": d["engagements"],
        "Visitas al perfil": d["profile_visits"], "Reproducciones de video": d["video_views"],
        "Publicaciones": d["posts_published"], "Fuente": d["source"]})
    for c, k in kinds.items():
        if k == "num":
            out[c] = pd.to_numeric(out[c], errors="coerce").astype("Int64")
    return ReportTable(out.reset_index(drop=True), kinds)


def _summary_text(t: GrowthTables, prev_total: dict | None) -> list[str]:
    """A few Spanish sentences generated from the figures (no free text)."""
    p = t.period
    if not t.has_data:
        return [f"Sin datos para este periodo: no hay estadísticas de ninguna cuenta en "
                f"{p.label}."]
    out = []
    tot = t.total
    labels = t.accounts.set_index("account_id")["label"]
    s = (f"En {p.label}, las {len(t.stats)} cuenta{'s' if len(t.stats) != 1 else ''} con "
         f"datos cerraron con {fmt.num(tot['followers_end'])} seguidores en total")
    if tot["net"] is not None:
        s += f" ({fmt.signed_num(tot['net'])} en el mes, {fmt.signed_pct(tot['growth'])})"
    out.append(s + f", {fmt.num(tot['engagements'])} interacciones y "
                   f"{fmt.num(tot['posts'])} publicaciones.")
    growth = [(a, s["growth"]) for a, s in t.stats.items() if s["growth"] is not None]
    if growth:
        a, g = max(growth, key=lambda x: x[1])
        if g > 0:
            out.append(f"El mayor crecimiento fue el de {labels[a]}: "
                       f"{fmt.signed_num(t.stats[a]['net'])} seguidores ({fmt.signed_pct(g)}).")
        losers = [labels[a] for a, g in growth if g < 0]
        if losers:
            out.append("Perdieron seguidores en el mes: " + ", ".join(losers) + ".")
    nets = [(n, s["engagements"]) for n, s in t.network_stats.items()
            if s["engagements"] is not None]
    if nets:
        n, e = max(nets, key=lambda x: x[1])
        rate = t.network_stats[n]["er_reach"]
        out.append(f"La red con más interacciones fue {fmt.network_label(n)} ({fmt.num(e)}"
                   + (f"; tasa por alcance {fmt.pct(rate, 2)}" if rate is not None else "")
                   + ").")
    if prev_total and prev_total.get("engagements") and tot["engagements"] is not None:
        ch = fmt.change(tot["engagements"], prev_total["engagements"])
        word = "subieron" if ch > 0 else "bajaron" if ch < 0 else "se mantuvieron"
        out.append(f"Las interacciones {word} {fmt.pct(abs(ch))} frente a "
                   f"{p.previous().label}." if ch else
                   f"Las interacciones se mantuvieron frente a {p.previous().label}.")
    else:
        out.append(f"No hay datos de {p.previous().label} para comparar.")
    if not t.top_posts.empty:
        r = t.top_posts.df.iloc[0]
        out.append(f"La publicación con más interacciones en el mes fue de {r['Cuenta']} "
                   f"({fmt.day(r['Publicada'])}, {fmt.num(r['Interacciones del mes'])}).")
    firsts = {}
    for b in t.best_slots:
        firsts.setdefault(b["network"], b)
    if firsts:
        out.append("Mejor horario de cada red (dos o más publicaciones en la franja): "
                   + "; ".join(f"{fmt.network_label(n)}, {fmt.WEEKDAYS_ES[b['weekday']]} a las "
                               f"{fmt.hour_label(b['hour'])}" for n, b in firsts.items()) + ".")
    elif t.posts_in_month == 0:
        out.append("No se registraron publicaciones en el mes.")
    if t.no_data:
        out.append("Sin datos en el periodo: " + ", ".join(t.no_data) + ".")
    return out


TARGET_KINDS = {"Indicador": "text", "Meta del mes": "text", "Resultado": "text",
                "Cumplimiento": "pct", "Estado": "text"}


def target_rows(targets, actual: dict[str, Any], months: int = 1) -> list[dict[str, Any]]:
    """Actual vs the configured monthly targets (x `months` for a semester's sums).

    `actual` keys: followers_net, engagements, engagement_rate_reach, posts,
    answered_in_network (share), first_response_hours, on_time (share). Targets not set in the
    configuration are skipped; a missing actual is "sin datos", never 0.
    """
    spec = [("followers_net", "Crecimiento neto de seguidores", "num", True, True),
            ("engagements", "Interacciones", "num", True, True),
            ("engagement_rate_reach", "Tasa de interacción por alcance", "pct2", True, False),
            ("posts", "Publicaciones", "num", True, True),
            ("answered_in_network", "PQRS respondidas en la red", "pct", True, False),
            ("first_response_hours", "Mediana de horas a la 1.ª respuesta en la red", "num1",
             False, False),
            ("on_time", "PQRS con respuesta formal a tiempo", "pct", True, False)]
    shown = {"num": fmt.num, "num1": lambda v: fmt.num(v, 1), "pct": fmt.pct,
             "pct2": lambda v: fmt.pct(v, 2)}
    rows = []
    for key, label, kind, higher, summed in spec:
        goal = getattr(targets, key, None)
        if goal is None or key not in actual:
            continue
        goal = goal * months if summed else goal
        value = actual.get(key)
        if fmt.is_missing(value):
            rows.append({"Indicador": label, "Meta del mes": shown[kind](goal),
                         "Resultado": "sin datos", "Cumplimiento": None,
                         "Estado": "sin datos"})
            continue
        ratio = (value / goal if higher else goal / value) if goal and value else None
        met = value >= goal if higher else value <= goal
        rows.append({"Indicador": label, "Meta del mes": shown[kind](goal),
                     "Resultado": shown[kind](value), "Cumplimiento": ratio,
                     "Estado": "Cumplida" if met else "No cumplida"})
    return rows


def _targets(ctx: ReportContext, total: dict[str, Any]) -> ReportTable | None:
    rows = target_rows(ctx.config.targets, {
        "followers_net": total["net"], "engagements": total["engagements"],
        "engagement_rate_reach": total["er_reach"], "posts": total["posts"]})
    return ReportTable(_frame(rows, TARGET_KINDS), TARGET_KINDS) if rows else None


def compute(ctx: ReportContext) -> GrowthTables:
    """All tables of the report for ctx.period (a month)."""
    from pulso.reports import data

    period = ctx.period
    if period.kind != "month":
        raise ValueError(f"the growth report covers a month, not {period.key!r}")
    tz = ctx.config.entity.timezone
    accounts = _accounts(ctx)
    daily = data.account_daily(ctx.engine, period.start - timedelta(days=1), period.end, tz)
    stats = period_stats(ctx, period, daily)
    previous = period_stats(ctx, period.previous())
    last_year = period_stats(ctx, period.same_last_year())
    network_stats = {}
    for net in dict.fromkeys(accounts["network"]):
        members = [stats[a] for a in accounts.loc[accounts["network"] == net, "account_id"]
                   if a in stats]
        if members:
            network_stats[net] = _combine(members) | {"accounts": len(members)}
    total = _combine(list(stats.values())) if stats else dict.fromkeys(ACCOUNT_STATS)
    acc_rows, rate_rows, no_data = [], [], []
    for r in accounts.itertuples(index=False):
        if r.account_id in stats:
            acc_rows.append(_account_row(fmt.network_label(r.network), r.label,
                                         stats[r.account_id]))
            rate_rows.append(_rate_row(fmt.network_label(r.network), r.label,
                                       stats[r.account_id]))
        else:
            no_data.append(r.label)
    if stats:
        acc_rows.append(_account_row("Total", "Total", total))
        rate_rows.append(_rate_row("Total", "Total", total))
    net_rows = [{"Red": fmt.network_label(n), "Cuentas": s["accounts"],
                 "Seguidores al cierre": s["followers_end"], "Crecimiento neto": s["net"],
                 "Crecimiento %": s["growth"], "Alcance": s["reach"],
                 "Visualizaciones": s["views"], "Interacciones": s["engagements"],
                 "Tasa por alcance": s["er_reach"], "Publicaciones": s["posts"]}
                for n, s in network_stats.items()]
    if network_stats:
        net_rows.append({"Red": "Total", "Cuentas": len(stats),
                         "Seguidores al cierre": total["followers_end"],
                         "Crecimiento neto": total["net"], "Crecimiento %": total["growth"],
                         "Alcance": total["reach"], "Visualizaciones": total["views"],
                         "Interacciones": total["engagements"],
                         "Tasa por alcance": total["er_reach"], "Publicaciones": total["posts"]})
    slots, heats, best, n_posts = _slots(ctx)
    t = GrowthTables(
        period=period, accounts=accounts, stats=stats, network_stats=network_stats,
        total=total, previous=previous, last_year=last_year,
        daily_db=_daily_db(daily, accounts, period),
        by_account=ReportTable(_frame(acc_rows, ACCOUNT_COLUMNS), ACCOUNT_COLUMNS,
                               total=bool(stats)),
        by_account_rates=ReportTable(_frame(rate_rows, RATE_COLUMNS), RATE_COLUMNS,
                                     total=bool(stats)),
        by_network=ReportTable(_frame(net_rows, NETWORK_COLUMNS), NETWORK_COLUMNS,
                               total=bool(network_stats)),
        comparison=_comparison(accounts, stats, previous, last_year, period),
        top_posts=_top_posts(ctx, accounts), slots=slots, heats=heats, best_slots=best,
        posts_in_month=n_posts, summary_text=[], no_data=no_data)
    t.coverage = {k: [fmt.network_label(n) for n, s in network_stats.items()
                      if s[k] is not None] for k in ("reach", "views", "engagements")}
    t.targets = _targets(ctx, total)
    prev_total = _combine(list(previous.values())) if previous else None
    t.summary_text = _summary_text(t, prev_total)
    incomplete = [f"{lbl}: {int(s['days'])} de {len(period.days())} días"
                  for lbl, s in ((accounts.set_index('account_id')['label'][a], s)
                                 for a, s in stats.items())
                  if s["days"] < len(period.days())]
    if incomplete:
        t.notes.append("Datos incompletos en el mes — " + "; ".join(incomplete) + ".")
    return t


# ------------------------------------------------------------------------------------------
# Rendering
# ------------------------------------------------------------------------------------------


def _notes(t: GrowthTables) -> list[tuple[str, str]]:
    rows = [(name, formula) for name, formula in RATE_DEFINITIONS]
    rows += [
        ("Seguidores al inicio", "total al cierre del día anterior al mes; si falta, total del "
                                 "primer día menos su crecimiento neto"),
        ("Crecimiento neto", "seguidores al cierre - seguidores al inicio"),
        ("Crecimiento %", "crecimiento neto / seguidores al inicio"),
        ("Alcance de una cuenta", "suma del alcance diario que informa la red: una persona "
                                  "que vio la cuenta varios días cuenta varias veces (no son "
                                  "personas únicas del mes)"),
        ("Alcance de una publicación", "personas que vieron la publicación (lo informan "
                                       "Facebook, Instagram y LinkedIn); tasa por alcance de "
                                       "la publicación = sus interacciones / su alcance"),
        ("Interacciones de una publicación", "reacciones + comentarios + compartidos + "
                                             "guardados; valor del mes = acumulado al cierre "
                                             "- acumulado antes del mes"),
        ("Horarios", "hora de Bogotá; por red, promedio de interacciones acumuladas por "
                     "publicación publicada en ese día y hora, con el número de publicaciones; "
                     "solo franjas con dos o más publicaciones cuentan como mejor horario. "
                     "Ninguna de las fuentes cargadas entrega la audiencia en línea por hora"),
        ("Métricas no disponibles", "una métrica que la red no ofrece se muestra vacía "
                                    "(—), nunca como 0"),
    ]
    rows += [("Nota", n) for n in t.notes]
    return rows


def write_excel(t: GrowthTables, ctx: ReportContext, path) -> None:
    from pulso.reports.excel import new_workbook, save_workbook, write_key_values

    wb = new_workbook()
    tot = t.total
    resumen = [("Entidad", ctx.config.entity.name), ("Periodo", t.period.label),
               ("Desde", fmt.day(t.period.start)), ("Hasta", fmt.day(t.period.end)),
               ("Cuentas con datos", len(t.stats)),
               ("Cuentas sin datos", ", ".join(t.no_data) or "ninguna"),
               ("Seguidores al cierre", tot["followers_end"]),
               ("Crecimiento neto", tot["net"]), ("Crecimiento %", tot["growth"]),
               ("Alcance (suma del alcance diario)", tot["reach"]),
               ("Redes que informan alcance", ", ".join(t.coverage.get("reach", []))),
               ("Visualizaciones", tot["views"]),
               ("Interacciones", tot["engagements"]),
               ("Tasa de interacción por alcance", tot["er_reach"]),
               ("Tasa de interacción por visualizaciones", tot["er_views"]),
               ("Tasa de interacción por seguidores", tot["er_followers"]),
               ("Publicaciones", tot["posts"]),
               ("Resumen", " ".join(t.summary_text))]
    pct_keys = {"Crecimiento %": "+0.0%;-0.0%;0.0%", "Tasa de interacción por alcance": "0.00%",
                "Tasa de interacción por visualizaciones": "0.00%",
                "Tasa de interacción por seguidores": "0.00%", "Seguidores al cierre": "#,##0",
                "Crecimiento neto": "+#,##0;-#,##0;0", "Alcance (suma del alcance diario)": "#,##0",
                "Visualizaciones": "#,##0", "Interacciones": "#,##0", "Publicaciones": "#,##0"}
    write_key_values(wb, "Resumen", resumen, formats=pct_keys,
                     heading=f"{TITLE} — {t.period.label}")
    empty = fmt.EMPTY_PERIOD
    t.by_network.write(wb, "Por red", note=None if t.has_data else empty)
    t.by_account.write(wb, "Por cuenta", note=None if t.has_data else empty)
    t.by_account_rates.write(wb, "Tasas de interacción",
                             note="Cada tasa indica su denominador (ver hoja Notas).")
    t.comparison.write(wb, "Comparación",
                       note="Celdas vacías: sin datos en ese periodo.")
    t.top_posts.write(wb, "Mejores publicaciones",
                      note=None if not t.top_posts.empty else empty,
                      widths={"Publicación": 60, "Enlace": 45})
    if t.targets is not None:
        t.targets.write(wb, "Metas", note="Metas mensuales del plan de comunicaciones "
                        "(pulso.yaml, targets) frente al resultado del mes.")
    t.slots.write(wb, "Horarios", note="Hora de Bogotá, por red (no se promedian redes). " + (
        "" if not t.slots.empty else "No se registraron publicaciones en el mes."))
    t.daily_db.write(wb, "Datos diarios")
    write_key_values(wb, "Notas", _notes(t), heading="Definiciones y notas")
    save_workbook(wb, path)


def _charts(t: GrowthTables) -> dict[str, str | None]:
    from pulso.reports import charts

    out: dict[str, Any] = {"growth": None, "daily": None, "heatmaps": []}
    if not t.has_data:
        return out
    labels = t.accounts.set_index("account_id")["label"]
    accs = [a for a in t.accounts["account_id"] if a in t.stats]
    if any(t.stats[a]["growth"] is not None for a in accs):
        vals = [t.stats[a]["growth"] or 0.0 for a in accs]
        colors = [charts.NETWORK_COLORS.get(a.split(":")[0], charts.PALETTE["primary"])
                  for a in accs]
        out["growth"] = charts.hbars([labels[a] for a in accs], vals, colors=colors,
                                     percent=True, title="Crecimiento de seguidores en el mes")
    db = t.daily_db.df
    if len(db) and db["Interacciones"].notna().any():
        days = sorted(db["Fecha"].unique())
        series = {}
        for a in accs:
            sub = db[db["ID cuenta"] == a].set_index("Fecha")["Interacciones"]
            net = a.split(":")[0]
            single = sum(1 for x in accs if x.split(":")[0] == net) == 1
            name = fmt.network_label(net) if single else labels[a]  # short legend
            series[name] = [None if fmt.is_missing(sub.get(d)) else float(sub.get(d))
                            for d in days]
        x = [f"{d.day:02d}" for d in (day_.date() for day_ in map(_to_ts, days))]
        out["daily"] = charts.lines(x, series, title="Interacciones diarias por cuenta",
                                    size=(7.2, 2.1))
    panels = [(f"{fmt.network_label(net)}: interacciones promedio por publicación "
               "(número = publicaciones)", mean, count)
              for net, (mean, count) in t.heats.items() if (mean == mean).any()]
    out["heatmaps"] = [  # three networks per image: one rendering each, fits a page
        charts.heatmaps(panels[i:i + 3], [d.capitalize() for d in fmt.WEEKDAYS_SHORT],
                        [f"{h:02d}" for h in range(24)], cbar_label="interacciones")
        for i in range(0, len(panels), 3)]
    return out


def _to_ts(v):
    import pandas as pd

    return pd.Timestamp(v)


def _covered(t: GrowthTables, metric: str) -> str | None:
    """'solo Facebook, Instagram, LinkedIn' when some networks with data lack `metric`."""
    have = t.coverage.get(metric, [])
    if len(have) < len(t.network_stats):
        return "solo " + ", ".join(have) if have else "ninguna red lo informa"
    return None


def _coverage_note(t: GrowthTables) -> str | None:
    """Which networks each total covers, when not all of them report a metric."""
    nets = [fmt.network_label(n) for n in t.network_stats]
    parts = []
    for key, name in (("reach", "alcance"), ("views", "visualizaciones"),
                      ("engagements", "interacciones")):
        have = t.coverage.get(key, [])
        if len(have) < len(nets):
            miss = [n for n in nets if n not in have]
            parts.append(f"El total de {name} suma {', '.join(have) or 'ninguna red'}; "
                         f"{', '.join(miss)} no lo informa{'n' if len(miss) > 1 else ''}.")
    return " ".join(parts) or None


def write_pdf(t: GrowthTables, ctx: ReportContext, path) -> None:
    from pulso.reports.pdf import page_context, render_pdf

    tot = t.total
    kpis = []
    if t.has_data:
        kpis = [(fmt.num(tot["followers_end"]), "Seguidores al cierre",
                 f"{fmt.signed_num(tot['net'])} ({fmt.signed_pct(tot['growth'])})"),
                (fmt.num(tot["reach"]), "Alcance: suma del alcance diario de las cuentas",
                 _covered(t, "reach")),
                (fmt.num(tot["engagements"]), "Interacciones", _covered(t, "engagements")),
                (fmt.pct(tot["er_reach"], 2), "Tasa de interacción por alcance",
                 _covered(t, "reach")),
                (fmt.num(tot["posts"]), "Publicaciones", None)]
    best = [{"network": fmt.network_label(b["network"]), "day": fmt.WEEKDAYS_ES[b["weekday"]],
             "hour": fmt.hour_label(b["hour"]), "mean": fmt.num(b["mean"]),
             "count": fmt.num(b["count"])} for b in t.best_slots]
    render_pdf("growth.html", path, **page_context(ctx, TITLE), t=t, kpis=kpis,
               charts=_charts(t), best=best, notes=_notes(t),
               by_network=t.by_network.display(),
               by_account=t.by_account.display([c for c in ACCOUNT_COLUMNS if c != "Red"]),
               rates=t.by_account_rates.display([c for c in RATE_COLUMNS if c != "Red"]), comparison=t.comparison.display(),
               top_posts=t.top_posts.display(
                   ["Cuenta", "Publicada", "Publicación", "Alcance del mes",
                    "Interacciones del mes", "Tasa por alcance"]),
               targets=t.targets.display() if t.targets is not None else None,
               coverage_note=_coverage_note(t),
               prev_label=t.period.previous().label, last_label=t.period.same_last_year().label)


def build(ctx: ReportContext) -> ReportFiles:
    from pulso.reports.base import render_files

    return render_files(ctx, KIND, compute(ctx), write_excel, write_pdf)

