"""Writes on organizations: each one function, one transaction, permission checked inside.

Each write also appends an audit event (who, what, which fields; never values) in the same
transaction.

Views validate input and fetch through selectors; these functions refuse what ``by`` may not
do (``PermissionDenied``) even if a view forgot to ask, refuse bad values with a field-aware
``ServiceError``, change rows through ``model_update`` (which audits the changed fields), and
side effects (email) leave only after the transaction commits. Only people act here: the
system actor is refused by every permission check.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar, cast

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.accounts.roles import PROVIDER_ROLES
from amparo.accounts.services import (
    invitation_refused,
    invitation_send_on_commit,
    invitation_user_prepare,
)
from amparo.audit.services import audit_record
from amparo.core.services import Actor, ServiceError, model_insert, model_update, require

from .models import (
    ATTORNEY_PROFILE_FIELDS,
    ORGANIZATION_ADMIN_FIELDS,
    ORGANIZATION_PROVIDER_FIELDS,
    AttorneyProfile,
    Fund,
    Membership,
    MembershipInvitation,
    Office,
    Program,
    ProviderOrganization,
)
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
PROVIDER_EDITABLE_FIELDS = frozenset(ORGANIZATION_PROVIDER_FIELDS)
ORGANIZATION_FIELDS = frozenset(ORGANIZATION_ADMIN_FIELDS)
OFFICE_FIELDS = frozenset(
    {"name", "address", "city", "state", "zip_code", "phone", "counties_served"}
)
PROGRAM_FIELDS = frozenset({"fund", "name", "slug", "description", "categories", "is_active"})
FUND_FIELDS = frozenset({"holder"})
PROFILE_FIELDS = frozenset(ATTORNEY_PROFILE_FIELDS)


def _create_audited(
    instance: M, data: Mapping[str, Any], allowed: Iterable[str], *, by: Actor, action: str
) -> M:
    """Set the allowed fields present in ``data`` on a new row, validate and save it, and audit
    it as ``action`` with the names of the fields that were given.

    Changes to existing rows go through :func:`_update` (``model_update``).
    """
    given = sorted(name for name in allowed if name in data)
    for name in given:
        setattr(instance, name, data[name])
    return model_insert(instance=instance, fields=given, by=by, action=action)


def _update(
    instance: models.Model,
    data: Mapping[str, Any],
    allowed: Iterable[str],
    *,
    by: Actor,
    action: str,
) -> list[str]:
    """:func:`model_update` over the allowed fields; returns the names of the changed ones."""
    return model_update(instance=instance, fields=sorted(allowed), data=data, by=by, action=action)


# --- Organizations ------------------------------------------------------------------------


@transaction.atomic
def organization_create(*, by: Actor, data: Mapping[str, Any]) -> ProviderOrganization:
    """A new provider organization. Fund administrators only."""
    require(can_administer_organization(by, None))
    org = _create_audited(
        ProviderOrganization(),
        data,
        ORGANIZATION_FIELDS,
        by=by,
        action="organizations.organization.created",
    )
    logger.info("organization created org_id=%s by_user_id=%s", org.pk, by.pk)
    return org


@transaction.atomic
def organization_update(
    *, organization: ProviderOrganization, by: Actor, data: Mapping[str, Any]
) -> ProviderOrganization:
    """Change an organization. Provider admins change only ``PROVIDER_EDITABLE_FIELDS``."""
    require(can_manage_organization(by, organization))
    allowed = (
        ORGANIZATION_FIELDS
        if can_administer_organization(by, organization)
        else PROVIDER_EDITABLE_FIELDS
    )
    _update(organization, data, allowed, by=by, action="organizations.organization.updated")
    logger.info("organization updated org_id=%s by_user_id=%s", organization.pk, by.pk)
    return organization


# --- Offices ------------------------------------------------------------------------------


@transaction.atomic
def office_create(
    *, organization: ProviderOrganization, by: Actor, data: Mapping[str, Any]
) -> Office:
    require(can_manage_organization(by, organization))
    office = _create_audited(
        Office(organization=organization),
        data,
        OFFICE_FIELDS,
        by=by,
        action="organizations.office.created",
    )
    return office


@transaction.atomic
def office_update(*, office: Office, by: Actor, data: Mapping[str, Any]) -> Office:
    require(can_manage_organization(by, office.organization))
    _update(office, data, OFFICE_FIELDS, by=by, action="organizations.office.updated")
    return office


@transaction.atomic
def office_delete(*, office: Office, by: Actor) -> None:
    require(can_manage_organization(by, office.organization))
    audit_record(actor=by, action="organizations.office.deleted", obj=office)
    office.delete()


# --- Programs and the fund ----------------------------------------------------------------


@transaction.atomic
def program_create(*, by: Actor, data: Mapping[str, Any]) -> Program:
    require(can_manage_programs(by))
    program = _create_audited(
        Program(), data, PROGRAM_FIELDS, by=by, action="organizations.program.created"
    )
    return program


@transaction.atomic
def program_update(*, program: Program, by: Actor, data: Mapping[str, Any]) -> Program:
    require(can_manage_programs(by))
    _update(program, data, PROGRAM_FIELDS, by=by, action="organizations.program.updated")
    return program


@transaction.atomic
def fund_save(*, fund: Fund | None, by: Actor, data: Mapping[str, Any]) -> Fund:
    """Create the deployment's fund, or change it."""
    require(can_manage_programs(by))
    if fund is not None:
        _update(fund, data, FUND_FIELDS, by=by, action="organizations.fund.saved")
        return fund
    saved = _create_audited(Fund(), data, FUND_FIELDS, by=by, action="organizations.fund.saved")
    return saved


