"""Rendering helpers of the sentiment and PQRS reports: es-CO formats, Excel, charts, PDF.

Stopgap written while the shared report infrastructure (fmt.py, excel.py, charts.py, pdf.py)
was not available; small on purpose so the two builders can move to the shared helpers
without changing their tables. Heavy libraries are imported inside the functions.
"""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pulso.paths import TEMPLATES_DIR

EXCEL_MAX_ROWS = 1_048_576
PALETTE = {"positive": "#2E8B57", "neutral": "#9AA5B1", "negative": "#C0392B",
           "primary": "#1F4E79", "accent": "#E67E22", "grey": "#6B7280"}
SERIES = ["#1F4E79", "#E67E22", "#2E8B57", "#C0392B", "#8E44AD", "#16A085", "#7F8C8D"]
HEADER_FILL = "1F4E79"
WIDTHS = {"Texto": 70, "Enlace": 40, "ID mensaje": 26, "ID caso": 24, "Fecha": 17,
          "Término": 24, "Tema": 30, "Semana": 16, "Sentimiento": 14, "Motivo": 40,
          "Indicador": 60, "Valor": 40, "Etapa": 48}


# ------------------------------------------------------------------------------------------
# es-CO formats
# ------------------------------------------------------------------------------------------


def _missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or str(v) == "NaT"


def num(v: Any, decimals: int = 0) -> str:
    """12.345 / 12.345,6 (es-CO); '—' for missing values."""
    if _missing(v):
        return "—"
    if isinstance(v, str):
        return v
    s = f"{float(v):,.{decimals}f}" if decimals else f"{round(float(v)):,}"
    return s.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def pct(v: Any, decimals: int = 1) -> str:
    """A 0..1 share as '12,3 %'; '—' when missing."""
    if _missing(v):
        return "—"
    return f"{num(float(v) * 100, decimals)} %"


def signed_pct(v: Any) -> str:
    if _missing(v):
        return "—"
    return ("+" if v > 0 else "") + pct(v)


def day(v: Any) -> str:
    if _missing(v) or v is None or str(v) == "NaT":
        return ""
    if isinstance(v, datetime | date):
        return v.strftime("%d/%m/%Y")
    try:
        import pandas as pd

        if pd.isna(v):
            return ""
        return pd.Timestamp(v).strftime("%d/%m/%Y")
    except (TypeError, ValueError):
        return str(v)


def day_time(v: Any) -> str:
    try:
        import pandas as pd

        if v is None or pd.isna(v):
            return ""
        return pd.Timestamp(v).strftime("%d/%m/%Y %H:%M")
    except (TypeError, ValueError):
        return str(v)


# ------------------------------------------------------------------------------------------
# Excel
# ------------------------------------------------------------------------------------------


