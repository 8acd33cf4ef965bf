"""Who may read the books: fund administrators everything, board members the statements."""

from __future__ import annotations

from typing import Any

from rules.permissions import set_perm
from rules.predicates import predicate

from amparo.accounts.roles import Role
from amparo.core.services import is_system


def _role(user: Any) -> str | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return getattr(user, "role", None)


def can_view_books(user: Any) -> bool:
    """The trial balance, the journal and its exports."""
    return _role(user) == Role.FUND_ADMIN


def can_view_statements(user: Any) -> bool:
    """Aggregate statements (financial position, activities)."""
    return _role(user) in (Role.FUND_ADMIN, Role.BOARD_MEMBER)


def can_post_entries(by: Any) -> bool:
    """Post to the books (gifts, public money, grant payments, reversals, closing): fund
    administrators, and the system (imports, the processor's confirmations, the seed)."""
    return is_system(by) or _role(by) == Role.FUND_ADMIN


set_perm("ledger.view_books", predicate(can_view_books))  # type: ignore[no-untyped-call]
set_perm("ledger.view_statements", predicate(can_view_statements))  # type: ignore[no-untyped-call]
