"""The timeline lines services write themselves (no free text, so nothing protected in them).

Kept outside ``amparo.cases.services`` so that the deadline services, which the case services
call, can put a line on the timeline without importing the case services back.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from amparo.core.services import Actor, SystemActor

from .models import Case, CaseEvent


def event_add_system(
    *, case: Case, kind: str, by: Actor, date: datetime.date | None = None
) -> CaseEvent:
    """A timeline line written by a service, in the caller's transaction. The caller checked
    the permission; :data:`~amparo.core.services.SYSTEM` leaves the line without an author."""
    return CaseEvent.objects.create(
        subject_id=case.subject_id,
        case=case,
        kind=kind,
        date=date or timezone.localdate(),
        created_by=None if isinstance(by, SystemActor) else by,
    )
