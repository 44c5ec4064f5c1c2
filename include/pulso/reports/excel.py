"""Excel helpers (openpyxl): DataFrames as proper database sheets, key/value sheets, big tables.

A "proper table sheet" has one header row (styled), typed cells with number formats, an
autofilter over the data, frozen panes under the header and sensible column widths, so an
analyst can filter, sort and pivot it directly. Sheets over Excel's row limit are split into
'<name> (1)', '<name> (2)'... Every writer works on ordinary and on write-only workbooks
(`new_workbook(write_only=True)`, constant memory); in a write-only workbook tables longer than
`STYLED_LIMIT` rows can be streamed column-wise into the saved file (`fills`), because
openpyxl spends ~15 µs a cell and a million messages would take minutes otherwise.

Heavy libraries (pandas, openpyxl) are imported inside the functions.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pulso.core.cells import excel_text, force_text, looks_like_formula, text_cell

EXCEL_MAX_ROWS = 1_048_576
STYLED_LIMIT = 5_000  # rows written cell by cell in write-only sheets; longer ones are streamed
HEADER_FILL = "1F4E79"
EDITABLE_FILL = "E67E22"  # header of columns a reader is asked to fill in
NOTE_COLOR = "555555"
# Excel number formats (Excel shows them with the reader's locale separators).
INT = "#,##0"
DEC1 = "#,##0.0"
DEC2 = "#,##0.00"
PCT1 = "0.0%"
PCT2 = "0.00%"
DATE = "dd/mm/yyyy"
DATETIME = "dd/mm/yyyy hh:mm"
SCORE = "#,##0.0##"  # classifier scores: up to three decimals
WIDTHS = {"Texto": 70, "Enlace": 40, "ID mensaje": 26, "ID caso": 24, "Fecha": 17,
          "Publicación": 60, "Cuenta": 28, "Red": 12, "Indicador": 48, "Valor": 40,
          "Motivo": 40, "Recomendación": 90, "Evidencia": 70, "Criterio": 60,
          "Término": 24, "Tema": 30, "Semana": 16, "Sentimiento": 14, "Etapa": 48}


def is_write_only(wb) -> bool:
    return bool(getattr(wb, "write_only", False))


def new_workbook(*, write_only: bool = False):
    """An empty workbook (the default sheet removed) ready for create_sheet()."""
    from openpyxl import Workbook

    wb = Workbook(write_only=write_only)
    if not write_only:
        wb.remove(wb.active)
    return wb


def excel_value(v: Any) -> Any:
    """A cell value: NaN/NaT -> empty, numpy scalars -> Python, tz-aware -> naive local.

    Strings lose the control characters Excel rejects; the writers below store them as text
    cells, so outside text never becomes a formula (see pulso.core.cells).
    """
    if v is None:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, str):
        return excel_text(v)
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
        elif pd.api.types.is_float_dtype(s) and low.startswith("puntaje"):
            out[name] = SCORE
        elif pd.api.types.is_float_dtype(s):
            vals = s.dropna()
            whole = len(vals) > 0 and bool((vals == vals.round()).all())
            out[name] = INT if whole else DEC1
    return out


def _style_header(cell, color: str = HEADER_FILL) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    cell.font = Font(bold=True, color="FFFFFF")
    cell.fill = PatternFill("solid", fgColor=color)
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
                widths: Mapping[str, float] | None = None, freeze: bool = True,
                header_colors: Mapping[str, str] | None = None,
                fills: dict[str, Any] | None = None, styled_limit: int = STYLED_LIMIT):
    """`df` as a styled, filterable table on a new sheet; an optional note above it.

    `formats` overrides the inferred number formats per column name; `header_colors` colours
    chosen header cells. In a write-only workbook a table longer than `styled_limit` rows is
    registered in `fills` (sheet name -> DataFrame) and streamed in by `save_workbook`; the
    sheet looks the same either way. Returns the sheet.
    """
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    if len(df) + 3 > EXCEL_MAX_ROWS:
        raise ValueError(f"hoja «{title}»: {len(df):,} filas superan el límite de Excel; "
                         "use write_big_table o big_table_placeholder")
    ws = wb.create_sheet(title=sheet_title(title))
    first = 3 if note else 1
    cols = [str(c) for c in df.columns]
    fmts = {**infer_formats(df), **(formats or {})}
    colors = header_colors or {}
    if is_write_only(wb):  # sheet properties must be set before the first row is appended
        _prepare_sheet(ws, cols, _widths(df, widths), first, max(len(df), 1), freeze)
        if note:
            ws.append([_note_cell(ws, note)])
            ws.append([])
        ws.append(_header_cells(ws, cols, colors))
        if len(df) > styled_limit and fills is not None:
            ws.append(_template_row(ws, cols, fmts))
            fills[ws.title] = df
        else:
            _append_rows(ws, df, cols, fmts)
        return ws
    if note:
        ws.cell(row=1, column=1, value=note).font = Font(italic=True, color=NOTE_COLOR)
    for j, c in enumerate(cols, start=1):
        _style_header(force_text(ws.cell(row=first, column=j, value=excel_text(c))),
                      colors.get(c, HEADER_FILL))
    for i, row in enumerate(df.itertuples(index=False, name=None), start=first + 1):
        for j, v in enumerate(row, start=1):
            cell = force_text(ws.cell(row=i, column=j, value=excel_value(v)))
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


# Write-only sheets: rows are appended once, as lists of values or WriteOnlyCells.


def _prepare_sheet(ws, cols: list[str], widths: Sequence[float], header_row: int,
                   n_rows: int, freeze: bool = True) -> None:
    """Widths, autofilter and frozen pane of a write-only sheet (before any row)."""
    from openpyxl.utils import get_column_letter

    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    if cols:
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(cols))}{header_row + n_rows}"
    if freeze:
        ws.freeze_panes = f"A{header_row + 1}"


def _note_cell(ws, note: str):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cell = force_text(WriteOnlyCell(ws, value=excel_text(note)))
    cell.font = Font(italic=True, color=NOTE_COLOR)
    return cell


def _header_cells(ws, cols: list[str], colors: Mapping[str, str] | None = None) -> list:
    from openpyxl.cell import WriteOnlyCell

    out = []
    for c in cols:
        cell = force_text(WriteOnlyCell(ws, value=excel_text(c)))
        _style_header(cell, (colors or {}).get(c, HEADER_FILL))
        out.append(cell)
    return out


def _column_values(col, ws=None) -> list:
    """One column as cell values, vectorised for floats (NaN -> empty).

    Strings a spreadsheet would evaluate become explicit text cells of `ws`.
    """
    import numpy as np

    if col.dtype.kind == "f":
        arr = col.to_numpy()
        return np.where(np.isnan(arr), None, arr).tolist()
    out = [excel_value(v) for v in col.tolist()]
    if ws is not None and col.dtype.kind not in "biufcmM":
        out = [text_cell(ws, v) if isinstance(v, str) and looks_like_formula(v) else v
               for v in out]
    return out


def _append_rows(ws, df, cols: list[str], fmts: Mapping[str, str]) -> None:
    """Append `df` to a write-only sheet; formatted columns get WriteOnlyCells."""
    from openpyxl.cell import WriteOnlyCell

    idx = [(j, fmts[c]) for j, c in enumerate(cols) if c in fmts]
    columns = [_column_values(df.iloc[:, j], ws) for j in range(len(cols))]
    for row in zip(*columns, strict=True):
        cells = list(row)
        for j, f in idx:
            cell = cells[j]
            if not hasattr(cell, "number_format"):
                cell = WriteOnlyCell(ws, value=cell)
            cell.number_format = f
            cells[j] = cell
        ws.append(cells)


def write_key_values(wb, title: str, rows: Sequence[tuple[str, Any]], *,
                     formats: Mapping[str, str] | None = None, heading: str | None = None):
    """A two-column 'Indicador | Valor' sheet (summary figures, notes, criteria)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    ws = wb.create_sheet(title=sheet_title(title))
    ws.column_dimensions["A"].width = 48
    ws.column_dimensions["B"].width = 80
    write_only = is_write_only(wb)

    def cell(r: int, c: int, value: Any):
        if isinstance(value, str):
            value = excel_text(value)
        if write_only:
            return force_text(WriteOnlyCell(ws, value=value))
        return force_text(ws.cell(row=r, column=c, value=value))

    if heading:
        head = cell(1, 1, heading)
        head.font = Font(bold=True, size=13, color=HEADER_FILL)
        if write_only:
            ws.append([head])
            ws.append([])
    for r, (k, v) in enumerate(rows, start=3 if heading else 1):
        key = cell(r, 1, k)
        key.font = Font(bold=True)
        val = cell(r, 2, excel_value(v))
        val.alignment = Alignment(wrap_text=True, vertical="top")
        if formats and k in formats:
            val.number_format = formats[k]
        elif isinstance(val.value, int) and not isinstance(val.value, bool):
            val.number_format = INT
        if write_only:
            ws.append([key, val])
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
    names = split_names(base_title, len(df), max_rows)
    per_sheet = max_rows - 1
    cols = [str(c) for c in df.columns]
    fmts = {**infer_formats(df), **(formats or {})}
    col_widths = _widths(df, widths)
    for s, name in enumerate(names):
        ws = wb.create_sheet(title=name)
        part = df.iloc[s * per_sheet:min((s + 1) * per_sheet, len(df))]
        _prepare_sheet(ws, cols, col_widths, 1, len(part))
        ws.append(_header_cells(ws, cols))
        for lo in range(0, len(part), chunk):
            _append_rows(ws, part.iloc[lo:lo + chunk], cols, fmts)
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
# XML text escapes, and the control characters Excel rejects dropped: one C pass per value.
_XML_TABLE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;",
                            **{c: None for c in [*range(0, 9), 11, 12, *range(14, 32)]}})


