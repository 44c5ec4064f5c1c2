"""Where Pulso keeps its files: the project root, `var/` for databases and outputs."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[3]
INCLUDE_DIR = PROJECT_ROOT / "include"
SQL_DIR = INCLUDE_DIR / "sql"
TEMPLATES_DIR = INCLUDE_DIR / "templates"
LEXICON_DIR = INCLUDE_DIR / "lexicon"


def var_dir() -> Path:
    """Writable state (SQLite warehouse, reports, outbox): PULSO_HOME or ./var."""
    path = Path(os.environ.get("PULSO_HOME") or PROJECT_ROOT / "var")
    path.mkdir(parents=True, exist_ok=True)
    return path


def reports_dir() -> Path:
    path = Path(os.environ.get("PULSO_REPORTS_DIR") or var_dir() / "reports")
    path.mkdir(parents=True, exist_ok=True)
    return path


def outbox_dir() -> Path:
    path = Path(os.environ.get("PULSO_OUTBOX_DIR") or var_dir() / "outbox")
    path.mkdir(parents=True, exist_ok=True)
    return path
