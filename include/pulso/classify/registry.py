"""Versioned entity PQRS models in the warehouse, and the labels they learn from.

Labels: every case the office decided in Revisión PQRS or through a returned register
(`pqrs_case` not a plain candidate any more, or with an event in `pqrs_case_event`): its final
type and subtype when filed/answered/retyped, "none" when discarded. An optional historical
register (CSV/XLSX with text and tipo columns, as exported from the document management system)
adds more.

Models are stored whole in the table `classifier_model` (warehouse/schema.py; npz bytes, no pickles), so every
worker of a distributed deployment reads the same one. At most one is active; the daily
classification uses it only if it beat the shipped screener on the entity's held-out labels.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, select, update

from pulso.classify.model import LinearModel, join_class
from pulso.warehouse.schema import classifier_model  # made by create_schema with the rest

# Register "tipo" values (Spanish, any case/accents) -> (pqrs_type, subtype).
_TIPOS = {
    "peticion": ("peticion", "general"), "peticion de informacion": ("peticion", "informacion"),
    "solicitud de informacion": ("peticion", "informacion"), "informacion": ("peticion", "informacion"),
    "consulta": ("peticion", "consulta"), "peticion de consulta": ("peticion", "consulta"),
    "peticion general": ("peticion", "general"), "solicitud": ("peticion", "general"),
    "queja": ("queja", None), "reclamo": ("reclamo", None), "sugerencia": ("sugerencia", None),
    "denuncia": ("denuncia", None), "felicitacion": ("felicitacion", None),
    "no es pqrs": (None, None), "no pqrs": (None, None), "descartado": (None, None),
    "descartada": (None, None), "ninguno": (None, None),
}
_TEXT_COLUMNS = ("text", "texto", "mensaje", "descripcion", "asunto")
_TYPE_COLUMNS = ("tipo", "tipo pqrs", "tipo_pqrs", "pqrs_type", "type", "clase")


class RegistryError(ValueError):
    """Bad input for training (message in Spanish for the analyst)."""


def _fold(s: object) -> str:
    t = unicodedata.normalize("NFKD", str(s)).encode("ascii", "ignore").decode().lower()
    return " ".join(t.replace("_", " ").split())


def office_labels(engine: Engine) -> tuple[list[str], list[str]]:
    """(texts, model classes) of every case the office decided; anonymised texts are skipped."""
    from pulso.warehouse.schema import message, pqrs_case, pqrs_case_event

    decided = select(pqrs_case_event.c.message_id).distinct()
    q = (
        select(message.c.text, pqrs_case.c.pqrs_type, pqrs_case.c.pqrs_subtype,
               pqrs_case.c.status)
        .join(message, message.c.message_id == pqrs_case.c.message_id)
        .where((pqrs_case.c.status != "candidate") | pqrs_case.c.message_id.in_(decided))
        .where(message.c.text.is_not(None))
        .order_by(pqrs_case.c.message_id)
    )
    texts: list[str] = []
    classes: list[str] = []
    with engine.connect() as conn:
        for text, ptype, sub, status in conn.execute(q):
            if not text or not str(text).strip():
                continue
            texts.append(str(text))
            classes.append("none" if status == "discarded" else join_class(ptype, sub))
    return texts, classes


def read_register_file(path: str | Path) -> tuple[list[str], list[str]]:
    """(texts, model classes) from a historical register: CSV or XLSX with text and tipo."""
    import pandas as pd

    p = Path(path)
    if not p.exists():
        raise RegistryError(f"no existe el archivo {p}")
    try:
        if p.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
            df = pd.read_excel(p, dtype=str)
        else:
            df = pd.read_csv(p, dtype=str, sep=None, engine="python", encoding="utf-8-sig")
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the analyst's input error
        raise RegistryError(f"no se pudo leer {p.name}: {exc}") from exc
    cols = {_fold(c): c for c in df.columns}
    tcol = next((cols[c] for c in _TEXT_COLUMNS if c in cols), None)
    ycol = next((cols[c] for c in _TYPE_COLUMNS if c in cols), None)
    if tcol is None or ycol is None:
        raise RegistryError(f"{p.name}: se necesitan las columnas de texto ({', '.join(_TEXT_COLUMNS)}) "
                            f"y de tipo ({', '.join(_TYPE_COLUMNS)}); columnas: {list(df.columns)}")
    scol = cols.get("subtipo")
    texts: list[str] = []
    classes: list[str] = []
    unknown: set[str] = set()
    for _, row in df.iterrows():
        text, tipo = row[tcol], row[ycol]
        if not isinstance(text, str) or not text.strip() or not isinstance(tipo, str):
            continue
        key = _fold(tipo)
        if key not in _TIPOS:
            unknown.add(tipo)
            continue
        ptype, sub = _TIPOS[key]
        if scol is not None and isinstance(row[scol], str) and ptype == "peticion":
            sub = _fold(row[scol]) or sub
        texts.append(text)
        classes.append(join_class(ptype, sub))
    if unknown:
        raise RegistryError(f"{p.name}: tipos no reconocidos: {sorted(unknown)[:10]}")
    return texts, classes


@dataclass
class TrainResult:
    version: str
    n_labels: int
    figures: dict
    beats_shipped: bool
    active: bool


def train(engine: Engine, *, register: str | Path | None = None, actor: str = "pulso",
          cv_folds: int = 5, now: datetime | None = None) -> TrainResult:
    """Fit, cross-validate and store a new entity model; activate it if it beats the shipped one."""
    from pulso.classify.entity import MIN_LABELS, fit_entity_model

    texts, classes = office_labels(engine)
    if register is not None:
        rt, rc = read_register_file(register)
        texts += rt
        classes += rc
    if len(texts) < MIN_LABELS:
        raise RegistryError(f"hay {len(texts)} etiquetas (decisiones de la oficina y registro); "
                            f"se necesitan al menos {MIN_LABELS}")
    now = now or datetime.now(UTC)
    with engine.connect() as conn:
        n_models = conn.execute(select(classifier_model.c.version)).fetchall()
    version = f"pqrs-ent-{len(n_models) + 1}-{now:%Y%m%d}"
    model, figures = fit_entity_model(texts, classes, version=version, cv_folds=cv_folds)
    beats = figures.get("cv_macro_f1", 0.0) > figures.get("shipped_macro_f1", 1.0)
    with engine.begin() as conn:
        if beats:
            conn.execute(update(classifier_model).values(active=False))
        conn.execute(classifier_model.insert().values(
            version=version, created_at=now, n_labels=len(texts), figures=json.dumps(figures),
            beats_shipped=beats, active=beats, trained_by=actor, model=model.to_bytes()))
    return TrainResult(version, len(texts), figures, beats, beats)


def load_active(engine: Engine) -> LinearModel | None:
    """The active entity model, or None (use the shipped screener)."""
    from sqlalchemy import inspect

    if not inspect(engine).has_table("classifier_model"):
        return None
    with engine.connect() as conn:
        row = conn.execute(select(classifier_model.c.model)
                           .where(classifier_model.c.active.is_(True))).first()
    return LinearModel.from_bytes(row[0]) if row else None


def activate(engine: Engine, version: str | None) -> None:
    """Make `version` the active model; None goes back to the shipped screener."""
    with engine.begin() as conn:
        if version is not None and conn.execute(
                select(classifier_model.c.version).where(classifier_model.c.version == version)
        ).first() is None:
            raise RegistryError(f"no existe el modelo {version}")
        conn.execute(update(classifier_model).values(active=False))
        if version is not None:
            conn.execute(update(classifier_model).where(classifier_model.c.version == version)
                         .values(active=True))


def rollback(engine: Engine) -> str | None:
    """Deactivate the active model and return to the previous one that beat the shipped
    screener (or to the shipped screener). Returns the version now in use (None = shipped)."""
    rows = list_models(engine)
    current = next((r for r in rows if r["active"]), None)
    earlier = [r for r in rows if r["beats_shipped"] and current is not None
               and r["created_at"] < current["created_at"]]
    target = earlier[-1]["version"] if earlier else None
    activate(engine, target)
    return target


def list_models(engine: Engine) -> list[dict]:
    cols = [c for c in classifier_model.c if c.name != "model"]
    with engine.connect() as conn:
        rows = conn.execute(select(*cols).order_by(classifier_model.c.created_at,
                                                   classifier_model.c.version)).mappings().all()
    return [{**r, "figures": json.loads(r["figures"] or "{}")} for r in rows]


def scheduled_train() -> dict:
    """Body of the weekly `pulso_train` task: refit from the office's labels when enough exist."""
    from pulso.classify.entity import MIN_LABELS
    from pulso.context import get_context

    engine = get_context().engine(create=False)
    try:
        texts, _ = office_labels(engine)
        if len(texts) < MIN_LABELS:
            return {"trained": False, "n_labels": len(texts),
                    "reason": f"menos de {MIN_LABELS} decisiones de la oficina"}
        res = train(engine, actor="pulso_train")
        return {"trained": True, "version": res.version, "n_labels": res.n_labels,
                "active": res.active, "figures": res.figures}
    finally:
        engine.dispose()


def versions_used(engine: Engine, start: datetime, end: datetime) -> list[str]:
    """PQRS model versions that labelled the messages created in [start, end) — for reports
    to name them ("clasificado con pqrs-ent-3-20261101")."""
    from pulso.warehouse.schema import message, message_label

    q = (select(message_label.c.model_version).distinct()
         .join(message, message.c.message_id == message_label.c.message_id)
         .where(message.c.created_at >= start, message.c.created_at < end))
    with engine.connect() as conn:
        full = sorted({r[0] for r in conn.execute(q)})
    return sorted({v.split("+", 1)[-1] for v in full})
