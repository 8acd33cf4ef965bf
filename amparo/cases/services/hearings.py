"""Hearings: schedule one, change one. Each moves its filing deadline and its reminders."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import User
from amparo.audit.services import audit_record
from amparo.core.services import ServiceError, model_update, require

from ..choices import EventKind, HearingKind, HearingMode, HearingStatus
from ..hooks import hearing_changed, triggers_changed
from ..models import Case, Hearing
from ..permissions import can_edit_case
from ..timeline import event_add_system
from ._common import check_choices, check_date, refuse_closed, sync_reminders, touch

HEARING_FIELDS = ("kind", "date", "time", "judge", "mode", "status")


def _hearing_errors(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    check_choices(
        errors,
        data,
        {"kind": HearingKind.values, "mode": HearingMode.values, "status": HearingStatus.values},
    )
    if "date" in data:
        check_date(errors, "date", data["date"])
    if data.get("time") is not None and not isinstance(data["time"], datetime.time):
        errors["time"] = _("Enter a time, for example 08:30.")
    if len(str(data.get("judge") or "")) > 120:
        errors["judge"] = _("This is too long.")
    return errors


def hearing_add(
    *,
    case: Case,
    kind: str,
    date: datetime.date,
    time: datetime.time | None = None,
    judge: str = "",
    mode: str = "in_person",
    by: User,
) -> Hearing:
    """Schedule a hearing. Its pre-hearing filing deadline is computed and its client reminders
    are planned in the same transaction. Audited."""
    require(can_edit_case(by, case))
    refuse_closed(case)
    data = {"kind": kind, "date": date, "time": time, "judge": judge, "mode": mode}
    errors = _hearing_errors(data)
    if errors:
        raise ServiceError(errors)
    with transaction.atomic():
        hearing = Hearing.objects.create(
            case=case,
            kind=kind,
            date=date,
            time=time,
            judge=(judge or "").strip(),
            mode=mode,
            created_by=by,
        )
        event_add_system(case=case, kind=EventKind.HEARING, by=by)
        triggers_changed(case, by)
        sync_reminders(hearing)
        hearing_changed(hearing, "added", by)
        touch(case)
        audit_record(
            actor=by,
            action="case.hearing.added",
            obj=hearing,
            fields=["kind", "date", "time", "judge", "mode"],
        )
    return hearing


def hearing_update(*, hearing: Hearing, data: dict[str, Any], by: User) -> Hearing:
    """Change a hearing (a new date, a judge, held or cancelled). A new date recomputes its
    pre-hearing filing deadline and moves the reminders not sent yet. Audited
    (``model_update``) with the names of the fields that changed."""
    case = hearing.case
    require(can_edit_case(by, case))
    refuse_closed(case)
    unknown = set(data) - set(HEARING_FIELDS)
    errors = {key: _("Unknown field.") for key in sorted(unknown)}
    errors.update(_hearing_errors(data))
    if errors:
        raise ServiceError(errors)
    values = dict(data)
    if "judge" in values:
        values["judge"] = (values["judge"] or "").strip()
    with transaction.atomic():
        locked = Hearing.objects.select_for_update().get(pk=hearing.pk)
        changed = model_update(
            instance=locked,
            fields=HEARING_FIELDS,
            data=values,
            by=by,
            action="case.hearing.updated",
        )
        if not changed:
            return locked
        locked.updated_at = timezone.now()
        locked.save(update_fields=["updated_at"])
        event_add_system(case=case, kind=EventKind.HEARING, by=by)
        if {"date", "kind", "status"} & set(changed):
            triggers_changed(case, by)
        sync_reminders(locked)
        hearing_changed(locked, "changed", by)
        touch(case)
    return locked
