"""Small helpers shared by the benchmark scripts."""

from __future__ import annotations

import resource
import time
from contextlib import contextmanager


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def timer():
    box = {}
    t0 = time.perf_counter()
    try:
        yield box
    finally:
        box["seconds"] = time.perf_counter() - t0


def pg_url() -> str | None:
    """The local PostgreSQL if reachable, else None."""
    import psycopg

    try:
        with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test", connect_timeout=3):
            return "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    except psycopg.OperationalError:
        return None
