"""The inbox: load once, file under processed/ or rejected/, re-issued exports replace."""

from __future__ import annotations

import os
import shutil
from datetime import date

import export_files as ef
from export_files import rows

from pulso.sources.exports.inbox import process_inbox
from pulso.sources.exports.loader import process_file

FB = "facebook:104857600123"


def test_inbox_moves_files_and_records_them(warehouse, tmp_path, config):
    inbox = tmp_path / "inbox"
    (inbox / FB).mkdir(parents=True)
    (inbox / "tiktok:7000000000000000000").mkdir()
    good = ef.meta_page_metric(inbox / FB / "alcance.csv", "Reach",
                               [("2025-08-01T00:00:00", "10")])
    posts = ef.meta_posts_csv(inbox / "Jun-01-2026_Jun-30-2026.csv")  # Page ID column: no folder
    bad = inbox / "tiktok:7000000000000000000" / "roto.csv"
    bad.write_bytes(b"\x00\x01\x02garbage" * 50)
    (inbox / FB / "~$abierto.xlsx").write_bytes(b"lock")  # Excel lock file: left alone
    results = process_inbox(warehouse, config, inbox)
    by_name = {r.path.name: r for r in results}
    assert set(by_name) == {"alcance.csv", "Jun-01-2026_Jun-30-2026.csv", "roto.csv"}
    assert by_name["alcance.csv"].moved_to == inbox / "processed" / FB / "alcance.csv"
    assert by_name["roto.csv"].moved_to == (inbox / "rejected" / "tiktok:7000000000000000000"
                                            / "roto.csv")
    assert (inbox / "processed" / "Jun-01-2026_Jun-30-2026.csv").exists()
    assert not good.exists() and not posts.exists() and not bad.exists()
    assert (inbox / FB / "~$abierto.xlsx").exists()
    sf = {s["name"]: s for s in rows(warehouse, "select * from source_file")}
    assert sf["alcance.csv"]["status"] == "processed"
    assert sf["alcance.csv"]["account_id"] == FB
    assert (sf["alcance.csv"]["period_start"], sf["alcance.csv"]["period_end"]) == (
        date(2025, 8, 1), date(2025, 8, 1))
    assert sf["alcance.csv"]["header_signature"] and len(sf["alcance.csv"]["sha256"]) == 64
    assert sf["Jun-01-2026_Jun-30-2026.csv"]["rows_loaded"] == 6
    assert sf["roto.csv"]["status"] == "rejected" and "binary" in sf["roto.csv"]["message"]
    # a second run finds nothing new
    assert process_inbox(warehouse, config, inbox) == []


def test_same_file_again_is_skipped_not_reloaded(sqlite_warehouse, tmp_path, config):
    inbox = tmp_path / "inbox"
    (inbox / FB).mkdir(parents=True)
    src = ef.meta_page_metric(tmp_path / "alcance.csv", "Reach", [("2025-08-01T00:00:00", "10")])
    shutil.copy(src, inbox / FB / "alcance.csv")
    [first] = process_inbox(sqlite_warehouse, config, inbox)
    assert first.status == "processed"
    with sqlite_warehouse.begin() as conn:  # a later correction made by hand must survive
        conn.exec_driver_sql("update account_daily set reach = 11")
    shutil.copy(src, inbox / FB / "alcance.csv")
    [again] = process_inbox(sqlite_warehouse, config, inbox)
    assert again.status == "skipped" and again.sha256 == first.sha256
    assert again.moved_to.parent == inbox / "processed" / FB
    assert again.moved_to.name != "alcance.csv"  # the first copy is kept too
    assert rows(sqlite_warehouse, "select reach from account_daily") == [{"reach": 11}]
    assert len(rows(sqlite_warehouse, "select * from source_file")) == 1


def test_reissued_export_replaces_not_duplicates(warehouse, tmp_path, config):
    name = "Jun-01-2026_Jun-30-2026.csv"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = ef.meta_posts_csv(tmp_path / "a" / name)
    h = ef.META_POSTS_HEADER_34
    second = ef.meta_posts_csv(tmp_path / "b" / name, rows=[
        ef.meta_post_row(h, i, Reach=str(5000 + i)) for i in (1, 2, 3)])
    assert process_file(warehouse, first, config=config).status == "processed"
    assert process_file(warehouse, second, config=config).status == "processed"
    got = rows(warehouse, "select post_id, day, reach from post_daily order by post_id")
    assert [(g["day"], g["reach"]) for g in got] == [(date(2026, 6, 30), 5001),
                                                     (date(2026, 6, 30), 5002),
                                                     (date(2026, 6, 30), 5003)]
    assert len(rows(warehouse, "select * from post")) == 3
    assert len(rows(warehouse, "select * from source_file")) == 2  # both files on record


def test_page_metric_files_fill_only_their_metric(warehouse, tmp_path, config):
    """Each Meta page file holds one metric: loading one must not wipe the others."""
    days = [("2025-08-01T00:00:00", "100"), ("2025-08-02T00:00:00", "200")]
    ef.meta_page_metric(tmp_path / "reach.csv", "Reach", days)
    ef.meta_page_metric(tmp_path / "views.csv", "Views", [(d, v + "0") for d, v in days])
    ef.meta_page_metric(tmp_path / "follows.csv", "New follows", [(days[0][0], "7")])
    for f in ("reach.csv", "views.csv", "follows.csv"):
        r = process_file(warehouse, tmp_path / f, config=config, account=FB)
        assert r.status == "processed", r.message
    got = rows(warehouse, "select day, reach, views, followers_gained, source "
               "from account_daily order by day")
    assert [(g["reach"], g["views"], g["followers_gained"]) for g in got] == [
        (100, 1000, 7), (200, 2000, None)]
    # a re-issued reach file corrects reach and still leaves views alone
    ef.meta_page_metric(tmp_path / "reach2.csv", "Reach", [(days[0][0], "150")])
    process_file(warehouse, tmp_path / "reach2.csv", config=config, account=FB)
    got = rows(warehouse, "select reach, views, followers_gained from account_daily "
               "order by day")
    assert got[0] == {"reach": 150, "views": 1000, "followers_gained": 7}


def test_export_keeps_columns_it_does_not_have(sqlite_warehouse, tmp_path, config):
    """A posts export has no campaign or saves: values loaded earlier stay."""
    path = ef.meta_posts_csv(tmp_path / "Jun-01-2026_Jun-30-2026.csv")
    process_file(sqlite_warehouse, path, config=config)
    with sqlite_warehouse.begin() as conn:
        conn.exec_driver_sql("update post set campaign = 'Vivienda digna'")
        conn.exec_driver_sql("update post_daily set saves = 9")
    os.utime(path)
    process_file(sqlite_warehouse, path, config=config, skip_known=False)
    assert {r["campaign"] for r in rows(sqlite_warehouse, "select campaign from post")} == {
        "Vivienda digna"}
    assert {r["saves"] for r in rows(sqlite_warehouse, "select saves from post_daily")} == {9}


def test_all_rows_bad_file_goes_to_rejected(sqlite_warehouse, tmp_path, config):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    h = ef.META_POSTS_HEADER_34
    ef.meta_posts_csv(inbox / "malo.csv", rows=[ef.meta_post_row(h, 1, Reach="x"),
                                                ef.meta_post_row(h, 2, Reach="y")])
    [r] = process_inbox(sqlite_warehouse, config, inbox)
    assert r.status == "rejected" and r.rows_rejected == 2
    assert (inbox / "rejected" / "malo.csv").exists()
    assert len(rows(sqlite_warehouse, "select * from load_reject")) == 2
