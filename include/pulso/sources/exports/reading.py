"""Turn an export file (CSV in any encoding, XLSX, XLS, ZIP of CSVs) into plain grids of cells.

The format is decided by the file's bytes, never by its name: analysts rename files, and a
binary file called `.csv` must be rejected with a clear message instead of loading garbage.
Each grid row keeps its 1-based line number in the file so rejects can point at it.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

Cell = object  # str | int | float | datetime | None


class UnreadableFile(ValueError):
    """The file cannot be read as an export (empty, binary, corrupt); message names the file."""


class WrappedLines(UnreadableFile):
    """Every line saved as one quoted field; `header` is the first line split again."""

    def __init__(self, message: str, header: list[str]):
        super().__init__(message)
        self.header = header


@dataclass
class Grid:
    """One table of cells: a CSV, a worksheet, or a CSV inside a ZIP."""

    name: str  # file name, or "file.zip/Table data.csv", or "file.xlsx[Sheet1]"
    rows: list[tuple[int, list[Cell]]] = field(default_factory=list)  # (line number, cells)
    encoding: str | None = None
    cut_tail: bool = False  # CSV text ends without a line break: the last row may be cut


ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CSV_NAMES = (".csv", ".tsv", ".txt")
_HEAD_CHARS = 1 << 16  # text inspected for a `sep=` line and the delimiter


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Decode export text with the one detector (`pulso.core.encoding`): BOMs first, then
    UTF-16 without BOM, UTF-8, Windows-1252/Latin-1. Binary content is refused."""
    from pulso.core.encoding import decode

    try:
        text, encoding = decode(data)
    except UnicodeDecodeError as exc:
        if b"\x00" in data[:4000]:
            raise UnreadableFile(f"{name}: binary content, not a text export (CSV)") from None
        raise UnreadableFile(f"{name}: not valid {exc.encoding} text ({exc.reason} at byte "
                             f"{exc.start})") from None
    if not encoding.startswith("utf-16") and "\x00" in text[:4000]:
        raise UnreadableFile(f"{name}: binary content, not a text export (CSV)")
    _check_text(text, name)
    return text, encoding


def _check_text(text: str, name: str) -> None:
    sample = text[:4000]
    if not sample:
        return
    control = sum(1 for c in sample if (ord(c) < 32 and c not in "\r\n\t") or c == "\ufffd")
    if "\x00" in sample or control / len(sample) > 0.02:
        raise UnreadableFile(f"{name}: binary content, not a text export (CSV)")


def _sniff_delimiter(lines: list[str]) -> str:
    """',' unless another candidate splits the first lines more consistently (';' in es-CO Excel)."""
    best, best_score = ",", 0
    for cand in (",", ";", "\t"):
        counts = [next(csv.reader([ln], delimiter=cand)).__len__() for ln in lines if ln.strip()]
        if not counts:
            continue
        score = max(counts) if max(counts) > 1 else 0
        if score > best_score:
            best, best_score = cand, score
    return best


def read_csv_text(text: str, name: str, encoding: str | None = None) -> Grid:
    """Parse CSV text; honours a leading `sep=X` line (Excel/Meta) and ';' or tab delimiters."""
    grid = Grid(name=name, encoding=encoding)
    if text.startswith("\ufeff"):
        text = text[1:]
    head = text[:_HEAD_CHARS]
    lines = head.splitlines()  # only the first lines are inspected: no split of a large file
    if len(text) > len(head) and len(lines) > 1:
        lines.pop()  # possibly cut in the middle
    # `sep=X` line (Excel/Meta); strip only line breaks and quotes: the X may be a TAB
    first = lines[0].strip("\r\n").strip('"').strip(" ") if lines else ""
    start_line = 1
    delimiter = None
    if first.lower().startswith("sep=") and len(first) in (4, 5):
        delimiter = first[4:] or ","
        text = text.split("\n", 1)[1] if "\n" in text else ""
        start_line = 2
        lines = lines[1:]
    if delimiter is None:
        delimiter = _sniff_delimiter(lines[:20])
    grid.cut_tail = bool(text) and not text.endswith(("\n", "\r"))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    prev = 0
    try:
        for cells in reader:
            line = start_line + prev
            prev = reader.line_num
            cells = list(map(str.strip, cells))
            if not any(cells):  # blank line, or only separators
                continue
            grid.rows.append((line, cells))
    except csv.Error as exc:
        raise UnreadableFile(f"{name}: malformed CSV near line {start_line + prev}: {exc}") from None
    _refuse_wrapped_lines(grid, delimiter)
    return grid


