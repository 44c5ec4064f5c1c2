"""Semestral report for leadership (informe semestral de redes sociales).

How many networks and accounts the entity runs, which have the most impact (a ranking whose
formula is printed), which are growing, stalled or declining (monthly trend per account),
whether any looks obsolete (with the evidence), the semester's PQRS and sentiment picture and
recommendations derived from the figures by fixed rules. Counts only: no citizen's handle,
name or text appears. Excel and PDF are rendered from the same tables (`compute`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from pulso.core.periods import Period
from pulso.core.vocab import CASE_STATUS_READER_LABELS as CASE_STATUS_ES
from pulso.core.vocab import PQRS_TYPE_LABELS as PQRS_ES
from pulso.reports import fmt
from pulso.reports.growth import (
    _accounts,
    _combine,
    _daily_db,
    _frame,
    account_stats,
)
from pulso.reports.summary import SemestralSummary, from_fields
from pulso.reports.tables import ReportTable

if TYPE_CHECKING:
    import pandas as pd

    from pulso.reports.base import ReportContext, ReportFiles

KIND = "semestral"
TITLE = "Informe semestral de redes sociales"
# Impact index weights (shown in the report).
W_REACH, W_ENG, W_GROWTH = 0.4, 0.4, 0.2
IMPACT_FORMULA = (
    "Índice de impacto = 100 × (0,4 × alcance / alcance máximo + 0,4 × interacciones / "
    "interacciones máximas + 0,2 × crecimiento neto de seguidores / crecimiento neto máximo)"
    " — cada término se compara con la cuenta que más tiene en el semestre; un crecimiento "
    "negativo cuenta como 0. Una métrica que la red no informa no cuenta como 0: el índice se "
    "calcula con las que sí informa (pesos reescalados) y la columna «Base del índice» lo dice.")
# Trend rules: compare the mean of the last two months with the first two (months with data).
ENG_DECLINE = -0.15  # engagements fall at least 15 % ...
AUDIENCE_DECLINE = -0.10  # ... and reach (views when the network gives no reach) falls 10 %,
# or the account loses followers over the semester
RISE = 0.10
GROWTH_MIN = 0.02  # follower growth over the semester that counts as growing
LOW_POSTS_PER_MONTH = 4
NEGATIVE_RISE_POINTS = 0.05
STATUS_GROWING, STATUS_STALLED, STATUS_DECLINING = "En crecimiento", "Estancada", "En declive"


def _trend(values: list[float | None]) -> float | None:
    """(mean of the last two months with data - mean of the first two) / first two."""
    vals = [v for v in values if v is not None]
    if len(vals) < 3:
        return None
    head, tail = vals[:2], vals[-2:]
    return fmt.change(sum(tail) / len(tail), sum(head) / len(head))


@dataclass
class SemestralTables:
    period: Period
    n_networks: int
    n_accounts: int
    n_accounts_with_data: int
    networks_with_data: list[str]
    ranking: ReportTable
    monthly: ReportTable  # account x month (database sheet)
    status: ReportTable  # account -> trend status and evidence
    obsolete: list[dict[str, str]]
    sentiment_month: ReportTable
    pqrs_types: ReportTable
    pqrs_status: ReportTable
    recommendations: list[str]
    charts_data: dict[str, Any]
    daily_db: ReportTable
    total: dict[str, Any]
    messages: int
    negative_share: float | None
    cases: int
    summary_text: list[str] = field(default_factory=list)
    response: ReportTable | None = None  # PQRS response performance (three facts)
    response_totals: dict[str, Any] = field(default_factory=dict)
    comparison: ReportTable | None = None  # vs the previous semester, when it has data
    targets: ReportTable | None = None  # monthly targets x 6 vs the semester

    @property
    def candidates_to_close(self) -> list[dict[str, Any]]:
        return [o for o in self.obsolete if o.get("Candidata", True)]

    @property
    def has_data(self) -> bool:
        return self.n_accounts_with_data > 0

    def summary(self) -> SemestralSummary:
        top = self.ranking.df.iloc[0]["Cuenta"] if not self.ranking.empty else None

        def j(v):
            return None if fmt.is_missing(v) else (round(v, 6) if isinstance(v, float) else v)

        return from_fields(SemestralSummary, {"period": self.period.key, "networks": self.n_networks,
                "accounts": self.n_accounts, "accounts_with_data": self.n_accounts_with_data,
                "top_account": top,
                "obsolete": [o["Cuenta"] for o in self.candidates_to_close],
                "kept_for_citizens": [o["Cuenta"] for o in self.obsolete
                                      if not o.get("Candidata", True)],
                **{f"pqrs_{k}": v for k, v in self.response_totals.items()},
                "engagements": j(self.total.get("engagements")),
                "reach": j(self.total.get("reach")),
                "messages": self.messages, "negative_share": j(self.negative_share),
                "pqrs_cases": self.cases, "recommendations": len(self.recommendations),
                "text": " ".join(self.summary_text)})


MONTHLY_KINDS = {"Mes": "text", "Inicio del mes": "day", "Red": "text", "Cuenta": "text",
                 "Seguidores al cierre": "num", "Crecimiento neto": "signed_num",
                 "Crecimiento %": "signed_pct", "Alcance": "num", "Visualizaciones": "num",
                 "Interacciones": "num", "Tasa por alcance": "pct2", "Publicaciones": "num",
                 "Días con datos": "num"}
RANKING_KINDS = {"Puesto": "num", "Cuenta": "text", "Alcance": "num", "Interacciones": "num",
                 "Crecimiento neto": "signed_num", "Crecimiento %": "signed_pct",
                 "Tasa por alcance": "pct2", "Índice de impacto": "num1",
                 "Base del índice": "text"}
STATUS_KINDS = {"Cuenta": "text", "Estado": "text", "Tendencia del alcance": "signed_pct",
                "Tendencia de interacciones": "signed_pct",
                "Crecimiento de seguidores": "signed_pct",
                "Publicaciones por mes": "num1", "Evidencia": "text"}


def _monthly(ctx: ReportContext, daily: pd.DataFrame, accounts: pd.DataFrame):
    """{account_id: [stats per month or None]} and the account x month table."""
    import pandas as pd

    months = ctx.period.months()
    per: dict[str, list[dict[str, Any] | None]] = {}
    rows = []
    labels = accounts.set_index("account_id")
    for acc, g in daily.groupby("account_id", sort=False):
        g = g.sort_values("day")
        series = []
        for m in months:
            lo, hi = pd.Timestamp(m.start), pd.Timestamp(m.end)
            inside = g[(g["day"] >= lo) & (g["day"] <= hi)]
            if inside.empty:
                series.append(None)
                continue
            s = account_stats(inside, g[g["day"] < lo])
            series.append(s)
            rows.append({"Mes": fmt.month_label(m), "Inicio del mes": pd.Timestamp(m.start),
                         "Red": fmt.network_label(labels.loc[acc, "network"]),
                         "Cuenta": labels.loc[acc, "label"],
                         "Seguidores al cierre": s["followers_end"],
                         "Crecimiento neto": s["net"], "Crecimiento %": s["growth"],
                         "Alcance": s["reach"], "Visualizaciones": s["views"],
                         "Interacciones": s["engagements"], "Tasa por alcance": s["er_reach"],
                         "Publicaciones": s["posts"], "Días con datos": s["days"]})
        per[str(acc)] = series
    df = _frame(rows, MONTHLY_KINDS)
    if len(df):
        df["Inicio del mes"] = pd.to_datetime(df["Inicio del mes"])
    return per, ReportTable(df, MONTHLY_KINDS)


def _ranking(sem: dict[str, dict[str, Any]], labels: pd.Series) -> ReportTable:
    """Impact index over the metrics each account's network offers (missing is not zero)."""
    def mx(key: str) -> float:
        vals = [s[key] for s in sem.values() if s[key] is not None and s[key] > 0]
        return max(vals) if vals else 0.0

    tops = {"reach": mx("reach"), "engagements": mx("engagements"), "net": mx("net")}
    parts = (("reach", W_REACH, "alcance"), ("engagements", W_ENG, "interacciones"),
             ("net", W_GROWTH, "crecimiento de seguidores"))
    rows = []
    for acc, s in sem.items():
        used = [(k, w, name) for k, w, name in parts if s[k] is not None and tops[k]]
        missing = [name for k, _, name in parts if s[k] is None]
        weight = sum(w for _, w, _ in used)
        score = (100 * sum(w * max(s[k], 0.0) / tops[k] for k, w, _ in used) / weight
                 if weight else None)
        basis = ", ".join(name for _, _, name in used) or "sin métricas"
        if missing:
            basis += " (la red no informa " + " ni ".join(missing) + ")"
        rows.append({"Cuenta": labels[acc], "Alcance": s["reach"],
                     "Interacciones": s["engagements"], "Crecimiento neto": s["net"],
                     "Crecimiento %": s["growth"], "Tasa por alcance": s["er_reach"],
                     "Índice de impacto": None if score is None else round(score, 1),
                     "Base del índice": basis})
    rows.sort(key=lambda r: (r["Índice de impacto"] is None, -(r["Índice de impacto"] or 0),
                             r["Cuenta"]))
    for i, r in enumerate(rows, start=1):
        r["Puesto"] = i
    return ReportTable(_frame(rows, RANKING_KINDS), RANKING_KINDS)


