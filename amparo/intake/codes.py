"""Reference codes and private status codes for help requests.

Both are random (``secrets``) over an alphabet without look-alike characters (no 0/O, 1/I/L),
grouped in fours so they can be read out over a phone. The reference names a request and says
nothing about the person; the status code is the secret that, with the reference, shows the
request's status. Only a keyed hash of the status code is stored.

Both the hash and the code the public form derives from its submission token are keyed by the
key provider (``amparo.vault.keys.purpose_key``), never by the settings' SECRET_KEY: the token
is stored (as the idempotency key), so a SECRET_KEY-keyed code could be recomputed from a copy
of the database and the settings (issue #15, finding 8). Hashes written before that (no
``k1$`` prefix) are still checked with the SECRET_KEY, and rewritten on their first use.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from django.utils.crypto import constant_time_compare, salted_hmac

from amparo.vault.keys import purpose_key

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_CHARS = 8  # 31^8 ≈ 8.5e11: unique enough, and retried on a collision
STATUS_CODE_CHARS = 16  # 31^16 ≈ 2^79: guessing is hopeless, and the page is rate-limited
_SEPARATORS = re.compile(r"[\s\-_.]+")
_LEGACY_HASH_SALT = "amparo.intake.status-code"  # SECRET_KEY-keyed hashes, before #15
HASH_PREFIX = "k1$"  # hashes keyed by the key provider


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
    """The stored form of ``code``: an HMAC under the key provider's status-code key."""
    digest = hmac.new(
        purpose_key("intake-status-code"), normalize_code(code).encode(), hashlib.sha256
    ).hexdigest()
    return HASH_PREFIX + digest


def _legacy_hash(normalized: str) -> str:
    return salted_hmac(_LEGACY_HASH_SALT, normalized, algorithm="sha256").hexdigest()


def status_code_hash_is_legacy(stored_hash: str) -> bool:
    """Written before the key provider keyed the hashes: rewrite it once the code is shown."""
    return bool(stored_hash) and not stored_hash.startswith(HASH_PREFIX)


def status_code_matches(code: str, stored_hash: str) -> bool:
    normalized = normalize_code(code)
    if len(normalized) != STATUS_CODE_CHARS or not stored_hash:
        # Still spend the same work, so a malformed guess is not faster to refuse.
        constant_time_compare(status_code_hash("0" * STATUS_CODE_CHARS), stored_hash or "x")
        return False
    if status_code_hash_is_legacy(stored_hash):
        return constant_time_compare(_legacy_hash(normalized), stored_hash)
    return constant_time_compare(status_code_hash(normalized), stored_hash)


def status_code_for_token(token: str) -> str:
    """The status code of the public form's submission ``token``: a keyed function of it, so a
    double submit (two requests racing with the same token) shows the person the same code
    whichever of them created the request. The token is stored (the idempotency key), so the
    key is the key provider's, outside the database and the settings: without it the code is
    as random as the token (128 bits)."""
    digest = hmac.new(
        purpose_key("intake-status-code-of-token"), token.encode(), hashlib.sha256
    ).digest()
    number = int.from_bytes(digest[:16], "big")
    chars = []
    for _ in range(STATUS_CODE_CHARS):
        number, digit = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[digit])
    return _grouped("".join(chars))
