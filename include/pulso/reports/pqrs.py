"""Monthly PQRS report, social-media channel (Informe de PQRS – canal virtual redes sociales).

For the citizen-service office and the head of communications. The sections (header,
interactions, screening funnel, type x network, topics, timeliness, access to information,
trend, alerts, annex) are computed once by `compute(ctx)` as pandas tables; the Excel workbook
and the PDF are rendered from those same tables. The Excel annex doubles as the case register
the office fills in and returns (`pulso load-register`).

Every case carries three facts: answered in the network (the entity replied in the thread, and
how many hours it took), filed (radicado) and formally answered (response date from the
register). They are judged at a stated cut-off: the period's last day plus the business days
the office needs to bring its register up to date (`office.report_cutoff_business_days`), or
the generation day when the report is built earlier. Facts recorded after the cut-off do not
change the figures, so a re-run months later gives the same report; the annex also shows the
register's current state ("situación al dd/mm/aaaa"). Felicitaciones are counted apart: they
are not PQRS and have no legal term.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from pulso.core.periods import Period, month
from pulso.core.vocab import CASE_STATUS_LABELS as STATUS_ES
from pulso.core.vocab import CASE_STATUS_READER_LABELS as STATUS_READER_ES
from pulso.core.vocab import PETITION_SUBTYPE_LABELS as SUBTYPE_ES
from pulso.core.vocab import PQRS_LEGAL_TYPES as LEGAL_TYPES
from pulso.core.vocab import PQRS_TYPE_LABELS as TYPE_ES
from pulso.core.vocab import PQRS_TYPES as TYPES
from pulso.reports import terms
from pulso.reports.fmt import day, month_name, num
from pulso.reports.sentiment import KIND_ES, NETWORK_ES, pseudonyms, read_sql, safe_link
from pulso.reports.summary import PqrsSummary

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from pulso.reports.base import ReportContext, ReportFiles

KIND = "pqrs"
PREPARED_FOR = "Atención a la Ciudadanía"
STATUS_FROM_ES = {v.lower(): k for k, v in STATUS_ES.items()} | {k: k for k in STATUS_ES}
TIMELINESS = ("A tiempo", "Fuera de término", "Pendiente en término", "Vencido")
FELICITACION = "felicitacion"
FACT_COLUMNS = ("Respondidas en la red", "Radicadas", "Con respuesta formal")
# Next step for an open case in the annex, most urgent first (the sort order of the annex).
ACTIONS = ("Radicar hoy (vencido)", "Responder (vencido)", "Radicar hoy", "Responder",
           "Registrar felicitación", "Cerrado", "Descartado")
KINDS = ("comment", "dm", "mention", "reply")
HIGH_SCORE = 0.8
TOPIC_TOP_N = 8
ANNEX_PDF_LIMIT = 40     # rows of the annex in the PDF (the Excel register has them all)
INFO_PDF_LIMIT = 25
PRIORITY_PDF_LIMIT = 20
# Rows of the Excel priority-cases sheet. Past it the sheet would repeat most of the register
# (the demo classifier makes ~25 % of messages PQRS candidates, most with a high score); the
# sheet keeps the most urgent ones and says where the rest are.
PRIORITY_EXCEL_LIMIT = 5_000
TEXT_LIMIT = 200
TRANSFER_RE = re.compile(r"(?i)traslad|competencia|otra entidad")
NOT_RECORDED = "no registrado"


@dataclass
class PqrsTables:
    """Every figure of the report, as tables with Spanish column names."""

    period: Period
    generated_at: datetime
    as_of: date
    personal_data: bool
    header: dict[str, Any]
    totals: dict[str, int]
    interactions: pd.DataFrame
    funnel: pd.DataFrame
    discard_reasons: pd.DataFrame
    by_type_network: pd.DataFrame
    by_topic: pd.DataFrame
    timeliness: pd.DataFrame
    access_info_summary: pd.DataFrame
    access_info_cases: pd.DataFrame
    trend: pd.DataFrame
    trend_compare: pd.DataFrame
    alerts: list[str]
    priority_cases: pd.DataFrame  # the most urgent PRIORITY_EXCEL_LIMIT rows at most
    annex: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    priority_total: int | None = None  # every priority case, before the cap
    targets: pd.DataFrame | None = None  # response targets of the configuration vs actual

    def __post_init__(self) -> None:
        if self.priority_total is None:
            self.priority_total = len(self.priority_cases)

    @property
    def priority_note(self) -> str | None:
        """Why the priority sheet holds fewer rows than there are priority cases."""
        shown, total = len(self.priority_cases), self.priority_total or 0
        if total <= shown:
            return None
        return (f"Se muestran los {num(shown)} casos prioritarios más urgentes de {num(total)} "
                "(por tipo de alerta y fecha de recepción). Todos los casos del periodo están "
                "en la hoja «Registro de casos», con su estado y oportunidad.")

    def summary(self) -> PqrsSummary:
        t = self.totals
        return PqrsSummary(**{
            "messages": t["messages"],
            "screened": t["screened"], "answered_in_network": t["answered_in_network"],
            "candidates": t["cases"], "valid": t["valid"], "filed": t["filed"],
            "answered": t["answered"], "discarded": t["discarded"],
            "answered_in_network_cases": t["answered_in_network_cases"],
            "median_hours_network": t["median_hours_network"],
            "pending_review": t["pending_review"], "on_time": t["on_time"], "late": t["late"],
            "pending_in_term": t["pending_in_term"], "overdue": t["overdue"],
            "overdue_backlog": t["overdue_backlog"], "felicitaciones": t["felicitaciones"],
            "by_type": t["by_type"], "alerts": list(self.alerts),
            "as_of": self.as_of.isoformat(),
        })


# ------------------------------------------------------------------------------------------
# Helpers
# ------------------------------------------------------------------------------------------


def calendar_for(config):
    """The entity's business calendar (Colombian holidays + extra closed days)."""
    from pulso.classify.deadlines import BusinessCalendar

    return BusinessCalendar.from_config(config)


