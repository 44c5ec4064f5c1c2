"""Excel helpers (openpyxl): DataFrames as proper database sheets, key/value sheets, big tables.

A "proper table sheet" has one header row (styled), typed cells with number formats, an
autofilter over the data, frozen panes under the header and sensible column widths, so an
analyst can filter, sort and pivot it directly. Sheets over Excel's row limit are split into
'<name> (1)', '<name> (2)'... Big tables use write-only workbooks and, above
`FAST_THRESHOLD` rows, rows are streamed column-wise into the saved file (openpyxl spends
~15 µs a cell; a million messages would take minutes otherwise).

Heavy libraries (pandas, openpyxl) are imported inside the functions.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

EXCEL_MAX_ROWS = 1_048_576
HEADER_FILL = "1F4E79"
NOTE_COLOR = "555555"
# Excel number formats (Excel shows them with the reader's locale separators).
INT = "#,##0"
DEC1 = "#,##0.0"
DEC2 = "#,##0.00"
PCT1 = "0.0%"
PCT2 = "0.00%"
DATE = "dd/mm/yyyy"
DATETIME = "dd/mm/yyyy hh:mm"
WIDTHS = {"Texto": 70, "Enlace": 40, "ID mensaje": 26, "ID caso": 24, "Fecha": 12,
          "Publicación": 60, "Cuenta": 28, "Red": 12, "Indicador": 48, "Valor": 40,
          "Motivo": 40, "Recomendación": 90, "Evidencia": 70, "Criterio": 60}


def new_workbook(*, write_only: bool = False):
    """An empty workbook (the default sheet removed) ready for create_sheet()."""
    from openpyxl import Workbook

    wb = Workbook(write_only=write_only)
    if not write_only:
        wb.remove(wb.active)
    return wb


def excel_value(v: Any) -> Any:
    """A cell value: NaN/NaT -> empty, numpy scalars -> Python, tz-aware -> naive local."""
    if v is None:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, str):
        return v
    if hasattr(v, "to_pydatetime"):  # pandas Timestamp (NaT has none)
        try:
            v = v.to_pydatetime()
        except ValueError:
            return None
    if isinstance(v, datetime):
        return v.replace(tzinfo=None)
    if isinstance(v, date):
        return v
    if hasattr(v, "item"):  # numpy scalars
        v = v.item()
        if isinstance(v, float) and math.isnan(v):
            return None
        return v
    try:
        if v != v:  # pd.NA / NaT
            return None
    except TypeError:
        return None
    return v


def infer_formats(df) -> dict[str, str]:
    """Number formats by column: shares ('%…', 'Tasa…', 'Variación…') as %, dates, counts."""
    import pandas as pd

    out: dict[str, str] = {}
    for c in df.columns:
        name, s = str(c), df[c]
        low = name.lower()
        if low.startswith(("%", "tasa", "variación", "crecimiento %")) or low.endswith("(%)"):
            out[name] = PCT2 if low.startswith("tasa") else PCT1
        elif pd.api.types.is_datetime64_any_dtype(s):
            d = s.dropna()
            has_time = len(d) and ((d.dt.hour != 0).any() or (d.dt.minute != 0).any())
            out[name] = DATETIME if has_time else DATE
        elif s.dtype == object and len(s.dropna()) and isinstance(s.dropna().iloc[0], date):
            out[name] = DATETIME if isinstance(s.dropna().iloc[0], datetime) else DATE
        elif pd.api.types.is_bool_dtype(s):
            continue
        elif pd.api.types.is_integer_dtype(s):
            out[name] = INT
        elif pd.api.types.is_float_dtype(s):
            vals = s.dropna()
            whole = len(vals) > 0 and bool((vals == vals.round()).all())
            out[name] = INT if whole else DEC1
    return out


def _style_header(cell) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    cell.font = Font(bold=True, color="FFFFFF")
    cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
    cell.alignment = Alignment(wrap_text=True, vertical="center")


def _widths(df, widths: Mapping[str, float] | None) -> list[float]:
    out = []
    for j, c in enumerate(df.columns):
        name = str(c)
        if widths and name in widths:
            out.append(widths[name])
            continue
        if name in WIDTHS:
            out.append(WIDTHS[name])
            continue
        sample = [len(name)] + [len(str(v)) for v in df.iloc[:200, j].tolist()]
        out.append(max(min(max(sample) + 2, 60), 9))
    return out


def write_table(wb, title: str, df, *, note: str | None = None,
                formats: Mapping[str, str] | None = None,
                widths: Mapping[str, float] | None = None, freeze: bool = True):
    """`df` as a styled, filterable table on a new sheet; an optional note above it.

    `formats` overrides the inferred number formats per column name. Returns the sheet.
    """
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title=sheet_title(title))
    first = 1
    if note:
        ws.cell(row=1, column=1, value=note).font = Font(italic=True, color=NOTE_COLOR)
        first = 3
    for j, c in enumerate(df.columns, start=1):
        _style_header(ws.cell(row=first, column=j, value=str(c)))
    fmts = {**infer_formats(df), **(formats or {})}
    cols = [str(c) for c in df.columns]
    for i, row in enumerate(df.itertuples(index=False, name=None), start=first + 1):
        for j, v in enumerate(row, start=1):
            cell = ws.cell(row=i, column=j, value=excel_value(v))
            f = fmts.get(cols[j - 1])
            if f:
                cell.number_format = f
    for j, w in enumerate(_widths(df, widths), start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    if cols:
        ws.auto_filter.ref = f"A{first}:{get_column_letter(len(cols))}{first + len(df)}"
    if freeze:
        ws.freeze_panes = f"A{first + 1}"  # a string: ws.cell() would create a row
    return ws


def write_key_values(wb, title: str, rows: Sequence[tuple[str, Any]], *,
                     formats: Mapping[str, str] | None = None, heading: str | None = None):
    """A two-column 'Indicador | Valor' sheet (summary figures, notes, criteria)."""
    from openpyxl.styles import Alignment, Font

    ws = wb.create_sheet(title=sheet_title(title))
    r = 1
    if heading:
        ws.cell(row=1, column=1, value=heading).font = Font(bold=True, size=13,
                                                            color=HEADER_FILL)
        r = 3
    for k, v in rows:
        ws.cell(row=r, column=1, value=k).font = Font(bold=True)
        cell = ws.cell(row=r, column=2, value=excel_value(v))
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if formats and k in formats:
            cell.number_format = formats[k]
        elif isinstance(cell.value, int) and not isinstance(cell.value, bool):
            cell.number_format = INT
        r += 1
    ws.column_dimensions["A"].width = 48
    ws.column_dimensions["B"].width = 80
    return ws


def sheet_title(title: str) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\."""
    for ch in "[]:*?/\\":
        title = title.replace(ch, "-")
    return title[:31]


