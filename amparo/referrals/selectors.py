"""Reads on referrals, scoped to the viewer. Default deny; 404 for missing and forbidden alike."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import Http404

from amparo.accounts.roles import Role
from amparo.cases.models import Case as LegalCase
from amparo.cases.permissions import can_view_client_identity
from amparo.intake.models import HelpRequest, RequestState
from amparo.organizations.models import AttorneyProfile, ProviderOrganization
from amparo.organizations.selectors import attorney_list, organizations_of

from .models import Referral, ReferralStatus
from .permissions import can_route_requests, can_view_referral
from .routing import active_case_counts, pending_referral_counts


def identity_visible(user: Any, help_request: HelpRequest) -> bool:
    """Whether ``user`` may see who the person behind ``help_request`` is.

    Before a provider accepts it, the pages that let ``user`` open the request decide. Once it
    became a case the identity belongs to the case: only those the case shows its client's
    identity to (``can_view_client_identity``: never fund staff, never intake workers) see it;
    everyone else gets initials. An accepted request whose case is gone shows it to nobody.
    """
    accepted = Referral.objects.filter(help_request=help_request, status=ReferralStatus.ACCEPTED)
    if not accepted.exists():
        return True
    cases = list(LegalCase.objects.filter(referral_id__in=accepted.values("pk")))
    return bool(cases) and all(can_view_client_identity(user, case) for case in cases)


def referral_history(*, help_request: HelpRequest) -> list[Referral]:
    return list(help_request.referrals.select_related("organization").order_by("sent_at", "pk"))


def provider_organizations(*, fetched_by: Any) -> QuerySet[ProviderOrganization]:
    """Organizations whose referrals ``fetched_by`` answers (as a provider admin)."""
    if not getattr(fetched_by, "is_authenticated", False) or fetched_by.role != Role.PROVIDER_ADMIN:
        return ProviderOrganization.objects.none()
    return organizations_of(fetched_by)


def referral_list(*, fetched_by: Any) -> QuerySet[Referral]:
    """Referrals the viewer may see: fund staff all, a provider admin their organizations'."""
    base = Referral.objects.select_related(
        "help_request__subject", "organization", "attorney__user"
    )
    if can_route_requests(fetched_by):
        return base
    orgs = provider_organizations(fetched_by=fetched_by)
    return base.filter(organization__in=orgs)


def referral_inbox(*, fetched_by: Any) -> QuerySet[Referral]:
    """Referrals to the viewer's organizations, pending first (most urgent, then oldest), then
    the answered ones; ``pending_first`` is there for the list's sorts."""
    orgs = provider_organizations(fetched_by=fetched_by)
    pending_first = Case(
        When(status=ReferralStatus.PENDING, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        referral_list(fetched_by=fetched_by)
        .filter(organization__in=orgs)
        .annotate(pending_first=pending_first)
        .order_by("pending_first", "-help_request__priority", "sent_at")
    )


def access_referral(user: Any, referral_id: Any) -> Referral:
    try:
        pk = int(referral_id)
    except (TypeError, ValueError):
        raise Http404 from None
    referral = referral_list(fetched_by=user).filter(pk=pk).first()
    if referral is None or not can_view_referral(user, referral):
        raise Http404
    return referral


def escalation_queue(*, fetched_by: Any) -> QuerySet[HelpRequest]:
    """What no provider took, most urgent first: fund staff work it by hand."""
    if not can_route_requests(fetched_by):
        return HelpRequest.objects.none()
    return HelpRequest.objects.filter(
        state=RequestState.ESCALATED, purged_at__isnull=True
    ).order_by("-priority", "created_at")


def waiting_count(*, fetched_by: Any) -> int:
    if not can_route_requests(fetched_by):
        return 0
    return HelpRequest.objects.filter(state=RequestState.WAITING, purged_at__isnull=True).count()


@dataclass(frozen=True)
class AttorneyChoice:
    """One attorney on a referral's accept form."""

    profile: AttorneyProfile
    #: Capacity minus open cases and the other referrals waiting on them (may be zero or less).
    room: int
    #: Speaks the person's language (else the case needs an interpreter).
    speaks: bool


@dataclass(frozen=True)
class AttorneyChoices:
    #: The attorney the form proposes: see :func:`referral_attorney_choices`.
    proposed: AttorneyProfile | None
    #: Attorneys accepting new cases, the proposed one first.
    accepting: list[AttorneyChoice]
    #: Attorneys who said they are not accepting new cases, listed apart (by name).
    not_accepting: list[AttorneyChoice]


def referral_attorney_choices(*, referral: Referral) -> AttorneyChoices:
    """Who may lead the case ``referral`` would open, and whom to propose.

    Among the organization's active attorneys who accept new cases, the proposal is one with
    room left, if any has; of those, one who speaks the person's language first, then the most
    room, then by name and id so the same data always proposes the same person. The ones not
    accepting new cases come apart (they are still the organization's to choose).
    """
    organization = referral.organization
    language = referral.help_request.spoken_language
    profiles = list(attorney_list(organization=organization))
    load = active_case_counts(p.user_id for p in profiles)
    pending = pending_referral_counts((p.pk for p in profiles), exclude_referral=referral.pk)
    choices = [
        AttorneyChoice(
            profile=p,
            room=p.capacity - load.get(p.user_id, 0) - pending.get(p.pk, 0),
            speaks=language in p.languages,
        )
        for p in profiles
    ]
    accepting = sorted(
        (c for c in choices if c.profile.accepting_new_cases),
        key=lambda c: (
            c.room <= 0,
            not c.speaks,
            -c.room,
            c.profile.user.last_name,
            c.profile.user.first_name,
            c.profile.pk,
        ),
    )
    not_accepting = [c for c in choices if not c.profile.accepting_new_cases]
    return AttorneyChoices(
        proposed=accepting[0].profile if accepting else None,
        accepting=accepting,
        not_accepting=not_accepting,
    )
