"""Referrals in the API: providers list, accept and decline theirs (fund staff list them all).

Registered on the shared NinjaAPI from ``ReferralsConfig.ready()``. The list carries no
protected data; accepting opens the case exactly as the page does. A referral the caller may
not see answers 404, the same as a missing one.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import ValidationError
from pydantic import ConfigDict, Field

from amparo.core.http import DetailOut, ErrorOut, choice, json_request_body, request_user
from amparo.intake.explain import priority_sentence
from amparo.organizations.models import AttorneyProfile

from .models import DeclineReason, Referral
from .permissions import can_answer_referral
from .selectors import access_referral, referral_list
from .services import ReferralError, referral_accept, referral_decline

#: Mounted at the API's root by the app's ``ready()``.
router = Router()


class ReferralOut(Schema):
    id: int
    reference: str
    organization: str
    status: str
    priority: int
    reasons: list[str]
    detained: bool
    language: str
    needs_interpreter: bool
    practice_area: str
    next_hearing: datetime.date | None
    sent_at: datetime.datetime
    due_at: datetime.datetime
    conflict: str
    conflict_matches: list[str]
    suggested_attorney_id: int | None
    case_id: str | None


class AcceptIn(Schema):
    model_config = ConfigDict(extra="forbid")

    attorney_id: int | None = Field(
        default=None, description="The lead attorney's profile id (default: the suggested one)."
    )
    conflict_waived: bool = Field(
        default=False, description="Required when the conflict check found a possible conflict."
    )


class DeclineIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = choice(DeclineReason.values, description="Why the provider declines.")


class AcceptOut(Schema):
    referral: ReferralOut
    case_id: str


def referral_out(referral: Referral) -> ReferralOut:
    request = referral.help_request
    return ReferralOut(
        id=referral.pk,
        reference=request.reference,
        organization=referral.organization.slug,
        status=referral.status,
        priority=request.priority,
        reasons=[priority_sentence(f) for f in request.priority_reasons],
        detained=request.detained,
        language=request.spoken_language,
        needs_interpreter=request.needs_interpreter or referral.interpreter,
        practice_area=request.practice_area,
        next_hearing=request.next_hearing,
        sent_at=referral.sent_at,
        due_at=referral.due_at,
        conflict=referral.conflict,
        conflict_matches=list(referral.conflict_matches),
        suggested_attorney_id=referral.attorney_id,
        case_id=referral.case_id or None,
    )


def _body(request: HttpRequest) -> dict[str, Any]:
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValidationError([{"loc": ["body"], "msg": _("The body is not valid JSON.")}]) from exc
    if not isinstance(data, dict):
        raise ValidationError([{"loc": ["body"], "msg": _("The body must be a JSON object.")}])
    unknown = [key for key in data if key not in ("attorney_id", "conflict_waived", "reason")]
    if unknown:
        raise ValidationError(
            [{"loc": [str(key)[:50]], "msg": _("Unknown field.")} for key in unknown]
        )
    return data


def _answerable(request: HttpRequest, referral_id: int) -> Referral:
    referral = access_referral(request.user, referral_id)
    if not can_answer_referral(request.user, referral):
        raise Http404
    return referral


@router.get(
    "/referrals",
    response=list[ReferralOut],
    summary="Referrals the caller may see",
    tags=["referrals"],
)
def referrals(request: HttpRequest) -> list[ReferralOut]:
    qs = referral_list(fetched_by=request.user).order_by("-sent_at")[:500]
    return [referral_out(r) for r in qs]


@router.post(
    "/referrals/{referral_id}/accept",
    response={200: AcceptOut, 404: DetailOut, 409: DetailOut, 422: ErrorOut},
    summary="Accept a referral: the case opens with the lead attorney",
    tags=["referrals"],
    openapi_extra={"requestBody": json_request_body(AcceptIn, required=False)},
)
def referral_accept_api(request: HttpRequest, referral_id: int) -> Status[Any]:
    data = _body(request)
    errors = []
    attorney_id = data.get("attorney_id")
    if attorney_id is not None and (
        isinstance(attorney_id, bool) or not isinstance(attorney_id, int)
    ):
        errors.append(
            {"loc": ["attorney_id"], "msg": _("Enter an attorney's id (a whole number).")}
        )
    waived = data.get("conflict_waived", False)
    if not isinstance(waived, bool):
        errors.append({"loc": ["conflict_waived"], "msg": _("Enter true or false.")})
    if errors:
        raise ValidationError(errors)
    referral = _answerable(request, referral_id)
    attorney = None
    if attorney_id is not None:
        attorney = (
            AttorneyProfile.objects.select_related("user")
            .filter(pk=attorney_id, organization=referral.organization)
            .first()
        )
        if attorney is None:
            raise ValidationError(
                [{"loc": ["attorney_id"], "msg": _("Choose an attorney of your organization.")}]
            )
    try:
        case = referral_accept(
            referral=referral,
            by=request_user(request),
            lead_attorney=attorney,
            conflict_waived=waived,
        )
    except ReferralError as error:
        if error.code in ("attorney", "invalid"):
            raise ValidationError([{"loc": ["attorney_id"], "msg": error.message}]) from error
        return Status(409, DetailOut(detail=str(error.message)))
    referral.refresh_from_db()
    return Status(200, AcceptOut(referral=referral_out(referral), case_id=str(case.pk)))


@router.post(
    "/referrals/{referral_id}/decline",
    response={200: ReferralOut, 404: DetailOut, 409: DetailOut, 422: ErrorOut},
    summary="Decline a referral with a reason: the request goes to another provider",
    tags=["referrals"],
    openapi_extra={"requestBody": json_request_body(DeclineIn, required=True)},
)
def referral_decline_api(request: HttpRequest, referral_id: int) -> Status[Any]:
    data = _body(request)
    reason = data.get("reason")
    if not isinstance(reason, str) or reason not in DeclineReason.values:
        raise ValidationError(
            [
                {
                    "loc": ["reason"],
                    "msg": _("Use one of: %(codes)s.") % {"codes": ", ".join(DeclineReason.values)},
                }
            ]
        )
    referral = _answerable(request, referral_id)
    try:
        declined = referral_decline(referral=referral, by=request_user(request), reason=reason)
    except ReferralError as error:
        return Status(409, DetailOut(detail=str(error.message)))
    fresh = Referral.objects.select_related("help_request", "organization").get(pk=declined.pk)
    return Status(200, referral_out(fresh))
