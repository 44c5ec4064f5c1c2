"""The `pulso` command line: one subcommand per module in `pulso.cli`.

Subcommand modules are imported lazily so `pulso --help` stays fast and a broken optional
dependency in one command cannot break the others.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# name -> module in pulso.cli; each module exposes `add_arguments(parser)` and `run(args) -> int`
COMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("demo", "Run the whole pipeline on the demo entity through the real DAGs"),
    "init": ("init", "Create the warehouse tables (the only command besides demo that may)"),
    "ingest": ("ingest", "Ingest a date range for the configured accounts"),
    "classify": ("classify", "Classify a CSV/XLSX of messages (sentiment, PQRS, due date)"),
    "report": ("report", "Build a monthly or semestral report set"),
    "load-export": ("load_export", "Load manual export files from the networks"),
    "send-pending": ("send_pending", "Send by SMTP the reports left in the outbox"),
    "load-register": ("load_register", "Load a PQRS case register returned by the citizen-service office"),
    "retention": ("retention", "Anonymise message texts older than the retention period"),
    "train": ("train", "Fit the entity's own PQRS model from the office's decisions; list, roll back"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pulso", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (module, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(_module=module)
        mod = _load(module)
        if mod is not None:
            mod.add_arguments(p)
    return parser


def _load(module: str):
    try:
        return importlib.import_module(f"pulso.cli.{module}")
    except ModuleNotFoundError as exc:
        if exc.name == f"pulso.cli.{module}":
            return None  # command not built yet
        raise


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    mod = _load(args._module)
    if mod is None:
        print(f"pulso: command {args.command!r} is not available", file=sys.stderr)
        return 2
    return int(mod.run(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
