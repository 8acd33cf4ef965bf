"""``POST /api/v1/help-requests``: partner hotlines and intake workers send requests.

Registered on the shared NinjaAPI from ``IntakeConfig.ready()``. The body is validated field by
field with translated messages (``Accept-Language``); bad input answers 422 with a message per
field and changes nothing. A repeated ``Idempotency-Key`` header returns the request created
the first time (200) instead of creating another.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError, ValidationError
from pydantic import ConfigDict, Field

from amparo.core.hearing_dates import check_next_hearing
from amparo.core.http import DetailOut, ErrorOut, json_request_body, request_user
from amparo.core.terms import Custody
from amparo.organizations.models import PracticeArea
from amparo.vault.validators import validate_a_number, validate_email, validate_name, validate_phone

from .explain import eligibility_sentence, priority_sentence
from .forms import MAX_HOUSEHOLD, clean_zip, parse_money
from .models import ContactMethod, HelpRequest, Source
from .permissions import can_use_intake_api
from .services import RequestData, help_request_submit

#: Mounted at the API's root by the app's ``ready()``.
router = Router()

FIELDS = (
    "language",
    "name",
    "phone",
    "email",
    "zip",
    "household_size",
    "annual_income",
    "detained",
    "facility",
    "a_number",
    "next_hearing",
    "court",
    "practice_area",
)


class HelpRequestIn(Schema):
    """The request body (documented here; validated field by field with translated messages)."""

    model_config = ConfigDict(extra="forbid")

    language: str = Field(
        description="The person's language: a language code of the site.",
        json_schema_extra={"enum": [code for code, _name in settings.LANGUAGES]},
    )
    name: str = Field(min_length=1, max_length=200, description="At least one letter.")
    phone: str | None = Field(
        default=None, max_length=40, description="A phone or an email is required."
    )
    email: str | None = Field(default=None, max_length=254)
    zip: str | None = Field(
        default=None, pattern=r"^[0-9]{5}(-?[0-9]{4})?$", description="5-digit ZIP code."
    )
    household_size: int | None = Field(default=None, ge=1, le=MAX_HOUSEHOLD)
    annual_income: int | None = Field(
        default=None, ge=0, le=10_000_000, description="Whole dollars a year."
    )
    detained: bool
    facility: str | None = Field(default=None, max_length=200)
    a_number: str | None = Field(
        default=None, max_length=20, description="8 or 9 digits, with or without A, dashes, spaces."
    )
    next_hearing: datetime.date | None = Field(
        default=None, description="Within the last year or the next five."
    )
    court: str | None = Field(default=None, max_length=200)
    practice_area: str | None = Field(
        default=None, json_schema_extra={"enum": [*PracticeArea.values, None]}
    )


class ReasonOut(Schema):
    code: str
    points: int
    text: str


class EligibilityReasonOut(Schema):
    criterion: str
    outcome: str
    code: str
    text: str


class HelpRequestOut(Schema):
    reference: str
    eligible: bool | None
    eligibility: str
    state: str
    priority: int
    reasons: list[ReasonOut]
    eligibility_reasons: list[EligibilityReasonOut]
    possible_duplicate_of: str | None = None


def _fail(errors: dict[str, str]) -> None:
    raise ValidationError([{"loc": [field], "msg": message} for field, message in errors.items()])


def _text(data: dict[str, Any], key: str, errors: dict[str, str], *, max_length: int = 200) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        errors[key] = _("Must be text.")
        return ""
    value = value.strip()
    if len(value) > max_length:
        errors[key] = _("At most %(count)d characters.") % {"count": max_length}
    return value


def _check(validator: Any, value: str, key: str, errors: dict[str, str]) -> None:
    if not value or key in errors:
        return
    try:
        validator(value)
    except DjangoValidationError as exc:
        errors[key] = " ".join(str(m) for m in exc.messages)


def parse_help_request(data: Any) -> RequestData:
    """The body as ``RequestData``, or ``ValidationError`` (422) with a translated message per
    field. Nothing is saved before every field is valid."""
    if not isinstance(data, dict):
        _fail({"body": _("The body must be a JSON object.")})
    errors: dict[str, str] = {}
    for key in data:
        if key not in FIELDS:
            errors[str(key)[:50]] = _("Unknown field.")
    languages = [code for code, _name in settings.LANGUAGES]
    language = _text(data, "language", errors, max_length=8)
    if "language" not in errors and language not in languages:
        errors["language"] = _("Use one of: %(codes)s.") % {"codes": ", ".join(languages)}
    name = _text(data, "name", errors)
    if "name" not in errors and not name:
        errors["name"] = _("Enter the person's name.")
    _check(validate_name, name, "name", errors)
    phone = _text(data, "phone", errors, max_length=40)
    _check(validate_phone, phone, "phone", errors)
    email = _text(data, "email", errors, max_length=254)
    _check(validate_email, email, "email", errors)
    if not phone and not email and "phone" not in errors and "email" not in errors:
        errors["phone"] = _("Give a phone or an email, so the person can be reached.")
    zip_code = _text(data, "zip", errors, max_length=10)
    if "zip" not in errors:
        try:
            zip_code = clean_zip(zip_code)
        except DjangoValidationError as exc:
            errors["zip"] = " ".join(str(m) for m in exc.messages)
    household = data.get("household_size")
    if household is not None and (
        isinstance(household, bool)
        or not isinstance(household, int)
        or not 1 <= household <= MAX_HOUSEHOLD
    ):
        errors["household_size"] = _("Enter a whole number from 1 to 30.")
    income = None
    raw_income = data.get("annual_income")
    if raw_income is not None:
        if isinstance(raw_income, (str, bool)):
            errors["annual_income"] = _("Enter a whole number of dollars, like 24000.")
        else:
            try:
                income = parse_money(raw_income)
            except DjangoValidationError as exc:
                errors["annual_income"] = " ".join(str(m) for m in exc.messages)
    detained = data.get("detained")
    if not isinstance(detained, bool):
        errors["detained"] = _("Enter true or false.")
    facility = _text(data, "facility", errors)
    a_number = _text(data, "a_number", errors, max_length=20)
    _check(validate_a_number, a_number, "a_number", errors)
    hearing = None
    raw_hearing = data.get("next_hearing")
    if raw_hearing is not None:
        try:
            hearing = (
                datetime.date.fromisoformat(raw_hearing) if isinstance(raw_hearing, str) else None
            )
        except ValueError:
            hearing = None
        if hearing is None:
            errors["next_hearing"] = _("Enter a date as YYYY-MM-DD, like 2026-03-27.")
        else:
            try:
                check_next_hearing(hearing)
            except DjangoValidationError as exc:
                errors["next_hearing"] = " ".join(str(m) for m in exc.messages)
    court = _text(data, "court", errors)
    area = _text(data, "practice_area", errors, max_length=40)
    if area and "practice_area" not in errors and area not in PracticeArea.values:
        errors["practice_area"] = _("Unknown practice area.")
    if errors:
        _fail(errors)
    return RequestData(
        name=name,
        custody=Custody.DETAINED if detained else Custody.NEVER_DETAINED,
        contact_method=ContactMethod.PHONE if phone else ContactMethod.EMAIL,
        language=language,
        spoken_language=language,
        facility=facility if detained else "",
        a_number=a_number,
        next_hearing=hearing,
        court=court,
        zip_code=zip_code,
        household_size=household,
        income_low=income,
        income_high=income,
        practice_area=area,
        phone=phone,
        email=email,
    )


def help_request_out(request: HelpRequest) -> HelpRequestOut:
    eligible = {"eligible": True, "ineligible": False}.get(request.eligibility)
    return HelpRequestOut(
        reference=request.reference,
        eligible=eligible,
        eligibility=request.eligibility,
        state=request.state,
        priority=request.priority,
        reasons=[
            ReasonOut(
                code=str(f.get("code")), points=int(f.get("points", 0)), text=priority_sentence(f)
            )
            for f in request.priority_reasons
        ],
        eligibility_reasons=[
            EligibilityReasonOut(
                criterion=str(r.get("criterion")),
                outcome=str(r.get("outcome")),
                code=str(r.get("code")),
                text=eligibility_sentence(r),
            )
            for r in request.eligibility_reasons
        ],
        possible_duplicate_of=duplicate.reference
        if (duplicate := request.possible_duplicate_of)
        else None,
    )


@router.post(
    "/help-requests",
    response={200: HelpRequestOut, 201: HelpRequestOut, 403: DetailOut, 422: ErrorOut},
    summary="Create a help request (partner hotlines and intake workers)",
    tags=["intake"],
    openapi_extra={
        "requestBody": json_request_body(HelpRequestIn, required=True),
        "parameters": [
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "schema": {"type": "string", "maxLength": 64},
                "description": "Send the same key again to get the same request back instead of a new one.",
            }
        ],
    },
)
def help_request_create(request: HttpRequest) -> Status[Any]:
    user = request.user
    if not can_use_intake_api(user):
        raise HttpError(403, _("Your role cannot create help requests."))
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        _fail({"body": _("The body is not valid JSON.")})
    data = parse_help_request(body)
    key = request.headers.get("Idempotency-Key", "").strip()
    if len(key) > 64:
        _fail({"Idempotency-Key": _("At most %(count)d characters.") % {"count": 64}})
    submission = help_request_submit(
        data=data,
        source=Source.API,
        by=request_user(request),
        idempotency_key="api:" + hashlib.sha256(f"{user.pk}:{key}".encode()).hexdigest()[:60]
        if key
        else None,
    )
    status = 201 if submission.created else 200
    return Status(status, help_request_out(submission.help_request))
