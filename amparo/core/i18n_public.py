"""Which pages are public, in which languages, and which source files their strings come from.

Public pages (home, help flow, status, rights and family plan, donate, impact, transparency, the
error pages) speak every language in ``settings.LANGUAGES``; staff pages speak
``settings.AMPARO_STAFF_LANGUAGES``. A catalog entry is *public* when any of its source
references (the ``#:`` lines of a ``.po`` file) is one of :data:`PUBLIC_SOURCES`: those are the
strings a Portuguese, French, Haitian Creole, Arabic or Russian catalog must translate.
"""

from __future__ import annotations

import functools
from fnmatch import fnmatch
from pathlib import Path

from django.conf import settings

_AMPARO_ROOT = Path(__file__).resolve().parent.parent

#: The public pages, by address: the home page (exactly ``/``) and everything under these
#: prefixes, except :data:`STAFF_PREFIXES_UNDER_PUBLIC`. An error page (404, 405, 500) speaks
#: the language of the address it answers. Every other address is a staff page.
PUBLIC_PATHS: tuple[str, ...] = ("/",)
PUBLIC_PREFIXES: tuple[str, ...] = (
    "/help/",
    "/rights/",
    "/donate/",
    "/impact/",
    "/transparency/",
    "/i18n/",
)
#: Staff pages that live under a public prefix: the fund admins' rights page editor.
STAFF_PREFIXES_UNDER_PUBLIC: tuple[str, ...] = ("/rights/manage/",)

#: Paths relative to ``amparo/``, as ``makemessages`` writes them in a catalog's ``#:`` lines
#: relative to the app's folder (``templates/intake/public/step.html``), prefixed by the app.
PUBLIC_SOURCES: tuple[str, ...] = (
    "core/templates/base.html",
    "core/templates/core/home.html",
    "core/templates/errors/*.html",
    "core/context_processors.py",
    "core/navigation.py",
    "core/middleware.py",
    "core/forms.py",
    "core/terms.py",
    "core/names.py",
    "core/hearing_dates.py",
    "intake/templates/intake/public/*.html",
    "intake/public_views.py",
    "intake/forms/public.py",
    "intake/forms/fields.py",
    "intake/wizard.py",
    "intake/presentation.py",
    "intake/codes.py",
    "rights/templates/rights/_base.html",
    "rights/templates/rights/_home_hotlines.html",
    "rights/templates/rights/_home_links.html",
    "rights/templates/rights/_hotlines.html",
    "rights/templates/rights/_note.html",
    "rights/templates/rights/card.html",
    "rights/templates/rights/index.html",
    "rights/templates/rights/plan_intro.html",
    "rights/templates/rights/plan_review.html",
    "rights/templates/rights/plan_step.html",
    "rights/templates/rights/topic.html",
    "rights/views.py",
    "rights/forms.py",
    "rights/content.py",
    "rights/hotlines.py",
    "rights/pdf.py",
    "donations/templates/donations/donate_start.html",
    "donations/templates/donations/donate_details.html",
    "donations/templates/donations/checkout.html",
    "donations/templates/donations/thanks.html",
    "donations/templates/donations/transparency.html",
    "donations/public_views.py",
    "reports/templates/reports/impact.html",
    "reports/templates/reports/_figures.html",
    "reports/templates/reports/_references.html",
    "reports/presentation.py",
    "reports/charts.py",
    "organizations/languages.py",
    # What those pages show from elsewhere: form widgets and errors, the status and eligibility
    # sentences, choices the help and donate forms offer, the figures the impact page cites.
    "core/templates/includes/field.html",
    "core/templates/includes/form_errors.html",
    "intake/templates/intake/widgets/*.html",
    "intake/templates/intake/includes/*.html",
    "intake/explain.py",
    "vault/validators.py",
    "ledger/fields.py",
    "reports/references.py",
    "sms/texts.py",  # the answers to a text message
    "smsintake/messages.py",  # the texts of the help conversation by SMS
)


def is_public_path(path: str) -> bool:
    """True when the page at ``path`` is public (speaks every visible public language)."""
    if path in PUBLIC_PATHS:
        return True
    if path.startswith(STAFF_PREFIXES_UNDER_PUBLIC):
        return False
    return path.startswith(PUBLIC_PREFIXES)


def staff_languages() -> list[str]:
    """The languages of staff pages (English first)."""
    return [code for code in public_languages() if code in settings.AMPARO_STAFF_LANGUAGES]


def staff_language_choices() -> list[tuple[str, str]]:
    """(code, name) of the staff languages, for a staff form's choice of language (the email of
    an invitation, the pages a person sees first): never a language staff pages do not speak."""
    staff = set(settings.AMPARO_STAFF_LANGUAGES)
    return [(code, str(name)) for code, name in settings.LANGUAGES if code in staff]


def public_languages() -> list[str]:
    """Every language a public page can be shown in (English first)."""
    return [code for code, _name in settings.LANGUAGES]


def draft_languages() -> list[str]:
    """The public languages that are not staff languages: drafted, reviewed page by page."""
    staff = set(settings.AMPARO_STAFF_LANGUAGES)
    return [code for code in public_languages() if code not in staff]


def public_apps() -> list[str]:
    """The apps (folder names under ``amparo/``) with strings on public pages."""
    return sorted({pattern.split("/", 1)[0] for pattern in PUBLIC_SOURCES})


def is_public_source(app: str, reference: str) -> bool:
    """True when ``reference`` (a ``#:`` path in ``app``'s catalog, no line number) is public."""
    path = f"{app}/{reference.split(':', 1)[0]}"
    return any(fnmatch(path, pattern) for pattern in PUBLIC_SOURCES)


@functools.cache
def has_catalogs(language: str) -> bool:
    """True when some app ships a compiled catalog in ``language`` (English needs none).

    A draft language nobody has translated yet is not offered: its pages would be English
    under ``<html lang>`` of another language.
    """
    if language == settings.LANGUAGE_CODE:
        return True
    return any(_AMPARO_ROOT.glob(f"*/locale/{language}/LC_MESSAGES/django.mo"))
