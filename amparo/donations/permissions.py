"""Who may see gifts: fund administrators all of them, donors their own."""

from __future__ import annotations

from typing import Any

from rules.permissions import set_perm
from rules.predicates import predicate

from amparo.accounts.roles import Role


def _role(user: Any) -> str | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return getattr(user, "role", None)


def can_manage_gifts(user: Any) -> bool:
    return _role(user) == Role.FUND_ADMIN


def can_view_own_gifts(user: Any) -> bool:
    return _role(user) == Role.DONOR


def can_view_appropriations(user: Any) -> bool:
    return _role(user) in (Role.FUND_ADMIN, Role.BOARD_MEMBER)


def can_view_gift(user: Any, gift: Any) -> bool:
    if can_manage_gifts(user):
        return True
    return bool(
        can_view_own_gifts(user) and gift.donor_id is not None and gift.donor.user_id == user.pk
    )


set_perm("donations.manage_gifts", predicate(can_manage_gifts))  # type: ignore[no-untyped-call]
set_perm("donations.view_gift", predicate(can_view_gift))  # type: ignore[no-untyped-call]
