"""The words clients receive, in their language (Spanish or English; others get English).

Plain language, short, and nothing a person reading over the client's shoulder could use
against them: no A-number, no name of the charge, no detention details. The client's own name
is not in the text message either (phones are shared); the email greets nobody by name.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.urls import Resolver404, resolve
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from amparo.core.identity import fund_name
from amparo.core.identity import site_url as identity_site_url

#: The languages we have reminder texts for; any other language gets English.
REMINDER_LANGUAGES = ("es", "en")
RIGHTS_PATH = "/rights/"


def reminder_language(code: str) -> str:
    code = (code or "").lower()
    return code if code in REMINDER_LANGUAGES else "en"


def site_url() -> str:
    """The public site, as every mail names it (``amparo.core.identity``)."""
    return identity_site_url()


def rights_url() -> str | None:
    """The know-your-rights pages, once they exist (``/rights/`` resolves)."""
    try:
        resolve(RIGHTS_PATH)
    except Resolver404:
        return None
    return site_url() + RIGHTS_PATH


@dataclass(frozen=True)
class HearingFacts:
    """What a reminder says: no personal data, only the hearing and who to call."""

    date: datetime.date
    time: datetime.time | None
    kind: str
    mode: str
    court: str
    organization: str
    phone: str
    days_before: int


def _when(facts: HearingFacts) -> str:
    day = formats.date_format(facts.date, "DATE_FORMAT")
    if facts.time is None:
        return day
    moment = timezone.make_aware(
        datetime.datetime.combine(facts.date, facts.time), timezone.get_default_timezone()
    )
    return _("%(day)s at %(time)s") % {
        "day": day,
        "time": formats.time_format(timezone.localtime(moment), "TIME_FORMAT"),
    }


def _kind(facts: HearingFacts) -> str:
    if facts.kind == "bond":
        return _("bond hearing")
    if facts.kind == "individual":
        return _("final hearing (individual hearing)")
    return _("hearing")


def _where(facts: HearingFacts) -> str:
    if facts.mode == "video":
        return _("The hearing is by video. Your attorney will tell you where to be.")
    if facts.court:
        return _(
            "Go to %(court)s. Arrive at least one hour early and bring an ID if you have one."
        ) % {"court": facts.court}
    return _("Arrive at the court at least one hour early and bring an ID if you have one.")


def _lead(facts: HearingFacts) -> str:
    if facts.days_before <= 0:
        return _("Today you have an immigration court %(kind)s: %(when)s.")
    if facts.days_before == 1:
        return _("Tomorrow you have an immigration court %(kind)s: %(when)s.")
    return _("You have an immigration court %(kind)s in %(days)s days: %(when)s.")


def hearing_reminder(facts: HearingFacts, language: str, channel: str) -> dict[str, Any]:
    """``{"subject", "body"}`` for an email, ``{"body"}`` for a text message, in ``language``."""
    with translation.override(reminder_language(language)):
        lead = _lead(facts) % {
            "kind": _kind(facts),
            "when": _when(facts),
            "days": facts.days_before,
        }
        call = (
            _("Questions? Call %(organization)s at %(phone)s.")
            % {"organization": facts.organization, "phone": facts.phone}
            if facts.phone
            else _("Questions? Call %(organization)s.") % {"organization": facts.organization}
        )
        rights = rights_url()
        rights_line = _("Know your rights: %(url)s") % {"url": rights} if rights is not None else ""
        if channel == "sms":
            parts = [_("Amparo:"), lead, _("Going to every hearing protects your case."), call]
            if rights_line:
                parts.append(rights_line)
            return {"body": " ".join(parts)}
        lines = [
            _("Hello,"),
            "",
            lead,
            "",
            _where(facts),
            _(
                "Going to every hearing protects your case: if you miss it, the judge can order you removed."
            ),
            "",
            call,
        ]
        if rights_line:
            lines += ["", rights_line]
        lines += [
            "",
            _("This message was sent by %(fund)s for your legal team. Do not reply to it.")
            % {"fund": fund_name()},
        ]
        return {"subject": _("Reminder: immigration court hearing"), "body": "\n".join(lines)}