CITIZEN_SHARE_MIN = 0.05  # a network where citizens still send 5 % of messages stays open


def _status(per: dict[str, list], sem: dict[str, dict[str, Any]], labels: pd.Series,
            n_months: int, citizens: dict[str, dict[str, Any]] | None = None,
            ) -> tuple[ReportTable, list[dict[str, str]]]:
    """Trend status of every account; obsolescence candidates need the citizens' evidence too.

    `citizens`: account_id -> {"messages", "share", "pqrs", "most_pqrs"}. An account where
    citizens still send CITIZEN_SHARE_MIN of the messages, or the most PQRS, is never a
    candidate to close: it is kept with what closing it would cut off.
    """
    citizens = citizens or {}
    rows, obsolete = [], []
    for acc, series in per.items():
        s = sem[acc]
        reach_t = _trend([m["reach"] if m else None for m in series])
        audience = "alcance"
        if reach_t is None:  # X, TikTok, YouTube give no reach: use views
            reach_t = _trend([m["views"] if m else None for m in series])
            audience = "visualizaciones"
        eng_t = _trend([m["engagements"] if m else None for m in series])
        months_with = sum(1 for m in series if m)
        posts_pm = (s["posts"] or 0.0) / months_with if months_with else 0.0
        recent = series[-2:]
        silent = all(m is None or not m["posts"] for m in recent)
        stopped = all(m is None for m in recent)
        losing = s["net"] is not None and s["net"] < 0
        declining = (eng_t is not None and eng_t <= ENG_DECLINE
                     and ((reach_t is not None and reach_t <= AUDIENCE_DECLINE) or losing))
        if declining:
            status = STATUS_DECLINING
        elif ((s["growth"] is not None and s["growth"] >= GROWTH_MIN)
              or (reach_t is not None and eng_t is not None
                  and reach_t >= RISE and eng_t >= RISE)):
            status = STATUS_GROWING
        else:
            status = STATUS_STALLED
        ev = [f"{audience} {fmt.signed_pct(reach_t)}" if reach_t is not None
              else f"{audience}: sin datos suficientes",
              f"interacciones {fmt.signed_pct(eng_t)}" if eng_t is not None
              else "interacciones: sin datos suficientes",
              f"seguidores {fmt.signed_num(s['net'])} ({fmt.signed_pct(s['growth'])})",
              f"{fmt.num(posts_pm, 1)} publicaciones por mes",
              f"datos en {months_with} de {n_months} meses"]
        evidence = "; ".join(ev)
        rows.append({"Cuenta": labels[acc], "Estado": status, "Tendencia del alcance": reach_t,
                     "Tendencia de interacciones": eng_t,
                     "Crecimiento de seguidores": s["growth"],
                     "Publicaciones por mes": posts_pm, "Evidencia": evidence})
        reasons = []
        if declining:
            reasons.append(f"interacciones {fmt.signed_pct(eng_t)} con "
                           + (f"{audience} {fmt.signed_pct(reach_t)}"
                              if reach_t is not None and reach_t <= AUDIENCE_DECLINE
                              else "pérdida de seguidores"))
        if losing:
            reasons.append(f"perdió {fmt.num(-s['net'])} seguidores")
        if posts_pm < LOW_POSTS_PER_MONTH:
            reasons.append(f"menos de {LOW_POSTS_PER_MONTH} publicaciones por mes")
        if silent:
            reasons.append("sin publicaciones en los dos últimos meses")
        if stopped:
            reasons.append("sin estadísticas en los dos últimos meses")
        if (declining and (posts_pm < LOW_POSTS_PER_MONTH or silent or losing)) or stopped:
            c = citizens.get(acc, {"messages": 0, "share": None, "pqrs": 0,
                                   "most_pqrs": False})
            cut = (f"la ciudadanía envió {fmt.num(c['messages'])} mensajes "
                   f"({fmt.pct(c['share'])} de los del semestre) y {fmt.num(c['pqrs'])} "
                   "posibles PQRS por esta cuenta")
            keep = ((c["share"] or 0) >= CITIZEN_SHARE_MIN or c["most_pqrs"])
            obsolete.append({"Cuenta": labels[acc], "Motivo": "; ".join(reasons),
                             "Evidencia": evidence, "Ciudadanía": cut,
                             "Candidata": not keep,
                             "Conclusión": (
                                 "No es candidata al cierre: " + cut
                                 + ("; es la cuenta con más PQRS" if c["most_pqrs"] else "")
                                 + ". Cerrarla cortaría ese canal de atención; conviene "
                                   "reorientarla y seguir respondiendo allí."
                                 if keep else
                                 "Candidata a cierre o reorientación: " + cut
                                 + ". Antes de cerrarla, anuncie los canales que la reemplazan.")})
    return ReportTable(_frame(rows, STATUS_KINDS), STATUS_KINDS), obsolete


