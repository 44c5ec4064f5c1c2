"""Loading 1,000,000 generated messages: Pulso's load path vs pandas.DataFrame.to_sql.

Pulso streams the generator's chunks through validation and the upsert (COPY + merge on
PostgreSQL, prepared executemany on SQLite); the baseline builds one DataFrame of the same
rows and calls `to_sql` with default arguments. Both run in this process on fresh tables.

    .venv/bin/python bench/bench_load.py [--rows 1000000] [--only postgresql|sqlite]

Targets (issue 2): >= 50,000 rows/s and >= 10x to_sql on PostgreSQL.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import uuid
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import peak_rss_mb, pg_url, timer  # noqa: E402


def _engine(kind: str, tmp: Path):
    from pulso.warehouse.engine import create_schema, make_engine

    if kind == "sqlite":
        e = make_engine(f"sqlite:///{tmp / f'bench-{uuid.uuid4().hex[:6]}.db'}")
        create_schema(e)
        return e, None
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    e = make_engine(pg_url(), schema=schema)
    create_schema(e)
    return e, schema


def run(kind: str, rows: int, tmp: Path) -> None:
    import pandas as pd
    from sqlalchemy import func, select

    from pulso.core.config import load_config
    from pulso.core.paths import PROJECT_ROOT
    from pulso.sources.demo import iter_message_chunks
    from pulso.warehouse.engine import drop_pg_schema
    from pulso.warehouse.load import load_batch
    from pulso.warehouse.schema import message

    config = load_config(PROJECT_ROOT / "pulso.yaml")
    start, end = date(2026, 10, 1), date(2026, 10, 31)

    # The same rows for both contenders, generated before the clocks start.
    chunks = list(iter_message_chunks(config, start, end, rows, chunk_size=50_000))

    engine, schema = _engine(kind, tmp)
    loaded = 0
    with timer() as t_pulso:
        for chunk in chunks:  # validation + upsert, one transaction per chunk
            loaded += load_batch(engine, {"message": chunk}, source="bench").loaded["message"]
    with engine.connect() as conn:
        stored = conn.execute(select(func.count()).select_from(message)).scalar_one()
    assert stored == rows == loaded, (stored, rows, loaded)
    pulso_rate = rows / t_pulso["seconds"]
    with timer() as t_reload:  # the same rows again: idempotent re-load, nothing changes
        for chunk in chunks:
            load_batch(engine, {"message": chunk}, source="bench")
    rss_pulso = peak_rss_mb()

    # Baseline: the same rows as one DataFrame, to_sql with default arguments.
    base_engine, base_schema = _engine(kind, tmp)
    frame = pd.DataFrame([r for c in chunks for r in c])
    del chunks
    with timer() as t_base:
        frame.to_sql("message_to_sql", base_engine, if_exists="append", index=False)
    base_rate = rows / t_base["seconds"]
    del frame

    print(f"[{kind}] Pulso load path : {rows:,} rows in {t_pulso['seconds']:.1f} s = "
          f"{pulso_rate:,.0f} rows/s (peak RSS so far {rss_pulso:,.0f} MiB)")
    print(f"[{kind}] Pulso re-load   : {rows:,} rows in {t_reload['seconds']:.1f} s = "
          f"{rows / t_reload['seconds']:,.0f} rows/s (no row changed)")
    print(f"[{kind}] to_sql baseline : {rows:,} rows in {t_base['seconds']:.1f} s = "
          f"{base_rate:,.0f} rows/s")
    print(f"[{kind}] ratio Pulso / to_sql = {pulso_rate / base_rate:.1f}x  "
          f"(target >= 50,000 rows/s and >= 10x)")
    for e, s in ((engine, schema), (base_engine, base_schema)):
        if s:
            drop_pg_schema(e, s)
        e.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--only", choices=["postgresql", "sqlite"])
    args = parser.parse_args()
    kinds = [args.only] if args.only else ["postgresql", "sqlite"]
    with tempfile.TemporaryDirectory() as tmp:
        for kind in kinds:
            if kind == "postgresql" and not pg_url():
                print("[postgresql] not reachable on 127.0.0.1:5432: skipped")
                continue
            run(kind, args.rows, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
