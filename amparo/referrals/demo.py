"""Demo referrals: the providers' answers to the demo's help requests.

Registered as the ``referrals`` demo step, between intake's ``requests`` step (which brings the
requests in, unrouted) and its ``requests-closed`` step. It routes every waiting request and
plays the providers' answers: some accepted (a case opens), some declined and rerouted, some
left unanswered past their SLA, and one flagged by the conflict check. A request nobody can take
is escalated by routing itself. Everything is synthetic and seeded.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from amparo.accounts.roles import Role
from amparo.core.demo import DemoContext, demo_step
from amparo.core.services import SYSTEM
from amparo.intake.demo import DEMO_REQUESTS, demo_person
from amparo.intake.models import HelpRequest, RequestState, Source
from amparo.intake.services import help_request_submit
from amparo.organizations.models import Membership

from .models import DeclineReason, Referral, ReferralStatus
from .services import (
    ReferralError,
    referral_accept,
    referral_decline,
    referral_expire,
    referral_route,
)


def _admin_of(ctx: DemoContext, organization_id: int) -> Any:
    for admin in ctx.users.get(Role.PROVIDER_ADMIN, []):
        if Membership.objects.filter(
            user=admin, organization_id=organization_id, is_active=True
        ).exists():
            return admin
    return None


@demo_step("referrals", order=71)
def seed_referrals(ctx: DemoContext) -> None:
    ids = ctx.extra.get("help_requests", [])
    found = HelpRequest.objects.in_bulk(ids)
    made = [found[pk] for pk in ids if pk in found]
    now = timezone.now()
    workers = ctx.users.get(Role.INTAKE_WORKER, [])
    for index, request in enumerate(made):
        if request.state != RequestState.WAITING:
            continue
        referral = referral_route(help_request=request, by=SYSTEM)
        if referral is None:
            continue
        admin = _admin_of(ctx, referral.organization_id)
        if admin is None:
            continue
        kind = index % 6
        try:
            if kind in (0, 1):
                referral_accept(referral=referral, by=admin)
            elif kind == 2:
                referral_decline(
                    referral=referral, by=admin, reason=ctx.rng.choice(list(DeclineReason.values))
                )
            elif kind == 3:
                # Nobody answered within the SLA: the timer expires it and routing moves on.
                Referral.objects.filter(pk=referral.pk).update(
                    due_at=now - datetime.timedelta(hours=1)
                )
                referral_expire(referral=referral.pk, by=SYSTEM, now=now)
            # kind 4 and 5: still waiting for the provider's answer
        except ReferralError:
            continue

    # A request that names a client of a provider as its adverse party: the conflict check
    # flags it when it is sent there, and the provider decides.
    placed = (
        HelpRequest.objects.filter(pk__in=[r.pk for r in made], state=RequestState.PLACED)
        .order_by("created_at")
        .first()
    )
    if placed is not None:
        data = demo_person(ctx, "es", index=DEMO_REQUESTS, now=now)
        data.adverse_parties = [placed.name]
        flagged = help_request_submit(
            data=data, source=Source.HOTLINE, by=workers[0] if workers else SYSTEM, route=False
        )
        organization = Referral.objects.get(
            help_request=placed, status=ReferralStatus.ACCEPTED
        ).organization
        referral_route(help_request=flagged.help_request, by=SYSTEM, organization=organization)
