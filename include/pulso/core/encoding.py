"""The one encoding detector for text files analysts bring (exports, `pulso classify` input).

A byte-order mark decides first; otherwise charset-normalizer chooses among the encodings such
files come in: UTF-8, UTF-16 LE/BE without BOM, and the Latin-1 family that Excel writes on
Windows (Windows-1252, with Latin-1 for its five undefined bytes). Only the head of a large
file is inspected; the whole file is then decoded with the choice.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

CANDIDATES = ("utf_8", "utf_16_le", "utf_16_be", "cp1252", "latin_1")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig", "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"))
_NAMES = {"utf_8": "utf-8", "ascii": "utf-8", "utf_16_le": "utf-16-le", "utf_16_be": "utf-16-be",
          "cp1252": "cp1252", "latin_1": "latin-1"}
SAMPLE_BYTES = 1 << 16


@dataclass(frozen=True)
class Detected:
    """`codec` to decode `data[bom:]` with; `label` as reported (utf-8-sig for a UTF-8 BOM)."""

    codec: str | None  # None: no candidate fits (binary)
    label: str | None
    bom: int = 0


def _head(data: bytes, size: int) -> bytes:
    """The first `size` bytes without a trailing partial UTF-8 sequence, of even length."""
    head = data[:size]
    cut = len(head)
    for back in range(1, min(4, cut) + 1):
        b = head[cut - back]
        if b & 0xC0 == 0x80:  # continuation byte: keep looking for the lead
            continue
        if b >= 0xC0 and back < (2 if b < 0xE0 else 3 if b < 0xF0 else 4):
            cut -= back  # lead byte whose sequence is incomplete
        break
    head = head[:cut]
    return head[: len(head) - len(head) % 2] if len(head) > 1 else head


def detect_encoding(data: bytes, *, sample: int = SAMPLE_BYTES) -> Detected:
    """The encoding of `data`: its BOM, else charset-normalizer's best of CANDIDATES."""
    for bom, label, codec in _BOMS:
        if data.startswith(bom):
            return Detected(codec, label, len(bom))
    head = _head(data, sample)
    if not head:
        return Detected("utf-8", "utf-8")
    from charset_normalizer import from_bytes

    best = from_bytes(head, cp_isolation=list(CANDIDATES), preemptive_behaviour=False).best()
    if best is None:
        return Detected(None, None)
    name = _NAMES.get(best.encoding, best.encoding)
    return Detected(name, name)


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding label). A UTF-8 file cut inside its last character loses that character;
    Windows-1252 falls back to Latin-1. Raises UnicodeDecodeError when the bytes do not decode
    (binary, or a multi-byte encoding broken in the middle)."""
    found = detect_encoding(data)
    if found.codec is None:
        raise UnicodeDecodeError("unknown", data[:1], 0, 1, "no text encoding fits")
    body = data[found.bom:]
    if found.codec.startswith("utf-16") and len(body) % 2:
        body = body[:-1]  # truncated mid-character
    if found.codec == "utf-8":
        try:
            return body.decode("utf-8"), found.label or "utf-8"
        except UnicodeDecodeError as exc:
            if exc.start >= len(body) - 3:  # a multi-byte character cut by truncation
                return body[: exc.start].decode("utf-8"), found.label or "utf-8"
            if found.bom:
                raise
            found = Detected("cp1252", "cp1252")  # UTF-8 head, Latin-1 family further down
    if found.codec == "cp1252":
        try:
            return body.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            return body.decode("latin-1"), "latin-1"
    return body.decode(found.codec), found.label or found.codec
