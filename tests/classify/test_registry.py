"""Entity models from the office's decisions: labels, register files, versions, rollback, and
the daily classification naming the model it used."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import select

from pulso.cases import review
from pulso.classify import pqrs, registry
from pulso.warehouse.schema import message, message_label, pqrs_case

T0 = datetime(2026, 5, 4, 14, tzinfo=UTC)
# (text, model type at screening, office decision) written for these tests
REQUESTS = [f"Buenas tardes, quisiera saber cuándo abren la convocatoria número {i} del subsidio"
            for i in range(12)]
COMPLAINTS = [f"Llevo {i + 2} meses esperando el desembolso y nadie responde en la línea"
              for i in range(12)]
NOT_PQRS = [f"jajaja qué buena la foto del evento {i}, saludos a todos" for i in range(12)]


@pytest.fixture(autouse=True)
def _shipped_screener():
    pqrs.use_model(None)
    yield
    pqrs.use_model(None)


def _seed(engine) -> list[str]:
    ids = []
    with engine.begin() as conn:
        for i, text in enumerate(REQUESTS + COMPLAINTS + NOT_PQRS):
            mid = f"x:{i}"
            ids.append(mid)
            conn.execute(message.insert().values(
                message_id=mid, account_id="x:ent", network="x", kind="mention",
                created_at=T0 + timedelta(minutes=i), text=text, source="demo"))
            conn.execute(pqrs_case.insert().values(
                message_id=mid, pqrs_type="peticion", pqrs_subtype="informacion",
                pqrs_score=0.6, received_at=T0, due_date=date(2026, 5, 18), status="candidate"))
    return ids


def _decide(engine, ids: list[str]) -> None:
    n = len(REQUESTS)
    for k, mid in enumerate(ids):
        if k < n:
            review.confirm(engine, mid, f"R-{k}", "Analista")
        elif k < 2 * n:
            review.retype(engine, mid, "reclamo", "Analista")
        else:
            review.discard(engine, mid, "No es PQRS: conversación", "Analista")


def test_office_decisions_are_labels_and_undecided_cases_are_not(sqlite_warehouse) -> None:
    ids = _seed(sqlite_warehouse)
    _decide(sqlite_warehouse, ids[:-1])  # the last one is still an open candidate
    texts, classes = registry.office_labels(sqlite_warehouse)
    assert len(texts) == len(ids) - 1
    got = dict(zip(texts, classes, strict=True))
    assert got[REQUESTS[0]] == "peticion_info"
    assert got[COMPLAINTS[0]] == "reclamo"
    assert got[NOT_PQRS[0]] == "none"
    assert NOT_PQRS[-1] not in got


def test_train_stores_version_with_figures_and_rollback(sqlite_warehouse) -> None:
    _decide(sqlite_warehouse, _seed(sqlite_warehouse))
    first = registry.train(sqlite_warehouse, actor="Analista", cv_folds=3)
    assert first.n_labels == 36
    assert set(first.figures) >= {"cv_macro_f1", "shipped_macro_f1", "classes"}
    assert first.active == first.beats_shipped == (
        first.figures["cv_macro_f1"] > first.figures["shipped_macro_f1"])
    rows = registry.list_models(sqlite_warehouse)
    assert [r["version"] for r in rows] == [first.version]

    # Force a known state: first active, a second one active after it; rollback returns to first.
    registry.activate(sqlite_warehouse, first.version)
    with sqlite_warehouse.begin() as conn:
        conn.execute(registry.classifier_model.update().values(beats_shipped=True))
    second = registry.train(sqlite_warehouse, actor="Analista", cv_folds=3,
                            now=datetime.now(UTC) + timedelta(days=7))
    assert second.version != first.version
    registry.activate(sqlite_warehouse, second.version)
    assert registry.load_active(sqlite_warehouse).version == second.version
    assert registry.rollback(sqlite_warehouse) == first.version
    assert registry.load_active(sqlite_warehouse).version == first.version
    assert registry.rollback(sqlite_warehouse) is None
    assert registry.load_active(sqlite_warehouse) is None
    with pytest.raises(registry.RegistryError):
        registry.activate(sqlite_warehouse, "no-existe")


def test_too_few_labels_is_an_analyst_error(sqlite_warehouse) -> None:
    with pytest.raises(registry.RegistryError, match="etiquetas"):
        registry.train(sqlite_warehouse)


def _register_rows() -> pd.DataFrame:
    return pd.DataFrame({
        "Texto": REQUESTS + COMPLAINTS + NOT_PQRS,
        "Tipo": ["Petición"] * 12 + ["RECLAMO"] * 12 + ["No es PQRS"] * 12,
        "Subtipo": ["información"] * 12 + [""] * 24,
    })


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_register_file_csv_and_xlsx(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"historico{suffix}"
    df = _register_rows()
    df.to_csv(path, index=False) if suffix == ".csv" else df.to_excel(path, index=False)
    texts, classes = registry.read_register_file(path)
    assert len(texts) == 36
    assert classes[0] == "peticion_info" and classes[12] == "reclamo" and classes[-1] == "none"


def test_register_file_errors_are_in_spanish(tmp_path: Path) -> None:
    bad = tmp_path / "malo.csv"
    pd.DataFrame({"mensaje": ["hola"], "estado": ["x"]}).to_csv(bad, index=False)
    with pytest.raises(registry.RegistryError, match="columnas"):
        registry.read_register_file(bad)
    odd = tmp_path / "raro.csv"
    pd.DataFrame({"texto": ["hola"], "tipo": ["otra cosa"]}).to_csv(odd, index=False)
    with pytest.raises(registry.RegistryError, match="tipos no reconocidos"):
        registry.read_register_file(odd)
    with pytest.raises(registry.RegistryError, match="no existe"):
        registry.read_register_file(tmp_path / "nada.csv")


def test_train_with_register_only(sqlite_warehouse, tmp_path: Path) -> None:
    path = tmp_path / "historico.csv"
    _register_rows().to_csv(path, index=False)
    res = registry.train(sqlite_warehouse, register=path, cv_folds=3)
    assert res.n_labels == 36 and res.figures["classes"]["none"] == 12


def test_entity_model_decides_alone_with_rule_reasons(sqlite_warehouse) -> None:
    _decide(sqlite_warehouse, _seed(sqlite_warehouse))
    res = registry.train(sqlite_warehouse, cv_folds=3)
    pqrs.use_model(registry.LinearModel.from_bytes(
        registry.LinearModel.to_bytes(_load(sqlite_warehouse, res.version))))
    out = pqrs.screen_many([NOT_PQRS[1], COMPLAINTS[1], REQUESTS[1]])
    assert [s.pqrs_type for s in out] == [None, "reclamo", "peticion"]
    assert out[1].reasons[-1] == f"modelo:{res.version}"
    assert pqrs.model_version() == res.version


def _load(engine, version: str):
    with engine.connect() as conn:
        blob = conn.execute(select(registry.classifier_model.c.model)
                            .where(registry.classifier_model.c.version == version)).scalar_one()
    return registry.LinearModel.from_bytes(blob)


def test_daily_classification_names_the_active_model(sqlite_warehouse, config) -> None:
    from pulso.classify.store import classify_pending

    _decide(sqlite_warehouse, _seed(sqlite_warehouse))
    res = registry.train(sqlite_warehouse, cv_folds=3)
    registry.activate(sqlite_warehouse, res.version)
    with sqlite_warehouse.begin() as conn:
        conn.execute(message.insert().values(
            message_id="x:new", account_id="x:ent", network="x", kind="mention",
            created_at=T0, text="Llevo 7 meses esperando el desembolso", source="demo"))
    classify_pending(sqlite_warehouse, config, date(2026, 5, 4), date(2026, 5, 4))
    with sqlite_warehouse.connect() as conn:
        versions = {r[0] for r in conn.execute(select(message_label.c.model_version))}
    assert versions and all(v.endswith(f"+{res.version}") for v in versions)
    assert registry.versions_used(sqlite_warehouse, T0 - timedelta(days=1),
                                  T0 + timedelta(days=1)) == [res.version]
    registry.activate(sqlite_warehouse, None)
    assert registry.load_active(sqlite_warehouse) is None


def test_classifier_model_table_is_part_of_the_schema(sqlite_warehouse) -> None:
    from sqlalchemy import inspect

    from pulso.warehouse.schema import TABLES

    assert TABLES["classifier_model"] is registry.classifier_model
    assert inspect(sqlite_warehouse).has_table("classifier_model")  # made by create_schema