def _excel_value(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    try:
        import pandas as pd

        if v is pd.NaT:
            return None
        if isinstance(v, pd.Timestamp):
            return v.to_pydatetime().replace(tzinfo=None)
    except ImportError:  # pragma: no cover
        pass
    if hasattr(v, "item") and not isinstance(v, str | bytes):  # numpy scalars
        return v.item()
    return v


def _formats(df) -> dict[str, str]:
    """Number formats by column name: shares as %, dates dd/mm/yyyy, counts #,##0."""
    import pandas as pd

    out = {}
    for c in df.columns:
        s = df[c]
        name = str(c)
        if name.startswith("%") or name.startswith("Variación"):
            out[name] = "0.0%"
        elif pd.api.types.is_datetime64_any_dtype(s):
            out[name] = "dd/mm/yyyy hh:mm" if (s.dropna().dt.hour != 0).any() \
                or (s.dropna().dt.minute != 0).any() else "dd/mm/yyyy"
        elif pd.api.types.is_integer_dtype(s):
            out[name] = "#,##0"
        elif pd.api.types.is_float_dtype(s):
            out[name] = "#,##0.0##" if name in ("Puntaje",) else "#,##0.0"
    return out


def _auto_widths(df, widths: dict | None) -> list[float]:
    """Column widths: explicit, then WIDTHS, then the longest of the first 200 values."""
    out = []
    for j, c in enumerate(df.columns):
        w = (widths or {}).get(str(c)) or WIDTHS.get(str(c))
        if not w:
            sample = [len(str(c))] + [len(str(v)) for v in df.iloc[:200, j].tolist()]
            w = min(max(sample) + 2, 60)
        out.append(max(w, 8))
    return out


def write_table(wb, title: str, df, *, note: str | None = None, widths: dict | None = None,
                freeze: bool = True, fills: dict | None = None,
                header_colors: dict[str, str] | None = None, styled_limit: int = 5_000):
    """A styled table sheet in a write-only workbook; returns the sheet.

    Tables up to `styled_limit` rows are written cell by cell with number formats; longer ones
    get a placeholder row and are registered in `fills` (sheet name -> DataFrame) so that
    `save_workbook` streams their rows as XML (openpyxl costs ~15 µs per cell). `note` goes in
    row 1 and the header in row 3. Column styles are the same either way.
    """
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    if len(df) + 3 > EXCEL_MAX_ROWS:
        raise ValueError(f"hoja «{title}»: {len(df):,} filas superan el límite de Excel")
    ws = wb.create_sheet(title=title[:31])
    first = 3 if note else 1
    cols = [str(c) for c in df.columns]
    for j, w in enumerate(_auto_widths(df, widths), start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    if cols:
        ws.auto_filter.ref = f"A{first}:{get_column_letter(len(cols))}{first + max(len(df), 1)}"
    if freeze:
        ws.freeze_panes = f"A{first + 1}"
    if note:
        cell = WriteOnlyCell(ws, value=note)
        cell.font = Font(italic=True, color="555555")
        ws.append([cell])
        ws.append([])
    head_font = Font(bold=True, color="FFFFFF")
    align = Alignment(wrap_text=True, vertical="center")
    header = []
    for c in cols:
        cell = WriteOnlyCell(ws, value=c)
        color = (header_colors or {}).get(c, HEADER_FILL)
        cell.font, cell.fill, cell.alignment = head_font, PatternFill("solid", fgColor=color), align
        header.append(cell)
    ws.append(header)
    fmts = _formats(df)
    if len(df) > styled_limit and fills is not None:
        ws.append(_template_row(ws, cols, fmts))
        fills[ws.title] = df
        return ws
    idx = [(j, fmts[c]) for j, c in enumerate(cols) if c in fmts]
    for row in df.itertuples(index=False, name=None):
        cells = [_excel_value(v) for v in row]
        for j, f in idx:
            cell = WriteOnlyCell(ws, value=cells[j])
            cell.number_format = f
            cells[j] = cell
        ws.append(cells)
    return ws


def _template_row(ws, cols: list[str], fmts: dict[str, str]) -> list:
    """The placeholder row: one cell per column carrying that column's number format."""
    from openpyxl.cell import WriteOnlyCell

    template = []
    for c in cols:
        f = fmts.get(c)
        if f and f.startswith("dd/"):
            cell = WriteOnlyCell(ws, value=datetime(2000, 1, 1))
        elif f:
            cell = WriteOnlyCell(ws, value=0)
        else:
            cell = WriteOnlyCell(ws, value=_PLACEHOLDER)
        if f:
            cell.number_format = f
        template.append(cell)
    return template


def write_key_values(wb, title: str, rows: Sequence[tuple[str, Any]]):
    """Two columns, bold keys (write-only workbook)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    ws = wb.create_sheet(title=title[:31])
    ws.column_dimensions["A"].width = 48
    ws.column_dimensions["B"].width = 70
    bold = Font(bold=True)
    for k, v in rows:
        cell = WriteOnlyCell(ws, value=k)
        cell.font = bold
        ws.append([cell, _excel_value(v)])
    return ws


def write_big_table(wb, base_title: str, df, *, max_rows: int = EXCEL_MAX_ROWS,
                    chunk: int = 50_000, styled_limit: int = 5_000) -> list[str]:
    """Write `df` into write-only sheets '<base> (1)', '<base> (2)'... under Excel's row limit.

    `wb` must be a write-only Workbook. Small tables (up to `styled_limit` rows) get number
    formats per cell; big ones are plain values (dates keep Excel's default date format), which
    is what keeps a million rows fast. Returns the sheet names used (at least one).
    """
    import numpy as np
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill

    per_sheet = max_rows - 1  # one header row per sheet
    n = len(df)
    n_sheets = max(1, math.ceil(n / per_sheet))
    names = [f"{base_title} ({i})" if n_sheets > 1 else base_title
             for i in range(1, n_sheets + 1)]
    head_font = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor=HEADER_FILL)
    cols = list(df.columns)
    fmts = _formats(df)
    for s, name in enumerate(names):
        ws = wb.create_sheet(title=name[:31])
        ws.freeze_panes = "A2"
        for j, c in enumerate(cols):
            from openpyxl.utils import get_column_letter

            ws.column_dimensions[get_column_letter(j + 1)].width = WIDTHS.get(str(c), 14)
        ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}1"
        header = []
        for c in cols:
            cell = WriteOnlyCell(ws, value=str(c))
            cell.font, cell.fill = head_font, fill
            header.append(cell)
        ws.append(header)
        lo, hi = s * per_sheet, min((s + 1) * per_sheet, n)
        for start in range(lo, hi, chunk):
            part = df.iloc[start:min(start + chunk, hi)]
            columns = []
            for c in cols:
                col = part[c]
                if str(c) in fmts and fmts[str(c)].startswith("dd/"):
                    vals = [None if v is None else v for v in
                            col.dt.to_pydatetime()] if len(col) else []
                    vals = [None if (isinstance(v, float) or v is None or v != v) else v
                            for v in vals]
                elif col.dtype.kind == "f":
                    arr = col.to_numpy()
                    vals = np.where(np.isnan(arr), None, arr).tolist()
                else:
                    vals = col.astype(object).where(col.notna(), None).tolist()
                columns.append(vals)
            append = ws.append
            if n <= styled_limit and fmts:
                idx = [(j, fmts[str(c)]) for j, c in enumerate(cols) if str(c) in fmts]
                for row in zip(*columns, strict=True):
                    cells = list(row)
                    for j, f in idx:
                        cell = WriteOnlyCell(ws, value=cells[j])
                        cell.number_format = f
                        cells[j] = cell
                    append(cells)
            else:
                for row in zip(*columns, strict=True):
                    append(row)
    return names


def save_workbook(wb, path: Path, fills: dict | None = None) -> Path:
    """Save; `fills` (sheet name -> DataFrame) are streamed into placeholder sheets after."""
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    if fills:
        fill_placeholder_sheets(path, fills)
    return path


# ------------------------------------------------------------------------------------------
# Fast streaming of very large tables
# ------------------------------------------------------------------------------------------
# openpyxl spends ~15 µs per cell; a million messages x 10 columns would take minutes. Big
# tables are therefore written as placeholder sheets by openpyxl (header row, styles, filter,
# frozen pane, plus one template row that fixes the date style id) and their rows are then
# generated column-wise with pandas string operations and streamed into the saved file.

_PLACEHOLDER = "\u2063pulso-placeholder"
_EXCEL_EPOCH = "1899-12-30"


def big_table_placeholder(wb, base_title: str, df, *,
                          max_rows: int = EXCEL_MAX_ROWS) -> dict[str, Any]:
    """Create placeholder sheet(s) for `df`; returns {sheet name: slice of df} to fill."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    per_sheet = max_rows - 1
    n = len(df)
    n_sheets = max(1, math.ceil(n / per_sheet))
    names = [f"{base_title} ({i})" if n_sheets > 1 else base_title
             for i in range(1, n_sheets + 1)]
    fmts = _formats(df)
    cols = [str(c) for c in df.columns]
    out = {}
    for s, name in enumerate(names):
        part = df.iloc[s * per_sheet:min((s + 1) * per_sheet, n)]
        ws = wb.create_sheet(title=name[:31])
        ws.freeze_panes = "A2"
        for j, c in enumerate(cols):
            ws.column_dimensions[get_column_letter(j + 1)].width = WIDTHS.get(c, 14)
        ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{len(part) + 1}"
        header = []
        for c in cols:
            cell = WriteOnlyCell(ws, value=c)
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
            header.append(cell)
        ws.append(header)
        template = _template_row(ws, cols, fmts)
        ws.append(template)
        out[names[s]] = part
    return out


_XML_TABLE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;",
                            **{c: None for c in [*range(0, 9), 11, 12, *range(14, 32)]}})


def _xml_escape(s):
    """Escape for XML text and drop control characters Excel rejects: one C pass per value."""
    import pandas as pd

    table = _XML_TABLE
    return pd.Series([v.translate(table) for v in s.tolist()], index=s.index, dtype=object)


def _cells(col, style: str | None):
    """One column as a Series of <c> XML fragments (no coordinates: cells are positional)."""
    import numpy as np
    import pandas as pd

    empty = "<c/>"
    if pd.api.types.is_datetime64_any_dtype(col):
        days = (col - pd.Timestamp(_EXCEL_EPOCH)) / pd.Timedelta(days=1)
        txt = days.round(8).astype(str)
        s_attr = f' s="{style}"' if style else ""
        return ("<c" + s_attr + "><v>" + txt + "</v></c>").where(col.notna(), f"<c{s_attr}/>")
    if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
        arr = col.astype(float)
        txt = arr.map(repr) if len(arr) < 1000 else arr.astype(str)
        s_attr = f' s="{style}"' if style else ""
        return ("<c" + s_attr + "><v>" + txt + "</v></c>").where(np.isfinite(arr.to_numpy()),
                                                                   empty)
    txt = col.astype(object).where(col.notna(), "").astype(str)
    cell = '<c t="inlineStr"><is><t xml:space="preserve">' + _xml_escape(txt) + "</t></is></c>"
    return cell.where(txt != "", empty)


def fill_placeholder_sheets(path: Path, fills: dict, *, chunk: int = 100_000) -> None:
    """Replace the template row of each placeholder sheet with the rows of its DataFrame."""
    import re
    import shutil
    import zipfile

    rels = {}
    with zipfile.ZipFile(path) as z:
        wb_xml = z.read("xl/workbook.xml").decode()
        rel_xml = z.read("xl/_rels/workbook.xml.rels").decode()
        for m in re.finditer(r"<(?:\w+:)?Relationship\b[^>]*>", rel_xml):
            tag = m.group(0)
            rid = re.search(r'Id="([^"]+)"', tag).group(1)
            target = re.search(r'Target="([^"]+)"', tag).group(1)
            rels[rid] = target.lstrip("/") if target.startswith("/") else "xl/" + target
        sheets = {}
        for m in re.finditer(r"<(?:\w+:)?sheet\b[^>]*>", wb_xml):
            tag = m.group(0)
            name = re.search(r'name="([^"]+)"', tag).group(1)
            rid = re.search(r'r:id="([^"]+)"', tag).group(1)
            name = (name.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
                    .replace("&quot;", '"'))
            sheets[name] = rels[rid]
        targets = {sheets[name[:31]]: df for name, df in fills.items()}
        tmp = path.with_suffix(".tmp.xlsx")
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
            for info in z.infolist():
                if info.filename not in targets:
                    out.writestr(info, z.read(info.filename),
                                 compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
                    continue
                xml = z.read(info.filename).decode()
                # The template row is the last row of the sheet; its cells carry the styles.
                t_start = xml.rindex("<row ")
                t_end = xml.index("</row>", t_start) + len("</row>")
                template = xml[t_start:t_end]
                styles = [m.group(1) for m in
                          re.finditer(r"<c\b([^>]*?)(?:/>|>.*?</c>)", template, flags=re.S)]
                styles = [(re.search(r'\bs="(\d+)"', a) or [None, None])[1] for a in styles]
                head, tail = xml[:t_start], xml[t_end:]
                df = targets[info.filename]
                with out.open(info.filename, "w", force_zip64=True) as fh:
                    fh.write(head.encode())
                    for lo in range(0, len(df), chunk):
                        part = df.iloc[lo:lo + chunk]
                        line = None
                        for j, c in enumerate(part.columns):
                            cells = _cells(part[c], styles[j] if j < len(styles) else None)
                            line = cells if line is None else line + cells
                        if line is not None and len(line):
                            fh.write(("<row>" + line + "</row>").str.cat().encode())
                    fh.write(tail.encode())
    shutil.move(tmp, path)


# ------------------------------------------------------------------------------------------
# Charts
# ------------------------------------------------------------------------------------------


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.size": 9, "axes.spines.top": False,
                         "axes.spines.right": False, "figure.dpi": 110})
    return plt


