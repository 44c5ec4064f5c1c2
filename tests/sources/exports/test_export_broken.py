"""Broken and unexpected export files: clear rejections naming the file, row and columns."""

from __future__ import annotations

import zipfile
from datetime import date

import export_files as ef
import pytest
from export_files import rows

from pulso.sources.exports.loader import process_file
from pulso.sources.exports.mapping import ExportRejected, parse_export_file

SNAP = date(2026, 6, 30)


def rejected(path, config, **kw) -> ExportRejected:
    with pytest.raises(ExportRejected) as info:
        parse_export_file(path, config=config, **kw)
    assert path.name in str(info.value)
    return info.value


# --- whole-file rejections ----------------------------------------------------------------------

@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\r\n\r\n", b"\xff\xfe"])
def test_empty_file(tmp_path, config, content):
    p = tmp_path / "vacio.csv"
    p.write_bytes(content)
    assert "empty file" in str(rejected(p, config))


def test_header_only(tmp_path, config):
    p = ef.meta_posts_csv(tmp_path / "solo_encabezado.csv", rows=[])
    exc = rejected(p, config)
    assert "header only" in str(exc) and exc.kind == "meta_posts"


def test_binary_file_named_csv(tmp_path, config):
    p = tmp_path / "export.csv"
    p.write_bytes(bytes(range(256)) * 40)
    assert "binary content" in str(rejected(p, config))


def test_png_named_csv(tmp_path, config):
    p = tmp_path / "grafico.csv"
    p.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(500))
    assert "binary content" in str(rejected(p, config))


def test_unknown_kind(tmp_path, config):
    p = tmp_path / "otra_cosa.csv"
    p.write_text("Nombre,Cédula,Ciudad\nAna,123,Bogotá\n", encoding="utf-8")
    msg = str(rejected(p, config))
    assert "unknown export kind" in msg and "Nombre" in msg and "meta_posts" in msg


def test_missing_required_columns_are_listed(tmp_path, config):
    header = [h for h in ef.META_POSTS_HEADER_34 if h not in ("Reactions", "Publish time")]
    p = ef.meta_posts_csv(tmp_path / "incompleto.csv", header=header)
    exc = rejected(p, config)
    assert exc.kind == "meta_posts"
    assert "misses required columns" in str(exc)
    assert "Publish time" in str(exc) and "Reactions" in str(exc)
    assert exc.missing == ["Publish time / Hora de publicación", "Reactions / Reacciones"]


def test_tiktok_missing_profile_views(tmp_path, config):
    p = tmp_path / "tt.csv"
    p.write_text("Date,Video views,Likes,Comments,Shares\n2026-06-01,1.2K,1,2,3\n")
    exc = rejected(p, config, account="tiktok:1")
    assert exc.kind == "tiktok_studio" and "Profile views" in str(exc)


def test_truncated_xlsx(tmp_path, config):
    good = ef.xlsx(tmp_path / "ok.xlsx", [ef.LI_FOLLOWERS_HEADER, ["2026-06-01", 0, 1, 0, 1]])
    p = tmp_path / "cortado.xlsx"
    p.write_bytes(good.read_bytes()[:900])
    assert "corrupt or truncated" in str(rejected(p, config, account="linkedin:1"))


def test_truncated_zip(tmp_path, config):
    good = ef.youtube_zip(tmp_path / "yt.zip")
    p = tmp_path / "yt_cortado.zip"
    p.write_bytes(good.read_bytes()[:200])
    assert "corrupt or truncated" in str(rejected(p, config, account="youtube:1"))


def test_zip_without_csv(tmp_path, config):
    p = tmp_path / "fotos.zip"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("foto.jpg", b"\xff\xd8\xff")
    assert "holds no CSV" in str(rejected(p, config))


def test_meta_page_metric_unknown_metric(tmp_path, config):
    p = ef.meta_page_metric(tmp_path / "m.csv", "Negative feedback",
                            [("2025-08-01T00:00:00", "5")])
    msg = str(rejected(p, config, account="facebook:1"))
    assert "unknown Meta page metric 'Negative feedback'" in msg


