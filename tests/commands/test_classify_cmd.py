"""`pulso classify` end to end through the real CLI in a subprocess."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROWS = [
    ("Buenas tardes, quisiera saber los requisitos del subsidio", "2026-07-01T15:00:00Z", "ana"),
    ("Llevo 3 meses esperando respuesta, nadie contesta", "2026-07-01T15:00:00Z", "pedro"),
    ("jajaja quién fue", "2026-07-01T15:00:00Z", "luis"),
    ("Gracias, excelente atención en la sede", "2026-07-01T15:00:00Z", "sol"),
]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pulso.cli", "classify", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def frame() -> pd.DataFrame:
    df = pd.DataFrame(ROWS, columns=["text", "created_at", "author_handle"])
    df["id"] = ["m1", "m2", "m3", "m4"]
    return df


def check_output(df: pd.DataFrame, with_due: bool = True) -> None:
    assert df["id"].tolist() == ["m1", "m2", "m3", "m4"]
    assert df["text"].tolist()[0] == ROWS[0][0]
    types = [None if pd.isna(v) else v for v in df["pqrs_type"]]
    assert types == ["peticion", "reclamo", None, "felicitacion"]
    for col in ("sentiment", "sentiment_score", "pqrs_score", "pqrs_subtype"):
        assert col in df.columns
    if with_due:
        assert str(df["due_date"].tolist()[0])[:10] == "2026-07-16"
        assert str(df["due_date"].tolist()[1])[:10] == "2026-07-24"
    else:
        assert "due_date" not in df.columns


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "latin-1"])
def test_csv_encodings(tmp_path: Path, encoding: str) -> None:
    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    frame().to_csv(src, index=False, encoding=encoding)
    res = run_cli("--input", str(src), "--output", str(dst))
    assert res.returncode == 0, res.stderr
    check_output(pd.read_csv(dst, encoding="utf-8-sig"))


def test_xlsx_in_and_out(tmp_path: Path) -> None:
    src, dst = tmp_path / "in.xlsx", tmp_path / "out.xlsx"
    frame().to_excel(src, index=False)
    res = run_cli("--input", str(src), "--output", str(dst))
    assert res.returncode == 0, res.stderr
    out = pd.read_excel(dst)
    check_output(out)
    praise = int((out["pqrs_type"] == "felicitacion").sum())
    pqrs = int(out["pqrs_type"].notna().sum()) - praise
    assert f"{len(out)} mensajes clasificados, {pqrs} posibles PQRS, {praise} felicitaciones" \
        in res.stdout  # a felicitación is counted apart, never as a PQRS


def test_without_created_at_no_due_date(tmp_path: Path) -> None:
    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    frame().drop(columns=["created_at"]).to_csv(src, index=False)
    res = run_cli("--input", str(src), "--output", str(dst))
    assert res.returncode == 0, res.stderr
    check_output(pd.read_csv(dst, encoding="utf-8-sig"), with_due=False)


def test_extra_closed_days_and_office_close(tmp_path: Path) -> None:
    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    frame().to_csv(src, index=False)
    # 15:00Z is 10:00 in Bogotá: closing at 09:00 moves receipt to 2 Jul; 3 Jul closed too
    res = run_cli("--input", str(src), "--output", str(dst),
                  "--extra-closed-days", "2026-07-03", "--office-close", "09:00")
    assert res.returncode == 0, res.stderr
    out = pd.read_csv(dst, encoding="utf-8-sig")
    # reclamo: received 2 Jul; 3 Jul closed; 6-10 Jul (1-5), 13 Jul holiday, 14-17 (6-9),
    # 20 Jul holiday, 21-24 (10-13), 27 (14), 28 (15)
    assert out["due_date"].tolist()[1] == "2026-07-28"


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"", "vac"),
        (b"mensaje,fecha\nhola,2026-01-01\n", "falta la columna 'text'"),
        (b"text\n", "no tiene filas"),
    ],
)
def test_bad_input_exits_2(tmp_path: Path, content: bytes, needle: str) -> None:
    src = tmp_path / "bad.csv"
    src.write_bytes(content)
    res = run_cli("--input", str(src), "--output", str(tmp_path / "o.csv"))
    assert res.returncode == 2
    line = res.stderr.strip()
    assert "\n" not in line and needle in line and "bad.csv" in line
    assert not (tmp_path / "o.csv").exists()


def test_missing_and_unreadable_files(tmp_path: Path) -> None:
    res = run_cli("--input", str(tmp_path / "nope.csv"), "--output", str(tmp_path / "o.csv"))
    assert res.returncode == 2 and "nope.csv" in res.stderr and "no existe" in res.stderr
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"PK\x03\x04 this is not a zip")
    res = run_cli("--input", str(bad), "--output", str(tmp_path / "o.csv"))
    assert res.returncode == 2 and "broken.xlsx" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


def test_bad_option_exits_2(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    frame().to_csv(src, index=False)
    res = run_cli("--input", str(src), "--output", str(tmp_path / "o.csv"),
                  "--extra-closed-days", "2026-13-45")
    assert res.returncode == 2 and "--extra-closed-days" in res.stderr
