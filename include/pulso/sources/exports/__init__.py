"""Manual exports from the networks (CSV/XLSX/XLS/ZIP) into the warehouse.

reading.py: bytes -> grids (encoding, format); values.py: localized numbers and dates;
kinds.py: which export, by header aliases (EN/ES); mapping.py: grids -> canonical rows;
loader.py: merge + load + source_file; inbox.py: the drop folder.
"""

from pulso.sources.exports.loader import FileResult, process_file
from pulso.sources.exports.mapping import ExportRejected, ParsedExport, parse_export

__all__ = ["ExportRejected", "FileResult", "ParsedExport", "parse_export", "process_file"]
