"""Stand-in report figures for tests that exercise the runner and the e-mail, not a builder."""

from __future__ import annotations

from typing import Any

from pulso.reports.summary import PqrsSummary


def pqrs_summary(**over: Any) -> PqrsSummary:
    """A consistent PQRS summary (valid = on time + late + pending + overdue); override any field."""
    base: dict[str, Any] = dict(
        messages=12345, screened=12000, answered_in_network=800, candidates=70, valid=57,
        filed=50, answered=41, discarded=9, answered_in_network_cases=44,
        median_hours_network=6.5, pending_review=4, on_time=38, late=3, pending_in_term=9,
        overdue=7, overdue_backlog=2, felicitaciones=4,
        by_type={"peticion": 40, "queja": 10, "denuncia": 7, "sugerencia": 0, "felicitacion": 4},
        alerts=["Denuncia por <posible> corrupción"], as_of="2026-11-07")
    return PqrsSummary(**(base | over))
