"""`pulso train` end to end on a SQLite warehouse with a register file (messages in Spanish)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pulso.classify import pqrs
from pulso.cli import main


def test_train_list_rollback(tmp_path: Path, capsys, monkeypatch) -> None:
    from pulso.warehouse.engine import create_schema, make_engine

    url = f"sqlite:///{tmp_path / 'w.db'}"
    engine = make_engine(url)
    create_schema(engine)
    engine.dispose()
    reg = tmp_path / "registro.xlsx"
    pd.DataFrame({
        "texto": [f"¿Cuándo abren la convocatoria {i} de vivienda?" for i in range(15)]
        + [f"Llevo {i + 2} semanas sin agua en el barrio y nadie viene" for i in range(15)],
        "tipo": ["petición"] * 15 + ["reclamo"] * 15,
    }).to_excel(reg, index=False)
    try:
        assert main(["train", "--register", str(reg), "--cv-folds", "3",
                     "--warehouse-url", url]) == 0
        out = capsys.readouterr().out
        assert "30 etiquetas" in out and "validación cruzada" in out
        assert main(["train", "--list", "--warehouse-url", url]) == 0
        assert "pqrs-ent-1-" in capsys.readouterr().out
        assert main(["train", "--rollback", "--warehouse-url", url]) == 0
        assert "Pulso" in capsys.readouterr().out
        assert main(["train", "--activate", "nada", "--warehouse-url", url]) == 2
        assert "no existe" in capsys.readouterr().err
    finally:
        pqrs.use_model(None)