def figure_uri(fig) -> str:
    plt = _plt()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def stacked_bars(labels: Sequence[str], series: dict[str, Sequence[float]],
                 colors: Sequence[str], *, title: str = "", percent: bool = False,
                 horizontal: bool = False, size=(7.0, 2.8)) -> str:
    """Stacked bar chart as a PNG data URI."""
    import numpy as np

    plt = _plt()
    fig, ax = plt.subplots(figsize=size)
    bottom = np.zeros(len(labels))
    for (name, vals), color in zip(series.items(), colors, strict=False):
        v = np.nan_to_num(np.asarray(vals, dtype=float))
        if horizontal:
            ax.barh(labels, v, left=bottom, color=color, label=name)
        else:
            ax.bar(labels, v, bottom=bottom, color=color, label=name)
        bottom += v
    if percent:
        from matplotlib.ticker import FuncFormatter

        fmt = FuncFormatter(lambda x, _: f"{x * 100:.0f} %")
        (ax.xaxis if horizontal else ax.yaxis).set_major_formatter(fmt)
    if not percent:
        from matplotlib.ticker import MaxNLocator

        (ax.xaxis if horizontal else ax.yaxis).set_major_locator(MaxNLocator(integer=True))
    if horizontal:
        ax.invert_yaxis()
    ax.set_title(title, fontsize=10, loc="left")
    ax.legend(ncols=len(series), fontsize=8, frameon=False, loc="upper center",
              bbox_to_anchor=(0.5, -0.12))
    return figure_uri(fig)


