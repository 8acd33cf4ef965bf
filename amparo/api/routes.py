"""Endpoints of the foundation: who am I, and which organizations may I see."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest
from ninja import Router, Schema

from amparo.accounts.models import User
from amparo.organizations.models import Membership
from amparo.organizations.selectors import organization_list

#: Mounted at the API's root by ``ApiConfig.ready()``.
router = Router()


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


@router.get("/me", response=MeOut, summary="The signed-in user")
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


@router.get(
    "/organizations", response=list[OrganizationOut], summary="Organizations the caller may see"
)
def organizations(request: HttpRequest) -> list[OrganizationOut]:
    return [
        OrganizationOut(
            id=o.pk, name=o.name, slug=o.slug, accepting_new_cases=o.accepting_new_cases
        )
        for o in organization_list(fetched_by=request.user)  # type: ignore[arg-type]
    ]
