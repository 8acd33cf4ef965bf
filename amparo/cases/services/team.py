"""The case's team: who works on it, and who leads it."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import User
from amparo.audit.services import audit_record
from amparo.core.services import ServiceError, require

from ..choices import EventKind, TeamRole
from ..hooks import case_assigned
from ..models import Case, CaseAssignment
from ..permissions import can_manage_case_team, is_case_provider_admin
from ..timeline import event_add_system
from ._common import check_choice, is_active_member


def team_add(*, case: Case, user: User, role: str, by: User) -> CaseAssignment:
    """Put ``user`` on the case (or back on it). A new lead replaces the old one, who stays on
    the team as an attorney. Only active members of the case's organization. Audited."""
    require(can_manage_case_team(by, case))
    errors: dict[str, Any] = {}
    check_choice(errors, "role", role, TeamRole.values)
    if not is_active_member(user, case.organization):
        errors["user"] = _("Choose someone who works at the organization.")
    elif role == TeamRole.LEAD and user.role != "attorney":
        errors["role"] = _("The lead must be an attorney or accredited representative.")
    if errors:
        raise ServiceError(errors)
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
        case_assigned(locked, user, role, by)
    return assignment


def team_revoke(*, assignment: CaseAssignment, by: User) -> CaseAssignment:
    """Take someone off the case: they lose access on their next request. Audited."""
    case = assignment.case
    require(can_manage_case_team(by, case))
    if assignment.user_id == by.pk and not is_case_provider_admin(by, case):
        raise ServiceError(
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
