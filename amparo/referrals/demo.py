"""Demo referrals: the demo's cases, born through the help line, and the providers' answers to
the demo's other help requests.

The ``cases`` step (after intake's ``intake-policy``) brings every demo case in the way a real
one comes: a request at the hotline, screened and triaged, referred by an intake worker to the
lead attorney's organization, accepted by its administrator (the handoff opens the case), then
the case's own story (:func:`amparo.cases.demo.play_recipe`: hearings, deadlines, an outcome).
One case in :data:`DIRECT_EVERY` is a provider's own intake instead, with no request: the
figures count those apart, never in the funnel.

The ``referrals`` step runs between intake's ``requests`` step (which brings the
requests in, unrouted) and its ``requests-closed`` step. It routes every waiting request and
plays the providers' answers: some accepted (a case opens), some declined and rerouted, some
left unanswered past their SLA, and one flagged by the conflict check. A request nobody can take
is escalated by routing itself. Everything is synthetic and seeded.
"""

from __future__ import annotations

import datetime
from typing import Any

from amparo.accounts.roles import Role
from amparo.cases.demo import OVERDUE_RECIPE, RECIPES, Recipe, court_of, open_direct, play_recipe
from amparo.core.demo import DemoContext, demo_step
from amparo.core.services import SYSTEM
from amparo.core.terms import Custody
from amparo.intake.demo import DEMO_REQUESTS, FACILITY, demo_person
from amparo.intake.models import HelpRequest, RequestState, Source
from amparo.intake.services import help_request_submit
from amparo.organizations.models import AttorneyProfile, Membership

from .models import ConflictStatus, DeclineReason, Referral, ReferralStatus
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


#: One demo case in this many is a provider's own intake (no request): enough to show the
#: figure, few enough that the help line stays the way most people come.
DIRECT_EVERY = 12
#: Where the demo cases' people are numbered, apart from the requests step's (phone numbers).
CASE_PEOPLE = 500


class DemoFlowError(RuntimeError):
    """A demo case could not be born through the help line (the demo data is inconsistent)."""


def _through_help_line(ctx: DemoContext, recipe: Recipe, lead: AttorneyProfile, index: int) -> Any:
    """A request for help, screened and triaged, referred by an intake worker to ``lead``'s
    organization and accepted by its administrator with ``lead`` leading: the handoff opens
    the case. The person is eligible (income well under the limit, a county the fund serves)."""
    workers = ctx.users.get(Role.INTAKE_WORKER, [])
    worker = workers[index % len(workers)] if workers else SYSTEM
    data = demo_person(ctx, "es" if index % 3 else "en", index=CASE_PEOPLE + index)
    data.custody = recipe.custody
    data.facility = FACILITY if recipe.custody == Custody.DETAINED else ""
    data.court = court_of(ctx, recipe)
    data.next_hearing = None
    data.county, data.zip_code = "Denver", "80204"
    data.household_size, data.income_low, data.income_high = 3, 18_000, 18_000
    data.spoken_language = data.language
    asked = ctx.now - datetime.timedelta(days=3 + index % 20, hours=ctx.rng.randint(0, 12))
    request = help_request_submit(
        data=data, source=Source.HOTLINE, by=worker, route=False, now=asked
    ).help_request
    referral = referral_route(
        help_request=request,
        by=worker,
        organization=lead.organization,
        now=asked + datetime.timedelta(hours=2),
    )
    admin = _admin_of(ctx, lead.organization_id)
    if referral is None or admin is None:
        raise DemoFlowError(f"demo case {index}: request {request.state}, admin {admin}")
    return referral_accept(
        referral=referral,
        by=admin,
        lead_attorney=lead,
        conflict_waived=referral.conflict == ConflictStatus.HIT,
    )


@demo_step("cases", order=60)
def seed_cases(ctx: DemoContext) -> None:
    """Each demo attorney leads two cases drawn from the recipes in turn, so that every status
    appears in every organization; the second case is the one overdue deadline."""
    made, recipes = [], []
    index = 0
    for i, profile in enumerate(ctx.attorneys):
        lead = profile.user
        peers = [
            p.user
            for p in ctx.attorneys
            if p.organization_id == profile.organization_id and p != profile
        ]
        for j in range(2):
            recipe = OVERDUE_RECIPE if index == 1 else RECIPES[(i * 2 + j) % len(RECIPES)]
            colleague = peers[0] if peers and j == 0 and i % 3 == 0 else None
            if index % DIRECT_EVERY == DIRECT_EVERY - 1:
                case = open_direct(ctx, recipe, lead, index)
            else:
                case = _through_help_line(ctx, recipe, profile, index)
            made.append(play_recipe(ctx, case, recipe, lead, index, colleague))
            recipes.append(recipe)
            index += 1
    ctx.extra["cases"] = made
    # The deadlines step marks done what each recipe's attorney already did.
    ctx.extra["case_recipes"] = list(zip(made, recipes, strict=True))


@demo_step("referrals", order=71)
def seed_referrals(ctx: DemoContext) -> None:
    ids = ctx.extra.get("help_requests", [])
    found = HelpRequest.objects.in_bulk(ids)
    made = [found[pk] for pk in ids if pk in found]
    now = ctx.now
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
        data = demo_person(ctx, "es", index=DEMO_REQUESTS)
        data.adverse_parties = [placed.name]
        flagged = help_request_submit(
            data=data, source=Source.HOTLINE, by=workers[0] if workers else SYSTEM, route=False
        )
        organization = Referral.objects.get(
            help_request=placed, status=ReferralStatus.ACCEPTED
        ).organization
        referral_route(help_request=flagged.help_request, by=SYSTEM, organization=organization)
