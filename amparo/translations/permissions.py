"""Who may see the state of the translations and sign them off, and who may hide a language.

Translators and fund admins see the translators' page and sign off; only fund admins hide or
show a draft language to the public. Both after enrolling in MFA (the middleware asks it of
every staff role before any staff page).
"""

from __future__ import annotations

from typing import Any

from rules.permissions import add_perm
from rules.predicates import Predicate

from amparo.accounts.roles import Role
from amparo.organizations.permissions import is_fund_admin


def _is_translator(user: Any) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role == Role.TRANSLATOR
    )


def _can_review(user: Any) -> bool:
    return _is_translator(user) or bool(is_fund_admin(user))


def _can_hide(user: Any) -> bool:
    return bool(is_fund_admin(user))


can_review_translations = Predicate(_can_review)
can_hide_languages = Predicate(_can_hide)

add_perm("translations.review", can_review_translations)  # type: ignore[no-untyped-call]
add_perm("translations.hide_languages", can_hide_languages)  # type: ignore[no-untyped-call]
