"""Endpoints of the foundation: who am I, and which organizations may I see."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Schema

from amparo.api.api import api
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
    user = request.user
    membership = user.memberships.active().select_related("organization").first()  # type: ignore[union-attr]
    return MeOut(
        id=user.pk,
        email=user.email,  # type: ignore[union-attr]
        role=user.role,  # type: ignore[union-attr]
        organization=membership.organization.slug if membership else None,
    )


@api.get("/organizations", response=list[OrganizationOut], summary="Organizations the caller may see")
def organizations(request: HttpRequest) -> list[OrganizationOut]:
    return [
        OrganizationOut(id=o.pk, name=o.name, slug=o.slug, accepting_new_cases=o.accepting_new_cases)
        for o in organization_list(fetched_by=request.user)  # type: ignore[arg-type]
    ]
