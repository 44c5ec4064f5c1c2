"""Each export kind, in its real format and language variants, parsed and loaded."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import export_files as ef
import pytest
from export_files import rows

from pulso.sources.exports.loader import process_file
from pulso.sources.exports.mapping import parse_export_file

SNAP = date(2026, 6, 30)


def test_meta_posts_34_columns_loads_posts_and_snapshots(warehouse, tmp_path, config):
    path = ef.meta_posts_csv(tmp_path / "Jun-01-2026_Jun-30-2026_posts.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    r = process_file(warehouse, path, config=config)
    assert r.status == "processed", r.message
    assert r.kind == "meta_posts"
    assert r.loaded == {"post": 3, "post_daily": 3}
    posts = rows(warehouse, "select * from post order by post_id")
    assert [p["post_id"] for p in posts] == [f"facebook:{ef.PAGE_ID}_100{i}" for i in (1, 2, 3)]
    assert {p["account_id"] for p in posts} == {f"facebook:{ef.PAGE_ID}"}
    assert posts[0]["text"] == "Publicación 1: convocatoria, subsidios\nsegunda línea"
    # "06/11/2026 09:01" in an English export is mm/dd, Bogotá time -> 14:01 UTC
    assert posts[0]["published_at"].replace(tzinfo=UTC) == datetime(2026, 6, 11, 14, 1,
                                                                    tzinfo=UTC)
    daily = rows(warehouse, "select * from post_daily order by post_id")
    assert {d["day"] for d in daily} == {SNAP}  # last date in the file name
    assert (daily[0]["reach"], daily[0]["views"], daily[0]["reactions"], daily[0]["clicks"]) \
        == (801, 1001, 11, 1200)
    assert daily[0]["saves"] is None and daily[0]["video_views"] is None  # not given -> NULL


def test_meta_posts_32_columns_and_spanish_headers(sqlite_warehouse, tmp_path, config):
    header32 = [h for h in ef.META_POSTS_HEADER_34
                if h not in ("Data comment", "Estimated earnings (USD)")]
    assert len(header32) == 32
    p32 = ef.meta_posts_csv(tmp_path / "a32.csv", header=header32)
    assert process_file(sqlite_warehouse, p32, config=config,
                        snapshot_day=SNAP).loaded == {"post": 3, "post_daily": 3}
    es = ["Identificador de la publicación", "Identificador de la página",
          "Nombre de la página", "Descripción", "Hora de publicación", "Enlace permanente",
          "Tipo de publicación", "Visualizaciones", "Alcance", "Reacciones", "Comentarios",
          "Veces que se compartió", "Clics totales"]
    body = [["999_1", "555", "Página", "Hola", "13/06/2026 08:00", "https://fb/1", "Fotos",
             "1.200", "900", "15", "3", "1", "2"]]
    p_es = tmp_path / "es.csv"
    p_es.write_bytes(ef.csv_text([es, *body], delimiter=";").encode("utf-8-sig"))
    parsed = parse_export_file(p_es, config=config, snapshot_day=SNAP)
    assert (parsed.kind, parsed.language) == ("meta_posts", "es")
    post = parsed.tables["post"][0]
    assert post["account_id"] == "facebook:555"
    assert post["published_at"] == datetime(2026, 6, 13, 13, 0, tzinfo=UTC)
    assert parsed.tables["post_daily"][0]["views"] == 1200


@pytest.mark.parametrize("bom", [True, False])
def test_meta_page_metric_utf16(sqlite_warehouse, tmp_path, config, bom):
    path = ef.meta_page_metric(tmp_path / "alcance.csv", "Reach",
                               [("2025-08-01T00:00:00", "1234"), ("2025-08-02T00:00:00", "1,500")],
                               bom=bom)
    assert path.read_bytes()[:12 if bom else 10].replace(b"\xff\xfe", b"")[:2] == b"s\x00"
    r = process_file(sqlite_warehouse, path, config=config, account="CajaViviendaComunitaria")
    assert r.status == "processed", r.message
    got = rows(sqlite_warehouse, "select account_id, day, reach, views from account_daily "
               "order by day")
    assert got == [
        {"account_id": "facebook:104857600123", "day": date(2025, 8, 1), "reach": 1234,
         "views": None},
        {"account_id": "facebook:104857600123", "day": date(2025, 8, 2), "reach": 1500,
         "views": None},
    ]


def test_meta_page_metric_big_endian_spanish_metric(tmp_path, config):
    path = ef.meta_page_metric(tmp_path / "seg.csv", "Seguidores de Facebook",
                               [("2025-08-01T00:00:00", "20.100")], encoding="utf-16-be")
    parsed = parse_export_file(path, config=config, account="facebook:104857600123")
    assert parsed.tables["account_daily"][0]["followers"] == 20100


def test_instagram_posts(sqlite_warehouse, tmp_path, config):
    r = process_file(sqlite_warehouse, ef.instagram_posts_csv(tmp_path / "ig.csv"),
                     config=config, snapshot_day=SNAP)
    assert (r.kind, r.loaded) == ("instagram_posts", {"post": 3, "post_daily": 3})
    d = rows(sqlite_warehouse, "select * from post_daily where post_id='instagram:17900000002'")
    assert (d[0]["reactions"], d[0]["saves"], d[0]["reach"], d[0]["views"]) == (60, 4, 800, 1000)
    p = rows(sqlite_warehouse, "select account_id from post")
    assert {x["account_id"] for x in p} == {"instagram:17841400000000"}


def test_x_overview_thousands(sqlite_warehouse, tmp_path, config):
    r = process_file(sqlite_warehouse, ef.x_overview_csv(tmp_path / "x.csv"), config=config,
                     account="CVCBogota")
    assert (r.kind, r.loaded) == ("x_account_overview", {"account_daily": 2})
    got = rows(sqlite_warehouse, "select * from account_daily order by day")
    assert [(g["day"], g["views"], g["engagements"], g["followers_gained"],
             g["followers_lost"], g["profile_visits"]) for g in got] == [
        (date(2026, 6, 5), 2450, 120, 7, 1, 55), (date(2026, 6, 6), 1200, 80, 12, 3, 40)]
    assert got[0]["account_id"] == "x:1200000000000000000"
    assert got[0]["reach"] is None  # X gives no reach: NULL, never 0


def test_x_content(tmp_path, config):
    parsed = parse_export_file(ef.x_content_csv(tmp_path / "c.csv"), config=config,
                               account="x:1200000000000000000", snapshot_day=SNAP)
    assert parsed.kind == "x_content"
    d = parsed.tables["post_daily"][0]
    assert (d["post_id"], d["views"], d["reactions"], d["shares"], d["saves"], d["clicks"]) == (
        "x:1931000000000000001", 1500, 20, 6, 3, 5)


def test_youtube_studio_zip_drops_total_row(sqlite_warehouse, tmp_path, config):
    r = process_file(sqlite_warehouse, ef.youtube_zip(tmp_path / "yt.zip"), config=config,
                     account="CVCBogotaTV", snapshot_day=SNAP)
    assert r.kind == "youtube_studio"
    assert r.loaded == {"account_daily": 2, "post": 2, "post_daily": 2}
    ids = [x["post_id"] for x in rows(sqlite_warehouse, "select post_id from post order by 1")]
    assert ids == ["youtube:vidAAAAAAA1", "youtube:vidAAAAAAA2"]  # no "youtube:Total"
    d = rows(sqlite_warehouse, "select views, reactions from post_daily order by post_id")
    assert d == [{"views": 1000, "reactions": 50}, {"views": 500, "reactions": 20}]
    a = rows(sqlite_warehouse, "select day, views, followers_gained, followers_lost "
             "from account_daily order by day")
    assert a[0] == {"day": date(2026, 6, 1), "views": 700, "followers_gained": 9,
                    "followers_lost": 1}


def test_tiktok_english_compact_numbers(tmp_path, config):
    parsed = parse_export_file(ef.tiktok_en_csv(tmp_path / "tt.csv"), config=config,
                               account="tiktok:7000000000000000000")
    r1, r2 = parsed.tables["account_daily"]
    assert (r1["video_views"], r1["profile_visits"], r1["engagements"]) == (1200, 85, 319)
    assert (r2["video_views"], r2["profile_visits"], r2["engagements"]) == (3_000_000, 1100,
                                                                            2540)


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252", "utf-16"])
def test_tiktok_spanish_any_encoding(tmp_path, config, encoding):
    parsed = parse_export_file(ef.tiktok_es_csv(tmp_path / "tt.csv", encoding=encoding),
                               config=config, account="cvc.bogota")
    assert (parsed.kind, parsed.language) == ("tiktok_studio", "es")
    r1, r2 = parsed.tables["account_daily"]
    assert r1["account_id"] == "tiktok:7000000000000000000"
    assert (r1["day"], r1["video_views"], r1["engagements"]) == (date(2026, 6, 6), 1200, 1319)
    assert (r2["day"], r2["video_views"], r2["engagements"]) == (date(2026, 6, 7), 2500, 1503)


def test_linkedin_followers_xlsx_with_title_row(sqlite_warehouse, tmp_path, config):
    path = ef.xlsx(tmp_path / "followers.xlsx", [
        ef.LI_FOLLOWERS_HEADER,
        [datetime(2026, 6, 1), 1, 5, 0, 6],
        [46175, 0, 3, 1, 4],  # Excel serial for 2026-06-02 in a number cell
    ], title="New followers (aggregated)")
    r = process_file(sqlite_warehouse, path, config=config, account="linkedin:90000001")
    assert (r.kind, r.loaded) == ("linkedin_followers", {"account_daily": 2})
    got = rows(sqlite_warehouse, "select day, followers_gained, followers_lost "
               "from account_daily order by day")
    assert got == [{"day": date(2026, 6, 1), "followers_gained": 6, "followers_lost": None},
                   {"day": date(2026, 6, 2), "followers_gained": 4, "followers_lost": None}]


def test_linkedin_content_xlsx_prefers_total_columns(tmp_path, config):
    path = ef.xlsx(tmp_path / "content.xlsx", [
        ef.LI_CONTENT_HEADER,
        ["06/13/2026", 100, 5, 105, 80, 3, 1, 4, 2, 2, 1, 0, 0.05]])
    parsed = parse_export_file(path, config=config, account="caja-vivienda-comunitaria")
    row = parsed.tables["account_daily"][0]
    assert (row["day"], row["views"], row["reach"], row["engagements"]) == (
        date(2026, 6, 13), 105, 80, 4 + 2 + 1 + 0)


def test_linkedin_visitors_xls(sqlite_warehouse, tmp_path, config):
    path = ef.xls(tmp_path / "visitors.xls", [
        ef.LI_VISITORS_HEADER, [datetime(2026, 6, 1), 1, 2, 3, 2, 4, 5, 9, 7]],
        title="Visitor metrics")
    assert path.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    r = process_file(sqlite_warehouse, path, config=config, account="90000001")
    assert (r.kind, r.loaded) == ("linkedin_visitors", {"account_daily": 1})
    got = rows(sqlite_warehouse, "select account_id, day, profile_visits from account_daily")
    assert got == [{"account_id": "linkedin:90000001", "day": date(2026, 6, 1),
                    "profile_visits": 9}]


def test_linkedin_spanish_xlsx(tmp_path, config):
    path = ef.xlsx(tmp_path / "seguidores.xlsx", [
        ["Fecha", "Seguidores patrocinados", "Seguidores orgánicos", "Total de seguidores"],
        ["13/06/2026", 0, 4, 4], ["01/06/2026", 1, 2, 3]])
    parsed = parse_export_file(path, config=config, account="linkedin:90000001")
    assert [r["day"] for r in parsed.tables["account_daily"]] == [date(2026, 6, 13),
                                                                  date(2026, 6, 1)]


def test_renamed_xlsx_detected_by_content(tmp_path, config):
    """An XLSX saved with a .csv name is still read as a spreadsheet."""
    src = ef.xlsx(tmp_path / "v.xlsx", [ef.LI_VISITORS_HEADER, ["2026-06-01", 1, 2, 3, 2, 4, 5,
                                                                  9, 7]])
    renamed = tmp_path / "visitors.csv"
    shutil.copy(src, renamed)
    parsed = parse_export_file(Path(renamed), config=config, account="linkedin:90000001")
    assert parsed.kind == "linkedin_visitors"
