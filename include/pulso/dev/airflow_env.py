"""A self-contained local Airflow for the demo, tests and `make airflow`.

Everything lives under the project (git-ignored): AIRFLOW_HOME in `.airflow/`, the metadata
database in SQLite unless PULSO_METADATA_DB (or AIRFLOW__DATABASE__SQL_ALCHEMY_CONN) points
to PostgreSQL. Must run before `airflow` is imported.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pulso.core.paths import PROJECT_ROOT


def airflow_env(home: Path | None = None, *, metadata_db: str | None = None,
                base: dict[str, str] | None = None) -> dict[str, str]:
    """Environment variables for a project-local Airflow."""
    env = dict(os.environ if base is None else base)
    home = Path(home or env.get("PULSO_AIRFLOW_HOME") or PROJECT_ROOT / ".airflow")
    home.mkdir(parents=True, exist_ok=True)
    db = (metadata_db or env.get("PULSO_METADATA_DB")
          or env.get("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN") or "sqlite")
    if db == "sqlite":  # the explicit choice (PULSO_METADATA_DB=sqlite), and the default here
        db = f"sqlite:///{home / 'airflow.db'}"
    env.update({
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT_ROOT / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(PROJECT_ROOT / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DEFAULT_TIMEZONE": entity_timezone(),
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": db,
        "AIRFLOW__DATABASE__LOAD_DEFAULT_CONNECTIONS": "False",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": env.get("AIRFLOW__LOGGING__LOGGING_LEVEL", "WARNING"),
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",
    })
    if db.startswith("postgresql") and "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC" not in env:
        # Airflow would pick asyncpg for its async engine; psycopg 3 does async itself.
        rest = db.split("://", 1)[1]
        env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC"] = f"postgresql+psycopg_async://{rest}"
    env.setdefault("AIRFLOW__CORE__EXECUTOR", "LocalExecutor")
    return env


def entity_timezone() -> str:
    """The entity's time zone (pulso.yaml `entity.timezone`): schedules and dates in Airflow.

    Airflow 3.3 has no server-side UI time zone ([webserver] default_ui_timezone was removed):
    the UI shows the browser's zone, which each user can change in the UI's user menu.
    """
    from pulso.core.config import get_config

    return get_config().entity.timezone


def apply(home: Path | None = None, **kwargs) -> dict[str, str]:
    """Set the local Airflow environment in this process (before importing airflow)."""
    env = airflow_env(home, **kwargs)
    os.environ.update(env)
    return env


def migrate(env: dict[str, str]) -> None:
    """`airflow db migrate` for the metadata database (idempotent)."""
    airflow = Path(sys.executable).with_name("airflow")
    subprocess.run([str(airflow), "db", "migrate"], env=env, check=True,
                   stdout=subprocess.DEVNULL)
