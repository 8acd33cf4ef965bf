"""Blind indexes: exact-match lookups over protected values without storing them.

``digest(raw, normalizer="a_number")`` is what a ``BlindIndexField`` stores for ``raw``. Keys are
derived per *scope* (by default the normalizer's name), so the same A-number gives the same
digest in a help request and in a case: that is what makes conflict and duplicate checks across
tables possible. Give a field its own ``scope`` when it must not be linkable to other tables.
"""

from __future__ import annotations

import threading

from django.db.models import Model, Q

from .crypto import blind_digest, derive_key
from .normalize import NORMALIZERS

_index_keys: dict[str, bytes] = {}
_lock = threading.Lock()


def reset_index_keys() -> None:
    with _lock:
        _index_keys.clear()


def index_key(scope: str) -> bytes:
    with _lock:
        key = _index_keys.get(scope)
    if key is None:
        from .keys import get_provider

        key = derive_key(get_provider().blind_index_root(), f"amparo-blind-index-v1:{scope}")
        with _lock:
            _index_keys[scope] = key
    return key


def normalize(raw: str, normalizer: str) -> str:
    try:
        func = NORMALIZERS[normalizer]
    except KeyError:
        raise ValueError(f"unknown normalizer {normalizer!r}") from None
    return func(raw)


def digest(raw: str, *, normalizer: str, scope: str | None = None) -> str:
    """The blind-index value of ``raw``; raises ``NormalizationError`` if it cannot be normalized."""
    return blind_digest(index_key(scope or normalizer), normalize(raw, normalizer))


def matching(model: type[Model], field_name: str, raw: str) -> Q:
    """A ``Q`` selecting rows of ``model`` whose blind index ``field_name`` matches ``raw``.

    ``Case.objects.filter(matching(Case, "a_number_index", "A 012-345-678"))``
    A value that cannot be normalized matches nothing (rather than raising in a search box).
    """
    from .fields import BlindIndexField
    from .normalize import NormalizationError

    field = model._meta.get_field(field_name)
    if not isinstance(field, BlindIndexField):
        raise TypeError(f"{model.__name__}.{field_name} is not a BlindIndexField")
    try:
        value = field.digest_of(raw)
    except NormalizationError:
        return Q(pk__in=[])
    return Q(**{field.name: value})
