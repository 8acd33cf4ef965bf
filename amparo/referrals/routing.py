"""Who can take a help request: the filters of routing, and the room each attorney has left.

Only organizations that are active and accepting new cases; only attorneys who are accepting,
active members, practise in the request's area of law and speak its language (or can work with
an interpreter the fund provides); only where active cases plus pending referrals leave room
under their capacity; only organizations whose offices serve the request's area (an
organization that lists no counties serves every area).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Count, F

from amparo.cases.choices import CaseStatus
from amparo.cases.models import CaseAssignment
from amparo.intake.models import HelpRequest, IntakePolicy
from amparo.intake.policy import normalize_area
from amparo.matching.model import Attorney as MatchAttorney
from amparo.matching.model import Request as MatchRequest
from amparo.organizations.models import AttorneyProfile, Office, ProviderOrganization

from .models import Referral, ReferralStatus

#: The routing area of a request with no county: any organization may take it.
ANY_AREA = "*"


@dataclass(frozen=True)
class Candidate:
    organization: ProviderOrganization
    attorney: AttorneyProfile
    interpreter: bool
    room: int

    @property
    def load_share(self) -> float:
        """The share of the attorney's capacity still free: spreading work keeps room for all."""
        return self.room / self.attorney.capacity if self.attorney.capacity else 0.0


def active_case_counts(user_ids: Iterable[int]) -> dict[int, int]:
    """Open cases each attorney (by user id) is actively assigned to, in one query."""
    ids = list(user_ids)
    if not ids:
        return {}

    rows = (
        CaseAssignment.objects.filter(user_id__in=ids, is_active=True)
        .exclude(case__status=CaseStatus.CLOSED)
        .values("user_id")
        .annotate(n=Count("case_id", distinct=True))
    )
    return {row["user_id"]: row["n"] for row in rows}


def pending_referral_counts(
    attorney_ids: Iterable[int], *, exclude_referral: int | None = None
) -> dict[int, int]:
    """Referrals waiting for an answer that name each attorney: room already promised
    (``exclude_referral``: leave out the one being answered, whose room is not promised twice)."""
    ids = list(attorney_ids)
    if not ids:
        return {}
    pending = Referral.objects.filter(attorney_id__in=ids, status=ReferralStatus.PENDING)
    if exclude_referral is not None:
        pending = pending.exclude(pk=exclude_referral)
    rows = pending.values("attorney_id").annotate(n=Count("id"))
    return {row["attorney_id"]: row["n"] for row in rows}


def organization_areas() -> dict[int, frozenset[str] | None]:
    """Each active organization's counties (normalized); None when it lists none (serves all)."""
    areas: dict[int, set[str]] = {}
    for org_id, counties in Office.objects.filter(organization__is_active=True).values_list(
        "organization_id", "counties_served"
    ):
        bucket = areas.setdefault(org_id, set())
        for county in counties or []:
            if str(county).strip():
                bucket.add(normalize_area(str(county)))
    return {org_id: (frozenset(values) if values else None) for org_id, values in areas.items()}


def available_attorneys() -> list[tuple[AttorneyProfile, int]]:
    """Attorneys who can take new work now, with their room left (capacity minus load)."""
    profiles = list(
        AttorneyProfile.objects.select_related("organization", "user")
        .filter(
            accepting_new_cases=True,
            capacity__gt=0,
            user__is_active=True,
            organization__is_active=True,
            organization__accepting_new_cases=True,
        )
        .filter(
            user__memberships__organization_id=F("organization_id"),
            user__memberships__is_active=True,
        )
        .distinct()
        .order_by("organization__name", "pk")
    )
    load = active_case_counts(p.user_id for p in profiles)
    pending = pending_referral_counts(p.pk for p in profiles)
    result = []
    for profile in profiles:
        room = profile.capacity - load.get(profile.user_id, 0) - pending.get(profile.pk, 0)
        if room > 0:
            result.append((profile, room))
    return result


