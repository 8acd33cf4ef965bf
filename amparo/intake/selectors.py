"""Reads on help requests, scoped to the viewer. Default deny.

``access_help_request`` returns the request or raises ``Http404``: a missing request and one
the viewer may not see look exactly the same. Lists never decrypt anything: they show the
reference, the facts routing uses and the priority, not who the person is.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Case as DbCase
from django.db.models import Count, DateTimeField, F, Min, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from amparo.organizations.models import Program
from amparo.vault.blind import matching

from .models import (
    OPEN_STATES,
    HelpRequest,
    HelpRequestChange,
    IntakePolicy,
    PovertyGuideline,
    RequestState,
)
from .permissions import can_manage_intake_policy, can_view_retention, can_work_intake
from .services import PURGEABLE_STATES, retention_days_by_program

#: The queue's filters: name -> states.
QUEUE_FILTERS: dict[str, tuple[str, ...]] = {
    "open": tuple(OPEN_STATES),
    RequestState.NEEDS_REVIEW: (RequestState.NEEDS_REVIEW,),
    RequestState.WAITING: (RequestState.WAITING,),
    RequestState.REFERRED: (RequestState.REFERRED,),
    RequestState.ESCALATED: (RequestState.ESCALATED,),
    RequestState.PLACED: (RequestState.PLACED,),
    "closed": (RequestState.NOT_ELIGIBLE, RequestState.CLOSED),
}


def help_request_list(
    *, fetched_by: Any, states: tuple[str, ...] | None = None
) -> QuerySet[HelpRequest]:
    """Requests the viewer may see, most urgent first (priority, then arrival)."""
    if not can_work_intake(fetched_by):
        return HelpRequest.objects.none()
    qs = HelpRequest.objects.all()
    if states is not None:
        qs = qs.filter(state__in=states)
    return qs.order_by("-priority", "created_at")


def access_help_request(user: Any, request_id: Any) -> HelpRequest:
    try:
        pk = request_id if isinstance(request_id, uuid.UUID) else uuid.UUID(str(request_id))
    except (TypeError, ValueError, AttributeError):
        raise Http404 from None
    found = (
        help_request_list(fetched_by=user)
        .filter(pk=pk)
        .select_related("subject", "program")
        .first()
    )
    if found is None:
        raise Http404
    return found


def help_request_duplicates(
    *, fetched_by: Any, a_number: str = "", phone: str = ""
) -> list[HelpRequest]:
    """Open or placed requests with the same A-number or phone (blind-index matches)."""
    if not can_work_intake(fetched_by) or not (a_number or phone):
        return []
    condition = Q(pk__in=[])
    if a_number:
        condition |= matching(HelpRequest, "a_number_index", a_number)
    if phone:
        condition |= matching(HelpRequest, "phone_index", phone)
    return list(
        help_request_list(fetched_by=fetched_by)
        .filter(condition, purged_at__isnull=True)
        .exclude(state__in=(RequestState.CLOSED, RequestState.NOT_ELIGIBLE))
        .order_by("created_at")[:5]
    )


def queue_counts(*, fetched_by: Any) -> dict[str, int]:
    """How many requests each of the queue's filters holds, in one query."""
    counted = help_request_list(fetched_by=fetched_by).aggregate(
        **{name: Count("pk", filter=Q(state__in=states)) for name, states in QUEUE_FILTERS.items()}
    )
    return {name: int(counted[name] or 0) for name in QUEUE_FILTERS}


@dataclass(frozen=True)
class PolicyRow:
    program: Program
    policy: IntakePolicy | None


def policy_list(*, fetched_by: Any) -> list[PolicyRow]:
    if not can_manage_intake_policy(fetched_by):
        return []
    policies = {p.program_id: p for p in IntakePolicy.objects.all()}
    return [
        PolicyRow(program=p, policy=policies.get(p.pk)) for p in Program.objects.order_by("name")
    ]


def access_program_policy(user: Any, slug: str) -> tuple[Program, IntakePolicy]:
    """The program and its policy (an unsaved default one if it has none yet), or 404."""
    if not can_manage_intake_policy(user):
        raise Http404
    program = Program.objects.filter(slug=slug).first()
    if program is None:
        raise Http404
    policy = IntakePolicy.objects.filter(program=program).first() or IntakePolicy(program=program)
    return program, policy


