"""Large Excel annex: XlsxWriter `constant_memory` vs Pulso's hand-spliced OOXML (openpyxl
write-only placeholder sheet whose rows are streamed into the saved file).

Same data (a messages annex: date-time, network, kind, text, two numbers), same number formats,
header and frozen pane. Prints seconds and peak memory growth of each writer and the ratio
XlsxWriter / spliced; Pulso switches only if the ratio is <= 1.

    .venv/bin/python bench/bench_excel_writer.py [--rows 200000]
"""

from __future__ import annotations

import argparse
import gc
import tempfile
import tracemalloc
from pathlib import Path

from _common import timer

from pulso.reports import excel


def annex(n: int):
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(7)
    texts = [f"mensaje {i}: ¿cuándo responden la solicitud del subsidio? <ok> & gracias"
             for i in range(5000)]
    return pd.DataFrame({
        "Fecha": pd.Timestamp("2026-01-01") + pd.to_timedelta(rng.integers(0, 180 * 86400, n),
                                                               unit="s"),
        "Red": rng.choice(["facebook", "instagram", "x", "youtube", "tiktok"], n),
        "Tipo": rng.choice(["comment", "reply", "mention", "dm"], n),
        "Texto": [texts[i % len(texts)] for i in range(n)],
        "Puntaje": rng.normal(0, 0.5, n).round(4),
        "Interacciones": rng.integers(0, 5000, n).astype(float),
    })


def spliced(df, path: Path) -> None:
    wb = excel.new_workbook(write_only=True)
    fills = excel.big_table_placeholder(wb, "Mensajes", df, formats={
        "Fecha": excel.DATETIME, "Puntaje": excel.DEC2, "Interacciones": excel.INT})
    excel.save_workbook(wb, path, fills)


def xlsxwriter_constant_memory(df, path: Path) -> None:
    import math

    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                         "strings_to_formulas": False, "strings_to_urls": False})
    ws = wb.add_worksheet("Mensajes")
    head = wb.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E79"})
    fdate = wb.add_format({"num_format": excel.DATETIME})
    fdec = wb.add_format({"num_format": excel.DEC2})
    fint = wb.add_format({"num_format": excel.INT})
    ws.freeze_panes(1, 0)
    ws.write_row(0, 0, list(df.columns), head)
    fecha = df["Fecha"].dt.to_pydatetime()
    cols = [df[c].tolist() for c in ("Red", "Tipo", "Texto", "Puntaje", "Interacciones")]
    for i, (d, red, tipo, texto, p, n) in enumerate(zip(fecha, *cols, strict=True), start=1):
        ws.write_datetime(i, 0, d, fdate)
        ws.write_string(i, 1, red)
        ws.write_string(i, 2, tipo)
        ws.write_string(i, 3, texto)
        if not math.isnan(p):
            ws.write_number(i, 4, p, fdec)
        if not math.isnan(n):
            ws.write_number(i, 5, n, fint)
    wb.close()


def measure(fn, df, path: Path) -> tuple[float, float]:
    """Seconds (plain run) and peak traced allocation in MiB (a second, tracemalloc run:
    tracing slows allocation-heavy code, so it is never timed)."""
    gc.collect()
    with timer() as t:
        fn(df, path)
    gc.collect()
    tracemalloc.start()
    fn(df, path)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return t["seconds"], peak


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    df = annex(args.rows)
    with tempfile.TemporaryDirectory() as tmp:
        res = {}
        for name, fn in (("spliced", spliced), ("xlsxwriter", xlsxwriter_constant_memory)):
            fn(df.head(1000), Path(tmp) / f"warm-{name}.xlsx")  # imports, caches
            best = measure(fn, df, Path(tmp) / f"{name}.xlsx")
            size = (Path(tmp) / f"{name}.xlsx").stat().st_size / 2**20
            res[name] = best
            print(f"{name:<11} {args.rows:>9,} rows  {best[0]:6.2f} s  peak +{best[1]:6.1f} MiB "
                  f"(traced)  {size:5.1f} MiB file")
    ratio = res["xlsxwriter"][0] / res["spliced"][0]
    print(f"ratio xlsxwriter/spliced time: {ratio:.2f}x "
          f"({'as fast: switch' if ratio <= 1 else 'slower: keep the spliced writer'})")


if __name__ == "__main__":
    main()
