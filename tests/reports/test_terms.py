"""Negative drivers a reader can act on: no own handle, no stop-word pairs, accents, no copies."""

from __future__ import annotations

from pulso.reports import terms


def _neg() -> list[str]:
    return (["@CVCBogota el trámite del subsidio no avanza, nadie contesta"] * 1
            + [f"@CVCBogota el tramite del subsidio sigue frenado {i}" for i in range(6)]
            + [f"Llevo toda la semana: nadie contesta en la línea {i}" for i in range(5)]
            + ["Copia pegada: pésima atención en la sede"] * 40)


def _other() -> list[str]:
    return [f"Gracias por la información del programa {i}" for i in range(30)]


def test_own_handle_and_name_are_never_drivers() -> None:
    found = terms.negative_drivers(_neg(), _other(), exclude={"cvcbogota", "cvc", "bogota"})
    assert {"cvcbogota", "cvc"}.isdisjoint(d.term for d in found)
    found = terms.negative_drivers(_neg(), _other(), bigrams=True, exclude={"cvcbogota"})
    assert all("cvcbogota" not in d.term for d in found)


def test_accents_are_restored_and_spellings_merged() -> None:
    found = {d.term: d for d in terms.negative_drivers(_neg(), _other())}
    assert "trámite" in found and "tramite" not in found
    assert found["trámite"].negative_messages == 7  # "trámite" once + "tramite" six times


def test_bigrams_are_adjacent_content_words_within_a_phrase() -> None:
    pairs = {d.term for d in terms.negative_drivers(_neg(), _other(), bigrams=True)}
    assert "nadie contesta" in pairs
    assert "llevo toda" not in pairs        # two words that say nothing alone
    assert "semana nadie" not in pairs      # crosses the colon
    assert all(w not in terms.STOP_FOLDED for p in pairs for w in p.split())
    assert "subsidio avanza" not in pairs   # "no" sits between them


def test_identical_texts_count_once() -> None:
    found = {d.term for d in terms.negative_drivers(_neg(), _other())}
    assert "pésima" not in found  # 40 copies of one message are one message, below the floor
    df = terms.document_frequency(["Pésima atención"] * 40 + ["pesima atencion"])
    assert df["pesima"] == 2
