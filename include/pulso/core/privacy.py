"""Citizens' personal data: keyed author hashes and masking of texts that leave the office.

Authors are identified by an HMAC of their network id with a secret that lives outside the
code (an Airflow connection/variable exported as PULSO_AUTHOR_SECRET, or a local file created
once for the embedded demo), so the same citizen keeps the same key across loads while the
key cannot be reversed or recomputed without the secret.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from pulso.core.paths import var_dir

SECRET_ENV = "PULSO_AUTHOR_SECRET"


@lru_cache(maxsize=1)
def author_secret() -> bytes:
    value = os.environ.get(SECRET_ENV)
    if value:
        return value.encode()
    path = var_dir() / "author_secret"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


def author_key(network: str, author_id: str | None, secret: bytes | None = None) -> str | None:
    """HMAC-SHA256 of `network:author_id` (hex, 64 chars); None when the author is unknown."""
    if not author_id:
        return None
    key = secret if secret is not None else author_secret()
    return hmac.new(key, f"{network}:{author_id}".encode(), hashlib.sha256).hexdigest()


# spaces around @ and "arroba"/"(at)" spellings are how citizens dodge filters
# The local part starts only where a word starts and is at most 64 characters (RFC 5321), so
# a long run of letters costs one linear scan, not a quadratic backtrack per position.
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}\s?(?:@|\(at\)|\[at\]|\barroba\b)\s?[\w-]{1,63}"
                    r"(?:\s?\.\s?[\w-]{1,63}){0,4}\s?\.\s?[a-z]{2,24}\b", re.IGNORECASE)
# mobile 3xx and landline 60x, with spaces, dots, dashes or parentheses between groups
_SEP = r"[\s.\-()]{0,3}"
_PHONE = re.compile(rf"(?<!\w)(?:\+?57{_SEP})?\(?(?:3\d{{2}}|60\d){_SEP}\d{{3}}{_SEP}"
                    rf"\d{{2}}{_SEP}\d{{2}}(?!\w)")
_CEDULA = re.compile(
    r"(?i)\b(?:c\.?\s?c\.?|c[eé]dula|documento|nit|t\.?\s?i\.?)\s*(?:es\s*)?(?:n[o°º.]*\s*)?:?\s*"
    r"\d{1,3}(?:[.\s]?\d{3}){1,3}\b")
_LONG_NUMBER = re.compile(r"(?<![\w/])\d{1,3}(?:\.\d{3}){2,3}(?![\w/])|(?<![\w/.])\d{7,10}(?![\w/.])")
_HANDLE = re.compile(r"(?<![\w@])@\w{2,}")


def mask_personal_data(text: str | None, *, keep_handles: bool = False) -> str:
    """Mask e-mails, phone numbers, ID numbers (cédula) and, unless kept, @handles."""
    if not text:
        return ""
    # full-width and other Unicode digits/letters folded first (NFKC: "３００" -> "300")
    out = _EMAIL.sub("[correo]", unicodedata.normalize("NFKC", text))
    out = _CEDULA.sub("[documento]", out)
    out = _PHONE.sub("[teléfono]", out)
    out = _LONG_NUMBER.sub("[número]", out)
    if not keep_handles:
        out = _HANDLE.sub("@[usuario]", out)
    return out


def shorten(text: str | None, limit: int = 160) -> str:
    """Shorten a text for a report cell, on a word boundary, with an ellipsis."""
    if not text:
        return ""
    t = " ".join(text.split())
    if len(t) <= limit:
        return t
    cut = t[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"


def pseudonym(author_key_hex: str | None) -> str:
    """A short stable pseudonym for reports ('Ciudadano 3f2a9c')."""
    if not author_key_hex:
        return "Anónimo"
    return f"Ciudadano {author_key_hex[:6]}"


def may_see_personal_data(recipients: Sequence[str], allowed: Sequence[str]) -> bool:
    """Full texts and handles leave the office only when EVERY recipient is explicitly allowed
    (`recipients.personal_data_allowed` in pulso.yaml); no recipients means nobody is."""
    ok = {a.strip().lower() for a in allowed}
    return bool(recipients) and all(r.strip().lower() in ok for r in recipients)