def poverty_guideline_list(*, fetched_by: Any) -> QuerySet[PovertyGuideline]:
    if not can_manage_intake_policy(fetched_by):
        return PovertyGuideline.objects.none()
    return PovertyGuideline.objects.order_by("region", "-year")


def access_poverty_guideline(user: Any, guideline_id: int) -> PovertyGuideline:
    found = poverty_guideline_list(fetched_by=user).filter(pk=guideline_id).first()
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True)
class RetentionRow:
    program: str
    retention_days: int
    due_now: int
    next_due: datetime.datetime | None
    kept_closed: int


@dataclass(frozen=True)
class RetentionOverview:
    rows: list[RetentionRow]
    purged_total: int
    purged_last_30_days: int
    placed_kept: int
    open_over_period: int


def retention_overview(
    *, fetched_by: Any, now: datetime.datetime | None = None
) -> RetentionOverview | None:
    """What retention will shred, per program, and what it did: for fund administrators."""
    if not can_view_retention(fetched_by):
        return None
    now = now or timezone.now()
    days = retention_days_by_program()
    names = dict(Program.objects.values_list("pk", "name"))
    closed = HelpRequest.objects.filter(
        state__in=PURGEABLE_STATES, purged_at__isnull=True, placed_at__isnull=True
    )
    # Each program's cutoff (its own retention, or the default), then one grouped read.
    cutoffs = {k: now - datetime.timedelta(days=v) for k, v in days.items()}
    cutoff = DbCase(
        *(When(program_id=k, then=Value(c)) for k, c in cutoffs.items() if k is not None),
        default=Value(cutoffs[None]),
        output_field=DateTimeField(),
    )
    counted: dict[int | None, dict[str, Any]] = {
        row["program_id"]: dict(row)
        for row in closed.annotate(cutoff=cutoff)
        .values("program_id")
        .annotate(
            due_now=Count("pk", filter=Q(state_changed_at__lte=F("cutoff"))),
            kept_closed=Count("pk"),
            oldest=Min("state_changed_at", filter=Q(state_changed_at__gt=F("cutoff"))),
        )
        .order_by()
    }
    rows = []
    program_ids = set(counted) | {k for k in days if k is not None}
    for program_id in sorted(
        program_ids, key=lambda k: (k is None, names.get(k, "") if k is not None else "")
    ):
        keep = days.get(program_id, days[None])
        found = counted.get(program_id, {})
        oldest = found.get("oldest")
        rows.append(
            RetentionRow(
                program=names.get(program_id, "—") if program_id is not None else "—",
                retention_days=keep,
                due_now=found.get("due_now", 0),
                next_due=oldest + datetime.timedelta(days=keep) if oldest else None,
                kept_closed=found.get("kept_closed", 0),
            )
        )
    longest = max(days.values())
    return RetentionOverview(
        rows=rows,
        purged_total=HelpRequest.objects.filter(purged_at__isnull=False).count(),
        purged_last_30_days=HelpRequest.objects.filter(
            purged_at__gte=now - datetime.timedelta(days=30)
        ).count(),
        placed_kept=HelpRequest.objects.filter(state=RequestState.PLACED).count(),
        open_over_period=HelpRequest.objects.filter(
            state__in=OPEN_STATES, state_changed_at__lte=now - datetime.timedelta(days=longest)
        ).count(),
    )


def help_request_by_reference(*, fetched_by: Any, reference: str) -> HelpRequest | None:
    """The request with that reference, if the viewer may see it (None otherwise)."""
    if not reference:
        return None
    return help_request_list(fetched_by=fetched_by).filter(reference=reference).first()


def help_request_history(*, fetched_by: Any, help_request: HelpRequest) -> list[HelpRequestChange]:
    """Who changed which fields of the request, and when, newest first (the previous values
    stay encrypted in each row: the page shows field names)."""
    if not can_work_intake(fetched_by):
        return []
    return list(help_request.changes.select_related("changed_by", "other").order_by("-changed_at"))
