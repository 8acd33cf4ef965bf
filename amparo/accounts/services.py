"""Writes on accounts: each a function that runs in one transaction."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from .models import ApiToken, User


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns the row and the raw token, which is never stored."""
    raw = ApiToken.new_raw_token()
    token = ApiToken.objects.create(
        user=user, name=name.strip()[:80] or "API", digest=ApiToken.digest_of(raw), hint=raw[:8]
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke ``token``; it stops working on the next request. Revoking twice is harmless."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(*, raw: str) -> User | None:
    """Return the active user behind ``raw``, or None. Constant work whatever the input."""
    if not raw or not raw.startswith(ApiToken.PREFIX) or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(digest=ApiToken.digest_of(raw), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
