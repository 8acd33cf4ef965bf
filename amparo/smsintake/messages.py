"""Every text the conversation sends, in the active language (``translation.override``).

Each fits one GSM-7 segment (160 characters) in English; accented and non-Latin languages are
counted in UCS-2 segments by ``tests/smsintake/test_segments.py``. The words people type to go
back or to erase their answers are the same in every language (``BACK_WORDS``,
``DELETE_WORDS``): STOP, HELP, START, CANCEL, END, QUIT, YES and INFO are not used, because the
channel and the carriers answer those themselves.
"""

from __future__ import annotations

import unicodedata

from django.utils.translation import gettext as _

#: The conversation's languages, each in its own name and script, in the order of the menu.
MENU_LANGUAGES: tuple[tuple[str, str], ...] = (
    ("en", "English"),
    ("es", "Español"),
    ("pt", "Português"),
    ("fr", "Français"),
    ("ht", "Kreyòl"),
    ("ar", "العربية"),
    ("ru", "Русский"),
)
LANGUAGE_CODES = tuple(code for code, _name in MENU_LANGUAGES)

#: Per language: (go back, erase everything). Any of them works in any conversation.
WORDS: dict[str, tuple[str, str]] = {
    "en": ("BACK", "DELETE"),
    "es": ("ATRAS", "BORRAR"),
    "pt": ("VOLTAR", "APAGAR"),
    "fr": ("RETOUR", "EFFACER"),
    "ht": ("RETOU", "EFASE"),
    "ar": ("رجوع", "حذف"),
    "ru": ("НАЗАД", "УДАЛИТЬ"),
}


def fold(text: str) -> str:
    """Case and accents folded, spaces collapsed: ``Atrás`` and ``ATRAS`` are one word."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))
    return " ".join(kept.replace(".", " ").replace("!", " ").split())


BACK_WORDS = frozenset(fold(back) for back, _delete in WORDS.values())
DELETE_WORDS = frozenset(fold(delete) for _back, delete in WORDS.values())


def language_menu() -> str:
    return " ".join(f"{n} {name}" for n, (_code, name) in enumerate(MENU_LANGUAGES, start=1))


def greeting(fund: str) -> str:
    return _(
        "%(fund)s finds free immigration lawyers. To ask for one by text, reply with the number "
        "of your language:"
    ) % {"fund": fund}


def intro(language: str) -> str:
    back, delete = WORDS.get(language, WORDS["en"])
    return _(
        "A few questions follow. Reply %(back)s to change your last answer, or %(delete)s to "
        "erase all your answers."
    ) % {"back": back, "delete": delete}


def for_whom() -> str:
    return _("Who needs a lawyer? Reply 1 for you, 2 for a family member or someone close to you.")


def name() -> str:
    return _(
        "What is the full name of the person who needs a lawyer, as on immigration papers if "
        "there are any?"
    )


def detained() -> str:
    return _("Is the person detained by immigration now? 1 Yes 2 No 3 Was detained, now released")


def facility(names: list[str]) -> str:
    options = " ".join(f"{n} {name}" for n, name in enumerate(names, start=1))
    return _("Where is the person detained? %(options)s 0 Somewhere else or I do not know") % {
        "options": options
    }


def a_number() -> str:
    return _(
        "What is the A-number? It has 8 or 9 digits, like A-012-345-678. Reply 0 if you do not "
        "know it."
    )


def hearing() -> str:
    return _(
        "When is the next immigration court hearing? Write day month year, like 27 3 2026. "
        "Reply 0 if there is none or you do not know."
    )


def missed() -> str:
    return _(
        "Has the person missed a court hearing? 1 No 2 Yes 3 Yes, and the judge ordered "
        "removal 4 I do not know"
    )


def where() -> str:
    return _(
        "What is the ZIP code where the person lives (or the family, if the person is "
        "detained)? Reply 0 if you do not know."
    )


def household() -> str:
    return _(
        "How many people live in the household, counting the person who needs help? Reply with "
        "a number."
    )


def income(bands: list[str]) -> str:
    options = " ".join(f"{n} {band}" for n, band in enumerate(bands, start=1))
    return _("Household income in a year, before taxes? %(options)s %(last)s I do not know") % {
        "options": options,
        "last": len(bands) + 1,
    }


def band_under(amount: str) -> str:
    return _("under %(amount)s") % {"amount": amount}


def band_over(amount: str) -> str:
    return _("over %(amount)s") % {"amount": amount}


def spoken(language_name: str) -> str:
    return _(
        "Which language is best for talking with a lawyer? Reply 1 for %(language)s, or write "
        "the name of another language."
    ) % {"language": language_name}


def safe() -> str:
    return _("Is it safe to leave a message about immigration at this number? 1 Yes 2 No")


def consent() -> str:
    return _(
        "We use your answers only to find a lawyer and never give them to immigration. Reply 1 "
        "to agree and send them, 2 to erase them."
    )


# --- when an answer cannot be used ------------------------------------------------------------


def reply_number() -> str:
    return _("Sorry, I did not understand. Please reply with one of the numbers.")


def bad_name() -> str:
    return _("Please write the full name, in letters.")


def bad_a_number() -> str:
    return _(
        "That does not look like an A-number: it has 8 or 9 digits, like A-012-345-678. Reply 0 "
        "if you do not know it."
    )


def bad_hearing() -> str:
    return _(
        "Please write the date of the next hearing as day month year, like 27 3 2026. Reply 0 "
        "if you do not know it."
    )


def bad_zip() -> str:
    return _("Please write a 5-digit ZIP code, like 80203.")


def bad_household() -> str:
    return _("Please reply with a number from 1 to 30.")


def bad_language() -> str:
    return _("Sorry, I do not know that language. Reply 1, or write the name of a language.")


def call_us(hotline: str) -> str:
    if hotline:
        return _("If texting is hard, call us at %(hotline)s.") % {"hotline": hotline}
    return _("If texting is hard, call us: the number is on our website.")


# --- the end ----------------------------------------------------------------------------------


def sent(reference: str, code: str) -> str:
    return _(
        "Request sent.\nReference: %(reference)s\nPrivate status code: %(code)s\nKeep both to "
        "check the status. We cannot send the code again."
    ) % {"reference": reference, "code": code}


def next_waiting() -> str:
    return _(
        "We are looking for a lawyer with room for this case. A legal provider will contact you."
    )


def next_detained() -> str:
    return _("Because the person is detained, the request goes to the front of the line.")


def next_review() -> str:
    return _("A member of our team will check a few details and contact you.")


def next_not_eligible(hotline: str) -> str:
    if hotline:
        return _(
            "This program cannot take this request. Call %(hotline)s to hear about other places "
            "that may help."
        ) % {"hotline": hotline}
    return _("This program cannot take this request. Our website lists other places that may help.")


def erased() -> str:
    return _("Your answers are erased. Text this number again any time to start over.")


def abandoned() -> str:
    return _("Your earlier answers were erased after a day without a reply, to keep them private.")
