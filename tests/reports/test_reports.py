"""Impact figures on a small known dataset, and the pages that show them."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone
from faker import Faker

from amparo.accounts.roles import Role
from amparo.cases.latest import latest_outcomes_sync
from amparo.cases.models import Case, Outcome
from amparo.cases.services import case_open
from amparo.core.services import SYSTEM
from amparo.intake import codes
from amparo.intake.models import HelpRequest
from amparo.reports import metrics, presentation, snapshots
from amparo.vault.services import subject_create
from tests.clock import frozen
from tests.factories import OrganizationFactory

pytestmark = frozen

fake = Faker()


def _case(org: Any, lead: Any, custody: str, outcome: str | None = None, relief: str = "") -> Case:
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
        custody=custody,
        court="Denver Immigration Court",
    )
    if outcome:
        Outcome.objects.create(
            case=case,
            kind=outcome,
            relief=relief,
            decided_by="ij",
            decision_date=datetime.date(2025, 1, 10),
        )
        # written directly, as a seed does: the case's latest outcome follows the same way
        latest_outcomes_sync(Case.objects.filter(pk=case.pk))
    return case


def _request(eligibility: str) -> HelpRequest:
    return HelpRequest.objects.create(
        reference=codes.new_reference(),
        status_code_hash=codes.status_code_hash(secrets.token_hex(8)),
        source="web",
        spoken_language="es",
        custody="detained",
        eligibility=eligibility,
        state="waiting",
        created_at=timezone.now(),
        subject=subject_create(kind="client"),
    )


@pytest.fixture
def dataset(db: Any, make_user: Any) -> dict[str, Any]:
    cache.clear()
    org = OrganizationFactory()
    lead = make_user(Role.ATTORNEY, org=org)
    cases = []
    # detained: 3 relief (asylum), 1 removal, 2 released, 1 kept detained
    for _ in range(3):
        cases.append(_case(org, lead, "detained", "relief_granted", "asylum"))
    cases.append(_case(org, lead, "detained", "removal_order"))
    cases.append(_case(org, lead, "detained", "released"))
    cases.append(_case(org, lead, "detained", "released"))
    cases.append(_case(org, lead, "detained", "kept_detained"))
    # never detained: 1 terminated, 1 open
    cases.append(_case(org, lead, "never_detained", "terminated"))
    cases.append(_case(org, lead, "never_detained"))
    _request("eligible")
    _request("eligible")
    _request("ineligible")
    return {"org": org, "lead": lead, "cases": cases}


def test_metrics_by_hand(dataset: dict[str, Any]) -> None:
    m = metrics.compute()
    assert m.funnel["requests"] == 3
    assert m.funnel["eligible"] == 2
    # The cases were opened by the provider, not born from a request: counted apart.
    assert m.funnel["represented"] == 0
    assert m.outside == 9
    assert m.completed == 5  # 3 relief + 1 removal + 1 terminated
    assert m.relief == 3
    assert m.relief_rate == pytest.approx(0.6)
    assert m.custody_decisions == 3
    assert m.release_rate == pytest.approx(2 / 3)
    assert m.relief_types["asylum"] == 3
    # rows: never detained, detained, released;
    # columns: relief, protection, terminated, removal, other
    assert m.outcomes[0] == [0, 0, 1, 0, 0]
    assert m.outcomes[1] == [3, 0, 0, 1, 0]
    assert m.active_cases == 9
    assert m.attorneys == 1


def test_period_filter_excludes_everything_outside(dataset: dict[str, Any]) -> None:
    m = metrics.compute(
        metrics.Filters(start=datetime.date(2000, 1, 1), end=datetime.date(2000, 12, 31))
    )
    assert m.funnel["represented"] == 0
    assert m.funnel["requests"] == 0


@pytest.mark.parametrize("lang,heading", [("en", "Our impact"), ("es", "Nuestro impacto")])
def test_public_page_in_both_languages_hides_small_cells(
    dataset: dict[str, Any], client: Any, lang: str, heading: str
) -> None:
    client.cookies["amparo_language"] = lang
    response = client.get("/impact/", HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    html = response.content.decode()
    assert heading in html
    assert 'role="img"' in html and '<title id="funnel-title">' in html
    assert "Eagly" in html
    # every count is below 11 here: none may appear as a figure
    assert ">3<" not in html and ">9<" not in html
    for case in dataset["cases"]:
        assert case.reference not in html


def test_board_view_suppresses_and_dashboard_does_not(
    dataset: dict[str, Any], make_user: Any, client_for: Any
) -> None:
    board = client_for(make_user(Role.BOARD_MEMBER))
    html = board.get("/reports/board/").content.decode()
    assert ">9<" not in html
    admin = client_for(make_user(Role.FUND_ADMIN))
    html = admin.get("/reports/").content.decode()
    assert ">9<" in html
    assert board.get("/reports/").status_code == 404


def test_dashboard_refuses_a_backwards_period(
    dataset: dict[str, Any], make_user: Any, client_for: Any
) -> None:
    admin = client_for(make_user(Role.FUND_ADMIN))
    response = admin.get("/reports/", {"start": "2025-05-01", "end": "2025-01-01"})
    assert response.status_code == 400
    assert "must be after" in response.content.decode()
    response = admin.get("/reports/", {"start": "not a date"})
    assert response.status_code == 400


def test_csv_export_carries_no_protected_data(
    dataset: dict[str, Any], make_user: Any, client_for: Any
) -> None:
    admin = client_for(make_user(Role.FUND_ADMIN))
    response = admin.get("/reports/board.csv")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Relief rate" in body
    for case in dataset["cases"]:
        assert case.reference not in body
        assert case.client.a_number not in body
        assert case.client.name not in body


def test_public_noise_is_fixed_consistent_and_only_public(
    dataset: dict[str, Any], client: Any, settings: Any
) -> None:
    settings.AMPARO_IMPACT_DP_EPSILON = 0.1
    settings.AMPARO_SMALL_CELL_THRESHOLD = 1  # nothing hidden: every noised figure is visible
    first = snapshots.public_published()
    again = snapshots.public_published()
    assert first.noised and first.values == again.values  # no fresh noise to average away
    truth = presentation.publish(metrics.compute(), protect=True)  # the board: no noise
    assert not truth.noised and truth.values["outside"] == 9
    assert first.values != truth.values  # 0.1 is a lot of noise: some figure moved
    v = first.values
    # still one consistent page: rows and columns add up, the funnel is nested
    for c in metrics.CUSTODY_ROWS:
        assert v[f"out:{c}:total"] == sum(
            v[f"out:{c}:{col}"] or 0 for col in metrics.OUTCOME_COLUMNS
        )
    assert v["out:total:total"] == sum(v[f"out:{c}:total"] or 0 for c in metrics.CUSTODY_ROWS)
    assert presentation.funnel_nested(v)
    cache.clear()
    html = client.get("/impact/").content.decode()
    assert "differential privacy" in html


def test_the_threshold_is_a_setting(dataset: dict[str, Any], settings: Any) -> None:
    settings.AMPARO_SMALL_CELL_THRESHOLD = 3
    v = presentation.publish(metrics.compute(), protect=True).values
    assert v["relief:asylum"] == 3  # 3 is not below 3
    assert v["out:never_detained:terminated"] is None  # 1 is
    settings.AMPARO_SMALL_CELL_THRESHOLD = 11
    v = presentation.publish(metrics.compute(), protect=True).values
    assert v["relief:asylum"] is None


def test_dashboard_by_grant_and_its_csv(
    dataset: dict[str, Any], make_user: Any, client_for: Any
) -> None:
    from amparo.grants.models import Application, Award, GrantRound
    from amparo.ledger.services import restriction_ensure

    city = restriction_ensure(slug="city-d", name="City: detained removal defense", by=SYSTEM)
    today = timezone.localdate()
    grant_round = GrantRound.objects.create(
        name="Round one",
        budget=10_000_000,
        opens_on=today,
        closes_on=today,
        restriction=city,
        categories=["detained_removal"],
    )
    application = Application.objects.create(
        round=grant_round,
        organization=dataset["org"],
        category="detained_removal",
        narrative="Detained defense.",
    )
    award = Award.objects.create(application=application, amount=5_000_000)
    other = OrganizationFactory()
    admin = client_for(make_user(Role.FUND_ADMIN))
    response = admin.get("/reports/", {"grant": award.pk})
    assert response.status_code == 200
    m = response.context["values"]
    assert m["outside"] == 7  # the grantee's 7 detained cases, not its 2 others
    refused = admin.get("/reports/", {"grant": award.pk, "provider": other.pk})
    assert refused.status_code == 400
    assert "another provider" in refused.content.decode()
    body = admin.get("/reports/dashboard.csv", {"grant": award.pk}).content.decode()
    assert "Started outside the help line (a provider's own intake or a transfer),7" in body
    for case in dataset["cases"]:
        assert case.reference not in body and case.client.name not in body
    bad = admin.get("/reports/dashboard.csv", {"start": "2025-05-01", "end": "2025-01-01"})
    assert bad.status_code == 400 and "must be after" in bad.content.decode()
    board = client_for(make_user(Role.BOARD_MEMBER))
    assert board.get("/reports/dashboard.csv").status_code == 404


def test_a_request_referred_twice_to_one_provider_counts_once(dataset: dict[str, Any]) -> None:
    from amparo.referrals.models import Referral

    request = _request("eligible")
    for attempt, status in ((1, "expired"), (2, "accepted")):
        Referral.objects.create(
            help_request=request,
            organization=dataset["org"],
            status=status,
            method="single",
            attempt=attempt,
            conflict="clear",
            due_at=timezone.now(),
        )
    m = metrics.compute(metrics.Filters(organization_id=dataset["org"].pk))
    assert m.funnel["requests"] == 1
    assert m.funnel["referred"] == m.funnel["accepted"] == 1
