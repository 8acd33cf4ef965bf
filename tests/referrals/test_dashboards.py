"""The dashboard shows each role what waits for it: the queue, or the referrals to answer."""

from __future__ import annotations

from typing import Any

import pytest

from amparo.accounts.roles import Role
from amparo.intake.models import PovertyGuideline
from tests.intake.helpers import route

pytestmark = pytest.mark.django_db


def test_intake_staff_see_the_queue_and_providers_their_referrals(
    submit: Any, make_provider: Any, make_user: Any, client_for: Any
) -> None:
    _org, admin, profile = make_provider()
    route(submit().help_request)
    submit(custody="never_detained", facility="", zip_code="", county="")  # needs a review
    worker_page = client_for(make_user(Role.INTAKE_WORKER)).get("/dashboard/").content.decode()
    assert "Help requests" in worker_page and "/intake/new/" in worker_page
    admin_page = client_for(admin).get("/dashboard/").content.decode()
    assert "Referrals waiting for your answer" in admin_page and 'href="/referrals/"' in admin_page
    attorney_page = client_for(profile.user).get("/dashboard/").content.decode()
    assert (
        "Referrals waiting for your answer" not in attorney_page and "/intake/" not in attorney_page
    )
    # A table shipped unconfirmed (a year's figures nobody could check yet) waits for a fund admin.
    PovertyGuideline.objects.create(year=2027, region="alaska", first_person=20_000, verified=False)
    fund_page = client_for(make_user(Role.FUND_ADMIN)).get("/dashboard/").content.decode()
    assert "poverty guideline table is not verified yet" in fund_page