def lines(labels: Sequence[str], series: dict[str, Sequence[float]], colors: Sequence[str],
          *, title: str = "", percent: bool = False, size=(7.0, 2.6)) -> str:
    plt = _plt()
    fig, ax = plt.subplots(figsize=size)
    for (name, vals), color in zip(series.items(), colors, strict=False):
        ax.plot(labels, list(vals), marker="o", color=color, label=name)
    if percent:
        from matplotlib.ticker import FuncFormatter

        ax.yaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x * 100:.0f} %"))
    ax.set_title(title, fontsize=10, loc="left")
    ax.grid(axis="y", alpha=0.3)
    ax.legend(ncols=len(series), fontsize=8, frameon=False, loc="upper center",
              bbox_to_anchor=(0.5, -0.12))
    return figure_uri(fig)


def hbars(labels: Sequence[str], values: Sequence[float], *, color: str = PALETTE["primary"],
          title: str = "", size=(7.0, 2.6)) -> str:
    plt = _plt()
    fig, ax = plt.subplots(figsize=size)
    from matplotlib.ticker import MaxNLocator

    ax.barh(list(labels), list(values), color=color)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.invert_yaxis()
    for i, v in enumerate(values):
        ax.text(v, i, f" {num(v)}", va="center", fontsize=8)
    ax.set_title(title, fontsize=10, loc="left")
    return figure_uri(fig)


