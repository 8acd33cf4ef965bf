"""Demo money: a year of donations (one-off and monthly, some anonymous, some thanked by name)
and a city appropriation for detained removal defense with quarterly payments. Synthetic."""

from __future__ import annotations

import datetime

from amparo.accounts.models import User
from amparo.accounts.roles import Role
from amparo.accounts.services import donor_account_prepare
from amparo.core.demo import DemoContext, demo_step
from amparo.core.identity import fund_identity
from amparo.core.services import SYSTEM, Actor
from amparo.ledger.models import RestrictionKind
from amparo.ledger.services import restriction_ensure

from .models import Pledge, PledgeStatus
from .services import (
    GiftSpec,
    appropriation_create,
    appropriation_receive,
    designation_resolve,
    donor_create,
    gifts_record,
    pledge_start,
    receipt_issue,
)

DEMO_DONORS = 40
#: How many demo donors have a donor page (they sign in by emailed link, like real donors).
DEMO_DONOR_ACCOUNTS = 2
DEMO_MONTHLY = 8


def _demo_donor_account(ctx: DemoContext, email: str, language: str) -> User:
    """A demo donor's account, stored as every donor's is: a digest address, nothing readable."""
    user, _created = donor_account_prepare(email=email, language=language)
    user.is_demo = True
    user.save(update_fields=["is_demo"])
    ctx.users.setdefault(Role.DONOR, []).append(user)
    return user


@demo_step("donations", order=70)
def seed_donations(ctx: DemoContext) -> None:
    today = ctx.today
    admins = ctx.users.get(Role.FUND_ADMIN) or []
    admin: Actor = admins[0] if admins else SYSTEM
    programs = [designation_resolve(slug, by=admin) for slug in ctx.programs]
    donors = []
    for i in range(DEMO_DONORS):
        first, last = ctx.person_name()
        consent = ctx.rng.random() < 0.35
        email = ctx.unique_email(first, last, "donors.example.net")
        language = "es" if ctx.rng.random() < 0.4 else "en"
        user = _demo_donor_account(ctx, email, language) if i < DEMO_DONOR_ACCOUNTS else None
        donors.append(
            donor_create(
                name=f"{first} {last}",
                email=email,
                language=language,
                public_name=f"{first} {last[0]}." if consent else "",
                public_consent=consent,
                user=user,
                by=admin,
            )
        )
    specs: list[GiftSpec] = []
    n = 0
    # Monthly givers: a pledge and a gift on the same day of each of the last twelve months.
    for donor in donors[:DEMO_MONTHLY]:
        amount = ctx.rng.choice((1_000, 2_500, 5_000, 10_000))
        designation = ctx.rng.choice([None, *programs])
        pledge = pledge_start(
            donor=donor,
            amount=amount,
            currency="USD",
            frequency="monthly",
            designation=designation,
            processor="demo",
            by=admin,
        )
        dom = ctx.rng.randint(1, 28)
        last_day = None
        for months_back in range(11, -1, -1):
            year, month = today.year, today.month - months_back
            while month < 1:
                month += 12
                year -= 1
            day = datetime.date(year, month, dom)
            if day > today:
                continue
            n += 1
            last_day = day
            specs.append(
                GiftSpec(
                    amount=amount,
                    currency="USD",
                    received_on=day,
                    reference=f"demo-gift-{n:05d}",
                    donor=donor,
                    designation=designation,
                    channel="online",
                    pledge=pledge,
                )
            )
        if last_day is not None:
            nxt = last_day + datetime.timedelta(days=31)
            Pledge.objects.filter(pk=pledge.pk).update(
                status=PledgeStatus.ACTIVE,
                next_charge_on=nxt.replace(day=dom),
                processor_ref=f"demo-sub-{n}",
            )
    # One-off gifts through the year: a fifth of them anonymous.
    for _ in range(90):
        n += 1
        anonymous = ctx.rng.random() < 0.2
        specs.append(
            GiftSpec(
                amount=ctx.rng.choice(
                    (2_000, 2_500, 5_000, 7_500, 10_000, 25_000, 50_000, 100_000)
                ),
                currency="USD",
                received_on=today - datetime.timedelta(days=ctx.rng.randint(0, 364)),
                reference=f"demo-gift-{n:05d}",
                donor=None if anonymous else ctx.rng.choice(donors[DEMO_MONTHLY:]),
                designation=ctx.rng.choice([None, None, *programs]),
                channel=ctx.rng.choice(("online", "online", "import", "bank")),
            )
        )
    gifts = gifts_record(gifts=specs, by=admin, reason="demo")
    for gift in [g for g in gifts if g.donor_id and g.received_on.year < today.year][:10]:
        receipt_issue(gift=gift, by=admin, email=False)  # invented addresses: no mail
    # The city's appropriation, only for detained removal defense, paid quarterly.
    city = restriction_ensure(
        slug="city-detained-removal-defense",
        name="City appropriation: detained removal defense",
        kind=RestrictionKind.PUBLIC,
        grant_categories=["detained_removal"],
        by=admin,
    )
    start = (today - datetime.timedelta(days=300)).replace(day=1)
    end = datetime.date(start.year + 1, start.month, 1) - datetime.timedelta(days=1)
    appropriation = appropriation_create(
        name=f"{fund_identity().city or 'City'} immigrant legal services appropriation",
        funder=f"City and County of {fund_identity().city or 'Denver'}",
        restriction=city,
        amount=100_000_000,
        currency="USD",
        period_start=start,
        period_end=end,
        reporting="quarterly",
        by=admin,
    )
    quarter = 0
    received = start + datetime.timedelta(days=14)
    while received <= today:
        quarter += 1
        appropriation_receive(
            appropriation=appropriation,
            amount=25_000_000,
            currency="USD",
            received_on=received,
            reference=f"demo-city-q{quarter}",
            by=admin,
        )
        received += datetime.timedelta(days=91)
