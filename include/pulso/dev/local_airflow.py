"""`make airflow`: the project's DAGs and plugin in a real local Airflow (all components).

Runs the api-server (on 127.0.0.1), scheduler, dag-processor and triggerer as child processes,
each in its own process group, on PostgreSQL: the local server when it answers, else one started
here with its data in `.airflow/postgres` (see `metadata_database`); SQLite only with
PULSO_METADATA_DB=sqlite. The UI user is `analista` (admin) with a password
generated once into `.airflow/passwords.json`. Ctrl-C stops every component.

The process helpers (`component_argv`, `Supervisor`) are reused by the end-to-end test stack,
so what the tests start is what analysts run. No Airflow import here: only subprocesses.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from pulso.dev import airflow_env
from pulso.dev.services import LocalServer

UI_USER = "analista"
DEFAULT_PORT = 8080
COMPONENTS = ("api-server", "scheduler", "dag-processor", "triggerer")


def airflow_bin() -> str:
    """The `airflow` executable next to this interpreter (the project's .venv)."""
    return str(Path(sys.executable).with_name("airflow"))


def async_url(sync_url: str) -> str | None:
    """The async twin of a psycopg URL (Airflow would otherwise ask for asyncpg)."""
    for prefix in ("postgresql+psycopg://", "postgresql://", "postgres://"):
        if sync_url.startswith(prefix):
            return "postgresql+psycopg_async://" + sync_url[len(prefix):]
    return None


def ensure_password(home: Path, user: str = UI_USER) -> str:
    """The UI password of `user` from `<home>/passwords.json`, generated on first use."""
    path = home / "passwords.json"
    data: dict[str, str] = {}
    if path.exists():
        try:
            data = json.loads(path.read_text() or "{}")
        except json.JSONDecodeError as exc:
            raise SystemExit(f"{path}: JSON inválido ({exc}); bórrelo para generar otro") from None
    if not data.get(user):
        data[user] = secrets.token_urlsafe(12)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data) + "\n")
        path.chmod(0o600)
    return data[user]


def ensure_secret(home: Path, name: str = "jwt_secret") -> str:
    """A random secret kept in `<home>/<name>` so every component (and restart) shares it."""
    path = home / name
    if not path.exists() or not path.read_text().strip():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(64) + "\n")
        path.chmod(0o600)
    return path.read_text().strip()


