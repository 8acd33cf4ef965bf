"""Who may do what with help requests and intake settings (django-rules predicates).

Default deny. Intake workers and fund administrators work the queue; only fund administrators
change a program's rules, confirm poverty tables and see retention. Providers never see help
requests here: they see the ones referred to them, through the referrals app.
"""

from __future__ import annotations

from typing import Any

from rules.permissions import set_perm
from rules.predicates import predicate

from amparo.accounts.roles import Role


def _active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def can_work_intake(user: Any) -> bool:
    """See the queue and request details, enter requests, review and close them."""
    return _active(user) and user.role in (Role.FUND_ADMIN, Role.INTAKE_WORKER)


def can_export_intake_queue(user: Any) -> bool:
    """Download the queue's non-identifying columns as CSV: fund administrators only."""
    return _active(user) and user.role == Role.FUND_ADMIN


def can_manage_intake_policy(user: Any) -> bool:
    return _active(user) and user.role == Role.FUND_ADMIN


def can_view_retention(user: Any) -> bool:
    return _active(user) and user.role == Role.FUND_ADMIN


def can_use_intake_api(user: Any) -> bool:
    """Partner hotlines and intake workers submit requests through the API."""
    return bool(can_work_intake(user))


set_perm("intake.work_intake", predicate(can_work_intake))  # type: ignore[no-untyped-call]
set_perm("intake.manage_policy", predicate(can_manage_intake_policy))  # type: ignore[no-untyped-call]
set_perm("intake.view_retention", predicate(can_view_retention))  # type: ignore[no-untyped-call]
