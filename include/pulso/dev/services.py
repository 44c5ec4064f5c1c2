"""PostgreSQL and Redis for the tests and `make airflow`: the running ones, or our own.

`ensure_postgres(url, data_dir)` returns `url` when a server answers there; otherwise it
starts a private server (Debian's `initdb`/`pg_ctl`, installed with apt-get when missing and
running as root) on a free port of 127.0.0.1 with its data in `data_dir`, and returns that
server's URL. `ensure_redis` does the same with `redis-server --save ''`. What this module
starts, it stops (`LocalServer.stop`); it never touches a server it did not start.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
_APT_UPDATED = False


class ServiceError(RuntimeError):
    """A service could not be found, installed or started (the message says what to do)."""


@dataclass
class LocalServer:
    """A server this process started: where it listens and how to stop it."""

    name: str
    url: str
    port: int
    data_dir: Path
    log: Path
    _stop: Callable[[], None] = field(repr=False, default=lambda: None)
    started: bool = True

    def stop(self) -> None:
        """Stop the server (idempotent)."""
        if self.started:
            self._stop()
            self.started = False


# --------------------------------------------------------------------------- helpers

def free_port() -> int:
    """A TCP port of 127.0.0.1 free right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _libpq_dsn(url: str) -> str:
    """A SQLAlchemy URL (`postgresql+psycopg://...`) as a libpq URI psycopg accepts."""
    parts = urlsplit(url)
    return urlunsplit(("postgresql", parts.netloc, parts.path, "", ""))


def apt_install(*packages: str) -> bool:
    """Install Debian packages when running as root with apt-get; False when not possible."""
    global _APT_UPDATED
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return False
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if not _APT_UPDATED:
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=False,
                       capture_output=True, timeout=600)
        _APT_UPDATED = True
    proc = subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends",
                           *packages], env=env, capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        raise ServiceError(f"apt-get install {' '.join(packages)} failed:\n{proc.stderr[-2000:]}")
    return True


def _wait(check: Callable[[], bool], timeout: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
    raise ServiceError(f"{what} did not answer after {timeout:.0f}s; log {log}:\n{tail}")


# --------------------------------------------------------------------------- PostgreSQL

def pg_answers(url: str, timeout: int = 3) -> bool:
    """True when a PostgreSQL server accepts a connection at `url`."""
    import psycopg

    try:
        with psycopg.connect(_libpq_dsn(url), connect_timeout=timeout):
            return True
    except psycopg.OperationalError:
        return False


def postgres_bindir() -> Path | None:
    """The folder of `pg_ctl`/`initdb` (PATH first, then Debian's newest version)."""
    if (found := shutil.which("pg_ctl")) and shutil.which("initdb"):
        return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
                      key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit()
                      else 0)
    return versions[-1].parent if versions else None


