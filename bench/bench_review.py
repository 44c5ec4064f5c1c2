"""Revisión PQRS at real volume: 50,000 open cases in PostgreSQL, each page render < 500 ms.

Renders the triage page (query with counts + HTML) for the views the office uses: first page,
a filtered page (network + type + overdue), a text search, sort by score, a deep page, and the
case history page; each timed over several runs (median and worst). The baseline, in the same
process, is the old page: the first 500 candidates with no filters or counts.

    .venv/bin/python bench/bench_review.py [--cases 50000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import pg_url  # noqa: E402

TARGET_MS = 500.0
RUNS = 7


def _seed(engine, n: int, today: date) -> None:
    from pulso.warehouse.schema import message, pqrs_case

    nets = ["facebook", "instagram", "x", "youtube", "tiktok", "linkedin"]
    types = ["peticion", "queja", "reclamo", "sugerencia", "denuncia", "felicitacion"]
    base = datetime(2026, 1, 1, 14, tzinfo=UTC)
    for lo in range(0, n, 10_000):
        msgs, cases = [], []
        for i in range(lo, min(lo + 10_000, n)):
            mid = f"{nets[i % 6]}:{i}"
            msgs.append({"message_id": mid, "account_id": f"{nets[i % 6]}:ent",
                         "network": nets[i % 6], "kind": "comment",
                         "created_at": base + timedelta(minutes=i),
                         "text": (f"Llevamos {i % 30} días sin servicio de agua en el barrio "
                                  f"{i % 500}, nadie responde" if i % 7 else
                                  "Felicitaciones por la jornada de vacunación"),
                         "source": "bench"})
            cases.append({"message_id": mid, "pqrs_type": types[i % 6],
                          "pqrs_score": (i % 97) / 97, "received_at": base + timedelta(minutes=i),
                          "due_date": (None if i % 6 == 5
                                       else today + timedelta(days=(i % 40) - 15)),
                          "status": "candidate", "version": 0})
        with engine.begin() as conn:
            conn.execute(message.insert(), msgs)
            conn.execute(pqrs_case.insert(), cases)


def _time(fn) -> tuple[float, float]:
    samples = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples), max(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=50_000)
    args = parser.parse_args()
    url = pg_url()
    if url is None:
        print("PostgreSQL not reachable on 127.0.0.1:5432", file=sys.stderr)
        return 1
    from pulso.cases import review
    from pulso.warehouse.engine import create_schema, drop_pg_schema, make_engine
    from pulso.web.pages import case_page, pqrs_page

    schema = f"bench_review_{uuid.uuid4().hex[:8]}"
    engine = make_engine(url, schema=schema)
    today = date(2026, 3, 1)
    try:
        create_schema(engine)
        t0 = time.perf_counter()
        _seed(engine, args.cases, today)
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
        print(f"seeded {args.cases:,} open cases in {time.perf_counter() - t0:.1f} s "
              f"(schema {schema})")

        def page(query: dict[str, str]):
            def run() -> None:
                f, errors = review.parse_filters(query)
                listing = review.search_cases(engine, f, today=today)
                listing.errors = errors
                pqrs_page(base="/pulso", user="bench", cases=listing.rows, csrf="x" * 64,
                          can_write=True, listing=listing)
            return run

        def old_page() -> None:
            pqrs_page(base="/pulso", user="bench", csrf="x" * 64, can_write=True,
                      cases=review.open_candidates(engine, limit=500, today=today))

        def history() -> None:
            case_page(base="/pulso", user="bench", case=review.case_detail(engine, "x:2"))

        base_med, base_max = _time(old_page)
        print(f"baseline (old page: first 500, no filters/counts): median {base_med:.0f} ms, "
              f"worst {base_max:.0f} ms")
        views = {
            "first page (50, due date)": page({}),
            "network+type+overdue": page({"red": "x", "tipo": "queja", "vence": "vencidos"}),
            "text search 'agua' + score>=0.5": page({"q": "agua", "puntaje": "0.5"}),
            "sort by score, 100 per page": page({"orden": "puntaje", "por_pagina": "100"}),
            "deep page (page 900)": page({"pagina": "900"}),
            "case history page": history,
        }
        worst = 0.0
        for name, fn in views.items():
            med, mx = _time(fn)
            worst = max(worst, mx)
            print(f"{name:<34} median {med:6.0f} ms  worst {mx:6.0f} ms  "
                  f"ratio to baseline {med / base_med:.2f}")
        ok = worst < TARGET_MS
        print(f"worst page render {worst:.0f} ms (target < {TARGET_MS:.0f} ms): "
              f"{'OK' if ok else 'OVER TARGET'}")
        return 0 if ok else 1
    finally:
        engine.dispose()
        admin = make_engine(url)
        drop_pg_schema(admin, schema)
        admin.dispose()


if __name__ == "__main__":
    sys.exit(main())
