"""What a case accumulates: timeline lines, documents, privileged notes, adverse parties."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import User
from amparo.audit.services import audit_record
from amparo.core.services import ServiceError, model_insert, require

from ..choices import (
    MANUAL_EVENT_KINDS,
    TRIGGER_EVENTS,
    DocumentKind,
    EventKind,
    VoluntaryDepartureStage,
)
from ..documents import DocumentRefused, check_document
from ..hooks import triggers_changed
from ..models import AdverseParty, Case, CaseEvent, CaseNote, Document
from ..permissions import can_edit_case, can_view_privileged
from ..timeline import event_add_system
from ..voluntary_departure import VD_MAX_DAYS
from ..voluntary_departure import VoluntaryDepartureStage as VDStage
from ._common import check_choice, check_date, touch


def event_add(
    *,
    case: Case,
    kind: str,
    date: datetime.date,
    details: str = "",
    vd_days: int | None = None,
    vd_stage: str = "",
    by: User,
) -> CaseEvent:
    """Add a line to the timeline. Kinds that start a clock (last arrival, change of address,
    a filing received, a briefing notice, a voluntary departure grant, a bond order, a referral
    for a fear review, a signed Supplement B, a court of appeals judgment, an appeal filed while
    voluntary departure is in force) create their deadlines at once. A voluntary departure
    grant needs ``vd_days`` and ``vd_stage``: at most 120 days before the conclusion of
    proceedings, 60 at it (INA 240B). Audited."""
    require(can_edit_case(by, case))
    errors: dict[str, Any] = {}
    check_choice(errors, "kind", kind, MANUAL_EVENT_KINDS)
    check_date(errors, "date", date, not_after_today=kind in TRIGGER_EVENTS)
    details = (details or "").strip()
    if len(details) > 2000:
        errors["details"] = _("Keep the details under 2,000 characters.")
    vd_stage = vd_stage or ""
    if kind == EventKind.VD_GRANTED:
        check_choice(errors, "vd_stage", vd_stage, VoluntaryDepartureStage.values)
        if not isinstance(vd_days, int) or isinstance(vd_days, bool) or vd_days < 1:
            errors["vd_days"] = _("Enter the number of days the judge granted.")
        elif vd_stage in VD_MAX_DAYS and vd_days > VD_MAX_DAYS[VDStage(vd_stage)]:
            errors["vd_days"] = _(
                "The judge can grant at most %(days)s days of voluntary departure at this stage."
            ) % {"days": VD_MAX_DAYS[VDStage(vd_stage)]}
    elif vd_days is not None or vd_stage:
        errors["vd_days"] = _("Days granted are only for a voluntary departure grant.")
    if errors:
        raise ServiceError(errors)
    with transaction.atomic():
        event = CaseEvent.objects.create(
            subject_id=case.subject_id,
            case=case,
            kind=kind,
            date=date,
            details=details,
            vd_days=vd_days if kind == EventKind.VD_GRANTED else None,
            vd_stage=vd_stage if kind == EventKind.VD_GRANTED else "",
            created_by=by,
        )
        if kind in TRIGGER_EVENTS:
            triggers_changed(case, by)
        touch(case)
        audit_record(
            actor=by,
            action="case.event.added",
            obj=event,
            fields=[
                "kind",
                "date",
                *(["details"] if details else []),
                *(["vd_days", "vd_stage"] if kind == EventKind.VD_GRANTED else []),
            ],
        )
    return event


def document_add(
    *, case: Case, data: bytes, filename: str, kind: str = "other", by: User
) -> Document:
    """Store a document encrypted under the client's key, after checking its type by content
    and its size, and removing picture metadata. Refused files raise ``ServiceError`` on
    ``file`` and store nothing. Audited (names, never contents)."""
    require(can_view_privileged(by, case) and can_edit_case(by, case))
    errors: dict[str, Any] = {}
    check_choice(errors, "kind", kind, DocumentKind.values)
    try:
        checked = check_document(data, filename)
    except DocumentRefused as refused:
        errors["file"] = refused.message
    if errors:
        raise ServiceError(errors)
    with transaction.atomic():
        document = Document.objects.create(
            subject_id=case.subject_id,
            case=case,
            kind=kind,
            filename=checked.filename,
            content=checked.content,
            content_type=checked.content_type,
            size=len(checked.content),
            metadata_stripped=checked.metadata_stripped,
            uploaded_by=by,
        )
        event_add_system(case=case, kind=EventKind.DOCUMENT, by=by)
        touch(case)
        audit_record(
            actor=by, action="case.document.added", obj=document, fields=["filename", "content"]
        )
    return document


def note_add(*, case: Case, body: str, by: User) -> CaseNote:
    """A privileged note, encrypted under the client's key. Audited (the fact, not the text)."""
    require(can_view_privileged(by, case) and can_edit_case(by, case))
    body = (body or "").strip()
    if not body:
        raise ServiceError({"body": _("Write the note.")})
    if len(body) > 20000:
        raise ServiceError({"body": _("Keep the note under 20,000 characters.")})
    with transaction.atomic():
        note = CaseNote.objects.create(subject_id=case.subject_id, case=case, author=by, body=body)
        touch(case)
        audit_record(actor=by, action="case.note.added", obj=note, fields=["body"])
    return note


def adverse_party_add(*, case: Case, name: str, relationship: str = "", by: User) -> AdverseParty:
    """Someone on the other side, for conflict checks (name encrypted, blind-indexed)."""
    require(can_edit_case(by, case))
    name = (name or "").strip()
    if not name:
        raise ServiceError({"name": _("Enter the name.")})
    with transaction.atomic():
        party = AdverseParty(
            subject_id=case.subject_id,
            case=case,
            name=name,
            relationship=(relationship or "").strip()[:120],
        )
        model_insert(
            instance=party,
            fields=["name", "relationship"],
            by=by,
            action="case.adverse_party.added",
            exclude=["subject", "case"],
        )
    return party
