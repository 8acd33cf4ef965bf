"""Demo cases: every stage of the lifecycle, hearings, deadlines, documents and outcomes.

The recipes below say what happens to a case once it is open; :func:`play_recipe` plays one
through the case services. The ``cases`` demo step lives with the referrals app, which sits
above intake and cases: it brings each case in through the help line (a request, screened,
triaged, referred, accepted) and then plays its recipe, so the demo's figures tell the truth.
A few cases are a provider's own intake (:func:`open_direct`): they never had a request.
Dates are relative to the demo's fund-local today: some deadlines fall due this week, and
exactly one (a pre-hearing filing) is already overdue. Everything is synthetic.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field
from typing import Any

from PIL import Image

from amparo.core.demo import DemoContext
from amparo.core.terms import Custody
from amparo.vault.services import subject_create

from . import services
from .choices import CaseType, EventKind, HearingKind, Relief, Stage, TeamRole

DAY = datetime.timedelta(days=1)
COURTS = ("Aurora Immigration Court", "Denver Immigration Court")
JUDGES = ("Judge A. Whitfield", "Judge R. Okafor", "Judge M. Castellanos", "Judge L. Brandt")
COUNTRIES = ("Honduras", "Guatemala", "El Salvador", "Mexico", "Venezuela", "Haiti", "Mauritania")
FACILITIES = ("Aurora Contract Detention Facility",)


@dataclass(frozen=True)
class Recipe:
    case_type: str
    custody: str
    stage: str
    relief: tuple[str, ...] = ()
    #: (kind, days from today, time) for each hearing
    hearings: tuple[tuple[str, int, datetime.time | None], ...] = ()
    #: (kind, days from today) for each timeline event that starts a clock
    events: tuple[tuple[str, int], ...] = ()
    #: (kind, decided_by, days from today, relief, in_absentia)
    outcomes: tuple[tuple[str, str, int, str, bool], ...] = ()
    transitions: tuple[str, ...] = ()
    #: rule ids of the deadlines already done (the ``deadlines`` demo step marks them)
    done_rules: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)


T830, T1300 = datetime.time(8, 30), datetime.time(13, 0)
RECIPES: tuple[Recipe, ...] = (
    # open: a detained client just met at the facility; the court sets filing dates
    Recipe(CaseType.REMOVAL, Custody.DETAINED, Stage.MASTER_CALENDAR, (Relief.ASYLUM, Relief.BOND),
           hearings=((HearingKind.MASTER, 9, T830),)),
    # active: a filing due this week (30 days before an individual hearing)
    Recipe(CaseType.REMOVAL, Custody.RELEASED, Stage.PREPARING, (Relief.ASYLUM, Relief.WITHHOLDING, Relief.CAT),
           hearings=((HearingKind.MASTER, -60, T830), (HearingKind.INDIVIDUAL, 34, T1300)),
           transitions=("activate",)),
    # active: the one-year asylum deadline falls this week
    Recipe(CaseType.REMOVAL, Custody.NEVER_DETAINED, Stage.MASTER_CALENDAR, (Relief.ASYLUM,),
           hearings=((HearingKind.MASTER, 48, T830),),
           events=((EventKind.LAST_ARRIVAL, -361),),
           transitions=("activate",)),
    # decided: asylum granted; the appeal window runs
    Recipe(CaseType.REMOVAL, Custody.NEVER_DETAINED, Stage.POST_DECISION, (Relief.ASYLUM,),
           hearings=((HearingKind.INDIVIDUAL, -22, T1300),),
           outcomes=(("relief_granted", "ij", -22, "asylum", False),),
           transitions=("activate",)),
    # on appeal: removal order appealed; the detained brief is due this week
    Recipe(CaseType.REMOVAL, Custody.DETAINED, Stage.BIA_APPEAL, (Relief.WITHHOLDING, Relief.CAT),
           hearings=((HearingKind.INDIVIDUAL, -28, T830),),
           outcomes=(("removal_order", "ij", -28, "", False),),
           events=((EventKind.BRIEFING_NOTICE, -17),),
           transitions=("activate", "appeal"),
           done_rules=("bia-appeal", "ij-reconsider")),
    # closed: cancellation of removal granted long ago
    Recipe(CaseType.REMOVAL, Custody.NEVER_DETAINED, Stage.POST_DECISION, (Relief.CANCELLATION,),
           hearings=((HearingKind.INDIVIDUAL, -200, T1300),),
           outcomes=(("relief_granted", "ij", -200, "cancellation", False),),
           transitions=("activate", "close")),
    # active affirmative matter: a U visa pending with USCIS
    Recipe(CaseType.U_VISA, Custody.NEVER_DETAINED, Stage.FILED, (Relief.U_VISA,),
           outcomes=(("pending", "uscis", -90, "", False),),
           transitions=("activate",)),
    # decided: released on bond three days ago
    Recipe(CaseType.BOND, Custody.RELEASED, Stage.BOND, (Relief.BOND,),
           hearings=((HearingKind.BOND, -3, T830),),
           outcomes=(("released", "ij", -3, "", False),),
           transitions=("activate",)),
    # closed affirmative: DACA renewal approved
    Recipe(CaseType.DACA, Custody.NEVER_DETAINED, Stage.FILED, (Relief.DACA,),
           outcomes=(("approved", "uscis", -45, "", False),),
           transitions=("activate", "close")),
    # decided: credible fear review, negative finding vacated
    Recipe(CaseType.CREDIBLE_FEAR_REVIEW, Custody.DETAINED, Stage.POST_DECISION, (Relief.ASYLUM,),
           outcomes=(("fear_found", "ij", -2, "", False),),
           transitions=("activate",)),
)  # fmt: skip

#: The one overdue deadline of the demo: a master hearing 14 days away (filings for a ruling at
#: or before a master calendar hearing are due 15 days before it, ICPM 3.1(b)(1)).
OVERDUE_RECIPE = Recipe(
    CaseType.REMOVAL,
    Custody.NEVER_DETAINED,
    Stage.MASTER_CALENDAR,
    (Relief.ASYLUM, Relief.CANCELLATION),
    hearings=((HearingKind.MASTER, 14, T830),),
    transitions=("activate",),
)


def _pdf(title: str) -> bytes:
    """A small, valid one-page PDF (synthetic)."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=letter)
    page.drawString(72, 720, title)
    page.drawString(72, 700, "Synthetic demo document. Not a real record.")
    page.save()
    return out.getvalue()


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 40), (11, 83, 148)).save(out, format="PNG")
    return out.getvalue()


