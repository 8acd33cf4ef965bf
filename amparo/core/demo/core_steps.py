"""The core app's demo steps: the fund and its programs, provider organizations with offices,
staff of every role, and attorneys."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.text import slugify

from amparo.accounts.roles import Role
from amparo.organizations.models import (
    AttorneyProfile,
    Fund,
    GrantCategory,
    Office,
    PracticeArea,
    Program,
    ProviderOrganization,
    RepresentativeKind,
)

from .registry import DemoContext, demo_step

FUND_HOLDER = "Cottonwood Community Trust"
FUND_DOMAIN = "frontrangefund.example.org"


@demo_step("fund", order=10)
def _seed_fund(ctx: DemoContext) -> None:
    # The fund's name, city and hotline are the settings' (amparo.core.identity).
    ctx.fund = Fund.objects.create(holder=FUND_HOLDER)
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
        (Role.TRANSLATOR, 1),
    ):
        for _ in range(count):
            ctx.add_user(role=role, domain=FUND_DOMAIN)
    for org in ctx.organizations:
        ctx.add_user(role=Role.PROVIDER_ADMIN, domain=f"{org.slug}.example.org", organization=org)


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