def _sentiment_pqrs(ctx: ReportContext):
    """% negative by month from the latest labels; PQRS cases by type and status."""
    import pandas as pd

    from pulso.reports import data

    tz = ctx.config.entity.timezone
    p = ctx.period
    labels = data.latest_labels(ctx.engine, p.start, p.end, tz)
    cases = data.pqrs_cases(ctx.engine, p.start, p.end, tz)
    kinds = {"Mes": "text", "Mensajes recibidos": "num", "Clasificados": "num",
             "Negativos": "num", "Neutros": "num", "Positivos": "num", "% negativos": "pct",
             "Posibles PQRS": "num"}
    rows = []
    month_key = labels["created_at"].dt.strftime("%Y-%m") if len(labels) else pd.Series([])
    for m in p.months():
        sub = labels[month_key == m.key] if len(labels) else labels
        labelled = sub.dropna(subset=["sentiment"]) if len(sub) else sub
        neg = int((labelled["sentiment"] == "negative").sum()) if len(sub) else 0
        rows.append({"Mes": fmt.month_label(m), "Mensajes recibidos": len(sub),
                     "Clasificados": len(labelled), "Negativos": neg,
                     "Neutros": int((labelled["sentiment"] == "neutral").sum()) if len(sub)
                     else 0,
                     "Positivos": int((labelled["sentiment"] == "positive").sum()) if len(sub)
                     else 0,
                     "% negativos": fmt.share(neg, len(labelled)),
                     "Posibles PQRS": int((labelled["pqrs_type"].notna()
                                           & (labelled["pqrs_type"] != "felicitacion")).sum())
                     if len(sub)
                     else 0})
    total_lab = labels.dropna(subset=["sentiment"]) if len(labels) else labels
    neg_total = int((total_lab["sentiment"] == "negative").sum()) if len(labels) else 0
    rows.append({"Mes": "Semestre", "Mensajes recibidos": len(labels),
                 "Clasificados": len(total_lab), "Negativos": neg_total,
                 "Neutros": sum(r["Neutros"] for r in rows),
                 "Positivos": sum(r["Positivos"] for r in rows),
                 "% negativos": fmt.share(neg_total, len(total_lab)),
                 "Posibles PQRS": sum(r["Posibles PQRS"] for r in rows)})
    sentiment = ReportTable(_frame(rows, kinds), kinds, total=True)

    tkinds = {"Tipo": "text", "Casos": "num", "% del total": "pct"}
    skinds = {"Estado": "text", "Casos": "num", "% del total": "pct"}
    felic = cases[(cases["pqrs_type"] == "felicitacion") & (cases["status"] != "discarded")]
    cases = cases[cases["pqrs_type"] != "felicitacion"]  # not PQRS: counted apart
    valid = cases[cases["status"] != "discarded"]
    n, nv = len(cases), len(valid)
    trows, srows = [], []
    if n:
        for t, c in valid["pqrs_type"].value_counts().sort_index().items():
            trows.append({"Tipo": PQRS_ES.get(str(t), str(t)), "Casos": int(c),
                          "% del total": c / nv if nv else None})
        for s, c in cases["status"].value_counts().sort_index().items():
            srows.append({"Estado": CASE_STATUS_ES.get(str(s), str(s)), "Casos": int(c),
                          "% del total": c / n})
        trows.append({"Tipo": "Total PQRS válidas", "Casos": nv, "% del total": 1.0})
        srows.append({"Estado": "Total posibles PQRS", "Casos": n, "% del total": 1.0})
    if len(felic):
        trows.append({"Tipo": "Felicitaciones (aparte, no son PQRS)", "Casos": len(felic),
                      "% del total": None})
    end_day = pd.Timestamp(p.end)
    overdue = 0
    if n:
        open_ = cases["status"].isin(["candidate", "filed"])
        overdue = int((open_ & (cases["due_date"] < end_day)).sum())
    candidates = int((cases["status"] == "candidate").sum()) if n else 0
    return (sentiment, ReportTable(_frame(trows, tkinds), tkinds, total=False),
            ReportTable(_frame(srows, skinds), skinds, total=bool(n)),
            len(labels), fmt.share(neg_total, len(total_lab)), n, overdue, candidates)


