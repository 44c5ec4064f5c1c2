"""The daily monitor: deadlines, backlog, spikes, credentials, one digest e-mail a day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from pulso.monitor.digest import build_digest, send_digest
from pulso.warehouse.load import load_batch, upsert
from tests.smtp_server import smtp_conn_json, smtp_server

TODAY = date(2026, 11, 23)  # a Monday


def _msg(i: int, created: datetime, **over) -> dict:
    row = {"message_id": f"facebook:m{i}", "account_id": "facebook:1", "network": "facebook",
           "kind": "comment", "created_at": created, "author_key": "k" * 64,
           "author_handle": f"ciudadano{i}", "is_own": False,
           "text": f"Mensaje {i}, mi celular es 300 555 1234", "source": "demo",
           "permalink": f"https://facebook.com/p/{i}"}
    row.update(over)
    return row


def _case(i: int, received: datetime, due: date, status: str = "candidate") -> dict:
    return {"message_id": f"facebook:m{i}", "pqrs_type": "reclamo", "received_at": received,
            "due_date": due, "status": status}


def _seed(engine) -> None:
    base = datetime(2026, 11, 3, 15, tzinfo=UTC)
    msgs = [_msg(1, base), _msg(2, base + timedelta(days=14)), _msg(3, base + timedelta(days=17),
            responded_at=base + timedelta(days=17, hours=3)), _msg(4, base + timedelta(days=5))]
    load_batch(engine, {"message": msgs}, source="demo")
    with engine.begin() as conn:
        upsert(conn, "pqrs_case", [
            _case(1, base, date(2026, 11, 20)),                      # overdue
            _case(2, base + timedelta(days=14), date(2026, 11, 25)),  # due in 2 business days
            _case(4, base + timedelta(days=5), date(2026, 12, 10), status="filed"),
        ])


def test_digest_lists_overdue_due_soon_and_unreviewed(sqlite_warehouse, config) -> None:
    _seed(sqlite_warehouse)
    d = build_digest(sqlite_warehouse, config, TODAY)
    assert [c["message_id"] for c in d.overdue] == ["facebook:m1"]
    assert [c["message_id"] for c in d.due_soon] == ["facebook:m2"]
    assert d.due_soon[0]["dias_habiles_restantes"] == 2
    # candidates waiting >= 1 business day; the filed case is reviewed already
    assert {c["message_id"] for c in d.unreviewed} == {"facebook:m1", "facebook:m2"}
    # personal data masked in what leaves the warehouse
    assert all("300 555 1234" not in c["texto"] for c in d.overdue + d.due_soon)


def test_backlog_and_median_first_response(sqlite_warehouse, config) -> None:
    _seed(sqlite_warehouse)
    d = build_digest(sqlite_warehouse, config, TODAY)
    (fb,) = d.backlog
    assert fb["red"] == "facebook"
    assert fb["sin_respuesta"] == 3 and fb["respondidos"] == 1
    assert fb["mediana_primera_respuesta_horas"] == 3.0


def _spike_rows(day: date, n_usual: int, n_spike: int) -> tuple[list[dict], list[dict]]:
    msgs, labels, i = [], [], 0
    for back in range(1, 29):
        d = day - timedelta(days=back)
        for _ in range(n_usual):
            i += 1
            msgs.append(_msg(i, datetime(d.year, d.month, d.day, 16, tzinfo=UTC)))
            labels.append(("neutral", 0.0))
    for _ in range(n_spike):
        i += 1
        msgs.append(_msg(i, datetime(day.year, day.month, day.day, 16, tzinfo=UTC),
                         text=f"Pésimo servicio {i}"))
        labels.append(("negative", -0.8))
    label_rows = [{"message_id": m["message_id"], "model_version": "t", "sentiment": s,
                   "sentiment_score": sc, "classified_at": datetime.now(UTC)}
                  for m, (s, sc) in zip(msgs, labels, strict=True)]
    return msgs, label_rows


def test_negative_spike_raises_alert_with_its_messages(sqlite_warehouse, config) -> None:
    day = TODAY - timedelta(days=1)
    msgs, labels = _spike_rows(day, n_usual=3, n_spike=25)
    load_batch(sqlite_warehouse, {"message": msgs, "message_label": labels}, source="demo")
    d = build_digest(sqlite_warehouse, config, TODAY)
    kinds = {s["indicador"] for s in d.spikes}
    assert kinds == {"volumen de mensajes", "mensajes negativos"}
    neg = next(s for s in d.spikes if s["indicador"] == "mensajes negativos")
    assert neg["valor"] == 25 and neg["promedio_28_dias"] == 0.0
    assert len(neg["mensajes"]) == 5 and neg["mensajes"][0]["texto"].startswith("Pésimo servicio")


def test_ordinary_day_raises_no_spike(sqlite_warehouse, config) -> None:
    day = TODAY - timedelta(days=1)
    msgs, labels = _spike_rows(day, n_usual=4, n_spike=4)
    load_batch(sqlite_warehouse, {"message": msgs, "message_label": labels}, source="demo")
    assert build_digest(sqlite_warehouse, config, TODAY).spikes == []


def test_credentials_warn_before_rotation_and_expiry(sqlite_warehouse, config) -> None:
    api = config.model_copy(update={"accounts": (
        config.accounts[0].model_copy(update={"source": "api", "conn_id": "pulso_fb"}),
        config.accounts[1].model_copy(update={"source": "api", "conn_id": "pulso_ig"}),
        config.accounts[2].model_copy(update={"source": "api", "conn_id": "pulso_x"}),
    )})
    now = datetime(2026, 11, 23, tzinfo=UTC)
    with sqlite_warehouse.begin() as conn:
        upsert(conn, "credential", [
            {"conn_id": "pulso_fb", "rotated_at": now - timedelta(days=80)},   # 90 days after 04/09 is 03/12
            {"conn_id": "pulso_ig", "rotated_at": now - timedelta(days=10),
             "expires_at": now + timedelta(days=5)},                          # token expires soon
        ])
    warnings = build_digest(sqlite_warehouse, api, TODAY).credentials
    by_conn = {}
    for w in warnings:
        by_conn.setdefault(w["conexion"], []).append(w["aviso"])
    assert by_conn["pulso_fb"] == ["rotar la contraseña antes del 03/12/2026 (última rotación 04/09/2026)"]
    assert by_conn["pulso_ig"] == ["el token vence el 28/11/2026: renuévelo"]
    assert by_conn["pulso_x"] == ["sin fecha de rotación registrada"]


def test_digest_sent_once_and_not_when_empty(sqlite_warehouse, config, monkeypatch) -> None:
    assert send_digest(sqlite_warehouse, config, build_digest(sqlite_warehouse, config, TODAY)) \
        == {"sent": False, "reason": "nada que informar"}
    _seed(sqlite_warehouse)
    with smtp_server() as (inbox, port):
        monkeypatch.setenv("AIRFLOW_CONN_SMTP_DEFAULT", smtp_conn_json(port))
        digest = build_digest(sqlite_warehouse, config, TODAY)
        first = send_digest(sqlite_warehouse, config, digest)
        again = send_digest(sqlite_warehouse, config, digest)
    assert first["sent"] is True and again == {"sent": False, "reason": "ya enviado"}
    assert len(inbox.messages) == 1
    msg = inbox.messages[0].message
    assert "1 vencidas, 1 por vencer" in msg["Subject"]
    assert sorted(inbox.messages[0].rcpt_tos) == sorted(config.recipients.monitor)
    html = msg.get_body(("html",)).get_content()
    assert "PQRS vencidas (1)" in html and "300 555 1234" not in html
