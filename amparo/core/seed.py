"""Deterministic synthetic data at scale, for ``amparo seed`` and the benchmarks.

Each kind of data (organizations, attorneys, users, and later requests, cases, donations) has a
generator registered here. A later app plugs its own in from a module ``amparo/<app>/seed.py``
(found automatically) or from ``AppConfig.ready()``::

    from amparo.core.seed import SeedContext, seed_generator

    @seed_generator("requests", order=50, help=gettext_lazy("help requests"))
    def seed_requests(ctx: SeedContext, count: int) -> SeedResult: ...

and ``amparo seed --requests N`` starts calling it. Guarantees every generator keeps:

- the same ``--seed`` gives the same data: each kind draws from its own random stream derived
  from the seed and the kind's name, so adding a kind does not change the others;
- running again with the same seed adds nothing (rows have natural keys made from the seed
  and their index, and existing ones are skipped);
- everything is synthetic (Faker) and every user is ``is_demo=True`` with no usable password,
  so ``amparo serve`` refuses a database that holds them.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from faker import Faker

from amparo.accounts.models import User
from amparo.accounts.roles import Role
from amparo.organizations.models import (
    AttorneyProfile,
    Membership,
    Office,
    PracticeArea,
    ProviderOrganization,
    RepresentativeKind,
)
from amparo.vault import crypto
from amparo.vault.keys import get_provider, subject_context
from amparo.vault.models import KeyRing, Subject, SubjectKind
from amparo.vault.services import subject_create

#: What a kind is called in ``amparo seed --help`` (translatable).
Label = str | Promise

#: Kinds that later apps will provide; ``amparo seed`` accepts them before they exist and says so.
PLANNED_KINDS: tuple[tuple[str, Label], ...] = (
    ("requests", gettext_lazy("help requests")),
    ("cases", gettext_lazy("cases")),
    ("donations", gettext_lazy("donations")),
)
BATCH_SIZE = 1000


def client_subjects(count: int, *, batch_size: int = BATCH_SIZE) -> list[Subject]:
    """``count`` new client subjects, each with its own data key, made in one go (the seeds of
    requests and cases give each row a subject of its own)."""
    subject_create(kind=SubjectKind.CLIENT).delete()  # makes sure the key ring exists
    ring = KeyRing.objects.select_for_update().get(pk=1)
    provider = get_provider()
    subjects = []
    for _i in range(count):
        subject = Subject(kind=SubjectKind.CLIENT, kek_id=ring.active_kek_id)
        subject.wrapped_key = provider.wrap(
            crypto.new_data_key(),
            context=subject_context(str(subject.pk)),
            kek_id=ring.active_kek_id,
        )
        subjects.append(subject)
    return Subject.objects.bulk_create(subjects, batch_size=batch_size)


class SeedError(Exception):
    """A generator cannot run with the counts given; the message says what to change."""


@dataclass(frozen=True)
class SeedResult:
    created: int
    existing: int = 0


@dataclass
class SeedContext:
    """The seed and every requested count, so a generator can size itself on the others."""

    seed: int
    counts: dict[str, int] = field(default_factory=dict)

    def rng(self, kind: str) -> random.Random:
        """The random stream of ``kind``: the same for the same seed, independent per kind."""
        return random.Random(f"amparo-seed:{self.seed}:{kind}")

    def faker(self, kind: str, locale: str = "en_US") -> Faker:
        fake = Faker(locale)
        fake.seed_instance(self.rng(f"{kind}:faker:{locale}").getrandbits(64))
        return fake


SeedFunc = Callable[[SeedContext, int], SeedResult]


@dataclass(frozen=True)
class SeedGenerator:
    kind: str
    order: int
    run: SeedFunc
    help: Label
    default: int


_GENERATORS: dict[str, SeedGenerator] = {}


def register_seed_generator(
    kind: str, func: SeedFunc, *, order: int, help: Label = "", default: int = 0
) -> None:
    """Add (or replace) the generator of ``kind``; generators run by ascending ``order``."""
    _GENERATORS[kind] = SeedGenerator(
        kind=kind, order=order, run=func, help=help or kind, default=default
    )


def unregister_seed_generator(kind: str) -> None:
    """Remove the generator of ``kind`` (for tests)."""
    _GENERATORS.pop(kind, None)


def seed_generator(
    kind: str, *, order: int, help: Label = "", default: int = 0
) -> Callable[[SeedFunc], SeedFunc]:
    """Decorator form of :func:`register_seed_generator`."""

    def deco(func: SeedFunc) -> SeedFunc:
        register_seed_generator(kind, func, order=order, help=help, default=default)
        return func

    return deco


def seed_generators() -> list[SeedGenerator]:
    """Every registered generator in the order they run (apps' ``seed`` modules included)."""
    autodiscover_modules("seed")
    return sorted(_GENERATORS.values(), key=lambda g: (g.order, g.kind))


def seed_kinds() -> list[tuple[str, Label, int]]:
    """(kind, help, default count) for every kind the command accepts, available or planned."""
    kinds = [(g.kind, g.help, g.default) for g in seed_generators()]
    known = {k for k, _, _ in kinds}
    kinds += [(k, h, 0) for k, h in PLANNED_KINDS if k not in known]
    return kinds


@dataclass
class SeedReport:
    results: dict[str, SeedResult] = field(default_factory=dict)
    unavailable: list[str] = field(default_factory=list)


def seed_run(*, seed: int, counts: dict[str, int]) -> SeedReport:
    """Run the generator of every kind with a count above zero, each in its own transaction.

    Kinds without a generator yet are listed in ``unavailable`` and change nothing.
    """
    ctx = SeedContext(seed=seed, counts=dict(counts))
    report = SeedReport()
    generators = {g.kind: g for g in seed_generators()}
    for gen in sorted(generators.values(), key=lambda g: (g.order, g.kind)):
        count = counts.get(gen.kind, 0)
        if count > 0:
            with transaction.atomic():
                report.results[gen.kind] = gen.run(ctx, count)
    report.unavailable = [k for k, n in counts.items() if n > 0 and k not in generators]
    return report


# --- The core generators ---------------------------------------------------------------------


def _ascii(text: str) -> str:
    return slugify(unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode())


def _org_slug(seed: int, index: int) -> str:
    return f"s{seed}-org-{index}"


def _seed_orgs(ctx: SeedContext) -> list[ProviderOrganization]:
    """This seed's organizations, by index (those of ``--organizations``, or any already made)."""
    wanted = ctx.counts.get("organizations", 0)
    if wanted:
        slugs = [_org_slug(ctx.seed, i) for i in range(wanted)]
        by_slug = ProviderOrganization.objects.in_bulk(slugs, field_name="slug")
        return [by_slug[s] for s in slugs if s in by_slug]
    orgs = list(ProviderOrganization.objects.filter(slug__startswith=f"s{ctx.seed}-org-"))
    return sorted(orgs, key=lambda o: int(o.slug.rsplit("-", 1)[1]))


_ORG_PATTERNS = (
    "{} Immigrant Legal Center",
    "{} Detention Defense Project",
    "{} Refugee and Asylum Project",
    "{} Family Immigration Services",
    "{} Justice Network",
    "{} Immigration Law Clinic",
)
_CITIES = (
    ("Denver", "Denver"),
    ("Aurora", "Arapahoe"),
    ("Lakewood", "Jefferson"),
    ("Greeley", "Weld"),
    ("Boulder", "Boulder"),
    ("Colorado Springs", "El Paso"),
    ("Pueblo", "Pueblo"),
    ("Fort Collins", "Larimer"),
)


@seed_generator("organizations", order=10, help=gettext_lazy("provider organizations"), default=10)
def _generate_organizations(ctx: SeedContext, count: int) -> SeedResult:
    rng, fake = ctx.rng("organizations"), ctx.faker("organizations")
    rows = []
    for i in range(count):
        slug = _org_slug(ctx.seed, i)
        name = f"{rng.choice(_ORG_PATTERNS).format(fake.last_name())} ({slug})"
        city, county = rng.choice(_CITIES)
        address = fake.street_address()
        rows.append((slug, name, city, county, address, rng.random() < 0.3, rng.random() > 0.1))
    existing = set(
        ProviderOrganization.objects.filter(slug__in=[r[0] for r in rows]).values_list(
            "slug", flat=True
        )
    )
    new = [r for r in rows if r[0] not in existing]
    ProviderOrganization.objects.bulk_create(
        [
            ProviderOrganization(
                name=name,
                slug=slug,
                website=f"https://{slug}.example.org",
                attorneys_see_all_org_cases=see_all,
                accepting_new_cases=accepting,
            )
            for slug, name, _c, _k, _a, see_all, accepting in new
        ],
        batch_size=BATCH_SIZE,
    )
    by_slug = ProviderOrganization.objects.in_bulk([r[0] for r in new], field_name="slug")
    Office.objects.bulk_create(
        [
            Office(
                organization=by_slug[slug],
                name=f"{city} office",
                address=address,
                city=city,
                state="CO",
                counties_served=[county],
            )
            for slug, _n, city, county, address, _s, _a in new
        ],
        batch_size=BATCH_SIZE,
    )
    return SeedResult(created=len(new), existing=len(existing))


def _user_rows(
    ctx: SeedContext, kind: str, count: int, roles: Sequence[tuple[str, float]]
) -> list[dict[str, Any]]:
    rng, fake_en, fake_es = ctx.rng(kind), ctx.faker(kind), ctx.faker(kind, "es_MX")
    names, weights = zip(*roles, strict=True)
    rows = []
    for i in range(count):
        fake = fake_es if rng.random() < 0.5 else fake_en
        first, last = fake.first_name(), fake.last_name()
        role = rng.choices(names, weights=weights)[0]
        email = f"{_ascii(first)}.{_ascii(last)}.{kind[0]}{i}@s{ctx.seed}.example.org"
        rows.append({"email": email, "first_name": first, "last_name": last, "role": role})
    return rows


def _create_users(rows: list[dict[str, Any]]) -> tuple[dict[str, User], int]:
    """Create the users of ``rows`` that do not exist yet; returns every user by email."""
    emails = [r["email"] for r in rows]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    new = []
    for row in rows:
        if row["email"] in existing:
            continue
        user = User(is_demo=True, **row)
        user.set_unusable_password()
        new.append(user)
    User.objects.bulk_create(new, batch_size=BATCH_SIZE)
    users = {}
    for start in range(0, len(emails), BATCH_SIZE):
        users.update(User.objects.in_bulk(emails[start : start + BATCH_SIZE], field_name="email"))
    return users, len(existing)


@seed_generator(
    "users", order=20, help=gettext_lazy("fund staff, board members and donors"), default=50
)
def _generate_users(ctx: SeedContext, count: int) -> SeedResult:
    rows = _user_rows(
        ctx,
        "users",
        count,
        (
            (Role.DONOR, 0.7),
            (Role.INTAKE_WORKER, 0.15),
            (Role.BOARD_MEMBER, 0.1),
            (Role.FUND_ADMIN, 0.05),
        ),
    )
    _users, existing = _create_users(rows)
    return SeedResult(created=count - existing, existing=existing)


_LANGUAGE_WEIGHTS = (
    ("fr", 6), ("pt", 6), ("ar", 4), ("am", 3), ("ti", 3), ("quc", 4), ("mam", 4), ("ht", 5),
    ("ru", 4), ("uk", 3), ("so", 2), ("fa", 2), ("ps", 1), ("wo", 2), ("zh", 2), ("vi", 2),
)  # fmt: skip


@seed_generator(
    "attorneys",
    order=30,
    help=gettext_lazy("attorneys and accredited representatives"),
    default=100,
)
def _generate_attorneys(ctx: SeedContext, count: int) -> SeedResult:
    orgs = _seed_orgs(ctx)
    if not orgs:
        raise SeedError(
            _("Attorneys need organizations: add --organizations N (with the same --seed).")
        )
    rows = _user_rows(ctx, "attorneys", count, ((Role.ATTORNEY, 1.0),))
    rng = ctx.rng("attorneys:profiles")
    codes, weights = zip(*_LANGUAGE_WEIGHTS, strict=True)
    areas = PracticeArea.values
    profiles = []
    for i, row in enumerate(rows):
        accredited = rng.random() < 0.2
        languages = ["en"] + (["es"] if rng.random() < 0.7 else [])
        if rng.random() < 0.35:
            languages.append(rng.choices(codes, weights=weights)[0])
        profiles.append(
            {
                "email": row["email"],
                "org": orgs[i % len(orgs)],
                "kind": RepresentativeKind.ACCREDITED_REP
                if accredited
                else RepresentativeKind.ATTORNEY,
                "eoir_id": f"S{ctx.seed % 10}{i:06d}"[-8:],
                "bar_number": "" if accredited else str(rng.randint(10000, 99999)),
                "languages": languages,
                "practice_areas": sorted(rng.sample(areas, rng.randint(1, 4))),
                "capacity": rng.randint(5, 40),
                "accepting_new_cases": rng.random() > 0.15,
            }
        )
    users, _existing = _create_users(rows)
    have_profile = set(
        AttorneyProfile.objects.filter(user__in=users.values()).values_list("user_id", flat=True)
    )
    new_profiles, memberships = [], []
    for p in profiles:
        user = users[p["email"]]
        if user.pk in have_profile:
            continue
        org = p.pop("org")
        p.pop("email")
        new_profiles.append(AttorneyProfile(user=user, organization=org, **p))
        memberships.append(Membership(user=user, organization=org))
    AttorneyProfile.objects.bulk_create(new_profiles, batch_size=BATCH_SIZE)
    Membership.objects.bulk_create(memberships, batch_size=BATCH_SIZE, ignore_conflicts=True)
    return SeedResult(created=len(new_profiles), existing=len(have_profile))
