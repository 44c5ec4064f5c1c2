"""`pulso classify`: add sentiment, PQRS type and legal due date to a CSV/XLSX of messages.

Every input row and column is kept; the classifier columns are appended. Errors an analyst can
fix (missing `text` column, unreadable or empty file, bad option) print one line on stderr
naming the file and exit with code 2.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, time
from pathlib import Path

CSV_ENCODINGS = ("utf-8-sig", "utf-16", "cp1252", "latin-1")


class InputError(Exception):
    """A problem with the input the user can fix; the message is shown as is."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--input", required=True, type=Path, help="CSV o XLSX con columna 'text'")
    parser.add_argument("--output", required=True, type=Path, help="CSV o XLSX de salida")
    parser.add_argument(
        "--extra-closed-days",
        default="",
        help="días no hábiles adicionales, AAAA-MM-DD separados por comas (p. ej. día cívico)",
    )
    parser.add_argument("--office-close", default="17:00", help="hora de cierre, HH:MM (17:00)")
    parser.add_argument(
        "--own-handles", default="", help="cuentas propias de la entidad, separadas por comas"
    )


def _parse_days(value: str) -> list[date]:
    days = []
    for part in filter(None, (p.strip() for p in value.split(","))):
        try:
            days.append(date.fromisoformat(part))
        except ValueError:
            raise InputError(f"--extra-closed-days: fecha inválida {part!r} (use AAAA-MM-DD)") from None
    return days


def _parse_time(value: str) -> time:
    try:
        hh, mm = value.strip().split(":")
        return time(int(hh), int(mm))
    except ValueError:
        raise InputError(f"--office-close: hora inválida {value!r} (use HH:MM)") from None


def read_table(path: Path):  # noqa: ANN201 - pandas imported lazily
    """Read a CSV (UTF-8, UTF-8 BOM, UTF-16, Windows-1252/Latin-1) or XLSX as strings."""
    import io

    import pandas as pd

    if not path.exists():
        raise InputError(f"{path}: el archivo no existe")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: no se puede leer ({exc.strerror})") from None
    if not raw.strip():
        raise InputError(f"{path}: el archivo está vacío")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm") or raw.startswith(b"PK\x03\x04"):
        try:
            df = pd.read_excel(io.BytesIO(raw), dtype=object)
        except Exception as exc:  # noqa: BLE001 - any parser failure is "unreadable"
            raise InputError(f"{path}: no es un XLSX legible ({type(exc).__name__})") from None
    else:
        from pulso.core.encoding import decode

        try:
            text, _encoding = decode(raw)
        except UnicodeDecodeError:
            raise InputError(f"{path}: codificación no reconocida") from None
        text = text.lstrip("\ufeff")
        try:
            df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, sep=None,
                             engine="python")
        except (pd.errors.ParserError, pd.errors.EmptyDataError, csv_error()) as exc:
            raise InputError(f"{path}: CSV ilegible ({exc})".splitlines()[0]) from None
    df.columns = [str(c).strip() for c in df.columns]
    if df.empty:
        raise InputError(f"{path}: el archivo no tiene filas de datos")
    if "text" not in df.columns:
        cols = ", ".join(map(str, df.columns[:10]))
        raise InputError(f"{path}: falta la columna 'text' (columnas encontradas: {cols})")
    return df


def csv_error() -> type[Exception]:
    import csv

    return csv.Error


def write_table(df, path: Path) -> None:  # noqa: ANN001
    """Write CSV (UTF-8 with BOM, so Excel shows accents) or XLSX by the output suffix.

    Messages are outside text: both writers store them as text, never as formulas
    (pulso.core.cells), and control characters Excel rejects are dropped.
    """
    from pulso.core.cells import csv_value

    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from pulso.reports.excel import EXCEL_MAX_ROWS, new_workbook, save_workbook
        from pulso.reports.excel import write_table as excel_table

        if len(df) + 1 > EXCEL_MAX_ROWS:
            from pulso.reports.fmt import num

            n, cap = num(len(df)), num(EXCEL_MAX_ROWS - 1)
            raise InputError(f"{path}: {n} filas superan el límite de Excel ({cap} filas de "
                             "datos); use una salida .csv")
        wb = new_workbook(write_only=True)
        fills: dict = {}
        excel_table(wb, "Clasificación", df, fills=fills)
        save_workbook(wb, path, fills)
    else:
        out = df.copy()
        out.columns = [csv_value(str(c)) for c in out.columns]
        for c in out.columns:
            if out[c].dtype.kind not in "biufcmM":
                out[c] = out[c].map(csv_value)
        out.to_csv(path, index=False, encoding="utf-8-sig")


def run(args: argparse.Namespace) -> int:
    from pulso.classify.deadlines import BusinessCalendar
    from pulso.classify.pipeline import classify_frame

    try:
        calendar = BusinessCalendar(
            extra_closed_days=_parse_days(args.extra_closed_days),
            office_close=_parse_time(args.office_close),
        )
        df = read_table(args.input)
        own = [h for h in (p.strip() for p in args.own_handles.split(",")) if h]
        result = classify_frame(df, calendar=calendar, own_handles=own)
        result = result.drop(columns=["pqrs_reasons"])
        if "created_at" not in df.columns:
            result = result.drop(columns=["due_date"])
        try:
            write_table(result, args.output)
        except OSError as exc:
            raise InputError(f"{args.output}: no se puede escribir ({exc.strerror or exc})"
                             ) from None
    except InputError as exc:
        print(f"pulso classify: {exc}", file=sys.stderr)
        return 2
    types = result["pqrs_type"]
    praise = int((types == "felicitacion").sum())  # counted apart: a felicitación is no PQRS
    flagged = int(types.notna().sum()) - praise
    print(f"{len(result)} mensajes clasificados, {flagged} posibles PQRS, "
          f"{praise} felicitaciones -> {args.output}")
    return 0
