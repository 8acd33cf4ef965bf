"""Hearings: schedule one, change one. Each moves its filing deadline and its reminders."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import User
from amparo.audit.services import audit_record
from amparo.core.hearing_dates import check_hearing_date
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


def _check_typed_date(errors: dict[str, Any], date: Any, *, confirm_past: bool) -> None:
    """The one sanity check of a hearing date that was typed (:mod:`amparo.core.hearing_dates`):
    at most five years ahead, more than a year ago only with ``confirm_past``. Its message keeps
    its code (``PAST``), so a form can offer the confirmation beside the field."""
    if "date" in errors:
        return
    try:
        check_hearing_date(date, confirmed=confirm_past)
    except ValidationError as error:
        errors["date"] = error


def hearing_add(
    *,
    case: Case,
    kind: str,
    date: datetime.date,
    time: datetime.time | None = None,
    judge: str = "",
    mode: str = "in_person",
    confirm_past: bool = False,
    by: User,
) -> Hearing:
    """Schedule a hearing. Its pre-hearing filing deadline is computed and its client reminders
    are planned in the same transaction. Audited. A date more than five years ahead is refused;
    one more than a year ago only with ``confirm_past`` (a historical hearing, on purpose)."""
    require(can_edit_case(by, case))
    refuse_closed(case)
    data = {"kind": kind, "date": date, "time": time, "judge": judge, "mode": mode}
    errors = _hearing_errors(data)
    _check_typed_date(errors, date, confirm_past=confirm_past)
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


def hearing_update(
    *, hearing: Hearing, data: dict[str, Any], confirm_past: bool = False, by: User
) -> Hearing:
    """Change a hearing (a new date, a judge, held or cancelled). A new date recomputes its
    pre-hearing filing deadline and moves the reminders not sent yet. Audited
    (``model_update``) with the names of the fields that changed. A new date is checked as in
    :func:`hearing_add`; the date it already has is not (saving it unchanged needs no
    confirmation)."""
    case = hearing.case
    require(can_edit_case(by, case))
    refuse_closed(case)
    unknown = set(data) - set(HEARING_FIELDS)
    errors = {key: _("Unknown field.") for key in sorted(unknown)}
    errors.update(_hearing_errors(data))
    if "date" in data and data["date"] != hearing.date:
        _check_typed_date(errors, data["date"], confirm_past=confirm_past)
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
