"""Quirks seen in real hand-downloaded exports, each reproduced with a small fixture of our own.

One test (or two) per failure class of issue 11: `sep=` naming a tab, dates without a year,
ragged rows, videos without a publish time, legacy Twitter Analytics, columns that used to be
dropped, the new parsers (TikTok content/followers/viewers, Meta audience and videos, YouTube
audience tables) and files mangled by a spreadsheet.
"""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import export_files as ef
import pytest
from export_files import csv_text, rows

from pulso.sources.exports.loader import process_file
from pulso.sources.exports.mapping import ExportRejected, parse_export_file


def _csv(path: Path, table: list[list[object]], encoding: str = "utf-8-sig") -> Path:
    path.write_bytes(csv_text(table).encode(encoding))
    return path


# --- (1) sep= naming a TAB ----------------------------------------------------------------------

def test_sep_line_naming_a_tab(sqlite_warehouse, tmp_path, config):
    text = 'sep=\t\r\n"Facebook reach"\r\n"Date"\t"Primary"\r\n"2025-08-01T00:00:00"\t"1,234"\r\n'
    p = tmp_path / "Reach.csv"
    p.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    r = process_file(sqlite_warehouse, p, config=config, account="facebook:1")
    assert r.status == "processed", r.message
    assert rows(sqlite_warehouse, "SELECT day, reach FROM account_daily") == [
        {"day": date(2025, 8, 1), "reach": 1234}]


# --- (2) dates without a year -------------------------------------------------------------------

TIKTOK_OVERVIEW = ["Date", "Video Views", "Profile Views", "Likes", "Comments", "Shares"]


def test_tiktok_days_without_year_roll_over_and_negative_values(sqlite_warehouse, tmp_path,
                                                                 config):
    p = _csv(tmp_path / "Overview.csv", [
        TIKTOK_OVERVIEW,
        ["December 30", "10", "1", "5", "2", "1"],
        ["December 31", "12", "1", "4", "-1", "0"],  # a removed comment: a correction
        ["January 1", "15", "2", "6", "0", "1"],
    ])
    r = process_file(sqlite_warehouse, p, config=config, account="tiktok:1", year=2025)
    assert r.rows_rejected == 0, r.rejects
    got = rows(sqlite_warehouse,
               "SELECT day, video_views, engagements FROM account_daily ORDER BY day")
    assert got == [{"day": date(2025, 12, 30), "video_views": 10, "engagements": 8},
                   {"day": date(2025, 12, 31), "video_views": 12, "engagements": 3},
                   {"day": date(2026, 1, 1), "video_views": 15, "engagements": 7}]


def test_spanish_days_without_year_take_the_file_name_period(tmp_path, config):
    p = _csv(tmp_path / "Resumen_2026-03-01_2026-03-31.csv", [
        ["Fecha", "Visualizaciones de videos", "Visualizaciones del perfil"],
        ["8 de marzo", "100", "3"], ["9 de marzo", "-2", "1"]])
    parsed = parse_export_file(p, config=config, account="tiktok:1")
    assert [r["day"] for r in parsed.tables["account_daily"]] == [date(2026, 3, 8),
                                                                  date(2026, 3, 9)]
    assert parsed.tables["account_daily"][1]["video_views"] == -2


def test_days_without_year_default_to_the_latest_before_the_export(tmp_path, config):
    p = _csv(tmp_path / "Overview.csv", [TIKTOK_OVERVIEW, ["November 30", "1", "1", "0", "0",
                                                           "0"], ["December 1", "2", "1", "0",
                                                                  "0", "0"]])
    parsed = parse_export_file(p, config=config, account="tiktok:1",
                               file_date=date(2026, 11, 20))
    assert [r["day"] for r in parsed.tables["account_daily"]] == [date(2025, 11, 30),
                                                                  date(2025, 12, 1)]


# --- (3) ragged rows ----------------------------------------------------------------------------

