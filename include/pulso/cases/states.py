"""The PQRS case state machine: the one place that says which changes of a case are legal.

The UI actions (`pulso.cases.review`) and the returned register (`pulso.cases.registers`)
both check here, so an old spreadsheet cannot undo a filing the office made in the UI and a
case can never be stored in a state that lacks what the state means:

* candidate: screened, not reviewed yet; no response date (nothing was answered).
* filed (radicado): registered in the document system, so it has a radicado.
* answered (respondido): answered, so it has a response date.
* discarded (descartado): not a PQRS, with the reason.

Legal transitions: candidate -> filed | answered | discarded; filed -> answered; discarded ->
candidate (reopened by the office). A filed or answered case never goes back to candidate.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulso.core.vocab import CASE_STATUS_LABELS, CASE_STATUSES

TRANSITIONS: dict[str, frozenset[str]] = {
    "candidate": frozenset({"filed", "answered", "discarded"}),
    "filed": frozenset({"answered"}),
    "answered": frozenset(),
    "discarded": frozenset({"candidate"}),
}
# field -> Spanish message when a state lacks it
REQUIRED: dict[str, dict[str, str]] = {
    "filed": {"radicado": "un caso radicado necesita número de radicado"},
    "answered": {"responded_at": "un caso respondido necesita la fecha de respuesta"},
    "discarded": {"discard_reason": "un caso descartado necesita el motivo de descarte"},
}
FORBIDDEN: dict[str, dict[str, str]] = {
    "candidate": {"responded_at": "un caso candidato no puede tener fecha de respuesta: "
                                  "márquelo como Respondido (con su radicado) o borre la fecha"},
}


def label(status: str) -> str:
    """The Spanish label of a status, lower case, for sentences."""
    return CASE_STATUS_LABELS.get(status, status).lower()


def transition_error(old: str, new: str) -> str | None:
    """Why `old -> new` is not a legal change (Spanish), or None when it is."""
    if new not in CASE_STATUSES:
        return f"estado desconocido {new!r}"
    if old == new or new in TRANSITIONS.get(old, frozenset()):
        return None
    allowed = ", ".join(label(s) for s in sorted(TRANSITIONS.get(old, ()))) or "ninguno"
    return (f"un caso {label(old)} no puede pasar a {label(new)} "
            f"(cambios permitidos desde {label(old)}: {allowed})")


def state_errors(case: Mapping[str, Any]) -> dict[str, str]:
    """Field -> message for what the case's status requires or forbids (empty when valid)."""
    status = case.get("status")
    out = {f: msg for f, msg in REQUIRED.get(status, {}).items() if not case.get(f)}
    out |= {f: msg for f, msg in FORBIDDEN.get(status, {}).items() if case.get(f)}
    return out
