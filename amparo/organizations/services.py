"""Writes on organizations: each one function, one transaction, permission checked inside.

Each write also appends an audit event (who, what, which fields; never values) in the same
transaction.

Views validate input and fetch through selectors; these functions refuse what ``by`` may not
do (``PermissionDenied``) even if a view forgot to ask, and side effects (email) leave only
after the transaction commits.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.accounts.roles import PROVIDER_ROLES
from amparo.accounts.services import (
    InvitationError,
    invitation_send_on_commit,
    invitation_user_prepare,
)
from amparo.audit.services import audit_record

from .models import AttorneyProfile, Fund, Membership, Office, Program, ProviderOrganization
from .permissions import (
    can_administer_organization,
    can_edit_attorney_profile,
    can_invite_to_organization,
    can_manage_organization,
    can_manage_programs,
    is_active_member,
)

logger = logging.getLogger("amparo.organizations")

M = TypeVar("M", bound=models.Model)

#: What a provider admin may change about their own organization; the rest is the fund's.
PROVIDER_EDITABLE_FIELDS = frozenset(
    {"description", "website", "public_phone", "accepting_new_cases", "attorneys_see_all_org_cases"}
)
ORGANIZATION_FIELDS = PROVIDER_EDITABLE_FIELDS | {"name", "slug", "is_active"}
OFFICE_FIELDS = frozenset(
    {"name", "address", "city", "state", "zip_code", "phone", "counties_served"}
)
PROGRAM_FIELDS = frozenset({"fund", "name", "slug", "description", "categories", "is_active"})
FUND_FIELDS = frozenset({"name", "city", "holder", "hotline_phone"})
PROFILE_FIELDS = frozenset(
    {
        "kind",
        "eoir_id",
        "bar_number",
        "languages",
        "practice_areas",
        "capacity",
        "accepting_new_cases",
    }
)


class OrganizationError(Exception):
    """A change that cannot go ahead; ``message`` is translated and shown to the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _apply(instance: M, changes: Mapping[str, Any], allowed: Iterable[str]) -> tuple[M, list[str]]:
    """Set the allowed fields present in ``changes``, validate the whole row, save it.

    Returns the row and the names of the fields whose value changed (for the audit event).
    """
    allowed = set(allowed)
    changed = []
    for name, value in changes.items():
        if name in allowed:
            field = instance._meta.get_field(name)
            attname = getattr(field, "attname", name)
            current = getattr(instance, attname)  # an id for a relation: never a query
            new = value.pk if isinstance(value, models.Model) else value
            if current != new:
                changed.append(name)
            setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    return instance, changed


# --- Organizations ------------------------------------------------------------------------


@transaction.atomic
def organization_create(*, by: User, data: Mapping[str, Any]) -> ProviderOrganization:
    """A new provider organization. Fund administrators only."""
    if not can_administer_organization(by, None):
        raise PermissionDenied
    org, changed = _apply(ProviderOrganization(), data, ORGANIZATION_FIELDS)
    audit_record(actor=by, action="organizations.organization.created", obj=org, fields=changed)
    logger.info("organization created org_id=%s by_user_id=%s", org.pk, by.pk)
    return org


@transaction.atomic
def organization_update(
    *, organization: ProviderOrganization, by: User, data: Mapping[str, Any]
) -> ProviderOrganization:
    """Change an organization. Provider admins change only ``PROVIDER_EDITABLE_FIELDS``."""
    if not can_manage_organization(by, organization):
        raise PermissionDenied
    allowed = (
        ORGANIZATION_FIELDS
        if can_administer_organization(by, organization)
        else PROVIDER_EDITABLE_FIELDS
    )
    org, changed = _apply(organization, data, allowed)
    audit_record(actor=by, action="organizations.organization.updated", obj=org, fields=changed)
    logger.info("organization updated org_id=%s by_user_id=%s", org.pk, by.pk)
    return org


# --- Offices ------------------------------------------------------------------------------


@transaction.atomic
def office_create(
    *, organization: ProviderOrganization, by: User, data: Mapping[str, Any]
) -> Office:
    if not can_manage_organization(by, organization):
        raise PermissionDenied
    office, changed = _apply(Office(organization=organization), data, OFFICE_FIELDS)
    audit_record(actor=by, action="organizations.office.created", obj=office, fields=changed)
    return office


@transaction.atomic
def office_update(*, office: Office, by: User, data: Mapping[str, Any]) -> Office:
    if not can_manage_organization(by, office.organization):
        raise PermissionDenied
    office, changed = _apply(office, data, OFFICE_FIELDS)
    audit_record(actor=by, action="organizations.office.updated", obj=office, fields=changed)
    return office


@transaction.atomic
def office_delete(*, office: Office, by: User) -> None:
    if not can_manage_organization(by, office.organization):
        raise PermissionDenied
    audit_record(actor=by, action="organizations.office.deleted", obj=office)
    office.delete()


# --- Programs and the fund ----------------------------------------------------------------


@transaction.atomic
def program_create(*, by: User, data: Mapping[str, Any]) -> Program:
    if not can_manage_programs(by):
        raise PermissionDenied
    program, changed = _apply(Program(), data, PROGRAM_FIELDS)
    audit_record(actor=by, action="organizations.program.created", obj=program, fields=changed)
    return program