def serves_area(org_areas: frozenset[str] | None, area: str) -> bool:
    return org_areas is None or not area or area in org_areas


def language_fit(
    profile: AttorneyProfile, language: str, interpreter_languages: Iterable[str]
) -> bool | None:
    """True: speaks it; False: through an interpreter; None: cannot serve it."""
    if language in profile.languages:
        return True
    if language in set(interpreter_languages):
        return False
    return None


def candidates(
    request: HelpRequest,
    policy: IntakePolicy,
    *,
    exclude_organizations: Iterable[int] = (),
    only_organization: int | None = None,
    areas: dict[int, frozenset[str] | None] | None = None,
    pool: list[tuple[AttorneyProfile, int]] | None = None,
) -> list[Candidate]:
    """Every attorney who could take ``request`` now, best first.

    Best: speaks the language (no interpreter), then the most of their capacity still free,
    then the most room, then a stable order. ``areas`` and ``pool`` (from
    :func:`organization_areas` and :func:`available_attorneys`) let a page that asks for many
    requests read them once.
    """
    excluded = set(exclude_organizations)
    if areas is None:
        areas = organization_areas()
    if pool is None:
        pool = available_attorneys()
    found: list[Candidate] = []
    for profile, room in pool:
        org = profile.organization
        if org.pk in excluded or (only_organization is not None and org.pk != only_organization):
            continue
        if request.practice_area not in profile.practice_areas:
            continue
        if not serves_area(areas.get(org.pk), request.area):
            continue
        fit = language_fit(profile, request.spoken_language, policy.interpreter_languages)
        if fit is None:
            continue
        found.append(Candidate(organization=org, attorney=profile, interpreter=not fit, room=room))
    found.sort(
        key=lambda c: (c.interpreter, -c.load_share, -c.room, c.organization.name, c.attorney.pk)
    )
    return found


# --- The batch matcher's view of the same data ------------------------------------------------


@dataclass(frozen=True)
class BatchInput:
    requests: list[MatchRequest]
    attorneys: list[MatchAttorney]
    by_index: dict[int, HelpRequest]
    profiles: dict[int, AttorneyProfile]


def batch_input(
    requests: Sequence[HelpRequest], interpreter_languages: Iterable[str]
) -> BatchInput:
    """The pending queue and the attorneys with room, as the pure matcher's types.

    Requests get small integer ids (the matcher never sees a database id or anything about the
    person); a request with no area may go anywhere (``ANY_AREA``).
    """
    interpreters = frozenset(interpreter_languages)
    match_requests: list[MatchRequest] = []
    by_index: dict[int, HelpRequest] = {}
    request_areas: set[str] = {ANY_AREA}
    for index, request in enumerate(requests):
        area = request.area or ANY_AREA
        request_areas.add(area)
        by_index[index] = request
        match_requests.append(
            MatchRequest(
                id=index,
                priority=int(request.priority),
                language=request.spoken_language,
                practice_area=request.practice_area,
                area=area,
                detained=request.detained,
                arrival=request.created_at.timestamp(),
            )
        )
    areas = organization_areas()
    attorneys: list[MatchAttorney] = []
    profiles: dict[int, AttorneyProfile] = {}
    for profile, room in available_attorneys():
        served = areas.get(profile.organization_id)
        attorney_areas = frozenset(request_areas) if served is None else served | {ANY_AREA}
        profiles[profile.pk] = profile
        attorneys.append(
            MatchAttorney(
                id=profile.pk,
                organization=profile.organization_id,
                capacity=room,
                languages=frozenset(profile.languages),
                practice_areas=frozenset(profile.practice_areas),
                areas=attorney_areas,
                interpreter_languages=interpreters,
            )
        )
    return BatchInput(
        requests=match_requests, attorneys=attorneys, by_index=by_index, profiles=profiles
    )
