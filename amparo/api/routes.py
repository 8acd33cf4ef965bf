"""Endpoints of the foundation: who am I, and which organizations may I see."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest
from ninja import Schema

from amparo.accounts.models import User
from amparo.api.api import api
from amparo.organizations.models import Membership
from amparo.organizations.selectors import organization_list


class MeOut(Schema):
    id: int
    email: str
    role: str
    organization: str | None


class OrganizationOut(Schema):
    id: int
    name: str
    slug: str
    accepting_new_cases: bool


@api.get("/me", response=MeOut, summary="The signed-in user")
def me(request: HttpRequest) -> MeOut:
    user = cast(User, request.user)
    membership = (
        Membership.objects.active().filter(user=user).select_related("organization").first()
    )
    return MeOut(
        id=user.pk,
        email=user.email,
        role=user.role,
        organization=membership.organization.slug if membership else None,
    )


@api.get(
    "/organizations", response=list[OrganizationOut], summary="Organizations the caller may see"
)
def organizations(request: HttpRequest) -> list[OrganizationOut]:
    return [
        OrganizationOut(
            id=o.pk, name=o.name, slug=o.slug, accepting_new_cases=o.accepting_new_cases
        )
        for o in organization_list(fetched_by=request.user)  # type: ignore[arg-type]
    ]
