"""The translators' page: how complete and how reviewed each draft language is, and sign-off."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amparo.accounts.models import User
from amparo.core.forms import form_errors_add
from amparo.core.services import ServiceError

from . import selectors, services
from .forms import SignOffForm, VisibilityForm
from .permissions import can_hide_languages, can_review_translations


def _reviewer(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in and a translator or fund admin; anyone else gets the same 404 as a missing
    page. (The MFA middleware has already asked every staff role to enrol.)"""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_review_translations(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


@_reviewer
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    summaries = selectors.language_summaries(fetched_by=cast(User, request.user))
    return render(
        request,
        "translations/index.html",
        {"summaries": summaries, "can_hide": can_hide_languages(request.user)},
    )


def _language_page(
    request: HttpRequest, language: str, *, status: int = 200, error: str = ""
) -> HttpResponse:
    summary = selectors.language_summary(language=language, fetched_by=cast(User, request.user))
    if summary is None:
        raise Http404
    return render(
        request,
        "translations/language.html",
        {"summary": summary, "can_hide": can_hide_languages(request.user), "error": error},
        status=status,
    )


@_reviewer
@require_GET
def language(request: HttpRequest, language: str) -> HttpResponse:
    return _language_page(request, language)


def _refused(request: HttpRequest, language: str, error: ServiceError) -> HttpResponse:
    form = SignOffForm({})
    form.is_valid()
    form_errors_add(form, error)  # the form has no fields: every message goes to the top
    message = " ".join(str(m) for m in form.non_field_errors())
    return _language_page(request, language, status=400, error=message)


@_reviewer
@require_POST
def visibility(request: HttpRequest, language: str) -> HttpResponse:
    if (
        not can_hide_languages(request.user)
        or selectors.language_summary(language=language, fetched_by=cast(User, request.user))
        is None
    ):
        raise Http404
    form = VisibilityForm(request.POST)
    if not form.is_valid():
        return _language_page(
            request, language, status=400, error=_("Choose to show or hide the language.")
        )
    hidden = form.cleaned_data["hidden"]
    services.language_visibility_set(language=language, hidden=hidden, by=cast(User, request.user))
    messages.success(
        request,
        _("The language is hidden from the public.")
        if hidden
        else _("The language is offered to the public."),
    )
    return redirect("translations:language", language=language)


def _sign_off(request: HttpRequest, language: str, sign: Callable[[User], object]) -> HttpResponse:
    """One sign-off (a catalog or a page) by the signed-in reviewer, then back to the language."""
    user = cast(User, request.user)
    if selectors.language_summary(language=language, fetched_by=user) is None:
        raise Http404
    try:
        sign(user)
    except ServiceError as error:
        return _refused(request, language, error)
    messages.success(request, _("Signed off. Thank you."))
    return redirect("translations:language", language=language)


@_reviewer
@require_POST
def catalog_sign_off(request: HttpRequest, language: str, app: str) -> HttpResponse:
    return _sign_off(
        request,
        language,
        lambda by: services.catalog_sign_off(language=language, app=app, by=by),
    )


@_reviewer
@require_POST
def page_sign_off(request: HttpRequest, language: str, topic: str) -> HttpResponse:
    return _sign_off(
        request,
        language,
        lambda by: services.rights_page_sign_off(language=language, topic=topic, by=by),
    )
