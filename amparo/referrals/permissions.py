"""Who may do what with referrals (django-rules predicates). Default deny.

A provider administrator answers the referrals sent to an organization they actively belong
to; fund staff (fund administrators and intake workers) route requests and work the escalation
queue. Attorneys answer nothing here: they see the cases they are assigned to.
"""

from __future__ import annotations

from typing import Any

from rules.permissions import set_perm
from rules.predicates import predicate

from amparo.accounts.roles import Role
from amparo.organizations.permissions import is_provider_admin_of


def _active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def can_route_requests(user: Any) -> bool:
    return _active(user) and user.role in (Role.FUND_ADMIN, Role.INTAKE_WORKER)


def can_answer_referral(user: Any, referral: Any) -> bool:
    """Accept or decline ``referral``: a provider admin of its organization."""
    if referral is None or not _active(user):
        return False
    return bool(is_provider_admin_of(user, referral.organization))


def can_view_referral(user: Any, referral: Any) -> bool:
    return bool(can_route_requests(user)) or bool(can_answer_referral(user, referral))


set_perm("referrals.route", predicate(can_route_requests))  # type: ignore[no-untyped-call]
set_perm("referrals.answer_referral", predicate(can_answer_referral))  # type: ignore[no-untyped-call]
set_perm("referrals.view_referral", predicate(can_view_referral))  # type: ignore[no-untyped-call]
