"""Writes on accounts: each a function that runs in one transaction."""

from __future__ import annotations

import logging
from typing import cast
from urllib.parse import quote

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from amparo.audit.services import audit_record
from amparo.core import identity
from amparo.core.i18n_public import staff_languages
from amparo.core.services import Actor, ServiceError, is_system, require

from . import donor_sign_in
from .events import credentials_revoked, donor_invited
from .models import ApiToken, User
from .roles import PROVIDER_ROLES, Role

logger = logging.getLogger("amparo.accounts")


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns the row and the raw token, which is never stored."""
    raw = ApiToken.new_raw_token()
    token = ApiToken.objects.create(
        user=user, name=name.strip()[:80] or "API", digest=ApiToken.digest_of(raw), hint=raw[:8]
    )
    audit_record(actor=user, action="accounts.api_token.created", obj=token)
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke ``token``; it stops working on the next request. Revoking twice is harmless."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=token.user, action="accounts.api_token.revoked", obj=token, fields=["revoked_at"]
        )
    return token


@transaction.atomic
def user_credentials_revoke(*, user: User, by: Actor, reason: str) -> int:
    """Revoke every API token of ``user`` (each audited) and, through ``credentials_revoked``,
    every calendar feed: what a stolen password could have made stops working at once. Returns
    how many tokens were revoked. For a password reset and a deactivation."""
    now = timezone.now()
    tokens = list(ApiToken.objects.active().filter(user=user).select_for_update())
    for token in tokens:
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=by,
            action="accounts.api_token.revoked",
            obj=token,
            fields=["revoked_at"],
            reason=reason,
        )
    credentials_revoked.send(sender=User, user=user, by=by, reason=reason)
    logger.info("credentials revoked user_id=%s tokens=%s reason=%s", user.pk, len(tokens), reason)
    return len(tokens)


@transaction.atomic
def user_deactivate(*, user: User, by: User) -> User:
    """A fund administrator switches an account off: it can no longer sign in, and its API tokens
    and calendar feeds are revoked (audited). Deactivating twice is harmless."""
    require(by.is_authenticated and by.is_active and by.role == Role.FUND_ADMIN)
    if user.pk == by.pk:
        raise ServiceError(_("You cannot deactivate your own account. Ask another administrator."))
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit_record(actor=by, action="accounts.user.deactivated", obj=user, fields=["is_active"])
    user_credentials_revoke(user=user, by=by, reason="account deactivated")
    return user


#: Where :func:`api_token_find` keeps its answer on the HTTP request: (digest, token or None).
_REQUEST_MEMO = "_amparo_api_token"


def api_token_find(*, raw: str, request: HttpRequest | None = None) -> ApiToken | None:
    """The unrevoked token ``raw``, its user loaded, or None. Asked with ``request``, the
    database is asked once per HTTP request (the rate limiter and the authentication both need
    it): the answer is kept on the request, for that very token only."""
    if not raw or not raw.startswith(ApiToken.PREFIX) or len(raw) > 200:
        return None
    digest = ApiToken.digest_of(raw)
    memo = getattr(request, _REQUEST_MEMO, None)
    if memo is not None and memo[0] == digest:
        return cast(ApiToken | None, memo[1])
    token = ApiToken.objects.active().select_related("user").filter(digest=digest).first()
    if request is not None:
        setattr(request, _REQUEST_MEMO, (digest, token))
    return token


def api_token_authenticate(*, raw: str, request: HttpRequest | None = None) -> User | None:
    """Return the active user behind ``raw``, or None. Constant work whatever the input."""
    token = api_token_find(raw=raw, request=request)
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# --- Invitations --------------------------------------------------------------------------


def invitation_refused(message: str, *, field: str = "email") -> ServiceError:
    """An invitation that cannot go ahead: a translated message beside the form ``field`` it is
    about (the email address unless told)."""
    return ServiceError({field: [ServiceError(message)]})


def _normalize_email(email: str) -> str:
    return email.strip().lower()


def invitation_user_prepare(
    *,
    email: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    language: str = "en",
) -> tuple[User, bool]:
    """Find or create the person behind ``email``; call inside the caller's transaction.

    A new person gets an unusable password (they choose one through the emailed link) and an
    unverified ``EmailAddress``, which choosing the password verifies. An existing person keeps
    their account: re-inviting never creates a second one, and never changes a role.
    """
    email = _normalize_email(email)
    if role not in Role.values:
        raise invitation_refused(_("Choose a role from the list."), field="role")
    # The invitation and the account pages are staff text: English or Spanish.
    language = language if language in staff_languages() else settings.LANGUAGE_CODE
    user = User.objects.select_for_update().filter(email__iexact=email).first()
    created = False
    if user is None:
        new = User(
            email=email,
            role=role,
            first_name=first_name.strip()[:150],
            last_name=last_name.strip()[:150],
            preferred_language=language,
        )
        new.set_unusable_password()
        try:
            with transaction.atomic():  # a savepoint: a simultaneous invitation may win
                new.save()
            user, created = new, True
        except IntegrityError:
            user = User.objects.select_for_update().filter(email__iexact=email).first()
            if user is None:
                raise
    if not created:
        if user.role != role:
            raise invitation_refused(
                _("This email address already has an account with a different role.")
            )
        if not user.is_active:
            raise invitation_refused(
                _("This account is switched off. Ask a fund administrator to switch it back on.")
            )
        if not user.has_usable_password():
            # Still a pending invitation: the newest details win.
            user.first_name = first_name.strip()[:150] or user.first_name
            user.last_name = last_name.strip()[:150] or user.last_name
            user.preferred_language = language
            user.save(update_fields=["first_name", "last_name", "preferred_language"])
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": False, "primary": True}
    )
    return user, created


def default_site_url() -> str:
    """Where links in emails point when no request tells us (``AMPARO["SITE_URL"]``)."""
    return identity.site_url() + "/"


def invitation_send_on_commit(
    *, user: User, by: User, site_url: str = "", organization_name: str = ""
) -> None:
    """Queue the invitation email for after the transaction commits (never before)."""
    site_url = site_url or default_site_url()
    user_id, by_id = user.pk, by.pk
    transaction.on_commit(
        lambda: _send_invitation(
            user_id=user_id, by_id=by_id, site_url=site_url, organization_name=organization_name
        )
    )


def _send_invitation(*, user_id: int, by_id: int, site_url: str, organization_name: str) -> None:
    user = User.objects.get(pk=user_id)
    inviter = User.objects.filter(pk=by_id).first()
    base = site_url.rstrip("/")
    pending = not user.has_usable_password()
    if pending:
        key = f"{user_pk_to_url_str(user)}-{default_token_generator.make_token(user)}"
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        link = base + path.replace("UID-KEY", quote(key))
    elif organization_name:
        # An existing account joins only by accepting, on the invitations page after signing in.
        link = (
            base + reverse("account_login") + "?next=" + quote(reverse("organizations:invitations"))
        )
    else:
        link = base + reverse("account_login")
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "inviter_name": inviter.display_name if inviter else "",
            "role": user.get_role_display(),
            "organization_name": organization_name,
            "fund_name": identity.fund_name(),
            "link": link,
            "pending": pending,
            "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        }
        subject = render_to_string("accounts/email/invitation_subject.txt", context)
        body = render_to_string("accounts/email/invitation_message.txt", context)
    EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        from_email=identity.sender(),
        to=[user.email],
    ).send()
    logger.info("invitation sent user_id=%s pending=%s", user.pk, pending)


@transaction.atomic
def user_invite(
    *,
    email: str,
    role: str,
    by: Actor,
    site_url: str = "",
    first_name: str = "",
    last_name: str = "",
    language: str = "en",
) -> User:
    """Invite a person who does not belong to a provider organization (fund staff, board, donors).

    Only a fund administrator may. Provider roles go through
    ``amparo.organizations.services.membership_invite``, which also needs the organization.
    Guarantees: one account per email, the email leaves only after the transaction commits.
    """
    require(by.is_authenticated and by.is_active and by.role == Role.FUND_ADMIN)
    inviter = cast(User, by)
    if role == Role.DONOR:
        return _donor_invite(
            email=email,
            name=f"{first_name.strip()} {last_name.strip()}".strip(),
            language=language,
            by=inviter,
            site_url=site_url,
        )
    if role in PROVIDER_ROLES:
        raise invitation_refused(
            _("Choose the organization this person works for."), field="organization"
        )
    user, created = invitation_user_prepare(
        email=email, role=role, first_name=first_name, last_name=last_name, language=language
    )
    invitation_send_on_commit(user=user, by=inviter, site_url=site_url)
    return _invitation_recorded(user=user, created=created, by=inviter)


@transaction.atomic
def email_verify_on_password_set(*, user: User) -> int:
    """Setting a password through an emailed link proves the address: mark it verified.

    The link (allauth's password-reset key) is only ever sent to the account's own address,
    so following it and choosing a password is the same proof as a confirmation link.
    Returns how many addresses changed.
    """
    changed = int(
        EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=False).update(
            verified=True
        )
    )
    if changed:
        audit_record(actor=user, action="accounts.email.verified", obj=user, fields=["email"])
    return changed


# --- Donor accounts ---------------------------------------------------------------------------


def donor_account_prepare(*, email: str, language: str = "en") -> tuple[User, bool]:
    """Find or create the account of the donor who reads mail at ``email``; call inside the
    caller's transaction.

    The account stores only the digest address (:mod:`.donor_sign_in`): no name, no readable
    email, no ``EmailAddress`` row and no usable password, since donors sign in by emailed link.
    Another account (a staff member) at the same address is a different account.
    """
    if not email.strip():
        raise invitation_refused(_("Enter an email address."))
    address = donor_sign_in.donor_address(email)
    language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    user = User.objects.select_for_update().filter(email=address).first()
    if user is not None:
        if not user.is_active:
            raise invitation_refused(
                _("This account is switched off. Ask a fund administrator to switch it back on.")
            )
        return user, False
    new = User(email=address, role=Role.DONOR, preferred_language=language)
    new.set_unusable_password()
    try:
        with transaction.atomic():  # a savepoint: a simultaneous invitation may win
            new.save()
    except IntegrityError:
        return User.objects.get(email=address), False
    return new, True


def _donor_invite(*, email: str, name: str, language: str, by: User, site_url: str) -> User:
    """``user_invite`` for a donor: the digest-address account, linked (through
    ``donor_invited``) to the donor record that holds the address and name encrypted, and a
    sign-in link mailed to the address typed."""
    user, created = donor_account_prepare(email=email, language=language)
    donor_invited.send(sender=User, user=user, email=email.strip(), name=name, by=by)
    donor_link_send_on_commit(user=user, email=email.strip(), site_url=site_url, inviter=by)
    return _invitation_recorded(user=user, created=created, by=by)


def _invitation_recorded(*, user: User, created: bool, by: User) -> User:
    """The audit event and log line every invitation ends with (staff and donor alike)."""
    audit_record(
        actor=by,
        action="accounts.user.invited",
        obj=user,
        reason="new account" if created else "existing account",
    )
    logger.info("invitation user_id=%s created=%s by_user_id=%s", user.pk, created, by.pk)
    return user


def donor_account_for(email: str) -> User | None:
    """The active donor account of whoever reads mail at ``email``, if there is one."""
    if not email.strip():
        return None
    return User.objects.filter(
        email=donor_sign_in.donor_address(email), role=Role.DONOR, is_active=True
    ).first()


def donor_link_send_on_commit(
    *, user: User, email: str, site_url: str = "", inviter: User | None = None
) -> None:
    """Mail a sign-in link for ``user`` to ``email`` once the transaction commits. The address
    is held only in memory until then: it is never stored with the account."""
    site_url = site_url or default_site_url()
    user_id, inviter_id = user.pk, inviter.pk if inviter else None
    transaction.on_commit(
        lambda: _send_donor_link(
            user_id=user_id, email=email, site_url=site_url, inviter_id=inviter_id
        )
    )


def _send_donor_link(*, user_id: int, email: str, site_url: str, inviter_id: int | None) -> None:
    user = User.objects.get(pk=user_id)
    invitation = inviter_id is not None
    inviter = User.objects.filter(pk=inviter_id).first() if inviter_id is not None else None
    token = donor_sign_in.link_token(
        user_id=user.pk, last_login=user.last_login, invitation=invitation
    )
    link = site_url.rstrip("/") + reverse("accounts:donor-link", kwargs={"token": token})
    max_age = donor_sign_in.link_max_age(invitation)
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        context = {
            "invitation": invitation,
            "inviter_name": inviter.display_name if inviter else "",
            "fund_name": identity.fund_name(),
            "link": link,
            "valid_days": max(1, max_age // 86400),
            "valid_minutes": max_age // 60,
            "request_url": site_url.rstrip("/") + reverse("accounts:donor-sign-in"),
        }
        subject = render_to_string("accounts/email/donor_link_subject.txt", context)
        body = render_to_string("accounts/email/donor_link_message.txt", context)
    EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        from_email=identity.sender(),
        to=[email],
    ).send()
    logger.info("donor sign-in link sent user_id=%s invitation=%s", user.pk, invitation)


def donor_link_request(*, email: str, site_url: str = "") -> bool:
    """Someone typed ``email`` on the donor sign-in page: mail a link if it is a donor's address.
    Returns whether a link left (the page says the same either way). Writes nothing."""
    user = donor_account_for(email)
    if user is None:
        return False
    donor_link_send_on_commit(user=user, email=email.strip(), site_url=site_url)
    return True


def _link_refused(message: str) -> ServiceError:
    return ServiceError(message, code="link")


def donor_link_check(*, token: str) -> User:
    """The account a sign-in link is for, if the link still works; else a translated refusal
    that says why (not ours or damaged, too old, already used). Changes nothing."""
    try:
        claim = donor_sign_in.link_claim(token)
    except signing.SignatureExpired:
        raise _link_refused(_("This sign-in link has expired. Ask for a new one below.")) from None
    except signing.BadSignature:
        raise _link_refused(
            _(
                "This sign-in link is not valid. Check that you copied all of it, or ask for a new one below."
            )
        ) from None
    user = User.objects.filter(pk=claim.user_id, role=Role.DONOR, is_active=True).first()
    if user is None:
        raise _link_refused(
            _(
                "This sign-in link is not valid. Check that you copied all of it, or ask for a new one below."
            )
        )
    if not donor_sign_in.link_is_current(claim, user.last_login):
        raise _link_refused(_("This sign-in link was already used. Ask for a new one below."))
    return user


@transaction.atomic
def donor_link_use(*, token: str, by: Actor) -> User:
    """Use up a sign-in link and return its account, for the caller to sign in (``by`` is
    ``SYSTEM``: nobody is signed in yet; the audit names the account). Of two requests
    with the same link, only the first moves ``last_login`` from what the link says: the other
    is refused as used."""
    require(is_system(by))  # the holder of the link is not signed in yet
    user = donor_link_check(token=token)
    now = timezone.now()
    moved = User.objects.filter(pk=user.pk, last_login=user.last_login).update(last_login=now)
    if not moved:
        raise _link_refused(_("This sign-in link was already used. Ask for a new one below."))
    user.last_login = now
    audit_record(actor=user, action="accounts.user.signed_in_by_link", obj=user)
    return user
