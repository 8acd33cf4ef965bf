"""The cases API: ``/api/v1/cases/``. Registered on the shared NinjaAPI from ``CasesConfig.ready``.

A token carries its user's rights exactly: the same selectors and predicates as the pages. A
case the caller may not see answers 404 exactly like one that does not exist. Reads that show
the client's identity are audited; bad input answers 422 with ``{"detail", "errors": [{"field",
"message"}]}`` and changes nothing.
"""

from __future__ import annotations

import datetime
from typing import Literal

from django.db.models import OuterRef, Subquery
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import ValidationError
from ninja.params import P, QueryEx
from pydantic import ConfigDict, Field

from amparo.audit.reads import audit_read
from amparo.core.http import choice, json_request_body, request_user, validated_body
from amparo.vault.errors import VaultError

from . import services
from .choices import HearingKind, HearingMode
from .models import Case, Hearing, Outcome
from .outcomes import GRANTED_CHOICES, DecidedBy, OutcomeKind, eoir_code
from .permissions import can_view_client_identity
from .selectors import access_case, case_list

router = Router(tags=["cases"])


#: Fields shown to callers who may see the client's identity (for the audit event).
API_IDENTITY_FIELDS = ("client.name", "client.a_number")


class ClientOut(Schema):
    name: str | None = Field(description="Null when the caller may not see the client's identity.")
    a_number: str | None
    initials: str


class HearingOut(Schema):
    id: int
    kind: str
    date: datetime.date
    time: str | None
    judge: str
    mode: str
    status: str


class DeadlineOut(Schema):
    id: int
    rule: str
    title: str
    trigger: datetime.date
    due: datetime.date | None
    calendar_date: datetime.date | None
    effective_date: datetime.date | None
    citation: str
    explanation: str
    needs_review: bool
    override_date: datetime.date | None
    override_reason: str
    done: bool


class OutcomeOut(Schema):
    id: int
    kind: str
    relief: str
    in_absentia: bool
    decided_by: str
    decision_date: datetime.date
    eoir_case_type: str | None
    eoir_decision_code: str | None
    eoir_code_confirmed: bool


class CaseSummaryOut(Schema):
    id: str
    reference: str
    organization: str
    status: str
    case_type: str
    custody: str
    court: str
    next_hearing: datetime.date | None


class CaseOut(Schema):
    id: str
    reference: str
    organization: str
    status: str
    stage: str
    case_type: str
    custody: str
    court: str
    relief_sought: list[str]
    client: ClientOut
    hearings: list[HearingOut]
    deadlines: list[DeadlineOut]
    outcome: OutcomeOut | None


class HearingIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["master", "individual", "bond"]
    date: datetime.date = Field(
        description=(
            "At most five years ahead; more than a year ago only with confirm_past "
            "(otherwise 422 with a message on date)."
        )
    )
    time: datetime.time | None = None
    judge: str = Field(default="", max_length=120)
    mode: Literal["in_person", "video"] = "in_person"
    confirm_past: bool = Field(
        default=False,
        description="True to record on purpose a hearing more than a year ago.",
    )


class OutcomeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: str = choice(OutcomeKind.values, description="One of our outcomes.")
    decided_by: Literal["ij", "bia", "uscis", "federal_court"]
    decision_date: datetime.date
    relief: str = choice(["", *dict(GRANTED_CHOICES)], default="")
    in_absentia: bool = False


assert set(HearingKind.values) == {"master", "individual", "bond"}
assert set(HearingMode.values) == {"in_person", "video"}
assert set(DecidedBy.values) == {"ij", "bia", "uscis", "federal_court"}


def _hearing_out(h: Hearing) -> HearingOut:
    return HearingOut(
        id=h.pk,
        kind=h.kind,
        date=h.date,
        time=h.time.strftime("%H:%M") if h.time else None,
        judge=h.judge,
        mode=h.mode,
        status=h.status,
    )


def _outcome_out(o: Outcome, case_type: str) -> OutcomeOut:
    code = eoir_code(case_type, o.kind)
    return OutcomeOut(
        id=o.pk,
        kind=o.kind,
        relief=o.relief,
        in_absentia=o.in_absentia,
        decided_by=o.decided_by,
        decision_date=o.decision_date,
        eoir_case_type=code.case_type,
        eoir_decision_code=code.decision,
        eoir_code_confirmed=code.confirmed,
    )