def big_table_placeholder(wb, base_title: str, df, *, max_rows: int = EXCEL_MAX_ROWS,
                          formats: Mapping[str, str] | None = None,
                          widths: Mapping[str, float] | None = None) -> dict[str, Any]:
    """Placeholder sheet(s) for `df` in a write-only `wb`; returns {sheet name: rows} to fill.

    Each sheet gets its styled header and one template row whose cells carry the columns'
    number formats; `save_workbook(wb, path, fills)` replaces that row with the data.
    """
    names = split_names(base_title, len(df), max_rows)
    per_sheet = max_rows - 1
    fmts = {**infer_formats(df), **(formats or {})}
    cols = [str(c) for c in df.columns]
    col_widths = [(widths or {}).get(c) or WIDTHS.get(c, 14) for c in cols]
    out = {}
    for s, name in enumerate(names):
        part = df.iloc[s * per_sheet:min((s + 1) * per_sheet, len(df))]
        ws = wb.create_sheet(title=name)
        _prepare_sheet(ws, cols, col_widths, 1, len(part))
        ws.append(_header_cells(ws, cols))
        ws.append(_template_row(ws, cols, fmts))
        out[name] = part
    return out


def _template_row(ws, cols: list[str], fmts: Mapping[str, str]) -> list:
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


