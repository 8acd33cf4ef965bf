"""API endpoints for attorney profiles: providers' own systems keep capacity in step.

Registered on the shared NinjaAPI from ``OrganizationsConfig.ready()``. A token carries its
user's permissions exactly: the same selectors and predicates as the pages decide what it sees.
"""

from __future__ import annotations

from typing import Annotated

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import BeforeValidator, ConfigDict, Field, StrictBool, field_validator

from amparo.core.http import request_user, validated_body

from .languages import LANGUAGES
from .models import AttorneyProfile, PracticeArea
from .selectors import access_attorney_profile, attorney_profile_list
from .services import attorney_profile_update

#: Mounted at the API's root by the app's ``ready()``.
router = Router()


def _whole_number(value: object) -> object:
    """A JSON number with no fraction (``499`` or ``499.0``, both integers in JSON Schema); a
    string or a boolean stays refused."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("Input should be a whole number.")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError("Input should be a whole number.")
        return int(value)
    return value


#: An attorney's capacity: a whole number of cases from 0 to 500.
Capacity = Annotated[int, Field(ge=0, le=500), BeforeValidator(_whole_number)]

#: List items whose allowed values the OpenAPI document names (the validators still check them).
LanguageCode = Annotated[str, Field(json_schema_extra={"enum": sorted(LANGUAGES)})]
PracticeAreaCode = Annotated[str, Field(json_schema_extra={"enum": list(PracticeArea.values)})]


class AttorneyOut(Schema):
    id: int
    organization: str
    name: str
    kind: str
    languages: list[LanguageCode]
    practice_areas: list[PracticeAreaCode]
    capacity: int
    accepting_new_cases: bool


class AttorneyPatchIn(Schema):
    """Any subset of the fields; unknown fields are refused rather than ignored."""

    model_config = ConfigDict(extra="forbid")

    capacity: Capacity | None = None
    accepting_new_cases: StrictBool | None = None
    languages: list[LanguageCode] | None = Field(default=None, min_length=1)
    practice_areas: list[PracticeAreaCode] | None = Field(default=None, min_length=1)

    @field_validator("languages")
    @classmethod
    def _known_languages(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and any(code not in LANGUAGES for code in value):
            raise ValueError("Use ISO 639 codes from the list of supported languages.")
        return value

    @field_validator("practice_areas")
    @classmethod
    def _known_areas(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and any(area not in PracticeArea.values for area in value):
            raise ValueError("Unknown practice area.")
        return value


def _out(profile: AttorneyProfile) -> AttorneyOut:
    return AttorneyOut(
        id=profile.pk,
        organization=profile.organization.slug,
        name=profile.user.display_name,
        kind=profile.kind,
        languages=list(profile.languages),
        practice_areas=list(profile.practice_areas),
        capacity=profile.capacity,
        accepting_new_cases=profile.accepting_new_cases,
    )


@router.get(
    "/attorneys",
    response=list[AttorneyOut],
    summary="Attorney profiles the caller may see",
    tags=["organizations"],
)
def attorneys(request: HttpRequest) -> list[AttorneyOut]:
    return [_out(p) for p in attorney_profile_list(fetched_by=request_user(request))]


@router.patch(
    "/attorneys/{profile_id}",
    response=AttorneyOut,
    summary="Change an attorney's capacity, languages, practice areas or availability",
    tags=["organizations"],
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": AttorneyPatchIn.model_json_schema()}},
        }
    },
)
def attorney_patch(request: HttpRequest, profile_id: int) -> AttorneyOut:
    user = request_user(request)
    patch = validated_body(AttorneyPatchIn, request)
    profile = access_attorney_profile(user, profile_id)
    profile = attorney_profile_update(
        profile=profile, by=user, data=patch.model_dump(exclude_none=True)
    )
    return _out(profile)