def split_names(base_title: str, n_rows: int, max_rows: int = EXCEL_MAX_ROWS) -> list[str]:
    """Sheet names for `n_rows` data rows: 'Base' or 'Base (1)', 'Base (2)'..."""
    per_sheet = max_rows - 1  # one header row per sheet
    n = max(1, math.ceil(n_rows / per_sheet))
    if n == 1:
        return [sheet_title(base_title)]
    return [sheet_title(f"{base_title[:24]} ({i})") for i in range(1, n + 1)]


def write_big_table(wb, base_title: str, df, *, max_rows: int = EXCEL_MAX_ROWS,
                    formats: Mapping[str, str] | None = None,
                    widths: Mapping[str, float] | None = None, chunk: int = 50_000) -> list[str]:
    """`df` into write-only sheets under Excel's row limit; returns the sheet names.

    `wb` must be write-only (new_workbook(write_only=True)). Every cell of a formatted column
    gets its number format. For millions of rows prefer big_table_placeholder + save_workbook.
    """
    import numpy as np
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    names = split_names(base_title, len(df), max_rows)
    per_sheet = max_rows - 1
    cols = [str(c) for c in df.columns]
    fmts = {**infer_formats(df), **(formats or {})}
    col_widths = _widths(df, widths)
    for s, name in enumerate(names):
        ws = wb.create_sheet(title=name)
        ws.freeze_panes = "A2"
        for j, w in enumerate(col_widths, start=1):
            ws.column_dimensions[get_column_letter(j)].width = w
        part = df.iloc[s * per_sheet:min((s + 1) * per_sheet, len(df))]
        if cols:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{len(part) + 1}"
        header = []
        for c in cols:
            cell = WriteOnlyCell(ws, value=c)
            _style_header(cell)
            header.append(cell)
        ws.append(header)
        idx = [(j, fmts[c]) for j, c in enumerate(cols) if c in fmts]
        for lo in range(0, len(part), chunk):
            piece = part.iloc[lo:lo + chunk]
            columns = []
            for c in piece.columns:
                col = piece[c]
                if col.dtype.kind == "f":
                    arr = col.to_numpy()
                    columns.append(np.where(np.isnan(arr), None, arr).tolist())
                else:
                    columns.append([excel_value(v) for v in col.tolist()])
            for row in zip(*columns, strict=True):
                cells = list(row)
                for j, f in idx:
                    cell = WriteOnlyCell(ws, value=cells[j])
                    cell.number_format = f
                    cells[j] = cell
                ws.append(cells)
    return names


