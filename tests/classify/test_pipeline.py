"""classify_frame: sentiment + PQRS + due dates on a frame, with own accounts and duplicates."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

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


def test_due_dates_cached_per_day_and_type_equal_per_message() -> None:
    """The keyed due-date cache gives what due_date_for gives message by message."""
    from pulso.classify.pipeline import _due_dates

    cal = BusinessCalendar()
    raw = [
        "2026-07-01T15:00:00Z", "2026-07-01T21:59:00Z", "2026-07-01T22:00:00Z",  # 17:00 close
        "2026-07-01T23:30:00Z", "2026-07-02T04:30:00Z",  # 23:30 the 1st in Bogotá
        "2026-07-04T15:00:00Z", "2026-07-20T15:00:00Z",  # Saturday; national holiday
        "2026-12-31T23:00:00Z", None, "2026-07-01T15:00:00Z", "2026-07-01T15:05:00Z",
    ]
    created = pd.to_datetime(pd.Series(raw), errors="coerce", utc=True, format="mixed")
    types = ["peticion", "queja", "reclamo", "peticion", "denuncia", "sugerencia", "peticion",
             "queja", "peticion", None, "felicitacion"]
    subtypes = [None, None, None, "informacion", None, None, "consulta", None, None, None,
                None]
    got = _due_dates(cal, created, types, subtypes)
    for i, (ts, ptype) in enumerate(zip(created.tolist(), types, strict=True)):
        want = None
        if ptype is not None and not pd.isna(ts):
            want = cal.due_date_for(ts.to_pydatetime(), ptype, subtypes[i])
        assert got[i] == want, (raw[i], ptype)
    assert got[0] is not None and got[8] is None and got[9] is None


def test_due_dates_vectorised_equal_per_message_over_years() -> None:
    """UTC stamps every 7 h 13 min from 2019-12 to 2027-02 (Bogotá day changes, closing time,
    holidays, year ends, the Decreto 491 terms), every kind: as `due_date_for` per message."""
    from pulso.classify.pipeline import _due_dates

    cal = BusinessCalendar(extra_closed_days=[date(2026, 12, 24)])
    stamps = pd.date_range("2019-12-01T02:00:00Z", "2027-02-01T00:00:00Z", freq="433min")
    created = pd.Series(stamps).astype("datetime64[us, UTC]")
    kinds = [("peticion", None), ("peticion", "informacion"), ("peticion", "consulta"),
             ("queja", None), ("reclamo", None), ("sugerencia", None), ("denuncia", None),
             ("felicitacion", None), (None, None)]
    types = [kinds[i % len(kinds)][0] for i in range(len(created))]
    subtypes = [kinds[i % len(kinds)][1] for i in range(len(created))]
    got = _due_dates(cal, created, types, subtypes)
    for ts, ptype, sub, g in zip(created.tolist(), types, subtypes, got, strict=True):
        want = None if ptype is None else cal.due_date_for(ts.to_pydatetime(), ptype, sub)
        assert g == want, (ts, ptype, sub)


def _duplicates_reference(texts, handles, created, types) -> list:  # noqa: ANN001
    """The rule message by message: global time order, last kept copy per (author, text)."""
    from pulso.classify.pipeline import DUPLICATE_WINDOW, _handle_key
    from pulso.classify.pqrs import normalise

    stamps = created.tolist()
    types = list(types)
    order = sorted((i for i in range(len(texts)) if types[i] is not None and not pd.isna(stamps[i])),
                   key=stamps.__getitem__)
    last_kept: dict = {}
    for i in order:
        author = _handle_key(handles[i])
        if not author:
            continue
        key = (author, " ".join(normalise(texts[i]).split()))
        first = last_kept.get(key)
        if first is not None and stamps[i] - first <= DUPLICATE_WINDOW:
            types[i] = None
        else:
            last_kept[key] = stamps[i]
    return types


@pytest.mark.parametrize("spread_hours", [0, 24 * 60])
def test_duplicates_equal_the_rule_message_by_message(spread_hours: int) -> None:
    """Random authors, texts differing only in case/accents/spaces, ties, NaT, chains of
    copies 1-2 days apart (a copy 4 days after the kept one counts again), copies exactly
    the window apart; with `spread_hours`, most messages also far from any other."""
    import random

    from pulso.classify.pipeline import _handle_keys, _mark_duplicates

    rng = random.Random(7 + spread_hours)
    variants = ["Nadie contesta la línea", "nadie  contesta la linea", "NADIE CONTESTA LA LÍNEA",
                "Llevo un mes sin pago", "llevo un mes sin pago ", "Otra cosa distinta"]
    n = 3000
    texts = [rng.choice(variants) for _ in range(n)]
    handles = [rng.choice(["ana", "@Ana", "pedro", "", None, "luis", "@SOL"]) for _ in range(n)]
    base = pd.Timestamp("2026-07-01T12:00:00Z")
    stamps = [None if rng.random() < 0.03 else
              base + pd.Timedelta(hours=rng.choice([0, 0, 24, 36, 72, 72.5, 96, 200]) + 100 * (i % 7)
                                  + rng.randrange(spread_hours + 1))
              for i in range(n)]
    created = pd.to_datetime(pd.Series(stamps, dtype="object"), errors="coerce", utc=True,
                             format="mixed")
    types = [rng.choice(["reclamo", "queja", None]) for _ in range(n)]
    want = _duplicates_reference(texts, handles, created, types)
    got_types, subtypes = list(types), [None] * n
    scores, reasons = [0.5] * n, [""] * n
    _mark_duplicates(texts, handles, created, got_types, subtypes, scores, reasons)
    assert got_types == want
    assert sum(r == "duplicate" for r in reasons) == sum(
        a is not None and b is None for a, b in zip(types, want, strict=True)) > 20
    # the same with the handle keys computed once per distinct handle (as classify_frame does)
    keyed_types, keyed_reasons = list(types), [""] * n
    _mark_duplicates(texts, handles, created, keyed_types, [None] * n, [0.5] * n, keyed_reasons,
                     _handle_keys(handles))
    assert (keyed_types, keyed_reasons) == (got_types, reasons)


def test_duplicate_exactly_at_the_window_edge() -> None:
    from pulso.classify.pipeline import DUPLICATE_WINDOW, _mark_duplicates

    t0 = pd.Timestamp("2026-07-01T15:00:00Z")
    created = pd.Series([t0, t0 + DUPLICATE_WINDOW, t0, t0 + DUPLICATE_WINDOW + pd.Timedelta(seconds=1)])
    texts = ["Nadie contesta"] * 4
    types = ["reclamo"] * 4
    reasons = [""] * 4
    _mark_duplicates(texts, ["ana", "ana", "pedro", "pedro"], created, types, [None] * 4,
                     [0.5] * 4, reasons)
    assert types == ["reclamo", None, "reclamo", "reclamo"]
    assert reasons == ["", "duplicate", "", ""]


def test_stage_times_are_reported() -> None:
    times: dict[str, float] = {}
    classify_frame(_frame(), calendar=BusinessCalendar(), stage_times=times)
    assert set(times) == {"sentiment", "pqrs", "due_date"}
    assert all(t >= 0 for t in times.values())


def test_handle_keys_equal_handle_key_per_row() -> None:
    from pulso.classify.pipeline import _handle_key, _handle_keys

    handles = ["@Ana", "ana", " @ANA ", "@ ana", "Pedro", None, float("nan"), 7, "", "@", "Ana",
               "ǅorđe", "STRASSE", "straße", "@Ana"]
    assert _handle_keys(handles) == [_handle_key(h) for h in handles]
    assert _handle_keys([]) == []