def _recommendations(t: SemestralTables, status_rows: list[dict], eng_share: dict[str, float],
                     overdue: int, candidates: int) -> list[str]:
    """Recommendations from fixed rules over the figures (Spanish)."""
    if not t.has_data and not t.messages:
        return [f"{fmt.EMPTY_PERIOD}: cargar las estadísticas del semestre antes de "
                f"evaluar las cuentas."]
    out = []
    for o in t.obsolete:
        if o.get("Candidata", True):
            out.append(f"Evaluar el cierre o la reorientación de {o['Cuenta']}: {o['Motivo']}; "
                       f"{o.get('Ciudadanía', '')}.")
        else:
            out.append(f"Reorientar {o['Cuenta']} sin cerrarla: {o['Motivo']}, pero "
                       f"{o.get('Ciudadanía', '')}.")
    if not t.ranking.empty:
        top = t.ranking.df.iloc[0]
        share = eng_share.get(top["Cuenta"])
        out.append(f"Priorizar {top['Cuenta']}, la cuenta de mayor impacto (índice "
                   f"{fmt.num(top['Índice de impacto'], 1)}"
                   + (f"; {fmt.pct(share)} de las interacciones del semestre" if share else "")
                   + ").")
    obsolete_names = {o["Cuenta"] for o in t.obsolete}
    for r in status_rows:
        if r["Cuenta"] in obsolete_names:
            continue
        if r["Estado"] == STATUS_STALLED:
            out.append(f"Revisar la estrategia de contenidos de {r['Cuenta']}: está estancada "
                       f"({r['Evidencia']}).")
        elif r["Estado"] == STATUS_DECLINING:
            out.append(f"Atender la caída de {r['Cuenta']} ({r['Evidencia']}).")
        if r["Publicaciones por mes"] < LOW_POSTS_PER_MONTH:
            out.append(f"Aumentar la frecuencia de publicación en {r['Cuenta']} "
                       f"({fmt.num(r['Publicaciones por mes'], 1)} publicaciones por mes).")
    months = t.sentiment_month.df.iloc[:-1]
    shares = [v for v in months["% negativos"].tolist() if not fmt.is_missing(v)]
    if len(shares) >= 2 and shares[-1] - shares[0] >= NEGATIVE_RISE_POINTS:
        out.append(f"Atender el aumento de mensajes negativos: pasaron de {fmt.pct(shares[0])} "
                   f"a {fmt.pct(shares[-1])} entre el primer y el último mes.")
    if overdue:
        out.append(f"Dar respuesta formal a las {fmt.num(overdue)} PQRS vencidas sin respuesta "
                   f"a la fecha de corte (Ley 1755 de 2015).")
    if candidates:
        out.append(f"Revisar las {fmt.num(candidates)} posibles PQRS que siguen sin revisar.")
    if not out:
        out.append("Mantener la estrategia actual: no se detectaron alertas en el semestre.")
    return out


