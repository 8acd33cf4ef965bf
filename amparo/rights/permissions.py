"""Who may change the rights pages: fund admins, and only after enrolling in MFA.

The rights pages live under /rights/, a public prefix that the MFA middleware lets through;
the editing pages check MFA here themselves.
"""

from __future__ import annotations

from typing import Any

from rules.permissions import add_perm
from rules.predicates import Predicate

from amparo.accounts.middleware import user_has_mfa
from amparo.organizations.permissions import is_fund_admin


def _can_edit(user: Any) -> bool:
    return bool(is_fund_admin(user))


can_edit_rights_pages = Predicate(_can_edit)


def has_mfa(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user_has_mfa(user))


add_perm("rights.edit_pages", can_edit_rights_pages)  # type: ignore[no-untyped-call]
