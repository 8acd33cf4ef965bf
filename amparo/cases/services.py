"""Writes on cases. Each service runs in one transaction and writes its audit event in it.

Services check what the model cannot: that the acting user may do this to this case (they
raise ``PermissionDenied``; views and the API turn that into a 404, as for a missing case), and
that values fit together (``ValidationError`` with field names, for forms and the API's 422).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import User
from amparo.accounts.roles import PROVIDER_ROLES
from amparo.audit.services import audit_record
from amparo.organizations.models import Membership, PracticeArea, ProviderOrganization
from amparo.vault.models import Subject

from .choices import CaseStatus, CaseType, Custody, EventKind, HearingKind, TeamRole
from .models import (
    AdverseParty,
    Case,
    CaseAssignment,
    CaseEvent,
    CaseNote,
    Client,
    Document,
    Hearing,
    Outcome,
    new_case_reference,
)
from .permissions import (
    can_edit_case,
    can_manage_case_team,
    can_open_case,
    can_view_privileged,
    is_case_provider_admin,
)

#: The keys ``case_open`` accepts in ``client`` (name is required).
CLIENT_KEYS = (
    "name",
    "a_number",
    "date_of_birth",
    "phone",
    "email",
    "address",
    "country_of_birth",
)
#: Optional client settings ``case_open`` also accepts (not personal data).
CLIENT_FLAGS = ("remind_by_sms", "remind_by_email")


def _is_active_member(user: User, organization: ProviderOrganization) -> bool:
    return (
        user.is_active
        and user.role in PROVIDER_ROLES
        and Membership.objects.active().filter(user=user, organization=organization).exists()
    )


def _check_choice(errors: dict[str, Any], field: str, value: str, allowed: Any) -> None:
    if value not in allowed:
        errors[field] = _("Choose a value from the list.")


def _save_new_case(case: Case) -> None:
    """Insert ``case``, drawing a new reference on the (rare) clash with an existing one."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                case.save(force_insert=True)
            return
        except IntegrityError:
            if Case.objects.filter(reference=case.reference).exists():
                case.reference = new_case_reference()
                continue
            raise
    raise IntegrityError("could not draw a free case reference")


def event_add_system(
    *, case: Case, kind: str, by: User | None, date: datetime.date | None = None
) -> CaseEvent:
    """A timeline line written by a service (no free text, so nothing protected in it)."""
    return CaseEvent.objects.create(
        subject_id=case.subject_id,
        case=case,
        kind=kind,
        date=date or timezone.localdate(),
        created_by=by if by is not None and by.is_authenticated else None,
    )


