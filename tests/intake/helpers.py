"""Shared fixtures for the intake and referrals tests: throwaway keys, a configured program,
attorneys, synthetic people.

factory_boy's factories are untyped; they are re-exported here as ``Any`` so that typed tests
can call them.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from faker import Faker

import tests.factories as _factories
from amparo.accounts.roles import Role
from amparo.core.services import SYSTEM
from amparo.core.terms import Custody
from amparo.intake.models import ContactMethod, HelpRequest, IntakePolicy
from amparo.intake.services import RequestData, Submission, help_request_submit
from amparo.organizations.models import Office, PracticeArea
from amparo.referrals.models import Referral
from amparo.referrals.services import referral_route

AttorneyProfileFactory: Any = _factories.AttorneyProfileFactory
MembershipFactory: Any = _factories.MembershipFactory
OrganizationFactory: Any = _factories.OrganizationFactory
ProgramFactory: Any = _factories.ProgramFactory
UserFactory: Any = _factories.UserFactory
enrol_totp: Callable[..., str] = _factories.enrol_totp

FACILITY = "Front Range Processing Center"
COURT = "Denver Immigration Court"

Provider = tuple[Any, Any, Any]
MakeProvider = Callable[..., Provider]
Submit = Callable[..., Submission]


@pytest.fixture(autouse=True)
def vault_keys(tmp_path: Path, settings: Any) -> Path:
    """Each test gets its own key folder: a fresh KEK and blind-index root."""
    folder = tmp_path / "keys"
    settings.AMPARO = {
        **settings.AMPARO,
        "KEK_FILE": str(folder / "kek.key"),
        "BLIND_INDEX_KEY_FILE": None,
    }
    return folder


@pytest.fixture(autouse=True)
def fresh_rules_cache() -> Iterator[None]:
    """Each test reads programs' rules and poverty tables from its own database."""
    from amparo.intake.policy import forget_cached_rules

    forget_cached_rules()
    yield
    forget_cached_rules()


@pytest.fixture
def fake() -> Faker:
    faker = Faker(["es_MX", "en_US"])
    faker.seed_instance(5150)
    return faker


@pytest.fixture
def policy(db: Any) -> IntakePolicy:
    """A Denver-like program: 200% of the 2025 guidelines, three counties, one local facility."""
    return IntakePolicy.objects.create(
        program=ProgramFactory(name="Detained and removal defense", slug="defense"),
        poverty_year=2025,
        counties=["Denver", "Adams", "Arapahoe"],
        zip_codes=["80203", "80010"],
        facilities=[
            {"name": FACILITY, "county": "Adams", "local": True},
            {"name": "Far Away Detention Center", "county": "Elsewhere", "local": False},
        ],
        courts=[COURT],
        interpreter_languages=["quc", "mam"],
        referrals_elsewhere={
            "en": "Call the state bar's referral line.",
            "es": "Llame a la línea de referencias del colegio de abogados.",
        },
    )


_counter = itertools.count(1)


@pytest.fixture
def make_provider(db: Any) -> MakeProvider:
    """make_provider(languages=..., areas=..., counties=..., capacity=...) -> (org, admin, profile)."""

    def _make(
        *,
        languages: tuple[str, ...] = ("en", "es"),
        practice_areas: tuple[str, ...] = (
            PracticeArea.DETAINED_REMOVAL,
            PracticeArea.NON_DETAINED_REMOVAL,
        ),
        counties: tuple[str, ...] = ("Denver", "Adams"),
        capacity: int = 10,
        accepting: bool = True,
        name: str | None = None,
    ) -> Provider:
        n = next(_counter)
        org = OrganizationFactory(name=name or f"Provider {n}", accepting_new_cases=accepting)
        Office.objects.create(
            organization=org, name="Main", city="Denver", counties_served=list(counties)
        )
        admin = UserFactory(role=Role.PROVIDER_ADMIN)
        enrol_totp(admin)
        MembershipFactory(user=admin, organization=org)
        attorney = UserFactory(role=Role.ATTORNEY)
        enrol_totp(attorney)
        MembershipFactory(user=attorney, organization=org)
        profile = AttorneyProfileFactory(
            user=attorney,
            organization=org,
            languages=list(languages),
            practice_areas=list(practice_areas),
            capacity=capacity,
        )
        return org, admin, profile

    return _make


def request_data(fake: Faker, **overrides: Any) -> RequestData:
    values: dict[str, Any] = {
        "name": fake.name(),
        "custody": Custody.DETAINED,
        "contact_method": ContactMethod.RELATIVE,
        "language": "es",
        "spoken_language": "es",
        "facility": FACILITY,
        "a_number": f"A{fake.random_int(10**8, 10**9 - 1):09d}",
        "zip_code": "80203",
        "county": "Denver",
        "household_size": 3,
        "income_low": 20_000,
        "income_high": 20_000,
        "relative_name": fake.name(),
        "relative_phone": f"303-555-{fake.random_int(0, 9999):04d}",
        "next_hearing": timezone.localdate() + datetime.timedelta(days=20),
        "court": COURT,
    }
    values.update(overrides)
    return RequestData(**values)


@pytest.fixture
def submit(db: Any, fake: Faker, policy: IntakePolicy) -> Submit:
    """submit(**overrides) -> a Submission made through the real service (public source)."""

    def _submit(source: str = "public", by: Any = SYSTEM, **overrides: Any) -> Submission:
        return help_request_submit(data=request_data(fake, **overrides), source=source, by=by)

    return _submit


def route(help_request: HelpRequest) -> Referral:
    """Route ``help_request`` and return the referral sent (the test expects one)."""
    referral = referral_route(help_request=help_request, by=SYSTEM)
    assert referral is not None, "no provider could take the request"
    return referral
