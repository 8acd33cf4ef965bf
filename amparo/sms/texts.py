"""Every text the channel writes, in the person's language (gettext; the catalogs of
Portuguese, French, Haitian Creole, Arabic and Russian are in ``amparo/sms/locale/``).

Each one fits one GSM-7 segment (160 characters) in English; in the languages whose letters
GSM-7 lacks, it is counted in UCS-2 segments (``segments.py``; the tests hold the counts)."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _


def fund_name() -> str:
    return str(settings.AMPARO.get("FUND_NAME", "Amparo"))


def hotline() -> str:
    return str(settings.AMPARO.get("HOTLINE", "")).strip()


def help_text(language: str) -> str:
    """What this number is, the hotline, how to stop."""
    with translation.override(language):
        if hotline():
            return _(
                "%(fund)s: free legal help for immigrants. Call %(hotline)s. Text your status "
                "code to see your request. Text STOP to stop texts."
            ) % {"fund": fund_name(), "hotline": hotline()}
        return _(
            "%(fund)s: free legal help for immigrants. Text your status code to see your "
            "request. Text STOP to stop texts."
        ) % {"fund": fund_name()}


def stop_text(language: str) -> str:
    with translation.override(language):
        return _("You will get no more texts from %(fund)s. Text START to get them again.") % {
            "fund": fund_name()
        }


def start_text(language: str) -> str:
    with translation.override(language):
        return _("Texts from %(fund)s are on again. Text HELP for help, STOP to stop.") % {
            "fund": fund_name()
        }


def unknown_code_text(language: str) -> str:
    with translation.override(language):
        return _("We found no request with this code. Check it and text it again.")


def status_text(title: str, body: str) -> str:
    """The status page's heading and sentence, as the page shows them, nothing more."""
    return f"{title}. {body}" if not title.endswith((".", "!", "?")) else f"{title} {body}"
