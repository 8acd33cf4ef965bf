"""Demo help requests: a realistic mix, in several languages and every state.

The ``intake-policy`` step configures the public program's intake rules first: the referrals
app's ``cases`` step brings the demo's cases in through them. The ``requests`` step comes after
the cases (so attorneys already carry their demo caseloads and routing sees real room) and
brings in requests through the same services as the real doors (the public form,
the hotline, detention visits, the API), unrouted: some not eligible, one nobody can take. The
referrals app's ``referrals`` step (order 71) routes them and plays the providers' answers;
then the ``requests-closed`` step closes two long enough ago that retention will shred them.
Everything is synthetic and seeded.
"""

from __future__ import annotations

import datetime

from amparo.accounts.roles import Role
from amparo.core.demo import DemoContext, demo_step
from amparo.core.services import SYSTEM
from amparo.core.terms import Custody

from .models import ContactMethod, ForWhom, HelpRequest, IntakePolicy, Source
from .services import RequestData, help_request_close, help_request_submit

FACILITY = "Aurora Contract Detention Facility"
COURTS = ("Aurora Immigration Court", "Denver Immigration Court")
COUNTIES = (
    "Denver", "Adams", "Arapahoe", "Jefferson", "Boulder", "Broomfield", "Weld", "Larimer", "El Paso", "Pueblo",
)  # fmt: skip
ZIP_BY_COUNTY = {
    "Denver": ("80203", "80204", "80219", "80211"),
    "Adams": ("80221", "80229", "80233"),
    "Arapahoe": ("80010", "80012", "80014"),
    "Jefferson": ("80214", "80226"),
    "Boulder": ("80301", "80304"),
    "Weld": ("80631", "80634"),
    "El Paso": ("80909", "80916"),
}
#: (language, share) of the demo's requests: mostly Spanish, then the languages a Front Range
#: fund sees at the detention facility and on its hotline.
LANGUAGES = (
    ("es", 52), ("en", 12), ("quc", 6), ("mam", 6), ("fr", 4), ("ht", 4), ("pt", 3), ("ar", 3), ("ti", 3), ("am", 2),
    ("ru", 2), ("uk", 1), ("so", 1), ("fa", 1),
)  # fmt: skip
DEMO_REQUESTS = 48


@demo_step("intake-policy", order=50)
def seed_policy(ctx: DemoContext) -> None:
    """The public program's intake rules, before any request (or case) comes in."""
    program = ctx.programs.get("detained-removal-defense")
    if program is None:
        return
    ctx.extra["intake_policy"] = IntakePolicy.objects.create(
        program=program,
        counties=list(COUNTIES),
        zip_codes=[],
        facilities=[
            # Providers from every county visit the regional facility: no county limits it.
            {"name": FACILITY, "county": "", "local": True},
            {"name": "Another state's facility (after a transfer)", "county": "", "local": False},
        ],
        courts=list(COURTS),
        practice_areas=[],
        # The fund contracts a telephone interpretation service for these; not (yet) for Pashto.
        interpreter_languages=[
            "quc",
            "mam",
            "ti",
            "am",
            "ht",
            "fr",
            "pt",
            "ar",
            "ru",
            "uk",
            "so",
            "fa",
            "wo",
        ],
        referrals_elsewhere={
            "en": (
                "Front Range Legal Aid line (civil legal help, no immigration court cases): (303) 555-0190\n"
                "Community immigration clinics, first Saturday of each month: (303) 555-0191\n"
                "DOJ list of free legal service providers, at the immigration court's window"
            ),
            "es": (
                "Línea de Front Range Legal Aid (ayuda legal civil, sin casos de corte de inmigración): (303) 555-0190\n"
                "Clínicas comunitarias de inmigración, el primer sábado de cada mes: (303) 555-0191\n"
                "Lista del DOJ de proveedores de servicios legales gratuitos, en la ventanilla de la corte de inmigración"
            ),
        },
    )


def _pick_language(ctx: DemoContext) -> str:
    codes, weights = zip(*LANGUAGES, strict=True)
    return str(ctx.rng.choices(codes, weights=weights)[0])


