"""Fault-injection suite: every test records what it injected; the totals print at the end.

Run alone with `.venv/bin/pytest -m faults -q`; it also runs in `make test`.
"""

from __future__ import annotations

from collections import Counter

import pytest

LEDGER: Counter = Counter()


@pytest.fixture
def ledger() -> Counter:
    return LEDGER


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        if "tests/faults/" in str(item.fspath):
            item.add_marker(pytest.mark.faults)


def pytest_terminal_summary(terminalreporter) -> None:
    if not LEDGER:
        return
    tr = terminalreporter
    tr.section("Pulso fault injection")
    tr.line(f"faults injected:          {LEDGER['faults_injected']}")
    tr.line(f"faults survived:          {LEDGER['faults_survived']}")
    tr.line(f"malformed inputs tried:   {LEDGER['malformed_inputs']}")
    tr.line(f"  handled (clear error or rejected row): {LEDGER['malformed_handled']}")
    tr.line(f"rows lost:                {LEDGER['rows_lost']}")
    tr.line(f"duplicate e-mails:        {LEDGER['duplicate_emails']}")
