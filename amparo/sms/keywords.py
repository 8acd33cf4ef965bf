"""The keywords a person may text, in every language the channel speaks, matched without case
or accents (``ayúda``, ``Alto!``). Twilio also answers the English ones at the carrier level;
we record them too, so our own reminders honour them."""

from __future__ import annotations

import enum
import re
import unicodedata


class Keyword(enum.Enum):
    HELP = "help"
    STOP = "stop"
    START = "start"


def fold(text: str) -> str:
    """Uppercase, accents and marks removed, punctuation and spaces trimmed."""
    decomposed = unicodedata.normalize("NFKD", text.strip())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"^[\W_]+|[\W_]+$", "", bare).upper()


# word -> (keyword, the language it tells, or "" when it is shared by several languages)
_WORDS: dict[str, tuple[Keyword, str]] = {}


def _add(keyword: Keyword, language: str, *words: str) -> None:
    for word in words:
        _WORDS[fold(word)] = (keyword, language)


_add(Keyword.HELP, "en", "HELP", "INFO")
_add(Keyword.HELP, "es", "AYUDA")
_add(Keyword.HELP, "pt", "AJUDA")
_add(Keyword.HELP, "fr", "AIDE")
_add(Keyword.HELP, "ht", "ÈD")
_add(Keyword.HELP, "ar", "مساعدة")
_add(Keyword.HELP, "ru", "ПОМОЩЬ")
_add(Keyword.STOP, "en", "STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT")
_add(Keyword.STOP, "es", "ALTO", "PARAR")  # PARAR is Portuguese too: Spanish is likelier here
_add(Keyword.STOP, "pt", "SAIR")
_add(Keyword.STOP, "fr", "ARRÊT", "ARRÊTER")
_add(Keyword.STOP, "ht", "KANPE")
_add(Keyword.STOP, "ar", "توقف")
_add(Keyword.STOP, "ru", "СТОП")
_add(Keyword.START, "en", "START", "UNSTOP")
_add(Keyword.START, "es", "COMENZAR")
_add(Keyword.START, "pt", "COMEÇAR")
_add(Keyword.START, "fr", "COMMENCER")
_add(Keyword.START, "ht", "KÒMANSE")
_add(Keyword.START, "ar", "ابدأ")
_add(Keyword.START, "ru", "СТАРТ")


def keyword_of(body: str) -> tuple[Keyword, str] | None:
    """The keyword ``body`` is (the whole message, one word), and the language it was said in."""
    return _WORDS.get(fold(body))
