"""From stored intake policies to the pure cores: eligibility rules, poverty tables, triage.

A deployment with no program configured still takes requests: ``DEFAULT_POLICY`` (an unsaved
policy with the defaults of docs/eligibility.md) screens them until a fund administrator sets one up.
"""

from __future__ import annotations

import datetime
import threading
import time
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from amparo.core.terms import Custody
from amparo.eligibility import poverty
from amparo.eligibility.rules import Applicant, Rules, Screening, screen
from amparo.eligibility.triage import Facts, Priority, prioritize, validate_weights
from amparo.eligibility.zipcounty import counties_of_zip

from .models import DeadlineKind, HelpRequest, IntakePolicy, PovertyGuideline, UnverifiedPolicy

#: Rules and tables change rarely and are read on every submission: each process keeps them
#: this many seconds. A change made through the services is seen at once by the process that
#: made it (``forget_cached_rules``) and by every other process within this time.
CACHE_SECONDS = 30.0
_cache: dict[str, tuple[float, Any]] = {}
_cache_lock = threading.Lock()


def _cached(key: str, load: Callable[[], Any]) -> Any:
    now = time.monotonic()
    with _cache_lock:
        hit = _cache.get(key)
    if hit is not None and now - hit[0] < CACHE_SECONDS:
        return hit[1]
    value = load()
    with _cache_lock:
        _cache[key] = (now, value)
    return value


def forget_cached_rules() -> None:
    with _cache_lock:
        _cache.clear()


def default_policy() -> IntakePolicy:
    """The defaults (an unsaved policy, no program): 200% of the 2026 guidelines, any area."""
    return IntakePolicy()


def public_policy() -> IntakePolicy:
    """The policy of the program that receives public requests (or the defaults)."""

    def load() -> IntakePolicy:
        policy = (
            IntakePolicy.objects.select_related("program")
            .filter(program__is_active=True, public_intake=True)
            .order_by("program__name", "pk")
            .first()
        )
        return policy or default_policy()

    return _cached("public", load)  # type: ignore[no-any-return]


def policy_for(program_id: int | None) -> IntakePolicy:
    if program_id is None:
        return public_policy()
    policy = IntakePolicy.objects.select_related("program").filter(program_id=program_id).first()
    return policy or default_policy()


def poverty_tables() -> list[poverty.PovertyTable]:
    """Shipped tables overlaid by the database's (where fund admins confirm them)."""

    def load() -> list[poverty.PovertyTable]:
        stored = [g.as_table() for g in PovertyGuideline.objects.all()]
        return poverty.merged(poverty.SHIPPED, stored)

    return list(_cached("tables", load))


def rules_of(policy: IntakePolicy) -> Rules:
    return Rules(
        income_percent=policy.income_percent,
        poverty_year=policy.poverty_year,
        poverty_region=policy.poverty_region,
        fallback_to_verified=policy.if_unverified == UnverifiedPolicy.FALLBACK,
        zip_codes=frozenset(str(z) for z in policy.zip_codes),
        counties=frozenset(str(c) for c in policy.counties),
        local_facilities=frozenset(policy.local_facilities()),
        custodies=frozenset(c for c in policy.custodies if c in Custody.values)
        or frozenset(Custody.values),
        courts=frozenset(str(c) for c in policy.courts),
        practice_areas=frozenset(str(a) for a in policy.practice_areas),
    )


def applicant_of(request: HelpRequest) -> Applicant:
    return Applicant(
        household_size=request.household_size,
        income_low=request.income_low,
        income_high=request.income_high,
        zip_code=request.zip_code,
        county=request.county,
        custody=request.custody,
        facility=request.facility,
        court=request.court,
        practice_area=request.practice_area,
        zip_counties=counties_of_zip(request.zip_code) if request.zip_code else (),
    )


def screen_request(request: HelpRequest, policy: IntakePolicy) -> Screening:
    return screen(rules_of(policy), applicant_of(request), poverty_tables())


def weights_of(policy: IntakePolicy) -> dict[str, int]:
    try:
        return validate_weights(policy.triage_weights or {})
    except ValueError:
        # A policy saved through the page is always valid; a hand-edited one falls back to
        # the defaults rather than stopping intake.
        return validate_weights({})


#: Deadline kind -> the triage fact that carries its date.
_DEADLINE_FACTS: dict[str, str] = {
    DeadlineKind.APPEAL: "appeal_deadline",
    DeadlineKind.MOTION: "motion_deadline",
    DeadlineKind.PETITION: "petition_deadline",
}


def _deadline_facts(request: HelpRequest) -> dict[str, datetime.date]:
    fact = _DEADLINE_FACTS.get(request.deadline_kind)
    if fact is None or request.deadline_date is None:
        return {}
    return {fact: request.deadline_date}


def triage_request(
    request: HelpRequest, policy: IntakePolicy, *, today: datetime.date | None = None
) -> Priority:
    facts = Facts(
        detained=request.detained,
        next_hearing=request.next_hearing,
        minor=request.minor,
        unaccompanied_child=request.unaccompanied_child,
        in_absentia_risk=request.in_absentia_risk,
        vulnerable=request.vulnerable,
        missed_hearing=request.missed_hearing,
        in_absentia_order=request.in_absentia_order,
        **_deadline_facts(request),
    )
    return prioritize(facts, today=today or timezone.localdate(), weights=weights_of(policy))


def routing_area(request: HelpRequest, policy: IntakePolicy) -> str:
    """The area routing matches against offices' counties: for a detained person at a facility
    of the program's list, the facility's county (empty: any provider may go there); otherwise
    the county they gave."""
    if request.detained and request.facility in policy.facility_names():
        return normalize_area(policy.facility_county(request.facility))
    return normalize_area(request.county)


def normalize_area(value: str) -> str:
    return " ".join(str(value).casefold().split())
