"""Time and peak memory of the monthly sentiment + PQRS reports on a synthetic month.

Usage: python bench/bench_sentiment_pqrs_reports.py [N_MESSAGES]   (default 100000)
Prints seconds per report, peak RSS and the ratio to a 10k-message baseline run in the same
process (how the cost scales).
"""

from __future__ import annotations

import random
import resource
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

TEXTS = ["Pésima atención, el subsidio nunca llega, llamen al 3001234567",
         "Gracias por la entrega de las viviendas, excelente trabajo",
         "¿A qué hora abren la oficina el sábado?",
         "El trámite es lentísimo y nadie responde en la línea",
         "Solicito información del subsidio de mejoramiento de vivienda"]


def fill(engine, n: int) -> None:
    from pulso.warehouse.load import upsert

    rng = random.Random(1)
    nets = ["facebook", "instagram", "x", "tiktok"]
    base = datetime(2026, 10, 1, 6, tzinfo=UTC)
    for lo in range(0, n, 50_000):
        msgs, labels, cases = [], [], []
        for i in range(lo, min(n, lo + 50_000)):
            at = base + timedelta(seconds=rng.randrange(30 * 86400))
            mid = f"m{i}"
            net = nets[i % 4]
            msgs.append({"message_id": mid, "account_id": f"{net}:1", "network": net,
                         "kind": ("comment", "dm", "mention", "reply")[i % 4], "created_at": at,
                         "author_key": f"{i % 5000:064x}", "author_handle": f"u{i % 5000}",
                         "is_own": False, "text": TEXTS[i % 5], "permalink": f"https://x/{i}",
                         "responded_at": at + timedelta(hours=3) if i % 3 == 0 else None,
                         "source": "bench"})
            s = ("negative", "positive", "neutral", "negative", "neutral")[i % 5]
            labels.append({"message_id": mid, "model_version": "b1", "sentiment": s,
                           "sentiment_score": rng.uniform(-1, 1), "pqrs_type": None,
                           "classified_at": at})
            if i % 20 == 0:
                cases.append({"message_id": mid, "pqrs_type": "peticion",
                              "pqrs_subtype": "informacion" if i % 40 == 0 else "general",
                              "pqrs_score": 0.7, "received_at": at,
                              "due_date": (at + timedelta(days=21)).date(),
                              "status": ("candidate", "filed", "answered", "discarded")[i % 4],
                              "radicado": f"R{i}" if i % 4 in (1, 2) else None,
                              "responded_at": at + timedelta(days=5) if i % 4 == 2 else None,
                              "discard_reason": "No es una petición" if i % 4 == 3 else None})
        with engine.begin() as conn:
            upsert(conn, "message", msgs)
            upsert(conn, "message_label", labels)
            upsert(conn, "pqrs_case", cases)


def run(n: int, tmp: Path) -> dict[str, float]:
    from pulso.core.config import load_config
    from pulso.core.paths import PROJECT_ROOT
    from pulso.core.periods import parse_period
    from pulso.reports import pqrs, sentiment
    from pulso.warehouse.engine import create_schema, make_engine

    engine = make_engine(f"sqlite:///{tmp / f'w{n}.db'}")
    create_schema(engine)
    fill(engine, n)
    ctx = SimpleNamespace(engine=engine, config=load_config(PROJECT_ROOT / "pulso.yaml"),
                          period=parse_period("2026-10"), out_dir=tmp / f"out{n}",
                          audience="citizen_service",
                          generated_at=datetime(2026, 11, 3, tzinfo=UTC))
    out = {}
    for name, mod in (("sentiment", sentiment), ("pqrs", pqrs)):
        t0 = time.perf_counter()
        mod.build(ctx)
        out[name] = time.perf_counter() - t0
    engine.dispose()
    return out


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as d:
        base = run(10_000, Path(d))
        got = run(n, Path(d))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for k in got:
        print(f"{k}: {got[k]:.1f} s for {n:,} messages (baseline 10k: {base[k]:.1f} s, "
              f"ratio {got[k] / base[k]:.1f}x)")
    print(f"total {sum(got.values()):.1f} s; peak RSS {rss:.0f} MB; day {date.today()}")


if __name__ == "__main__":
    main()
