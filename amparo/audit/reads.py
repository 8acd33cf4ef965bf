"""Auditing reads of protected data: for detail pages and API endpoints of other apps.

In a view, after ``access_case(user, case_id)`` has fetched and authorized the case::

    audit_read(actor=request.user, obj=case, fields=("name", "a_number"))

or, for a whole view whose keyword argument names the object::

    @login_required
    @audited_read("cases.case", id_kwarg="case_id", fields=("name", "a_number"))
    def case_detail(request, case_id): ...

The decorator records the read only when the view answers with success (2xx), so a 404 for a
missing or forbidden object records nothing, and it records it before the response leaves: if
the event cannot be written, the protected page is not sent (fail closed). It works for
django-ninja operations too (they return data, or a ``(status, data)`` pair).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.db import models
from django.http import HttpRequest

from .services import audit_record

READ = "read"
F = TypeVar("F", bound=Callable[..., Any])


def audit_read(
    *,
    actor: Any,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    fields: Iterable[str] = (),
    reason: str = "",
) -> None:
    """Record that ``actor`` was shown ``fields`` of ``obj``."""
    audit_record(
        actor=actor,
        action=READ,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        fields=fields,
        reason=reason,
    )


def _succeeded(result: Any) -> bool:
    if isinstance(result, tuple) and result and isinstance(result[0], int):
        return 200 <= result[0] < 300
    status = getattr(result, "status_code", 200)
    return 200 <= int(status) < 300


def audited_read(
    object_type: str, *, id_kwarg: str, fields: Iterable[str] = ()
) -> Callable[[F], F]:
    """Decorate a view (or API operation) that shows protected ``fields`` of one object."""
    names = tuple(fields)

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            result = view(request, *args, **kwargs)
            if _succeeded(result):
                audit_read(
                    actor=getattr(request, "user", None),
                    object_type=object_type,
                    object_id=str(kwargs[id_kwarg]),
                    fields=names,
                )
            return result

        return wrapper  # type: ignore[return-value]

    return decorate
