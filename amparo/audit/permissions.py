"""Who may see the audit log: fund administrators, and nobody else."""

from __future__ import annotations

from typing import Any

import rules

from amparo.accounts.roles import Role


@rules.predicate
def can_view_audit_log(user: Any) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and getattr(user, "role", None) == Role.FUND_ADMIN
    )


rules.set_perm("audit.view_log", can_view_audit_log)
