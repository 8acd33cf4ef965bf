"""The case itself: open it, change its facts and its client's details, move it along."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import User
from amparo.audit.services import audit_record
from amparo.core.services import ServiceError, model_update, require
from amparo.organizations.models import PracticeArea, ProviderOrganization
from amparo.vault.models import Subject

from ..choices import CaseStatus, CaseType, Custody, EventKind, HearingKind, Relief, Stage, TeamRole
from ..hooks import case_assigned, triggers_changed
from ..models import AdverseParty, Case, CaseAssignment, Client, Hearing, new_case_reference
from ..permissions import can_edit_case, can_open_case
from ..timeline import event_add_system
from ..workflow import TRANSITIONS, TransitionRefused, check_transition
from ._common import check_choice, check_choices, is_active_member, sync_reminders, touch

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
    adverse_parties: Sequence[str] = (),
    by: User,
) -> Case:
    """Open a case for a client of ``organization``.

        ``subject`` is the vault subject already created for the person (by the help request): the
        client's protected values are encrypted under its data key. ``client`` holds ``name``
        (required) and optionally ``a_number``, ``date_of_birth``, ``phone``, ``email``,
        ``address``, ``country_of_birth`` (and the flags ``remind_by_sms``, ``remind_by_email``).
    ``adverse_parties`` are names the person gave at intake: each becomes an adverse party of the
    case (encrypted under the same subject, blind-indexed for later conflict checks).

        Guarantees: ``by`` may open cases for ``organization`` (checked first); one transaction
        (client, case, lead assignment, first hearing, its deadlines, the timeline's first line and
        the audit event commit together or not at all); bad values raise ``ServiceError`` with
        field names and change nothing; the lead attorney must be an active member of
        ``organization``. Opening twice for the same ``referral_id`` returns the case opened the
        first time (accepting a referral is safe to retry).
    """
    require(can_open_case(by, organization))
    if referral_id is not None:
        existing = Case.objects.filter(referral_id=referral_id).first()
        if existing is not None:
            return existing
    unknown = set(client) - set(CLIENT_KEYS) - set(CLIENT_FLAGS)
    if unknown:
        raise ServiceError({key: _("Unknown field.") for key in sorted(unknown)})
    errors: dict[str, Any] = {}
    check_choice(errors, "custody", custody, Custody.values)
    check_choice(errors, "case_type", case_type, CaseType.values)
    if practice_area:
        check_choice(errors, "practice_area", practice_area, PracticeArea.values)
    if not str(client.get("name") or "").strip():
        errors["name"] = _("Enter the client's name.")
    if lead_attorney is not None and not is_active_member(lead_attorney, organization):
        errors["lead_attorney"] = _(
            "The lead attorney must be an active member of the organization."
        )
    if subject.is_shredded:
        errors["subject"] = _("This person's data was deleted.")
    if errors:
        raise ServiceError(errors)

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
        try:
            new_client.full_clean(exclude=["subject", "organization"])
        except ValidationError as error:
            raise ServiceError(error.message_dict) from error
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
            case_assigned(case, lead_attorney, TeamRole.LEAD, by)
        event_add_system(case=case, kind=EventKind.OPENED, by=by)
        if next_hearing is not None:
            Hearing.objects.create(
                case=case, kind=HearingKind.MASTER, date=next_hearing, created_by=by
            )
            event_add_system(case=case, kind=EventKind.HEARING, by=by)
        parties = [name.strip() for name in adverse_parties if name and name.strip()]
        for name in parties:
            AdverseParty.objects.create(subject=subject, case=case, name=name)
        triggers_changed(case, by)
        provided = [f"client.{key}" for key in CLIENT_KEYS if values.get(key)]
        if parties:
            provided.append("adverse_parties.name")
        audit_record(
            actor=by,
            action="case.opened",
            obj=case,
            fields=[*provided, "custody", "case_type", *(["facility"] if facility else [])],
        )
    return case


#: Fields of a case that ``case_update`` may change.
CASE_FIELDS = (
    "case_type",
    "practice_area",
    "stage",
    "custody",
    "facility",
    "court",
    "relief_sought",
    "unaccompanied_child",
)


def _case_errors(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, Any] = {
        key: _("Unknown field.") for key in sorted(set(data) - set(CASE_FIELDS))
    }
    check_choices(errors, data, {"case_type": CaseType.values})
    if data.get("practice_area"):
        check_choice(errors, "practice_area", data["practice_area"], PracticeArea.values)
    check_choices(errors, data, {"stage": Stage.values, "custody": Custody.values})
    if "relief_sought" in data:
        relief = data["relief_sought"]
        if not isinstance(relief, list | tuple) or any(r not in Relief.values for r in relief):
            errors["relief_sought"] = _("Choose values from the list.")
    if "unaccompanied_child" in data and not isinstance(data["unaccompanied_child"], bool):
        errors["unaccompanied_child"] = _("Choose yes or no.")
    for key, limit in (("facility", 200), ("court", 120)):
        if key in data and len(str(data[key] or "")) > limit:
            errors[key] = _("This is too long.")
    return errors


def _case_values(data: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key == "relief_sought":
            value = sorted(dict.fromkeys(value))
        elif isinstance(value, str):
            value = value.strip()
        if key == "practice_area":
            value = value or ""
        values[key] = value
    return values


def case_update(*, case: Case, data: dict[str, Any], by: User) -> Case:
    """Change the case's facts. A custody change is put on the timeline and recomputes the
    deadlines that depend on custody. Audited (``model_update``) with the names of the fields
    that changed; nothing changed, nothing written."""
    require(can_edit_case(by, case))
    errors = _case_errors(data)
    if errors:
        raise ServiceError(errors)
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        changed = model_update(
            instance=locked,
            fields=CASE_FIELDS,
            data=_case_values(data),
            by=by,
            action="case.updated",
        )
        if not changed:
            return locked
        touch(locked)
        if "custody" in changed:
            event_add_system(case=locked, kind=EventKind.CUSTODY, by=by)
        if {"custody", "case_type", "relief_sought", "unaccompanied_child"} & set(changed):
            # Custody, withholding-only proceedings, SIJS and an unaccompanied child all change
            # which deadlines the case has or what they say.
            triggers_changed(locked, by)
    return locked


CLIENT_FIELDS = (*CLIENT_KEYS, "language", "remind_by_sms", "remind_by_email")
#: Client fields the hearing reminders depend on.
_REMINDER_FIELDS = {"phone", "email", "language", "remind_by_sms", "remind_by_email"}


def client_update(*, case: Case, data: dict[str, Any], by: User) -> Client:
    """Change the client's details (each protected value re-encrypted, blind indexes redone).
    Audited (``model_update``) with field names only; the values never leave the vault."""
    require(can_edit_case(by, case))
    unknown = set(data) - set(CLIENT_FIELDS)
    if unknown:
        raise ServiceError({key: _("Unknown field.") for key in sorted(unknown)})
    if "name" in data and not str(data["name"] or "").strip():
        raise ServiceError({"name": _("Enter the client's name.")})
    values: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, str):
            value = value.strip()
        if key == "date_of_birth" and value == "":
            value = None
        values[key] = value
    with transaction.atomic():
        client = Client.objects.select_for_update().get(pk=case.client_id)
        changed = model_update(
            instance=client, fields=CLIENT_FIELDS, data=values, by=by, action="case.client.updated"
        )
        if not changed:
            return client
        if _REMINDER_FIELDS & set(changed):
            for hearing in Hearing.objects.filter(case__client=client):
                sync_reminders(hearing)
        if "date_of_birth" in changed:
            # The SIJS age-out deadline runs from it, in every case of the client's we may edit.
            for other in Case.objects.filter(client=client).order_by("pk"):
                if other.pk == case.pk or can_edit_case(by, other):
                    triggers_changed(other, by)
        touch(case)
    return client


def case_transition(*, case: Case, name: str, by: User, reason: str = "") -> Case:
    """Move the case along its lifecycle (``workflow.TRANSITIONS``).

    Refuses (``PermissionDenied``) a user the step's predicate does not allow, and an unknown
    step; refuses (``ServiceError``) a step that does not apply to the case's state, or closing
    without a final outcome. Audited with the step's name and the two states.
    """
    step = TRANSITIONS.get(name)
    require(step is not None and bool(step.permission(by, case)))
    with transaction.atomic():
        locked = Case.objects.select_for_update().select_related("organization").get(pk=case.pk)
        try:
            transition = check_transition(locked, name)
        except TransitionRefused as refused:
            raise ServiceError(refused.message, code=refused.code) from refused
        before = locked.status
        locked.status = transition.target
        locked.closed_at = timezone.now() if transition.target == CaseStatus.CLOSED else None
        locked.updated_at = timezone.now()
        locked.save(update_fields=["status", "closed_at", "updated_at"])
        event_add_system(case=locked, kind=EventKind.STATUS, by=by)
        if transition.target == CaseStatus.CLOSED or before == CaseStatus.CLOSED:
            for hearing in locked.hearings.all():
                sync_reminders(hearing)
        audit_record(
            actor=by,
            action=f"case.{name}",
            obj=locked,
            fields=["status"],
            reason=f"{before} -> {transition.target}" + (f": {reason.strip()}" if reason else ""),
        )
    return locked
