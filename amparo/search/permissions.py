"""Who may search. Default deny: staff who open requests or cases; never donors or the board
(they see no record of a person anywhere)."""

from __future__ import annotations

from typing import Any

from amparo.accounts.roles import Role

SEARCH_ROLES: frozenset[str] = frozenset(
    {Role.INTAKE_WORKER, Role.FUND_ADMIN, Role.PROVIDER_ADMIN, Role.ATTORNEY}
)

#: Roles that find a record only by its reference: they must never learn who a person is.
REFERENCE_ONLY_ROLES: frozenset[str] = frozenset({Role.FUND_ADMIN})


def can_search(user: Any) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and getattr(user, "role", None) in SEARCH_ROLES
    )