def _citizens(ctx: ReportContext) -> dict[str, dict[str, Any]]:
    """Per account: inbound messages, their share of the semester's, possible PQRS."""
    from pulso.reports import data

    tz = ctx.config.entity.timezone
    p = ctx.period
    labels = data.latest_labels(ctx.engine, p.start, p.end, tz)
    cases = data.pqrs_cases(ctx.engine, p.start, p.end, tz)
    cases = cases[(cases["pqrs_type"] != "felicitacion") & (cases["status"] != "discarded")]
    msgs = labels.groupby("account_id").size() if len(labels) else {}
    pq = cases.groupby("account_id").size() if len(cases) else {}
    total = int(sum(msgs.values)) if len(labels) else 0
    top = max(pq.items(), key=lambda kv: kv[1])[0] if len(cases) else None
    accounts = set(msgs.index if len(labels) else []) | set(pq.index if len(cases) else [])
    return {str(a): {"messages": int(msgs.get(a, 0)) if len(labels) else 0,
                     "share": fmt.share(int(msgs.get(a, 0)) if len(labels) else 0, total),
                     "pqrs": int(pq.get(a, 0)) if len(cases) else 0,
                     "most_pqrs": a == top}
            for a in accounts}


RESPONSE_KINDS = {"Indicador": "text", "Casos": "num", "% de las PQRS válidas": "pct"}


def _response(ctx: ReportContext) -> tuple[ReportTable, dict[str, Any]]:
    """The semester's PQRS (felicitaciones apart) with their three facts at the cut-off."""
    import pandas as pd

    from pulso.reports import pqrs

    cal = pqrs.calendar_for(ctx.config)
    as_of, _, _ = pqrs.cutoff_for(ctx, cal)
    cases = pqrs.classify_timeliness(
        pqrs._load_cases(ctx, "pqrs_cases", ctx.period.start, ctx.period.end), as_of, cal)
    legal = cases[cases["pqrs_type"] != "felicitacion"]
    valid = legal[legal["estado_corte"] != "discarded"]
    n = len(valid)
    h = valid["horas_red"].dropna()
    op = valid["oportunidad"]
    tot = {"valid": n, "answered_in_network": int(valid["red"].sum()),
           "median_hours_network": round(float(h.median()), 1) if len(h) else None,
           "filed": int(valid["radicado_corte"].sum()),
           "answered": int(valid["respondido_corte"].sum()),
           "on_time": int((op == "A tiempo").sum()), "late": int((op == "Fuera de término").sum()),
           "pending_in_term": int((op == "Pendiente en término").sum()),
           "overdue": int((op == "Vencido").sum()),
           "unreviewed": int((legal["estado_corte"] == "candidate").sum()),
           "felicitaciones": int(((cases["pqrs_type"] == "felicitacion")
                                  & (cases["status"] != "discarded")).sum()),
           "as_of": as_of.isoformat()}
    rows = [("PQRS válidas del semestre (sin felicitaciones ni descartadas)", n),
            ("Respondidas en la red", tot["answered_in_network"]),
            ("Radicadas", tot["filed"]), ("Con respuesta formal", tot["answered"]),
            ("Con respuesta formal a tiempo", tot["on_time"]),
            ("Con respuesta formal fuera de término", tot["late"]),
            ("Sin respuesta formal, en término", tot["pending_in_term"]),
            ("Sin respuesta formal, vencidas", tot["overdue"]),
            ("Sin revisar", tot["unreviewed"])]
    df = pd.DataFrame([{"Indicador": k, "Casos": v, "% de las PQRS válidas": fmt.share(v, n)}
                       for k, v in rows])
    # status of every possible PQRS at the same cut-off (not today's register)
    counts = legal["estado_corte"].value_counts()
    skinds = {"Estado": "text", "Casos": "num", "% del total": "pct"}
    srows = [{"Estado": CASE_STATUS_ES[k], "Casos": int(counts.get(k, 0)),
              "% del total": fmt.share(int(counts.get(k, 0)), len(legal))}
             for k in ("answered", "filed", "candidate", "discarded") if counts.get(k, 0)]
    if srows:
        srows.append({"Estado": "Total posibles PQRS", "Casos": len(legal), "% del total": 1.0})
    tot["status_table"] = ReportTable(_frame(srows, skinds), skinds, total=bool(srows))
    return ReportTable(_frame(df.to_dict("records"), RESPONSE_KINDS), RESPONSE_KINDS), tot


COMPARE_KINDS = {"Indicador": "text", "Semestre anterior": "num", "Este semestre": "num",
                 "Variación": "signed_pct"}


def _comparison(ctx: ReportContext, total: dict[str, Any], messages: int, cases: int
                ) -> ReportTable | None:
    """This semester against the previous one, when the previous one has data."""
    from pulso.reports import data

    prev = ctx.period.previous()
    tz = ctx.config.entity.timezone
    daily = data.account_daily(ctx.engine, prev.start - timedelta(days=1), prev.end, tz)
    import pandas as pd

    first = pd.Timestamp(prev.start)
    stats = []
    for _, g in daily.groupby("account_id", sort=False):
        g = g.sort_values("day")
        inside = g[g["day"] >= first]
        if len(inside):
            stats.append(account_stats(inside, g[g["day"] < first]))
    if not stats:
        return None
    before = _combine(stats)
    labels = data.latest_labels(ctx.engine, prev.start, prev.end, tz)
    pcases = data.pqrs_cases(ctx.engine, prev.start, prev.end, tz)
    rows = []
    for name, a, b in (("Seguidores al cierre", before["followers_end"],
                        total.get("followers_end")),
                       ("Alcance (suma del alcance diario)", before["reach"], total.get("reach")),
                       ("Interacciones", before["engagements"], total.get("engagements")),
                       ("Publicaciones", before["posts"], total.get("posts")),
                       ("Mensajes recibidos", len(labels), messages),
                       ("Posibles PQRS (sin felicitaciones)",
                        int((pcases["pqrs_type"] != "felicitacion").sum()), cases)):
        rows.append({"Indicador": name, "Semestre anterior": a, "Este semestre": b,
                     "Variación": fmt.change(b, a)})
    return ReportTable(_frame(rows, COMPARE_KINDS), COMPARE_KINDS)


