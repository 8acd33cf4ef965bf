"""Who sees which figures: fund administrators the unsuppressed dashboard, the board the
suppressed aggregates, everyone the public impact page."""

from __future__ import annotations

from typing import Any

from amparo.accounts.roles import Role


def _role(user: Any) -> str | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return getattr(user, "role", None)


def can_view_dashboard(user: Any) -> bool:
    return _role(user) == Role.FUND_ADMIN


def can_view_board_report(user: Any) -> bool:
    return _role(user) in (Role.FUND_ADMIN, Role.BOARD_MEMBER)
