"""An attorney's day in a real browser: a hearing, its filing deadline, a decision, the appeal
deadline, and the calendar file. Every page is checked by axe-core (see conftest.py)."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import cast

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import Page, expect

from amparo.accounts.models import User
from amparo.accounts.roles import Role
from amparo.cases.services import case_open
from amparo.deadlines.engine import compute
from amparo.organizations.models import ProviderOrganization
from amparo.vault.services import subject_create
from tests.clock import travelling
from tests.factories import (
    AttorneyProfileFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
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


def test_an_attorney_adds_a_hearing_records_a_decision_and_downloads_the_calendar(
    page: Page, tmp_path: Path
) -> None:
    org = cast(
        ProviderOrganization,
        OrganizationFactory(name="Front Range Detention Defense Project"),  # type: ignore[no-untyped-call]
    )
    attorney = cast(
        User,
        UserFactory(  # type: ignore[no-untyped-call]
            role=Role.ATTORNEY,
            first_name="Marisol",
            last_name="Quintero",
            email="marisol.quintero@example.org",
        ),
    )
    MembershipFactory(user=attorney, organization=org)  # type: ignore[no-untyped-call]
    AttorneyProfileFactory(user=attorney, organization=org)  # type: ignore[no-untyped-call]
    secret = enrol_totp(attorney)
    case = case_open(
        organization=org,
        lead_attorney=attorney,
        subject=subject_create(kind="client"),
        client={"name": "Esperanza Lucía Ramírez", "a_number": "A-201-555-017"},
        custody="never_detained",
        court="Denver Immigration Court",
        by=attorney,
    )

    sign_in(page, attorney, secret)

    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Cases").click()
    page.get_by_role("link", name=case.reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.reference)
    expect(page.get_by_text("Esperanza Lucía Ramírez").first).to_be_visible()

    # A hearing, and the filing deadline it starts, with the rule's citation.
    hearing_day = timezone.localdate() + datetime.timedelta(days=75)
    expected = compute(
        "prehearing-filing", hearing_day, custody="non-detained", hearing="individual"
    )
    assert expected.due is not None
    page.get_by_role("link", name="Add a hearing").click()
    page.get_by_label("Kind of hearing").select_option("individual")
    page.get_by_label("Date").fill(hearing_day.isoformat())
    page.get_by_label("Time").fill("08:30")
    page.get_by_label("Immigration judge").fill("Judge A. Whitfield")
    page.get_by_role("button", name="Add the hearing").click()
    deadlines = page.locator("#deadlines")
    filing = deadlines.locator("li", has_text="Filings before a hearing in immigration court")
    expect(filing).to_be_visible()
    expect(filing.get_by_text("Immigration Court Practice Manual 3.1(b)")).to_be_visible()
    expect(filing).to_contain_text(f"Due (last day): {date_format(expected.due, 'DATE_FORMAT')}")

    # A decision, and the appeal deadline it starts.
    decided = timezone.localdate() - datetime.timedelta(days=2)
    page.get_by_role("link", name="Record a decision").click()
    page.get_by_label("Outcome", exact=True).select_option("removal_order")
    page.get_by_label("Decided by").select_option("ij")
    page.get_by_label("Date of the decision").fill(decided.isoformat())
    page.get_by_role("button", name="Record the decision").click()
    appeal = page.locator(
        "#deadlines li", has_text="Appeal of an immigration judge's decision to the BIA"
    )
    expect(appeal).to_be_visible()
    expect(appeal.get_by_text("8 CFR 1003.38(b)-(c)")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Decided")
    screenshot(page, "case-detail")

    # The calendar file: hearings and deadlines, the case reference, no client name.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the calendar (.ics)").click()
    download = download_info.value
    assert download.suggested_filename == f"{case.reference}.ics"
    path = tmp_path / "case.ics"
    download.save_as(path)
    ics = path.read_text(encoding="utf-8").replace("\r\n ", "")
    assert ics.startswith("BEGIN:VCALENDAR")
    assert "SUMMARY:Individual (merits) hearing" in ics
    assert "Appeal of an immigration judge's decision to the BIA" in ics
    assert case.reference in ics and "E. L." in ics
    assert "Esperanza" not in ics and "Ramírez" not in ics

    # The rest of the attorney's pages, each checked by axe as the test moves on.
    page.get_by_role("link", name="0 notes").click()
    page.get_by_label("Privileged note").fill(
        "Client brought the hearing notice; ask about 2019 entry."
    )
    page.get_by_role("button", name="Save the note").click()
    expect(page.get_by_text("The note was saved, encrypted.")).to_be_visible()
    page.get_by_role("link", name=f"Case {case.reference}").click()
    page.get_by_role("link", name="1 document").or_(
        page.get_by_role("link", name="0 documents")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Documents")
    page.get_by_role("link", name=f"Case {case.reference}").click()
    page.get_by_role("link", name="See the team").or_(
        page.get_by_role("link", name="Change the team")
    ).click()
    expect(page.get_by_role("cell", name="Marisol Quintero", exact=True)).to_be_visible()
    nav.get_by_role("link", name="Calendar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Calendar")
    screenshot(page, "attorney-deadlines")
    page.get_by_role("link", name="Calendar feeds for your phone or calendar app").click()
    page.get_by_label("Name", exact=True).fill("Work phone")
    page.get_by_role("button", name="Make the address").click()
    expect(page.get_by_text("Copy it now: it is shown only once.")).to_be_visible()
    nav.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", name="My deadlines and hearings")).to_be_visible()
    screenshot(page, "attorney-dashboard")
