"""The grants API: ``/api/v1/grants/``. Same selectors and recusal rules as the pages: an
application a board member is conflicted with answers 404 exactly like a missing one."""

from __future__ import annotations

import datetime
from typing import cast

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from amparo.accounts.models import User

from .permissions import can_view_rounds, is_board_member, is_fund_admin
from .selectors import (
    access_application,
    application_list,
    round_list,
    weighted_score,
    with_scores,
)
from .services import scores_record

router = Router(tags=["grants"])


class RoundOut(Schema):
    id: int
    name: str
    status: str
    categories: list[str]
    budget: int
    currency: str
    opens_on: datetime.date
    closes_on: datetime.date


class ApplicationOut(Schema):
    id: int
    round: int
    organization: str
    category: str
    requested: int
    score: float | None


class ScoreIn(Schema):
    criterion: int
    value: int = Field(ge=1, le=5)
    comment: str = Field(default="", max_length=2000)


class ScoresIn(Schema):
    scores: list[ScoreIn]


@router.get("/rounds", response=list[RoundOut], summary="Grant rounds the caller may see")
def rounds(request: HttpRequest) -> list[RoundOut]:
    if not can_view_rounds(request.user):
        return []
    return [
        RoundOut(
            id=r.pk,
            name=r.name,
            status=r.status,
            categories=list(r.categories),
            budget=r.budget,
            currency=r.currency,
            opens_on=r.opens_on,
            closes_on=r.closes_on,
        )
        for r in round_list(fetched_by=request.user)
    ]


def _sees_scores(request: HttpRequest) -> bool:
    return is_fund_admin(request.user) or is_board_member(request.user)


def _out(request: HttpRequest, a: object) -> ApplicationOut:
    from .models import Application

    assert isinstance(a, Application)
    return ApplicationOut(
        id=a.pk,
        round=a.round_id,
        organization=a.organization.name,
        category=a.category,
        requested=a.requested,
        score=weighted_score(a) if _sees_scores(request) else None,
    )


@router.get(
    "/applications",
    response=list[ApplicationOut],
    summary="Applications the caller may see (a provider's own; the board's unconflicted)",
)
def applications(request: HttpRequest) -> list[ApplicationOut]:
    listed = application_list(fetched_by=request.user)
    return [_out(request, a) for a in (with_scores(listed) if _sees_scores(request) else listed)]


@router.get("/applications/{application_id}", response=ApplicationOut, summary="One application")
def application(request: HttpRequest, application_id: int) -> ApplicationOut:
    return _out(request, access_application(request.user, application_id))


@router.post(
    "/applications/{application_id}/scores",
    response={201: ApplicationOut},
    summary="A board member scores an application",
)
def score(
    request: HttpRequest, application_id: int, payload: ScoresIn
) -> tuple[int, ApplicationOut]:
    application = access_application(request.user, application_id)
    if not is_board_member(request.user):
        raise HttpError(403, "Only advisory board members score applications.")
    scores_record(
        application=application,
        by=cast(User, request.user),
        scores={s.criterion: (s.value, s.comment) for s in payload.scores},
    )
    return 201, _out(request, application)
