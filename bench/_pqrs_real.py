"""Real-text PQRS evaluation helpers shared by the bench scripts (never used by tests).

The sets under ../shared have no licence to ship: they are read from there at run time only,
and nothing derived from them (text, models) is written inside the project.

Scoring of the four staff labels of ngo_co (documented here and printed by the scripts):

* gold -> class: "Solicitud de información" -> info, "Solicitud  de asistencia" -> asistencia,
  "Insatisfacción mínima" -> insatisfaccion, "Retroalimentación positiva" -> positiva.
* prediction -> class: peticion with subtype informacion/consulta -> info; peticion general ->
  asistencia; queja/reclamo/sugerencia/denuncia -> insatisfaccion; felicitacion -> positiva;
  no candidate -> "none" (a fifth column: it is a miss for every gold class).
* type macro-F1 = mean of the per-class F1 over the four gold classes (the "none" column lowers
  recall, never adds a class).
* "flagged" = share of rows given any PQRS type but felicitación (what the review queue sees).
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
NGO = SHARED / "pqrs" / "ngo_co"
TASS = SHARED / "sentiment" / "tass2020_es.csv"
SEED = SHARED / "pqrs" / "seed_examples.csv"

STAFF = {
    "Solicitud de información": "info",
    "Solicitud  de asistencia": "asistencia",
    "Insatisfacción mínima": "insatisfaccion",
    "Retroalimentación positiva": "positiva",
}
CLASSES = ("info", "asistencia", "insatisfaccion", "positiva")
STAFF_NAME = {v: k for k, v in STAFF.items()}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def ngo(split: str) -> tuple[list[str], list[str]]:
    """Texts and mapped gold classes of ngo_co/{split}.csv."""
    rows = read_csv(NGO / f"{split}.csv")
    return [r["text"] for r in rows], [STAFF[r["label"]] for r in rows]


def to_class(pqrs_type: str | None, subtype: str | None) -> str:
    """A screener's (type, subtype) read as one of the four staff classes, or 'none'."""
    if pqrs_type is None:
        return "none"
    if pqrs_type == "peticion":
        return "asistencia" if subtype == "general" else "info"
    if pqrs_type == "felicitacion":
        return "positiva"
    return "insatisfaccion"


def macro_f1(gold: Sequence[str], pred: Sequence[str],
             classes: Sequence[str] = CLASSES) -> tuple[float, dict[str, tuple[float, float, float]]]:
    """Macro-F1 over `classes` and per-class (precision, recall, F1)."""
    per: dict[str, tuple[float, float, float]] = {}
    for c in classes:
        tp = sum(g == c and p == c for g, p in zip(gold, pred, strict=True))
        fp = sum(g != c and p == c for g, p in zip(gold, pred, strict=True))
        fn = sum(g == c and p != c for g, p in zip(gold, pred, strict=True))
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        per[c] = (p, r, 2 * p * r / (p + r) if p + r else 0.0)
    return sum(v[2] for v in per.values()) / len(classes), per


def confusion(gold: Sequence[str], pred: Sequence[str]) -> str:
    cols = (*CLASSES, "none")
    conf = Counter(zip(gold, pred, strict=True))
    lines = [" " * 16 + "".join(f"{c[:10]:>12}" for c in cols)]
    for g in CLASSES:
        lines.append(f"{g:>16}" + "".join(f"{conf[(g, c)]:>12}" for c in cols))
    return "\n".join(lines)
