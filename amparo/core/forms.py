"""Forms meet services in one place: a service's refusal is shown beside the fields it names."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.utils.translation import gettext_lazy as _

T = TypeVar("T")


def form_errors_add(form: BaseForm, error: ValidationError) -> None:
    """Place the messages of a service's ``ValidationError`` beside their fields (a message
    about a field the form does not show, or about no field, goes to the top of the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def run_service(form: BaseForm, service: Callable[..., T], /, **kwargs: Any) -> T | None:
    """Run ``service(**kwargs)``; when it refuses the values, put its messages on ``form`` and
    return None (the view then shows the form again, with what was typed). ``PermissionDenied``
    is not caught: :class:`~amparo.core.middleware.NotFoundForForbiddenMiddleware` answers it
    with the same 404 as a missing object."""
    try:
        return service(**kwargs)
    except ValidationError as error:
        form_errors_add(form, error)
        return None


class RemoveOnRequestForm(forms.Form):
    """The reason for removing a person's data on request (a client or a donor). Left optional
    here so that the service's own refusal of a blank reason is the one rule and message."""

    reason = forms.CharField(
        label=_("Why is the data removed?"),
        help_text=_(
            "For example: the person asked us in writing. Do not write the person's name or "
            "details: the reason is kept in the audit log."
        ),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
