"""Each page speaks only the languages it may: no page mixes two languages.

Runs after ``LocaleMiddleware`` (which chose the language from the cookie or the browser) and
``AuthenticationMiddleware``. A public page (``amparo.core.i18n_public.is_public_path``) speaks
every visible public language; a staff page speaks ``AMPARO_STAFF_LANGUAGES`` only. A request
for any other language is answered in the fallback: the signed-in person's staff language, else
English. Nothing is written to the cookie: the person's choice stays for the public pages.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import translation

from amparo.core.i18n_public import is_public_path, staff_languages

from .selectors import default_fallback, visible_public_languages


def _names_a_page(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


class LanguagePolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # An address that names no page at all answers with the public 404 page: whoever
        # mistyped it reads it in their own language, as on the public pages.
        public = is_public_path(request.path_info) or not _names_a_page(request.path_info)
        allowed = visible_public_languages() if public else staff_languages()
        request.amparo_public_page = public  # type: ignore[attr-defined]
        request.amparo_languages = allowed  # type: ignore[attr-defined]
        language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
        if language not in allowed:
            user = getattr(request, "user", None)
            fallback = settings.LANGUAGE_CODE if public else default_fallback(user)
            translation.activate(fallback)
            request.LANGUAGE_CODE = fallback
        return self.get_response(request)