def test_meta_rows_without_trailing_empty_fields_are_padded(sqlite_warehouse, tmp_path, config):
    h = ef.META_POSTS_HEADER_34
    full = ef.meta_post_row(h, 1)
    short = ef.meta_post_row(h, 2)[:27]  # older posts: Meta stops after the last filled field
    p = ef.meta_posts_csv(tmp_path / "Jun-01-2026_Jun-30-2026_1.csv", rows=[full, short])
    r = process_file(sqlite_warehouse, p, config=config)
    assert r.rows_rejected == 0 and r.loaded["post"] == 2


# --- (4) YouTube videos without a publish time --------------------------------------------------

def test_youtube_unlisted_video_without_publish_time(sqlite_warehouse, tmp_path, config):
    p = _csv(tmp_path / "Table data.csv", [
        ["Content", "Video title", "Video publish time", "Views", "Watch time (hours)"],
        ["Total", "", "", "30", "1.5"],
        ["vidPUBLIC01", "Pública", "Mar 15, 2025", "20", "1.0"],
        ["vidUNLIST01", "Oculta", "", "10", "0.5"]], encoding="utf-8")
    r = process_file(sqlite_warehouse, p, config=config, account="youtube:1",
                     snapshot_day=date(2025, 4, 1))
    assert r.rows_rejected == 0
    got = rows(sqlite_warehouse, "SELECT p.post_id, p.published_at IS NULL AS no_time, "
               "d.views, d.watch_minutes FROM post p JOIN post_daily d USING (post_id) "
               "ORDER BY p.post_id")
    assert got == [{"post_id": "youtube:vidPUBLIC01", "no_time": 0, "views": 20,
                    "watch_minutes": 60},
                   {"post_id": "youtube:vidUNLIST01", "no_time": 1, "views": 10,
                    "watch_minutes": 30}]


# --- (5) legacy Twitter Analytics ---------------------------------------------------------------

def test_legacy_tweet_activity(sqlite_warehouse, tmp_path, config):
    p = _csv(tmp_path / "tweet_activity_metrics_cvc_20190101_20190201_en.csv", [
        ["Tweet id", "Tweet permalink", "Tweet text", "time", "impressions", "engagements",
         "retweets", "replies", "likes", "user profile clicks", "url clicks", "follows"],
        ["1090000000000000001", "https://twitter.com/cvc/status/1090000000000000001",
         "Hola", "2019-01-31 20:47 +0000", "500", "20", "3", "1", "9", "2", "4", "1"]],
        encoding="utf-8")
    r = process_file(sqlite_warehouse, p, config=config, account="x:1")
    assert r.kind == "x_content" and r.rows_rejected == 0
    got = rows(sqlite_warehouse, "SELECT p.published_at, p.permalink, d.day, d.views, d.shares, "
               "d.clicks FROM post p JOIN post_daily d USING (post_id)")
    assert got[0]["published_at"].isoformat().startswith("2019-01-31T20:47")
    assert got[0]["permalink"].endswith("/1090000000000000001")
    assert (got[0]["day"], got[0]["views"], got[0]["shares"], got[0]["clicks"]) == (
        date(2019, 2, 1), 500, 3, 4)
    # per-tweet profile clicks and follows have no column: named, not dropped silently
    assert "user profile clicks" in r.message and "follows" in r.message


def test_legacy_daily_metrics_profile_clicks_and_follows(sqlite_warehouse, tmp_path, config):
    p = _csv(tmp_path / "daily_tweet_activity_metrics_cvc_20210801_20210901_en.csv", [
        ["Date", "Tweets published", "impressions", "engagements", "user profile clicks",
         "follows", "media views"],
        ["2021-08-01", "2", "1088", "13", "7", "3", "5"]], encoding="utf-8")
    r = process_file(sqlite_warehouse, p, config=config, account="x:1")
    assert r.kind == "x_account_overview", r.message
    got = rows(sqlite_warehouse, "SELECT views, engagements, profile_visits, followers_gained, "
               "posts_published, video_views FROM account_daily")
    assert got == [{"views": 1088, "engagements": 13, "profile_visits": 7,
                    "followers_gained": 3, "posts_published": 2, "video_views": 5}]


