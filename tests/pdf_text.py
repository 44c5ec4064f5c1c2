"""The one way tests read a PDF's text: pypdf's layout extraction (like `pdftotext -layout`).

Pure Python, so `make test` needs no poppler. Layout mode keeps each visual line together
(table cells of a row on one line, in reading order), which is what the text assertions of the
report tests rely on.
"""

from __future__ import annotations

from pathlib import Path


def pdf_pages(path: Path | str, *, collapse: bool = True) -> list[str]:
    """The text of each page; with `collapse`, runs of whitespace become one space."""
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    pages = [page.extract_text(extraction_mode="layout") or "" for page in reader.pages]
    if collapse:
        return [" ".join(p.split()) for p in pages if p.strip()]
    return pages


def pdf_text(path: Path | str, *, collapse: bool = True) -> str:
    """The whole document's text, pages separated by a form feed (or one space if collapsed)."""
    pages = pdf_pages(path, collapse=collapse)
    return " ".join(p for p in pages if p) if collapse else "\f".join(pages)
