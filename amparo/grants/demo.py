"""Demo grants: a closed round decided with the board's scores, awards, paid tranches and
quarterly reports (one late). Runs after the ledger and donations steps (order 70)."""

from __future__ import annotations

import datetime

from amparo.accounts.roles import Role
from amparo.core.demo import DemoContext, demo_step
from amparo.ledger.models import Restriction

from .models import Application, GrantRound, RoundStatus
from .services import (
    award_decide,
    report_submit,
    reports_schedule,
    round_create,
    scores_record,
    tranche_add,
    tranche_pay,
)


@demo_step("grants", order=80)
def seed_grants(ctx: DemoContext) -> None:
    today = ctx.today
    admins = ctx.users.get(Role.FUND_ADMIN) or []
    admin = admins[0] if admins else None
    board = ctx.users.get(Role.BOARD_MEMBER) or []
    restriction = Restriction.objects.filter(slug="city-detained-removal-defense").first()
    if admin is None or restriction is None or not ctx.organizations:
        return
    opens = today - datetime.timedelta(days=200)
    closes = today - datetime.timedelta(days=170)
    grant_round = round_create(
        name="Detained removal defense, round 1",
        budget=40_000_000,
        opens_on=opens,
        closes_on=closes,
        restriction=restriction,
        categories=["detained_removal"],
        by=admin,
    )
    organizations = ctx.organizations[:3]
    applications = [
        Application.objects.create(
            round=grant_round,
            organization=org,
            category="detained_removal",
            narrative=ctx.fake.paragraph(nb_sentences=5),
            requested=ctx.rng.choice((12_000_000, 15_000_000, 18_000_000)),
            submitted_at=ctx.now - datetime.timedelta(days=180),
        )
        for org in organizations
    ]
    for application in applications:
        application.budget_lines.create(description="Attorneys", amount=application.requested)
    GrantRound.objects.filter(pk=grant_round.pk).update(status=RoundStatus.IN_REVIEW)
    grant_round.refresh_from_db()
    criteria = list(grant_round.criteria.all())
    for application in applications:
        application.refresh_from_db()
        for member in board[:3]:
            scores_record(
                application=application,
                by=member,
                scores={c.pk: (ctx.rng.randint(3, 5), "") for c in criteria},
            )
    for i, application in enumerate(applications[:2]):
        award = award_decide(application=application, amount=application.requested, by=admin)
        half = award.amount // 2
        first = tranche_add(
            award=award, amount=half, due_on=today - datetime.timedelta(days=120), by=admin
        )
        tranche_add(
            award=award,
            amount=award.amount - half,
            due_on=today + datetime.timedelta(days=60),
            by=admin,
        )
        tranche_pay(tranche=first, by=admin, paid_on=today - datetime.timedelta(days=118))
        reports = reports_schedule(
            award=award, start=today - datetime.timedelta(days=160), by=admin
        )
        for report in reports:
            if report.due_on < today - datetime.timedelta(days=5) and i == 0:
                report_submit(
                    report=report,
                    counts={"opened": {"detained_removal": 12}, "closed": {"detained_removal": 7}},
                    detained_served=14,
                    spend=half // 2,
                    narrative="",
                    by=admin,
                )
        # The second grantee leaves its first report unsubmitted: it shows as late.
    GrantRound.objects.filter(pk=grant_round.pk).update(status=RoundStatus.DECIDED)