def demo_person(ctx: DemoContext, language: str, *, index: int) -> RequestData:
    """A synthetic person asking for help; a hearing date, if any, counts from the fund-local
    today."""
    rng = ctx.rng
    fake = ctx.fake_es if language == "es" or rng.random() < 0.35 else ctx.fake
    detained = rng.random() < 0.35
    # Mostly where the providers' offices are; a few from counties no removal provider covers.
    county = rng.choices(tuple(ZIP_BY_COUNTY), weights=(10, 5, 1, 4, 1, 1, 3))[0]
    size = rng.choice((1, 2, 2, 3, 3, 4, 4, 5, 6))
    limit = (15_650 + (size - 1) * 5_500) * 2
    income = rng.randrange(6_000, int(limit * 0.95), 500)
    days = rng.choice((None, None, 3, 6, 12, 20, 35, 60, 120, -15))
    method = rng.choice(
        (ContactMethod.PHONE, ContactMethod.WHATSAPP, ContactMethod.RELATIVE, ContactMethod.EMAIL)
    )
    if detained:
        method = ContactMethod.RELATIVE
    name = f"{fake.first_name()} {fake.last_name()} {fake.last_name()}"
    phone = f"(303) 555-{2000 + index:04d}"
    return RequestData(
        name=name,
        custody=Custody.DETAINED
        if detained
        else rng.choice((Custody.NEVER_DETAINED, Custody.NEVER_DETAINED, Custody.RELEASED)),
        contact_method=method,
        language="es" if language == "es" else "en",
        spoken_language=language,
        needs_interpreter=language not in ("en",) and rng.random() < 0.6,
        for_whom=ForWhom.FAMILY if detained or rng.random() < 0.3 else ForWhom.SELF,
        facility=FACILITY if detained else "",
        a_number=f"A{rng.randrange(10**8, 2 * 10**8):09d}" if rng.random() < 0.7 else "",
        next_hearing=None if days is None else ctx.today + datetime.timedelta(days=days),
        court=rng.choice(COURTS) if days is not None else "",
        zip_code=rng.choice(ZIP_BY_COUNTY[county]),
        county=county,
        household_size=size,
        income_low=income,
        income_high=income,
        minor=rng.random() < 0.08,
        vulnerable=rng.random() < 0.1,
        phone=phone if method in (ContactMethod.PHONE, ContactMethod.WHATSAPP) else "",
        email=f"persona{index}@example.net" if method == ContactMethod.EMAIL else "",
        relative_name=f"{fake.first_name()} {fake.last_name()}"
        if method == ContactMethod.RELATIVE
        else "",
        relative_phone=f"(720) 555-{3000 + index:04d}" if method == ContactMethod.RELATIVE else "",
        safe_to_leave_message=rng.random() < 0.4,
    )


@demo_step("requests", order=70)
def seed_requests(ctx: DemoContext) -> None:
    if ctx.extra.get("intake_policy") is None:
        return
    now = ctx.now
    sources = (Source.PUBLIC, Source.PUBLIC, Source.HOTLINE, Source.DETENTION_VISIT, Source.API)
    workers = ctx.users.get(Role.INTAKE_WORKER, [])
    made: list[HelpRequest] = []
    for index in range(DEMO_REQUESTS):
        language = _pick_language(ctx)
        data = demo_person(ctx, language, index=index)
        source = ctx.rng.choice(sources)
        if data.custody == Custody.DETAINED and ctx.rng.random() < 0.5:
            source = Source.DETENTION_VISIT
        if index % 11 == 5:  # above the income limit
            data.income_low = data.income_high = 140_000
        if index % 13 == 7:  # a range that includes the limit: a person reviews it
            data.income_low, data.income_high = 25_000, 60_000
            data.household_size = 2
        if index == 9:  # Pashto: no attorney speaks it and the fund has no interpreter yet
            data.spoken_language, data.language, data.needs_interpreter = "ps", "en", True
        by = (
            workers[index % len(workers)]
            if workers and source in (Source.HOTLINE, Source.DETENTION_VISIT, Source.API)
            else SYSTEM
        )
        created = now - datetime.timedelta(hours=ctx.rng.randint(1, 24 * 20))
        made.append(
            help_request_submit(
                data=data, source=source, by=by, route=False, now=created
            ).help_request
        )

    ctx.extra["help_requests"] = [r.pk for r in made]


@demo_step("requests-closed", order=72)
def close_requests(ctx: DemoContext) -> None:
    """Two requests closed long ago (after the referrals step routed them): the retention task
    shreds them on its next run."""
    now = ctx.now
    workers = ctx.users.get(Role.INTAKE_WORKER, [])
    made = ctx.extra.get("help_requests", [])
    closer = workers[0] if workers else None
    for request_id in made[-2:]:
        fresh = HelpRequest.objects.get(pk=request_id)
        if fresh.is_open and closer is not None:
            help_request_close(
                help_request=fresh, by=closer, reason="The person found a private attorney"
            )
        HelpRequest.objects.filter(pk=request_id).update(
            state_changed_at=now - datetime.timedelta(days=120)
        )
