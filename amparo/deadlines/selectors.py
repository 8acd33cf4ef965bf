"""Reads of stored deadlines and calendar feeds, scoped to the viewer.

"Open" deadlines are active (their trigger still exists), not done, with a date, on a case that
is not closed. Dashboards show them due in the next days (per attorney: the cases they are on;
per organization: every case of it) and overdue.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from amparo.accounts.models import User
from amparo.cases.choices import CaseStatus
from amparo.cases.permissions import can_see_all_org_cases
from amparo.cases.selectors import case_list, my_cases
from amparo.organizations.selectors import organizations_of

from .models import CalendarFeed, CaseDeadline, FeedScope

DUE_SOON_DAYS = 7


def _open(qs: QuerySet[CaseDeadline]) -> QuerySet[CaseDeadline]:
    return (
        qs.filter(is_active=True, completed_at__isnull=True, effective_date__isnull=False)
        .exclude(case__status=CaseStatus.CLOSED)
        .select_related(
            "case", "case__client__subject", "case__lead_attorney", "case__organization"
        )
    )


def deadlines_of_cases(cases: QuerySet[Any]) -> QuerySet[CaseDeadline]:
    return _open(CaseDeadline.objects.filter(case__in=cases.values("pk")))


def case_deadlines(*, case: Any) -> QuerySet[CaseDeadline]:
    """Every deadline of one case the viewer was already allowed to open (active first)."""
    rows: QuerySet[CaseDeadline] = case.deadlines.select_related(
        "overridden_by", "completed_by"
    ).order_by("-is_active", "completed_at", "effective_date", "rule_id")
    return rows


def due_between(
    deadlines: QuerySet[CaseDeadline], start: datetime.date, end: datetime.date
) -> QuerySet[CaseDeadline]:
    return deadlines.filter(effective_date__gte=start, effective_date__lte=end).order_by(
        "effective_date", "rule_id"
    )


def overdue(deadlines: QuerySet[CaseDeadline], today: datetime.date) -> QuerySet[CaseDeadline]:
    return deadlines.filter(effective_date__lt=today).order_by("effective_date", "rule_id")


@dataclass
class Agenda:
    today: datetime.date
    until: datetime.date
    mine_due: list[CaseDeadline]
    mine_overdue: list[CaseDeadline]
    organizations: list[dict[str, Any]]


def agenda_for(
    *, user: User, today: datetime.date | None = None, days: int = DUE_SOON_DAYS
) -> Agenda:
    """What ``user`` must do soon: their own cases' deadlines, and, for those who see every case
    of an organization, the organization's, grouped by lead attorney."""
    today = today or timezone.localdate()
    until = today + datetime.timedelta(days=days)
    mine = deadlines_of_cases(my_cases(fetched_by=user))
    orgs = []
    for org in organizations_of(user):
        if not can_see_all_org_cases(user, org):
            continue
        cases = case_list(fetched_by=user).filter(organization=org)
        open_deadlines = deadlines_of_cases(cases)
        due = list(due_between(open_deadlines, today, until))
        late = list(overdue(open_deadlines, today))
        by_attorney: dict[str, list[CaseDeadline]] = {}
        for row in due + late:
            lead = row.case.lead_attorney
            by_attorney.setdefault(lead.display_name if lead else "", []).append(row)
        orgs.append(
            {
                "organization": org,
                "due": due,
                "overdue": late,
                "by_attorney": sorted(by_attorney.items()),
            }
        )
    return Agenda(
        today=today,
        until=until,
        mine_due=list(due_between(mine, today, until)),
        mine_overdue=list(overdue(mine, today)),
        organizations=orgs,
    )


def overdue_counts_by_organization(*, today: datetime.date | None = None) -> list[dict[str, Any]]:
    """For fund admins: how many open deadlines are overdue or due this week, per organization
    (numbers only: no case, client or rule details)."""
    today = today or timezone.localdate()
    until = today + datetime.timedelta(days=DUE_SOON_DAYS)
    rows = (
        _open(CaseDeadline.objects.all())
        .values("case__organization__name")
        .annotate(
            overdue=Count("pk", filter=Q(effective_date__lt=today)),
            due_soon=Count("pk", filter=Q(effective_date__gte=today, effective_date__lte=until)),
        )
        .order_by("case__organization__name")
    )
    return [
        {
            "organization": r["case__organization__name"],
            "overdue": r["overdue"],
            "due_soon": r["due_soon"],
        }
        for r in rows
        if r["overdue"] or r["due_soon"]
    ]


def access_deadline(user: User, case: Any, deadline_id: Any) -> CaseDeadline:
    """A deadline of ``case`` (which the caller already fetched with ``access_case``), or 404."""
    try:
        pk = int(deadline_id)
    except (TypeError, ValueError):
        raise Http404 from None
    row = (
        CaseDeadline.objects.select_related("case", "case__organization")
        .filter(pk=pk, case=case)
        .first()
    )
    if row is None:
        raise Http404
    return row


# --- calendar feeds ----------------------------------------------------------------------------


def feed_list(*, owner: User) -> QuerySet[CalendarFeed]:
    return CalendarFeed.objects.filter(owner=owner).select_related("organization")


def access_feed(user: User, feed_id: Any) -> CalendarFeed:
    try:
        pk = int(feed_id)
    except (TypeError, ValueError):
        raise Http404 from None
    feed = feed_list(owner=user).filter(pk=pk).first()
    if feed is None:
        raise Http404
    return feed


def feed_by_token(raw: str) -> CalendarFeed | None:
    """The active feed of this token, if its owner can still sign in; None otherwise."""
    if not raw or len(raw) > 100:
        return None
    return (
        CalendarFeed.objects.active()
        .select_related("owner", "organization")
        .filter(digest=CalendarFeed.digest_of(raw), owner__is_active=True)
        .first()
    )


def feed_cases(feed: CalendarFeed) -> QuerySet[Any]:
    """The cases a feed shows, decided now with the owner's current rights."""
    owner = feed.owner
    if feed.scope == FeedScope.ORGANIZATION:
        if not can_see_all_org_cases(owner, feed.organization):
            return case_list(fetched_by=owner).none()
        return case_list(fetched_by=owner).filter(organization=feed.organization)
    return my_cases(fetched_by=owner)
