"""The demo fund: synthetic data for ``amparo demo``, and the credentials to sign in to it.

Seeding is a list of steps run in order inside one transaction. The core steps create the fund,
its programs, provider organizations with offices, staff of every role and attorneys. Later apps
add their own data (requests, cases, donations, grants) by registering a step, either in a
module ``amparo/<app>/demo.py`` (found automatically) or from ``AppConfig.ready()``::

    from amparo.core.demo import DemoContext, demo_step

    @demo_step("cases", order=60)
    def seed_cases(ctx: DemoContext) -> None:
        for attorney in ctx.attorneys: ...

A step reads what earlier steps made from the context (``ctx.fund``, ``ctx.programs``,
``ctx.organizations``, ``ctx.users``, ``ctx.attorneys``) and uses ``ctx.fake`` / ``ctx.rng``,
which are seeded, so that the demo is the same on every machine. Everything is synthetic.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import random
import secrets
import unicodedata
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.utils import decrypt
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.text import slugify
from faker import Faker

from amparo.accounts.models import ApiToken, User
from amparo.accounts.roles import PROVIDER_ROLES, Role
from amparo.accounts.services import api_token_create
from amparo.organizations.models import (
    AttorneyProfile,
    Fund,
    GrantCategory,
    Membership,
    Office,
    PracticeArea,
    Program,
    ProviderOrganization,
    RepresentativeKind,
)

#: The Faker seed of the demo: the same names, organizations and numbers on every machine.
DEMO_SEED = 20260415
#: The name of the API token made for each demo user (older ones are revoked on rotation).
DEMO_TOKEN_NAME = "Demo"
#: The keys of one entry of ``var/demo/credentials.json``, in order.
CREDENTIAL_KEYS = ("role", "email", "password", "totp_secret", "api_token", "organization")

FUND_NAME = "Front Range Immigrant Legal Services Fund"
FUND_HOLDER = "Cottonwood Community Trust"
FUND_CITY = "Denver"
FUND_DOMAIN = "frontrangefund.example.org"
DONOR_DOMAIN = "example.net"


# --- The registry of steps -------------------------------------------------------------------


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
    _emails: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
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
        base = f"{_ascii_slug(first)}.{_ascii_slug(last)}"
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


def _ascii_slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return slugify(folded).replace("-", "") or "user"


# --- The core steps --------------------------------------------------------------------------


@demo_step("fund", order=10)
def _seed_fund(ctx: DemoContext) -> None:
    ctx.fund = Fund.objects.create(
        name=FUND_NAME, city=FUND_CITY, holder=FUND_HOLDER, hotline_phone="(303) 555-0100"
    )
    ctx.programs["detained-removal-defense"] = Program.objects.create(
        fund=ctx.fund,
        name="Detained and removal defense",
        slug="detained-removal-defense",
        description=(
            "Universal representation for people detained at the regional immigration "
            "detention facility, and removal defense and affirmative relief for people who "
            "are not detained."
        ),
        categories=[GrantCategory.DETAINED_REMOVAL, GrantCategory.AFFIRMATIVE_NON_DETAINED],
    )
    ctx.programs["capacity-and-fees"] = Program.objects.create(
        fund=ctx.fund,
        name="Capacity and fees",
        slug="capacity-and-fees",
        description=(
            "Grants that grow the number of attorneys and accredited representatives, and "
            "pay filing and legal fees for clients who cannot afford them."
        ),
        categories=[GrantCategory.CAPACITY_BUILDING, GrantCategory.FILING_FEES],
    )


@dataclass(frozen=True)
class _OrgProfile:
    pattern: str
    description: str
    areas: tuple[str, ...]
    offices: tuple[tuple[str, str, tuple[str, ...]], ...]  # (name, city, counties)
    see_all_cases: bool


_A = PracticeArea
_ORG_PROFILES = (
    _OrgProfile(
        "{} Detention Defense Project",
        "Represents people held at the regional detention facility, from bond to appeal.",
        (_A.DETAINED_REMOVAL, _A.BOND, _A.ASYLUM, _A.APPEALS),
        (("Aurora office", "Aurora", ("Arapahoe", "Adams")),),
        True,
    ),
    _OrgProfile(
        "{} Immigrant Legal Center",
        "Removal defense and affirmative relief for families across the metro area.",
        (
            _A.NON_DETAINED_REMOVAL,
            _A.ASYLUM,
            _A.DACA,
            _A.TPS,
            _A.FAMILY_PETITIONS,
            _A.NATURALIZATION,
        ),
        (
            ("Denver office", "Denver", ("Denver",)),
            ("Lakewood office", "Lakewood", ("Jefferson",)),
        ),
        False,
    ),
    _OrgProfile(
        "{} Refugee and Asylum Project",
        "Asylum, withholding and protection under the Convention Against Torture.",
        (_A.ASYLUM, _A.NON_DETAINED_REMOVAL, _A.APPEALS, _A.SIJS),
        (("Denver office", "Denver", ("Denver", "Adams")),),
        False,
    ),
    _OrgProfile(
        "{} Family Immigration Services",
        "Humanitarian relief for survivors and children; DACA and naturalization clinics.",
        (_A.DACA, _A.TPS, _A.U_T_VISA, _A.VAWA, _A.FAMILY_PETITIONS, _A.NATURALIZATION, _A.SIJS),
        (
            ("Greeley office", "Greeley", ("Weld", "Larimer")),
            ("Boulder office", "Boulder", ("Boulder", "Broomfield")),
        ),
        True,
    ),
    _OrgProfile(
        "{} Justice Network",
        "A legal network of staff and pro bono attorneys taking detained and non-detained cases.",
        (_A.DETAINED_REMOVAL, _A.BOND, _A.NON_DETAINED_REMOVAL, _A.U_T_VISA),
        (
            ("Denver office", "Denver", ("Denver",)),
            ("Colorado Springs office", "Colorado Springs", ("El Paso", "Pueblo")),
        ),
        False,
    ),
)


@demo_step("organizations", order=20)
def _seed_organizations(ctx: DemoContext) -> None:
    phone = 101
    for profile in _ORG_PROFILES:
        name = profile.pattern.format(ctx.fake.last_name())
        slug = slugify(name)
        org = ProviderOrganization.objects.create(
            name=name,
            slug=slug,
            description=profile.description,
            website=f"https://{slug}.example.org",
            public_phone=f"(303) 555-{phone:04d}",
            attorneys_see_all_org_cases=profile.see_all_cases,
        )
        phone += 1
        for office_name, city, counties in profile.offices:
            Office.objects.create(
                organization=org,
                name=office_name,
                address=ctx.fake.street_address(),
                city=city,
                state="CO",
                zip_code=f"80{ctx.rng.randint(10, 99)}{ctx.rng.randint(0, 9)}",
                phone=f"(303) 555-{phone:04d}",
                counties_served=list(counties),
            )
            phone += 1
        ctx.extra.setdefault("practice_areas", {})[org.pk] = profile.areas
        ctx.organizations.append(org)


@demo_step("staff", order=30)
def _seed_staff(ctx: DemoContext) -> None:
    for role, count in (
        (Role.FUND_ADMIN, 1),
        (Role.BOARD_MEMBER, 2),
        (Role.INTAKE_WORKER, 2),
    ):
        for _ in range(count):
            ctx.add_user(role=role, domain=FUND_DOMAIN)
    for org in ctx.organizations:
        ctx.add_user(role=Role.PROVIDER_ADMIN, domain=f"{org.slug}.example.org", organization=org)
    for _ in range(2):
        ctx.add_user(role=Role.DONOR, domain=DONOR_DOMAIN)


#: Languages beyond English and Spanish, in the order the attorneys get them: every one of
#: these is spoken by at least one demo attorney (Mayan languages by ISO 639-3 code).
_EXTRA_LANGUAGES = ("quc", "mam", "ht", "fr", "pt", "ar", "am", "ru", "ti", "uk", "so", "fa", "wo")
DEMO_ATTORNEY_COUNT = 25


@demo_step("attorneys", order=40)
def _seed_attorneys(ctx: DemoContext) -> None:
    orgs = ctx.organizations
    if not orgs:
        return
    for i in range(DEMO_ATTORNEY_COUNT):
        org = orgs[i % len(orgs)]
        user = ctx.add_user(role=Role.ATTORNEY, domain=f"{org.slug}.example.org", organization=org)
        # About one in five is a DOJ accredited representative (no bar number).
        accredited = i % 5 == 4
        languages = ["en"]
        if ctx.rng.random() < 0.75:
            languages.append("es")
        if i < len(_EXTRA_LANGUAGES):
            languages.append(_EXTRA_LANGUAGES[i])
        if ctx.rng.random() < 0.15:
            languages.append(ctx.rng.choice(_EXTRA_LANGUAGES))
        areas: tuple[str, ...] = ctx.extra.get("practice_areas", {}).get(
            org.pk, (PracticeArea.ASYLUM, PracticeArea.NON_DETAINED_REMOVAL)
        )
        k = ctx.rng.randint(min(2, len(areas)), min(4, len(areas)))
        profile = AttorneyProfile(
            user=user,
            organization=org,
            kind=RepresentativeKind.ACCREDITED_REP if accredited else RepresentativeKind.ATTORNEY,
            eoir_id="".join(ctx.rng.choices("ABCDEFGHJKLMNPRSTUVWXYZ", k=2))
            + f"{ctx.rng.randint(100000, 999999)}",
            bar_number="" if accredited else f"{ctx.rng.randint(10000, 59999)}",
            languages=list(dict.fromkeys(languages)),
            practice_areas=sorted(ctx.rng.sample(list(areas), k)),
            capacity=ctx.rng.choice((8, 10, 12, 15, 18, 20, 25, 30)),
            accepting_new_cases=ctx.rng.random() > 0.12,
        )
        profile.full_clean(exclude=["user", "organization"])
        profile.save()
        ctx.attorneys.append(profile)


# --- Credentials -----------------------------------------------------------------------------

_ROLE_ORDER = {role: i for i, role in enumerate(Role.values)}


def demo_users() -> list[User]:
    """The demo users who can sign in: ``is_demo``, active and enrolled in TOTP.

    Users made by ``amparo seed`` are demo users too (``amparo serve`` refuses them all), but
    they have no authenticator and never get credentials.
    """
    users = (
        User.objects.filter(
            is_demo=True, is_active=True, authenticator__type=Authenticator.Type.TOTP
        )
        .distinct()
        .prefetch_related("memberships__organization")
    )
    return sorted(users, key=lambda u: (_ROLE_ORDER.get(u.role, 99), u.email))


def _organization_slug(user: User) -> str | None:
    if user.role not in PROVIDER_ROLES:
        return None
    active = [m for m in user.memberships.all() if m.is_active and m.organization.is_active]
    return active[0].organization.slug if active else None


def _totp_secret(user: User) -> str | None:
    auth = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return decrypt(auth.data["secret"]) if auth is not None else None


def _check_password(pair: tuple[str, str]) -> bool:
    return check_password(pair[0], pair[1])


def _pool() -> ProcessPoolExecutor | None:
    """Processes for password hashing: PBKDF2 holds the GIL and takes a third of a second."""
    cpus = os.cpu_count() or 1
    if cpus < 2:
        return None
    return ProcessPoolExecutor(max_workers=cpus, mp_context=multiprocessing.get_context("fork"))


def _parallel(func: Callable[[Any], Any], items: list[Any]) -> list[Any]:
    pool = _pool() if len(items) > 3 else None
    if pool is None:
        return [func(item) for item in items]
    with pool:
        return list(pool.map(func, items))


def _all_parallel(func: Callable[[Any], bool], items: list[Any]) -> bool:
    """``all(map(func, items))`` over processes, stopping at the first False."""
    pool = _pool() if len(items) > 3 else None
    if pool is None:
        return all(func(item) for item in items)
    try:
        return all(pool.map(func, items))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _fingerprint_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.fingerprint")


def _fingerprint(path: Path, users: list[User]) -> dict[str, Any]:
    """What the file and the password hashes were when the credentials were issued."""
    return {
        "file_sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "password_hashes": {u.email: u.password for u in users},
    }


def demo_credentials_valid(entries: Any, *, fingerprint: Any = None) -> bool:
    """True when ``entries`` signs in every demo user, and only them, as the file says.

    Checks the role and organization, each TOTP secret against the enrolled device, each API
    token against an active token of that user, and each password against its hash. Hashing
    is slow by design: pass the ``fingerprint`` written when the file was issued only when the
    file is unchanged since, and the hashing is skipped if no password hash changed either
    (same file, same hashes: same passwords).
    """
    if not isinstance(entries, list):
        return False
    users = {u.email: u for u in demo_users()}
    if len(entries) != len(users):
        return False
    for entry in entries:
        if not isinstance(entry, dict) or set(entry) != set(CREDENTIAL_KEYS):
            return False
        if not all(isinstance(entry[k], str) for k in CREDENTIAL_KEYS if k != "organization"):
            return False
    if {e["email"] for e in entries} != set(users):
        return False
    for entry in entries:
        user = users[entry["email"]]
        if entry["role"] != user.role or entry["organization"] != _organization_slug(user):
            return False
        if entry["totp_secret"] != _totp_secret(user):
            return False
        token_ok = (
            ApiToken.objects.active()
            .filter(user=user, digest=ApiToken.digest_of(entry["api_token"]))
            .exists()
        )
        if not token_ok:
            return False
    if isinstance(fingerprint, dict) and fingerprint.get("password_hashes") == {
        email: u.password for email, u in users.items()
    }:
        return True
    return _all_parallel(
        _check_password, [(e["password"], users[e["email"]].password) for e in entries]
    )


def demo_password() -> str:
    """A fresh random password (16 URL-safe characters, about 96 bits)."""
    return secrets.token_urlsafe(12)


def demo_credentials_rotate() -> list[dict[str, Any]]:
    """Give every demo user a new password and a new API token; returns the new credentials.

    Earlier demo tokens are revoked, so an old credentials file stops working as a whole.
    TOTP secrets are kept: they are read back from each user's device.
    """
    users = demo_users()
    passwords = [demo_password() for _ in users]
    hashes = _parallel(make_password, passwords)
    entries: list[dict[str, Any]] = []
    with transaction.atomic():
        now = timezone.now()
        # Every demo token, including those of demo users who can no longer sign in.
        ApiToken.objects.active().filter(user__is_demo=True, name=DEMO_TOKEN_NAME).update(
            revoked_at=now
        )
        for user, password, hashed in zip(users, passwords, hashes, strict=True):
            user.password = hashed
            _token, raw = api_token_create(user=user, name=DEMO_TOKEN_NAME)
            entries.append(
                {
                    "role": user.role,
                    "email": user.email,
                    "password": password,
                    "totp_secret": _totp_secret(user),
                    "api_token": raw,
                    "organization": _organization_slug(user),
                }
            )
        User.objects.bulk_update(users, ["password"])
    return entries


def demo_credentials_read(path: Path) -> Any:
    """The parsed credentials file, or None when it is missing or not JSON."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _write_private(path: Path, data: Any) -> None:
    """Write ``data`` as JSON to ``path`` with mode 0600 (its folder 0700), atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2, ensure_ascii=False)
            fh.write("\n")
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def demo_credentials_write(path: Path, entries: list[dict[str, Any]]) -> None:
    """Write ``entries`` to ``path`` with mode 0600 (its folder 0700), atomically."""
    _write_private(path, entries)


def demo_credentials_ensure(path: Path) -> tuple[list[dict[str, Any]], bool]:
    """Make sure ``path`` holds working credentials for every demo user.

    Returns the entries and whether they were (re)issued. A file that still signs in every
    demo user is kept as it is (its tokens cannot be shown again); otherwise every password
    and token is rotated and the file rewritten.
    """
    existing = demo_credentials_read(path)
    fingerprint = demo_credentials_read(_fingerprint_path(path))
    # Only a file untouched since it was issued may use the fingerprint's shortcut.
    if (
        not isinstance(fingerprint, dict)
        or existing is None
        or fingerprint.get("file_sha256") != hashlib.sha256(path.read_bytes()).hexdigest()
    ):
        fingerprint = None
    if demo_credentials_valid(existing, fingerprint=fingerprint):
        os.chmod(path, 0o600)
        return existing, False
    entries = demo_credentials_rotate()
    demo_credentials_write(path, entries)
    _write_private(_fingerprint_path(path), _fingerprint(path, demo_users()))
    return entries, True
