"""Which models hold protected fields, found from the fields themselves (no registration step)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db import models

from .fields import BlindIndexField, EncryptedField


@dataclass(frozen=True)
class ProtectedGroup:
    """The encrypted fields and blind indexes of one model that belong to one subject field."""

    model: type[models.Model]
    subject_field: str
    encrypted: tuple[EncryptedField, ...]
    blind: tuple[BlindIndexField, ...]


def protected_groups() -> Iterator[ProtectedGroup]:
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        groups: dict[str, tuple[list[EncryptedField], list[BlindIndexField]]] = {}
        for field in model._meta.local_concrete_fields:
            if isinstance(field, EncryptedField):
                groups.setdefault(field.subject_field, ([], []))[0].append(field)
            elif isinstance(field, BlindIndexField):
                groups.setdefault(field.subject_field, ([], []))[1].append(field)
        for subject_field, (encrypted, blind) in groups.items():
            yield ProtectedGroup(model, subject_field, tuple(encrypted), tuple(blind))
