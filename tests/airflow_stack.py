"""A REAL Airflow stack for end-to-end tests: api-server, scheduler, dag-processor, triggerer
(and optionally a Celery worker) as subprocesses, on a throwaway PostgreSQL metadata DB.

Why a template database: `airflow db migrate` costs ~10 s, so it runs once per session into
`pulso_af_tpl_<hex>`; every stack clones it with `CREATE DATABASE ... TEMPLATE` (sub-second).
Every database created here is dropped at teardown; every process group is killed.

Component logs go to `<tmp>/logs/<component>.log`; on a failure the client prints the task
logs and the tail of each component log so CI output says what went wrong.

Usage (see tests/e2e/conftest.py for the fixtures)::

    with airflow_stack(tmp, template_db, executor="CeleryExecutor",
                       warehouse_url=pg_warehouse) as stack:
        stack.client.unpause("pulso_report_monthly")
        run_id = stack.client.trigger("pulso_report_monthly", {"period": "2026-01"})
        stack.client.wait_run("pulso_report_monthly", run_id)   # raises with task logs
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import socket
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import psycopg

from pulso.dev.local_airflow import Supervisor, component_argv, ensure_password, stack_env

TERMINAL = {"success", "failed"}
BAD_TI = {"failed", "up_for_retry", "upstream_failed"}


class StackError(AssertionError):
    """The stack or a DAG run did not reach the expected state (message carries the logs)."""


# --------------------------------------------------------------------------- databases

def pg_url() -> str:
    """The session's PostgreSQL (`test` database), as resolved by the `pg_server` fixture."""
    from pulso.dev.services import DEFAULT_PG_URL

    return os.environ.get("PULSO_TEST_PG_URL", DEFAULT_PG_URL)


def pg_base() -> str:
    """The session server's URL without a database: `postgresql+psycopg://user@host:port`."""
    return pg_url().rsplit("/", 1)[0]


def pg_admin_dsn() -> str:
    """A libpq URI of the `test` database, for psycopg."""
    return pg_url().replace("postgresql+psycopg://", "postgresql://", 1).split("?", 1)[0]


def redis_url(db: int = 0) -> str:
    """The session's Redis (see the `redis_server` fixture), database `db`."""
    from pulso.dev.services import DEFAULT_REDIS_URL

    return os.environ.get("PULSO_TEST_REDIS_URL", DEFAULT_REDIS_URL).rsplit("/", 1)[0] + f"/{db}"