def test_account_unknown(tmp_path, config):
    p = ef.x_overview_csv(tmp_path / "x.csv")
    assert "cannot tell which account" in str(rejected(p, config))


def test_account_of_other_network(tmp_path, config):
    p = ef.x_overview_csv(tmp_path / "x.csv")
    assert "(x) but the account given is 'facebook:1'" in str(
        rejected(p, config, account="facebook:1"))


def test_rejected_file_is_recorded(sqlite_warehouse, tmp_path, config):
    header = [h for h in ef.META_POSTS_HEADER_34 if h != "Reach"]
    p = ef.meta_posts_csv(tmp_path / "sin_alcance.csv", header=header)
    r = process_file(sqlite_warehouse, p, config=config)
    assert r.status == "rejected" and "Reach" in r.message
    sf = rows(sqlite_warehouse, "select * from source_file")
    assert [(s["name"], s["status"], s["export_kind"]) for s in sf] == [
        ("sin_alcance.csv", "rejected", "meta_posts")]
    lr = rows(sqlite_warehouse, "select file, row, field, reason from load_reject")
    assert lr[0]["file"] == "sin_alcance.csv" and lr[0]["row"] is None
    assert "Reach" in lr[0]["field"] and "misses required columns" in lr[0]["reason"]
    assert rows(sqlite_warehouse, "select count(*) n from post")[0]["n"] == 0


# --- row-level problems: bad rows rejected with line and reason, the rest loads ----------------

def test_bad_numbers_and_dates_reject_only_their_rows(warehouse, tmp_path, config):
    h = ef.META_POSTS_HEADER_34
    body = [ef.meta_post_row(h, 1),
            ef.meta_post_row(h, 2, Reach="muchos"),
            ef.meta_post_row(h, 3, **{"Publish time": "31/31/2026 10:00"}),
            ef.meta_post_row(h, 4, Reactions="-3"),
            ef.meta_post_row(h, 5, **{"Post ID": ""}),
            ef.meta_post_row(h, 6)]
    p = ef.meta_posts_csv(tmp_path / "mixto.csv", rows=body)
    r = process_file(warehouse, p, config=config, snapshot_day=SNAP)
    assert r.status == "processed"
    assert r.loaded == {"post": 3, "post_daily": 2}
    # Multi-line descriptions: each record spans 2 lines, so data rows start at 2, 4, 6...
    by_line = {(x.row, x.field): x.reason for x in r.rejects}
    assert by_line[(4, "Reach")] == "not a number: 'muchos'"
    assert "not a date" in by_line[(6, "Publish time")]
    assert by_line[(8, "reactions")] == "post_daily.reactions: negative count -3"
    assert by_line[(10, "Post ID")] == "id is empty"
    assert r.rows_rejected == 4
    stored = rows(warehouse, "select row, field from load_reject order by row")
    assert [s["row"] for s in stored] == [4, 6, 8, 10]
    ids = {x["post_id"] for x in rows(warehouse, "select post_id from post_daily")}
    assert ids == {f"facebook:{ef.PAGE_ID}_1001", f"facebook:{ef.PAGE_ID}_1006"}


