"""Reads of stored deadlines and calendar feeds, scoped to the viewer.

"Open" deadlines are active (their trigger still exists), not done, with a date, on a case that
is not closed. Dashboards show them due in the next days (per attorney: the cases they are on;
per organization: every case of it) and overdue.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.accounts.roles import Role
from amparo.cases.choices import CaseStatus, HearingStatus
from amparo.cases.models import Hearing
from amparo.cases.permissions import can_see_all_org_cases
from amparo.cases.selectors import case_list, my_cases
from amparo.core.services import ServiceError
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
    """Every deadline of one case the viewer was already allowed to open: the ones that still
    apply first, each group by date (dateless last), then by trigger, so the cards read like
    a calendar."""
    rows: QuerySet[CaseDeadline] = case.deadlines.select_related(
        "overridden_by", "completed_by"
    ).order_by(
        "-is_active", F("effective_date").asc(nulls_last=True), "trigger_date", "rule_id", "pk"
    )
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


# --- the calendar ahead ------------------------------------------------------------------------

#: The default range: today and the next 30 days.
CALENDAR_DEFAULT_DAYS = 30
#: The longest range one page or API call may ask for, so a typo (year 9999) cannot make the
#: server read every row there is.
CALENDAR_MAX_DAYS = 366
HEARING = "hearing"
DEADLINE = "deadline"
CALENDAR_KINDS = (HEARING, DEADLINE)


def fund_today() -> datetime.date:
    """Today in the fund's time zone, whatever zone the request activated: deadlines fall on the
    fund's days."""
    return timezone.localdate(timezone.now(), timezone.get_default_timezone())


@dataclass(frozen=True)
class CalendarRange:
    start: datetime.date
    end: datetime.date


def _parse_day(raw: str | None, field: str) -> datetime.date | None:
    if raw is None or not raw.strip():
        return None
    try:
        return datetime.date.fromisoformat(raw.strip())
    except ValueError:
        raise ServiceError(
            {field: _("Enter a real date as year-month-day, for example 2026-06-04.")}
        ) from None


def calendar_range(
    start: str | None, end: str | None, *, today: datetime.date | None = None
) -> CalendarRange:
    """The days asked for (``YYYY-MM-DD`` each, both optional): by default today and the next
    30 days; a start alone runs 30 days on, an end alone from today (or, when it is already
    past, from 30 days before it). Refused with a message on the field: a date that is not
    one, an end before the start, more than 366 days."""
    today = today or fund_today()
    first, last = _parse_day(start, "from"), _parse_day(end, "to")
    span = datetime.timedelta(days=CALENDAR_DEFAULT_DAYS)
    if first is None:
        first = today if last is None or last >= today else last - span
    if last is None:
        last = first + span
    if last < first:
        raise ServiceError({"to": _("The end date comes before the start date.")})
    if (last - first).days + 1 > CALENDAR_MAX_DAYS:
        raise ServiceError(
            {"to": _("Choose at most %(days)d days at a time.") % {"days": CALENDAR_MAX_DAYS}}
        )
    return CalendarRange(first, last)


@dataclass(frozen=True)
class CalendarItem:
    """One line of the calendar: a hearing or an open deadline of a case the viewer may see."""

    date: datetime.date
    time: datetime.time | None
    kind: str
    case: Any
    title: str
    overdue: bool
    #: Where on the case page it is (the hearing or the deadline card).
    anchor: str

    def sort_key(self) -> tuple[Any, ...]:
        """By date; within a day all-day items (deadlines, hearings without a time) first, then
        by time; ties by title so the order never depends on the database."""
        return (self.date, self.time is not None, self.time or datetime.time.min, self.title)


def calendar_cases(*, user: User) -> QuerySet[Any]:
    """The cases a person's calendar covers: a provider admin's whole organization, an
    attorney's own cases; nobody else has one."""
    if user.role == Role.PROVIDER_ADMIN:
        return case_list(fetched_by=user)
    if user.role == Role.ATTORNEY:
        return my_cases(fetched_by=user)
    raise Http404


def calendar_filter(
    cases: QuerySet[Any], *, attorney: Any = None, case: Any = None
) -> QuerySet[Any]:
    """Narrow the cases to one attorney's (on the team) and/or one case; a value that is not an
    id of the right shape narrows to nothing rather than failing."""
    if attorney:
        try:
            cases = cases.filter(
                assignments__user_id=int(attorney), assignments__is_active=True
            ).distinct()
        except (TypeError, ValueError):
            return cases.none()
    if case:
        try:
            cases = cases.filter(pk=uuid.UUID(str(case)))
        except (TypeError, ValueError):
            return cases.none()
    return cases


def _hearing_item(hearing: Hearing) -> CalendarItem:
    return CalendarItem(
        date=hearing.date,
        time=hearing.time,
        kind=HEARING,
        case=hearing.case,
        title=str(hearing.get_kind_display()),
        overdue=False,
        anchor="hearings-title",
    )


def _deadline_item(row: CaseDeadline, today: datetime.date) -> CalendarItem:
    assert row.effective_date is not None  # open deadlines have a date
    return CalendarItem(
        date=row.effective_date,
        time=None,
        kind=DEADLINE,
        case=row.case,
        title=row.full_title,
        overdue=row.effective_date < today,
        anchor=f"deadline-{row.pk}",
    )


@dataclass
class CalendarItems:
    overdue: list[CalendarItem]
    ahead: list[CalendarItem]

    @property
    def all(self) -> list[CalendarItem]:
        """Overdue first, then the range: the order of the page and of the API."""
        return [*self.overdue, *self.ahead]


def calendar_items(
    *,
    cases: QuerySet[Any],
    days: CalendarRange,
    kind: str = "",
    today: datetime.date | None = None,
) -> CalendarItems:
    """The hearings (not cancelled) and open deadlines of ``cases`` in ``days``, sorted by date
    then time; and every overdue deadline, whatever the range, because it must not be missed.
    A deadline is either overdue or in the range's list, never both. Three queries."""
    today = today or fund_today()
    ahead: list[CalendarItem] = []
    overdue_rows: list[CalendarItem] = []
    if kind in ("", HEARING):
        hearings = (
            Hearing.objects.filter(
                case__in=cases.values("pk"), date__gte=days.start, date__lte=days.end
            )
            .exclude(status=HearingStatus.VACATED)
            .select_related("case", "case__client__subject")
        )
        ahead += [_hearing_item(h) for h in hearings]
    if kind in ("", DEADLINE):
        open_deadlines = deadlines_of_cases(cases)
        start = max(days.start, today)
        if start <= days.end:
            ahead += [
                _deadline_item(d, today) for d in due_between(open_deadlines, start, days.end)
            ]
        overdue_rows = [_deadline_item(d, today) for d in overdue(open_deadlines, today)]
    return CalendarItems(
        overdue=sorted(overdue_rows, key=CalendarItem.sort_key),
        ahead=sorted(ahead, key=CalendarItem.sort_key),
    )


def calendar_attorneys(cases: QuerySet[Any]) -> list[User]:
    """The people on the teams of these cases (for the attorney filter), by name."""
    people = User.objects.filter(
        case_assignments__case__in=cases.values("pk"), case_assignments__is_active=True
    ).distinct()
    return sorted(people, key=lambda u: (u.display_name.casefold(), u.pk))


def calendar_case_choices(cases: QuerySet[Any]) -> list[Any]:
    """The cases of the case filter: their id and reference only."""
    return list(cases.order_by("reference").only("pk", "reference").select_related(None))
