"""The one service contract every app follows.

- A write service takes ``by``: a signed-in :class:`~amparo.accounts.models.User`, or
  :data:`SYSTEM` when the scheduler, an import or the seed acts. Never ``None``: an actor that
  is not named cannot be audited, and a service must never skip its permission check because
  nobody was passed.
- It checks its permission first, every time (:func:`require`), and raises
  ``PermissionDenied`` when the actor may not act. :class:`~amparo.core.middleware.
  NotFoundForForbiddenMiddleware` answers that with the same 404 as a missing object, so a page
  never tells a stranger that something exists.
- Every refusal of the values is a :class:`ServiceError`, Django's field-aware
  ``ValidationError``: :func:`amparo.core.forms.run_service` places its messages beside the
  fields of the form, and the API answers them as 422 with the field they are about.
- Update services change fields through :func:`model_update`, which writes the names (never the
  values) of the changed fields to the audit chain in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final, TypeAlias, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

from amparo.audit.services import audit_record

if TYPE_CHECKING:
    from amparo.accounts.models import User


class SystemActor:
    """The actor of work nobody signed in to do: scheduled jobs, imports, the seed.

    It is a named actor, not an anonymous one: its events carry no user id, and the permission
    checks of services that the scheduler may run accept it explicitly (``is_system``).
    """

    pk: Final = None
    id: Final = None
    is_authenticated: Final = False
    is_active: Final = True
    is_system: Final = True
    role: Final = "system"

    def __repr__(self) -> str:
        return "SYSTEM"

    def __str__(self) -> str:
        return "system"

    def __reduce__(self) -> str:
        return "SYSTEM"


#: The one system actor.
SYSTEM: Final = SystemActor()

#: Who does a write: a person, or the system.
Actor: TypeAlias = "User | SystemActor"


def is_system(by: object) -> bool:
    """True for :data:`SYSTEM` (and only for it)."""
    return by is SYSTEM


class ServiceError(ValidationError):
    """The one error type of services: a ``ValidationError``, with field names when the message
    is about a field (``ServiceError({"amount": "Too large."})``) or without (a message about
    the whole request)."""


def require(allowed: bool) -> None:
    """Refuse unless ``allowed``: the first line of every service that checks a permission."""
    if not allowed:
        raise PermissionDenied


def model_update(
    *,
    instance: models.Model,
    fields: Iterable[str],
    data: Mapping[str, Any],
    by: Actor,
    action: str = "",
    reason: str = "",
) -> list[str]:
    """Set those of ``fields`` that ``data`` changes on ``instance``, validate and save them, and
    audit the names of the changed fields as ``action`` (default ``<model>.update``).

    Returns the changed field names, sorted (empty when nothing changed: then nothing is saved
    or audited). Runs in the caller's transaction; a value the model refuses raises
    :class:`ServiceError` with the field's name and changes nothing, neither in the database
    nor on ``instance`` (its old values are put back, so a page can still show them).
    """
    before: dict[str, Any] = {}
    for name in fields:
        if name in data and getattr(instance, name) != data[name]:
            before[name] = getattr(instance, name)
            setattr(instance, name, data[name])
    changed = list(before)
    if not changed:
        return []
    try:
        instance.full_clean(
            exclude=[f.name for f in instance._meta.fields if f.name not in changed]
        )
    except ValidationError as error:
        for name, value in before.items():
            setattr(instance, name, value)
        raise ServiceError(error.message_dict) from error
    # A changed protected value takes its blind index along (the vault's BlindIndexField names
    # its source and recomputes on save); the audit names only the fields asked for.
    indexes = [
        f.name
        for f in instance._meta.concrete_fields
        if hasattr(f, "digest_of") and getattr(f, "source", None) in before
    ]
    instance.save(update_fields=changed + indexes)
    audit_record(
        actor=by,
        action=action or f"{instance._meta.model_name}.update",
        obj=instance,
        fields=changed,
        reason=reason,
    )
    return sorted(changed)


M = TypeVar("M", bound=models.Model)


def model_insert(
    *,
    instance: M,
    fields: Iterable[str],
    by: Actor,
    action: str,
    exclude: Iterable[str] = (),
) -> M:
    """Validate a new row, insert it and audit ``fields`` (their names) as ``action``: the
    counterpart of :func:`model_update` for rows a service creates.

    Runs in the caller's transaction. A value the model refuses raises :class:`ServiceError`
    with the field's name, and nothing is saved. ``exclude`` names the fields the service set
    itself (a subject, a foreign key it already checked) and that need no validating.
    """
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as error:
        raise ServiceError(error.message_dict) from error
    instance.save(force_insert=True)
    audit_record(actor=by, action=action, obj=instance, fields=list(fields))
    return instance
