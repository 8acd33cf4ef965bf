"""Dashboard panels for the people who run organizations, registered in AppConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from amparo.accounts.roles import Role

from .models import Program
from .permissions import is_fund_admin, is_provider_admin_of
from .selectors import (
    organization_directory,
    organizations_of,
    own_attorney_profile,
    staff_summary,
)


def provider_admin_panel(user: Any) -> dict[str, Any] | None:
    """Staff and room for new cases in each organization the person runs."""
    summaries = [
        staff_summary(organization=org)
        for org in organizations_of(user)
        if is_provider_admin_of(user, org)
    ]
    if not summaries:
        return None
    return {
        "title": _("Your organization"),
        "template": "organizations/panels/provider_admin.html",
        "summaries": summaries,
    }


def fund_admin_panel(user: Any) -> dict[str, Any] | None:
    """How many organizations and programs the fund has, and who is taking cases."""
    if not is_fund_admin(user):
        return None
    orgs = organization_directory(fetched_by=user)
    return {
        "title": _("Organizations and programs"),
        "template": "organizations/panels/fund_admin.html",
        "organizations_active": orgs.filter(is_active=True).count(),
        "organizations_accepting": orgs.filter(is_active=True, accepting_new_cases=True).count(),
        "organizations_inactive": orgs.filter(is_active=False).count(),
        "programs": list(Program.objects.filter(is_active=True).order_by("name")),
    }


def attorney_panel(user: Any) -> dict[str, Any] | None:
    """The attorney's own routing profile, or a nudge to fill it in."""
    membership = user.memberships.active().select_related("organization").first()
    if membership is None:
        return None
    return {
        "title": _("Your profile for referrals"),
        "template": "organizations/panels/attorney.html",
        "profile": own_attorney_profile(user),
        "organization": membership.organization,
    }


PANELS = [
    (frozenset({Role.FUND_ADMIN}), fund_admin_panel),
    (frozenset({Role.PROVIDER_ADMIN}), provider_admin_panel),
    (frozenset({Role.ATTORNEY}), attorney_panel),
]
