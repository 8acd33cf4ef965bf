"""Reference codes and private status codes for help requests.

Both are random (``secrets``) over an alphabet without look-alike characters (no 0/O, 1/I/L),
grouped in fours so they can be read out over a phone. The reference names a request and says
nothing about the person; the status code is the secret that, with the reference, shows the
request's status. Only a keyed hash of the status code is stored.
"""

from __future__ import annotations

import re
import secrets

from django.utils.crypto import constant_time_compare, salted_hmac

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_CHARS = 8  # 31^8 ≈ 8.5e11: unique enough, and retried on a collision
STATUS_CODE_CHARS = 16  # 31^16 ≈ 2^79: guessing is hopeless, and the page is rate-limited
_SEPARATORS = re.compile(r"[\s\-_.]+")
_HASH_SALT = "amparo.intake.status-code"


def _random(chars: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(chars))


def _grouped(raw: str) -> str:
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def new_reference() -> str:
    return "H-" + _grouped(_random(REFERENCE_CHARS))


def new_status_code() -> str:
    return _grouped(_random(STATUS_CODE_CHARS))


def normalize_code(value: str) -> str:
    """Uppercase, with spaces, dashes and dots removed."""
    return _SEPARATORS.sub("", str(value or "")).upper()


def normalize_reference(value: str) -> str:
    text = normalize_code(value)
    if text.startswith("H") and len(text) == REFERENCE_CHARS + 1:
        text = text[1:]
    if len(text) != REFERENCE_CHARS or any(c not in ALPHABET for c in text):
        return ""
    return "H-" + _grouped(text)


def status_code_hash(code: str) -> str:
    return salted_hmac(_HASH_SALT, normalize_code(code), algorithm="sha256").hexdigest()


def status_code_matches(code: str, stored_hash: str) -> bool:
    normalized = normalize_code(code)
    if len(normalized) != STATUS_CODE_CHARS or not stored_hash:
        # Still spend the same work, so a malformed guess is not faster to refuse.
        constant_time_compare(status_code_hash("0" * STATUS_CODE_CHARS), stored_hash or "x")
        return False
    return constant_time_compare(status_code_hash(normalized), stored_hash)


def status_code_for_token(token: str) -> str:
    """The status code of the public form's submission ``token``: a keyed function of it, so a
    double submit (two requests racing with the same token) shows the person the same code
    whichever of them created the request. Without the server's secret key it is as random as
    the token (128 bits)."""
    number = int.from_bytes(
        salted_hmac("amparo.intake.status-code-of-token", token, algorithm="sha256").digest()[:16],
        "big",
    )
    chars = []
    for _ in range(STATUS_CODE_CHARS):
        number, digit = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[digit])
    return _grouped("".join(chars))