def _targets(ctx: ReportContext, total: dict[str, Any], resp: dict[str, Any]
             ) -> ReportTable | None:
    from pulso.reports.growth import TARGET_KINDS, target_rows

    months = len(ctx.period.months())
    judged = resp["on_time"] + resp["late"] + resp["overdue"]
    rows = target_rows(ctx.config.targets, {
        "followers_net": total.get("net"), "engagements": total.get("engagements"),
        "engagement_rate_reach": total.get("er_reach"), "posts": total.get("posts"),
        "answered_in_network": fmt.share(resp["answered_in_network"], resp["valid"]),
        "first_response_hours": resp["median_hours_network"],
        "on_time": fmt.share(resp["on_time"], judged)}, months=months)
    kinds = dict(TARGET_KINDS)
    kinds["Meta del semestre"] = kinds.pop("Meta del mes")
    for r in rows:
        r["Meta del semestre"] = r.pop("Meta del mes")
    kinds = {k: kinds[k] for k in ("Indicador", "Meta del semestre", "Resultado",
                                   "Cumplimiento", "Estado")}
    return ReportTable(_frame(rows, kinds), kinds) if rows else None


def compute(ctx: ReportContext) -> SemestralTables:
    from pulso.reports import data

    period = ctx.period
    if period.kind != "semester":
        raise ValueError(f"the semestral report covers a semester, not {period.key!r}")
    tz = ctx.config.entity.timezone
    accounts = _accounts(ctx)
    labels = accounts.set_index("account_id")["label"]
    daily = data.account_daily(ctx.engine, period.start - timedelta(days=1), period.end, tz)
    per, monthly = _monthly(ctx, daily, accounts)
    import pandas as pd

    first = pd.Timestamp(period.start)
    sem = {}
    for acc, g in daily.groupby("account_id", sort=False):
        g = g.sort_values("day")
        inside = g[g["day"] >= first]
        if len(inside):
            sem[str(acc)] = account_stats(inside, g[g["day"] < first])
    per = {a: s for a, s in per.items() if a in sem}
    total = _combine(list(sem.values())) if sem else {}
    ranking = _ranking(sem, labels)
    status, obsolete = _status(per, sem, labels, len(period.months()), _citizens(ctx))
    (sentiment, ptypes, pstatus, n_msgs, neg_share, n_cases, overdue,
     candidates) = _sentiment_pqrs(ctx)
    networks_with = sorted({accounts.set_index("account_id").loc[a, "network"] for a in sem})
    t = SemestralTables(
        period=period, n_networks=accounts["network"].nunique(), n_accounts=len(accounts),
        n_accounts_with_data=len(sem), networks_with_data=networks_with, ranking=ranking,
        monthly=monthly, status=status, obsolete=obsolete, sentiment_month=sentiment,
        pqrs_types=ptypes, pqrs_status=pstatus, recommendations=[],
        charts_data={"per": per, "labels": labels}, daily_db=_daily_db(daily, accounts, period),
        total=total, messages=n_msgs, negative_share=neg_share, cases=n_cases)
    eng_total = total.get("engagements") or 0
    eng_share = {labels[a]: (s["engagements"] or 0) / eng_total for a, s in sem.items()
                 if eng_total}
    t.response, t.response_totals = _response(ctx)
    t.pqrs_status = t.response_totals.pop("status_table")
    t.comparison = _comparison(ctx, total, n_msgs, n_cases) if sem else None
    t.targets = _targets(ctx, total, t.response_totals) if sem else None
    t.charts_data["networks"] = {
        n: [accounts.set_index("account_id").loc[a, "network"] == n for a in per]
        for n in networks_with}
    t.recommendations = _recommendations(t, status.df.to_dict("records"), eng_share,
                                         t.response_totals["overdue"],
                                         t.response_totals["unreviewed"])
    t.summary_text = _summary_text(t)
    return t


