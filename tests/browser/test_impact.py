"""Impact in a real browser: a visitor reads the public page in English and Spanish (charts with
tables beside them, small counts hidden); a fund administrator filters the dashboard by program
and period and reads the figures for that slice only."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, cast

import pytest
from django.core.cache import cache
from faker import Faker
from playwright.sync_api import Page, expect

from amparo.accounts.models import User
from amparo.accounts.roles import Role
from amparo.cases.latest import latest_outcomes_sync
from amparo.cases.models import Case, Outcome
from amparo.cases.services import case_open
from amparo.intake import codes
from amparo.intake.models import HelpRequest
from amparo.vault.services import subject_create
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    ProgramFactory,
    UserFactory,
    enrol_totp,
)

from .conftest import screenshot
from .people import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("vault_keys"),
]

fake = Faker()

MARCH = datetime.datetime(2025, 3, 14, 15, 0, tzinfo=datetime.UTC)
LAST_YEAR = datetime.datetime(2024, 6, 3, 15, 0, tzinfo=datetime.UTC)

TEXT = {
    "en": {
        "locale": "en-US",
        "heading": "Our impact",
        "funnel": "From request to representation",
        "relief": "Relief granted, by kind",
        "requests": "Requests for help",
        "asylum": "Asylum",
        "hidden": "hidden",
        "outcomes": "Outcomes by custody",
        "never": "Never detained",
        "represented": "Represented (case opened)",
        "outside": "Started outside the help line (a provider's own intake or a transfer)",
    },
    "es": {
        "locale": "es-MX",
        "heading": "Nuestro impacto",
        "funnel": "De la solicitud a la representación",
        "relief": "Alivio concedido, por tipo",
        "requests": "Solicitudes de ayuda",
        "asylum": "Asilo",
        "hidden": "oculto",
        "outcomes": "Resultados según custodia",
        "never": "Nunca detenido",
        "represented": "Con representación (caso abierto)",
        "outside": "Iniciados fuera de la línea de ayuda (admisión propia de un proveedor o una transferencia)",
    },
}


def _requests(program: Any, count: int, when: datetime.datetime) -> None:
    for _ in range(count):
        HelpRequest.objects.create(
            reference=codes.new_reference(),
            status_code_hash=codes.status_code_hash(fake.pystr(min_chars=16, max_chars=16)),
            source="web",
            spoken_language="es",
            custody="detained",
            eligibility="eligible",
            state="waiting",
            program=program,
            created_at=when,
            subject=subject_create(kind="client"),
        )


def _dataset() -> dict[str, Any]:
    """19 requests (12 in program A this March, 3 in A last year, 4 in B this March) and
    14 cases: 12 detained clients granted asylum, 2 never-detained cases terminated."""
    cache.clear()
    first = ProgramFactory(name="Detained defense")  # type: ignore[no-untyped-call]
    second = ProgramFactory(name="Affirmative relief", fund=first.fund)  # type: ignore[no-untyped-call]
    _requests(first, 12, MARCH)
    _requests(first, 3, LAST_YEAR)
    _requests(second, 4, MARCH)
    org = OrganizationFactory()  # type: ignore[no-untyped-call]
    lead = cast(User, UserFactory(role=Role.ATTORNEY))  # type: ignore[no-untyped-call]
    MembershipFactory(user=lead, organization=org)  # type: ignore[no-untyped-call]
    # 12 detained clients granted asylum, 2 never-detained cases terminated (a small cell)
    for k in range(14):
        case = case_open(
            organization=org,
            lead_attorney=lead,
            subject=subject_create(kind="client"),
            client={
                "name": fake.name(),
                "a_number": f"A{fake.random_int(10**8, 10**9 - 1):09d}",
                "phone": "",
                "email": fake.unique.email(),
                "date_of_birth": datetime.date(1990, 4, 1),
                "country_of_birth": "Honduras",
            },
            by=lead,
            custody="detained" if k < 12 else "never_detained",
            court="Denver Immigration Court",
        )
        Outcome.objects.create(
            case=case,
            kind="relief_granted" if k < 12 else "terminated",
            relief="asylum" if k < 12 else "",
            decided_by="ij",
            decision_date=datetime.date(2025, 1, 10),
        )
    # written directly, as a seed does: the cases' latest outcomes follow the same way
    latest_outcomes_sync(Case.objects.all())
    return {"first": first, "second": second}


def _row_value(page: Page, table_heading: str, row_label: str, column: int = 0) -> str:
    section = page.get_by_role("region", name=table_heading)
    row = section.get_by_role("table").get_by_role("row", name=row_label, exact=False).first
    return row.get_by_role("cell").nth(column).inner_text().strip()


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_public_page_shows_charts_and_tables_in_both_languages(
    open_page: Callable[..., Page], language: str
) -> None:
    _dataset()
    words = TEXT[language]
    page = open_page(locale=words["locale"])
    page.goto("/impact/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1)).to_have_text(words["heading"])
    # Each chart is an image with a name, and a table with the same figures stands beside it.
    funnel_chart = page.get_by_role("img", name=words["funnel"])
    expect(funnel_chart).to_be_visible()
    relief_chart = page.get_by_role("img", name=words["relief"])
    expect(relief_chart).to_be_visible()
    assert _row_value(page, words["funnel"], words["requests"]) == "19"
    assert _row_value(page, words["relief"], words["asylum"]) == "12"
    # The chart carries the same value as its table.
    expect(funnel_chart.locator("text.chart-value").first).to_have_text("19")
    # Nothing below the threshold is printed as a number, nor anything that gives it back: the
    # 2 terminations are hidden, and so are the 14 cases (14 - 12 asylum grants = 2).
    expect(page.get_by_text(words["hidden"]).first).to_be_visible()
    assert (
        _row_value(page, words["outcomes"], words["never"], column=2) == words["hidden"]
    )  # terminated
    assert page.get_by_role("cell", name="2", exact=True).count() == 0
    # No case here came from a request (all were opened by the provider): none is counted as
    # represented, and the 14 started outside the help line are hidden (14 - 12 = 2).
    assert _row_value(page, words["funnel"], words["represented"]) == "0"
    outside = page.locator("dt", has_text=words["outside"]).locator(
        "xpath=following-sibling::dd[1]"
    )
    assert outside.inner_text().splitlines()[0].strip() == words["hidden"]
    screenshot(page, f"impact-{language}")


def test_a_fund_admin_filters_the_dashboard_by_program_and_period(page: Page) -> None:
    _dataset()
    admin = cast(User, UserFactory(role=Role.FUND_ADMIN, email="impact-admin@example.org"))  # type: ignore[no-untyped-call]
    sign_in(page, admin, enrol_totp(admin))
    page.goto("/reports/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Impact dashboard")
    funnel = "From request to representation"
    assert _row_value(page, funnel, "Requests for help") == "19"

    page.get_by_label("Program").select_option(label="Detained defense")
    page.get_by_label("From (YYYY-MM-DD)").fill("2025-01-01")
    page.get_by_label("To (YYYY-MM-DD)").fill("2025-12-31")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_label("Program")).to_have_value(str(_program_id("Detained defense")))
    assert _row_value(page, funnel, "Requests for help") == "12"
    assert _row_value(page, funnel, "Eligible") == "12"

    page.get_by_label("Program").select_option(label="Affirmative relief")
    page.get_by_role("button", name="Show").click()
    assert _row_value(page, funnel, "Requests for help") == "4"

    # By category: the 12 detained clients' cases only, then the 2 others.
    page.get_by_label("Program").select_option(label="All programs")
    page.get_by_label("From (YYYY-MM-DD)").fill("")
    page.get_by_label("To (YYYY-MM-DD)").fill("")
    page.get_by_label("Category", exact=True).select_option(
        label="Removal defense for detained people"
    )
    page.get_by_role("button", name="Show").click()
    # The cases were opened by the provider, not born from requests: counted apart.
    assert _row_value(page, funnel, "Represented (case opened)") == "0"
    assert _outside_value(page, TEXT["en"]["outside"]) == "12"
    page.get_by_label("Category", exact=True).select_option(
        label="Affirmative relief and non-detained removal defense"
    )
    page.get_by_role("button", name="Show").click()
    assert _outside_value(page, TEXT["en"]["outside"]) == "2"
    cost = page.get_by_role("region", name="Cost per case, by category").first
    expect(cost).to_contain_text("$0.00")

    # A period that ends before it starts: a message, the figures unchanged by it.
    page.get_by_label("From (YYYY-MM-DD)").fill("2025-12-31")
    page.get_by_label("To (YYYY-MM-DD)").fill("2025-01-01")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("alert")).to_contain_text("must be after")


def _outside_value(page: Page, label: str) -> str:
    """The figure of the cases started outside the help line (a term and its definition)."""
    value = page.locator("dt", has_text=label).locator("xpath=following-sibling::dd[1]")
    return value.inner_text().splitlines()[0].strip()


def _program_id(name: str) -> int:
    from amparo.organizations.models import Program

    return Program.objects.get(name=name).pk
