"""Time the full monthly report set (growth, sentiment, PQRS; Excel + PDF each) per month size.

Usage:
    python bench/bench_reports.py [--sizes 10000,100000] [--million] [--pg] [--period 2026-09]
                                  [--kinds growth,sentiment,pqrs] [--keep DIR]

For each size N a fresh warehouse is filled with one month of N demo messages
(`iter_message_chunks`), the month's account statistics and posts (`DemoSource` with no
messages of its own), and the messages are classified. Loading and classifying are printed
separately; the timed figure is `run_reports` alone, per report and in total. The first size
(10,000 by default) is the baseline every other size is compared with. Peak RSS is the
process's (ru_maxrss), so it only grows from one size to the next.
Targets (issue 4): 100k < 15 s, 1M < 90 s with peak RSS < 2.5 GB.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import peak_rss_mb, pg_url  # noqa: E402


def fill(engine, config, period, n: int) -> dict[str, float]:
    """Load one month of demo data with exactly `n` messages and classify them."""
    from pulso.classify.store import classify_pending
    from pulso.ingest.daily import load_source_batch
    from pulso.sources.demo import DemoSource, iter_message_chunks
    from pulso.warehouse.load import load_batch

    t0 = time.perf_counter()
    src = DemoSource(config, messages_per_day=0)
    for account in config.accounts:
        for batch in src.fetch(account, period.start, period.end):
            batch.tables.pop("message", None)
            load_source_batch(engine, batch)
    for chunk in iter_message_chunks(config, period.start, period.end, n):
        load_batch(engine, {"message": chunk}, source="bench")
    t1 = time.perf_counter()
    classify_pending(engine, config, period.start, period.end)
    t2 = time.perf_counter()
    return {"load": t1 - t0, "classify": t2 - t1}


def time_reports(engine, config, period, kinds: list[str], out_dir: Path) -> dict[str, float]:
    from pulso.reports.runner import run_reports

    out: dict[str, float] = {}
    for kind in kinds:
        t0 = time.perf_counter()
        run_reports(engine, config, period, kinds=[kind], out_dir=out_dir, send_email=False,
                    require_complete=False)
        out[kind] = time.perf_counter() - t0
    out["total"] = sum(out.values())
    return out


def run_size(n: int, args, tmp: Path, config, period, kinds: list[str]) -> dict[str, float]:
    from sqlalchemy import text

    from pulso.warehouse.engine import create_schema, make_engine

    if args.pg:
        url = pg_url()
        if url is None:
            raise SystemExit("--pg: no PostgreSQL reachable on 127.0.0.1:5432")
        schema = f"bench_reports_{n}"
        admin = make_engine(url)
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        admin.dispose()
        engine = make_engine(url, schema=schema)
    else:
        engine = make_engine(f"sqlite:///{tmp / f'w{n}.db'}")
    create_schema(engine)
    prep = fill(engine, config, period, n)
    print(f"[{n:,} messages] load {prep['load']:.1f} s, classify {prep['classify']:.1f} s "
          "(not timed below)", flush=True)
    got = time_reports(engine, config, period, kinds, tmp / f"out{n}")
    engine.dispose()
    got["rss"] = peak_rss_mb()
    return got


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000",
                    help="comma-separated message counts; the first is the baseline")
    ap.add_argument("--million", action="store_true", help="add N = 1,000,000")
    ap.add_argument("--pg", action="store_true", help="local PostgreSQL instead of SQLite")
    ap.add_argument("--period", default="2026-09")
    ap.add_argument("--kinds", default="growth,sentiment,pqrs")
    ap.add_argument("--keep", help="write the warehouses and reports here (kept)")
    args = ap.parse_args()

    from pulso.core.config import load_config
    from pulso.core.periods import parse_period

    config, period = load_config(), parse_period(args.period)
    kinds = [k for k in args.kinds.split(",") if k]
    if "growth" in kinds and importlib.util.find_spec("pulso.reports.growth") is None:
        kinds.remove("growth")
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if args.million and 1_000_000 not in sizes:
        sizes.append(1_000_000)

    results: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(args.keep) if args.keep else Path(d)
        tmp.mkdir(parents=True, exist_ok=True)
        for n in sizes:
            results[n] = run_size(n, args, tmp, config, period, kinds)
            r = results[n]
            print(f"[{n:,} messages] " + ", ".join(f"{k} {r[k]:.1f} s" for k in [*kinds, "total"])
                  + f"; peak RSS {r['rss']:.0f} MB", flush=True)

    base_n = sizes[0]
    base = results[base_n]
    print(f"\nperiod {period.key}, backend {'postgresql' if args.pg else 'sqlite'}; "
          f"ratio = seconds / seconds at {base_n:,} messages")
    print(f"{'messages':>10} " + " ".join(f"{k:>16}" for k in [*kinds, "total"])
          + f" {'peak RSS MB':>12}")
    for n, r in results.items():
        cells = [f"{r[k]:6.1f}s ({r[k] / base[k]:4.1f}x)" for k in [*kinds, "total"]]
        print(f"{n:>10,} " + " ".join(f"{c:>16}" for c in cells) + f" {r['rss']:>12.0f}")


if __name__ == "__main__":
    main()
