"""Who may see the audit log: fund administrators, and nobody else."""

from __future__ import annotations

from typing import Any

from rules.permissions import set_perm
from rules.predicates import predicate

from amparo.accounts.roles import Role


def can_view_audit_log(user: Any) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and getattr(user, "role", None) == Role.FUND_ADMIN
    )


set_perm("audit.view_log", predicate(can_view_audit_log))  # type: ignore[no-untyped-call]
