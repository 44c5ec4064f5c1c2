"""`pulso load-register FILE --actor NAME`: apply a PQRS case register returned by the office.

Prints the rows applied and every rejected row with its sheet row, column and reason.
Exit code 0 when every row was valid, 1 when some rows were rejected (the good ones were
applied), 2 when the file cannot be read at all.
"""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE",
                        help="the PQRS workbook (.xlsx) with the sheet «Registro de casos»")
    parser.add_argument("--actor", required=True,
                        help="who returned the register (recorded in the case history)")
    parser.add_argument("--warehouse-url", default=None,
                        help="warehouse SQLAlchemy URL (default: PULSO_WAREHOUSE_URL, the "
                             "Airflow connection pulso_warehouse, else the local SQLite file)")


def run(args: argparse.Namespace) -> int:
    from pulso.cases.registers import RegisterError, load_case_register
    from pulso.context import WarehouseMissing, get_context

    try:
        ctx = get_context(args.warehouse_url)
        engine = ctx.engine(create=False)
    except WarehouseMissing as exc:
        print(f"pulso load-register: {exc}", file=sys.stderr)
        return 2
    tz = ctx.config.entity.timezone
    try:
        result = load_case_register(engine, args.file, actor=args.actor, tz=tz)
    except RegisterError as exc:
        print(f"pulso load-register: {exc}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    print(f"{result.path} (hoja «{result.sheet}»): {result.rows_read} filas leídas, "
          f"{len(result.applied)} aplicadas, {result.unchanged} sin cambios, "
          f"{len(result.rejected_rows)} rechazadas")
    for cid in result.applied:
        print(f"  aplicada: {cid}")
    for issue in result.issues:
        print(f"  RECHAZADA {issue}")
    return 1 if result.issues else 0
