"""`pulso load-export` through the real command line, on a temporary SQLite warehouse."""

from __future__ import annotations

import os
import subprocess
import sys

import export_files as ef
from export_files import rows

from pulso.warehouse.engine import make_engine


def run_cli(tmp_path, *args: str, command: str = "load-export",
            init: bool = True) -> subprocess.CompletedProcess:
    env = dict(os.environ, PULSO_WAREHOUSE_URL=f"sqlite:///{tmp_path / 'cli.db'}",
               PULSO_HOME=str(tmp_path / "var"))
    if init and not (tmp_path / "cli.db").exists():  # as `pulso init` does once per deployment
        subprocess.run([sys.executable, "-m", "pulso.cli", "init"], check=True, env=env,
                       capture_output=True, timeout=120)
    return subprocess.run([sys.executable, "-m", "pulso.cli", command, *args],
                          capture_output=True, text=True, env=env, timeout=120)


def test_cli_says_when_it_starts_a_new_warehouse(tmp_path):
    posts = ef.meta_posts_csv(tmp_path / "Jun-01-2026_Jun-30-2026.csv")
    p = run_cli(tmp_path, str(posts), init=False)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "almacén de datos nuevo creado en" in p.stderr and (tmp_path / "cli.db").exists()
    again = run_cli(tmp_path, str(posts), "--force")
    assert "almacén de datos nuevo" not in again.stderr


def test_cli_loads_files_and_reports_rejected_rows(tmp_path):
    h = ef.META_POSTS_HEADER_34
    posts = ef.meta_posts_csv(tmp_path / "Jun-01-2026_Jun-30-2026.csv", rows=[
        ef.meta_post_row(h, 1), ef.meta_post_row(h, 2, Reach="N/D?")])
    tiktok = ef.tiktok_es_csv(tmp_path / "tiktok.csv")
    p = run_cli(tmp_path, str(posts), str(tiktok), "--account", "tiktok:7000000000000000000")
    assert p.returncode == 0, p.stdout + p.stderr
    lines = p.stdout.splitlines()
    assert f"{posts}: kind meta_posts; loaded post=1, post_daily=1; rows rejected 1" in lines
    assert "  rejected line 4, column Reach: not a number: 'N/D?'" in lines
    assert f"{tiktok}: kind tiktok_studio; loaded account_daily=2; rows rejected 0" in lines
    assert posts.exists() and tiktok.exists()  # the CLI does not move files
    engine = make_engine(f"sqlite:///{tmp_path / 'cli.db'}")
    assert len(rows(engine, "select * from account_daily")) == 2
    assert len(rows(engine, "select * from source_file")) == 2
    # the same files again: skipped, warehouse unchanged
    again = run_cli(tmp_path, str(posts), "--account", "tiktok:7000000000000000000")
    assert again.returncode == 0 and "skipped: already loaded" in again.stdout
    engine.dispose()


def test_cli_exit_2_when_a_file_is_rejected(tmp_path):
    good = ef.x_overview_csv(tmp_path / "x.csv")
    unknown = tmp_path / "lista.csv"
    unknown.write_text("Nombre,Teléfono\nAna,300\n", encoding="utf-8")
    p = run_cli(tmp_path, str(good), str(unknown), "--account", "CVCBogota")
    assert p.returncode == 2, p.stdout + p.stderr
    assert f"{good}: kind x_account_overview; loaded account_daily=2" in p.stdout
    assert f"{unknown}: REJECTED (unknown kind): lista.csv: unknown export kind" in p.stdout
    missing = run_cli(tmp_path, str(tmp_path / "no_existe.csv"))
    assert missing.returncode == 2 and "file not found" in missing.stdout