def stack_env(env: Mapping[str, str], home: Path, port: int, *,
              users: str = f"{UI_USER}:admin") -> dict[str, str]:
    """Settings shared by every component: auth, api URLs, psycopg async driver."""
    out = dict(env)
    out.update({
        "AIRFLOW__CORE__AUTH_MANAGER":
            "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": users,
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(home / "passwords.json"),
        "AIRFLOW__API__PORT": str(port),
        "AIRFLOW__API__BASE_URL": f"http://localhost:{port}",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
    })
    db = out["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    if (aurl := async_url(db)) and not out.get("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC"):
        out["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC"] = aurl
    if db.startswith("sqlite"):
        # SQLite allows one writer: the components still work, one task at a time.
        out.setdefault("AIRFLOW__CORE__PARALLELISM", "4")
    return out


def component_argv(name: str, port: int, *, celery_concurrency: int | None = None) -> list[str]:
    """The command line of one Airflow component (Celery concurrency: [celery] config if None)."""
    af = airflow_bin()
    if name == "api-server":
        return [af, "api-server", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"]
    if name == "celery-worker":
        extra = ["--concurrency", str(celery_concurrency)] if celery_concurrency else []
        return [af, "celery", "worker", *extra, "--without-gossip", "--without-mingle"]
    if name in {"scheduler", "dag-processor", "triggerer"}:
        return [af, name]
    raise ValueError(f"unknown Airflow component {name!r}")


@dataclass
class Supervisor:
    """Child processes in their own process groups, stopped together (SIGTERM, then SIGKILL)."""

    env: dict[str, str]
    log_dir: Path | None = None  # None: inherit the terminal
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)
    _logs: list[IO] = field(default_factory=list)

    def start(self, name: str, argv: Sequence[str]) -> subprocess.Popen:
        out: int | IO | None = None
        if self.log_dir is not None:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            fh = open(self.log_dir / f"{name}.log", "ab")  # noqa: SIM115 - closed in stop()
            self._logs.append(fh)
            out = fh
        proc = subprocess.Popen(list(argv), env=self.env, stdout=out,
                                stderr=subprocess.STDOUT if out else None,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        self.procs[name] = proc
        return proc

    def dead(self) -> dict[str, int]:
        """Components that exited, with their return codes."""
        return {n: p.returncode for n, p in self.procs.items() if p.poll() is not None}

    def stop(self, timeout: float = 15.0) -> None:
        """Terminate every process group; kill what is still alive after `timeout`.

        Airflow puts each task process in a process group of its own, so the descendants are
        collected first and killed individually if they outlive their component.
        """
        family = {pid for proc in self.procs.values() for pid in _descendants(proc.pid)}
        for proc in self.procs.values():
            _signal_group(proc, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for proc in self.procs.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
        for proc in self.procs.values():
            # the group may hold task or worker children even when the leader exited
            _signal_group(proc, signal.SIGKILL)
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
        for pid in family | {p for proc in self.procs.values() for p in _descendants(proc.pid)}:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        for fh in self._logs:
            fh.close()
        self._logs.clear()


def _descendants(root: int) -> set[int]:
    """PIDs below `root` (from /proc; empty where /proc is unavailable)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = entry.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.parent.name))
    out: set[int] = set()
    todo = [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in out:
                out.add(child)
                todo.append(child)
    return out


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(proc.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def metadata_database(home: Path) -> tuple[str, LocalServer | None]:
    """Airflow's metadata DB: PULSO_METADATA_DB when set (`sqlite` for SQLite under `home`),
    else PostgreSQL: database `pulso_airflow` on the local server when it answers, else on a
    server of our own with its data in `<home>/postgres` (stopped with Airflow).

    SQLite is only an explicit choice: creating a backfill there can fail with "database is
    locked" while the scheduler writes.
    """
    from pulso.dev import services

    chosen = os.environ.get("PULSO_METADATA_DB")
    if chosen:
        return chosen, None
    local = os.environ.get("PULSO_LOCAL_PG_URL", services.DEFAULT_PG_URL)
    if services.pg_answers(local):
        admin = local.rsplit("/", 1)[0]
        services.create_database(f"{admin}/postgres", "pulso_airflow")
        return f"{admin}/pulso_airflow", None
    print(f"PostgreSQL no responde en {_safe_url(local)}: iniciando uno propio en "
          f"{home / 'postgres'}…", flush=True)
    server = services.start_postgres(home / "postgres", dbname="pulso_airflow")
    return server.url, server


def _safe_url(url: str) -> str:
    """`url` without its password."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@")
    return url


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pulso.dev.local_airflow",
                                     description="Airflow local con los DAGs de Pulso")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PULSO_AIRFLOW_PORT",
                                                                       DEFAULT_PORT)))
    args = parser.parse_args(argv)

    home_dir = Path(os.environ.get("PULSO_AIRFLOW_HOME") or airflow_env.PROJECT_ROOT / ".airflow")
    metadata_db, pg_server = metadata_database(home_dir)
    env = airflow_env.apply(home_dir, metadata_db=metadata_db)
    home = Path(env["AIRFLOW_HOME"])
    password = ensure_password(home)
    env = stack_env(env, home, args.port)
    env.setdefault("AIRFLOW__API_AUTH__JWT_SECRET", ensure_secret(home))
    os.environ.update(env)
    db = env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    kind = "PostgreSQL" if db.startswith("postgres") else "SQLite"
    print(f"Migrando la base de metadatos ({kind})…", flush=True)
    airflow_env.migrate(env)  # also writes airflow.cfg with shared secrets before any component

    sup = Supervisor(env)
    print(f"\nAirflow: http://127.0.0.1:{args.port}\n  usuario: {UI_USER}\n"
          f"  contraseña: {password}   (guardada en {home / 'passwords.json'})\n"
          f"  metadatos: {kind} ({_safe_url(db)})\n"
          f"  zona horaria: {env['AIRFLOW__CORE__DEFAULT_TIMEZONE']} (la interfaz usa la del "
          "navegador; se cambia en el menú de usuario)\nCtrl-C para detener.\n", flush=True)
    stopping = False

    def _stop(signum, _frame):  # SIGTERM behaves like Ctrl-C
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)
    try:
        for name in COMPONENTS:
            sup.start(name, component_argv(name, args.port))
        while not (dead := sup.dead()):
            time.sleep(1)
        print(f"Un componente terminó: {dead}; deteniendo los demás.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        stopping = True
        return 0
    finally:
        if stopping:
            print("\nDeteniendo Airflow…", flush=True)
        sup.stop()
        if pg_server is not None:
            pg_server.stop()


if __name__ == "__main__":
    raise SystemExit(main())