# ------------------------------------------------------------------------------------------
# PDF
# ------------------------------------------------------------------------------------------


def jinja_env():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(loader=FileSystemLoader(str(TEMPLATES_DIR / "reports")),
                      autoescape=select_autoescape(["html"]), undefined=StrictUndefined)
    env.filters.update(num=num, pct=pct, signed_pct=signed_pct, day=day, day_time=day_time)
    return env


def render_pdf(template: str, path: Path, **context: Any) -> Path:
    from weasyprint import HTML

    html = jinja_env().get_template(template).render(**context)
    path.parent.mkdir(parents=True, exist_ok=True)
    HTML(string=html, base_url=str(TEMPLATES_DIR / "reports")).write_pdf(path)
    return path


def rows(df, columns: Iterable[str] | None = None) -> list[dict]:
    """DataFrame rows as dicts for templates (NaN -> None)."""
    cols = list(columns) if columns is not None else list(df.columns)
    return [{c: (None if _missing(v) else v) for c, v in zip(cols, r, strict=True)}
            for r in df[cols].itertuples(index=False, name=None)]


# ------------------------------------------------------------------------------------------
# Contract glue (pulso.reports.base when present)
# ------------------------------------------------------------------------------------------

STEMS = {"growth": "informe-gestion-redes", "sentiment": "informe-sentimientos",
         "pqrs": "informe-pqrs-redes", "semestral": "informe-semestral-redes"}


def output_path(ctx, kind: str, ext: str) -> Path:
    """out_dir/<period.key>/<stem>_<key>.<ext>, as the report contract names the files."""
    try:
        from pulso.reports.base import report_path
    except ImportError:
        return Path(ctx.out_dir) / ctx.period.key / f"{STEMS[kind]}_{ctx.period.key}.{ext}"
    return report_path(ctx, kind, ext)


def report_files(kind: str, period, xlsx: Path, pdf: Path, summary: dict):
    try:
        from pulso.reports.base import ReportFiles
    except ImportError:
        from types import SimpleNamespace

        return SimpleNamespace(kind=kind, period=period, xlsx=xlsx, pdf=pdf, summary=summary)
    return ReportFiles(kind=kind, period=period, xlsx=xlsx, pdf=pdf, summary=summary)
