"""The demo's steps: the context they share, the registry they join, and the run of them all
in one transaction."""

from __future__ import annotations

import datetime
import random
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.text import slugify
from faker import Faker

from amparo.accounts.models import User
from amparo.accounts.roles import PROVIDER_ROLES
from amparo.organizations.models import (
    AttorneyProfile,
    Fund,
    Membership,
    Program,
    ProviderOrganization,
)

#: The Faker seed of the demo: the same names, organizations and numbers on every machine.
DEMO_SEED = 20260415


@dataclass
class DemoContext:
    """What the steps share: seeded randomness, and the rows earlier steps created."""

    seed: int = DEMO_SEED
    fake: Faker = field(init=False)
    fake_es: Faker = field(init=False)
    rng: random.Random = field(init=False)
    fund: Fund | None = None
    programs: dict[str, Program] = field(default_factory=dict)
    organizations: list[ProviderOrganization] = field(default_factory=list)
    users: dict[str, list[User]] = field(default_factory=dict)
    attorneys: list[AttorneyProfile] = field(default_factory=list)
    #: Room for later steps to leave rows for the steps after them.
    extra: dict[str, Any] = field(default_factory=dict)
    #: The moment the demo is made, and that moment's date in the fund's time zone: every step
    #: dates things from these, so a demo made near midnight (UTC or local) has one "today".
    now: datetime.datetime = field(default_factory=timezone.now)
    today: datetime.date = field(init=False)
    _emails: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.today = fund_date(self.now)
        self.fake = Faker("en_US")
        self.fake.seed_instance(self.seed)
        self.fake_es = Faker("es_MX")
        self.fake_es.seed_instance(self.seed + 1)
        self.rng = random.Random(self.seed)

    def person_name(self) -> tuple[str, str]:
        """A first and last name; about half Spanish-speaking, as in a Denver-like city."""
        fake = self.fake_es if self.rng.random() < 0.5 else self.fake
        return fake.first_name(), fake.last_name()

    def unique_email(self, first: str, last: str, domain: str) -> str:
        base = f"{ascii_slug(first)}.{ascii_slug(last)}"
        email, n = f"{base}@{domain}", 1
        while email in self._emails or User.objects.filter(email=email).exists():
            n += 1
            email = f"{base}{n}@{domain}"
        self._emails.add(email)
        return email

    def add_user(
        self, *, role: str, domain: str, organization: ProviderOrganization | None = None
    ) -> User:
        """A demo user of ``role``: verified email, enrolled in TOTP, no password yet.

        Passwords and API tokens are issued by :func:`demo_credentials_ensure`, which writes
        them to the credentials file: they are never known to the seed.
        """
        first, last = self.person_name()
        user = demo_user_create(
            role=role,
            first_name=first,
            last_name=last,
            email=self.unique_email(first, last, domain),
            organization=organization,
        )
        self.users.setdefault(role, []).append(user)
        return user


def fund_date(moment: datetime.datetime) -> datetime.date:
    """``moment``'s date where the fund is (``TIME_ZONE``), whatever zone is active."""
    return timezone.localdate(moment, timezone.get_default_timezone())


DemoStepFunc = Callable[[DemoContext], None]


@dataclass(frozen=True)
class DemoStep:
    name: str
    order: int
    run: DemoStepFunc


_STEPS: dict[str, DemoStep] = {}


def register_demo_step(name: str, func: DemoStepFunc, *, order: int) -> None:
    """Add (or replace) the step ``name``; steps run by ascending ``order``, then name.

    Core steps use orders 10 to 40; requests, cases, donations and grants should follow them.
    """
    _STEPS[name] = DemoStep(name=name, order=order, run=func)


def unregister_demo_step(name: str) -> None:
    """Remove the step ``name`` (for tests, or an app that replaces a core step's data)."""
    _STEPS.pop(name, None)


def demo_step(name: str, *, order: int) -> Callable[[DemoStepFunc], DemoStepFunc]:
    """Decorator form of :func:`register_demo_step`."""

    def deco(func: DemoStepFunc) -> DemoStepFunc:
        register_demo_step(name, func, order=order)
        return func

    return deco


def demo_steps() -> list[DemoStep]:
    """Every registered step, in the order they run (apps' ``demo`` modules included)."""
    autodiscover_modules("demo")
    return sorted(_STEPS.values(), key=lambda s: (s.order, s.name))


def demo_seed(*, seed: int = DEMO_SEED, steps: Iterable[DemoStep] | None = None) -> DemoContext:
    """Run every demo step in one transaction; returns the context the steps filled.

    Guarantees: all or nothing (a failing step leaves the database as it was); the same
    ``seed`` gives the same names and numbers. It does not check whether the demo is already
    there: ``amparo demo`` calls it only when the database has no fund.
    """
    ctx = DemoContext(seed=seed)
    with transaction.atomic():
        for step in demo_steps() if steps is None else steps:
            step.run(ctx)
    return ctx


# --- Writes used by the steps ----------------------------------------------------------------


@transaction.atomic
def demo_user_create(
    *,
    role: str,
    first_name: str,
    last_name: str,
    email: str,
    organization: ProviderOrganization | None = None,
    totp_secret: str | None = None,
) -> User:
    """Create a demo user (``is_demo=True``) with a verified primary email and a TOTP device.

    The password is unusable until credentials are issued. A provider role gets an active
    membership of ``organization``.
    """
    if role in PROVIDER_ROLES and organization is None:
        raise ValueError("A provider role needs an organization.")
    user = User(
        email=email.lower(), first_name=first_name, last_name=last_name, role=role, is_demo=True
    )
    user.set_unusable_password()
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    TOTP.activate(user, totp_secret or generate_totp_secret())
    if organization is not None:
        Membership.objects.create(user=user, organization=organization)
    return user


def ascii_slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return slugify(folded).replace("-", "") or "user"


# --- The core steps --------------------------------------------------------------------------