# --- Staff --------------------------------------------------------------------------------


@transaction.atomic
def membership_invite(
    *,
    organization: ProviderOrganization,
    email: str,
    role: str,
    by: Actor,
    site_url: str = "",
    first_name: str = "",
    last_name: str = "",
    language: str = "en",
) -> Membership | None:
    """Invite a person to ``organization`` as provider admin or attorney.

    Fund admins may invite to any organization, provider admins to their own only.

    - A new email: the account is created (unusable password, unverified address) with an
      active membership; choosing the password through the emailed link is the yes.
    - An existing account with that role: nobody joins without consent, so an invitation waits
      (``MembershipInvitation``) until the person accepts it after signing in. Returns None.
    - Already an active member: nothing new; the email is sent again.
    - Any other account (another role, switched off): nothing happens and nothing is sent.

    Whatever the email's owner, the inviter gets the same answer (no ServiceError about the
    address), so the form does not tell who has an account or with what role. Emails leave after
    the transaction commits.
    """
    require(can_invite_to_organization(by, organization, role))
    inviter = cast(User, by)
    if not organization.is_active:
        raise invitation_refused(_("This organization is switched off."), field="organization")
    if role not in PROVIDER_ROLES:
        raise invitation_refused(_("Choose a role from the list."), field="role")
    existing = User.objects.select_for_update().filter(email__iexact=email.strip()).first()
    membership: Membership | None = None
    if existing is None:
        user, created = invitation_user_prepare(
            email=email, role=role, first_name=first_name, last_name=last_name, language=language
        )
        membership, _created = Membership.objects.get_or_create(
            user=user, organization=organization, defaults={"invited_by": inviter}
        )
        outcome = "new account" if created else "existing account"
    else:
        user = existing
        membership = Membership.objects.filter(
            user=user, organization=organization, is_active=True
        ).first()
        if user.role != role or not user.is_active:
            membership, outcome = None, "not possible"
        elif membership is not None and not user.has_usable_password():
            outcome = "existing account"  # still their first invitation: send it again
        elif membership is not None:
            outcome = "already a member"
        else:
            MembershipInvitation.objects.get_or_create(
                user=user,
                organization=organization,
                answered_at=None,
                defaults={"invited_by": inviter},
            )
            outcome = "waits for acceptance"
    if outcome != "not possible" and outcome != "already a member":
        invitation_send_on_commit(
            user=user, by=inviter, site_url=site_url, organization_name=organization.name
        )
    audit_record(
        actor=by,
        action="organizations.membership.invited",
        obj=membership or organization,
        reason=f"{outcome} user_id={user.pk}",
    )
    logger.info(
        "membership invitation org_id=%s user_id=%s outcome=%s by_user_id=%s",
        organization.pk,
        user.pk,
        outcome,
        by.pk,
    )
    return membership