def _case_out(case: Case, *, identity: bool) -> CaseOut:
    client = case.client
    outcome = case.outcome
    try:
        name, a_number = (client.name, client.a_number or None) if identity else (None, None)
    except VaultError:  # shredded: the case keeps its shape, the person is gone
        name, a_number = None, None
    return CaseOut(
        id=str(case.pk),
        reference=case.reference,
        organization=case.organization.slug,
        status=case.status,
        stage=case.stage,
        case_type=case.case_type,
        custody=case.custody,
        court=case.court,
        relief_sought=list(case.relief_sought),
        client=ClientOut(
            name=name,
            a_number=a_number,
            initials=client.initials,
        ),
        hearings=[_hearing_out(h) for h in case.hearings.all()],
        deadlines=[
            DeadlineOut(
                id=d.pk,
                rule=d.rule_id,
                title=d.rule_title,
                trigger=d.trigger_date,
                due=d.due,
                calendar_date=d.calendar_date,
                effective_date=d.effective_date,
                citation=d.citation,
                explanation=d.explanation_text,
                needs_review=d.needs_review,
                override_date=d.override_date,
                override_reason=d.override_reason,
                done=d.completed_at is not None,
            )
            for d in case.deadlines.filter(is_active=True).order_by("effective_date", "rule_id")
        ],
        outcome=_outcome_out(outcome, case.case_type) if outcome else None,
    )


#: The furthest a page may start: far beyond any fund's cases, well inside a 64-bit integer.
MAX_OFFSET = 1_000_000_000


@router.get("/", response=list[CaseSummaryOut], summary="The cases the caller may see")
def cases(
    request: HttpRequest,
    limit: QueryEx[int, P(ge=1, le=500)] = 100,
    offset: QueryEx[int, P(ge=0, le=MAX_OFFSET)] = 0,
) -> list[CaseSummaryOut]:
    """A page of cases; ``limit`` and ``offset`` outside their documented range answer 422
    (a database cannot seek to an offset beyond a 64-bit integer, and nobody has that many)."""
    upcoming = (
        Hearing.objects.filter(
            case=OuterRef("pk"), status="scheduled", date__gte=timezone.localdate()
        )
        .order_by("date")
        .values("date")[:1]
    )
    rows = (
        case_list(fetched_by=request_user(request))
        .annotate(upcoming_hearing=Subquery(upcoming))
        .order_by("-opened_at", "pk")[offset : offset + limit]
    )
    out = []
    for case in rows:
        out.append(
            CaseSummaryOut(
                id=str(case.pk),
                reference=case.reference,
                organization=case.organization.slug,
                status=case.status,
                case_type=case.case_type,
                custody=case.custody,
                court=case.court,
                next_hearing=case.upcoming_hearing,
            )
        )
    return out


@router.get(
    "/{case_id}", response=CaseOut, summary="One case, with hearings, deadlines and outcome"
)
def case_detail(request: HttpRequest, case_id: str) -> CaseOut:
    user = request_user(request)
    case = access_case(user, case_id)
    identity = bool(can_view_client_identity(user, case))
    out = _case_out(case, identity=identity)
    audit_read(actor=user, obj=case, fields=API_IDENTITY_FIELDS if identity else ())
    return out


@router.post(
    "/{case_id}/hearings",
    response={201: HearingOut},
    summary="Add a hearing (its pre-hearing filing deadline is computed; its date is checked)",
    openapi_extra={"requestBody": json_request_body(HearingIn, required=True)},
)
def hearing_add(request: HttpRequest, case_id: str) -> tuple[int, HearingOut]:
    user = request_user(request)
    data = validated_body(HearingIn, request)
    case = access_case(user, case_id)
    hearing = services.hearing_add(case=case, by=user, **data.model_dump())
    return 201, _hearing_out(hearing)


@router.post(
    "/{case_id}/outcome",
    response={201: OutcomeOut},
    summary="Record a decision (the deadlines it starts are created)",
    openapi_extra={"requestBody": json_request_body(OutcomeIn, required=True)},
)
def outcome_record(request: HttpRequest, case_id: str) -> tuple[int, OutcomeOut]:
    user = request_user(request)
    data = validated_body(OutcomeIn, request)
    errors = []
    if data.kind not in OutcomeKind.values:
        errors.append({"loc": ["kind"], "msg": "Unknown outcome."})
    if data.relief and data.relief not in dict(GRANTED_CHOICES):
        errors.append({"loc": ["relief"], "msg": "Unknown relief."})
    if errors:
        raise ValidationError(errors)
    case = access_case(user, case_id)
    outcome = services.outcome_record(case=case, by=user, **data.model_dump())
    return 201, _outcome_out(outcome, case.case_type)