def save_workbook(wb, path: Path, fills: Mapping[str, Any] | None = None) -> Path:
    """Save the workbook; `fills` (from big_table_placeholder) are streamed in afterwards."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    if fills:
        fill_placeholder_sheets(path, fills)
    return path


# ------------------------------------------------------------------------------------------
# Very large tables: placeholder sheets filled by streaming XML into the saved file
# ------------------------------------------------------------------------------------------
# openpyxl writes the header row, styles, filter and frozen pane plus one template row that
# fixes the date style id; the rows are then generated column-wise with pandas string
# operations and written into the sheet's XML part.

_PLACEHOLDER = "\u2063pulso-placeholder"
_EXCEL_EPOCH = "1899-12-30"
_BAD_XML = r"[\x00-\x08\x0b\x0c\x0e-\x1f]"


def big_table_placeholder(wb, base_title: str, df, *, max_rows: int = EXCEL_MAX_ROWS,
                          widths: Mapping[str, float] | None = None) -> dict[str, Any]:
    """Placeholder sheet(s) for `df` in a write-only `wb`; returns {sheet name: rows} to fill."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    names = split_names(base_title, len(df), max_rows)
    per_sheet = max_rows - 1
    fmts = infer_formats(df)
    cols = [str(c) for c in df.columns]
    col_widths = [(widths or {}).get(c) or WIDTHS.get(c, 14) for c in cols]
    out = {}
    for s, name in enumerate(names):
        part = df.iloc[s * per_sheet:min((s + 1) * per_sheet, len(df))]
        ws = wb.create_sheet(title=name)
        ws.freeze_panes = "A2"
        for j, w in enumerate(col_widths, start=1):
            ws.column_dimensions[get_column_letter(j)].width = w
        if cols:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{len(part) + 1}"
        header = []
        for c in cols:
            cell = WriteOnlyCell(ws, value=c)
            _style_header(cell)
            header.append(cell)
        ws.append(header)
        template = []
        for c in cols:
            cell = WriteOnlyCell(ws, value=_PLACEHOLDER)
            if fmts.get(c, "").startswith("dd/"):
                cell.value = datetime(2000, 1, 1)
                cell.number_format = fmts[c]
            template.append(cell)
        ws.append(template)
        out[name] = part
    return out


def _xml_escape(s):
    s = s.str.replace("&", "&amp;", regex=False).str.replace("<", "&lt;", regex=False)
    s = s.str.replace(">", "&gt;", regex=False)
    return s.str.replace(_BAD_XML, "", regex=True)


def _cells(col, style: str | None):
    """One column as a Series of <c> XML fragments (positional cells, no coordinates)."""
    import numpy as np
    import pandas as pd

    empty = "<c/>"
    if pd.api.types.is_datetime64_any_dtype(col):
        if getattr(col.dt, "tz", None) is not None:
            col = col.dt.tz_localize(None)
        days = (col - pd.Timestamp(_EXCEL_EPOCH)) / pd.Timedelta(days=1)
        txt = days.round(8).astype(str)
        s_attr = f' s="{style}"' if style else ""
        return ("<c" + s_attr + "><v>" + txt + "</v></c>").where(col.notna(), empty)
    if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
        arr = col.astype(float)
        txt = arr.map(repr) if len(arr) < 1000 else arr.astype(str)
        return ("<c><v>" + txt + "</v></c>").where(np.isfinite(arr.to_numpy()), empty)
    txt = col.astype(object).where(col.notna(), "").astype(str)
    cell = '<c t="inlineStr"><is><t xml:space="preserve">' + _xml_escape(txt) + "</t></is></c>"
    return cell.where(txt != "", empty)


def fill_placeholder_sheets(path: Path, fills: Mapping[str, Any], *,
                            chunk: int = 100_000) -> None:
    """Replace each placeholder sheet's template row with the rows of its DataFrame."""
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
        targets = {sheets[sheet_title(name)]: df for name, df in fills.items()}
        tmp = Path(path).with_suffix(".tmp.xlsx")
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
            for info in z.infolist():
                if info.filename not in targets:
                    out.writestr(info, z.read(info.filename),
                                 compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
                    continue
                xml = z.read(info.filename).decode()
                rows = list(re.finditer(r"<row\b[^>]*>.*?</row>", xml, flags=re.S))
                template = rows[1]
                style = None
                m = re.search(r'<c\b[^>]*\bs="(\d+)"[^>]*>\s*<v>[0-9.]+</v>', template.group(0))
                if m:
                    style = m.group(1)
                head, tail = xml[:template.start()], xml[template.end():]
                df = targets[info.filename]
                with out.open(info.filename, "w", force_zip64=True) as fh:
                    fh.write(head.encode())
                    for lo in range(0, len(df), chunk):
                        part = df.iloc[lo:lo + chunk]
                        line = None
                        for c in part.columns:
                            cells = _cells(part[c], style)
                            line = cells if line is None else line + cells
                        if line is not None and len(line):
                            fh.write(("<row>" + line + "</row>").str.cat().encode())
                    fh.write(tail.encode())
    shutil.move(tmp, path)


# Display kinds (pulso.reports.pdf.display_table) -> Excel number formats, so a table written
# to Excel and shown in the PDF carries the same precision.
KIND_FORMATS = {"num": INT, "num1": DEC1, "num2": DEC2, "signed_num": "+#,##0;-#,##0;0",
                "pct": PCT1, "pct2": PCT2, "signed_pct": "+0.0%;-0.0%;0.0%", "day": DATE,
                "day_time": DATETIME}


def formats_for(kinds: Mapping[str, str]) -> dict[str, str]:
    """Excel number formats for a {column: display kind} map (text columns omitted)."""
    return {c: KIND_FORMATS[k] for c, k in kinds.items() if k in KIND_FORMATS}