def _type_label(t: str | None, sub: str | None = None) -> str:
    base = TYPE_ES.get(t or "", t or "Sin tipo")
    if t == "peticion" and sub in SUBTYPE_ES:
        return f"{base} ({SUBTYPE_ES[sub]})"
    return base


def _texts(texts: pd.Series, allowed: bool) -> list[str]:
    """Masked, shortened texts; each distinct text is processed once."""
    from pulso.core.privacy import mask_personal_data, shorten

    done: dict[str, str] = {}
    out = []
    for t in texts.fillna("").tolist():
        r = done.get(t)
        if r is None:
            r = done[t] = shorten(mask_personal_data(t, keep_handles=allowed), TEXT_LIMIT) \
                if t else ""
        out.append(r)
    return out


def _load_cases(ctx: ReportContext, sql_name: str, start: date, end: date) -> pd.DataFrame:
    import pandas as pd

    tz = ctx.config.entity.timezone
    df = read_sql(ctx.engine, sql_name, start, end, tz,
                  time_columns=("received_at", "filed_at", "responded_at", "updated_at"))
    df["due_date"] = pd.to_datetime(df["due_date"], errors="coerce").dt.date
    df["pqrs_score"] = pd.to_numeric(df["pqrs_score"], errors="coerce")
    return df


def cutoff_for(ctx: ReportContext, cal) -> tuple[date, date, date]:
    """(as_of, cutoff, generated day): the day the period's PQRS are judged at.

    cutoff = the period's last day + `office.report_cutoff_business_days` business days;
    as_of = the cutoff, or the generation day when the report is built before it.
    """
    from zoneinfo import ZoneInfo

    generated = ctx.generated_at.astimezone(ZoneInfo(ctx.config.entity.timezone)).date()
    cutoff = cal.add_business_days(ctx.period.end,
                                   ctx.config.office.report_cutoff_business_days)
    return min(generated, cutoff), cutoff, generated


def _local_day(values: pd.Series) -> pd.Series:
    """Local (Bogotá) calendar day of tz-aware timestamps, as naive midnight timestamps."""
    import pandas as pd

    ts = pd.to_datetime(values, errors="coerce")
    if getattr(ts.dt, "tz", None) is not None:
        ts = ts.dt.tz_localize(None)  # local wall time: the Bogotá day
    return ts.dt.normalize()


def classify_timeliness(cases: pd.DataFrame, as_of: date, cal) -> pd.DataFrame:
    """Add the three facts of each case and its timeliness, judged at the end of `as_of`.

    Columns added: 'red' (answered in the network by the cut-off), 'horas_red' (hours to the
    first answer in the network), 'radicado_corte' (filed by the cut-off), 'respondido_corte'
    (formally answered by the cut-off), 'estado_corte' (status at the cut-off), 'oportunidad'
    and 'dias_respuesta' (business days from receipt to the formal answer).
    """
    import numpy as np
    import pandas as pd

    as_of_ts = pd.Timestamp(as_of)
    status = cases["status"].to_numpy()
    due = pd.to_datetime(cases["due_date"], errors="coerce")
    resp_day = _local_day(cases["responded_at"])
    has_resp = (resp_day <= as_of_ts).fillna(False).to_numpy(dtype=bool)
    discarded = status == "discarded"
    filed_day = _local_day(cases["filed_at"])
    filed = (np.isin(status, ["filed", "answered"])
             & (filed_day.isna() | (filed_day <= as_of_ts)).to_numpy(dtype=bool)) | has_resp
    no_due = due.isna().to_numpy()
    with np.errstate(invalid="ignore"):
        on_time = (resp_day <= due).to_numpy(dtype=bool)
        in_term = (due >= as_of_ts).to_numpy(dtype=bool)
    labels = np.select(
        [discarded, no_due, has_resp & on_time, has_resp, in_term],
        ["No aplica (descartado)", "Sin término legal", "A tiempo", "Fuera de término",
         "Pendiente en término"], "Vencido").tolist()
    estado = np.select([discarded, has_resp, filed], ["discarded", "answered", "filed"],
                       "candidate")
    days = np.full(len(cases), np.nan)
    for i in np.flatnonzero(~discarded & has_resp):
        start = cal.receipt_day(cases["received_at"].iat[i].to_pydatetime())
        days[i] = cal.business_days_between(start, cases["responded_at"].iat[i].date())
    out = cases.copy()
    net = out["net_responded_at"] if "net_responded_at" in out else \
        pd.Series(pd.NaT, index=out.index)
    net_day = _local_day(net)
    red = (net_day <= as_of_ts).fillna(False).to_numpy(dtype=bool)
    hours = (pd.to_datetime(net, utc=True, errors="coerce")
             - pd.to_datetime(out["received_at"], utc=True)).dt.total_seconds() / 3600
    out["red"] = red
    out["horas_red"] = hours.where(red).round(1)
    out["radicado_corte"] = filed & ~discarded
    out["respondido_corte"] = has_resp & ~discarded
    out["estado_corte"] = estado
    out["oportunidad"] = labels
    out["dias_respuesta"] = days
    return out