@transaction.atomic
def program_update(*, program: Program, by: User, data: Mapping[str, Any]) -> Program:
    if not can_manage_programs(by):
        raise PermissionDenied
    program, changed = _apply(program, data, PROGRAM_FIELDS)
    audit_record(actor=by, action="organizations.program.updated", obj=program, fields=changed)
    return program


@transaction.atomic
def fund_save(*, fund: Fund | None, by: User, data: Mapping[str, Any]) -> Fund:
    """Create the deployment's fund, or change it."""
    if not can_manage_programs(by):
        raise PermissionDenied
    saved, changed = _apply(fund or Fund(), data, FUND_FIELDS)
    audit_record(actor=by, action="organizations.fund.saved", obj=saved, fields=changed)
    return saved


# --- Staff --------------------------------------------------------------------------------


@transaction.atomic
def membership_invite(
    *,
    organization: ProviderOrganization,
    email: str,
    role: str,
    by: User,
    site_url: str = "",
    first_name: str = "",
    last_name: str = "",
    language: str = "en",
) -> Membership:
    """Invite a person to ``organization`` as provider admin or attorney.

    Fund admins may invite to any organization, provider admins to their own only. Creates
    (or finds) the account, with an unusable password and an unverified email address, and
    an active membership; re-inviting the same email creates nothing new (a deactivated
    membership is switched back on). The invitation email, in the invitee's language, leaves
    after the transaction commits.
    """
    if not can_invite_to_organization(by, organization, role):
        raise PermissionDenied
    if not organization.is_active:
        raise InvitationError(_("This organization is switched off."), field="organization")
    if role not in PROVIDER_ROLES:
        raise InvitationError(_("Choose a role from the list."), field="role")
    user, created = invitation_user_prepare(
        email=email, role=role, first_name=first_name, last_name=last_name, language=language
    )
    membership, _created = Membership.objects.get_or_create(
        user=user, organization=organization, defaults={"invited_by": by, "is_active": True}
    )
    if not membership.is_active:
        membership.is_active = True
        membership.invited_by = by
        membership.save(update_fields=["is_active", "invited_by"])
    invitation_send_on_commit(
        user=user, by=by, site_url=site_url, organization_name=organization.name
    )
    audit_record(
        actor=by,
        action="organizations.membership.invited",
        obj=membership,
        reason="new account" if created else "existing account",
    )
    logger.info(
        "membership invitation membership_id=%s user_created=%s by_user_id=%s",
        membership.pk,
        created,
        by.pk,
    )
    return membership


@transaction.atomic
def membership_deactivate(*, membership: Membership, by: User) -> Membership:
    """Switch a membership off. Checked on every request, so it takes effect at once."""
    if not can_manage_organization(by, membership.organization):
        raise PermissionDenied
    if membership.user_id == by.pk:
        raise OrganizationError(
            _("You cannot deactivate your own membership. Ask another administrator.")
        )
    if membership.is_active:
        membership.is_active = False
        membership.save(update_fields=["is_active"])
        audit_record(
            actor=by,
            action="organizations.membership.deactivated",
            obj=membership,
            fields=["is_active"],
        )
        logger.info("membership deactivated membership_id=%s by_user_id=%s", membership.pk, by.pk)
    return membership


@transaction.atomic
def membership_reactivate(*, membership: Membership, by: User) -> Membership:
    if not can_manage_organization(by, membership.organization):
        raise PermissionDenied
    if not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
        audit_record(
            actor=by,
            action="organizations.membership.reactivated",
            obj=membership,
            fields=["is_active"],
        )
        logger.info("membership reactivated membership_id=%s by_user_id=%s", membership.pk, by.pk)
    return membership


# --- Attorney profiles --------------------------------------------------------------------


@transaction.atomic
def attorney_profile_save(
    *, membership: Membership, by: User, data: Mapping[str, Any]
) -> AttorneyProfile:
    """Create or change the routing profile of the member behind ``membership``.

    The organization's managers may, and so may the attorney for their own profile while
    their membership is active.
    """
    profile = AttorneyProfile.objects.filter(user=membership.user).first()
    if profile is not None and profile.organization_id != membership.organization_id:
        raise OrganizationError(_("This person's profile belongs to another organization."))
    if profile is None:
        profile = AttorneyProfile(user=membership.user, organization=membership.organization)
    if not membership.is_active or not (
        can_manage_organization(by, membership.organization)
        or (membership.user_id == by.pk and is_active_member(by, membership.organization))
    ):
        raise PermissionDenied
    profile, changed = _apply(profile, data, PROFILE_FIELDS)
    audit_record(
        actor=by, action="organizations.attorney_profile.saved", obj=profile, fields=changed
    )
    logger.info("attorney profile saved profile_id=%s by_user_id=%s", profile.pk, by.pk)
    return profile


@transaction.atomic
def attorney_profile_update(
    *, profile: AttorneyProfile, by: User, data: Mapping[str, Any]
) -> AttorneyProfile:
    """Change an existing profile (the API's partial update)."""
    if not can_edit_attorney_profile(by, profile):
        raise PermissionDenied
    profile, changed = _apply(profile, data, PROFILE_FIELDS)
    audit_record(
        actor=by, action="organizations.attorney_profile.updated", obj=profile, fields=changed
    )
    logger.info("attorney profile updated profile_id=%s by_user_id=%s", profile.pk, by.pk)
    return profile
