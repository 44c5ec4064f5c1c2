"""es-CO formatting and the shared Excel/PDF helpers of the reports."""

from __future__ import annotations

import math
from datetime import date, datetime

import pandas as pd
import pytest
from openpyxl import load_workbook

from pulso.core.periods import parse_period
from pulso.reports import excel, fmt
from pulso.reports.pdf import css_string, display_table


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    (12345, 0, "12.345"), (1234567.89, 0, "1.234.568"), (12345.678, 1, "12.345,7"),
    (0, 0, "0"), (-1234, 0, "-1.234"), (-0.04, 1, "0,0"), (999.5, 0, "1.000"),
])
def test_num_uses_dots_for_thousands_and_comma_for_decimals(value, decimals, expected):
    assert fmt.num(value, decimals) == expected


def test_missing_values_never_render_as_zero():
    for v in (None, float("nan"), pd.NA, pd.NaT):
        assert fmt.num(v) == fmt.MISSING
        assert fmt.pct(v) == fmt.MISSING
        assert fmt.day(v) == ""
    assert fmt.or_no_data(None) == "sin datos"
    assert fmt.or_no_data(1500) == "1.500"
    assert fmt.pct(float("inf")) == fmt.MISSING


def test_percentages_and_signs():
    assert fmt.pct(0.1234) == "12,3 %"
    assert fmt.pct(0.05, 2) == "5,00 %"
    assert fmt.signed_pct(0.05) == "+5,0 %"
    assert fmt.signed_pct(-0.04) == "-4,0 %"
    assert fmt.signed_pct(0.0) == "0,0 %"
    assert fmt.signed_num(1921) == "+1.921"
    assert fmt.signed_num(-370) == "-370"
    assert fmt.signed_num(0) == "0"


def test_share_and_change_refuse_zero_denominators():
    assert fmt.share(5, 0) is None
    assert fmt.share(None, 10) is None
    assert fmt.share(5, 20) == 0.25
    assert fmt.change(110, 100) == pytest.approx(0.10)
    assert fmt.change(5, 0) is None


def test_dates_and_month_labels():
    assert fmt.day(date(2026, 10, 5)) == "05/10/2026"
    assert fmt.day(pd.Timestamp("2026-01-31 13:00")) == "31/01/2026"
    assert fmt.day_time(datetime(2026, 10, 5, 8, 7)) == "05/10/2026 08:07"
    assert fmt.month_label(parse_period("2026-10")) == "octubre de 2026"
    assert fmt.month_label("2026-01") == "enero de 2026"
    # CLDR es_CO stand-alone abbreviations (before Babel: hand-cut "sep." and "mayo")
    assert fmt.month_short(date(2026, 9, 1)) == "sept. 2026"
    assert fmt.month_short(date(2026, 5, 1)) == "may. 2026"
    assert fmt.month_short(date(2026, 10, 1)) == "oct. 2026"
    assert fmt.WEEKDAYS_ES[0] == "lunes" and fmt.WEEKDAYS_SHORT[6] == "dom"
    assert fmt.hour_label(7) == "07:00"
    assert fmt.network_label("tiktok") == "TikTok"


def test_css_string_cannot_break_out_of_the_page_rule():
    s = str(css_string('Alcaldía "La Paz" </style><script>'))
    assert '"' not in s.replace('\\"', "")
    assert "<" not in s and ">" not in s


def test_display_table_formats_like_the_excel_formats():
    df = pd.DataFrame({"Cuenta": ["A", "B"], "Interacciones": [12345.0, math.nan],
                       "Tasa": [0.05123, 0.1]})
    t = display_table(df, {"Tasa": "pct2"})
    assert t["rows"] == [["A", "12.345", "5,12 %"], ["B", "—", "10,00 %"]]
    assert t["numeric"] == [False, True, True]
    assert excel.formats_for({"Tasa": "pct2", "Cuenta": "text"}) == {"Tasa": excel.PCT2}


def test_write_table_is_a_filterable_typed_sheet(tmp_path):
    df = pd.DataFrame({"Fecha": pd.to_datetime(["2026-10-01", "2026-10-02"]),
                       "Interacciones": pd.array([10, None], dtype="Int64"),
                       "% negativos": [0.25, 0.5]})
    wb = excel.new_workbook()
    excel.write_table(wb, "Datos: diarios/octubre", df, note="Nota")
    path = excel.save_workbook(wb, tmp_path / "t.xlsx")
    ws = load_workbook(path)["Datos- diarios-octubre"]
    assert ws["A3"].value == "Fecha" and ws["A4"].value == datetime(2026, 10, 1)
    assert ws["A4"].number_format == excel.DATE
    assert ws["B4"].value == 10 and ws["B5"].value is None
    assert ws["C4"].number_format == excel.PCT1
    assert ws.auto_filter.ref == "A3:C5"
    assert ws.freeze_panes == "A4"


@pytest.mark.parametrize("fast", [False, True])
def test_big_tables_split_over_the_row_limit(tmp_path, fast):
    df = pd.DataFrame({"ID mensaje": [f"m{i}" for i in range(11)],
                       "Fecha": pd.date_range("2026-10-01 08:00", periods=11, freq="h"),
                       "Puntaje": [i / 2 for i in range(11)]})
    wb = excel.new_workbook(write_only=True)
    if fast:
        fills = excel.big_table_placeholder(wb, "Mensajes", df, max_rows=5)
        names = list(fills)
    else:
        names = excel.write_big_table(wb, "Mensajes", df, max_rows=5)
        fills = None
    path = excel.save_workbook(wb, tmp_path / "big.xlsx", fills)
    assert names == ["Mensajes (1)", "Mensajes (2)", "Mensajes (3)"]
    book = load_workbook(path)
    rows = [r for n in names for r in list(book[n].iter_rows(values_only=True))[1:]]
    assert [r[0] for r in rows] == list(df["ID mensaje"])
    assert rows[10][1] == datetime(2026, 10, 1, 18, 0)
    assert rows[3][2] == 1.5
    assert all(book[n].max_row <= 5 for n in names)


def test_printable_drops_emoji_but_keeps_spanish_text():
    assert fmt.printable("📢 Abrimos inscripciones ✅ #ViviendaDigna 🏠") == (
        "Abrimos inscripciones #ViviendaDigna")
    assert fmt.printable("Atención: ñandú, ¿qué? ¡Sí! 12,5 % — “citas”") == (
        "Atención: ñandú, ¿qué? ¡Sí! 12,5 % — “citas”")
    assert fmt.printable(None) == ""
