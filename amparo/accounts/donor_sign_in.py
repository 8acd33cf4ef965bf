"""How a donor's account is stored and signed into without their address in the clear.

A donor's ``User`` row holds no name and no readable email: its ``email`` is a keyed digest of
the donor's address (``d-<hex>@donor.invalid``), made with a key from the vault's key provider,
so a copy of the database (with or without the settings) cannot tell whose account it is or
test a guessed address. The real address and name live encrypted on the linked donor record.

The donor signs in with a link mailed to the address they type: the digest of what they type
finds the account. The link is a Django ``signing`` token over the account id and its
``last_login``; signing in moves ``last_login``, so a link works once.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.core import signing

from amparo.vault.keys import purpose_key

from .models import DONOR_DOMAIN

__all__ = ["DONOR_DOMAIN", "donor_address", "is_donor_address", "link_claim", "link_token"]
#: How long a sign-in link asked for on the sign-in page works.
LINK_MAX_AGE = 15 * 60
_SALT = "amparo.accounts.donor-sign-in"


def donor_address(email: str) -> str:
    """The digest address of the account of whoever receives mail at ``email``."""
    normalized = email.strip().lower()
    mac = hmac.new(purpose_key("donor-sign-in"), normalized.encode(), hashlib.sha256)
    return f"d-{mac.hexdigest()[:40]}@{DONOR_DOMAIN}"


def is_donor_address(email: str) -> bool:
    """Whether ``email`` is a digest address (no person reads mail there)."""
    return email.lower().endswith("@" + DONOR_DOMAIN)


def _stamp(last_login: object) -> str:
    return last_login.isoformat() if last_login is not None else ""  # type: ignore[attr-defined]


@dataclass(frozen=True)
class LinkClaim:
    """What a valid sign-in link says: whose account, as it was when the link was made."""

    user_id: int
    last_login: str


def link_token(*, user_id: int, last_login: object, invitation: bool = False) -> str:
    """A signed, timestamped token for a sign-in link. An invitation's link works as long as a
    password-setting link would (a person may read an invitation days later); a link asked for
    on the sign-in page works :data:`LINK_MAX_AGE` seconds."""
    payload = {"u": user_id, "l": _stamp(last_login), "i": int(invitation)}
    return signing.TimestampSigner(salt=_SALT).sign_object(payload, compress=True)


def link_max_age(invitation: bool) -> int:
    return int(settings.PASSWORD_RESET_TIMEOUT) if invitation else LINK_MAX_AGE


def link_claim(token: str) -> LinkClaim:
    """The claim of ``token``; raises ``signing.SignatureExpired`` (too old) or
    ``signing.BadSignature`` (anything else that is not a link we made)."""
    signer = signing.TimestampSigner(salt=_SALT)
    payload = signer.unsign_object(token)  # checks the signature first, never the age alone
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int):
        raise signing.BadSignature("malformed")
    signer.unsign_object(token, max_age=link_max_age(bool(payload.get("i"))))
    return LinkClaim(user_id=payload["u"], last_login=str(payload.get("l", "")))


def link_is_current(claim: LinkClaim, last_login: object) -> bool:
    """A link stops working once the account signed in after it was made."""
    return hmac.compare_digest(claim.last_login, _stamp(last_login))
