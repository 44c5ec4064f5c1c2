"""The warehouse connection dropped mid-load, and a process killed mid-run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import date

import pytest
from sqlalchemy import func, select, text

from pulso.warehouse.schema import TABLES


def _state(engine) -> dict[str, list[tuple]]:
    """Everything in the warehouse except load times (they record when, not what)."""
    out = {}
    with engine.connect() as conn:
        for name, t in TABLES.items():
            cols = [c for c in t.columns if c.name not in ("loaded_at", "classified_at",
                                                            "updated_at")]
            out[name] = sorted(tuple(map(str, r)) for r in conn.execute(select(*cols)))
    return out


def _counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {n: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for n, t in TABLES.items()}


@pytest.mark.postgres
def test_connection_dropped_mid_load_rolls_back_and_retry_completes(
        pg_server, tmp_path, config, ledger) -> None:
    """pg_terminate_backend kills the loading session in the middle of a big COPY."""
    import uuid

    from pulso.sources.demo import iter_message_chunks
    from pulso.warehouse.engine import create_schema, drop_pg_schema, make_engine
    from pulso.warehouse.load import load_batch

    schema = f"t_{uuid.uuid4().hex[:10]}"
    engine = make_engine(pg_server, schema=schema)
    clean_schema = f"t_{uuid.uuid4().hex[:10]}"
    clean = make_engine(pg_server, schema=clean_schema)
    try:
        create_schema(engine)
        create_schema(clean)
        chunks = list(iter_message_chunks(config, date(2026, 3, 1), date(2026, 3, 3), 60_000,
                                          chunk_size=30_000))
        for c in chunks:
            load_batch(clean, {"message": c}, source="demo")

        with engine.connect() as conn:
            pid = conn.execute(text("SELECT pg_backend_pid()")).scalar()
            conn.rollback()
            killer_ran = threading.Event()

            def kill_soon() -> None:
                time.sleep(0.15)
                with make_engine(pg_server).connect() as admin:
                    admin.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
                    admin.commit()
                killer_ran.set()

            threading.Thread(target=kill_soon, daemon=True).start()
            ledger["faults_injected"] += 1
            with pytest.raises(Exception) as err:  # noqa: B017 - the driver's error type varies
                for c in chunks:
                    with conn.begin():
                        load_batch(conn, {"message": c}, source="demo")
                    time.sleep(0.2)
            assert killer_ran.wait(5)
            msg = str(err.value).lower()
            assert any(w in msg for w in ("terminat", "closed", "connection is lost")), msg
        engine.dispose()
        # whatever committed before the drop is whole; the batch in flight left nothing
        partial = _counts(engine)["message"]
        assert partial % 30_000 == 0
        # the retry (the task's next try) completes it
        for c in chunks:
            load_batch(engine, {"message": c}, source="demo")
        assert _state(engine) == _state(clean)
        ledger["faults_survived"] += 1
        ledger["rows_lost"] += _counts(clean)["message"] - _counts(engine)["message"]
    finally:
        engine.dispose()
        clean.dispose()
        admin = make_engine(pg_server)
        drop_pg_schema(admin, schema)
        drop_pg_schema(admin, clean_schema)
        admin.dispose()


def _ingest_cmd(url: str, start: str, end: str, home) -> list[str]:
    return [sys.executable, "-m", "pulso.cli", "ingest", "--start", start, "--end", end]


def _env(url: str, home) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"PULSO_WAREHOUSE_URL": url, "PULSO_HOME": str(home)})
    return env


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_sigkill_mid_run_then_rerun_gives_identical_state(backend, tmp_path, request, ledger):
    """SIGKILL the ingestion while it loads; the re-run ends where a clean run ends."""
    import uuid

    from pulso.warehouse.engine import create_schema, drop_pg_schema, make_engine

    if backend == "sqlite":
        url_killed = f"sqlite:///{tmp_path / 'killed.db'}"
        url_clean = f"sqlite:///{tmp_path / 'clean.db'}"
        schemas = []
    else:
        pg = request.getfixturevalue("pg_server")
        schemas = [f"t_{uuid.uuid4().hex[:10]}", f"t_{uuid.uuid4().hex[:10]}"]
        url_killed = f"{pg}?pulso_schema={schemas[0]}"
        url_clean = f"{pg}?pulso_schema={schemas[1]}"
    try:
        for u in (url_killed, url_clean):
            create_schema(make_engine(u))
        start, end = "2026-02-01", "2026-02-20"
        subprocess.run(_ingest_cmd(url_clean, start, end, tmp_path), env=_env(url_clean, tmp_path),
                       check=True, capture_output=True)

        killed = make_engine(url_killed)
        proc = subprocess.Popen(_ingest_cmd(url_killed, start, end, tmp_path),
                                env=_env(url_killed, tmp_path), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            if _counts(killed)["ingest_run"] >= 10:  # some days in, more to go
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the run finished before it could be killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        ledger["faults_injected"] += 1
        assert _counts(killed)["ingest_run"] < 20 * 6

        subprocess.run(_ingest_cmd(url_killed, start, end, tmp_path),
                       env=_env(url_killed, tmp_path), check=True, capture_output=True)
        clean = make_engine(url_clean)
        assert _state(killed) == _state(clean)
        ledger["faults_survived"] += 1
        ledger["rows_lost"] += sum(_counts(clean).values()) - sum(_counts(killed).values())
    finally:
        if schemas:
            admin = make_engine(request.getfixturevalue("pg_server"))
            for s in schemas:
                drop_pg_schema(admin, s)
