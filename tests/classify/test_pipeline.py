"""classify_frame: sentiment + PQRS + due dates on a frame, with own accounts and duplicates."""

from __future__ import annotations

from datetime import date

import pandas as pd

from pulso.classify.deadlines import BusinessCalendar
from pulso.classify.pipeline import OUTPUT_COLUMNS, classify_frame


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "text": [
                "Buenos días, quisiera saber los requisitos del subsidio de vivienda",
                "Llevo 3 meses esperando respuesta y nadie contesta",
                "Llevo 3 meses esperando respuesta y nadie contesta",
                "jajaja quién fue",
                "Recuerda que puedes radicar tu solicitud en la ventanilla virtual",
                "Muchas gracias, excelente atención en la sede de Suba",
                None,
            ],
            "created_at": [
                "2026-07-01T15:00:00Z",  # 10:00 Bogotá
                "2026-07-01T15:00:00Z",
                "2026-07-02T16:00:00Z",  # same author, next day: duplicate
                "2026-07-01T15:00:00Z",
                "2026-07-01T15:00:00Z",
                "2026-07-01T15:00:00Z",
                "2026-07-01T15:00:00Z",
            ],
            "author_handle": ["ana", "@Pedro", "pedro", "luis", "@CajaVivienda", "sol", "x"],
            "network": ["facebook"] * 7,
        }
    )


def test_columns_and_types() -> None:
    df = _frame()
    out = classify_frame(df, own_handles=["cajavivienda"])
    assert out is not df and list(df.columns) == ["text", "created_at", "author_handle", "network"]
    for col in (*df.columns, *OUTPUT_COLUMNS):
        assert col in out.columns
    assert out["pqrs_type"].tolist() == [
        "peticion", "reclamo", None, None, None, "felicitacion", None,
    ]
    assert out.loc[0, "pqrs_subtype"] == "informacion"
    assert out.loc[2, "pqrs_reasons"] == "duplicate"
    assert out.loc[4, "pqrs_reasons"] == "own_account"
    assert set(out["sentiment"]) <= {"positive", "neutral", "negative"}
    assert out.loc[1, "sentiment"] == "negative"


def test_due_dates() -> None:
    out = classify_frame(_frame(), own_handles=["cajavivienda"])
    # information request, 10 business days from 1 Jul 2026 (13 Jul is a holiday)
    assert out.loc[0, "due_date"] == date(2026, 7, 16)
    assert out.loc[1, "due_date"] == date(2026, 7, 24)
    assert out.loc[5, "due_date"] is None  # felicitacion: no legal term
    assert out.loc[3, "due_date"] is None


def test_calendar_is_used() -> None:
    cal = BusinessCalendar(extra_closed_days=[date(2026, 7, 2)])
    out = classify_frame(_frame().iloc[:2], calendar=cal)
    assert out.loc[1, "due_date"] == date(2026, 7, 27)


def test_without_created_at_or_author() -> None:
    df = pd.DataFrame({"text": ["Llevo 3 meses esperando", "Llevo 3 meses esperando"]})
    out = classify_frame(df)
    assert out["pqrs_type"].tolist() == ["reclamo", "reclamo"]  # no author: no dedup
    assert out["due_date"].isna().all()


def test_duplicate_outside_window_counts_again() -> None:
    df = pd.DataFrame(
        {
            "text": ["Nadie contesta en la línea de atención"] * 2,
            "created_at": ["2026-07-01T15:00:00Z", "2026-07-20T15:00:00Z"],
            "author_handle": ["ana", "ana"],
        }
    )
    assert classify_frame(df)["pqrs_type"].tolist() == ["reclamo", "reclamo"]
