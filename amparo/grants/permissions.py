"""Who may do what in grant rounds. Small named predicates; default deny."""

from __future__ import annotations

from typing import Any

from amparo.accounts.roles import Role
from amparo.organizations.models import Membership

from .models import Application, Conflict


def _active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_fund_admin(user: Any) -> bool:
    return _active(user) and user.role == Role.FUND_ADMIN


def is_board_member(user: Any) -> bool:
    return _active(user) and user.role == Role.BOARD_MEMBER


def is_provider_admin(user: Any) -> bool:
    return _active(user) and user.role == Role.PROVIDER_ADMIN


def can_view_rounds(user: Any) -> bool:
    return is_fund_admin(user) or is_board_member(user) or is_provider_admin(user)


def admin_organization_ids(user: Any) -> list[int]:
    """Organizations whose grant applications ``user`` manages (as their provider admin)."""
    if not is_provider_admin(user):
        return []
    return list(
        Membership.objects.active().filter(user=user).values_list("organization_id", flat=True)
    )


def is_conflicted(user: Any, application: Application) -> bool:
    """The member declared a conflict with this application or with its organization."""
    return Conflict.objects.filter(member=user, application=application).exists() or (
        Conflict.objects.filter(member=user, organization_id=application.organization_id).exists()
    )


def can_view_application(user: Any, application: Application) -> bool:
    if is_fund_admin(user):
        return True
    if is_board_member(user):
        return not is_conflicted(user, application)
    return application.organization_id in admin_organization_ids(user)


def can_score(user: Any, application: Application) -> bool:
    from .models import RoundStatus

    return (
        is_board_member(user)
        and application.round.status == RoundStatus.IN_REVIEW
        and not is_conflicted(user, application)
    )
