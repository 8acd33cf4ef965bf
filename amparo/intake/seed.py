"""``amparo seed --requests N``: synthetic help requests at scale (for load tests and the matcher).

Each request gets its own vault subject and encrypted name, A-number and phone (with blind
indexes), is screened and triaged with the public program's rules (the pure cores, with the
poverty tables read once), and waits in the queue for routing (``amparo referrals assign``).
Rows are written in batches with ``bulk_create``; the natural key is the idempotency key
``seed:<seed>:<index>``, so running again with the same seed adds nothing. One audit event per
batch records what was made. Everything is synthetic (Faker).
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from amparo.audit.services import audit_record
from amparo.core.seed import SeedContext, SeedResult, client_subjects, seed_generator
from amparo.core.terms import Custody
from amparo.eligibility.rules import Applicant, screen
from amparo.eligibility.triage import Facts, prioritize
from amparo.organizations.models import PracticeArea

from . import codes
from .models import ContactMethod, HelpRequest, Source
from .policy import poverty_tables, public_policy, routing_area, rules_of, weights_of
from .services import CONSENT_VERSION, _state_after_screening

BATCH = 500
_LANGUAGES = (
    ("es", 55),
    ("en", 15),
    ("quc", 5),
    ("mam", 5),
    ("fr", 4),
    ("ht", 4),
    ("pt", 3),
    ("ar", 3),
    ("ti", 3),
    ("ru", 3),
)
_COUNTIES = ("Denver", "Adams", "Arapahoe", "Jefferson", "Boulder", "Weld", "El Paso", "Larimer")


@dataclass(frozen=True)
class Screening:
    """The public program's rules, read once for a whole seed run."""

    policy: Any
    rules: Any
    tables: Any
    weights: Any

    @classmethod
    def of_public_program(cls) -> Screening:
        policy = public_policy()
        return cls(policy, rules_of(policy), poverty_tables(), weights_of(policy))


def new_codes() -> dict[str, str]:
    """A fresh reference and status-code hash for a seeded request (nobody gets the code)."""
    return {
        "reference": codes.new_reference(),
        "status_code_hash": codes.status_code_hash(secrets.token_hex(8)),
    }


def screened(request: HelpRequest, *, screening: Screening, today: datetime.date) -> HelpRequest:
    """``request`` (unsaved, its answers and ``created_at`` set) routed to its area, screened
    and triaged with the program's rules by the pure cores, as the intake service does, and in
    the state screening leads to."""
    request.area = routing_area(request, screening.policy)
    low, high = request.income_low_cents, request.income_high_cents
    applicant = Applicant(
        household_size=request.household_size,
        income_low=None if low is None else low // 100,
        income_high=None if high is None else high // 100,
        county=request.county,
        custody=request.custody,
        facility=request.facility,
        practice_area=request.practice_area,
    )
    result = screen(screening.rules, applicant, screening.tables)
    request.eligibility = str(result.decision)
    request.eligibility_reasons = [r.as_dict() for r in result.reasons]
    request.poverty_year_used = result.poverty_year_used
    request.income_limit = result.income_limit
    request.screened_at = request.created_at
    priority = prioritize(
        Facts(
            detained=request.custody == Custody.DETAINED,
            next_hearing=request.next_hearing,
            minor=request.minor,
        ),
        today=today,
        weights=screening.weights,
    )
    request.priority = priority.score
    request.priority_reasons = priority.as_list()
    request.state = _state_after_screening(request.eligibility)
    return request


def _key(seed: int, index: int) -> str:
    return f"seed:{seed}:{index}"


@seed_generator(
    "requests", order=70, help="help requests, screened and triaged, waiting for routing", default=0
)
def generate_requests(ctx: SeedContext, count: int) -> SeedResult:
    rng, fake_es, fake_en = (
        ctx.rng("requests"),
        ctx.faker("requests", "es_MX"),
        ctx.faker("requests"),
    )
    keys = [_key(ctx.seed, i) for i in range(count)]
    existing = set(
        HelpRequest.objects.filter(idempotency_key__in=keys).values_list(
            "idempotency_key", flat=True
        )
    )
    screening = Screening.of_public_program()
    policy = screening.policy
    today = timezone.localdate()
    now = timezone.now()
    codes_, weights_ = zip(*_LANGUAGES, strict=True)
    rows: list[HelpRequest] = []
    for index in range(count):
        # Draw for every index, so the same seed gives the same people whatever already exists.
        language = rng.choices(codes_, weights=weights_)[0]
        fake = fake_es if language == "es" or rng.random() < 0.4 else fake_en
        name = f"{fake.first_name()} {fake.last_name()}"
        detained = rng.random() < 0.3
        size = rng.randint(1, 6)
        income = rng.randrange(0, 120_000, 500)
        days = rng.choice((None, None, 2, 5, 10, 25, 45, 80, 150, -20))
        a_number = f"A{rng.randrange(10**8, 10**9):09d}" if rng.random() < 0.7 else ""
        phone = f"+1720{rng.randrange(10**6, 10**7):07d}"
        county = rng.choice(_COUNTIES)
        created = now - datetime.timedelta(minutes=rng.randrange(0, 60 * 24 * 30))
        if keys[index] in existing:
            continue
        request = HelpRequest(
            **new_codes(),
            idempotency_key=keys[index],
            source=Source.DEMO,
            program_id=policy.program_id,
            language="es" if language == "es" else "en",
            spoken_language=language,
            needs_interpreter=language != "en" and rng.random() < 0.5,
            custody=Custody.DETAINED if detained else Custody.NEVER_DETAINED,
            facility=(policy.facility_names() or [""])[0] if detained else "",
            next_hearing=None if days is None else today + datetime.timedelta(days=days),
            county=county,
            household_size=size,
            income_low_cents=income * 100,
            income_high_cents=income * 100,
            practice_area=PracticeArea.DETAINED_REMOVAL
            if detained
            else PracticeArea.NON_DETAINED_REMOVAL,
            minor=rng.random() < 0.07,
            contact_method=ContactMethod.PHONE,
            name=name,
            a_number=a_number,
            phone=phone,
            consent_version=CONSENT_VERSION,
            consented_at=created,
            created_at=created,
            state_changed_at=created,
        )
        rows.append(screened(request, screening=screening, today=today))
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        for request, subject in zip(
            batch, client_subjects(len(batch), batch_size=BATCH), strict=True
        ):
            request.subject = subject
        HelpRequest.objects.bulk_create(batch, batch_size=BATCH)
        audit_record(
            actor=None,
            action="intake.help_request.seeded",
            object_type="intake.helprequest",
            fields=["name", "a_number", "phone"],
            reason=f"{len(batch)} synthetic requests (seed {ctx.seed})",
        )
    return SeedResult(created=len(rows), existing=len(existing))