@transaction.atomic
def membership_invitation_answer(
    *, invitation: MembershipInvitation, accept: bool, by: Actor
) -> Membership | None:
    """The invitee answers a pending invitation. Only the invitee may, once; accepting creates
    the membership (or switches a removed one back on), declining creates nothing."""
    invitation = MembershipInvitation.objects.select_for_update().get(pk=invitation.pk)
    require(
        by.is_authenticated
        and by.is_active
        and invitation.user_id == by.pk
        and invitation.answered_at is None
    )
    invitation.answered_at = timezone.now()
    invitation.accepted = accept
    invitation.save(update_fields=["answered_at", "accepted"])
    membership: Membership | None = None
    if accept:
        if not invitation.organization.is_active or by.role not in PROVIDER_ROLES:
            raise ServiceError(_("This invitation can no longer be accepted."))
        membership, _created = Membership.objects.get_or_create(
            user_id=invitation.user_id,
            organization=invitation.organization,
            defaults={"invited_by": invitation.invited_by},
        )
        if not membership.is_active:
            membership.is_active = True
            membership.invited_by = invitation.invited_by
            membership.save(update_fields=["is_active", "invited_by"])
    audit_record(
        actor=by,
        action="organizations.membership.invitation_answered",
        obj=membership or invitation.organization,
        reason="accepted" if accept else "declined",
    )
    return membership


@transaction.atomic
def membership_deactivate(*, membership: Membership, by: Actor) -> Membership:
    """Switch a membership off. Checked on every request, so it takes effect at once."""
    require(can_manage_organization(by, membership.organization))
    if membership.user_id == by.pk:
        raise ServiceError(
            _("You cannot deactivate your own membership. Ask another administrator.")
        )
    return _membership_switch(membership, by=by, active=False)


@transaction.atomic
def membership_reactivate(*, membership: Membership, by: Actor) -> Membership:
    require(can_manage_organization(by, membership.organization))
    return _membership_switch(membership, by=by, active=True)


def _membership_switch(membership: Membership, *, by: Actor, active: bool) -> Membership:
    """Set ``is_active``; audited and logged only when it changes. Callers check permission."""
    verb = "reactivated" if active else "deactivated"
    if model_update(
        instance=membership,
        fields=["is_active"],
        data={"is_active": active},
        by=by,
        action=f"organizations.membership.{verb}",
    ):
        logger.info("membership %s membership_id=%s by_user_id=%s", verb, membership.pk, by.pk)
    return membership


# --- Attorney profiles --------------------------------------------------------------------


@transaction.atomic
def attorney_profile_save(
    *, membership: Membership, by: Actor, data: Mapping[str, Any]
) -> AttorneyProfile:
    """Create or change the routing profile of the member behind ``membership``.

    The organization's managers may, and so may the attorney for their own profile while
    their membership is active.
    """
    profile = AttorneyProfile.objects.filter(user=membership.user).first()
    if profile is not None and profile.organization_id != membership.organization_id:
        raise ServiceError(_("This person's profile belongs to another organization."))
    require(
        membership.is_active
        and (
            can_manage_organization(by, membership.organization)
            or (membership.user_id == by.pk and is_active_member(by, membership.organization))
        )
    )
    if profile is None:
        profile = _create_audited(
            AttorneyProfile(user=membership.user, organization=membership.organization),
            data,
            PROFILE_FIELDS,
            by=by,
            action="organizations.attorney_profile.saved",
        )
    else:
        _update(profile, data, PROFILE_FIELDS, by=by, action="organizations.attorney_profile.saved")
    logger.info("attorney profile saved profile_id=%s by_user_id=%s", profile.pk, by.pk)
    return profile


@transaction.atomic
def attorney_profile_update(
    *, profile: AttorneyProfile, by: Actor, data: Mapping[str, Any]
) -> AttorneyProfile:
    """Change an existing profile (the API's partial update)."""
    require(can_edit_attorney_profile(by, profile))
    _update(profile, data, PROFILE_FIELDS, by=by, action="organizations.attorney_profile.updated")
    logger.info("attorney profile updated profile_id=%s by_user_id=%s", profile.pk, by.pk)
    return profile