def _admin(sql: str) -> None:
    with psycopg.connect(pg_admin_dsn(), autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


def create_database(name: str, template: str | None = None) -> str:
    """CREATE DATABASE (optionally from a template); returns its SQLAlchemy URL."""
    tpl = f" TEMPLATE {template}" if template else ""
    _admin(f"CREATE DATABASE {name}{tpl}")
    return f"{pg_base()}/{name}"


def drop_database(name: str) -> None:
    _admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def clean_env() -> dict[str, str]:
    """This process' environment without any AIRFLOW_*/PULSO_* setting (set explicitly)."""
    return {k: v for k, v in os.environ.items()
            if not k.startswith(("AIRFLOW", "PULSO_", "_AIRFLOW"))}


@contextlib.contextmanager
def migrated_template(tmp: Path) -> Iterator[str]:
    """A migrated, empty Airflow metadata DB to clone; yields its database name."""
    from pulso.dev.airflow_env import airflow_env, migrate
    from pulso.dev.local_airflow import async_url

    name = f"pulso_af_tpl_{uuid.uuid4().hex[:10]}"
    url = create_database(name)
    try:
        home = tmp / "template-home"
        env = airflow_env(home, metadata_db=url, base=clean_env())
        env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC"] = async_url(url) or ""
        migrate(env)
        yield name
    finally:
        drop_database(name)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------- warehouse seed

def seed_warehouse(url: str, start: date, end: date) -> dict[str, int]:
    """Load the demo accounts for start..end and classify, through the library (no Airflow)."""
    from pulso.classify.store import classify_pending
    from pulso.core.config import load_config
    from pulso.core.paths import PROJECT_ROOT
    from pulso.ingest.daily import ingest_account
    from pulso.warehouse.engine import create_schema, make_engine

    engine = make_engine(url)
    try:
        create_schema(engine)
        config = load_config(PROJECT_ROOT / "pulso.yaml")
        for account in config.accounts:
            if account.source != "export":
                ingest_account(engine, config, account.account_id, start, end)
        return classify_pending(engine, config, start, end)
    finally:
        engine.dispose()


# --------------------------------------------------------------------------- REST client

@dataclass
class AirflowClient:
    """Just enough of the public REST API (v2) for the tests, with a JWT from /auth/token."""

    base_url: str
    username: str
    password: str
    on_failure: Any = None  # callable returning extra diagnostics (component logs)
    _http: httpx.Client = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._http = httpx.Client(base_url=self.base_url, timeout=30)

    def login(self) -> str:
        r = self._http.post("/auth/token", json={"username": self.username,
                                                 "password": self.password})
        if r.status_code != 201:
            raise StackError(f"POST /auth/token -> {r.status_code}: {r.text}")
        token = r.json()["access_token"]
        self._http.headers["Authorization"] = f"Bearer {token}"
        return token

    def request(self, method: str, path: str, *, expect: tuple[int, ...] = (200,),
                **kwargs) -> Any:
        r = self._http.request(method, path, **kwargs)
        if r.status_code == 401 and "Authorization" in self._http.headers:
            self.login()  # token expired: once more
            r = self._http.request(method, path, **kwargs)
        if r.status_code not in expect:
            raise StackError(f"{method} {path} -> {r.status_code}: {r.text[:2000]}")
        return r.json() if r.content and "json" in r.headers.get("content-type", "") else r.text

    def get(self, path: str, **kw) -> Any:
        return self.request("GET", path, **kw)

    # -- DAGs and runs
    def unpause(self, dag_id: str) -> None:
        self.request("PATCH", f"/api/v2/dags/{dag_id}", json={"is_paused": False})

    def trigger(self, dag_id: str, conf: dict | None = None) -> str:
        body = {"logical_date": None, "conf": conf or {}}
        run = self.request("POST", f"/api/v2/dags/{dag_id}/dagRuns", json=body, expect=(200,))
        return run["dag_run_id"]

    def runs(self, dag_id: str) -> list[dict]:
        return self.get(f"/api/v2/dags/{dag_id}/dagRuns",
                        params={"limit": 100, "order_by": "run_after"})["dag_runs"]

    def run(self, dag_id: str, run_id: str) -> dict:
        return self.get(f"/api/v2/dags/{dag_id}/dagRuns/{run_id}")

    def task_instances(self, dag_id: str, run_id: str) -> list[dict]:
        return self.get(f"/api/v2/dags/{dag_id}/dagRuns/{run_id}/taskInstances",
                        params={"limit": 500})["task_instances"]

    def task_log(self, dag_id: str, run_id: str, ti: dict) -> str:
        try_number = max(1, int(ti.get("try_number") or 1))
        path = (f"/api/v2/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{ti['task_id']}"
                f"/logs/{try_number}")
        try:
            data = self.get(path, params={"map_index": ti.get("map_index", -1),
                                          "full_content": True})
        except StackError as exc:
            return f"(log not available: {exc})"
        if isinstance(data, dict):
            lines = []
            for item in data.get("content") or []:
                if isinstance(item, dict):
                    lines.append(" ".join(str(item.get(k, "")) for k in
                                          ("timestamp", "level", "event") if item.get(k)))
                    if item.get("error_detail"):
                        lines.append(json.dumps(item["error_detail"], default=str)[:4000])
                else:
                    lines.append(str(item))
            return "\n".join(lines)
        return str(data)

    def describe_failure(self, dag_id: str, run_id: str) -> str:
        """Task states and the logs of the tasks that went wrong, plus component log tails."""
        out = [f"DAG run {dag_id}/{run_id}:"]
        try:
            tis = self.task_instances(dag_id, run_id)
        except StackError as exc:
            tis, _ = [], out.append(str(exc))
        for ti in tis:
            out.append(f"  {ti['task_id']}[{ti.get('map_index')}]: {ti.get('state')}")
        for ti in tis:
            if ti.get("state") in BAD_TI:
                out.append(f"--- log {ti['task_id']}[{ti.get('map_index')}] ---")
                out.append(self.task_log(dag_id, run_id, ti)[-6000:])
        if self.on_failure:
            out.append(self.on_failure())
        return "\n".join(out)

    def wait_run(self, dag_id: str, run_id: str, *, timeout: float = 150,
                 expect: str = "success") -> dict:
        """Poll a run until it is terminal; fail early (with logs) when a task goes wrong."""
        deadline = time.monotonic() + timeout
        run: dict = {}
        while time.monotonic() < deadline:
            run = self.run(dag_id, run_id)
            if run["state"] in TERMINAL:
                break
            if expect == "success":
                bad = [t for t in self.task_instances(dag_id, run_id) if t.get("state") in BAD_TI]
                if bad:
                    raise StackError(f"task(s) went wrong in {run_id}: "
                                     f"{[(t['task_id'], t['state']) for t in bad]}\n"
                                     + self.describe_failure(dag_id, run_id))
            time.sleep(1)
        else:
            raise StackError(f"{dag_id}/{run_id} not finished after {timeout:.0f}s "
                             f"(state {run.get('state')})\n" + self.describe_failure(dag_id, run_id))
        if run["state"] != expect:
            raise StackError(f"{dag_id}/{run_id} ended {run['state']}, expected {expect}\n"
                             + self.describe_failure(dag_id, run_id))
        return run

    # -- backfills
    def create_backfill(self, dag_id: str, from_date: str, to_date: str, **extra) -> dict:
        body = {"dag_id": dag_id, "from_date": from_date, "to_date": to_date, **extra}
        return self.request("POST", "/api/v2/backfills", json=body, expect=(200,))

    def backfill(self, backfill_id: int) -> dict:
        return self.get(f"/api/v2/backfills/{backfill_id}")

    def wait_backfill(self, backfill_id: int, timeout: float = 60) -> dict:
        """Until the scheduler marks the backfill completed (after its last run ended)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            bf = self.backfill(backfill_id)
            if bf.get("completed_at"):
                return bf
            time.sleep(1)
        raise StackError(f"backfill {backfill_id} not completed after {timeout:.0f}s: {bf}")

    def close(self) -> None:
        self._http.close()


# --------------------------------------------------------------------------- the stack

@dataclass
class AirflowStack:
    """Handles of a running stack: its client, directories and environment."""

    tmp: Path
    port: int
    env: dict[str, str]
    client: AirflowClient
    supervisor: Supervisor
    metadata_db: str
    warehouse_url: str

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def reports_dir(self) -> Path:
        return Path(self.env["PULSO_REPORTS_DIR"])

    @property
    def outbox_dir(self) -> Path:
        return Path(self.env["PULSO_OUTBOX_DIR"])

    @property
    def log_dir(self) -> Path:
        return self.tmp / "logs"

    def component_log(self, name: str) -> str:
        path = self.log_dir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def log_tails(self, lines: int = 40) -> str:
        out = []
        for name in sorted(self.supervisor.procs):
            tail = self.component_log(name).splitlines()[-lines:]
            out.append(f"=== {name} (exit {self.supervisor.procs[name].poll()}) "
                       f"{self.log_dir / (name + '.log')} ===\n" + "\n".join(tail))
        return "\n".join(out)


def _wait_healthy(stack: AirflowStack, components: list[str], dag_ids: list[str],
                  timeout: float) -> None:
    """Until the API answers, each component heartbeats and the DAGs are parsed."""
    deadline = time.monotonic() + timeout
    client, last = stack.client, "api-server not answering"
    need = {"metadatabase", "scheduler"} | {c.replace("-", "_") for c in components
                                            if c in {"dag-processor", "triggerer"}}
    while time.monotonic() < deadline:
        if dead := stack.supervisor.dead():
            raise StackError(f"Airflow component(s) exited: {dead}\n{stack.log_tails()}")
        try:
            health = httpx.get(f"{stack.url}/api/v2/monitor/health", timeout=5).json()
            sick = [k for k in need if (health.get(k) or {}).get("status") != "healthy"]
            if sick:
                last = f"unhealthy: {sick} {health}"
            else:
                if "Authorization" not in client._http.headers:
                    client.login()
                errors = client.get("/api/v2/importErrors")["import_errors"]
                if errors:
                    raise StackError(f"DAG import errors: {errors}")
                have = {d["dag_id"] for d in client.get("/api/v2/dags",
                                                        params={"limit": 100})["dags"]}
                missing = [d for d in dag_ids if d not in have]
                if not missing:
                    return
                last = f"DAGs not parsed yet: {missing}"
        except (httpx.HTTPError, ValueError) as exc:
            last = f"{type(exc).__name__}: {exc}"
        time.sleep(1)
    raise StackError(f"Airflow stack not ready after {timeout:.0f}s: {last}\n{stack.log_tails()}")


@contextlib.contextmanager
def airflow_stack(tmp: Path, template_db: str, *, executor: str = "LocalExecutor",
                  warehouse_url: str | None = None, celery_worker: bool | None = None,
                  triggerer: bool = True, dag_ids: tuple[str, ...] = (
                      "pulso_ingest_daily", "pulso_report_monthly"),
                  extra_env: dict[str, str] | None = None,
                  ready_timeout: float = 120) -> Iterator[AirflowStack]:
    """Start a real Airflow stack in `tmp`; stop everything and drop its DB on exit.

    executor: "LocalExecutor" or "CeleryExecutor" (then a Celery worker is started too,
    broker the session's Redis db 7, result backend the stack's metadata DB).
    """
    from pulso.dev.airflow_env import airflow_env

    tmp.mkdir(parents=True, exist_ok=True)
    home = tmp / "airflow-home"
    home.mkdir(exist_ok=True)
    (home / "airflow.cfg").write_text("[core]\n")  # no component writes (and races on) a cfg
    db_name = f"pulso_af_{uuid.uuid4().hex[:10]}"
    port = free_port()
    pulso_home = tmp / "var"
    warehouse_url = warehouse_url or f"sqlite:///{tmp / 'warehouse.db'}"

    metadata_url = create_database(db_name, template=template_db)
    sup: Supervisor | None = None
    client: AirflowClient | None = None
    try:
        env = airflow_env(home, metadata_db=metadata_url, base=clean_env())
        env = stack_env(env, home, port)
        password = ensure_password(home)
        env.update({
            "AIRFLOW__CORE__EXECUTOR": executor,
            "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_urlsafe(64),
            "AIRFLOW__API__SECRET_KEY": secrets.token_urlsafe(24),
            "AIRFLOW__CORE__FERNET_KEY": "",
            "AIRFLOW__CORE__LAZY_LOAD_PLUGINS": "False",
            # speed: parse at once, schedule eagerly, no cron-created runs to wait behind
            "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
            "AIRFLOW__DAG_PROCESSOR__MIN_FILE_PROCESS_INTERVAL": "300",
            "AIRFLOW__DAG_PROCESSOR__PARSING_PROCESSES": "1",
            "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "1",
            "AIRFLOW__SCHEDULER__JOB_HEARTBEAT_SEC": "1",
            "AIRFLOW__SCHEDULER__SCHEDULER_IDLE_SLEEP_TIME": "0.2",
            "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False",
            "AIRFLOW__TRIGGERER__JOB_HEARTBEAT_SEC": "1",
            "AIRFLOW__CORE__PARALLELISM": "4",
            "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
            # Pulso: everything under tmp
            "PULSO_HOME": str(pulso_home),
            "PULSO_REPORTS_DIR": str(pulso_home / "reports"),
            "PULSO_OUTBOX_DIR": str(pulso_home / "outbox"),
            "PULSO_WAREHOUSE_URL": warehouse_url,
            "PULSO_AUTHOR_SECRET": os.environ.get("PULSO_AUTHOR_SECRET", "test-author-secret"),
        })
        if executor == "CeleryExecutor":
            env.update({
                "AIRFLOW__CELERY__BROKER_URL": redis_url(7),
                "AIRFLOW__CELERY__RESULT_BACKEND": f"db+{pg_base()}/{db_name}",
                "AIRFLOW__CELERY__WORKER_CONCURRENCY": "3",
            })
        env.update(extra_env or {})
        sup = Supervisor(env, log_dir=tmp / "logs")
        components = ["api-server", "scheduler", "dag-processor"]
        if triggerer:
            components.append("triggerer")
        if celery_worker if celery_worker is not None else executor == "CeleryExecutor":
            components.append("celery-worker")
        for name in components:
            sup.start(name, component_argv(name, port))
        client = AirflowClient(f"http://127.0.0.1:{port}", "analista", password)
        stack = AirflowStack(tmp=tmp, port=port, env=env, client=client, supervisor=sup,
                             metadata_db=db_name, warehouse_url=warehouse_url)
        client.on_failure = stack.log_tails
        _wait_healthy(stack, components, list(dag_ids), ready_timeout)
        yield stack
    finally:
        if client is not None:
            client.close()
        if sup is not None:
            sup.stop(timeout=10)
        drop_database(db_name)


def pg_warehouse_url(schema: str) -> str:
    """A warehouse URL isolated in its own schema of the `test` database."""
    return f"{pg_url()}?pulso_schema={schema}"


def drop_pg_schema(schema: str) -> None:
    with psycopg.connect(pg_admin_dsn(), autocommit=True, connect_timeout=5) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")  # type: ignore[arg-type]
