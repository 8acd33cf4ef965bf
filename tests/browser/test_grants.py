"""A grant round in a real browser, as the people who run it would go through it.

The fund admin creates and opens a round; a provider admin applies online (narrative, budget,
attachment) and edits before the deadline; a board member who declared a conflict with that
provider cannot see the application while another board member scores it; the fund admin reads
the summary, awards the grant and pays a tranche; the transparency page shows the money paid.
Every page is checked by axe-core (see conftest.py)."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any, cast

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import Page, expect

from amparo.accounts.models import User
from amparo.accounts.roles import Role
from amparo.audit.models import AuditEvent
from amparo.grants.models import Application, Award, GrantRound, RoundStatus, Score, Tranche
from amparo.ledger.services import restricted_balance
from amparo.organizations.models import ProviderOrganization
from tests.clock import travelling
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
    city_money,
    enrol_totp,
)

from .conftest import screenshot
from .people import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("vault_keys"),
    travelling,
]

ORG = "Front Range Detention Defense Project"
ROUND = "Detained removal defense 2026"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _person(role: str, email: str, first: str, last: str) -> tuple[User, str]:
    user = cast(
        User,
        UserFactory(role=role, email=email, first_name=first, last_name=last),  # type: ignore[no-untyped-call]
    )
    return user, enrol_totp(user)


def _grants(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Grants").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Grants")


def test_a_grant_round_from_the_call_to_the_money_paid(open_page: Any) -> None:
    city = city_money()  # $250,000.00 for detained removal defense
    today = timezone.localdate()
    deadline = today + datetime.timedelta(days=14)
    org = cast(ProviderOrganization, OrganizationFactory(name=ORG))  # type: ignore[no-untyped-call]
    treasurer, treasurer_secret = _person(
        Role.FUND_ADMIN, "treasurer@example.org", "Teresa", "Okafor"
    )
    provider, provider_secret = _person(
        Role.PROVIDER_ADMIN, "director@frontrange.example.org", "Lucía", "Paredes"
    )
    MembershipFactory(user=provider, organization=org)  # type: ignore[no-untyped-call]
    conflicted, conflicted_secret = _person(
        Role.BOARD_MEMBER, "board.one@example.org", "Daniel", "Brandt"
    )
    reviewer, reviewer_secret = _person(
        Role.BOARD_MEMBER, "board.two@example.org", "Amina", "Haddad"
    )

    # --- The fund admin creates the round on its page and opens it. ---------------------------
    admin_page: Page = open_page()
    sign_in(admin_page, treasurer, treasurer_secret)
    _grants(admin_page)
    expect(admin_page.get_by_text("There are no grant rounds yet.")).to_be_visible()
    admin_page.get_by_role("link", name="New grant round").click()
    expect(admin_page.get_by_role("heading", level=1)).to_have_text("New grant round")
    admin_page.get_by_label("Name of the round").fill(ROUND)
    admin_page.get_by_label("Budget (USD)").fill("100,000")
    admin_page.get_by_label("Opens on").fill(today.isoformat())
    # A deadline before the opening day is refused beside the field, and nothing is saved.
    admin_page.get_by_label("Deadline").fill((today - datetime.timedelta(days=1)).isoformat())
    admin_page.get_by_label("Draws from").select_option(label="City: detained removal defense")
    admin_page.get_by_role("button", name="Create the round").click()
    expect(admin_page.get_by_role("alert")).to_contain_text(
        "The deadline must be on or after the opening day."
    )
    assert not GrantRound.objects.exists()
    admin_page.get_by_label("Deadline").fill(deadline.isoformat())
    # The city's money pays for detained removal defense only: the round funds just that.
    expect(admin_page.get_by_label("Removal defense for detained people")).to_be_checked()
    for label in (
        "Affirmative relief and non-detained removal defense",
        "Capacity building",
        "Filing and legal fees",
    ):
        admin_page.get_by_label(label).uncheck()
    admin_page.get_by_role("button", name="Create the round").click()
    expect(admin_page.get_by_role("heading", level=1)).to_have_text(ROUND)
    expect(admin_page.get_by_role("status")).to_contain_text("The round was created as a draft.")
    facts = admin_page.locator("dl.facts")
    expect(facts).to_contain_text("Draft")
    expect(facts).to_contain_text("$100,000.00")
    expect(facts).to_contain_text(date_format(deadline, "DATE_FORMAT"))
    expect(facts).to_contain_text("City: detained removal defense")
    expect(facts).not_to_contain_text("Capacity building")
    admin_page.get_by_role("button", name="Move to: Open for applications").click()
    expect(admin_page.get_by_role("status")).to_contain_text("The round's status was changed.")
    expect(facts).to_contain_text("Open for applications")
    grant_round = GrantRound.objects.get()
    assert (grant_round.budget, grant_round.status) == (10_000_000, RoundStatus.OPEN)
    assert grant_round.restriction_id == city.pk

    # --- The provider admin applies online, then edits before the deadline. -------------------
    provider_page: Page = open_page()
    sign_in(provider_page, provider, provider_secret)
    _grants(provider_page)
    provider_page.get_by_role("link", name=ROUND).click()
    expect(provider_page.get_by_role("heading", level=1)).to_have_text(ROUND)
    expect(provider_page.get_by_text("No applications to show.")).to_be_visible()
    provider_page.get_by_role("link", name="Apply or edit your application").click()
    expect(provider_page.get_by_role("heading", level=1)).to_have_text("Apply for a grant")
    expect(provider_page.locator(".lead")).to_contain_text(
        f"{ORG} applies to {ROUND}. You can change your application until "
        f"{date_format(deadline, 'DATE_FORMAT')}."
    )
    # Nothing typed in the budget: refused beside the field, nothing saved.
    provider_page.get_by_label("What will the grant pay for?").fill(
        "Two attorneys represent adults held at the county detention center in their "
        "removal proceedings, about 60 people a year."
    )
    provider_page.get_by_role("button", name="Save the application").click()
    expect(provider_page.get_by_role("alert")).to_contain_text("Add at least one budget line.")
    assert not Application.objects.exists()
    provider_page.get_by_label("Budget line 1: what").fill("Two detention attorneys")
    provider_page.get_by_label("Budget line 1: amount (USD)").fill("60000")
    provider_page.get_by_label("Attachment (optional)").set_input_files(
        files=[{"name": "budget-2026.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    provider_page.get_by_role("button", name="Save the application").click()
    expect(provider_page.get_by_role("heading", level=1)).to_have_text(f"Application of {ORG}")
    expect(provider_page.get_by_role("status")).to_contain_text("Your application was saved.")
    expect(provider_page.locator("dl.facts")).to_contain_text("$60,000.00")
    expect(provider_page.locator("dl.facts")).to_contain_text("Removal defense for detained people")
    expect(provider_page.get_by_role("link", name="budget-2026.pdf")).to_be_visible()
    expect(provider_page.get_by_text("Weighted score")).to_have_count(0)
    screenshot(provider_page, "grants-application")

    provider_page.get_by_role("link", name=ROUND).click()
    expect(provider_page.get_by_role("link", name=ORG)).to_be_visible()
    provider_page.get_by_role("link", name="Apply or edit your application").click()
    expect(provider_page.get_by_label("Budget line 1: what")).to_have_value(
        "Two detention attorneys"
    )
    expect(provider_page.get_by_label("Budget line 1: amount (USD)")).to_have_value("60,000.00")
    provider_page.get_by_label("Budget line 1: amount (USD)").fill("55000")
    provider_page.get_by_label("Budget line 2: what").fill("Interpreters and translations")
    provider_page.get_by_label("Budget line 2: amount (USD)").fill("7500.00")
    provider_page.get_by_role("button", name="Save the application").click()
    expect(provider_page.get_by_role("status")).to_contain_text("Your application was saved.")
    expect(provider_page.locator("dl.facts")).to_contain_text("$62,500.00")
    budget = provider_page.get_by_role("table", name="Budget")
    expect(budget).to_contain_text("Interpreters and translations")
    expect(budget).to_contain_text("$7,500.00")
    expect(budget).to_contain_text("$55,000.00")
    application = Application.objects.get()
    assert (application.organization_id, application.requested) == (org.pk, 6_250_000)
    assert application.attachments.count() == 1

    # The deadline passes: no more changes, and the fund admin closes the round for review.
    GrantRound.objects.filter(pk=grant_round.pk).update(
        opens_on=today - datetime.timedelta(days=30), closes_on=today - datetime.timedelta(days=1)
    )
    provider_page.goto(f"/grants/rounds/{grant_round.pk}/apply/")
    expect(provider_page.get_by_role("heading", level=1)).to_have_text(ROUND)
    expect(provider_page.get_by_role("status")).to_contain_text(
        "This round no longer accepts applications or changes"
    )
    expect(provider_page.get_by_role("link", name="Apply or edit your application")).to_have_count(
        0
    )
    admin_page.reload()
    admin_page.get_by_role("button", name="Move to: Closed").click()
    expect(admin_page.locator("dl.facts")).to_contain_text("Closed")
    admin_page.get_by_role("button", name="Move to: In review by the board").click()
    expect(admin_page.locator("dl.facts")).to_contain_text("In review by the board")

    # --- A board member declares a conflict with the provider and no longer sees its work. ----
    conflicted_page: Page = open_page()
    sign_in(conflicted_page, conflicted, conflicted_secret)
    _grants(conflicted_page)
    conflicted_page.get_by_role("link", name="Declare a conflict of interest").click()
    expect(conflicted_page.get_by_role("heading", level=1)).to_have_text("Conflicts of interest")
    conflicted_page.get_by_label("Organization").select_option(label=ORG)
    conflicted_page.get_by_role("button", name="Declare the conflict").click()
    expect(conflicted_page.get_by_role("status")).to_contain_text("Your conflict was recorded.")
    expect(conflicted_page.get_by_role("main").get_by_role("listitem")).to_contain_text(ORG)
    _grants(conflicted_page)
    conflicted_page.get_by_role("link", name=ROUND).click()
    expect(conflicted_page.get_by_text("No applications to show.")).to_be_visible()
    expect(conflicted_page.get_by_role("link", name=ORG)).to_have_count(0)
    conflicted_page.get_by_role("link", name="Summary for decision makers").click()
    expect(conflicted_page.get_by_role("table", name="Applications")).to_contain_text(
        "No applications to show."
    )
    expect(conflicted_page.get_by_text(ORG)).to_have_count(0)
    response = conflicted_page.goto(f"/grants/applications/{application.pk}/")
    assert response is not None and response.status == 404
    expect(conflicted_page.get_by_text("Two attorneys represent")).to_have_count(0)
    assert AuditEvent.objects.filter(
        action="grants.recusal_refused", actor_id=conflicted.pk
    ).exists()

    # --- Another board member scores it with the rubric. --------------------------------------
    reviewer_page: Page = open_page()
    sign_in(reviewer_page, reviewer, reviewer_secret)
    _grants(reviewer_page)
    reviewer_page.get_by_role("link", name=ROUND).click()
    reviewer_page.get_by_role("link", name=ORG).click()
    expect(reviewer_page.get_by_role("heading", level=1)).to_have_text(f"Application of {ORG}")
    expect(reviewer_page.get_by_text("Two attorneys represent adults")).to_be_visible()
    expect(reviewer_page.locator("dl.facts")).to_contain_text("Not scored yet")
    for criterion, value in (
        ("Need and people served (weight 3)", "5"),
        ("Quality of representation (weight 3)", "4"),
        ("Capacity to deliver (weight 2)", "4"),
        ("Budget is reasonable (weight 2)", "3"),
    ):
        group = reviewer_page.get_by_role("group", name=criterion)
        group.get_by_label("Score from 1 (weak) to 5 (strong)").select_option(value)
    reviewer_page.get_by_role("group", name="Budget is reasonable (weight 2)").get_by_label(
        "Comment (optional)"
    ).fill("Interpreter line looks low for the caseload.")
    reviewer_page.get_by_role("button", name="Save my scores").click()
    expect(reviewer_page.get_by_role("status")).to_contain_text("Your scores were saved.")
    # (5*3 + 4*3 + 4*2 + 3*2) / 10 = 4.1
    expect(reviewer_page.locator("dl.facts")).to_contain_text("4.1 / 5")
    expect(
        reviewer_page.get_by_role("group", name="Budget is reasonable (weight 2)").get_by_label(
            "Comment (optional)"
        )
    ).to_have_value("Interpreter line looks low for the caseload.")
    assert Score.objects.filter(member=reviewer).count() == 4
    assert not Score.objects.filter(member=conflicted).exists()
    screenshot(reviewer_page, "grants-scoring")

    # --- The fund admin reads the summary, awards the grant and pays a tranche. ---------------
    admin_page.get_by_role("link", name="Summary for decision makers").click()
    expect(admin_page.get_by_role("heading", level=1)).to_have_text("Summary for decision makers")
    summary_facts = admin_page.locator("dl.facts")
    expect(summary_facts).to_contain_text("$100,000.00")  # the round's budget
    expect(summary_facts).to_contain_text("$62,500.00")  # requested in all
    row = admin_page.get_by_role("row", name=ORG)
    expect(row).to_contain_text("Removal defense for detained people")
    expect(row).to_contain_text("$62,500.00")
    expect(row).to_contain_text("4.1")
    expect(row.get_by_role("cell").nth(4)).to_have_text("Fund")  # the recommendation
    expect(row.get_by_role("cell").nth(3)).to_have_text("1")  # reviewers
    screenshot(admin_page, "grants-summary")

    row.get_by_role("link", name=ORG).click()
    expect(admin_page.get_by_role("heading", level=1)).to_have_text(f"Application of {ORG}")
    # More than requested is refused beside the field, with what was typed; nothing is saved.
    amount = admin_page.get_by_label("Amount to award (USD)")
    amount.fill("70000")
    admin_page.get_by_role("button", name="Award the grant").click()
    refused = "An award cannot be more than the amount requested."
    expect(admin_page.get_by_role("alert")).to_contain_text(refused)
    expect(admin_page.locator(".field-error")).to_contain_text(refused)
    expect(amount).to_have_value("70000")
    assert not Award.objects.exists()
    admin_page.get_by_role("alert").get_by_role("link", name=refused).click()
    expect(amount).to_be_focused()
    amount.fill("50000")
    admin_page.get_by_role("button", name="Award the grant").click()
    expect(admin_page.get_by_role("heading", level=1)).to_have_text(f"Award to {ORG}")
    expect(admin_page.get_by_role("status")).to_contain_text("The award was recorded.")
    expect(admin_page.locator("dl.facts")).to_contain_text("$50,000.00")
    expect(admin_page.get_by_text("No tranches scheduled yet.")).to_be_visible()
    # The award schedules the grantee's four quarterly reports, the first one from today.
    reports = admin_page.get_by_role("main").locator("ul").last.get_by_role("listitem")
    expect(reports).to_have_count(4)
    expect(reports.first).to_contain_text(date_format(today, "DATE_FORMAT"))
    expect(reports.first).to_contain_text("Upcoming")
    # Tranches beyond the award are refused beside the field.
    tranche_amount = admin_page.get_by_label("Amount (USD)")
    tranche_amount.fill("60000")
    admin_page.get_by_label("Scheduled for").fill(today.isoformat())
    admin_page.get_by_role("button", name="Add the tranche").click()
    expect(admin_page.locator(".field-error")).to_contain_text(
        "The tranches would add up to more than the award: $50,000.00 is left."
    )
    expect(tranche_amount).to_have_value("60000")
    assert not Tranche.objects.exists()
    tranche_amount.fill("20000")
    admin_page.get_by_label("Scheduled for").fill(today.isoformat())
    admin_page.get_by_role("button", name="Add the tranche").click()
    expect(admin_page.get_by_role("status")).to_contain_text("The tranche was scheduled.")
    schedule = admin_page.get_by_role("table", name="Disbursement schedule")
    expect(schedule).to_contain_text("$20,000.00")
    admin_page.get_by_role("button", name="Pay tranche 1").click()
    expect(admin_page.get_by_role("status")).to_contain_text(
        "The tranche was paid and posted to the books."
    )
    expect(admin_page.get_by_role("button", name="Pay tranche 1")).to_have_count(0)
    expect(schedule).to_contain_text(date_format(today, "DATE_FORMAT"))
    tranche = Tranche.objects.get()
    assert (tranche.amount, tranche.paid_on) == (2_000_000, today)
    assert tranche.entry_id is not None
    assert restricted_balance(restriction_id=city.pk, currency="USD") == 23_000_000
    screenshot(admin_page, "grants-award")
    admin_page.get_by_role("link", name=f"Application of {ORG}").click()
    expect(admin_page.get_by_role("heading", level=1)).to_have_text(f"Application of {ORG}")
    admin_page.get_by_role("link", name="See the award").click()
    admin_page.get_by_role("link", name=ROUND).click()
    expect(admin_page.get_by_role("heading", level=1)).to_have_text(ROUND)

    # The grantee sees its award, the money paid and the reports it owes.
    _grants(provider_page)
    provider_page.get_by_role("table", name="Awards").get_by_role("link", name=ORG).click()
    expect(provider_page.get_by_role("heading", level=1)).to_have_text(f"Award to {ORG}")
    expect(provider_page.get_by_role("table", name="Disbursement schedule")).to_contain_text(
        "$20,000.00"
    )
    expect(provider_page.get_by_role("button", name="Add the tranche")).to_have_count(0)
    expect(
        provider_page.get_by_role("main").locator("ul").last.get_by_role("listitem")
    ).to_have_count(4)

    # The books show the restricted money spent.
    admin_page.get_by_role("navigation", name="Main").get_by_role("link", name="Books").click()
    expect(admin_page.get_by_role("heading", level=1)).to_have_text(
        "Statement of financial position"
    )
    expect(
        admin_page.get_by_role("row", name="With restriction: City: detained removal defense")
    ).to_contain_text("$230,000.00")

    # --- Anyone reads on the transparency page what was awarded and what was paid. ------------
    public_page: Page = open_page()
    public_page.goto("/transparency/")
    grants = public_page.get_by_role("table", name="Grants: awarded and paid")
    grant_row = grants.get_by_role("row", name=ORG)
    expect(grant_row).to_contain_text("Removal defense for detained people")
    expect(grant_row.get_by_role("cell").nth(1)).to_have_text("$50,000.00")
    expect(grant_row.get_by_role("cell").nth(2)).to_have_text("$20,000.00")
    expect(public_page.get_by_role("table", name="Balances today")).to_contain_text("$230,000.00")
    expect(public_page.get_by_text("Two attorneys represent")).to_have_count(0)

    # --- The grantee downloads this quarter's funder report from its own list. -----------------
    provider_page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Funder reports"
    ).click()
    expect(provider_page.get_by_role("heading", level=1)).to_have_text("Funder reports")
    expect(provider_page.get_by_role("table", name="Grants")).to_contain_text(ORG)
    with provider_page.expect_download() as download:
        provider_page.get_by_role("button", name="Download the report (PDF)").click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    assert b"50,000.00" in pdf and b"20,000.00" in pdf  # awarded, and paid this quarter