def case_open(
    *,
    organization: ProviderOrganization,
    lead_attorney: User | None,
    subject: Subject,
    client: dict[str, Any],
    custody: str,
    facility: str = "",
    court: str = "",
    case_type: str = "removal",
    practice_area: str = "",
    next_hearing: datetime.date | None = None,
    language: str = "es",
    referral_id: int | None = None,
    by: User,
) -> Case:
    """Open a case for a client of ``organization``.

    ``subject`` is the vault subject already created for the person (by the help request): the
    client's protected values are encrypted under its data key. ``client`` holds ``name``
    (required) and optionally ``a_number``, ``date_of_birth``, ``phone``, ``email``,
    ``address``, ``country_of_birth`` (and the flags ``remind_by_sms``, ``remind_by_email``).

    Guarantees: one transaction (client, case, lead assignment, first hearing, its deadlines,
    the timeline's first line and the audit event commit together or not at all); bad values
    raise ``ValidationError`` with field names and change nothing; the lead attorney must be an
    active member of ``organization``. Opening twice for the same ``referral_id`` returns the
    case opened the first time (accepting a referral is safe to retry).
    """
    if referral_id is not None:
        existing = Case.objects.filter(referral_id=referral_id).first()
        if existing is not None:
            return existing
    unknown = set(client) - set(CLIENT_KEYS) - set(CLIENT_FLAGS)
    if unknown:
        raise ValidationError({key: _("Unknown field.") for key in sorted(unknown)})
    errors: dict[str, Any] = {}
    _check_choice(errors, "custody", custody, Custody.values)
    _check_choice(errors, "case_type", case_type, CaseType.values)
    if practice_area:
        _check_choice(errors, "practice_area", practice_area, PracticeArea.values)
    if not str(client.get("name") or "").strip():
        errors["name"] = _("Enter the client's name.")
    if lead_attorney is not None and not _is_active_member(lead_attorney, organization):
        errors["lead_attorney"] = _(
            "The lead attorney must be an active member of the organization."
        )
    if subject.is_shredded:
        errors["subject"] = _("This person's data was deleted.")
    if errors:
        raise ValidationError(errors)
    if not can_open_case(by, organization):
        raise PermissionDenied

    values: dict[str, Any] = {}
    for key in CLIENT_KEYS:
        value = client.get(key)
        if value is None and key != "date_of_birth":
            value = ""
        elif isinstance(value, str):
            value = value.strip()
        values[key] = value
    with transaction.atomic():
        new_client = Client(
            subject=subject,
            organization=organization,
            language=(language or "es")[:8],
            remind_by_sms=bool(client.get("remind_by_sms")),
            remind_by_email=bool(client.get("remind_by_email")),
            **values,
        )
        new_client.full_clean(exclude=["subject", "organization"])
        new_client.save(force_insert=True)
        case = Case(
            subject=subject,
            organization=organization,
            client=new_client,
            lead_attorney=lead_attorney,
            custody=custody,
            facility=(facility or "").strip(),
            court=(court or "").strip()[:120],
            case_type=case_type,
            practice_area=practice_area or "",
            referral_id=referral_id,
            status=CaseStatus.OPEN,
        )
        _save_new_case(case)
        if lead_attorney is not None:
            CaseAssignment.objects.create(
                case=case, user=lead_attorney, role=TeamRole.LEAD, added_by=by
            )
        event_add_system(case=case, kind=EventKind.OPENED, by=by)
        if next_hearing is not None:
            Hearing.objects.create(
                case=case, kind=HearingKind.MASTER, date=next_hearing, created_by=by
            )
            event_add_system(case=case, kind=EventKind.HEARING, by=by)
        _recompute_deadlines(case=case, by=by)
        provided = [f"client.{key}" for key in CLIENT_KEYS if values.get(key)]
        audit_record(
            actor=by,
            action="case.opened",
            obj=case,
            fields=[*provided, "custody", "case_type", *(["facility"] if facility else [])],
        )
    return case


def _recompute_deadlines(*, case: Case, by: User | None) -> None:
    from amparo.deadlines.services import deadlines_recompute

    deadlines_recompute(case=case, by=by)


# --- helpers -----------------------------------------------------------------------------------

EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2199, 12, 31)


def _require(predicate: Any, user: User, case: Any) -> None:
    """Refuse with ``PermissionDenied`` (shown as 404, like a missing case)."""
    if not predicate(user, case):
        raise PermissionDenied


def _refuse_closed(case: Case) -> None:
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("The case is closed. Reopen it first."))


def _check_date(
    errors: dict[str, Any], field: str, value: Any, *, not_after_today: bool = False
) -> None:
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        errors[field] = _("Enter a real date, for example 2026-06-04.")
    elif not EARLIEST_DATE <= value <= LATEST_DATE:
        errors[field] = _("Enter a date between 1900 and 2199.")
    elif not_after_today and value > timezone.localdate():
        errors[field] = _("The date cannot be in the future.")


def _touch(case: Case) -> None:
    case.updated_at = timezone.now()
    case.save(update_fields=["updated_at"])


def _sync_reminders(hearing: Hearing) -> None:
    from amparo.notify.services import reminders_sync

    reminders_sync(hearing=hearing)


# --- the case itself ---------------------------------------------------------------------------

#: Fields of a case that ``case_update`` may change.
CASE_FIELDS = (
    "case_type",
    "practice_area",
    "stage",
    "custody",
    "facility",
    "court",
    "relief_sought",
)