def _summary_text(t: SemestralTables) -> list[str]:
    p = t.period
    if not t.has_data:
        out = [f"Sin datos para este periodo: no hay estadísticas de cuentas en el {p.label}."]
    else:
        nets = ", ".join(fmt.network_label(n) for n in t.networks_with_data)
        out = [f"En el {p.label} la entidad tuvo {t.n_accounts} cuentas configuradas en "
               f"{t.n_networks} redes; {t.n_accounts_with_data} con datos ({nets}). Sumaron "
               f"{fmt.num(t.total['engagements'])} interacciones y "
               f"{fmt.num(t.total['reach'])} de alcance (suma del alcance diario"
               + (f"; {_reach_cover(t)}" if _reach_cover(t) else "") + ")."]
        top = t.ranking.df.iloc[0]
        out.append(f"La cuenta de mayor impacto fue {top['Cuenta']} (índice "
                   f"{fmt.num(top['Índice de impacto'], 1)} de 100).")
        counts = t.status.df["Estado"].value_counts()
        parts = [f"{int(counts[s])} {s.lower()}" for s in
                 (STATUS_GROWING, STATUS_STALLED, STATUS_DECLINING) if s in counts]
        out.append("Estado de las cuentas: " + ", ".join(parts) + ".")
        if t.candidates_to_close:
            out.append("Posiblemente obsoleta: " + ", ".join(
                o["Cuenta"] for o in t.candidates_to_close) + ".")
        kept = [o["Cuenta"] for o in t.obsolete if not o.get("Candidata", True)]
        if kept:
            out.append("En declive pero con ciudadanía activa (no cerrar): " + ", ".join(kept)
                       + ".")
    if t.messages:
        r = t.response_totals
        out.append(f"Se recibieron {fmt.num(t.messages)} mensajes de la ciudadanía "
                   f"({fmt.pct(t.negative_share)} negativos) y {fmt.num(r.get('valid'))} PQRS "
                   f"válidas: {fmt.num(r.get('answered_in_network'))} respondidas en la red, "
                   f"{fmt.num(r.get('filed'))} radicadas y {fmt.num(r.get('answered'))} con "
                   f"respuesta formal ({fmt.num(r.get('on_time'))} a tiempo).")
    return out


# ------------------------------------------------------------------------------------------
# Rendering
# ------------------------------------------------------------------------------------------


def _charts(t: SemestralTables) -> dict[str, str | None]:
    from pulso.reports import charts

    out: dict[str, str | None] = {"engagements": None, "followers": None, "negative": None,
                                  "ranking": None}
    months = [fmt.month_short(m) for m in t.period.months()]
    per = t.charts_data["per"]
    nets = t.charts_data.get("networks", {})
    if per:
        by_net: dict[str, list[float | None]] = {}
        for net, mask in nets.items():
            accs = [a for a, keep in zip(per, mask, strict=True) if keep]
            vals = []
            for i in range(len(months)):
                got = [per[a][i]["engagements"] for a in accs
                       if per[a][i] and per[a][i]["engagements"] is not None]
                vals.append(float(sum(got)) if got else None)
            by_net[fmt.network_label(net)] = vals
        out["engagements"] = charts.lines(
            months, by_net, title="Interacciones mensuales por red", size=(7.2, 2.4))
        growth: dict[str, list[float | None]] = {}
        for net, mask in nets.items():
            accs = [a for a, keep in zip(per, mask, strict=True) if keep]
            vals = []
            for i in range(len(months)):
                ok = [per[a][i] for a in accs if per[a][i] and per[a][i]["net"] is not None
                      and per[a][i]["followers_start"]]
                vals.append(fmt.share(sum(m["net"] for m in ok),
                                      sum(m["followers_start"] for m in ok)) if ok else None)
            growth[fmt.network_label(net)] = vals
        out["followers"] = charts.lines(
            months, growth, title="Crecimiento mensual de seguidores por red (%)",
            percent=True, size=(7.2, 2.4))
    r = t.ranking.df.dropna(subset=["Índice de impacto"]) if not t.ranking.empty else None
    if r is not None and len(r):
        out["ranking"] = charts.hbars(r["Cuenta"].tolist(), r["Índice de impacto"].tolist(),
                                      title="Índice de impacto (0 a 100)")
    sm = t.sentiment_month.df.iloc[:-1]
    if t.messages:
        out["negative"] = charts.bars(
            months, {"% negativos": [None if fmt.is_missing(v) else v
                                     for v in sm["% negativos"]]},
            title="Mensajes negativos por mes (% de los clasificados)", percent=True,
            colors=[charts.PALETTE["negative"]], size=(7.2, 2.0))
    return out


def _criteria() -> list[tuple[str, str]]:
    return [
        ("Índice de impacto", IMPACT_FORMULA),
        ("Tendencia", "promedio de los dos últimos meses con datos frente al promedio de los "
                      "dos primeros (se necesitan al menos tres meses)"),
        (STATUS_DECLINING, "las interacciones caen 15 % o más y el alcance (las visualizaciones "
                           "si la red no informa alcance) cae 10 % o más o la cuenta pierde "
                           "seguidores"),
        (STATUS_GROWING, "los seguidores crecen 2 % o más en el semestre, o alcance e "
                         "interacciones suben 10 % o más"),
        (STATUS_STALLED, "ninguno de los dos casos anteriores"),
        ("Posiblemente obsoleta", f"en declive y, además, pierde seguidores, publica menos de "
                                  f"{LOW_POSTS_PER_MONTH} veces por mes o no publicó en los dos "
                                  "últimos meses; o sin estadísticas en los dos últimos meses; "
                                  "y la ciudadanía ya no la usa: envía menos del "
                                  f"{fmt.pct(CITIZEN_SHARE_MIN, 0)} de los mensajes y no es la "
                                  "cuenta con más PQRS"),
        ("Alcance", "suma del alcance diario que informa cada red"),
        ("Sentimiento", "última clasificación de cada mensaje recibido (sin los mensajes "
                        "propios de la entidad)"),
    ]


