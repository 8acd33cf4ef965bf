"""A fund administrator budgets a round beyond its restriction (with a reason), changes the
draft and deletes it, in a real browser."""

from __future__ import annotations

import datetime
from typing import Any, cast

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from amparo.accounts.models import User
from amparo.accounts.roles import Role
from amparo.audit.models import AuditEvent
from amparo.grants.models import GrantRound
from tests.clock import travelling
from tests.factories import UserFactory, city_money, enrol_totp

from .people import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("vault_keys"),
    travelling,
]


def test_a_round_beyond_its_money_needs_a_reason_and_a_draft_can_go(open_page: Any) -> None:
    city_money()  # $250,000.00 for detained removal defense
    today = timezone.localdate()
    admin = cast(User, UserFactory(role=Role.FUND_ADMIN, email="t@example.org"))  # type: ignore[no-untyped-call]
    page: Page = open_page()
    sign_in(page, admin, enrol_totp(admin))
    page.goto("/grants/rounds/new/")
    page.get_by_label("Name of the round").fill("Spring round")
    page.get_by_label("Budget (USD)").fill("300,000")
    page.get_by_label("Opens on").fill(today.isoformat())
    page.get_by_label("Deadline").fill((today + datetime.timedelta(days=30)).isoformat())
    page.get_by_label("Draws from").select_option(label="City: detained removal defense")
    page.get_by_role("button", name="Create the round").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Budget (USD): The budget is more than City: detained removal defense holds"
    )
    assert not GrantRound.objects.exists()

    page.get_by_label("Reason to budget beyond the restriction").fill(
        "The council voted another $50,000 for June."
    )
    page.get_by_role("button", name="Create the round").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Spring round")
    assert AuditEvent.objects.get(action="grants.round_budget_override").reason == (
        "The council voted another $50,000 for June."
    )

    page.get_by_role("link", name="Change the draft").click()
    page.get_by_label("Name of the round").fill("Spring round, detained")
    page.get_by_label("Budget (USD)").fill("200,000")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Spring round, detained")
    expect(page.get_by_text("$200,000.00")).to_be_visible()

    page.get_by_role("button", name="Delete the draft round").click()
    expect(page.get_by_text("The draft round Spring round, detained was deleted.")).to_be_visible()
    assert not GrantRound.objects.exists()