def _xml_escape(values: list[str]) -> list[str]:
    table = _XML_TABLE
    return [v.translate(table) for v in values]


def _cells(col, style: str | None):
    """One column as an object array of <c> XML fragments (positional cells, no coordinates).

    Values are factorised first and each distinct value is formatted once, then spread back
    by code: category-like columns (network, type, sentiment) and repeated texts cost one
    lookup a row instead of several string operations.
    """
    import numpy as np
    import pandas as pd

    empty = "<c/>"
    s_attr = f' s="{style}"' if style else ""
    n = len(col)
    if pd.api.types.is_datetime64_any_dtype(col):
        if getattr(col.dt, "tz", None) is not None:
            col = col.dt.tz_localize(None)
        codes, uniques = pd.factorize(col)
        days = (pd.Series(uniques) - pd.Timestamp(_EXCEL_EPOCH)) / pd.Timedelta(days=1)
        txt = days.round(8).astype(str).tolist()
        cells = [f"<c{s_attr}><v>{t}</v></c>" for t in txt]
    elif pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
        codes, uniques = pd.factorize(col.astype(float))
        arr = pd.Series(np.asarray(uniques, dtype=float))
        txt = (arr.map(repr) if n < 1000 else arr.astype(str)).tolist()
        finite = np.isfinite(arr.to_numpy())
        cells = [f"<c{s_attr}><v>{t}</v></c>" if ok else empty
                 for t, ok in zip(txt, finite, strict=True)]
    else:
        codes, uniques = pd.factorize(col.astype(object))
        txt = _xml_escape([str(u) for u in uniques])
        cells = ['<c t="inlineStr"><is><t xml:space="preserve">' + t + "</t></is></c>"
                 if u != "" else empty for t, u in zip(txt, uniques, strict=True)]
    table = np.array([*cells, empty], dtype=object)  # code -1 (missing) -> the last, empty
    return table[codes]


def _rows_xml(part, styles: list[str | None]) -> str:
    """`part` as consecutive <row> elements: one pass joining the columns' cell fragments."""
    from itertools import repeat

    cols = [_cells(part[c], styles[j] if j < len(styles) else None)
            for j, c in enumerate(part.columns)]
    if not cols or not len(part):
        return ""
    return "".join(map("".join, zip(repeat("<row>"), *cols, repeat("</row>"))))


def fill_placeholder_sheets(path: Path, fills: Mapping[str, Any], *,
                            chunk: int = 100_000) -> None:
    """Replace each placeholder sheet's template row (its last row) with its DataFrame."""
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
                # The template row is the sheet's last row; its cells carry the styles.
                t_start = xml.rindex("<row ")
                t_end = xml.index("</row>", t_start) + len("</row>")
                attrs = re.findall(r"<c\b([^>]*?)(?:/>|>.*?</c>)", xml[t_start:t_end],
                                   flags=re.S)
                styles = [(re.search(r'\bs="(\d+)"', a) or [None, None])[1] for a in attrs]
                head, tail = xml[:t_start], xml[t_end:]
                df = targets[info.filename]
                with out.open(info.filename, "w", force_zip64=True) as fh:
                    fh.write(head.encode())
                    for lo in range(0, len(df), chunk):
                        fh.write(_rows_xml(df.iloc[lo:lo + chunk], styles).encode())
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
