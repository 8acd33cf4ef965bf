"""Calendar feeds seen from outside the feeds page: their names' rule, and revoking all of an
account's feeds when its credentials are revoked (a password reset, a deactivation).

The revocation runs on ``amparo.accounts.events.credentials_revoked``: accounts sits under the
audit log, which imports no domain app, so accounts cannot call into deadlines itself.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.events import credentials_revoked
from amparo.accounts.models import User
from amparo.audit.services import audit_record
from amparo.core.services import Actor, ServiceError

from .models import CalendarFeed

# Control characters (CR, LF, tab, NUL...) would break a line of the .ics file or a page.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def feed_name_clean(name: str) -> str:
    """The name as stored (trimmed), or ``ServiceError`` on the ``name`` field when it is empty
    or holds a line break or another control character."""
    name = (name or "").strip()
    if not name:
        raise ServiceError({"name": _("Give the calendar a name, for example “Work phone”.")})
    if _CONTROL.search(name):
        raise ServiceError({"name": _("Write the name on one line, without special characters.")})
    return name


def feeds_revoke_for_owner(*, owner: User, by: Actor, reason: str) -> int:
    """Revoke every active feed of ``owner`` (each audited); returns how many. Their addresses
    stop working at once. Runs in the caller's transaction, or its own."""
    with transaction.atomic():
        feeds = list(CalendarFeed.objects.active().filter(owner=owner).select_for_update())
        now = timezone.now()
        for feed in feeds:
            feed.revoked_at = now
            feed.save(update_fields=["revoked_at"])
            audit_record(
                actor=by,
                action="calendar.feed.revoked",
                obj=feed,
                fields=["revoked_at"],
                reason=reason,
            )
    return len(feeds)


@receiver(credentials_revoked, dispatch_uid="deadlines.feeds_revoke_for_owner")
def _on_credentials_revoked(sender: Any, user: User, by: Actor, reason: str, **kwargs: Any) -> None:
    feeds_revoke_for_owner(owner=user, by=by, reason=reason)