# --- (6) columns no longer dropped --------------------------------------------------------------

def test_x_content_link_is_the_permalink(tmp_path, config):
    p = _csv(tmp_path / "account_analytics_content_2025-01-01_2025-02-01.csv", [
        ["Post id", "Date", "Post text", "Link", "Impressions", "Likes", "Engagements"],
        ["1891", "Mon Feb 17 2025", "Hola", "https://x.com/cvc/status/1891", "70", "3", "3"]],
        encoding="utf-8")
    parsed = parse_export_file(p, config=config, account="x:1")
    assert parsed.tables["post"][0]["permalink"] == "https://x.com/cvc/status/1891"


def test_youtube_totals_subscribers_net_and_watch_time(sqlite_warehouse, tmp_path, config):
    p = _csv(tmp_path / "Totals.csv", [
        ["Date", "Views", "Watch time (hours)", "Subscribers"],
        ["2026-06-01", "700", "2.5", "3"], ["2026-06-02", "650", "1", "-2"]], encoding="utf-8")
    process_file(sqlite_warehouse, p, config=config, account="youtube:1")
    got = rows(sqlite_warehouse, "SELECT day, followers_net, watch_minutes FROM account_daily "
               "ORDER BY day")
    assert got == [{"day": date(2026, 6, 1), "followers_net": 3, "watch_minutes": 150},
                   {"day": date(2026, 6, 2), "followers_net": -2, "watch_minutes": 60}]


def test_tiktok_2025_overview_lost_followers_net_growth_reach(sqlite_warehouse, tmp_path,
                                                             config):
    p = _csv(tmp_path / "tiktok.csv", [
        ["Date", "Video views", "Reached audience", "Profile views", "Likes", "Shares",
         "Comments", "Phone number clicks", "Net growth", "New followers", "Lost followers"],
        ["2025/10/31", "715", "NAN", "25", "26", "4", "7", "0", "8", "10", "2"]])
    r = process_file(sqlite_warehouse, p, config=config, account="tiktok:1")
    got = rows(sqlite_warehouse, "SELECT reach, followers_gained, followers_lost, followers_net "
               "FROM account_daily")
    assert got == [{"reach": None, "followers_gained": 10, "followers_lost": 2,
                    "followers_net": 8}]
    assert "Phone number clicks" in r.message


def test_instagram_link_clicks_metric(sqlite_warehouse, tmp_path, config):
    p = ef.meta_page_metric(tmp_path / "Link clicks.csv", "Instagram link clicks",
                            [("2026-05-25T00:00:00", "4")])
    process_file(sqlite_warehouse, p, config=config, account="instagram:1")
    assert rows(sqlite_warehouse, "SELECT link_clicks FROM account_daily") == [
        {"link_clicks": 4}]


# --- (7) new parsers ----------------------------------------------------------------------------

def test_tiktok_content_csv_with_day_month_post_times(sqlite_warehouse, tmp_path, config):
    p = _csv(tmp_path / "Content.csv", [
        ["Time", "Video title", "Video link", "Post time", "Total likes", "Total comments",
         "Total shares", "Total views"],
        ["February 28", "Subsidios", "https://www.tiktok.com/@cvc/video/7527623000473079054",
         "July 16", "533", "32", "16", "191265"]])
    r = process_file(sqlite_warehouse, p, config=config, account="tiktok:1",
                     snapshot_day=date(2026, 2, 28))
    assert r.kind == "tiktok_content" and r.rows_rejected == 0
    got = rows(sqlite_warehouse, "SELECT p.post_id, p.published_at, d.views, d.reactions "
               "FROM post p JOIN post_daily d USING (post_id)")
    assert got[0]["post_id"] == "tiktok:7527623000473079054"
    assert got[0]["published_at"].date() == date(2025, 7, 16)  # before the export day
    assert (got[0]["views"], got[0]["reactions"]) == (191265, 533)


