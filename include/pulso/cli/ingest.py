"""`pulso ingest`: ingest and classify a day range outside Airflow (same code as the DAG)."""

from __future__ import annotations

import argparse
import sys
from datetime import date


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--start", required=True, help="first day, YYYY-MM-DD")
    parser.add_argument("--end", help="last day, YYYY-MM-DD (default: start)")
    parser.add_argument("--account", action="append",
                        help="account id (repeatable); default: every api/demo account")
    parser.add_argument("--no-classify", action="store_true", help="skip classification")


def run(args: argparse.Namespace) -> int:
    from pulso.classify.store import classify_pending
    from pulso.context import get_context
    from pulso.core.config import ConfigError
    from pulso.ingest.daily import ingest_account
    from pulso.sources.base import SourceError

    try:
        start = date.fromisoformat(args.start)
        end = date.fromisoformat(args.end) if args.end else start
    except ValueError as exc:
        print(f"pulso ingest: bad date: {exc}", file=sys.stderr)
        return 2
    if end < start:
        print(f"pulso ingest: --end {end} is before --start {start}", file=sys.stderr)
        return 2
    try:
        config = get_context().config
    except ConfigError as exc:
        print(f"pulso ingest: {exc}", file=sys.stderr)
        return 2
    accounts = args.account or [a.account_id for a in config.accounts if a.source != "export"]
    engine = get_context().engine()
    failed = 0
    for account_id in accounts:
        try:
            s = ingest_account(engine, config, account_id, start, end)
        except (SourceError, KeyError) as exc:
            failed += 1
            print(f"{account_id}: FAILED: {exc}", file=sys.stderr)
            continue
        print(f"{account_id}: {s.days} days, loaded {s.loaded}, rejected {s.rejected}")
    if not args.no_classify:
        print(f"classified: {classify_pending(engine, config, start, end)}")
    return 1 if failed else 0
