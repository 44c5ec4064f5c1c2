"""`pulso report` argument handling (the runner itself is tested in tests/reports)."""

from __future__ import annotations

from pulso.cli import main


def test_bad_period_is_one_line_exit_2(capsys):
    assert main(["report", "--period", "2026-13"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "2026-13" in err and "pulso report:" in err


def test_only_must_fit_the_period(capsys):
    assert main(["report", "--period", "2026-10", "--only", "semestral"]) == 2
    assert "semestral" in capsys.readouterr().err
    assert main(["report", "--period", "2026-S1", "--only", "pqrs"]) == 2


def test_bad_recipient(capsys):
    assert main(["report", "--period", "2026-10", "--to", "a@b.co,nadie"]) == 2
    assert "nadie" in capsys.readouterr().err


def test_missing_warehouse_is_not_created(capsys, tmp_path, monkeypatch):
    db = tmp_path / "borrado.db"
    monkeypatch.setenv("PULSO_WAREHOUSE_URL", f"sqlite:///{db}")
    assert main(["report", "--period", "2026-10", "--only", "pqrs", "--no-email"]) == 2
    assert "pulso init" in capsys.readouterr().err
    assert not db.exists()


def test_incomplete_month_exits_3_listing_missing_days(capsys):
    assert main(["init"]) == 0
    capsys.readouterr()
    assert main(["report", "--period", "2026-10", "--only", "pqrs", "--no-email"]) == 3
    err = capsys.readouterr().err
    assert "ingesta incompleta" in err and "2026-10-01..2026-10-31" in err