def test_tiktok_2025_per_video_export(tmp_path, config):
    p = _csv(tmp_path / "TIKTOK_VIDEO.csv", [
        ["Video title", "Video link", "Post time", "Video views", "Likes", "Comments", "Shares",
         "Add to Favorites"],
        ["Plato del día", "https://www.tiktok.com/@cvc/video/7567452112981069079",
         "2025/10/31 18:19:10", "172353", "1774", "42", "413", "180"]])
    parsed = parse_export_file(p, config=config, account="tiktok:1")
    assert parsed.kind == "tiktok_content"
    assert parsed.tables["post_daily"][0]["saves"] == 180


def test_tiktok_follower_history(sqlite_warehouse, tmp_path, config):
    p = _csv(tmp_path / "FollowerHistory.csv", [
        ["Date", "Followers", "Difference in followers from previous day"],
        ["July 8", "undefined", "0"], ["July 9", "3047", "-1"]])
    r = process_file(sqlite_warehouse, p, config=config, account="tiktok:1", year=2025)
    assert r.rows_rejected == 0
    assert rows(sqlite_warehouse, "SELECT day, followers, followers_net FROM account_daily "
                "ORDER BY day") == [
        {"day": date(2025, 7, 8), "followers": None, "followers_net": 0},
        {"day": date(2025, 7, 9), "followers": 3047, "followers_net": -1}]


def test_tiktok_viewers(sqlite_warehouse, tmp_path, config):
    p = _csv(tmp_path / "Viewers.csv", [["Date", "Total Viewers", "New Viewers",
                                         "Returning Viewers"],
                                        ["2026-06-01", "900", "700", "200"]])
    r = process_file(sqlite_warehouse, p, config=config, account="tiktok:1")
    assert r.kind == "tiktok_viewers"
    assert rows(sqlite_warehouse, "SELECT reach FROM account_daily") == [{"reach": 900}]
    assert rows(sqlite_warehouse, "SELECT value, count FROM audience_breakdown "
                "WHERE dimension = 'viewer_type' ORDER BY value") == [
        {"value": "new", "count": 700}, {"value": "returning", "count": 200}]


def test_meta_audience_sections(sqlite_warehouse, tmp_path, config):
    text = ('sep=,\r\n"Edad y sexo"\r\n"","Mujeres","Hombres"\r\n"18-24","10.6","6.5"\r\n\r\n'
            '"Principales países"\r\n"Colombia","Venezuela"\r\n"75.1","5.9"\r\n\r\n'
            '"Principales ciudades"\r\n"Bogotá, Colombia","Soacha, Colombia"\r\n'
            '"13.7","5.7"\r\n')
    p = tmp_path / "Audience.csv"
    p.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    r = process_file(sqlite_warehouse, p, config=config, account="facebook:1",
                     snapshot_day=date(2026, 6, 30))
    assert r.kind == "meta_audience" and r.rows_rejected == 0
    got = {(x["dimension"], x["value"]): round(x["share"], 3) for x in rows(
        sqlite_warehouse, "SELECT dimension, value, share FROM audience_breakdown")}
    assert got == {("age_gender", "18-24|female"): 0.106, ("age_gender", "18-24|male"): 0.065,
                   ("country", "Colombia"): 0.751, ("country", "Venezuela"): 0.059,
                   ("city", "Bogotá, Colombia"): 0.137, ("city", "Soacha, Colombia"): 0.057}


