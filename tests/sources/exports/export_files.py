"""Writers for small export files shaped like the networks' manual exports (EN and ES)."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import text

META_POSTS_HEADER_34 = [
    "Post ID", "Page ID", "Page name", "Title", "Description", "Duration (sec)", "Publish time",
    "Caption type", "Permalink", "Is crosspost", "Is share", "Post type", "Languages",
    "Custom labels", "Funded content status", "Data comment", "Date", "Views", "Reach",
    "Reactions", "Comments", "Shares", "Total clicks", "Link clicks", "Other Clicks",
    "Matched Audience Targeting Consumption (Photo Click)",
    "Negative feedback from users: Hide all", "Seconds viewed", "Average Seconds viewed",
    "Estimated earnings (USD)", "Ad CPM (USD)", "Ad impressions", "3-second video views",
    "Reactions, Comments and Shares",
]
PAGE_ID = "104857600123"


def csv_text(rows: list[list[object]], delimiter: str = ",") -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    for r in rows:
        w.writerow(r)
    return buf.getvalue()


def meta_post_row(header: list[str], i: int, **over: object) -> list[object]:
    base: dict[str, object] = {
        "Post ID": f"{PAGE_ID}_{1000 + i}", "Page ID": PAGE_ID,
        "Page name": "Caja de Vivienda Comunitaria", "Title": "",
        "Description": f"Publicación {i}: convocatoria, subsidios\nsegunda línea",
        "Publish time": f"06/{10 + i:02d}/2026 09:{i % 60:02d}",
        "Permalink": f"https://www.facebook.com/{PAGE_ID}/posts/{1000 + i}",
        "Post type": "Photos", "Date": "Lifetime", "Views": f"{1000 + i}",
        "Reach": f"{800 + i}", "Reactions": f"{10 + i}", "Comments": f"{i}", "Shares": "2",
        "Total clicks": "1,200", "3-second video views": "",
    }
    base.update(over)
    return [base.get(h, "") for h in header]


def meta_posts_csv(path: Path, n: int = 3, header: list[str] | None = None,
                   rows: list[list[object]] | None = None) -> Path:
    """UTF-8 with BOM, like Meta Business Suite."""
    header = header or META_POSTS_HEADER_34
    body = rows if rows is not None else [meta_post_row(header, i) for i in range(1, n + 1)]
    path.write_bytes(csv_text([header, *body]).encode("utf-8-sig"))
    return path


def meta_page_metric(path: Path, metric: str, values: list[tuple[str, str]], *,
                     bom: bool = True, encoding: str = "utf-16-le") -> Path:
    """UTF-16LE, line 1 `sep=,`, line 2 the metric name, line 3 "Date","Primary"."""
    lines = ["sep=,", f'"{metric}"', '"Date","Primary"']
    lines += [f'"{d}","{v}"' for d, v in values]
    text = "\r\n".join(lines) + "\r\n"
    prefix = b"\xff\xfe" if bom and encoding == "utf-16-le" else (
        b"\xfe\xff" if bom else b"")
    path.write_bytes(prefix + text.encode(encoding))
    return path


INSTAGRAM_HEADER = ["Post ID", "Account ID", "Account username", "Account name", "Description",
                    "Duration (sec)", "Publish time", "Permalink", "Post type", "Data comment",
                    "Date", "Views", "Reach", "Likes", "Shares", "Follows", "Comments", "Saves"]


def instagram_posts_csv(path: Path) -> Path:
    rows = [INSTAGRAM_HEADER]
    for i in range(1, 4):
        rows.append([f"1790000000{i}", "17841400000000", "cvc.bogota", "CVC Bogotá",
                     f"Foto {i} #Bogotá", "", f"2026-06-0{i}T14:00:00", f"https://instagram.com/p/X{i}",
                     "IG image", "", "Lifetime", f"{500 * i}", f"{400 * i}", f"{30 * i}", "1",
                     "0", f"{i}", f"{i * 2}"])
    path.write_bytes(csv_text(rows).encode("utf-8-sig"))
    return path


X_OVERVIEW_HEADER = ["Date", "Impressions", "Likes", "Engagements", "Bookmarks", "Shares",
                     "New follows", "Unfollows", "Replies", "Reposts", "Profile visits",
                     "Create Post", "Video views", "Media views"]


def x_overview_csv(path: Path, rows: list[list[object]] | None = None) -> Path:
    rows = rows or [
        ["Sat, Jun 6, 2026", "1,200", "35", "80", "2", "1", "12", "3", "4", "5", "40", "2",
         "300", "90"],
        ["Fri, Jun 5, 2026", "2,450", "50", "120", "0", "2", "7", "1", "6", "9", "55", "1",
         "410", "100"],
    ]
    path.write_text(csv_text([X_OVERVIEW_HEADER, *rows]), encoding="utf-8")
    return path


X_CONTENT_HEADER = ["Post id", "Date", "Post text", "Post Link", "Impressions", "Likes",
                    "Engagements", "Bookmarks", "Shares", "New follows", "Replies", "Reposts",
                    "Profile visits", "Detail Expands", "URL Clicks"]


def x_content_csv(path: Path) -> Path:
    rows = [X_CONTENT_HEADER,
            ["1931000000000000001", "Sat, Jun 6, 2026", "Abrimos convocatoria",
             "https://x.com/CVCBogota/status/1931000000000000001", "1,500", "20", "60", "3",
             "1", "2", "4", "6", "10", "12", "5"],
            ["1931000000000000002", "Fri, Jun 5, 2026", "Horario de atención",
             "https://x.com/CVCBogota/status/1931000000000000002", "800", "8", "20", "0", "0",
             "0", "1", "2", "3", "4", "1"]]
    path.write_text(csv_text(rows), encoding="utf-8")
    return path


def youtube_zip(path: Path) -> Path:
    table = csv_text([
        ["Content", "Video title", "Video publish time", "Duration", "Views",
         "Watch time (hours)", "Subscribers", "Impressions",
         "Impressions click-through rate (%)", "Likes", "Comments added", "Shares"],
        ["Total", "", "", "", "1500", "40.5", "12", "20000", "4.1", "70", "9", "5"],
        ["vidAAAAAAA1", "Rendición de cuentas 2026", "Jun 2, 2026", "600", "1000", "30.2",
         "8", "15000", "4.5", "50", "6", "3"],
        ["vidAAAAAAA2", "Subsidios de vivienda", "May 20, 2026", "300", "500", "10.3", "4",
         "5000", "3.2", "20", "3", "2"],
    ])
    chart = csv_text([
        ["Date", "Content", "Video title", "Video publish time", "Views"],
        ["2026-06-01", "vidAAAAAAA1", "Rendición de cuentas 2026", "Jun 2, 2026", "0"],
    ])
    totals = csv_text([
        ["Date", "Views", "Subscribers gained", "Subscribers lost"],
        ["2026-06-01", "700", "9", "1"],
        ["2026-06-02", "800", "5", "2"],
    ])
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("Table data.csv", table.encode("utf-8"))
        zf.writestr("Chart data.csv", chart.encode("utf-8"))
        zf.writestr("Totals.csv", totals.encode("utf-8"))
    return path


def tiktok_en_csv(path: Path) -> Path:
    rows = [["Date", "Video views", "Profile views", "Likes", "Comments", "Shares"],
            ["2026-06-01", "1.2K", "85", "300", "12", "7"],
            ["2026-06-02", "3M", "1,1K", "2.5K", "40", "—"]]
    path.write_text(csv_text(rows), encoding="utf-8")
    return path


def tiktok_es_csv(path: Path, encoding: str = "utf-8") -> Path:
    rows = [["Fecha", "Visualizaciones totales", "Visualizaciones del perfil",
             "Me gusta totales", "Comentarios totales", "Veces compartido"],
            ["6 jun. 2026", "1,2 mil", "85", "1.300", "12", "7"],
            ["7 de junio de 2026", "2.500", "90", "1,5 mil", "", "3"]]
    path.write_bytes(csv_text(rows, delimiter=";").encode(encoding))
    return path


def xlsx(path: Path, rows: list[list[object]], title: str | None = None,
         sheet: str = "Sheet1") -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    if title:
        ws.append([title])
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def xls(path: Path, rows: list[list[object]], title: str | None = None) -> Path:
    import xlwt

    wb = xlwt.Workbook()
    ws = wb.add_sheet("Visitor metrics")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    r0 = 0
    if title:
        ws.write(0, 0, title)
        r0 = 1
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            if isinstance(v, datetime):
                ws.write(r0 + i, j, v, date_style)
            else:
                ws.write(r0 + i, j, v)
    wb.save(str(path))
    return path


LI_FOLLOWERS_HEADER = ["Date", "Sponsored followers", "Organic followers",
                       "Auto-invited followers", "Total followers"]
LI_CONTENT_HEADER = ["Date", "Impressions (organic)", "Impressions (sponsored)",
                     "Impressions (total)", "Unique impressions (organic)", "Clicks (organic)",
                     "Clicks (sponsored)", "Clicks (total)", "Reactions (organic)",
                     "Reactions (total)", "Comments (total)", "Reposts (total)",
                     "Engagement rate (total)"]
LI_VISITORS_HEADER = ["Date", "Overview page views (desktop)", "Overview page views (mobile)",
                      "Overview page views (total)", "Overview unique visitors (total)",
                      "Total page views (desktop)", "Total page views (mobile)",
                      "Total page views (total)", "Total unique visitors (total)"]


def _typed(k: str, v: object) -> object:
    """SQLite hands raw SQL dates back as text; compare typed values on both back ends."""
    if isinstance(v, str) and k in ("day", "period_start", "period_end"):
        return date.fromisoformat(v)
    if isinstance(v, str) and k.endswith("_at"):
        return datetime.fromisoformat(v)
    return v


def rows(engine, sql: str) -> list[dict]:
    with engine.connect() as conn:
        return [{k: _typed(k, v) for k, v in r.items()}
                for r in conn.execute(text(sql)).mappings()]
