"""Donor accounts hold no readable name or email: the donor record holds them, encrypted.

A fund administrator's invitation (``amparo.accounts.services.user_invite``) makes an account
whose address is a keyed digest and sends ``donor_invited``; :func:`donor_account_link` then
links that account to the donor record of the typed address (creating one if the fund has none),
which is where the address and name are kept, under the donor's own data key. The gifts page
greets the donor by that name. :func:`donor_accounts_convert` moves accounts made before this
(plaintext address and name on the user row) to the same storage; a migration runs it.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.db import transaction

from amparo.accounts.donor_sign_in import DONOR_DOMAIN, donor_address, is_donor_address
from amparo.accounts.models import User
from amparo.accounts.roles import Role
from amparo.audit.services import audit_record
from amparo.core.services import SYSTEM, Actor, model_update, require

from .models import Donor
from .permissions import can_manage_gifts
from .services import donor_create, donor_find_by_email


def donor_account_link(*, user: User, email: str, name: str, language: str, by: Actor) -> Donor:
    """Link the donor account ``user`` to the donor record of ``email`` (made with ``name`` if
    there is none yet). A record that has no name yet takes ``name``."""
    require(by is SYSTEM or can_manage_gifts(by))
    donor = donor_find_by_email(email)
    if donor is None:
        return donor_create(name=name, email=email, language=language, user=user, by=by)
    data: dict[str, Any] = {"user": user}
    if name.strip() and not donor.name:
        data["name"] = name.strip()
    model_update(
        instance=donor,
        fields=["user", "name"],
        data=data,
        by=by,
        action="donations.donor_account_linked",
    )
    return donor


def on_donor_invited(
    sender: Any, *, user: User, email: str, name: str, by: Actor, **_: Any
) -> None:
    """``donor_invited`` receiver: the invitation's donor record, in the same transaction."""
    donor_account_link(user=user, email=email, name=name, language=user.preferred_language, by=by)


def donor_account_convert(*, user: User, by: Actor) -> bool:
    """Move one donor account made before digest addresses: its address and name go to the
    linked donor record (encrypted), the account keeps only the digest address, no name, no
    password and no ``EmailAddress`` rows. Returns False for an account already converted."""
    require(by is SYSTEM)
    if user.role != Role.DONOR or is_donor_address(user.email):
        return False
    with transaction.atomic():
        email, name = user.email, user.get_full_name()
        donor_account_link(
            user=user, email=email, name=name, language=user.preferred_language, by=by
        )
        EmailAddress.objects.filter(user=user).delete()
        user.email = donor_address(email)
        user.first_name = user.last_name = ""
        user.set_unusable_password()
        user.save(update_fields=["email", "first_name", "last_name", "password"])
        audit_record(
            actor=by,
            action="accounts.user.donor_address_digested",
            obj=user,
            fields=["email", "first_name", "last_name", "password"],
        )
    return True


def donor_accounts_convert() -> int:
    """Convert every donor account still holding its address in the clear; returns how many."""
    users = User.objects.filter(role=Role.DONOR).exclude(email__iendswith="@" + DONOR_DOMAIN)
    return sum(donor_account_convert(user=user, by=SYSTEM) for user in users.iterator())
