"""Languages by ISO 639 code, with names translated into the interface language.

ISO 639-1 where a two-letter code exists, ISO 639-3 otherwise (K'iche' ``quc``, Mam ``mam``):
Mayan languages are common among people detained in the United States and have no 639-1 code.
Most of them have no written version on the public pages: the help flow asks which language a
person *speaks* separately from the page's language, and routing looks for an attorney who
speaks it or an interpreter the fund provides for it.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LANGUAGES: dict[str, Promise] = {
    "en": _("English"),
    "es": _("Spanish"),
    "fr": _("French"),
    "pt": _("Portuguese"),
    "ar": _("Arabic"),
    "am": _("Amharic"),
    "ti": _("Tigrinya"),
    "quc": _("K'iche'"),
    "mam": _("Mam"),
    "kjb": _("Q'anjob'al"),
    "knj": _("Akateko"),
    "cac": _("Chuj"),
    "ixl": _("Ixil"),
    "cak": _("Kaqchikel"),
    "kek": _("Q'eqchi'"),
    "cab": _("Garifuna"),
    "ht": _("Haitian Creole"),
    "ru": _("Russian"),
    "uk": _("Ukrainian"),
    "zh": _("Chinese"),
    "vi": _("Vietnamese"),
    "so": _("Somali"),
    "fa": _("Persian"),
    "ps": _("Pashto"),
    "hi": _("Hindi"),
    "pa": _("Punjabi"),
    "wo": _("Wolof"),
    "tr": _("Turkish"),
    "ne": _("Nepali"),
}


#: A person's answer when their language is not in the list: no attorney is matched by it, so
#: routing leaves the request to staff, who call back with an interpreter.
OTHER_LANGUAGE = "other"


def language_name(code: str) -> str:
    """The name of ``code`` in the active language; the code itself when unknown."""
    if code == OTHER_LANGUAGE:
        return str(_("Another language"))
    name = LANGUAGES.get(code)
    return str(name) if name is not None else code


def language_choices() -> list[tuple[str, str]]:
    return sorted(((c, str(n)) for c, n in LANGUAGES.items()), key=lambda cn: cn[1])


def spoken_language_choices() -> list[tuple[str, str]]:
    """The help flow's "which language do you speak": every language, then "Another language"."""
    return [*language_choices(), (OTHER_LANGUAGE, str(_("Another language")))]
