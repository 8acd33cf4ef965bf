"""Blind indexes: exact-match lookups over protected values without storing them.

``digest(raw, normalizer="a_number")`` is what a ``BlindIndexField`` stores for ``raw``. Keys are
derived per *scope* (by default the normalizer's name), so the same A-number gives the same
digest in a help request and in a case: that is what makes conflict and duplicate checks across
tables possible. Give a field its own ``scope`` when it must not be linkable to other tables.

The digest is computed in ``digests`` (re-exported here) and its keys come from ``keys``, so the
field can use them without importing this module, which imports the field.
"""

from __future__ import annotations

from django.db.models import Model, Q

from .digests import digest, normalize
from .fields import BlindIndexField
from .normalize import NormalizationError

__all__ = ["digest", "matching", "normalize"]


def matching(model: type[Model], field_name: str, raw: str) -> Q:
    """A ``Q`` selecting rows of ``model`` whose blind index ``field_name`` matches ``raw``.

    ``Case.objects.filter(matching(Case, "a_number_index", "A 012-345-678"))``
    A value that cannot be normalized matches nothing (rather than raising in a search box).
    """
    field = model._meta.get_field(field_name)
    if not isinstance(field, BlindIndexField):
        raise TypeError(f"{model.__name__}.{field_name} is not a BlindIndexField")
    try:
        value = field.digest_of(raw)
    except NormalizationError:
        return Q(pk__in=[])
    return Q(**{field.name: value})
