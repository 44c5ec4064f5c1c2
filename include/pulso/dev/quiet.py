"""A clean terminal for `make demo`: libraries write to a log file, Pulso to the terminal.

Airflow (dag.test, structlog), WeasyPrint (font and glyph warnings), Python warnings and any
subprocess write to file descriptors 1 and 2. `terminal_only_for_pulso(log)` points both at
`log` for its duration and yields a stream to the real terminal, on which the demo prints its
progress and results; `count_warnings(log)` gives the one summary line.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

_WARNING = re.compile(r"\[warning\s*\]|\bWARNING\b|Warning:", re.IGNORECASE)


@contextlib.contextmanager
def terminal_only_for_pulso(log: Path) -> Iterator[TextIO]:
    """Redirect fds 1 and 2 to `log` (emptied first); yield a line-buffered stream to the
    terminal."""
    log.parent.mkdir(parents=True, exist_ok=True)
    sys.stdout.flush()
    sys.stderr.flush()
    saved_out, saved_err = os.dup(1), os.dup(2)
    terminal = os.fdopen(os.dup(saved_out), "w", buffering=1, encoding="utf-8",
                         errors="replace")
    with open(log, "wb") as sink:
        os.dup2(sink.fileno(), 1)
        os.dup2(sink.fileno(), 2)
        try:
            yield terminal
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved_out, 1)
            os.dup2(saved_err, 2)
            os.close(saved_out)
            os.close(saved_err)
            terminal.flush()
            terminal.close()


def count_warnings(log: Path) -> int:
    """Warning lines in `log`."""
    if not log.exists():
        return 0
    with open(log, "rb") as fh:
        return sum(1 for line in fh if _WARNING.search(line.decode("utf-8", "replace")))
