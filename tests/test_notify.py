"""E-mail delivery through Airflow's real SmtpHook to a real local SMTP server, and the outbox."""

from __future__ import annotations

from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from openpyxl import Workbook

from pulso.delivery import Delivery, EmailError, make_message_id, send_email, smtp_configured

from smtp_server import attachments, free_port, smtp_conn_json, smtp_server

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
       b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
HTML = "<p>Se recibieron <strong>1.234</strong> interacciones en octubre de 2026.</p>"


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    xlsx = tmp_path / "informe-pqrs-redes_2026-10.xlsx"
    wb = Workbook()
    wb.active.append(["Tipo", "Casos"])
    wb.active.append(["Petición", 12])
    wb.save(xlsx)
    pdf = tmp_path / "informe-pqrs-redes_2026-10.pdf"
    pdf.write_bytes(PDF)
    return [xlsx, pdf]


def test_sends_through_airflow_smtp_hook(files, monkeypatch):
    mid = make_message_id("pqrs", "2026-10", "ab" * 32)
    with smtp_server() as (inbox, port):
        monkeypatch.setenv("AIRFLOW_CONN_SMTP_DEFAULT", smtp_conn_json(port))
        assert smtp_configured()
        delivery = send_email(["atencion@cvc.example.gov.co"], "Informe PQRS – octubre de 2026",
                              HTML, files, cc=["jefe@cvc.example.gov.co"], message_id=mid,
                              text_body="Se recibieron 1.234 interacciones.")
    assert isinstance(delivery, Delivery)
    assert delivery.method == "smtp" and delivery.location == f"smtp://127.0.0.1:{port}"
    assert delivery.message_id == mid
    assert len(inbox.messages) == 1
    got = inbox.messages[0]
    assert got.mail_from == "pulso@cvc.example.gov.co"
    assert sorted(got.rcpt_tos) == ["atencion@cvc.example.gov.co", "jefe@cvc.example.gov.co"]
    msg = got.message
    assert msg["Subject"] == "Informe PQRS – octubre de 2026"
    assert msg["To"] == "atencion@cvc.example.gov.co"
    assert msg["Cc"] == "jefe@cvc.example.gov.co"
    assert msg["Message-ID"] == mid
    assert "1.234" in msg.get_body(("html",)).get_content()
    assert msg.get_body(("plain",)).get_content().strip() == "Se recibieron 1.234 interacciones."
    att = attachments(msg)
    assert att == {f.name: f.read_bytes() for f in files}
    parts = {p.get_filename(): p.get_content_type() for p in msg.iter_attachments()}
    assert parts[files[1].name] == "application/pdf"
    assert parts[files[0].name].endswith("spreadsheetml.sheet")


def test_public_hook_api_also_delivers(files, monkeypatch):
    """The documented `send_email_smtp(files=...)` path (used if the hook's internals change)."""
    from airflow.providers.smtp.hooks.smtp import SmtpHook

    from pulso.delivery import send_public

    with smtp_server() as (inbox, port):
        monkeypatch.setenv("AIRFLOW_CONN_SMTP_DEFAULT", smtp_conn_json(port))
        with SmtpHook("smtp_default") as hook:
            send_public(hook, ["a@cvc.example.gov.co"], [], "Asunto ñ", HTML, files,
                        from_addr="pulso@cvc.example.gov.co", message_id="<x.1@pulso.local>")
    msg = inbox.messages[0].message
    assert msg["Subject"] == "Asunto ñ" and msg["Message-ID"] == "<x.1@pulso.local>"
    assert "1.234" in msg.get_body(("html",)).get_content()
    assert attachments(msg) == {f.name: f.read_bytes() for f in files}


def test_outbox_when_no_connection(files, monkeypatch, tmp_path):
    monkeypatch.delenv("AIRFLOW_CONN_SMTP_DEFAULT", raising=False)
    monkeypatch.setenv("PULSO_OUTBOX_DIR", str(tmp_path / "outbox"))
    assert not smtp_configured()
    mid = make_message_id("pqrs", "2026-10", "cd" * 32)
    delivery = send_email("atencion@cvc.example.gov.co", "Informe PQRS – octubre de 2026", HTML,
                          files, message_id=mid)
    assert delivery.method == "outbox"
    path = Path(delivery.location)
    assert path.parent == tmp_path / "outbox" and path.suffix == ".eml"
    assert list(path.parent.iterdir()) == [path]  # no temp file left behind
    msg = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    assert msg["Subject"] == "Informe PQRS – octubre de 2026"
    assert msg["To"] == "atencion@cvc.example.gov.co"
    assert msg["Message-ID"] == mid and msg["Date"] is not None
    assert "1.234" in msg.get_body(("html",)).get_content()
    assert "1.234" in msg.get_body(("plain",)).get_content()  # derived from the HTML
    assert attachments(msg) == {f.name: f.read_bytes() for f in files}
    # a second delivery gets its own file, the first one is kept
    again = send_email("atencion@cvc.example.gov.co", "x", HTML, files, message_id=mid)
    assert again.location != delivery.location and path.exists()


def test_configured_but_unreachable_server_raises_instead_of_outbox(files, monkeypatch, tmp_path):
    monkeypatch.setenv("AIRFLOW_CONN_SMTP_DEFAULT", smtp_conn_json(free_port()))
    monkeypatch.setenv("PULSO_OUTBOX_DIR", str(tmp_path / "outbox"))
    with pytest.raises(OSError):
        send_email(["a@cvc.example.gov.co"], "s", HTML, files)
    assert not (tmp_path / "outbox").exists() or not any((tmp_path / "outbox").iterdir())


def test_message_id_is_stable_per_content():
    a = make_message_id("pqrs", "2026-10", "ab" * 32)
    assert a == make_message_id("pqrs", "2026-10", "ab" * 32)
    assert a != make_message_id("pqrs", "2026-10", "ac" * 32)
    assert a != make_message_id("semestral", "2026-10", "ab" * 32)
    assert a.startswith("<") and a.endswith("@pulso.local>")


def test_bad_input_is_named(files, tmp_path):
    with pytest.raises(EmailError, match="destinatarios"):
        send_email([], "s", HTML, files)
    with pytest.raises(EmailError, match="no-es-correo"):
        send_email(["no-es-correo"], "s", HTML, files)
    with pytest.raises(EmailError, match="no_existe.pdf"):
        send_email(["a@b.co"], "s", HTML, [tmp_path / "no_existe.pdf"])