def next_action(cases: pd.DataFrame) -> list[str]:
    """What the office must do with each case at the cut-off (see ACTIONS)."""
    out = []
    for est, op in zip(cases["estado_corte"], cases["oportunidad"], strict=True):
        if est == "discarded":
            out.append("Descartado")
        elif est == "answered":
            out.append("Cerrado")
        elif op == "Sin término legal":
            out.append("Registrar felicitación")
        elif est == "candidate":
            out.append("Radicar hoy (vencido)" if op == "Vencido" else "Radicar hoy")
        else:
            out.append("Responder (vencido)" if op == "Vencido" else "Responder")
    return out


# ------------------------------------------------------------------------------------------
# Sections
# ------------------------------------------------------------------------------------------


def _header(ctx: ReportContext, as_of: date, cutoff: date, generated: date) -> dict[str, Any]:
    from zoneinfo import ZoneInfo

    accounts = [{"Red": NETWORK_ES.get(a.network, a.network), "Cuenta": a.display_name or "",
                 "Usuario": "@" + a.handle if a.network != "linkedin" else a.handle}
                for a in ctx.config.accounts]
    gen = ctx.generated_at.astimezone(ZoneInfo(ctx.config.entity.timezone))
    office_days = ctx.config.office.report_cutoff_business_days
    if as_of < cutoff:
        cut_text = (f"{day(as_of)} (fecha de generación; el corte del periodo es el "
                    f"{day(cutoff)}, {office_days} días hábiles después del cierre)")
    else:
        cut_text = (f"{day(as_of)} (cierre del periodo + {office_days} días hábiles para "
                    "actualizar el registro)")
    return {"entity": ctx.config.entity.name, "period": ctx.period.label,
            "period_range": f"{day(ctx.period.start)} a {day(ctx.period.end)}",
            "prepared_for": PREPARED_FOR, "accounts": accounts,
            "generated": gen.strftime("%d/%m/%Y %H:%M"), "as_of": day(as_of),
            "cutoff_text": cut_text, "situation": day(generated),
            "situation_later": generated > as_of}


def _interactions(msgs: pd.DataFrame, networks: list[str]) -> pd.DataFrame:
    import pandas as pd

    piv = (pd.crosstab(msgs["network"], msgs["kind"]) if len(msgs) else pd.DataFrame())
    piv = piv.reindex(index=networks, columns=list(KINDS), fill_value=0).fillna(0).astype(int)
    answered = msgs["responded_at"].notna()
    hours = (msgs["responded_at"] - msgs["created_at"]).dt.total_seconds() / 3600
    resp = msgs.assign(_ans=answered, _h=hours.where(answered))
    g = resp.groupby("network")
    out = pd.DataFrame({"Red": [NETWORK_ES.get(n, n) for n in networks]})
    for k in KINDS:
        out[KIND_ES[k]] = piv[k].to_numpy()
    out["Total"] = piv.sum(axis=1).to_numpy()
    ans = g["_ans"].sum().reindex(networks).fillna(0).astype(int) if len(msgs) else \
        pd.Series(0, index=networks)
    out["Respondidos en la red"] = ans.to_numpy()
    out["% respondidos"] = [a / t if t else float("nan")
                            for a, t in zip(out["Respondidos en la red"], out["Total"],
                                            strict=True)]
    med = g["_h"].median().reindex(networks) if len(msgs) else pd.Series(float("nan"),
                                                                          index=networks)
    out["Mediana 1.ª respuesta (h)"] = med.round(1).to_numpy()
    total = {"Red": "Total"}
    for c in [KIND_ES[k] for k in KINDS] + ["Total", "Respondidos en la red"]:
        total[c] = int(out[c].sum())
    total["% respondidos"] = (total["Respondidos en la red"] / total["Total"]
                              if total["Total"] else float("nan"))
    total["Mediana 1.ª respuesta (h)"] = round(float(hours[answered].median()), 1) \
        if answered.any() else float("nan")
    return pd.concat([out, pd.DataFrame([total])], ignore_index=True)


def _funnel(totals: dict[str, int]) -> pd.DataFrame:
    import pandas as pd

    rows = [("Mensajes entrantes recibidos", totals["messages"]),
            ("Mensajes revisados por el clasificador", totals["screened"]),
            ("Posibles PQRS identificadas (sin felicitaciones)", totals["cases"]),
            ("Descartadas (no son PQRS)", totals["discarded"]),
            ("PQRS válidas", totals["valid"]),
            ("PQRS válidas respondidas en la red", totals["answered_in_network_cases"]),
            ("PQRS válidas radicadas (con número de radicado)", totals["filed"]),
            ("PQRS válidas con respuesta formal", totals["answered"]),
            ("PQRS sin revisar", totals["pending_review"]),
            ("Felicitaciones (aparte: no son PQRS)", totals["felicitaciones"])]
    return pd.DataFrame(rows, columns=["Etapa", "Cantidad"])