def case_update(*, case: Case, data: dict[str, Any], by: User) -> Case:
    """Change the case's facts. A custody change is put on the timeline and recomputes the
    deadlines that depend on custody. Audited with the names of the fields that changed."""
    from amparo.organizations.models import PracticeArea

    from .choices import Relief, Stage

    _require(can_edit_case, by, case)
    errors: dict[str, Any] = {}
    unknown = set(data) - set(CASE_FIELDS)
    for key in sorted(unknown):
        errors[key] = _("Unknown field.")
    if "case_type" in data:
        _check_choice(errors, "case_type", data["case_type"], CaseType.values)
    if data.get("practice_area"):
        _check_choice(errors, "practice_area", data["practice_area"], PracticeArea.values)
    if "stage" in data:
        _check_choice(errors, "stage", data["stage"], Stage.values)
    if "custody" in data:
        _check_choice(errors, "custody", data["custody"], Custody.values)
    if "relief_sought" in data:
        relief = data["relief_sought"]
        if not isinstance(relief, list | tuple) or any(r not in Relief.values for r in relief):
            errors["relief_sought"] = _("Choose values from the list.")
    for key, limit in (("facility", 200), ("court", 120)):
        if key in data and len(str(data[key] or "")) > limit:
            errors[key] = _("This is too long.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        changed = []
        for key, value in data.items():
            if key == "relief_sought":
                value = sorted(dict.fromkeys(value))
            elif isinstance(value, str):
                value = value.strip()
            if key == "practice_area":
                value = value or ""
            if getattr(locked, key) != value:
                setattr(locked, key, value)
                changed.append(key)
        if not changed:
            return locked
        locked.updated_at = timezone.now()
        locked.save()
        if "custody" in changed:
            event_add_system(case=locked, kind=EventKind.CUSTODY, by=by)
            _recompute_deadlines(case=locked, by=by)
        audit_record(actor=by, action="case.updated", obj=locked, fields=changed)
    return locked


CLIENT_FIELDS = (*CLIENT_KEYS, "language", "remind_by_sms", "remind_by_email")


def client_update(*, case: Case, data: dict[str, Any], by: User) -> Client:
    """Change the client's details (each protected value re-encrypted, blind indexes redone).
    Audited with field names only; the values never leave the vault."""
    _require(can_edit_case, by, case)
    unknown = set(data) - set(CLIENT_FIELDS)
    if unknown:
        raise ValidationError({key: _("Unknown field.") for key in sorted(unknown)})
    if "name" in data and not str(data["name"] or "").strip():
        raise ValidationError({"name": _("Enter the client's name.")})
    with transaction.atomic():
        client = Client.objects.select_for_update().get(pk=case.client_id)
        changed = []
        for key, value in data.items():
            if isinstance(value, str):
                value = value.strip()
            if key == "date_of_birth" and value == "":
                value = None
            if getattr(client, key) != value:
                setattr(client, key, value)
                changed.append(key)
        if not changed:
            return client
        client.full_clean(exclude=["subject", "organization"])
        client.save()
        if changed and {"phone", "email", "language", "remind_by_sms", "remind_by_email"} & set(
            changed
        ):
            for hearing in Hearing.objects.filter(case__client=client):
                _sync_reminders(hearing)
        _touch(case)
        audit_record(
            actor=by,
            action="case.client.updated",
            obj=client,
            fields=[f"client.{k}" for k in changed],
        )
    return client


def case_transition(*, case: Case, name: str, by: User, reason: str = "") -> Case:
    """Move the case along its lifecycle (``workflow.TRANSITIONS``).

    Refuses (``ValidationError``) a step that does not apply to the case's state, or closing
    without a final outcome; refuses (``PermissionDenied``) a user the step's predicate does not
    allow. Audited with the step's name and the two states.
    """
    from .workflow import TransitionRefused, check_transition

    with transaction.atomic():
        locked = Case.objects.select_for_update().select_related("organization").get(pk=case.pk)
        try:
            transition = check_transition(locked, name)
        except TransitionRefused as refused:
            if refused.code == "unknown":
                raise PermissionDenied from refused
            raise ValidationError(refused.message, code=refused.code) from refused
        _require(transition.permission, by, locked)
        before = locked.status
        locked.status = transition.target
        locked.closed_at = timezone.now() if transition.target == CaseStatus.CLOSED else None
        locked.updated_at = timezone.now()
        locked.save(update_fields=["status", "closed_at", "updated_at"])
        event_add_system(case=locked, kind=EventKind.STATUS, by=by)
        if transition.target == CaseStatus.CLOSED or before == CaseStatus.CLOSED:
            for hearing in locked.hearings.all():
                _sync_reminders(hearing)
        audit_record(
            actor=by,
            action=f"case.{name}",
            obj=locked,
            fields=["status"],
            reason=f"{before} -> {transition.target}" + (f": {reason.strip()}" if reason else ""),
        )
    return locked


# --- hearings ----------------------------------------------------------------------------------


def _hearing_errors(data: dict[str, Any]) -> dict[str, Any]:
    from .choices import HearingMode, HearingStatus

    errors: dict[str, Any] = {}
    if "kind" in data:
        _check_choice(errors, "kind", data["kind"], HearingKind.values)
    if "mode" in data:
        _check_choice(errors, "mode", data["mode"], HearingMode.values)
    if "status" in data:
        _check_choice(errors, "status", data["status"], HearingStatus.values)
    if "date" in data:
        _check_date(errors, "date", data["date"])
    if data.get("time") is not None and not isinstance(data["time"], datetime.time):
        errors["time"] = _("Enter a time, for example 08:30.")
    if len(str(data.get("judge") or "")) > 120:
        errors["judge"] = _("This is too long.")
    return errors


HEARING_FIELDS = ("kind", "date", "time", "judge", "mode", "status")


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
    _require(can_edit_case, by, case)
    _refuse_closed(case)
    data = {"kind": kind, "date": date, "time": time, "judge": judge, "mode": mode}
    errors = _hearing_errors(data)
    if errors:
        raise ValidationError(errors)
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
        _recompute_deadlines(case=case, by=by)
        _sync_reminders(hearing)
        _touch(case)
        audit_record(
            actor=by,
            action="case.hearing.added",
            obj=hearing,
            fields=["kind", "date", "time", "judge", "mode"],
        )
    return hearing


def hearing_update(*, hearing: Hearing, data: dict[str, Any], by: User) -> Hearing:
    """Change a hearing (a new date, a judge, held or cancelled). A new date recomputes its
    pre-hearing filing deadline and moves the reminders not sent yet. Audited."""
    case = hearing.case
    _require(can_edit_case, by, case)
    _refuse_closed(case)
    unknown = set(data) - set(HEARING_FIELDS)
    errors = {key: _("Unknown field.") for key in sorted(unknown)}
    errors.update(_hearing_errors(data))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Hearing.objects.select_for_update().get(pk=hearing.pk)
        changed = []
        for key, value in data.items():
            if key == "judge":
                value = (value or "").strip()
            if getattr(locked, key) != value:
                setattr(locked, key, value)
                changed.append(key)
        if not changed:
            return locked
        locked.updated_at = timezone.now()
        locked.save()
        event_add_system(case=case, kind=EventKind.HEARING, by=by)
        if {"date", "kind", "status"} & set(changed):
            _recompute_deadlines(case=case, by=by)
        _sync_reminders(locked)
        _touch(case)
        audit_record(actor=by, action="case.hearing.updated", obj=locked, fields=changed)
    return locked


# --- timeline, documents, notes, adverse parties -------------------------------------------------


def event_add(
    *, case: Case, kind: str, date: datetime.date, details: str = "", by: User
) -> CaseEvent:
    """Add a line to the timeline. Kinds that start a clock (last arrival, change of address,
    a filing received, a briefing notice) create their deadlines at once. Audited."""
    from .choices import MANUAL_EVENT_KINDS, TRIGGER_EVENTS

    _require(can_edit_case, by, case)
    errors: dict[str, Any] = {}
    _check_choice(errors, "kind", kind, MANUAL_EVENT_KINDS)
    _check_date(errors, "date", date, not_after_today=kind in TRIGGER_EVENTS)
    details = (details or "").strip()
    if len(details) > 2000:
        errors["details"] = _("Keep the details under 2,000 characters.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        event = CaseEvent.objects.create(
            subject_id=case.subject_id,
            case=case,
            kind=kind,
            date=date,
            details=details,
            created_by=by,
        )
        if kind in TRIGGER_EVENTS:
            _recompute_deadlines(case=case, by=by)
        _touch(case)
        audit_record(
            actor=by,
            action="case.event.added",
            obj=event,
            fields=["kind", "date", *(["details"] if details else [])],
        )
    return event


def document_add(
    *, case: Case, data: bytes, filename: str, kind: str = "other", by: User
) -> Document:
    """Store a document encrypted under the client's key, after checking its type by content
    and its size, and removing picture metadata. Refused files raise ``ValidationError`` on
    ``file`` and store nothing. Audited (names, never contents)."""
    from .choices import DocumentKind
    from .documents import DocumentRefused, check_document
    from .models import Document

    _require(can_view_privileged, by, case)
    _require(can_edit_case, by, case)
    errors: dict[str, Any] = {}
    _check_choice(errors, "kind", kind, DocumentKind.values)
    try:
        checked = check_document(data, filename)
    except DocumentRefused as refused:
        errors["file"] = refused.message
    if errors:
        raise ValidationError(errors)
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
        _touch(case)
        audit_record(
            actor=by, action="case.document.added", obj=document, fields=["filename", "content"]
        )
    return document


def note_add(*, case: Case, body: str, by: User) -> CaseNote:
    """A privileged note, encrypted under the client's key. Audited (the fact, not the text)."""
    from .models import CaseNote

    _require(can_view_privileged, by, case)
    _require(can_edit_case, by, case)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write the note.")})
    if len(body) > 20000:
        raise ValidationError({"body": _("Keep the note under 20,000 characters.")})
    with transaction.atomic():
        note = CaseNote.objects.create(subject_id=case.subject_id, case=case, author=by, body=body)
        _touch(case)
        audit_record(actor=by, action="case.note.added", obj=note, fields=["body"])
    return note


def adverse_party_add(*, case: Case, name: str, relationship: str = "", by: User) -> AdverseParty:
    """Someone on the other side, for conflict checks (name encrypted, blind-indexed)."""
    from .models import AdverseParty

    _require(can_edit_case, by, case)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Enter the name.")})
    with transaction.atomic():
        party = AdverseParty(
            subject_id=case.subject_id,
            case=case,
            name=name,
            relationship=(relationship or "").strip()[:120],
        )
        party.full_clean(exclude=["subject", "case"])
        party.save(force_insert=True)
        audit_record(
            actor=by, action="case.adverse_party.added", obj=party, fields=["name", "relationship"]
        )
    return party


# --- outcomes ----------------------------------------------------------------------------------


def outcome_record(
    *,
    case: Case,
    kind: str,
    decided_by: str,
    decision_date: datetime.date,
    relief: str = "",
    in_absentia: bool = False,
    by: User,
) -> Outcome:
    """Record a decision. The case moves to *decided* (a pending affirmative result leaves it
    where it is) and the deadlines the decision starts are created: an immigration judge's
    final order starts the appeal and motion clocks, an in-absentia order the clock to rescind
    it, a Board decision the motions and the petition for review. One transaction; audited.
    """
    from .choices import AFFIRMATIVE_TYPES
    from .models import Outcome
    from .outcomes import DecidedBy, OutcomeKind, ReliefGranted, outcome_allowed
    from .workflow import DECISION_SOURCES

    _require(can_edit_case, by, case)
    errors: dict[str, Any] = {}
    _check_choice(errors, "kind", kind, OutcomeKind.values)
    _check_choice(errors, "decided_by", decided_by, DecidedBy.values)
    _check_date(errors, "decision_date", decision_date, not_after_today=True)
    if "kind" not in errors and not outcome_allowed(case.case_type, kind):
        errors["kind"] = _("This outcome does not fit a case of this type.")
    if "decided_by" not in errors:
        affirmative = case.case_type in AFFIRMATIVE_TYPES
        if affirmative and decided_by not in (DecidedBy.USCIS, DecidedBy.FEDERAL_COURT):
            errors["decided_by"] = _("USCIS decides affirmative matters.")
        if not affirmative and decided_by == DecidedBy.USCIS:
            errors["decided_by"] = _("A judge or the Board decides this kind of case.")
    if kind == OutcomeKind.RELIEF_GRANTED:
        if relief not in ReliefGranted.values:
            errors["relief"] = _("Say which relief was granted.")
    elif relief:
        errors["relief"] = _("Relief is given only when the outcome is relief granted.")
    if in_absentia and not (kind == OutcomeKind.REMOVAL_ORDER and decided_by == DecidedBy.IJ):
        errors["in_absentia"] = _("Only an immigration judge's removal order can be in absentia.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.status not in DECISION_SOURCES:
            raise ValidationError(_("The case is closed. Reopen it first."))
        outcome = Outcome.objects.create(
            case=locked,
            kind=kind,
            relief=relief or "",
            in_absentia=bool(in_absentia),
            decided_by=decided_by,
            decision_date=decision_date,
            recorded_by=by,
        )
        before = locked.status
        if kind != OutcomeKind.PENDING:
            locked.status = CaseStatus.DECIDED
        locked.updated_at = timezone.now()
        locked.save(update_fields=["status", "updated_at"])
        event_add_system(case=locked, kind=EventKind.DECISION, by=by, date=decision_date)
        _recompute_deadlines(case=locked, by=by)
        audit_record(
            actor=by,
            action="case.outcome.recorded",
            obj=locked,
            fields=["outcome", "status"],
            reason=f"{kind} by {decided_by}; {before} -> {locked.status}",
        )
    return outcome


# --- the team ----------------------------------------------------------------------------------


def team_add(*, case: Case, user: User, role: str, by: User) -> CaseAssignment:
    """Put ``user`` on the case (or back on it). A new lead replaces the old one, who stays on
    the team as an attorney. Only active members of the case's organization. Audited."""
    _require(can_manage_case_team, by, case)
    errors: dict[str, Any] = {}
    _check_choice(errors, "role", role, TeamRole.values)
    if not _is_active_member(user, case.organization):
        errors["user"] = _("Choose someone who works at the organization.")
    elif role == TeamRole.LEAD and user.role != "attorney":
        errors["role"] = _("The lead must be an attorney or accredited representative.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if role == TeamRole.LEAD:
            locked.assignments.filter(role=TeamRole.LEAD).exclude(user=user).update(
                role=TeamRole.ATTORNEY
            )
            locked.lead_attorney = user
        elif locked.lead_attorney_id == user.pk:
            locked.lead_attorney = None
        assignment, _created = CaseAssignment.objects.update_or_create(
            case=locked,
            user=user,
            defaults={"role": role, "is_active": True, "revoked_at": None, "added_by": by},
        )
        locked.updated_at = timezone.now()
        locked.save(update_fields=["lead_attorney", "updated_at"])
        event_add_system(case=locked, kind=EventKind.TEAM, by=by)
        audit_record(
            actor=by,
            action="case.team.added",
            obj=assignment,
            fields=["user", "role"],
            reason=f"user {user.pk} as {role}",
        )
    return assignment


def team_revoke(*, assignment: CaseAssignment, by: User) -> CaseAssignment:
    """Take someone off the case: they lose access on their next request. Audited."""
    case = assignment.case
    _require(can_manage_case_team, by, case)
    if assignment.user_id == by.pk and not is_case_provider_admin(by, case):
        raise ValidationError(
            _("You cannot take yourself off the case: ask your organization's administrator.")
        )
    with transaction.atomic():
        locked = CaseAssignment.objects.select_for_update().get(pk=assignment.pk)
        if not locked.is_active:
            return locked
        locked.is_active = False
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["is_active", "revoked_at"])
        if case.lead_attorney_id == locked.user_id:
            Case.objects.filter(pk=case.pk).update(lead_attorney=None, updated_at=timezone.now())
        event_add_system(case=case, kind=EventKind.TEAM, by=by)
        audit_record(
            actor=by,
            action="case.team.revoked",
            obj=locked,
            fields=["is_active"],
            reason=f"user {locked.user_id}",
        )
    return locked
