"""A help request's referral marks: when it was first referred, and when a provider accepted it.

The impact figures count the funnel (referred, accepted) and the days from a request to its
acceptance over every request; read from the referrals, that is a lookup per request, which at a
million requests is most of the refresh on SQLite. So each request keeps the two times itself
(``HelpRequest.referred_at`` and ``accepted_at``), and this module keeps them true:

- ``referred_at``: the earliest ``sent_at`` of the request's referrals, or null with none;
- ``accepted_at``: its accepted referral's answer (``responded_at``; ``sent_at`` if that is
  missing, so that an accepted request is always marked), or null when none was accepted.

:func:`request_marks_sync` recomputes both from the referrals, in one ``UPDATE``. It runs after
every save and delete of a referral (the signals below, registered by ``ReferralsConfig``), so no
path that writes a referral through the ORM can leave a mark behind; code that inserts referrals
in bulk (the seeds, the benchmarks) calls it itself afterwards.
"""

from __future__ import annotations

from typing import Any

from django.db.models import DateTimeField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save

from amparo.intake.models import HelpRequest

from .models import Referral, ReferralStatus


def request_marks_sync(requests: QuerySet[HelpRequest]) -> int:
    """Set ``referred_at`` and ``accepted_at`` of ``requests`` from their referrals; returns how
    many requests were written."""
    mine = Referral.objects.filter(help_request=OuterRef("pk")).order_by()
    first = mine.order_by("sent_at", "pk").values("sent_at")[:1]
    accepted = mine.filter(status=ReferralStatus.ACCEPTED).values(
        answered=Coalesce("responded_at", "sent_at", output_field=DateTimeField())
    )[:1]
    return requests.order_by().update(
        referred_at=Subquery(first, output_field=DateTimeField()),
        accepted_at=Subquery(accepted, output_field=DateTimeField()),
    )


#: The fields a mark is computed from: a save that names others (``update_fields``) keeps them.
_MARKED_FROM = frozenset({"help_request", "help_request_id", "status", "sent_at", "responded_at"})


def _referral_written(sender: Any, instance: Referral, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and not _MARKED_FROM.intersection(update_fields):
        return
    request_marks_sync(HelpRequest.objects.filter(pk=instance.help_request_id))


def marks_register() -> None:
    """Keep the marks with every referral saved or deleted through the ORM."""
    post_save.connect(_referral_written, sender=Referral, dispatch_uid="referral_marks_save")
    post_delete.connect(_referral_written, sender=Referral, dispatch_uid="referral_marks_delete")