def _by_type_network(cases: pd.DataFrame, networks: list[str]) -> pd.DataFrame:
    """Valid cases by type and network, with the three facts; felicitaciones after the total."""
    import pandas as pd

    valid = cases[cases["status"] != "discarded"]
    piv = pd.crosstab(valid["pqrs_type"], valid["network"]) if len(valid) else pd.DataFrame()
    piv = piv.reindex(index=list(TYPES), columns=networks, fill_value=0).fillna(0).astype(int)
    facts = valid.groupby("pqrs_type")[["red", "radicado_corte", "respondido_corte"]].sum() \
        if len(valid) else pd.DataFrame(columns=["red", "radicado_corte", "respondido_corte"])
    facts = facts.reindex(list(TYPES)).fillna(0).astype(int)
    out = pd.DataFrame({"Tipo": [TYPE_ES[t] for t in TYPES]})
    for n in networks:
        out[NETWORK_ES.get(n, n)] = piv[n].to_numpy()
    out["Total"] = piv.sum(axis=1).to_numpy()
    out["Respondidas en la red"] = facts["red"].to_numpy()
    out["Radicadas"] = facts["radicado_corte"].to_numpy()
    out["Con respuesta formal"] = facts["respondido_corte"].to_numpy()
    legal = out[out["Tipo"] != TYPE_ES[FELICITACION]]
    felic = out[out["Tipo"] == TYPE_ES[FELICITACION]].assign(
        Tipo="Felicitación (aparte, no es PQRS)")
    total = {"Tipo": "Total PQRS"} | {c: int(legal[c].sum()) for c in out.columns[1:]}
    return pd.concat([legal, pd.DataFrame([total]), felic], ignore_index=True)


