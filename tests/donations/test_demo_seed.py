"""The demo's money and `amparo seed --donations N`."""

from __future__ import annotations

import pytest

from amparo.core.demo import demo_seed, demo_steps
from amparo.core.seed import seed_run
from amparo.donations.models import Appropriation, Gift, Pledge, PledgeStatus
from amparo.ledger.selectors import restriction_balances
from amparo.ledger.verify import ledger_verify

pytestmark = pytest.mark.django_db
STEPS = ("fund", "organizations", "staff", "donations")


def test_the_demo_has_a_year_of_gifts_and_a_city_appropriation() -> None:
    demo_seed(steps=[s for s in demo_steps() if s.name in STEPS])
    gifts = Gift.objects.all()
    assert gifts.count() > 100
    assert gifts.filter(donor=None).exists()
    assert gifts.filter(donor__public_consent=True).exists()
    assert gifts.filter(donor__public_consent=False, donor__isnull=False).exists()
    assert Pledge.objects.filter(frequency="monthly", status=PledgeStatus.ACTIVE).count() == 8
    assert Gift.objects.filter(donor__user__isnull=False).exists()
    city = Appropriation.objects.get()
    assert city.payments.exists()
    held = {r.slug: amount for r, _c, amount in restriction_balances()}
    assert held["city-detained-removal-defense"] == sum(
        city.payments.values_list("amount", flat=True)
    )
    assert ledger_verify().balanced


def test_seed_donations_is_idempotent() -> None:
    first = seed_run(seed=5, counts={"donations": 30})
    assert first.results["donations"].created == 30
    second = seed_run(seed=5, counts={"donations": 30})
    assert (second.results["donations"].created, second.results["donations"].existing) == (0, 30)
    assert Gift.objects.count() == 30
    assert ledger_verify().balanced
