"""The roles of docs/architecture.md, declared once. Everything else asks this module."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    FUND_ADMIN = "fund_admin", _("Fund administrator")
    BOARD_MEMBER = "board_member", _("Advisory board member")
    INTAKE_WORKER = "intake_worker", _("Intake worker")
    PROVIDER_ADMIN = "provider_admin", _("Provider administrator")
    ATTORNEY = "attorney", _("Attorney or accredited representative")
    DONOR = "donor", _("Donor")
    TRANSLATOR = "translator", _("Translator")


#: Roles that work with client or fund data: they must enrol in multi-factor authentication
#: before any non-public page.
STAFF_ROLES: frozenset[str] = frozenset(
    {
        Role.FUND_ADMIN,
        Role.BOARD_MEMBER,
        Role.INTAKE_WORKER,
        Role.PROVIDER_ADMIN,
        Role.ATTORNEY,
        # Translators see no client data, but their sign-off decides what the public reads.
        Role.TRANSLATOR,
    }
)

#: Roles that belong to a provider organization through a membership.
PROVIDER_ROLES: frozenset[str] = frozenset({Role.PROVIDER_ADMIN, Role.ATTORNEY})