def _refuse_wrapped_lines(grid: Grid, delimiter: str) -> None:
    """A spreadsheet that saved each line as ONE quoted field cannot be split back safely.

    The sign: the header and most rows are a single cell that itself holds the delimiter
    several times (`"Post ID,""Account ID"",..."`). Splitting it again would misplace every
    field that contains the delimiter, so the file is refused with how to export it again.
    """
    head = grid.rows[:20]
    if len(head) < 2:
        return
    single = [cells[0] for _, cells in head if len(cells) == 1]
    wrapped = [c for c in single if c.count(delimiter) >= 2]
    if head[0][1] and len(head[0][1]) == 1 and head[0][1][0].count(delimiter) >= 2 \
            and len(wrapped) * 2 > len(head):
        header = next(csv.reader([head[0][1][0]], delimiter=delimiter))
        raise WrappedLines(
            f"{grid.name}: cada línea del archivo quedó como un único campo entre comillas "
            "(lo hace una hoja de cálculo al guardar el CSV con otro separador); las columnas no "
            "se pueden recuperar con seguridad. Descargue de nuevo la exportación desde la red "
            "social y cárguela sin abrirla ni guardarla en Excel", header)


def _read_xlsx(data: bytes, name: str) -> list[Grid]:
    import openpyxl  # lazy: heavy, and only needed for spreadsheets

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for corrupt files
        raise UnreadableFile(f"{name}: corrupt or truncated XLSX ({exc})") from None
    grids = []
    try:
        for ws in wb.worksheets:
            g = Grid(name=f"{name}[{ws.title}]")
            for i, row in enumerate(ws.iter_rows(values_only=True), start=1):
                cells = [c.strip() if isinstance(c, str) else c for c in row]
                if all(c is None or c == "" for c in cells):
                    continue
                g.rows.append((i, cells))
            grids.append(g)
    finally:
        wb.close()
    return grids


def _read_xls(data: bytes, name: str) -> list[Grid]:
    import xlrd  # lazy

    try:
        book = xlrd.open_workbook(file_contents=data)
    except Exception as exc:
        raise UnreadableFile(f"{name}: corrupt or truncated XLS ({exc})") from None
    grids = []
    for sheet in book.sheets():
        g = Grid(name=f"{name}[{sheet.name}]")
        for r in range(sheet.nrows):
            cells: list[Cell] = []
            for c in range(sheet.ncols):
                cell = sheet.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_DATE:
                    cells.append(xlrd.xldate_as_datetime(cell.value, book.datemode))
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    cells.append(None)
                elif isinstance(cell.value, str):
                    cells.append(cell.value.strip())
                else:
                    cells.append(cell.value)
            if all(c is None or c == "" for c in cells):
                continue
            g.rows.append((r + 1, cells))
        grids.append(g)
    return grids


def _read_zip(data: bytes, name: str) -> list[Grid]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        members = zf.namelist()
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise UnreadableFile(f"{name}: corrupt or truncated ZIP ({exc})") from None
    if "[Content_Types].xml" in members and any(m.startswith("xl/") for m in members):
        return _read_xlsx(data, name)
    grids = []
    for member in members:
        if member.endswith("/") or not member.lower().endswith(_CSV_NAMES):
            continue
        try:
            raw = zf.read(member)
        except (zipfile.BadZipFile, OSError, EOFError, zipfile.LargeZipFile) as exc:
            raise UnreadableFile(f"{name}/{member}: cannot extract ({exc})") from None
        inner = f"{name}/{member}"
        if not raw.strip():
            grids.append(Grid(name=inner))
            continue
        text, enc = decode_text(raw, inner)
        grids.append(read_csv_text(text, inner, enc))
    if not grids:
        raise UnreadableFile(f"{name}: ZIP holds no CSV files ({', '.join(members[:5])})")
    return grids


def read_grids(data: bytes, name: str) -> list[Grid]:
    """All tables in an export file, whatever its format."""
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise UnreadableFile(f"{name}: empty file")
    if data.startswith(ZIP_MAGIC):
        return _read_zip(data, name)
    if data.startswith(OLE_MAGIC):
        return _read_xls(data, name)
    text, encoding = decode_text(data, name)
    if not text.strip():
        raise UnreadableFile(f"{name}: empty file")
    return [read_csv_text(text, name, encoding)]


def read_file_grids(path: Path) -> list[Grid]:
    return read_grids(path.read_bytes(), path.name)
