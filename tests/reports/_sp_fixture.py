"""Fixture warehouse for the sentiment, PQRS and register tests (October 2026 + history).

Loaded by path from the test modules (not a conftest: the shared conftest belongs to the
report infrastructure). Texts carry phone numbers, e-mails, cédulas and @handles on purpose.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

CONFIG_YAML = """
entity: {name: Caja de Vivienda de Prueba, short_name: CVP}
office: {close_time: "17:00"}
accounts:
  - {network: facebook, handle: CajaPrueba, native_id: "100", display_name: Caja Prueba, source: demo}
  - {network: instagram, handle: caja.prueba, native_id: "200", source: demo}
  - {network: x, handle: CajaPruebaX, native_id: "300", source: demo}
  - {network: youtube, handle: CajaPruebaTV, native_id: "400", source: demo}
recipients:
  pqrs_report: [atencion@prueba.gov.co]
  personal_data_allowed: []
"""

# Texts carrying personal data that must never reach a citizen_service report unmasked.
PII_TEXTS = [
    "Llevo dos meses esperando el subsidio, mi celular es 3001234567 y nadie responde",
    "Solicito información del trámite, escribanme a juana.perez@correo.com por favor",
    "Mi cédula 1.020.304.050 no aparece en la lista del subsidio, pésima atención",
]
SECRET_HANDLE = "juanitaperez77"
NEG = ["Pésima atención, el subsidio nunca llega y nadie responde",
       "Qué vergüenza, la obra está abandonada y el subsidio no sale",
       "Horrible la atención en la oficina, tres horas de fila para nada",
       "El trámite es lentísimo y el subsidio sigue sin aprobarse"]
POS = ["Gracias por la entrega de las viviendas, excelente trabajo",
       "Muy buena la atención en la feria de vivienda, felicitaciones",
       "Excelente proyecto, gracias a la Caja por el apoyo"]
NEU = ["¿A qué hora abren la oficina el sábado?", "Buenos días, ¿dónde queda la sede?",
       "Información sobre la convocatoria de vivienda"]


def utc(y, m, d, h=15, mi=0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=UTC)


def _message(mid, network, kind, at, text, *, author="a1", handle=None, responded=None,
             own=False, permalink=None):
    return {"message_id": f"{network}:{mid}", "account_id": f"{network}:x",
            "network": network, "kind": kind, "created_at": at, "author_key": f"{author:0>64}",
            "author_handle": handle or f"user_{author}", "is_own": own, "text": text,
            "post_id": None, "parent_id": None,
            "permalink": permalink or f"https://{network}.com/p/{mid}",
            "responded_at": responded, "anonymised_at": None, "source": "test",
            "loaded_at": at}


def _label(mid, sentiment, score, pqrs=None, sub=None, version="v1", at=None):
    return {"message_id": mid, "model_version": version, "sentiment": sentiment,
            "sentiment_score": score, "pqrs_type": pqrs, "pqrs_subtype": sub,
            "pqrs_score": 0.9 if pqrs else 0.1, "due_date": None,
            "classified_at": at or datetime(2026, 11, 1, tzinfo=UTC)}


def _case(mid, ptype, received, due, status, *, sub=None, score=0.7, radicado=None,
          responded=None, reason=None):
    return {"message_id": mid, "pqrs_type": ptype, "pqrs_subtype": sub, "pqrs_score": score,
            "received_at": received, "due_date": due, "status": status, "radicado": radicado,
            "filed_at": received + timedelta(days=1) if radicado else None,
            "responded_at": responded, "discard_reason": reason, "reviewed_by": None,
            "updated_at": received}


def build(engine) -> dict:
    """Fill an empty warehouse (schema created); return the expected headline figures."""
    from pulso.warehouse.load import upsert

    rng = random.Random(7)
    msgs, labels, cases = [], [], []
    n = 0
    # History May..Sep 2026: a few labelled messages a month, sentiment drifting negative.
    for mo, neg_share in ((5, 0.2), (6, 0.25), (7, 0.3), (8, 0.35), (9, 0.4)):
        for i in range(20):
            n += 1
            s = "negative" if i < int(20 * neg_share) else ("positive" if i % 2 else "neutral")
            m = _message(f"h{n}", "facebook", "comment", utc(2026, mo, 1 + i % 28), "historia")
            msgs.append(m)
            labels.append(_label(m["message_id"], s, -0.5 if s == "negative" else 0.4))
    # October 2026: 60 facebook, 30 instagram, 20 x; youtube has none.
    oct_sent = {"positive": 0, "neutral": 0, "negative": 0}
    plan = [("facebook", 60), ("instagram", 30), ("x", 20)]
    kinds = ["comment", "comment", "dm", "mention", "reply"]
    for net, count in plan:
        for i in range(count):
            n += 1
            r = rng.random()
            s = "negative" if r < 0.45 else ("positive" if r < 0.75 else "neutral")
            text = rng.choice({"negative": NEG, "positive": POS, "neutral": NEU}[s])
            at = utc(2026, 10, 1 + i % 31, 13 + i % 8)
            resp = at + timedelta(hours=2 + i % 5) if i % 3 == 0 else None
            m = _message(f"o{n}", net, kinds[i % 5], at, text, author=f"{i % 17}",
                         responded=resp)
            msgs.append(m)
            score = {"negative": -0.3 - rng.random() * 0.6, "positive": 0.3 + rng.random() * 0.6,
                     "neutral": 0.0}[s]
            labels.append(_label(m["message_id"], s, round(score, 3)))
            oct_sent[s] += 1
    # PII messages, and PQRS cases built on them.
    pii = []
    for i, text in enumerate(PII_TEXTS):
        m = _message(f"pii{i}", "x", "mention", utc(2026, 10, 6 + i, 14),
                     f"@{SECRET_HANDLE} {text}", author=f"pii{i}", handle=SECRET_HANDLE,
                     permalink=f"https://x.com/{SECRET_HANDLE}/status/99{i}")
        msgs.append(m)
        pii.append(m["message_id"])
        labels.append(_label(m["message_id"], "negative", -0.95))
        oct_sent["negative"] += 1
    # One message relabelled: the latest label (v2) must win.
    relab = msgs[-5]["message_id"]
    old = next(lab for lab in labels if lab["message_id"] == relab)
    labels.append(_label(relab, "positive" if old["sentiment"] != "positive" else "neutral",
                         0.5 if old["sentiment"] != "positive" else 0.0, version="v2",
                         at=datetime(2026, 11, 2, tzinfo=UTC)))
    oct_sent[old["sentiment"]] -= 1
    oct_sent[labels[-1]["sentiment"]] += 1
    # Own messages and one unlabelled message.
    msgs.append(_message("own1", "facebook", "reply", utc(2026, 10, 9), "Respuesta oficial",
                         own=True))
    msgs.append(_message("unl1", "instagram", "comment", utc(2026, 10, 10), "sin clasificar"))

    # Cases (October): statuses and timeliness.
    ids = [m["message_id"] for m in msgs if m["message_id"].startswith(("facebook:o", "x:o"))]
    cases += [
        _case(pii[0], "reclamo", utc(2026, 10, 6, 14), date(2026, 10, 28), "answered",
              radicado="2026-ER-0001", responded=utc(2026, 10, 20, 15)),           # on time
        _case(pii[1], "peticion", utc(2026, 10, 7, 14), date(2026, 10, 22), "answered",
              sub="informacion", radicado="2026-ER-0002",
              responded=utc(2026, 10, 27, 15)),                                      # late
        _case(pii[2], "queja", utc(2026, 10, 8, 14), date(2026, 10, 30), "filed",
              radicado="2026-ER-0003"),                                              # overdue
        _case(ids[0], "denuncia", utc(2026, 10, 1, 13), date(2026, 10, 23), "candidate",
              score=0.95),
        _case(ids[1], "peticion", utc(2026, 10, 2, 14), date(2026, 10, 16), "discarded",
              sub="informacion", reason="No es de nuestra competencia - traslado a SDHT"),
        _case(ids[2], "peticion", utc(2026, 10, 3, 15), date(2026, 10, 24), "discarded",
              reason="No es una petición"),
        _case(ids[3], "felicitacion", utc(2026, 10, 4, 16), None, "candidate", score=0.6),
        _case(ids[4], "sugerencia", utc(2026, 10, 30, 14), date(2026, 11, 23), "candidate",
              score=0.5),                                                            # pending
    ]
    # The denuncia text talks about corruption.
    for m in msgs:
        if m["message_id"] == ids[0]:
            m["text"] = "Denuncio corrupción: piden soborno para asignar el subsidio de vivienda"
    # September backlog: one overdue open case, one closed.
    sep = [m for m in msgs if m["created_at"].month == 9][:2]
    cases += [_case(sep[0]["message_id"], "reclamo", sep[0]["created_at"], date(2026, 9, 30),
                    "filed", radicado="2026-ER-0900"),
              _case(sep[1]["message_id"], "queja", sep[1]["created_at"], date(2026, 9, 30),
                    "answered", radicado="2026-ER-0901",
                    responded=sep[1]["created_at"] + timedelta(days=3))]

    with engine.begin() as conn:
        upsert(conn, "message", msgs)
        upsert(conn, "message_label", labels)
        upsert(conn, "pqrs_case", cases)
    oct_inbound = sum(1 for m in msgs if m["created_at"].month == 10 and not m["is_own"])
    return {"oct_inbound": oct_inbound, "oct_sentiment": oct_sent, "pii_ids": pii,
            "relabelled": relab}


def context(engine, tmp_path, *, audience: str = "citizen_service", period: str = "2026-10",
            generated_at: datetime | None = None, config_yaml: str = CONFIG_YAML,
            personal_data: bool = False):
    """A ReportContext (the shared one when present) on `engine` with the test config."""
    from pulso.core.config import load_config
    from pulso.core.periods import parse_period

    cfg_path = tmp_path / "pulso-test.yaml"
    cfg_path.write_text(config_yaml, encoding="utf-8")
    cfg = load_config(cfg_path)
    kwargs = {"engine": engine, "config": cfg, "period": parse_period(period),
              "out_dir": tmp_path / "reports", "audience": audience,
              "personal_data": personal_data,
              "generated_at": generated_at or datetime(2026, 11, 3, 14, tzinfo=UTC)}
    try:
        from pulso.reports.base import ReportContext
    except ImportError:
        from types import SimpleNamespace

        return SimpleNamespace(**kwargs)
    return ReportContext(**kwargs)
