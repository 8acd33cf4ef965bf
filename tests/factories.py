"""Factories for synthetic people and organizations (Faker; never real data)."""

from __future__ import annotations

import datetime
from typing import Any

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import transaction
from django.utils import timezone
from faker import Faker

from amparo.accounts.models import User
from amparo.accounts.roles import Role
from amparo.accounts.services import donor_account_prepare
from amparo.core.services import SYSTEM
from amparo.donations.donor_accounts import donor_account_link
from amparo.donations.models import Donor
from amparo.grants.models import RoundStatus
from amparo.grants.services import application_save, round_create
from amparo.ledger import chart
from amparo.ledger.models import Restriction, RestrictionKind
from amparo.ledger.services import PostingSpec, entry_post, restriction_ensure
from amparo.organizations.models import (
    AttorneyProfile,
    Fund,
    GrantCategory,
    Membership,
    Office,
    PracticeArea,
    Program,
    ProviderOrganization,
)

PASSWORD = "correct-horse-battery-staple"
_fake = Faker()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    role = Role.FUND_ADMIN
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


def enrol_totp(user: User, secret: str | None = None) -> str:
    """Give ``user`` a TOTP authenticator; returns its base32 secret."""
    secret = secret or generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


class FundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fund

    holder = "Test City Community Trust"


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    fund = factory.SubFactory(FundFactory)
    name = factory.Sequence(lambda n: f"Program {n}")
    slug = factory.Sequence(lambda n: f"program-{n}")
    categories = factory.LazyFunction(lambda: [GrantCategory.DETAINED_REMOVAL])


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProviderOrganization

    name = factory.Sequence(lambda n: f"Legal Services {n}")
    slug = factory.Sequence(lambda n: f"legal-services-{n}")


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    organization = factory.SubFactory(OrganizationFactory)
    name = "Main office"
    city = "Denver"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory, role=Role.ATTORNEY)
    organization = factory.SubFactory(OrganizationFactory)


class AttorneyProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AttorneyProfile

    user = factory.SubFactory(UserFactory, role=Role.ATTORNEY)
    organization = factory.SubFactory(OrganizationFactory)
    eoir_id = factory.Sequence(lambda n: f"EOIR{n:05d}")
    languages = factory.LazyFunction(lambda: ["en", "es"])
    practice_areas = factory.LazyFunction(
        lambda: [PracticeArea.DETAINED_REMOVAL, PracticeArea.ASYLUM]
    )
    capacity = 20


def city_restriction() -> Restriction:
    """The city's public money, restricted to detained removal defense (made once)."""
    return restriction_ensure(
        slug="city-detained",
        name="City: detained removal defense",
        kind=RestrictionKind.PUBLIC,
        grant_categories=["detained_removal"],
        by=SYSTEM,
    )


def appropriation_post(
    restriction: Restriction,
    amount: int,
    *,
    on: datetime.date,
    memo: str = "City appropriation",
    source_ref: str = "CITY-1",
) -> None:
    """Public money received into ``restriction`` (cash in, public funds) on ``on``."""
    entry_post(
        postings=[
            PostingSpec(chart.CASH, amount, "USD", restriction),
            PostingSpec(chart.PUBLIC_FUNDS, -amount, "USD", restriction),
        ],
        memo=memo,
        effective_date=on,
        by=SYSTEM,
        source="appropriation",
        source_ref=source_ref,
    )


def city_money(
    *,
    amount: int = 25_000_000,
    on: datetime.date | None = None,
    memo: str = "City appropriation, first quarter",
    source_ref: str = "CITY-Q1",
) -> Restriction:
    """The city's appropriation posted to the books (cash in, public funds), restricted to
    detained removal defense: $250,000.00 five days ago unless told otherwise."""
    city = city_restriction()
    appropriation_post(
        city,
        amount,
        on=on or timezone.localdate() - datetime.timedelta(days=5),
        memo=memo,
        source_ref=source_ref,
    )
    return city


def open_round(restriction: Restriction, *, by: User, name: str = "Detained defense 2026") -> Any:
    """A grant round open for applications today (opened 10 days ago, closing in 10)."""
    today = timezone.localdate()
    grant_round = round_create(
        name=name,
        budget=10_000_000,
        opens_on=today - datetime.timedelta(days=10),
        closes_on=today + datetime.timedelta(days=10),
        restriction=restriction,
        categories=["detained_removal"],
        # Tests fund the restriction as each needs; the round is budgeted ahead of the money.
        budget_override="Budgeted ahead of the city's payments.",
        by=by,
    )
    grant_round.status = RoundStatus.OPEN
    grant_round.save()
    return grant_round


def grant_application(grant_round: Any, organization: ProviderOrganization, *, by: User) -> Any:
    """``organization``'s application to ``grant_round`` for detained removal defense."""
    return application_save(
        grant_round=grant_round,
        organization=organization,
        category="detained_removal",
        narrative="We represent detained people at the local facility.",
        budget_lines=[("Two attorneys", 6_000_000), ("Interpreters", 1_000_000)],
        by=by,
    )


def donor_account(email: str = "", name: str = "", language: str = "en") -> tuple[User, Donor]:
    """A donor with an account, made as a fund administrator's invitation makes one: the account
    holds a digest address only; the donor record holds the address and name, encrypted."""
    email = email or _fake.unique.email()
    name = name or _fake.name()
    with transaction.atomic():
        user, _created = donor_account_prepare(email=email, language=language)
        donor = donor_account_link(user=user, email=email, name=name, language=language, by=SYSTEM)
    return user, donor
