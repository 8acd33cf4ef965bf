"""Fixtures for cases, deadlines and reminders: organizations, people and cases, all synthetic."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import pytest
from faker import Faker

from amparo.accounts.models import User
from amparo.accounts.roles import Role
from amparo.cases.models import Case
from amparo.cases.services import case_open
from amparo.organizations.models import ProviderOrganization
from amparo.vault.services import subject_create
from tests.factories import AttorneyProfileFactory, OrganizationFactory


@pytest.fixture(autouse=True)
def vault_keys(tmp_path: Path, settings: Any) -> Path:
    """Each test gets its own key folder: a fresh KEK and blind-index root, created on first use."""
    folder = tmp_path / "keys"
    settings.AMPARO = {
        **settings.AMPARO,
        "KEK_FILE": str(folder / "kek.key"),
        "BLIND_INDEX_KEY_FILE": None,
    }
    return folder


@pytest.fixture
def fake() -> Faker:
    faker = Faker(["es_MX", "en_US"])
    faker.seed_instance(20260604)
    return faker


@pytest.fixture
def attorney_of(make_user: Callable[..., User]) -> Callable[..., User]:
    """attorney_of(org) -> an attorney with a profile and an active membership of ``org``."""

    def _make(org: ProviderOrganization, **kwargs: Any) -> User:
        user = make_user(Role.ATTORNEY, org=org, **kwargs)
        AttorneyProfileFactory(user=user, organization=org)  # type: ignore[no-untyped-call]
        return user

    return _make


@pytest.fixture
def admin_of(make_user: Callable[..., User]) -> Callable[..., User]:
    """admin_of(org) -> a provider admin of ``org``."""

    def _make(org: ProviderOrganization, **kwargs: Any) -> User:
        return make_user(Role.PROVIDER_ADMIN, org=org, **kwargs)

    return _make


@pytest.fixture
def other_org(db: Any) -> ProviderOrganization:
    return cast(ProviderOrganization, OrganizationFactory())  # type: ignore[no-untyped-call]


@pytest.fixture
def open_case(db: Any, fake: Faker) -> Callable[..., Case]:
    """open_case(org, lead, by=lead, **overrides) -> a new case of a synthetic client."""

    def _open(
        org: ProviderOrganization,
        lead: User | None = None,
        by: User | None = None,
        client: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> Case:
        values: dict[str, Any] = {
            "name": fake.name(),
            "a_number": f"A{fake.random_int(10**8, 10**9 - 1):09d}",
            "phone": f"(303) 555-{fake.random_int(0, 9999):04d}",
            "email": fake.unique.email(),
            "date_of_birth": datetime.date(1990, 4, 1),
            "country_of_birth": "Honduras",
        }
        values.update(client or {})
        options: dict[str, Any] = {"custody": "never_detained", "court": "Denver Immigration Court"}
        options.update(kwargs)
        return case_open(
            organization=org,
            lead_attorney=lead,
            subject=subject_create(kind="client"),
            client=values,
            by=cast(User, by or lead),
            **options,
        )

    return _open
