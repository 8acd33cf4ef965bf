"""The hooks notify fills in the apps below it (``referrals.hooks``, ``cases.hooks``).

Each runs inside the event's transaction: it builds the notifications (``events``) and queues
their emails for after the commit (``tasks``), so a rolled-back event tells nobody.
"""

from __future__ import annotations

from typing import Any

from amparo.cases import hooks as case_hooks
from amparo.referrals import hooks as referral_hooks

from . import events
from .selectors import case_reminders
from .tasks import notification_emails_enqueue


def on_referral_sent(referral: Any) -> None:
    notification_emails_enqueue(events.referral_sent(referral))


def on_referral_rerouted_away(referral: Any) -> None:
    notification_emails_enqueue(events.referral_rerouted_away(referral))


def on_request_escalated(request: Any, reason: str) -> None:
    notification_emails_enqueue(events.request_escalated(request, reason))


def on_case_assigned(case: Any, user: Any, role: str, by: Any) -> None:
    notification_emails_enqueue(events.case_assigned(case, user, role, by))


def on_hearing_changed(hearing: Any, change: str, by: Any) -> None:
    notification_emails_enqueue(events.hearing_changed(hearing, change, by))


def reminders_section(user: Any, case: Any) -> dict[str, Any] | None:
    """The case page's reminders, with each text's delivery (the viewer may open the case)."""
    rows = case_reminders(case=case)
    return {"template": "notify/case_reminders.html", "rows": rows} if rows else None


def triggers_register() -> None:
    referral_hooks.hook_register(referral_hooks.ON_SENT, on_referral_sent)
    referral_hooks.hook_register(referral_hooks.ON_REROUTED_AWAY, on_referral_rerouted_away)
    referral_hooks.hook_register(referral_hooks.ON_ESCALATED, on_request_escalated)
    case_hooks.hook_register(case_hooks.ON_ASSIGNED, on_case_assigned)
    case_hooks.hook_register(case_hooks.ON_HEARING_CHANGED, on_hearing_changed)
    case_hooks.hook_register(case_hooks.DETAIL_SECTIONS, reminders_section)
