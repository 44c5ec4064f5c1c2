"""The one encoding detector (pulso.core.encoding) on the encodings analysts' files come in."""

from __future__ import annotations

import codecs

import pytest

from pulso.core.encoding import SAMPLE_BYTES, decode

TEXT = "fecha;texto\n2026-01-05;¿Cuándo abren la convocatoria? Año nuevo, señora Peña\n" * 20


@pytest.mark.parametrize(("data", "label"), [
    (TEXT.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
    (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le"),
    (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be"),
    (TEXT.encode("utf-16-le"), "utf-16-le"),
    (TEXT.encode("utf-16-be"), "utf-16-be"),
    (TEXT.encode("cp1252"), "cp1252"),
])
def test_each_encoding_decodes_to_the_same_text(data, label):
    assert decode(data) == (TEXT, label)


def test_latin1_bytes_undefined_in_windows_1252_still_decode():
    data = TEXT.encode("latin-1") + b"\x81\n"
    text, label = decode(data)
    assert text.startswith(TEXT) and label == "latin-1"


def test_utf8_cut_inside_its_last_character_loses_only_that_character():
    assert decode(TEXT.encode("utf-8") + "ñ".encode()[:1]) == (TEXT, "utf-8")


def test_a_sample_boundary_inside_a_character_does_not_change_the_choice():
    big = ("a" * (SAMPLE_BYTES - 1) + "ñ" + TEXT).encode("utf-8")
    assert decode(big)[1] == "utf-8"
