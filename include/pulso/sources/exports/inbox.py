"""The export inbox: analysts drop files in `inbox/<account>/`; each is loaded once and filed.

Layout: `<inbox>/<account>/<file>` where `<account>` is an account id (`facebook:1234`), a
handle or a native id from pulso.yaml; files straight in `<inbox>/` must name their account
themselves (Meta posts: Page ID column). After loading, a file moves to `<inbox>/processed/...`
or `<inbox>/rejected/...` keeping its relative path, so the inbox only holds new files. A file
whose SHA-256 was already processed is not reloaded (just filed under processed/).

The inbox is a drop folder other people write to, so it is treated as hostile: links (and
anything resolving outside the inbox) are refused unread; a ZIP whose members would expand
past `MAX_UNCOMPRESSED` bytes or `MAX_RATIO` times their compressed size is refused from its
directory before anything is extracted; a file that fails in any way is moved to `rejected/`
with a `.motivo.txt` beside it, so one bad file never blocks the files after it.
"""

from __future__ import annotations

import logging
import os
import shutil
import zipfile
from pathlib import Path

from sqlalchemy import Engine

from pulso.core.cells import printable
from pulso.core.config import PulsoConfig
from pulso.sources.exports.loader import FileResult, process_file

log = logging.getLogger(__name__)

DONE_DIRS = ("processed", "rejected")
MAX_UNCOMPRESSED = int(os.environ.get("PULSO_INBOX_MAX_BYTES", 256 * 1024 * 1024))
MAX_RATIO = 100  # deflate reaches ~10-20x on CSV; a bomb reaches 500x+
_TEMP_SUFFIXES = (".crdownload", ".part", ".tmp", ".download")


def _is_candidate(path: Path) -> bool:
    name = path.name
    return ((path.is_file() or path.is_symlink()) and not name.startswith((".", "~$"))
            and not name.lower().endswith(_TEMP_SUFFIXES))


def refusal(path: Path, inbox: Path) -> str | None:
    """Why `path` must not be opened at all (a link, outside the inbox, too big), or None."""
    rel = path.relative_to(inbox)
    node = inbox
    for part in rel.parts:
        node = node / part
        if node.is_symlink():
            return "enlace simbólico: la bandeja solo acepta archivos, no enlaces"
    try:
        if not path.resolve(strict=True).is_relative_to(inbox.resolve()):
            return "el archivo está fuera de la bandeja de exportaciones"
        size = path.stat().st_size
    except OSError as exc:
        return f"no se puede leer ({exc.strerror})"
    if size > MAX_UNCOMPRESSED:
        return f"archivo demasiado grande ({size // 2**20} MB; máximo {MAX_UNCOMPRESSED // 2**20} MB)"
    with path.open("rb") as fh:
        is_zip = fh.read(4) == b"PK\x03\x04"
    return zip_refusal(path) if is_zip else None


def zip_refusal(path: Path) -> str | None:
    """A ZIP bomb check from the central directory only (nothing is decompressed)."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, EOFError):
        return None  # the parser reports a corrupt ZIP with its own message
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED:
        return (f"ZIP que se expande a {total // 2**20} MB (máximo "
                f"{MAX_UNCOMPRESSED // 2**20} MB): descomprímalo y deje solo las tablas")
    for i in infos:
        if i.file_size > 1024 * 1024 and i.file_size > MAX_RATIO * max(i.compress_size, 1):
            return (f"ZIP con una compresión anómala ({i.file_size // max(i.compress_size, 1)}"
                    f":1 en un miembro): rechazado por seguridad")
    return None


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
        reason = refusal(path, inbox)
        if reason is None:
            try:
                result = process_file(engine, path, config=config, account=hint,
                                      skip_known=True)
            except (MemoryError, Exception) as exc:  # noqa: BLE001 - one file never stops the rest
                log.exception("export %s failed", printable(path.name))
                reason = f"error al procesar el archivo ({type(exc).__name__})"
        if reason is not None:
            result = FileResult(path=path, sha256="", status="rejected",
                                message=f"{printable(path.name)}: {reason}")
            result.moved_to = _reject(path, inbox, reason)
        else:
            result.message = printable(result.message or "", limit=2000)  # names: escaped
            result.moved_to = _move(path, inbox, "processed" if result.ok else "rejected",
                                    result.sha256)
        results.append(result)
    return results


def _reject(path: Path, inbox: Path, reason: str) -> Path:
    """Move a refused file (or link, unfollowed) to rejected/ with its reason beside it."""
    import hashlib

    tag = hashlib.sha256(str(path).encode()).hexdigest()
    dest = _move(path, inbox, "rejected", tag)
    dest.with_name(dest.name + ".motivo.txt").write_text(reason + "\n", encoding="utf-8")
    return dest