def demo_client(ctx: DemoContext, index: int) -> dict[str, Any]:
    first, last = ctx.person_name()
    _first2, last2 = ctx.person_name()
    return {
        "name": f"{first} {last} {last2}",
        "a_number": f"A{ctx.rng.randint(200_000_000, 249_999_999)}",
        "date_of_birth": datetime.date(1960, 1, 1) + DAY * ctx.rng.randint(0, 16000),
        "phone": f"(303) 555-{ctx.rng.randint(200, 999):04d}",
        "email": f"client{index:03d}@example.net",
        "address": f"{ctx.fake.street_address()}\nDenver, CO 802{ctx.rng.randint(10, 99)}",
        "country_of_birth": ctx.rng.choice(COUNTRIES),
        "remind_by_sms": index % 2 == 0,
        "remind_by_email": index % 3 == 0,
    }


def open_direct(ctx: DemoContext, recipe: Recipe, lead: Any, index: int) -> Any:
    """A case the provider opens itself (a person who walked in, a transfer): no request."""
    org = lead.memberships.active().first().organization
    return services.case_open(
        organization=org,
        lead_attorney=lead,
        subject=subject_create(kind="client"),
        client=demo_client(ctx, index),
        custody=recipe.custody,
        facility=FACILITIES[0] if recipe.custody == Custody.DETAINED else "",
        court=court_of(ctx, recipe),
        case_type=recipe.case_type,
        language="es" if index % 3 else "en",
        by=lead,
    )


def court_of(ctx: DemoContext, recipe: Recipe) -> str:
    """The immigration court, except for matters USCIS decides."""
    return ctx.rng.choice(COURTS) if recipe.case_type not in ("u_visa", "daca") else ""


def play_recipe(
    ctx: DemoContext, case: Any, recipe: Recipe, lead: Any, index: int, colleague: Any = None
) -> Any:
    """What happens to an open case, through the case services, as its lead attorney."""
    today = ctx.today
    services.case_update(
        case=case,
        data={
            "case_type": recipe.case_type,
            "stage": recipe.stage,
            "relief_sought": list(recipe.relief),
        },
        by=lead,
    )
    extra = demo_client(ctx, index)
    services.client_update(
        case=case,
        data={
            key: extra[key]
            for key in ("address", "country_of_birth", "remind_by_sms", "remind_by_email")
        },
        by=lead,
    )
    if colleague is not None:
        services.team_add(case=case, user=colleague, role=TeamRole.ATTORNEY, by=lead)
    if "activate" in recipe.transitions:
        case = services.case_transition(case=case, name="activate", by=lead)
    for kind, days, at in recipe.hearings:
        hearing = services.hearing_add(
            case=case,
            kind=kind,
            date=today + DAY * days,
            time=at,
            judge=ctx.rng.choice(JUDGES),
            mode="video" if recipe.custody == Custody.DETAINED else "in_person",
            by=lead,
        )
        if days < 0:
            services.hearing_update(hearing=hearing, data={"status": "held"}, by=lead)
    for kind, days in recipe.events:
        services.event_add(case=case, kind=kind, date=today + DAY * days, by=lead)
    for kind, decided_by, days, relief, in_absentia in recipe.outcomes:
        services.outcome_record(
            case=case,
            kind=kind,
            decided_by=decided_by,
            decision_date=today + DAY * days,
            relief=relief,
            in_absentia=in_absentia,
            by=lead,
        )
    if "appeal" in recipe.transitions:
        services.event_add(
            case=case,
            kind=EventKind.APPEAL_FILED,
            date=today - DAY * 5,
            details="EOIR-26 filed.",
            by=lead,
        )
        case = services.case_transition(case=case, name="appeal", by=lead)
    services.document_add(
        case=case,
        data=_pdf(f"Notice to Appear — {case.reference}"),
        filename="notice-to-appear.pdf",
        kind="notice",
        by=lead,
    )
    if index % 2 == 0:
        services.document_add(
            case=case, data=_png(), filename="id-photo.png", kind="identity", by=lead
        )
    services.note_add(case=case, body=ctx.fake.paragraph(nb_sentences=4), by=lead)
    if "close" in recipe.transitions:
        case = services.case_transition(case=case, name="close", by=lead, reason="Demo")
    return case