def test_bad_date_in_daily_file(tmp_path, config):
    p = ef.x_overview_csv(tmp_path / "x.csv", rows=[
        ["Sat, Jun 6, 2026", "1,200", "1", "2", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0"],
        ["ayer", "5", "1", "2", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0"],
        ["", "5", "1", "2", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0"]])
    parsed = parse_export_file(p, config=config, account="x:1")
    assert len(parsed.tables["account_daily"]) == 1
    assert [(x.row, x.field, x.reason) for x in parsed.rejects] == [
        (3, "Date", "not a date: 'ayer'"), (4, "Date", "date is empty")]


def test_truncated_csv_rejects_the_cut_row(sqlite_warehouse, tmp_path, config):
    full = ef.x_overview_csv(tmp_path / "full.csv").read_bytes()
    p = tmp_path / "cortado.csv"
    p.write_bytes(full[: len(full) - 25])  # cut inside the last row
    r = process_file(sqlite_warehouse, p, config=config, account="x:1")
    assert r.loaded == {"account_daily": 1}
    assert [(x.row, x.field) for x in r.rejects] == [(3, "(row)")]
    assert "truncated" in r.rejects[0].reason


def test_truncated_utf8_multibyte_at_end(tmp_path, config):
    text = ef.csv_text([ef.X_CONTENT_HEADER,
                        ["1", "Sat, Jun 6, 2026", "ok", "l", "1", "1", "1", "1", "1", "1", "1",
                         "1", "1", "1", "1"],
                        ["2", "Sat, Jun 6, 2026", "canción"]])
    data = text.encode("utf-8")
    cut = data.index("ó".encode()) + 1  # cut inside the two-byte "ó"
    p = tmp_path / "xc.csv"
    p.write_bytes(data[:cut])
    parsed = parse_export_file(p, config=config, account="x:1", snapshot_day=SNAP)
    assert len(parsed.tables["post"]) == 1 and parsed.rejects[0].row == 3


def test_latin1_file_without_declaration(tmp_path, config):
    """Excel on Windows saves cp1252; accents in headers and text must survive."""
    header = ["Identificador de la publicación", "Identificador de la página",
              "Hora de publicación", "Descripción", "Alcance", "Reacciones"]
    p = tmp_path / "latin1.csv"
    p.write_bytes(ef.csv_text([header, ["1_2", "9", "13/06/2026 10:00",
                                        "Atención al ciudadano – sedes", "1.500", "3"]],
                              delimiter=";").encode("cp1252"))
    parsed = parse_export_file(p, config=config, snapshot_day=SNAP)
    assert parsed.tables["post"][0]["text"] == "Atención al ciudadano – sedes"
    assert parsed.tables["post_daily"][0]["reach"] == 1500


def test_shuffled_and_extra_columns_give_the_same_rows(tmp_path, config):
    normal = parse_export_file(ef.x_overview_csv(tmp_path / "a.csv"), config=config,
                               account="x:1")
    h = ef.X_OVERVIEW_HEADER
    order = list(reversed(range(len(h))))
    base = [["Sat, Jun 6, 2026", "1,200", "35", "80", "2", "1", "12", "3", "4", "5", "40", "2",
             "300", "90"],
            ["Fri, Jun 5, 2026", "2,450", "50", "120", "0", "2", "7", "1", "6", "9", "55", "1",
             "410", "100"]]
    shuffled = [[h[i] for i in order] + ["Columna nueva"]] + [
        [r[i] for i in order] + ["zzz"] for r in base]
    p = tmp_path / "b.csv"
    p.write_text(ef.csv_text(shuffled), encoding="utf-8")
    other = parse_export_file(p, config=config, account="x:1")

    def strip(rs):
        return [{k: v for k, v in r.items() if not k.startswith("_")} for r in rs]

    assert strip(other.tables["account_daily"]) == strip(normal.tables["account_daily"])
    assert other.header_signature != normal.header_signature


def test_one_scientific_notation_id_rejects_its_row(tmp_path, config):
    h = ef.META_POSTS_HEADER_34
    p = ef.meta_posts_csv(tmp_path / "excel.csv", rows=[
        ef.meta_post_row(h, 1, **{"Post ID": "1.04858E+11"}), ef.meta_post_row(h, 2),
        ef.meta_post_row(h, 3)])
    parsed = parse_export_file(p, config=config)
    assert len(parsed.tables["post"]) == 2
    assert [(x.row, x.field) for x in parsed.rejects] == [(2, "Post ID")]
    assert "scientific notation" in parsed.rejects[0].reason


def test_spreadsheet_mangled_ids_refuse_the_file(tmp_path, config):
    """Excel turned every id into 1.04858E+11: digits are lost, so the whole file is refused."""
    h = ef.META_POSTS_HEADER_34
    p = ef.meta_posts_csv(tmp_path / "excel.csv", rows=[
        ef.meta_post_row(h, i, **{"Post ID": "1.04858E+11", "Page ID": "1.04858E+11"})
        for i in range(1, 4)])
    msg = str(rejected(p, config))
    assert "excel.csv" in msg and "notación científica" in msg and "1.04858E+11" in msg
    assert "Descargue de nuevo" in msg
