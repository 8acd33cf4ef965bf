"""Writes on help requests: submit, review, close, purge. One transaction each, audited.

``help_request_submit`` is the one way a request comes in, whatever the door (the public form,
staff intake, the API, the demo): it encrypts what identifies the person under a new data key,
screens and triages in the same transaction, records the audit event, and hands the request to
the referral router (through :mod:`amparo.intake.hooks`), which finds a provider only after the
commit. A replayed submission (same idempotency key) returns the request that exists instead
of creating another.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.audit.services import audit_record
from amparo.core.services import Actor, ServiceError, SystemActor, is_system, require
from amparo.eligibility.rules import Decision
from amparo.eligibility.triage import validate_weights
from amparo.organizations.models import PracticeArea
from amparo.vault.blind import matching
from amparo.vault.services import subject_create, subject_shred

from . import codes, hooks
from .models import (
    AdverseParty,
    Custody,
    Eligibility,
    HelpRequest,
    IntakePolicy,
    RequestState,
    Source,
)
from .permissions import can_manage_intake_policy, can_view_retention, can_work_intake
from .policy import forget_cached_rules, policy_for, routing_area, screen_request, triage_request

logger = logging.getLogger("amparo.intake")

#: The consent text's version: bump it when the words of the consent page change.
CONSENT_VERSION = "2026-1"

#: Protected fields of a help request (names only, for audit events).
PROTECTED_FIELDS = (
    "name",
    "a_number",
    "date_of_birth",
    "phone",
    "email",
    "relative_name",
    "relative_phone",
    "contact_notes",
)


class IntakeError(ServiceError):
    """A change that cannot go ahead; ``message`` is translated for the person.

    A :class:`~amparo.core.services.ServiceError` like any other; its own class because the
    retention sweep skips (and counts) the requests it refuses instead of stopping.
    """

    def __init__(self, message: str, *, code: str = "") -> None:
        super().__init__(message, code=code or None)


@dataclass
class RequestData:
    """Everything a help request can carry. Income is whole dollars a year (a range)."""

    name: str
    custody: str
    contact_method: str
    language: str
    spoken_language: str = ""
    needs_interpreter: bool = False
    for_whom: str = "self"
    facility: str = ""
    a_number: str = ""
    next_hearing: datetime.date | None = None
    court: str = ""
    zip_code: str = ""
    county: str = ""
    household_size: int | None = None
    income_low: int | None = None
    income_high: int | None = None
    practice_area: str = ""
    minor: bool = False
    unaccompanied_child: bool = False
    in_absentia_risk: bool = False
    vulnerable: bool = False
    missed_hearing: bool = False
    in_absentia_order: bool = False
    #: A running deadline: a ``DeadlineKind`` and its last day (both, or neither is kept).
    deadline_kind: str = ""
    deadline_date: datetime.date | None = None
    phone: str = ""
    email: str = ""
    relative_name: str = ""
    relative_phone: str = ""
    contact_notes: str = ""
    safe_to_leave_message: bool = False
    date_of_birth: datetime.date | None = None
    adverse_parties: list[str] = field(default_factory=list)
    program_id: int | None = None


@dataclass(frozen=True)
class Submission:
    help_request: HelpRequest
    #: The private status code, shown once; empty when the request already existed.
    status_code: str
    created: bool


def _cents(dollars: int | None) -> int | None:
    return None if dollars is None else int(dollars) * 100


def _default_practice_area(custody: str) -> str:
    return (
        PracticeArea.DETAINED_REMOVAL
        if custody == Custody.DETAINED
        else PracticeArea.NON_DETAINED_REMOVAL
    )


def _set_state(request: HelpRequest, state: str, *, now: datetime.datetime | None = None) -> None:
    request.state = state
    request.state_changed_at = now or timezone.now()


def _state_after_screening(decision: str) -> str:
    if decision == Decision.ELIGIBLE:
        return RequestState.WAITING
    if decision == Decision.INELIGIBLE:
        return RequestState.NOT_ELIGIBLE
    return RequestState.NEEDS_REVIEW


def _apply_screening(request: HelpRequest, policy: IntakePolicy, now: datetime.datetime) -> None:
    screening = screen_request(request, policy)
    request.eligibility = str(screening.decision)
    request.eligibility_reasons = [r.as_dict() for r in screening.reasons]
    request.poverty_year_used = screening.poverty_year_used
    request.income_limit = screening.income_limit
    request.screened_at = now
    priority = triage_request(request, policy, today=timezone.localdate(now))
    request.priority = priority.score
    request.priority_reasons = priority.as_list()


def _open_duplicate(request: HelpRequest) -> Any:
    """The id of an open request for the same A-number (a strong match; phones are shared in
    families), or None."""
    if not request.a_number:
        return None
    return (
        HelpRequest.objects.filter(
            matching(HelpRequest, "a_number_index", request.a_number), purged_at__isnull=True
        )
        .exclude(state__in=(RequestState.CLOSED, RequestState.NOT_ELIGIBLE))
        .order_by("created_at")
        .values_list("pk", flat=True)
        .first()
    )


def _create(
    data: RequestData,
    *,
    policy: IntakePolicy,
    source: str,
    by: Actor,
    key: str | None,
    now: datetime.datetime,
    route: bool,
    flag_duplicates: bool,
    status_code: str,
) -> HelpRequest:
    """One attempt: every write in one transaction (an IntegrityError leaves nothing behind).

    Screening, triage and the reference are worked out before the transaction opens: on SQLite
    a write transaction holds the database's one write lock from its start, and the other
    workers wait on it, so nothing that needs no lock is done while holding it."""
    request = _build(data, policy=policy, source=source, by=by, key=key, now=now)
    request.status_code_hash = codes.status_code_hash(status_code)
    with transaction.atomic():
        request.subject = subject_create(kind="client")
        if flag_duplicates:
            duplicate = _open_duplicate(request)
            if duplicate is not None:
                request.possible_duplicate_of_id = duplicate
                if request.state == RequestState.WAITING:
                    _set_state(request, RequestState.NEEDS_REVIEW, now=now)
        request.awaiting_routing = route and request.state == RequestState.WAITING
        request.save(force_insert=True)
        for name in data.adverse_parties:
            if name.strip():
                AdverseParty.objects.create(
                    subject=request.subject, help_request=request, name=name.strip()
                )
        audit_record(
            actor=by,
            action="intake.help_request.created",
            obj=request,
            fields=[f for f in PROTECTED_FIELDS if getattr(request, f)]
            + (["adverse_parties.name"] if data.adverse_parties else []),
            reason=source,
        )
        if request.awaiting_routing:
            hooks.request_waiting(request, created=True)
    return request


def help_request_submit(
    *,
    data: RequestData,
    source: str,
    by: Actor,
    idempotency_key: str | None = None,
    flag_duplicates: bool = True,
    status_code: str | None = None,
    route: bool = True,
    now: datetime.datetime | None = None,
) -> Submission:
    """Create, screen and triage a help request; route it after the commit if eligible.

    Guarantees: the protected fields are encrypted under a new subject's data key; the request,
    its adverse parties and the audit event commit together or not at all; the same
    ``idempotency_key`` never creates a second request (the first one is returned, with
    ``created=False``), even when two submissions race; the status code (``status_code``, or a
    new random one) is returned once and only its hash is stored. With ``flag_duplicates``, an open request for the same A-number
    is linked and the new one waits for a person to review it. Without ``route`` an eligible
    request waits in the queue (for batch assignment or a person) instead of being sent.

    Who: intake staff and partner hotlines (``by``), or :data:`~amparo.core.services.SYSTEM`
    for the public form (nobody signs in to ask for help), imports and the demo.
    """
    require(is_system(by) or can_work_intake(by))
    errors = {}
    if source not in Source.values:
        errors["source"] = _("Choose a value from the list.")
    if data.custody not in Custody.values:
        errors["custody"] = _("Choose a value from the list.")
    deadline_kinds = HelpRequest._meta.get_field("deadline_kind").choices or ()
    if data.deadline_kind and data.deadline_kind not in dict(deadline_kinds):
        errors["deadline_kind"] = _("Choose a value from the list.")
    if errors:
        raise ServiceError(errors)
    key = (idempotency_key or "").strip()[:64] or None
    now = now or timezone.now()
    if key is not None:
        existing = HelpRequest.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return Submission(existing, "", False)
    policy = policy_for(data.program_id)
    status_code = status_code or codes.new_status_code()
    for attempt in range(3):
        try:
            request = _create(
                data, policy=policy, source=source, by=by, key=key, now=now, route=route,
                flag_duplicates=flag_duplicates, status_code=status_code,
            )  # fmt: skip
            break
        except IntegrityError:
            if key is not None:
                existing = HelpRequest.objects.filter(idempotency_key=key).first()
                if existing is not None:
                    return Submission(existing, "", False)
            if attempt == 2:
                raise
            # Otherwise two references collided (one chance in billions): draw another.
    logger.debug(
        "help request created reference=%s source=%s state=%s",
        request.reference,
        source,
        request.state,
    )
    return Submission(request, status_code, True)


def _build(
    data: RequestData,
    *,
    policy: IntakePolicy,
    source: str,
    by: Actor,
    key: str | None,
    now: datetime.datetime,
) -> HelpRequest:
    request = HelpRequest(
        reference=codes.new_reference(),
        idempotency_key=key,
        source=source,
        created_by=None if isinstance(by, SystemActor) else by,
        program_id=policy.program_id,
        language=data.language,
        spoken_language=data.spoken_language or data.language,
        needs_interpreter=data.needs_interpreter,
        for_whom=data.for_whom,
        custody=data.custody,
        facility=data.facility if data.custody == Custody.DETAINED else "",
        next_hearing=data.next_hearing,
        court=data.court,
        zip_code=data.zip_code,
        county=data.county,
        household_size=data.household_size,
        income_low_cents=_cents(data.income_low),
        income_high_cents=_cents(data.income_high),
        practice_area=data.practice_area or _default_practice_area(data.custody),
        minor=data.minor or data.unaccompanied_child,
        unaccompanied_child=data.unaccompanied_child,
        in_absentia_risk=data.in_absentia_risk,
        vulnerable=data.vulnerable,
        missed_hearing=data.missed_hearing or data.in_absentia_order,
        in_absentia_order=data.in_absentia_order,
        deadline_kind=data.deadline_kind if data.deadline_date else "",
        deadline_date=data.deadline_date if data.deadline_kind else None,
        contact_method=data.contact_method,
        safe_to_leave_message=data.safe_to_leave_message,
        name=data.name.strip(),
        a_number=data.a_number.strip(),
        date_of_birth=data.date_of_birth,
        phone=data.phone.strip(),
        email=data.email.strip(),
        relative_name=data.relative_name.strip(),
        relative_phone=data.relative_phone.strip(),
        contact_notes=data.contact_notes.strip(),
        consent_version=CONSENT_VERSION,
        consented_at=now,
        created_at=now,
    )
    request.area = routing_area(request, policy)
    _apply_screening(request, policy, now)
    _set_state(request, _state_after_screening(request.eligibility), now=now)
    return request


# --- Staff decisions --------------------------------------------------------------------------


def _locked(request: HelpRequest) -> HelpRequest:
    return HelpRequest.objects.select_for_update().get(pk=request.pk)


class ReviewDecision:
    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    DUPLICATE = "duplicate"
    CHOICES = (ELIGIBLE, NOT_ELIGIBLE, DUPLICATE)


def help_request_review(*, help_request: HelpRequest, by: User, decision: str) -> HelpRequest:
    """A person decides a request that screening could not (or a possible duplicate).

    ``eligible`` puts it in the queue and routes it after the commit; ``not_eligible`` closes it
    as not eligible; ``duplicate`` closes it in favour of the request it duplicates.
    Intake staff only.
    """
    require(can_work_intake(by))
    if decision not in ReviewDecision.CHOICES:
        raise IntakeError(_("Choose a decision."), code="decision")
    with transaction.atomic():
        request = _locked(help_request)
        if request.purged_at is not None or request.state != RequestState.NEEDS_REVIEW:
            raise IntakeError(_("This request is not waiting for a review any more."), code="state")
        if decision == ReviewDecision.DUPLICATE and request.possible_duplicate_of_id is None:
            raise IntakeError(_("This request is not linked to another one."), code="duplicate")
        now = timezone.now()
        if decision == ReviewDecision.ELIGIBLE:
            request.eligibility = Eligibility.ELIGIBLE
            _set_state(request, RequestState.WAITING, now=now)
        elif decision == ReviewDecision.NOT_ELIGIBLE:
            request.eligibility = Eligibility.INELIGIBLE
            _set_state(request, RequestState.NOT_ELIGIBLE, now=now)
        else:
            _set_state(request, RequestState.CLOSED, now=now)
        request.reviewed_by = by
        request.awaiting_routing = request.state == RequestState.WAITING
        request.save(
            update_fields=[
                "eligibility", "state", "state_changed_at", "reviewed_by", "awaiting_routing"
            ]
        )  # fmt: skip
        audit_record(actor=by, action="intake.help_request.reviewed", obj=request, reason=decision)
        if request.state == RequestState.WAITING:
            hooks.request_waiting(request)
    help_request.state, help_request.eligibility = request.state, request.eligibility
    return request


def help_request_close(
    *, help_request: HelpRequest, by: User, reason: str = "closed by staff"
) -> HelpRequest:
    """Close an open request (the person withdrew, or found help). Its pending referral is
    withdrawn (:data:`~amparo.intake.hooks.ON_CLOSED`); the retention period starts now. Intake
    staff only."""
    require(can_work_intake(by))
    with transaction.atomic():
        request = _locked(help_request)
        if request.state not in (
            RequestState.NEEDS_REVIEW,
            RequestState.WAITING,
            RequestState.REFERRED,
            RequestState.ESCALATED,
        ):
            raise IntakeError(_("Only an open request can be closed."), code="state")
        now = timezone.now()
        hooks.request_closed(request, now)
        _set_state(request, RequestState.CLOSED, now=now)
        request.save(update_fields=["state", "state_changed_at"])
        audit_record(
            actor=by, action="intake.help_request.closed", obj=request, reason=reason[:200]
        )
    help_request.state = request.state
    return request


def help_request_mark(
    *, help_request: HelpRequest, state: str, escalation_reason: str = ""
) -> None:
    """Move a request (already locked by the caller) to ``state``: for the referral services.
    The router has dealt with it, so it no longer awaits routing."""
    _set_state(help_request, state)
    help_request.escalation_reason = escalation_reason
    help_request.awaiting_routing = False
    fields = ["state", "state_changed_at", "escalation_reason", "awaiting_routing"]
    if state == RequestState.PLACED:
        help_request.placed_at = help_request.state_changed_at
        fields.append("placed_at")
    help_request.save(update_fields=fields)


# --- Retention --------------------------------------------------------------------------------

#: States whose data is kept only for the retention period (counted from when they closed).
PURGEABLE_STATES = (RequestState.NOT_ELIGIBLE, RequestState.CLOSED)
DEFAULT_RETENTION_DAYS = 90


def help_request_purge(*, help_request: HelpRequest, by: Actor, reason: str) -> HelpRequest:
    """Crypto-shred a request that never became a case: its data key and blind indexes go,
    with its adverse parties'. Refuses a request that became a case (its subject is the
    client's). The row stays, without anything identifying, for aggregate reports. The
    retention sweep (:data:`~amparo.core.services.SYSTEM`) or a fund administrator."""
    require(is_system(by) or can_view_retention(by))
    with transaction.atomic():
        request = _locked(help_request)
        if request.purged_at is not None:
            return request
        became_case = (
            request.state == RequestState.PLACED
            or request.placed_at is not None
            or hooks.request_became_case(request)
        )
        if became_case:
            raise IntakeError(
                _("This request became a case: its data is kept with the case."), code="case"
            )
        subject_shred(subject=request.subject, by=by, reason=reason)
        request.purged_at = timezone.now()
        request.idempotency_key = None
        request.save(update_fields=["purged_at", "idempotency_key"])
        audit_record(actor=by, action="intake.help_request.purged", obj=request, reason=reason)
    help_request.purged_at = request.purged_at
    return request


def retention_days_by_program() -> dict[int | None, int]:
    days: dict[int | None, int] = {None: DEFAULT_RETENTION_DAYS}
    for program_id, value in IntakePolicy.objects.values_list("program_id", "retention_days"):
        days[program_id] = value
    return days


def help_requests_due_for_purge(*, now: datetime.datetime | None = None) -> list[HelpRequest]:
    """Closed and not-eligible requests whose retention period (per program) has ended."""
    now = now or timezone.now()
    days = retention_days_by_program()
    due: list[HelpRequest] = []
    candidates = HelpRequest.objects.filter(
        state__in=PURGEABLE_STATES, purged_at__isnull=True, placed_at__isnull=True
    ).only("id", "program_id", "state_changed_at", "subject_id")
    for request in candidates.iterator():
        keep = days.get(request.program_id, days[None])
        if request.state_changed_at <= now - datetime.timedelta(days=keep):
            due.append(request)
    return due


def help_requests_purge_expired(*, by: Actor, now: datetime.datetime | None = None) -> int:
    """Shred every request whose retention period ended; returns how many. Each is its own
    transaction, so one failure does not keep the others. The scheduler
    (:data:`~amparo.core.services.SYSTEM`) or a fund administrator."""
    require(is_system(by) or can_view_retention(by))
    purged = 0
    for request in help_requests_due_for_purge(now=now):
        try:
            help_request_purge(help_request=request, by=by, reason="retention period ended")
        except IntakeError:
            continue
        purged += 1
    if purged:
        logger.info("retention: shredded %s help requests", purged)
    return purged


# --- Program rules and poverty tables (fund administrators) ------------------------------------

POLICY_FIELDS = (
    "public_intake",
    "income_percent",
    "poverty_year",
    "poverty_region",
    "if_unverified",
    "zip_codes",
    "counties",
    "facilities",
    "courts",
    "custodies",
    "practice_areas",
    "interpreter_languages",
    "triage_weights",
    "sla_hours_detained",
    "sla_hours_non_detained",
    "max_referral_attempts",
    "retention_days",
    "referrals_elsewhere",
)


def intake_policy_save(*, program: Any, by: User, values: dict[str, Any]) -> IntakePolicy:
    """Create or change a program's intake rules. Fund administrators only. Requests already
    screened keep their result; new ones use the new rules."""
    require(can_manage_intake_policy(by))
    try:
        validate_weights(values.get("triage_weights") or {})
    except ValueError as error:
        raise ServiceError({"triage_weights": str(error)}) from error
    with transaction.atomic():
        policy = IntakePolicy.objects.select_for_update().filter(
            program=program
        ).first() or IntakePolicy(program=program)
        changed = [
            name
            for name in POLICY_FIELDS
            if name in values and getattr(policy, name) != values[name]
        ]
        for name in POLICY_FIELDS:
            if name in values:
                setattr(policy, name, values[name])
        policy.updated_at = timezone.now()
        policy.updated_by = by
        policy.save()
        transaction.on_commit(forget_cached_rules)
        audit_record(actor=by, action="intake.policy.updated", obj=policy, fields=changed)
    return policy


def poverty_guideline_confirm(
    *, guideline: Any, by: User, additional_person: int, source: str
) -> Any:
    """A fund administrator confirms a table's figures (and enters the increment per person that
    was not known). From now on screening may use it."""
    from .models import PovertyGuideline

    require(can_manage_intake_policy(by))
    if additional_person <= 0:
        raise ServiceError(
            {"additional_person": _("Enter a positive number of dollars.")}, code="amount"
        )
    with transaction.atomic():
        locked = PovertyGuideline.objects.select_for_update().get(pk=guideline.pk)
        locked.additional_person = additional_person
        locked.verified = True
        locked.source = source.strip()[:300]
        locked.confirmed_by = by
        locked.confirmed_at = timezone.now()
        locked.save()
        transaction.on_commit(forget_cached_rules)
        audit_record(
            actor=by,
            action="intake.poverty_guideline.confirmed",
            obj=locked,
            fields=["additional_person", "verified", "source"],
        )
    return locked


def status_code_rehash(*, help_request: HelpRequest, code: str) -> None:
    """``code`` was just checked against ``help_request``'s stored hash: if that hash is the old
    SECRET_KEY-keyed kind (before issue #15), replace it by one keyed by the key provider.
    Guarantees: a hash changes only from the one that was checked (a racing rewrite is kept)."""
    stored = help_request.status_code_hash
    if codes.status_code_hash_is_legacy(stored):
        HelpRequest.objects.filter(pk=help_request.pk, status_code_hash=stored).update(
            status_code_hash=codes.status_code_hash(code)
        )
