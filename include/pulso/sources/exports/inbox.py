"""The export inbox: analysts drop files in `inbox/<account>/`; each is loaded once and filed.

Layout: `<inbox>/<account>/<file>` where `<account>` is an account id (`facebook:1234`), a
handle or a native id from pulso.yaml; files straight in `<inbox>/` must name their account
themselves (Meta posts: Page ID column). After loading, a file moves to `<inbox>/processed/...`
or `<inbox>/rejected/...` keeping its relative path, so the inbox only holds new files. A file
whose SHA-256 was already processed is not reloaded (just filed under processed/).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import Engine

from pulso.core.config import PulsoConfig
from pulso.sources.exports.loader import FileResult, process_file

DONE_DIRS = ("processed", "rejected")
_TEMP_SUFFIXES = (".crdownload", ".part", ".tmp", ".download")


def _is_candidate(path: Path) -> bool:
    name = path.name
    return (path.is_file() and not name.startswith((".", "~$"))
            and not name.lower().endswith(_TEMP_SUFFIXES))


def inbox_files(inbox: Path) -> list[tuple[Path, str | None]]:
    """New files and their account hint (first folder under the inbox), oldest first."""
    found: list[tuple[Path, str | None]] = []
    if not inbox.is_dir():
        return found
    for path in inbox.rglob("*"):
        rel = path.relative_to(inbox)
        if rel.parts[0] in DONE_DIRS or any(p.startswith(".") for p in rel.parts):
            continue
        if not _is_candidate(path):
            continue
        hint = rel.parts[0] if len(rel.parts) > 1 else None
        found.append((path, hint))
    found.sort(key=lambda ph: (ph[0].stat().st_mtime, str(ph[0])))
    return found


def _move(path: Path, inbox: Path, status_dir: str, sha: str) -> Path:
    dest = inbox / status_dir / path.relative_to(inbox)
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists():
        dest = dest.with_name(f"{dest.stem}.{sha[:12]}{dest.suffix}")
        n = 1
        while dest.exists():
            dest = dest.with_name(f"{path.stem}.{sha[:12]}.{n}{path.suffix}")
            n += 1
    shutil.move(str(path), str(dest))
    return dest


def process_inbox(engine: Engine, config: PulsoConfig | None,
                  inbox_dir: str | Path | None = None) -> list[FileResult]:
    """Load every new file in the inbox (one transaction per file) and file it away."""
    if inbox_dir is None:
        if config is None:
            raise ValueError("process_inbox needs a config or an inbox_dir")
        inbox = config.resolve_path(config.exports_inbox)
    else:
        inbox = Path(inbox_dir)
    results = []
    for path, hint in inbox_files(inbox):
        result = process_file(engine, path, config=config, account=hint, skip_known=True)
        result.moved_to = _move(path, inbox, "processed" if result.ok else "rejected",
                                result.sha256)
        results.append(result)
    return results
