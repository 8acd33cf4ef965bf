"""Factories for synthetic people and organizations (Faker; never real data)."""

from __future__ import annotations

import datetime

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone

from amparo.accounts.models import User
from amparo.accounts.roles import Role
from amparo.core.services import SYSTEM
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


def city_money(
    *,
    amount: int = 25_000_000,
    on: datetime.date | None = None,
    memo: str = "City appropriation, first quarter",
    source_ref: str = "CITY-Q1",
) -> Restriction:
    """The city's appropriation posted to the books (cash in, public funds), restricted to
    detained removal defense: $250,000.00 five days ago unless told otherwise."""
    city = restriction_ensure(
        slug="city-detained",
        name="City: detained removal defense",
        kind=RestrictionKind.PUBLIC,
        grant_categories=["detained_removal"],
        by=SYSTEM,
    )
    entry_post(
        postings=[
            PostingSpec(chart.CASH, amount, "USD", city),
            PostingSpec(chart.PUBLIC_FUNDS, -amount, "USD", city),
        ],
        memo=memo,
        effective_date=on or timezone.localdate() - datetime.timedelta(days=5),
        by=SYSTEM,
        source="appropriation",
        source_ref=source_ref,
    )
    return city
