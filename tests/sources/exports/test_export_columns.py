"""Per-post exports mapped column by column: rejects, notes and rows as row-by-row mapping."""

from __future__ import annotations

from datetime import UTC, date, datetime

import export_files as ef

from pulso.sources.exports.mapping import parse_export_file
from pulso.warehouse.validate import ColumnRows

SNAP = date(2026, 6, 30)
H = ef.META_POSTS_HEADER_34


def test_a_row_is_rejected_at_its_first_bad_column_in_reading_order(tmp_path, config):
    p = ef.meta_posts_csv(tmp_path / "posts.csv", rows=[
        ef.meta_post_row(H, 1, **{"Post ID": "", "Reach": "abc"}),           # id before reach
        ef.meta_post_row(H, 2, **{"Publish time": "ayer", "Reach": "abc"}),   # time before reach
        ef.meta_post_row(H, 3, **{"Reach": "abc", "Views": "1.5"}),           # reach before views
        ef.meta_post_row(H, 4, **{"Seconds viewed": "mucho"}),                # read last
        ef.meta_post_row(H, 5),
    ])
    parsed = parse_export_file(p, config=config, snapshot_day=SNAP)
    assert [(r.row, r.field) for r in parsed.rejects] == [
        (2, "Post ID"), (4, "Publish time"), (6, "Reach"), (8, "Seconds viewed")]
    assert parsed.rejects[0].reason == "id is empty"
    assert parsed.rejects[1].reason.startswith("not a date")
    assert [r["_row"] for r in parsed.tables["post"]] == [10]  # two lines per post
    assert parsed.account_ids == {f"facebook:{ef.PAGE_ID}"}


def test_rows_keep_the_row_mapper_shape(tmp_path, config):
    p = ef.meta_posts_csv(tmp_path / "posts.csv", rows=[
        ef.meta_post_row(H, 1, **{"Views": "12,345", "Seconds viewed": "150",
                                  "Description": " ", "Title": "Solo título"})])
    parsed = parse_export_file(p, config=config, snapshot_day=SNAP)
    post, daily = parsed.tables["post"][0], parsed.tables["post_daily"][0]
    assert list(post) == ["post_id", "account_id", "source", "_row", "published_at", "kind",
                          "permalink", "text", "_file"]
    assert post["text"] == "Solo título"  # an empty description falls back to the title
    assert post["published_at"] == datetime(2026, 6, 11, 14, 1, tzinfo=UTC)  # Bogotá -> UTC
    assert list(daily)[:4] == ["post_id", "day", "source", "_row"]
    assert (daily["views"], daily["watch_minutes"], daily["day"]) == (12345, 2, SNAP)
    assert "video_views" in daily and daily["video_views"] is None  # empty cell: NULL, not 0


def test_title_is_named_unused_only_when_never_read(tmp_path, config):
    with_desc = parse_export_file(ef.meta_posts_csv(tmp_path / "a.csv", n=6), config=config,
                                  snapshot_day=SNAP)
    assert "Title" in with_desc.unused_columns
    rows = [ef.meta_post_row(H, i) for i in range(1, 7)]
    rows[2] = ef.meta_post_row(H, 3, Description="")  # the mapper then reads the title
    no_desc = parse_export_file(ef.meta_posts_csv(tmp_path / "b.csv", rows=rows),
                                config=config, snapshot_day=SNAP)
    assert "Title" not in no_desc.unused_columns
    assert "Seconds viewed" not in no_desc.unused_columns


def test_cut_last_line_is_rejected_before_any_column_is_read(tmp_path, config):
    """A cut last row needs no account: no --account, yet the file still loads."""
    text = ef.csv_text([H] + [ef.meta_post_row(H, i) for i in (1, 2)]).rstrip("\r\n")
    p = tmp_path / "cortado.csv"
    p.write_bytes(text[: text.rindex(ef.PAGE_ID)].encode("utf-8-sig"))  # cut in the last row
    parsed = parse_export_file(p, config=config, snapshot_day=SNAP)
    assert [(r.row, r.field) for r in parsed.rejects] == [(4, "(row)")]
    assert len(parsed.tables["post"]) == 1


def test_tables_are_column_rows_that_act_as_lists(tmp_path, config):
    parsed = parse_export_file(ef.meta_posts_csv(tmp_path / "posts.csv", n=3), config=config,
                               snapshot_day=SNAP)
    posts = parsed.tables["post"]
    assert isinstance(posts, ColumnRows) and posts.columns is not None
    assert parsed.period == (SNAP, SNAP) and posts.columns is not None  # read column-wise
    assert len(posts) == 3 and posts[0]["_row"] == 2 and [r["_row"] for r in posts] == [2, 4, 6]
    assert posts.columns is None  # handed out as rows: the dicts are now the truth
    posts[0]["text"] = "cambiado"
    assert posts[0]["text"] == "cambiado"
    assert posts == list(posts)
