"""`pulso init`: create the warehouse (tables) where the context says it lives.

The only commands that bring a warehouse into existence are this one and `pulso demo`; every
other command fails with a clear message when it is missing, so a deleted or mistyped
warehouse is never silently replaced by a new empty one.
"""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--warehouse-url", default=None,
                        help="warehouse SQLAlchemy URL (default: PULSO_WAREHOUSE_URL, the "
                             "Airflow connection pulso_warehouse, else the local SQLite file)")


def run(args: argparse.Namespace) -> int:
    from sqlalchemy.engine import make_url

    from pulso.context import open_warehouse

    engine = open_warehouse(args.warehouse_url, create=True)
    print(f"almacén de datos listo: {make_url(engine.url).render_as_string(hide_password=True)}")
    return 0