def test_facebook_video_export(tmp_path, config):
    p = _csv(tmp_path / "videos.csv", [
        ["Video ID", "Page ID", "Title", "Publish time", "3-second video views",
         "1-minute video views", "Seconds viewed", "Reactions"],
        ["555", "104857600123", "En vivo", "06/10/2026 09:00", "1200", "300", "6000", "40"]])
    parsed = parse_export_file(p, config=config)
    assert parsed.kind == "facebook_videos"
    d = parsed.tables["post_daily"][0]
    assert (d["post_id"], d["video_views"], d["watch_minutes"], d["reactions"]) == (
        "facebook:555", 1200, 100, 40)
    assert "1-minute video views" in " ".join(parsed.notes)


@pytest.mark.parametrize("header,value,dimension", [
    ("Subscription status", "Not subscribed", "subscription_status"),
    ("Geografía", "Colombia", "country"),
])
def test_youtube_audience_tables(sqlite_warehouse, tmp_path, config, header, value, dimension):
    p = _csv(tmp_path / "Table data.csv", [
        [header, "Views", "Watch time (hours)", "Average view duration"],
        ["Total", "10103", "194.6712", "0:01:10"], [value, "9033", "172.3191", "0:01:09"]],
        encoding="utf-8")
    r = process_file(sqlite_warehouse, p, config=config, account="youtube:1")
    assert r.kind == "youtube_audience"
    got = rows(sqlite_warehouse, "SELECT dimension, value, metric, count FROM "
               "audience_breakdown ORDER BY metric")
    assert got == [{"dimension": dimension, "value": value, "metric": "views", "count": 9033},
                   {"dimension": dimension, "value": value, "metric": "watch_minutes",
                    "count": 10339}]


def test_youtube_zip_with_an_audience_table(sqlite_warehouse, tmp_path, config):
    p = tmp_path / "Audiencia.zip"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("Table data.csv", csv_text([["Viewer age", "Views (%)"],
                                                ["18-24", "40.5"]]))
        zf.writestr("Totals.csv", csv_text([["Date", "Views"], ["2026-06-01", "70"]]))
    r = process_file(sqlite_warehouse, p, config=config, account="youtube:1")
    assert r.kind == "youtube_studio"
    assert rows(sqlite_warehouse, "SELECT dimension, value, share FROM audience_breakdown") == [
        {"dimension": "age", "value": "18-24", "share": pytest.approx(0.405)}]


def test_portuguese_instagram_posts(tmp_path, config):
    p = _csv(tmp_path / "Apr-01-2025_Jun-30-2025_1.csv", [
        ["Identificação da publicação", "Identificação da conta", "Horário de publicação",
         "Link permanente", "Curtidas", "Salvamentos", "Alcance"],
        ["18056", "17841", "04/23/2025 07:48", "https://www.instagram.com/reel/X/", "1217",
         "29", "21543"]])
    parsed = parse_export_file(p, config=config)
    assert parsed.kind == "instagram_posts" and not parsed.rejects
    assert parsed.tables["post"][0]["published_at"].date() == date(2025, 4, 23)


# --- (8) spreadsheet-mangled files --------------------------------------------------------------

def test_each_line_one_quoted_field_is_refused_with_how_to_export(tmp_path, config):
    inner = [ef.INSTAGRAM_HEADER, ["17900000001", "17841400000000", "cvc", "CVC", "Hola", "",
                                   "2026-06-01T14:00:00", "https://instagram.com/p/X1", "IG",
                                   "", "Lifetime", "5", "4", "3", "1", "0", "1", "2"]]
    lines = [csv_text([r]).rstrip("\r\n") for r in inner]
    p = tmp_path / "INSTAGRAM_RAW.csv"
    p.write_bytes(csv_text([[ln] for ln in lines]).encode("utf-8-sig"))
    with pytest.raises(ExportRejected) as info:
        parse_export_file(p, config=config)
    assert info.value.kind == "instagram_posts"
    msg = str(info.value)
    assert "INSTAGRAM_RAW.csv" in msg and "único campo entre comillas" in msg
    assert "Descargue de nuevo" in msg
