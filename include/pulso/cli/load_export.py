"""`pulso load-export PATH... [--account ID]`: load manual export files by hand.

Same code as the inbox (detection, validation, upsert, rejects, source_file) but the files stay
where they are. Exit code 0 when every file loaded (even with some rows rejected), 2 when any
file was rejected whole.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

_SHOW_REJECTS = 5


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="export files (CSV, XLSX, XLS, YouTube Studio ZIP) or folders")
    parser.add_argument("--account", help="account the files belong to (account id like "
                        "facebook:1234, handle or native id), when the file does not say")
    parser.add_argument("--snapshot-date", type=date.fromisoformat, default=None,
                        help="day to file post lifetime totals under (default: last date in "
                        "the file name, else the file's date)")
    parser.add_argument("--year", type=int, default=None,
                        help="year of the first day in files whose dates have none (TikTok "
                        "'February 28', '8 de marzo'); default: from the file name, else the "
                        "file's date")
    parser.add_argument("--warehouse-url", default=None,
                        help="warehouse SQLAlchemy URL (default: PULSO_WAREHOUSE_URL, the "
                             "Airflow connection pulso_warehouse, else the local SQLite file)")
    parser.add_argument("--force", action="store_true",
                        help="reload files whose SHA-256 was already loaded")


def _expand(paths: list[str]) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(x for x in p.rglob("*") if x.is_file()
                              and not x.name.startswith(".")))
        else:
            out.append(p)
    return out


def run(args: argparse.Namespace) -> int:
    from pulso.context import get_context, open_warehouse, warehouse_missing
    from pulso.core.cells import printable
    from pulso.core.config import ConfigError
    from pulso.sources.exports.loader import process_file

    try:
        config = get_context(args.warehouse_url).config
    except ConfigError as exc:
        print(f"warning: {exc}; accounts are taken as given", file=sys.stderr)
        config = None
    # A loader may start a new warehouse where it was told to load (never silently: it says
    # so); commands that only read or change cases refuse a missing one.
    new_file = warehouse_missing(args.warehouse_url)
    engine = open_warehouse(args.warehouse_url, create=True)
    if new_file:
        print(f"almacén de datos nuevo creado en {printable(new_file)}", file=sys.stderr)
    failed = False
    try:
        for path in _expand(args.paths):
            if not path.is_file():
                print(f"{printable(str(path))}: REJECTED: file not found")
                failed = True
                continue
            r = process_file(engine, path, config=config, account=args.account,
                             snapshot_day=args.snapshot_date, skip_known=not args.force,
                             year=args.year)
            shown_path = printable(str(path), limit=500)  # control characters escaped
            if r.status == "skipped":
                print(f"{shown_path}: skipped: already loaded (same SHA-256; --force to reload)")
                continue
            if r.status == "rejected":
                failed = True
                print(f"{shown_path}: REJECTED ({r.kind or 'unknown kind'}): "
                      f"{printable(r.message or '', limit=2000)}")
            else:
                loaded = ", ".join(f"{t}={n}" for t, n in r.loaded.items()) or "nothing"
                print(f"{shown_path}: kind {r.kind}; loaded {loaded}; "
                      f"rows rejected {r.rows_rejected}")
            for note in r.notes:
                print(f"  note: {printable(str(note), limit=500)}")
            shown = r.rejects if r.rows_rejected else []  # whole-file reason printed above
            for rej in shown[:_SHOW_REJECTS]:
                where = f"line {rej.row}" if rej.row is not None else "file"
                col = f", column {rej.field}" if rej.field else ""
                print(f"  rejected {where}{col}: {printable(str(rej.reason), limit=500)}")
            if len(shown) > _SHOW_REJECTS:
                print(f"  ... {len(shown) - _SHOW_REJECTS} more in table load_reject")
    finally:
        engine.dispose()
    return 2 if failed else 0
