"""Who is told what when something happens: builds the notification rows of each event.

Called by the hooks (``triggers``) inside the event's own transaction, and by the periodic
jobs (``tasks``). Nothing here sends or enqueues: it returns the rows it created, and the caller
queues their emails after the commit. Every row holds a reference, a path on this site and plain
values; never a name or an A-number.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from amparo.accounts.models import User
from amparo.accounts.roles import Role
from amparo.cases.models import Case, CaseAssignment, Hearing
from amparo.cases.selectors import my_cases
from amparo.deadlines.selectors import DUE_SOON_DAYS, deadlines_of_cases, due_between, overdue
from amparo.intake.models import HelpRequest
from amparo.organizations.models import Membership
from amparo.referrals.models import Referral, ReferralStatus

from .models import Notification, NotificationKind
from .notices import answer_by
from .notifications import notifications_create

#: The share of a referral's answer window after which its provider is reminded.
REMINDER_SHARE = 0.75
#: The most case references a digest lists.
DIGEST_CASES = 20


def _provider_admins(organization_id: int) -> QuerySet[User]:
    members = Membership.objects.active().filter(organization_id=organization_id)
    return User.objects.filter(
        pk__in=members.values("user_id"), role=Role.PROVIDER_ADMIN, is_active=True
    )


def _referral_notice(referral: Referral, kind: str, occasion: str) -> list[Notification]:
    return notifications_create(
        recipients=_provider_admins(referral.organization_id),
        kind=kind,
        subject=f"referral:{referral.pk}",
        occasion=occasion,
        reference=referral.help_request.reference,
        url=reverse("referrals:detail", args=[referral.pk]),
        params={"due_at": answer_by(referral.due_at)},
    )


def referral_sent(referral: Referral) -> list[Notification]:
    """The provider's administrators: a referral arrived (urgent when the person is detained)."""
    detained = bool(referral.help_request.detained)
    kind = NotificationKind.REFERRAL_DETAINED if detained else NotificationKind.REFERRAL_RECEIVED
    return _referral_notice(referral, kind, "sent")


def referral_rerouted_away(referral: Referral) -> list[Notification]:
    """The provider's administrators: the referral they did not answer went elsewhere."""
    return notifications_create(
        recipients=_provider_admins(referral.organization_id),
        kind=NotificationKind.REFERRAL_REROUTED,
        subject=f"referral:{referral.pk}",
        occasion="expired",
        reference=referral.help_request.reference,
        url=reverse("referrals:inbox"),
    )


def referral_reminders(*, now: datetime.datetime | None = None) -> list[Notification]:
    """Remind the administrators of each pending referral past 75% of its answer window (at
    once, even in quiet hours, when the person is detained: a detained window is short)."""
    now = now or timezone.now()
    created: list[Notification] = []
    pending = Referral.objects.filter(status=ReferralStatus.PENDING, due_at__gt=now).select_related(
        "help_request"
    )
    for referral in pending:
        window = referral.due_at - referral.sent_at
        if now >= referral.sent_at + window * REMINDER_SHARE:
            kind = (
                NotificationKind.REFERRAL_DETAINED_REMINDER
                if referral.help_request.detained
                else NotificationKind.REFERRAL_REMINDER
            )
            created += _referral_notice(referral, kind, "75")
    return created


def request_escalated(request: HelpRequest, reason: str) -> list[Notification]:
    """Every fund administrator: a request landed in the escalation queue."""
    return notifications_create(
        recipients=User.objects.filter(role=Role.FUND_ADMIN, is_active=True),
        kind=NotificationKind.ESCALATION,
        subject=f"request:{request.pk}",
        occasion=f"{reason}:{request.referrals.count()}",
        reference=request.reference,
        url=reverse("referrals:escalations"),
    )


def case_assigned(case: Case, user: Any, role: str, by: Any) -> list[Notification]:
    """The person put on a case (unless they put themselves there)."""
    if getattr(by, "pk", None) == user.pk:
        return []
    assignment = CaseAssignment.objects.filter(case=case, user=user).first()
    return notifications_create(
        recipients=[user],
        kind=NotificationKind.CASE_ASSIGNED,
        subject=f"case:{case.pk}",
        occasion=f"{assignment.pk if assignment else ''}:{role}:{timezone.now().isoformat()}",
        reference=case.reference,
        url=reverse("cases:detail", args=[case.pk]),
    )


def hearing_changed(hearing: Hearing, change: str, by: Any) -> list[Notification]:
    """The attorneys on the hearing's case (except whoever made the change)."""
    case = hearing.case
    team = CaseAssignment.objects.filter(case=case, is_active=True).values("user_id")
    attorneys = User.objects.filter(pk__in=team, role=Role.ATTORNEY, is_active=True)
    if isinstance(by, User):
        attorneys = attorneys.exclude(pk=by.pk)
    return notifications_create(
        recipients=attorneys,
        kind=NotificationKind.HEARING_CHANGED,
        subject=f"hearing:{hearing.pk}",
        occasion=f"{change}:{timezone.now().isoformat()}",
        reference=case.reference,
        url=reverse("cases:detail", args=[case.pk]),
        params={"change": change},
    )


def deadline_digests(*, now: datetime.datetime | None = None) -> list[Notification]:
    """Each attorney with overdue deadlines or deadlines due in the next 7 days gets one
    summary a day: counts and case references only."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    until = today + datetime.timedelta(days=DUE_SOON_DAYS)
    created: list[Notification] = []
    for user in User.objects.filter(role=Role.ATTORNEY, is_active=True).order_by("pk"):
        mine = deadlines_of_cases(my_cases(fetched_by=user))
        late = list(overdue(mine, today).values_list("case__reference", flat=True))
        due = list(due_between(mine, today, until).values_list("case__reference", flat=True))
        if not late and not due:
            continue
        cases = sorted(set(late) | set(due))[:DIGEST_CASES]
        created += notifications_create(
            recipients=[user],
            kind=NotificationKind.DEADLINE_DIGEST,
            subject=f"digest:{user.pk}",
            occasion=today.isoformat(),
            url=reverse("deadlines:calendar"),
            params={"overdue": len(late), "due": len(due), "cases": cases},
            now=now,
        )
    return created
