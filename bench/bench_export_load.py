"""Benchmark: load a 200,000-row Meta posts export end to end, against a pandas baseline.

Pulso path: read + decode + detect + parse + validate + merge + upsert (post, post_daily) +
source_file, through `process_file`; its per-stage times (read, map/parse, validate, load, and
the rest: hash, merge, commit) are printed after the ratio. Baseline in the same run: `pandas.read_csv` +
`DataFrame.to_sql` of the same file into a fresh database (no validation, no upsert).

    .venv/bin/python bench/bench_export_load.py [--rows 200000]
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "sources" / "exports"))

PG_URL = "postgresql://postgres@127.0.0.1:5432/test"


def write_export(path: Path, n: int) -> None:
    from export_files import META_POSTS_HEADER_34, meta_post_row

    h = META_POSTS_HEADER_34
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow(h)
        for i in range(1, n + 1):
            w.writerow(meta_post_row(h, i, **{
                "Publish time": f"06/{1 + i % 28:02d}/2026 {i % 24:02d}:{i % 60:02d}",
                "Views": f"{i % 50000:,}", "Reach": str(i % 40000)}))


def pg_reachable() -> bool:
    import psycopg

    try:
        with psycopg.connect(PG_URL, connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


def run_pulso(url: str, path: Path, schema: str | None) -> tuple[float, int, dict[str, float]]:
    from pulso.sources.exports.loader import process_file
    from pulso.warehouse.engine import create_schema, drop_pg_schema, make_engine

    engine = make_engine(url, schema=schema)
    create_schema(engine)
    try:
        t0, c0 = time.perf_counter(), time.process_time()
        r = process_file(engine, path, snapshot_day=date(2026, 6, 30), skip_known=False)
        dt = time.perf_counter() - t0
        r.timings["cpu"] = time.process_time() - c0  # this process only (not the PG server)
        assert r.status == "processed", r.message
        assert r.loaded.get("post_daily") == r.loaded.get("post"), r.loaded
        return dt, r.loaded["post"], r.timings
    finally:
        engine.dispose()
        if schema:
            admin = make_engine(url)
            drop_pg_schema(admin, schema)
            admin.dispose()


def run_baseline(url: str, path: Path, schema: str | None) -> float:
    import pandas as pd

    from pulso.warehouse.engine import drop_pg_schema, make_engine

    engine = make_engine(url, schema=schema)
    try:
        t0 = time.perf_counter()
        df = pd.read_csv(path, encoding="utf-8-sig")
        df.to_sql("meta_posts_raw", engine, if_exists="replace", index=False, chunksize=10000)
        return time.perf_counter() - t0
    finally:
        engine.dispose()
        if schema:
            admin = make_engine(url)
            drop_pg_schema(admin, schema)
            admin.dispose()


STAGES = (("read", "read"), ("map", "map/parse"), ("validate", "validate"), ("load", "load"))


def format_stages(t: dict[str, float], total: float) -> str:
    """'read 1.20s, map/parse 2.10s, validate 0.30s, load 2.00s, other 0.40s'."""
    parts = [f"{label} {t.get(key, 0.0):.2f}s" for key, label in STAGES]
    other = total - sum(t.get(key, 0.0) for key, _ in STAGES)
    detail = ", ".join(f"{k} {v:.2f}s" for k, v in t.items()
                       if k not in dict(STAGES) and k != "cpu")
    return ", ".join(parts) + f", other {other:.2f}s ({detail})"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=200_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="pulso-bench-export-") as tmp:
        tmpd = Path(tmp)
        path = tmpd / "Jun-01-2026_Jun-30-2026_meta_posts.csv"
        t0 = time.perf_counter()
        write_export(path, args.rows)
        print(f"generated {args.rows:,} rows ({path.stat().st_size / 1e6:.1f} MB) in "
              f"{time.perf_counter() - t0:.1f}s")
        targets = [("sqlite", lambda: (f"sqlite:///{tmpd / f'wh-{uuid.uuid4().hex}.db'}",
                                       None))]
        if pg_reachable():
            targets.append(("postgresql", lambda: (PG_URL, f"bench_{uuid.uuid4().hex[:10]}")))
        else:
            print("postgresql: not reachable on 127.0.0.1:5432, skipped")
        for name, target in targets:
            url, schema = target()
            dt, n, stages = run_pulso(url, path, schema)
            url, schema = target()
            base = run_baseline(url, path, schema)
            print(f"{name}: pulso load-export {n:,} rows in {dt:.2f}s = {n / dt:,.0f} rows/s "
                  f"(post + post_daily, validated, upserted)")
            print(f"{name}: baseline pandas.read_csv + to_sql {base:.2f}s = "
                  f"{args.rows / base:,.0f} rows/s (raw table, no validation)")
            print(f"{name}: ratio pulso/baseline time = {dt / base:.2f}x")
            print(f"{name}: stages {format_stages(stages, dt)}")
            print(f"{name}: process CPU {stages['cpu']:.2f}s for {dt:.2f}s wall "
                  f"({n / stages['cpu']:,.0f} rows per CPU-second; the rest is waiting for a "
                  "core or the database server)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
