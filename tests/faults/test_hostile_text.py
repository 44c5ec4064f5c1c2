"""Hostile text through the whole pipeline: stored verbatim, classified, reported masked."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from pulso.classify.store import classify_pending
from pulso.core.periods import parse_period
from pulso.ingest.daily import ingest_account
from pulso.sources.base import SourceBatch
from pulso.warehouse.schema import message, message_label

from pdf_text import pdf_text

HOSTILE = [
    "'; DROP TABLE message; -- ¿cuándo me responden el derecho de petición?",
    'Robert"); DELETE FROM pqrs_case; -- solicito información del subsidio',
    "texto con NUL \x00 en medio, llevo 3 meses esperando respuesta",
    "\u202eolicitud invertida\u202c con marcas RTL \u200f\u200e, nadie contesta la línea",
    "👨‍👩‍👧‍👦🏳️‍🌈🇨🇴 familia sin vivienda, necesito ayuda con el subsidio 🙏🏽",
    "<script>alert('x')</script> {{ config }} {% raw %} ${jndi:ldap://x} quiero saber requisitos",
    "mi cédula es 1.023.456.789, celular 300 555 1234 y correo juana.perez@example.com, "
    "radiqué hace dos meses y no me contestan",
    "A" * 100_000 + " ¿me pueden colaborar con el trámite?",
]
ACCOUNT = "facebook:104857600123"


class HostileSource:
    def fetch(self, account, start, end) -> Iterator[SourceBatch]:
        b = SourceBatch(account.account_id, start, end, "test")
        base = datetime(start.year, start.month, start.day, 14, tzinfo=UTC)
        for i, t in enumerate(HOSTILE):
            b.add("message", {"message_id": f"facebook:h{i}", "account_id": account.account_id,
                              "network": "facebook", "kind": "comment",
                              "created_at": base + timedelta(minutes=i), "author_key": "k" * 64,
                              "author_handle": f"vecino_{i}", "is_own": False, "text": t,
                              "source": "test"})
        yield b


def test_hostile_text_is_stored_verbatim_and_reported_masked(warehouse, config, tmp_path,
                                                            ledger):
    from openpyxl import load_workbook

    from pulso.reports.runner import run_reports

    day = date(2026, 3, 10)
    ingest_account(warehouse, config, ACCOUNT, day, day, source=HostileSource())
    ledger["malformed_inputs"] += len(HOSTILE)
    classify_pending(warehouse, config, day, day)
    with warehouse.connect() as conn:
        stored = dict(conn.execute(select(message.c.message_id, message.c.text)).all())
        labels = conn.execute(select(message_label.c.message_id)).scalars().all()
    for i, t in enumerate(HOSTILE):
        assert stored[f"facebook:h{i}"] == t.replace("\x00", "\ufffd"), i  # NUL cannot be stored
    assert len(labels) == len(HOSTILE)

    runs = run_reports(warehouse, config, parse_period("2026-03"), kinds=["sentiment", "pqrs"],
                       out_dir=tmp_path / "reports", send_email=True, require_complete=False,
                       outbox=tmp_path / "outbox", recipients_override=["jefe@otra.example.gov.co"])
    assert {r.kind for r in runs} == {"sentiment", "pqrs"}
    pqrs = next(r for r in runs if r.kind == "pqrs")
    pdf = next(p for p in pqrs.files if str(p).endswith(".pdf"))
    xlsx = next(p for p in pqrs.files if str(p).endswith(".xlsx"))
    text = pdf_text(pdf, collapse=False)
    cells = "\n".join(str(c) for ws in load_workbook(xlsx, read_only=True).worksheets
                      for row in ws.iter_rows(values_only=True) for c in row if c is not None)
    for where, content in (("PDF", text), ("Excel", cells)):
        assert "300 555 1234" not in content, where
        assert "juana.perez@example.com" not in content, where
        assert "1.023.456.789" not in content, where
        assert "vecino_6" not in content, where  # no raw handles for this recipient
    # markup and template syntax are shown as text, never interpreted
    assert "{{ config }}" in cells and "DROP TABLE" in cells
    ledger["malformed_handled"] += len(HOSTILE)
