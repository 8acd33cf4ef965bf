"""``amparo seed --donations N``: N synthetic gifts over the last year, posted to the ledger.

Idempotent per seed: references are ``s<seed>-gift-<i>``; a second run creates nothing new.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy

from amparo.core.seed import SeedContext, SeedResult, seed_generator
from amparo.core.services import SYSTEM

from .models import Donor, Gift
from .services import GiftSpec, donor_create, gifts_record


@seed_generator("donations", order=60, help=gettext_lazy("donations"), default=0)
def generate_donations(ctx: SeedContext, count: int) -> SeedResult:
    rng, fake = ctx.rng("donations"), ctx.faker("donations")
    today = timezone.localdate()
    refs = [f"s{ctx.seed}-gift-{i}" for i in range(count)]
    existing = set(Gift.objects.filter(reference__in=refs).values_list("reference", flat=True))
    donors: list[Donor] = []
    specs: list[GiftSpec] = []
    for ref in refs:
        # Draw the same numbers whether or not the gift exists, so reruns stay aligned.
        amount = rng.choice((1_000, 2_500, 5_000, 10_000, 25_000, 100_000))
        day = today - datetime.timedelta(days=rng.randint(0, 364))
        anonymous = rng.random() < 0.2
        consent = rng.random() < 0.3
        name, email = fake.name(), f"{ref}@donors.example.net"
        if ref in existing:
            continue
        donor = None
        if not anonymous:
            if donors and rng.random() < 0.3:
                donor = rng.choice(donors)
            else:
                donor = donor_create(
                    name=name,
                    email=email,
                    public_name=name if consent else "",
                    public_consent=consent,
                    language=rng.choice(("en", "es")),
                    by=SYSTEM,
                )
                donors.append(donor)
        specs.append(
            GiftSpec(
                amount=amount,
                currency="USD",
                received_on=day,
                reference=ref,
                donor=donor,
                channel="import",
            )
        )
    gifts_record(gifts=specs, by=SYSTEM, reason=f"seed {ctx.seed}")
    return SeedResult(created=len(specs), existing=len(existing))