def write_excel(t: SemestralTables, ctx: ReportContext, path) -> None:
    from pulso.reports.excel import new_workbook, save_workbook, write_key_values

    wb = new_workbook()
    tot = t.total
    resumen = [("Entidad", ctx.config.entity.name), ("Periodo", t.period.label),
               ("Desde", fmt.day(t.period.start)), ("Hasta", fmt.day(t.period.end)),
               ("Redes configuradas", t.n_networks), ("Cuentas configuradas", t.n_accounts),
               ("Cuentas con datos", t.n_accounts_with_data),
               ("Alcance", tot.get("reach")), ("Interacciones", tot.get("engagements")),
               ("Mensajes recibidos", t.messages), ("% negativos", t.negative_share),
               ("Posibles PQRS (sin felicitaciones)", t.cases),
               ("Resumen", " ".join(t.summary_text))]
    write_key_values(wb, "Resumen", resumen,
                     formats={"% negativos": "0.0%", "Alcance": "#,##0",
                              "Interacciones": "#,##0"},
                     heading=f"{TITLE} — {t.period.label}")
    empty = None if t.has_data else fmt.EMPTY_PERIOD
    t.ranking.write(wb, "Ranking de impacto", note=IMPACT_FORMULA if t.has_data else empty,
                    widths={"Cuenta": 30})
    t.status.write(wb, "Estado de las cuentas", note=empty)
    obs = [(o["Cuenta"], f"{o['Motivo']}. Evidencia: {o['Evidencia']}. "
                         f"{o.get('Conclusión', '')}") for o in t.obsolete]
    write_key_values(wb, "Posible obsolescencia",
                     obs or [("Resultado", "Ninguna cuenta cumple los criterios.")])
    t.monthly.write(wb, "Tendencia mensual", note=empty)
    if t.response is not None:
        t.response.write(wb, "Respuesta a PQRS", note="Situación a la fecha de corte "
                         f"{fmt.day(t.response_totals['as_of'])}; sin felicitaciones.")
    if t.comparison is not None:
        t.comparison.write(wb, "Semestre anterior")
    if t.targets is not None:
        t.targets.write(wb, "Metas", note="Metas mensuales de la configuración × meses del "
                        "semestre (las tasas y tiempos no se multiplican).")
    t.sentiment_month.write(wb, "Sentimiento por mes")
    t.pqrs_types.write(wb, "PQRS por tipo", note=None if t.cases else fmt.EMPTY_PERIOD)
    t.pqrs_status.write(wb, "PQRS por estado", note=None if t.cases else fmt.EMPTY_PERIOD)
    write_key_values(wb, "Recomendaciones",
                     [(str(i), r) for i, r in enumerate(t.recommendations, start=1)])
    t.daily_db.write(wb, "Datos diarios")
    write_key_values(wb, "Criterios", _criteria(), heading="Criterios y definiciones")
    save_workbook(wb, path)


def _reach_cover(t: SemestralTables) -> str | None:
    """Which networks the reach total covers, when not all networks with data give reach."""
    have = t.ranking.df.loc[t.ranking.df["Alcance"].notna(), "Cuenta"].tolist() \
        if not t.ranking.empty else []
    nets = sorted({c.split(" · ")[0] for c in have})
    if len(have) < len(t.ranking.df):
        return "solo " + ", ".join(nets) if nets else "ninguna red lo informa"
    return None


def write_pdf(t: SemestralTables, ctx: ReportContext, path) -> None:
    from pulso.reports.pdf import page_context, render_pdf

    tot = t.total
    kpis = [(fmt.num(t.n_networks), "Redes", None), (fmt.num(t.n_accounts), "Cuentas",
                                                      f"{t.n_accounts_with_data} con datos"),
            (fmt.num(tot.get("reach")), "Alcance del semestre (suma diaria)",
             _reach_cover(t)),
            (fmt.num(tot.get("engagements")), "Interacciones", None),
            (fmt.num(t.messages), "Mensajes recibidos",
             f"{fmt.pct(t.negative_share)} negativos" if t.messages else None),
            (fmt.num(t.response_totals.get("valid")), "PQRS válidas",
             f"{fmt.num(t.response_totals.get('answered'))} con respuesta formal"
             if t.response_totals else None)]
    render_pdf("semestral.html", path, **page_context(ctx, TITLE), t=t, kpis=kpis,
               charts=_charts(t), criteria=_criteria(), formula=IMPACT_FORMULA,
               ranking=t.ranking.display(), status=t.status.display(
                   ["Cuenta", "Estado", "Tendencia del alcance", "Tendencia de interacciones",
                    "Crecimiento de seguidores", "Publicaciones por mes"]),
               monthly=t.monthly.display(["Mes", "Cuenta", "Seguidores al cierre",
                                          "Crecimiento %", "Alcance", "Interacciones",
                                          "Publicaciones"]),
               sentiment=t.sentiment_month.display(), pqrs_types=t.pqrs_types.display(),
               pqrs_status=t.pqrs_status.display(),
               response=t.response.display() if t.response is not None else None,
               comparison=t.comparison.display() if t.comparison is not None else None,
               targets=t.targets.display() if t.targets is not None else None,
               as_of=fmt.day(t.response_totals.get("as_of")))


def build(ctx: ReportContext) -> ReportFiles:
    from pulso.reports.base import render_files

    return render_files(ctx, KIND, compute(ctx), write_excel, write_pdf)
