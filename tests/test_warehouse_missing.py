"""A warehouse deleted while running is never silently recreated or written into (item 12)."""

from __future__ import annotations

from datetime import date

import pytest


def test_deleted_warehouse_fails_clearly_instead_of_serving_old_data(tmp_path, monkeypatch):
    from pulso.cases import review
    from pulso.context import WarehouseMissing, open_warehouse

    db = tmp_path / "w.db"
    url = f"sqlite:///{db}"
    engine = open_warehouse(url, create=True)
    assert review.open_candidates(engine, today=date(2026, 6, 1)) == []
    assert open_warehouse(url, create=False) is not None
    db.unlink()
    with pytest.raises(WarehouseMissing, match="pulso init"):
        open_warehouse(url, create=False)
    assert not db.exists()


def test_cli_report_refuses_a_missing_warehouse(tmp_path, monkeypatch, capsys):
    from pulso.cli import main

    monkeypatch.setenv("PULSO_WAREHOUSE_URL", f"sqlite:///{tmp_path / 'nada.db'}")
    code = main(["load-register", str(tmp_path / "x.xlsx"), "--actor", "ana"])
    assert code == 2 and not (tmp_path / "nada.db").exists()