def _by_topic(cases: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    valid = cases[(cases["status"] != "discarded") & (cases["pqrs_type"] != FELICITACION)]
    if valid.empty:
        return pd.DataFrame(columns=["Tema", "Casos", "% de casos"])
    flags = terms.topic_flags(valid["text"])
    n = len(valid)
    rows = [{"Tema": c, "Casos": int(flags[c].sum())} for c in flags.columns]
    rows = [r for r in rows if r["Casos"]]
    rows.sort(key=lambda r: (-r["Casos"], r["Tema"]))
    rows = rows[:TOPIC_TOP_N]
    none = int((~flags.any(axis=1)).sum())
    if none:
        rows.append({"Tema": "Sin tema identificado", "Casos": none})
    out = pd.DataFrame(rows)
    out["% de casos"] = out["Casos"] / n
    return out


def _timeliness(cases: pd.DataFrame) -> pd.DataFrame:
    """Per PQRS type: the three facts and the timeliness of the formal answer at the cut-off."""
    import pandas as pd

    termed = cases[cases["oportunidad"].isin(TIMELINESS)]

    def row(label: str, sub: pd.DataFrame) -> dict[str, Any]:
        d = sub["dias_respuesta"].dropna()
        h = sub["horas_red"].dropna()
        r = {"Tipo": label, "Casos con término": len(sub),
             "Respondidas en la red": int(sub["red"].sum()),
             "Mediana horas a la 1.ª respuesta en la red":
                 round(float(h.median()), 1) if len(h) else float("nan"),
             "Radicadas": int(sub["radicado_corte"].sum()),
             "Con respuesta formal": int(sub["respondido_corte"].sum())}
        for lab in TIMELINESS:
            r[lab] = int((sub["oportunidad"] == lab).sum())
        r["Promedio días hábiles de respuesta"] = round(float(d.mean()), 1) if len(d) else \
            float("nan")
        return r

    rows = [row(TYPE_ES[t], termed[termed["pqrs_type"] == t]) for t in LEGAL_TYPES]
    rows.append(row("Total", termed))
    return pd.DataFrame(rows)


def _access_info(cases: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    import pandas as pd

    info = cases[(cases["pqrs_type"] == "peticion") & (cases["pqrs_subtype"] == "informacion")]
    moved = info["discard_reason"].fillna("").str.contains(TRANSFER_RE)
    # received = real requests: the discarded ones were not requests, unless transferred
    info = info[(info["status"] != "discarded") | moved]
    transferred = int(moved.sum())
    days = info["dias_respuesta"].dropna()
    summary = pd.DataFrame([
        ("Solicitudes de información recibidas", str(len(info))),
        ("Trasladadas a otra institución (según motivo de descarte registrado)",
         str(transferred)),
        ("Con respuesta formal a la fecha de corte", str(int(info["respondido_corte"].sum()))),
        ("Tiempo promedio de respuesta (días hábiles)",
         f"{days.mean():.1f}".replace(".", ",") if len(days) else "sin respuestas"),
        ("Solicitudes en las que se negó el acceso a la información", NOT_RECORDED),
    ], columns=["Indicador", "Valor"])
    detail = pd.DataFrame({
        "ID caso": info["message_id"],
        "Recibida": info["received_at"].dt.strftime("%d/%m/%Y %H:%M"),
        "Radicado": info["radicado"].fillna(""),
        "Vence": [day(d) for d in info["due_date"]],
        "Respondida": [day(r) if ok else "" for r, ok in
                       zip(info["responded_at"], info["respondido_corte"], strict=True)],
        "Días hábiles de respuesta": info["dias_respuesta"],
        "Estado": info["oportunidad"],
        "Trasladada": ["Sí" if TRANSFER_RE.search(r or "") else "No"
                       for r in info["discard_reason"].fillna("")],
        "Negada": NOT_RECORDED,
    }).reset_index(drop=True)
    return summary, detail


def _trend(ctx: ReportContext, current: dict[str, int], cal) -> tuple[pd.DataFrame,
                                                                        pd.DataFrame]:
    """Month by month from January (and the previous month when it is in another year).

    Each month is judged at its own cut-off (its last day + the office's days), capped at the
    generation day, as its own report would be.
    """
    from zoneinfo import ZoneInfo

    import pandas as pd
    from sqlalchemy import DateTime

    from pulso.core.sql import sql
    from pulso.reports.data import utc_bounds

    p = ctx.period if ctx.period.kind == "month" else ctx.period.months()[-1]
    prev = p.previous()
    months = [month(p.start.year, m) for m in range(1, p.start.month + 1)]
    if prev.start.year != p.start.year:
        months.insert(0, prev)
    tz = ctx.config.entity.timezone
    generated = ctx.generated_at.astimezone(ZoneInfo(tz)).date()
    query = sql("reports/pqrs_month_counts", start=DateTime(timezone=True),
                end=DateTime(timezone=True), cutoff=DateTime(timezone=True))
    rows = []
    with ctx.engine.connect() as conn:
        for m in months:
            if m.key == p.key:
                c = current
            else:
                lo, hi = utc_bounds(m.start, m.end, tz)
                cut = min(generated, cal.add_business_days(
                    m.end, ctx.config.office.report_cutoff_business_days))
                cut_hi = utc_bounds(cut, cut, tz)[1]
                r = conn.execute(query, {"start": lo, "end": hi, "cutoff": cut_hi}).mappings().one()
                r = {k: int(v or 0) for k, v in r.items()}
                c = {"messages": r["messages"], "cases": r["cases"], "filed": r["filed"],
                     "answered": r["answered"], "discarded": r["discarded"],
                     "answered_in_network_cases": r["answered_in_network"],
                     "pending_review": r["cases"] - r["discarded"] - r["filed"],
                     "felicitaciones": r["felicitaciones"]}
            rows.append({"Mes": f"{month_name(m.start).capitalize()} {m.start.year}",
                         "Clave": m.key, "Mensajes entrantes": c["messages"],
                         "Posibles PQRS": c["cases"], "Descartadas": c["discarded"],
                         "Respondidas en la red": c["answered_in_network_cases"],
                         "Radicadas": c["filed"], "Con respuesta formal": c["answered"],
                         "Sin revisar": c["pending_review"],
                         "Felicitaciones": c["felicitaciones"]})
    trend = pd.DataFrame(rows)
    # Leading months of the year without any activity add nothing but length.
    # Months before any data are not months without messages: they are left out, and a
    # previous month without data reads "—", never 0.
    active = (trend[["Mensajes entrantes", "Posibles PQRS"]].sum(axis=1) > 0) \
        | (trend["Clave"] == p.key)
    first = int(active.to_numpy().argmax())
    trend = trend.iloc[first:].reset_index(drop=True)
    cur = trend[trend["Clave"] == p.key].iloc[0]
    before = trend[trend["Clave"] == prev.key]
    prv = before.iloc[0] if len(before) else None
    ytd = trend[trend["Clave"].str.startswith(f"{p.start.year}-")]  # dropped rows are zeros
    comp = []
    for col in ["Mensajes entrantes", "Posibles PQRS", "Descartadas", "Respondidas en la red",
                "Radicadas", "Con respuesta formal", "Felicitaciones"]:
        a = int(cur[col])
        b = int(prv[col]) if prv is not None else None
        comp.append({"Indicador": col, "Mes anterior": b, "Este mes": a,
                     "Variación": (a - b) / b if b else float("nan"),
                     "Acumulado del año": int(ytd[col].sum())})
    return trend, pd.DataFrame(comp)


def _case_rows(cases: pd.DataFrame, allowed: bool) -> pd.DataFrame:
    """Per-case rows for the annex/register and alert lists, with minimal personal data."""
    import pandas as pd

    if allowed:
        author = ["@" + h if h and not str(h).startswith("@") else (h or "")
                  for h in cases["author_handle"].fillna("")]
    else:
        author = pseudonyms(cases["author_key"]).tolist()
    net = pd.to_datetime(cases["net_responded_at"], errors="coerce") \
        if "net_responded_at" in cases else pd.Series(pd.NaT, index=cases.index)
    if getattr(net.dt, "tz", None) is not None:
        net = net.dt.tz_localize(None)
    filed_at = pd.to_datetime(cases["filed_at"], errors="coerce")
    if getattr(filed_at.dt, "tz", None) is not None:
        filed_at = filed_at.dt.tz_localize(None)
    return pd.DataFrame({
        "ID caso": cases["message_id"],
        "Siguiente paso": next_action(cases),
        "Vence": pd.to_datetime(cases["due_date"]),
        "Oportunidad al corte": cases["oportunidad"],
        "Recibido": cases["received_at"].dt.tz_localize(None),
        "Red": cases["network"].map(NETWORK_ES).fillna(cases["network"]).fillna(""),
        "Tipo de mensaje": cases["kind"].map(KIND_ES).fillna(""),
        "Enlace": [safe_link(lk, h, allowed) for lk, h in
                   zip(cases["permalink"], cases["author_handle"], strict=True)],
        "Tipo": [_type_label(t, s) for t, s in zip(cases["pqrs_type"], cases["pqrs_subtype"],
                                                    strict=True)],
        "Puntaje": cases["pqrs_score"].round(2),
        "Autor": author,
        "Texto": _texts(cases["text"], allowed),
        "Respuesta en la red": net.where(cases["red"].to_numpy()),
        "Horas a la 1.ª respuesta en la red": cases["horas_red"],
        "Radicado el": filed_at.dt.normalize().where(cases["radicado_corte"].to_numpy()),
        "Estado al corte": cases["estado_corte"].map(STATUS_READER_ES),
        "Estado": cases["status"].map(STATUS_ES).fillna(cases["status"]),
        "Radicado": cases["radicado"].fillna(""),
        "Fecha de respuesta": pd.to_datetime(
            cases["responded_at"].dt.date if len(cases) else pd.Series([], dtype=object)),
        "Motivo de descarte": cases["discard_reason"].fillna(""),
    }).reset_index(drop=True)


def _ordinal(d: Any) -> int:
    """Sort key of a due date; cases without one (felicitaciones) go last."""
    import pandas as pd

    return d.toordinal() if isinstance(d, date) and not pd.isna(d) else 10 ** 7


def by_deadline(cases: pd.DataFrame) -> pd.DataFrame:
    """Cases in the annex order: open ones by next step and due date (overdue first)."""
    rank = {a: i for i, a in enumerate(ACTIONS)}
    due = cases["due_date"].map(_ordinal)
    return (cases.assign(_a=[rank[a] for a in next_action(cases)], _d=due,
                         _r=cases["received_at"].dt.tz_localize(None))
            .sort_values(["_a", "_d", "_r"], kind="stable")
            .drop(columns=["_a", "_d", "_r"]))


# ------------------------------------------------------------------------------------------
# compute()
# ------------------------------------------------------------------------------------------


def compute(ctx: ReportContext) -> PqrsTables:
    """Every table of the report, from the warehouse."""
    import pandas as pd

    tz = ctx.config.entity.timezone
    cal = calendar_for(ctx.config)
    as_of, cutoff, generated = cutoff_for(ctx, cal)
    allowed = not ctx.masks_personal_data  # the one rule: pulso.core.privacy
    notes: list[str] = []

    msgs = read_sql(ctx.engine, "pqrs_messages", ctx.period.start, ctx.period.end, tz,
                    time_columns=("created_at", "responded_at"))
    cases = classify_timeliness(_load_cases(ctx, "pqrs_cases", ctx.period.start,
                                            ctx.period.end), as_of, cal)
    backlog = classify_timeliness(_load_cases(ctx, "pqrs_backlog", ctx.period.start,
                                              ctx.period.end), as_of, cal)

    networks = list(dict.fromkeys([a.network for a in ctx.config.accounts]
                                  + sorted(msgs["network"].dropna().unique().tolist())
                                  + sorted(cases["network"].dropna().unique().tolist())))
    felic = cases["pqrs_type"] == FELICITACION
    legal = cases[~felic]
    est = legal["estado_corte"]
    valid = legal[est != "discarded"]
    totals = {
        "messages": len(msgs), "screened": int(msgs["screened"].astype(int).sum()),
        "answered_in_network": int(msgs["responded_at"].notna().sum()),
        "cases": len(legal), "valid": len(valid),
        "discarded": int((est == "discarded").sum()),
        "answered_in_network_cases": int(valid["red"].sum()),
        "filed": int(valid["radicado_corte"].sum()),
        "answered": int(valid["respondido_corte"].sum()),
        "pending_review": int((est == "candidate").sum()),
        "on_time": int((valid["oportunidad"] == "A tiempo").sum()),
        "late": int((valid["oportunidad"] == "Fuera de término").sum()),
        "pending_in_term": int((valid["oportunidad"] == "Pendiente en término").sum()),
        "overdue": int((valid["oportunidad"] == "Vencido").sum()),
        "overdue_backlog": int(((backlog["oportunidad"] == "Vencido")
                                & (backlog["pqrs_type"] != FELICITACION)).sum()),
        "felicitaciones": int((felic & (cases["status"] != "discarded")).sum()),
        "by_type": {t: int(((cases["pqrs_type"] == t) & (cases["status"] != "discarded")).sum())
                    for t in TYPES},
    }
    h = valid["horas_red"].dropna()
    totals["median_hours_network"] = round(float(h.median()), 1) if len(h) else None

    interactions = _interactions(msgs, networks)
    silent = interactions.loc[(interactions["Total"] == 0) & (interactions["Red"] != "Total"),
                              "Red"].tolist()
    if len(msgs) == 0:
        notes.append("No se recibieron mensajes entrantes en el periodo.")
    elif silent:
        notes.append("Sin mensajes entrantes en el periodo: " + ", ".join(silent) + ".")
    if len(cases) == 0:
        notes.append("No se identificaron posibles PQRS en el periodo.")

    disc = legal[est == "discarded"]
    reasons = disc["discard_reason"].fillna("").replace("", "Sin motivo registrado")
    discard_reasons = (reasons.value_counts().rename_axis("Motivo").reset_index(name="Casos")
                       if len(disc) else pd.DataFrame(columns=["Motivo", "Casos"]))

    trend, compare = _trend(ctx, totals, cal)
    info_summary, info_cases = _access_info(cases)

    # Alerts: corruption denuncias, overdue (this month and backlog), unreviewed high scores.
    corruption = valid[(valid["pqrs_type"] == "denuncia")
                       & valid["text"].fillna("").str.lower().str.contains(terms.CORRUPTION_RE)]
    high = legal[(est == "candidate") & (legal["pqrs_score"] >= HIGH_SCORE)]
    due_soon_limit = cal.add_business_days(as_of, ctx.config.monitor.due_soon_business_days)
    open_ = valid[valid["oportunidad"] == "Pendiente en término"]
    due_soon = open_[open_["due_date"].map(lambda d: d is not None and d <= due_soon_limit)]
    alerts: list[str] = []
    if len(corruption):
        alerts.append(f"{len(corruption)} denuncia(s) con posibles hechos de corrupción: "
                      "trasládelas de inmediato a Control Interno Disciplinario.")
    if totals["overdue"]:
        alerts.append(f"{num(totals['overdue'])} PQRS del periodo vencida(s) sin respuesta "
                      f"formal al {day(as_of)}.")
    if totals["overdue_backlog"]:
        alerts.append(f"{num(totals['overdue_backlog'])} PQRS de meses anteriores vencida(s) "
                      "sin respuesta formal.")
    if len(due_soon):
        alerts.append(f"{len(due_soon)} PQRS vencen en los "
                      f"{ctx.config.monitor.due_soon_business_days} días hábiles siguientes "
                      "al corte.")
    if len(high):
        alerts.append(f"{len(high)} posible(s) PQRS con puntaje alto (≥ "
                      f"{str(HIGH_SCORE).replace('.', ',')}) sin revisar.")

    reason = pd.Series("", index=cases.index, dtype=object)
    for idx_set, why in ((high.index, "Puntaje alto sin revisar"),
                         (due_soon.index, "Vence pronto"),
                         (valid.index[valid["oportunidad"] == "Vencido"], "Vencido"),
                         (corruption.index, "Denuncia por corrupción")):
        reason[idx_set] = why  # later assignments win: corruption is the strongest
    # Priority cases: the alert order, then due date; only the rows shown are formatted.
    prio = cases[reason != ""].assign(_alerta=reason[reason != ""])
    back_over = backlog[(backlog["oportunidad"] == "Vencido")
                        & (backlog["pqrs_type"] != FELICITACION)]
    if len(back_over):
        prio = pd.concat([prio, back_over.assign(_alerta="Vencido (mes anterior)")],
                         ignore_index=True)
    order = {"Denuncia por corrupción": 0, "Vencido": 1, "Vencido (mes anterior)": 2,
             "Vence pronto": 3, "Puntaje alto sin revisar": 4}
    prio = prio.assign(_rank=prio["_alerta"].map(order),
                       _due=prio["due_date"].map(_ordinal),
                       _recibido=prio["received_at"].dt.tz_localize(None))
    prio = prio.sort_values(["_rank", "_due", "_recibido"], kind="stable")
    priority_total = len(prio)
    prio = prio.head(PRIORITY_EXCEL_LIMIT)
    prio_rows = _case_rows(prio, allowed)
    prio_rows.insert(0, "Alerta", prio["_alerta"].to_numpy())

    from pulso.reports.growth import target_rows

    judged = totals["on_time"] + totals["late"] + totals["overdue"]
    goal_rows = target_rows(ctx.config.targets, {
        "answered_in_network": (totals["answered_in_network_cases"] / totals["valid"]
                                if totals["valid"] else None),
        "first_response_hours": totals["median_hours_network"],
        "on_time": totals["on_time"] / judged if judged else None})

    return PqrsTables(
        targets=pd.DataFrame(goal_rows) if goal_rows else None,
        period=ctx.period, generated_at=ctx.generated_at, as_of=as_of, personal_data=allowed,
        header=_header(ctx, as_of, cutoff, generated), totals=totals,
        interactions=interactions, funnel=_funnel(totals), discard_reasons=discard_reasons,
        by_type_network=_by_type_network(cases, networks), by_topic=_by_topic(cases),
        timeliness=_timeliness(cases), access_info_summary=info_summary,
        access_info_cases=info_cases, trend=trend, trend_compare=compare, alerts=alerts,
        priority_cases=prio_rows, annex=_case_rows(by_deadline(cases), allowed), notes=notes,
        priority_total=priority_total,
    )


# ------------------------------------------------------------------------------------------
# Rendering
# ------------------------------------------------------------------------------------------

REGISTER_NOTE = ("Registro de casos, ordenado por siguiente paso y vencimiento (primero lo que "
                 "hay que radicar hoy). Diligencie las columnas Estado, Radicado, Fecha de "
                 "respuesta (dd/mm/aaaa) y Motivo de descarte, y devuelva el archivo para "
                 "cargarlo con «pulso load-register». No modifique la columna ID caso.")
EDITABLE = ("Estado", "Radicado", "Fecha de respuesta", "Motivo de descarte")


def _register_sheet(wb, annex: pd.DataFrame, fills: dict) -> None:
    """The annex as a register the office fills in: validation lists and editable columns."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from pulso.cases.registers import SHEET, STATUS_LABELS
    from pulso.reports.excel import EDITABLE_FILL, write_table

    ws = write_table(wb, SHEET, annex, note=REGISTER_NOTE, fills=fills,
                     widths={"Texto": 60, "Enlace": 36, "Motivo de descarte": 36,
                             "Fecha de respuesta": 16, "Radicado": 18, "Estado": 14},
                     header_colors=dict.fromkeys(EDITABLE, EDITABLE_FILL))
    header_row, last = 3, 3 + max(len(annex), 1) + 200  # room for the office to add nothing
    cols = {c: get_column_letter(i) for i, c in enumerate(annex.columns, start=1)}
    status = DataValidation(type="list", formula1='"' + ",".join(STATUS_LABELS.values()) + '"',
                            allow_blank=True, showErrorMessage=True,
                            errorTitle="Estado no válido",
                            error="Elija: " + ", ".join(STATUS_LABELS.values()))
    status.add(f"{cols['Estado']}{header_row + 1}:{cols['Estado']}{last}")
    when = DataValidation(type="date", operator="greaterThan", formula1="DATE(2000,1,1)",
                          allow_blank=True, showErrorMessage=True,
                          errorTitle="Fecha no válida", error="Escriba una fecha dd/mm/aaaa")
    col = cols["Fecha de respuesta"]
    when.add(f"{col}{header_row + 1}:{col}{last}")
    ws.data_validations.append(status)  # write-only sheets have no add_data_validation()
    ws.data_validations.append(when)


def write_excel(t: PqrsTables, ctx: ReportContext, path) -> None:
    """The workbook, write-only; long tables (annex, priority cases) are streamed as XML."""
    import pandas as pd

    from pulso.reports.excel import new_workbook, save_workbook, write_key_values, write_table

    wb = new_workbook(write_only=True)
    fills: dict = {}
    h = t.header
    kv = [("Informe", "Informe de PQRS – canal virtual redes sociales"),
          ("Entidad", h["entity"]), ("Periodo", f"{h['period']} ({h['period_range']})"),
          ("Preparado para", h["prepared_for"]), ("Generado", h["generated"]),
          ("Fecha de corte", h["cutoff_text"]),
          ("Situación del registro", f"columnas «Estado», «Radicado» y «Fecha de respuesta» "
                                     f"al {h['situation']} (fecha de generación)"),
          ("Datos personales", "Usuarios visibles para destinatarios autorizados"
           if t.personal_data else "Autores con seudónimo; correos, teléfonos y documentos "
                                   "enmascarados en los textos")]
    kv += [("Alerta", a) for a in t.alerts] + [("Nota", n) for n in t.notes]
    if t.priority_note:
        kv.append(("Nota", t.priority_note))
    write_key_values(wb, "Resumen", kv)
    write_table(wb, "Cuentas", pd.DataFrame(h["accounts"]))
    if t.targets is not None:
        write_table(wb, "Metas", t.targets, note="Metas de respuesta de la configuración "
                    "(pulso.yaml, targets) frente al resultado a la fecha de corte.")
    write_table(wb, "Interacciones", t.interactions)
    write_table(wb, "Embudo", t.funnel)
    write_table(wb, "Motivos de descarte", t.discard_reasons)
    write_table(wb, "Tipo y red", t.by_type_network)
    write_table(wb, "Temas", t.by_topic)
    write_table(wb, "Oportunidad", t.timeliness,
                note=f"Situación a la fecha de corte {h['as_of']}; sin felicitaciones.")
    write_table(wb, "Acceso a información", t.access_info_summary)
    write_table(wb, "Solicitudes de información", t.access_info_cases, fills=fills)
    write_table(wb, "Tendencia", t.trend)
    write_table(wb, "Comparación", t.trend_compare)
    write_table(wb, "Casos prioritarios", t.priority_cases, fills=fills,
                note=t.priority_note)
    _register_sheet(wb, t.annex, fills)
    save_workbook(wb, path, fills=fills)


TITLE = "Informe de PQRS – canal virtual redes sociales"


def write_pdf(t: PqrsTables, ctx: ReportContext, path) -> None:
    from pulso.reports.charts import PALETTE, SERIES, hbars, stacked_bars
    from pulso.reports.pdf import page_context, render_pdf, rows

    charts: dict[str, str] = {}
    btn = t.by_type_network[t.by_type_network["Tipo"].isin([TYPE_ES[x] for x in LEGAL_TYPES])]
    if t.totals["valid"] > 0:
        nets = [c for c in btn.columns[1:] if c not in FACT_COLUMNS and c != "Total"
                and btn[c].sum() > 0]
        charts["types"] = stacked_bars(btn["Tipo"].tolist(), {n: btn[n] for n in nets},
                                       colors=SERIES, title="PQRS válidas por tipo y red",
                                       horizontal=True, size=(7.2, 2.2))
    if len(t.by_topic):
        charts["topics"] = hbars(t.by_topic["Tema"].tolist(), t.by_topic["Casos"].tolist(),
                                 title="Casos por tema", color=PALETTE["accent"])
    annex = t.annex.head(ANNEX_PDF_LIMIT)
    render_pdf(
        "pqrs.html", path, **page_context(ctx, TITLE), t=t, h=t.header, charts=charts,
        interactions=rows(t.interactions), funnel=rows(t.funnel),
        discard_reasons=rows(t.discard_reasons), by_type_network=rows(t.by_type_network),
        type_columns=list(t.by_type_network.columns), by_topic=rows(t.by_topic),
        timeliness=rows(t.timeliness), info_summary=rows(t.access_info_summary),
        info_cases=rows(t.access_info_cases.head(INFO_PDF_LIMIT)),
        info_total=len(t.access_info_cases), info_limit=INFO_PDF_LIMIT, trend=rows(t.trend),
        compare=rows(t.trend_compare), priority=rows(t.priority_cases.head(PRIORITY_PDF_LIMIT)),
        priority_total=t.priority_total, priority_sheet=len(t.priority_cases),
        annex=rows(annex), annex_total=len(t.annex), annex_limit=ANNEX_PDF_LIMIT,
        fact_columns=FACT_COLUMNS,
        targets=rows(t.targets) if t.targets is not None else None,
    )


def build(ctx: ReportContext) -> ReportFiles:
    """Compute the tables once; render the Excel workbook (with the register) and the PDF."""
    from pulso.reports.base import render_files

    return render_files(ctx, KIND, compute(ctx), write_excel, write_pdf)
