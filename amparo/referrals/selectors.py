"""Reads on referrals, scoped to the viewer. Default deny; 404 for missing and forbidden alike."""

from __future__ import annotations

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


def attorneys_with_room(*, organization: ProviderOrganization) -> list[tuple[AttorneyProfile, int]]:
    """The organization's active attorneys and their room left (may be zero or less)."""
    profiles = list(attorney_list(organization=organization))
    load = active_case_counts(p.user_id for p in profiles)
    pending = pending_referral_counts(p.pk for p in profiles)
    return [(p, p.capacity - load.get(p.user_id, 0) - pending.get(p.pk, 0)) for p in profiles]
