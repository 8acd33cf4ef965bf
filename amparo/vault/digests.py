"""What a blind index stores: a keyed digest of the normalized value.

``digest(raw, normalizer="a_number")`` is the value a ``BlindIndexField`` stores for ``raw``. It
sits below both the field (``fields``) and the lookups (``blind``), which import it; it imports
neither.
"""

from __future__ import annotations

from .crypto import blind_digest
from .keys import index_key
from .normalize import NORMALIZERS


def normalize(raw: str, normalizer: str) -> str:
    try:
        func = NORMALIZERS[normalizer]
    except KeyError:
        raise ValueError(f"unknown normalizer {normalizer!r}") from None
    return func(raw)


def digest(raw: str, *, normalizer: str, scope: str | None = None) -> str:
    """The blind-index value of ``raw``; raises ``NormalizationError`` if it cannot be normalized."""
    return blind_digest(index_key(scope or normalizer), normalize(raw, normalizer))
