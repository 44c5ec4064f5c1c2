"""Where Pulso keeps its files: the project root, `var/` for databases and outputs."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[3]
INCLUDE_DIR = PROJECT_ROOT / "include"
SQL_DIR = INCLUDE_DIR / "sql"
TEMPLATES_DIR = INCLUDE_DIR / "templates"
LEXICON_DIR = INCLUDE_DIR / "lexicon"

# Warehouse, reports and e-mails hold citizens' personal data: owner-only on disk.
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """Create `path` (and missing parents) owner-only; an existing folder is left as it is."""
    if not path.is_dir():
        path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
        try:
            path.chmod(PRIVATE_DIR_MODE)  # mkdir's mode is masked by the umask, never widened
        except OSError:
            pass
    return path


def make_private(path: Path) -> Path:
    """chmod 0600 a file Pulso wrote (best effort on filesystems without modes)."""
    try:
        os.chmod(path, PRIVATE_FILE_MODE)
    except OSError:
        pass
    return path


def var_dir() -> Path:
    """Writable state (SQLite warehouse, reports, outbox): PULSO_HOME or ./var."""
    return private_dir(Path(os.environ.get("PULSO_HOME") or PROJECT_ROOT / "var"))


def reports_dir() -> Path:
    return private_dir(Path(os.environ.get("PULSO_REPORTS_DIR") or var_dir() / "reports"))


def outbox_dir() -> Path:
    return private_dir(Path(os.environ.get("PULSO_OUTBOX_DIR") or var_dir() / "outbox"))
