"""Writes on cases. Each service runs in one transaction and writes its audit event in it.

Services check what the model cannot: that the acting user may do this to this case (they
raise ``PermissionDenied``; views and the API turn that into a 404, as for a missing case), and
that values fit together (``ValidationError`` with field names, for forms and the API's 422).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import User
from amparo.accounts.roles import PROVIDER_ROLES
from amparo.audit.services import audit_record
from amparo.organizations.models import Membership, PracticeArea, ProviderOrganization
from amparo.vault.models import Subject

from .choices import CaseStatus, CaseType, Custody, EventKind, HearingKind, TeamRole
from .models import Case, CaseAssignment, CaseEvent, Client, Hearing, new_case_reference

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
        errors["lead_attorney"] = _("The lead attorney must be an active member of the organization.")
    if subject.is_shredded:
        errors["subject"] = _("This person's data was deleted.")
    if errors:
        raise ValidationError(errors)

    values = {key: client.get(key) for key in CLIENT_KEYS}
    for key in CLIENT_KEYS:
        if values[key] is None and key != "date_of_birth":
            values[key] = ""
        elif isinstance(values[key], str):
            values[key] = values[key].strip()
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
