"""The words of staff notifications, in the reader's language: one plain sentence each.

The same sentence is shown in the app and sent by email. An email holds the reference, that
sentence and a link on the fund's public address, and nothing else: no name, no A-number, no
detention details, nothing a mailbox provider or a shoulder-reader could use. What a sentence
needs (an answer-by time, counts, case references) comes from the notification's ``params``,
which hold nothing protected either.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import formats, timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from amparo.core.identity import fund_name, site_url

from .messages import reminder_language
from .models import Notification, NotificationKind


def _moment(value: Any) -> str:
    """An aware ISO moment, in the deployment's time zone and the active language."""
    moment = parse_datetime(str(value or ""))
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} ({local.tzname()})"


def _sentence(kind: str, params: dict[str, Any]) -> str:
    due = _moment(params.get("due_at"))
    if kind == NotificationKind.REFERRAL_DETAINED:
        return _(
            "Urgent: a referral for a detained person arrived for your organization. Answer by %(due)s."
        ) % {"due": due}
    if kind == NotificationKind.REFERRAL_RECEIVED:
        return _("A new referral arrived for your organization. Answer by %(due)s.") % {"due": due}
    if kind == NotificationKind.REFERRAL_REMINDER:
        return _(
            "A referral to your organization still has no answer. Answer by %(due)s, or it goes to another provider."
        ) % {"due": due}
    if kind == NotificationKind.REFERRAL_DETAINED_REMINDER:
        return _(
            "Urgent: a referral for a detained person still has no answer. Answer by %(due)s, or it goes to another provider."
        ) % {"due": due}
    if kind == NotificationKind.REFERRAL_REROUTED:
        return _(
            "A referral to your organization was not answered in time and went to another provider."
        )
    if kind == NotificationKind.CASE_ASSIGNED:
        return _("You were added to a case's team.")
    if kind == NotificationKind.HEARING_CHANGED:
        if params.get("change") == "added":
            return _("A hearing was added to one of your cases.")
        return _("A hearing on one of your cases changed.")
    if kind == NotificationKind.DEADLINE_DIGEST:
        sentence = _(
            "Overdue deadlines: %(overdue)s. Deadlines due in the next 7 days: %(due)s."
        ) % {
            "overdue": formats.number_format(int(params.get("overdue", 0))),
            "due": formats.number_format(int(params.get("due", 0))),
        }
        cases = ", ".join(str(ref) for ref in params.get("cases", []))
        if cases:
            sentence += " " + _("Cases: %(cases)s.") % {"cases": cases}
        return sentence
    if kind == NotificationKind.ESCALATION:
        return _("A help request is in the escalation queue: no provider could take it.")
    return _("Something changed.")


def notification_sentence(notification: Notification) -> str:
    """The sentence in the active language (pages render it per reader)."""
    return _sentence(notification.kind, notification.params or {})


def notification_email(notification: Notification, language: str) -> dict[str, str]:
    """``{"subject", "body"}`` of the email for ``notification``, in ``language``."""
    with translation.override(reminder_language(language)):
        sentence = _sentence(notification.kind, notification.params or {})
        label = str(NotificationKind(notification.kind).label)
        subject = f"{notification.reference} · {label}" if notification.reference else label
        lines = [sentence, ""]
        if notification.reference:
            lines.append(_("Reference: %(reference)s") % {"reference": notification.reference})
        lines += [
            _("Open it (sign-in needed): %(url)s") % {"url": site_url() + notification.url},
            "",
            _("%(fund)s. You can choose which emails you get in your notification settings.")
            % {"fund": fund_name()},
        ]
        return {"subject": subject, "body": "\n".join(lines)}


def answer_by(due_at: datetime.datetime) -> str:
    """How ``params`` keeps an answer-by time: an aware ISO string."""
    return due_at.isoformat()