def _server_user() -> pwd.struct_passwd | None:
    """As root, the account that owns and runs the server (PostgreSQL refuses root)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise ServiceError("running as root and no 'postgres' or 'nobody' account to run PostgreSQL")


def _as_user(user: pwd.struct_passwd | None) -> Callable[[], None] | None:
    if user is None:
        return None

    def demote() -> None:
        os.setgid(user.pw_gid)
        os.setuid(user.pw_uid)

    return demote


def _chown_tree(path: Path, user: pwd.struct_passwd | None) -> None:
    if user is None:
        return
    for p in [path, *path.rglob("*")]:
        os.chown(p, user.pw_uid, user.pw_gid)


def start_postgres(data_dir: Path, *, port: int | None = None, dbname: str = "test",
                   user: str = "postgres") -> LocalServer:
    """A private PostgreSQL in `data_dir` (initialised on first use) on 127.0.0.1:`port`."""
    bindir = postgres_bindir()
    if bindir is None and apt_install("postgresql"):
        bindir = postgres_bindir()
    if bindir is None:
        raise ServiceError("PostgreSQL is not running and its programs (initdb, pg_ctl) are not "
                           "installed: install Debian's `postgresql` (sudo apt-get install "
                           "postgresql) or start a server and point PULSO_TEST_PG_URL at it")
    owner = _server_user()
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    pgdata, log = data_dir / "data", data_dir / "postgres.log"
    _chown_tree(data_dir, owner)
    demote = _as_user(owner)
    if not (pgdata / "PG_VERSION").exists():
        proc = subprocess.run([str(bindir / "initdb"), "-D", str(pgdata), "-U", user,
                               "-A", "trust", "-E", "UTF8", "--locale=C"],
                              capture_output=True, text=True, preexec_fn=demote, timeout=300)
        if proc.returncode != 0:
            raise ServiceError(f"initdb failed:\n{proc.stderr[-2000:]}")
    port = port or free_port()
    opts = (f"-p {port} -c listen_addresses=127.0.0.1 -k {data_dir} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
    proc = subprocess.run([str(bindir / "pg_ctl"), "-D", str(pgdata), "-l", str(log), "-o", opts,
                           "-w", "-t", "60", "start"], capture_output=True, text=True,
                          preexec_fn=demote, timeout=120)
    if proc.returncode != 0:
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        raise ServiceError(f"pg_ctl start failed: {proc.stderr[-1000:]}\n{tail}")

    def stop() -> None:
        subprocess.run([str(bindir / "pg_ctl"), "-D", str(pgdata), "-m", "fast", "-w", "stop"],
                       capture_output=True, preexec_fn=demote, timeout=120, check=False)

    admin = f"postgresql+psycopg://{user}@127.0.0.1:{port}/postgres"
    try:
        _wait(lambda: pg_answers(admin, timeout=2), 60, "PostgreSQL", log)
        create_database(admin, dbname)
    except Exception:
        stop()
        raise
    return LocalServer("postgresql", f"postgresql+psycopg://{user}@127.0.0.1:{port}/{dbname}",
                       port, data_dir, log, stop)


def create_database(admin_url: str, dbname: str) -> None:
    """CREATE DATABASE `dbname` unless it exists (through `admin_url`)."""
    import psycopg

    with psycopg.connect(_libpq_dsn(admin_url), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{dbname}"')  # type: ignore[arg-type]


def ensure_postgres(url: str, data_dir: Path) -> tuple[str, LocalServer | None]:
    """(`url`, None) when a server answers there, else (our server's URL, the server)."""
    if pg_answers(url):
        return url, None
    dbname = urlsplit(url).path.lstrip("/") or "test"
    server = start_postgres(data_dir, dbname=dbname, user=urlsplit(url).username or "postgres")
    return server.url, server


# --------------------------------------------------------------------------- Redis

def redis_answers(url: str, timeout: float = 2) -> bool:
    """True when a Redis server answers PING at `url`."""
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379),
                                      timeout=timeout) as s:
            s.sendall(b"PING\r\n")
            return s.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def start_redis(data_dir: Path, *, port: int | None = None) -> LocalServer:
    """A private Redis on 127.0.0.1:`port` that keeps nothing on disk."""
    binary = shutil.which("redis-server")
    if binary is None and apt_install("redis-server"):
        binary = shutil.which("redis-server")
    if binary is None:
        raise ServiceError("Redis is not running and `redis-server` is not installed: install "
                           "Debian's `redis-server` or point PULSO_TEST_REDIS_URL at a server")
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    log = data_dir / "redis.log"
    with open(log, "ab") as out:
        proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1",
                                 "--save", "", "--appendonly", "no", "--dir", str(data_dir)],
                                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)

    def stop() -> None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)

    url = f"redis://127.0.0.1:{port}/0"
    try:
        _wait(lambda: proc.poll() is None and redis_answers(url), 30, "Redis", log)
    except Exception:
        stop()
        raise
    return LocalServer("redis", url, port, data_dir, log, stop)


def ensure_redis(url: str, data_dir: Path) -> tuple[str, LocalServer | None]:
    """(`url`, None) when Redis answers there, else (our server's URL, the server)."""
    if redis_answers(url):
        return url, None
    server = start_redis(data_dir)
    return server.url, server


@contextlib.contextmanager
def running(server: LocalServer | None) -> Iterator[LocalServer | None]:
    """Stop `server` (if any) on exit."""
    try:
        yield server
    finally:
        if server is not None:
            server.stop()

