from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import translation

from amparo.core.i18n_public import draft_languages, is_public_path, staff_languages

from .selectors import language_option, language_reviewed, visible_public_languages


def languages(request: HttpRequest) -> dict[str, Any]:
    """The picker's languages (each in its own name) and whether the page is an unreviewed
    translation. ``LanguagePolicyMiddleware`` already chose the list; pages rendered without it
    (a test's RequestFactory) work it out here."""
    codes = getattr(request, "amparo_languages", None)
    public = getattr(request, "amparo_public_page", None)
    if public is None:
        public = is_public_path(request.path_info)
    if codes is None:
        codes = visible_public_languages() if public else staff_languages()
    current = (translation.get_language() or "en").split("-")[0]

    def unreviewed() -> bool:
        # Only asked on a public page in a draft language: reading catalogs costs a little.
        return bool(public) and current in draft_languages() and not language_reviewed(current)

    return {
        "picker_languages": [language_option(code) for code in codes],
        "translation_unreviewed": unreviewed,
    }
