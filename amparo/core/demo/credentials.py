"""The demo's credentials file: passwords, TOTP secrets and API tokens issued to the demo users,
written privately, checked and rotated."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import secrets
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone

from amparo.accounts.models import ApiToken, User
from amparo.accounts.roles import PROVIDER_ROLES, Role
from amparo.accounts.services import api_token_create

#: The name of the API token made for each demo user (older ones are revoked on rotation).
DEMO_TOKEN_NAME = "Demo"
#: The keys of one entry of ``var/demo/credentials.json``, in order.
CREDENTIAL_KEYS = ("role", "email", "password", "totp_secret", "api_token", "organization")


_ROLE_ORDER = {role: i for i, role in enumerate(Role.values)}


def demo_users() -> list[User]:
    """The demo users who can sign in: ``is_demo``, active and enrolled in TOTP.

    Users made by ``amparo seed`` are demo users too (``amparo serve`` refuses them all), but
    they have no authenticator and never get credentials.
    """
    users = (
        User.objects.filter(
            is_demo=True, is_active=True, authenticator__type=Authenticator.Type.TOTP
        )
        .distinct()
        .prefetch_related("memberships__organization")
    )
    return sorted(users, key=lambda u: (_ROLE_ORDER.get(u.role, 99), u.email))


def _organization_slug(user: User) -> str | None:
    if user.role not in PROVIDER_ROLES:
        return None
    active = [m for m in user.memberships.all() if m.is_active and m.organization.is_active]
    return active[0].organization.slug if active else None


def _totp_secret(user: User) -> str | None:
    auth = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return decrypt(auth.data["secret"]) if auth is not None else None


def _check_password(pair: tuple[str, str]) -> bool:
    return check_password(pair[0], pair[1])


def _pool() -> ProcessPoolExecutor | None:
    """Processes for password hashing: PBKDF2 holds the GIL and takes a third of a second."""
    cpus = os.cpu_count() or 1
    if cpus < 2:
        return None
    return ProcessPoolExecutor(max_workers=cpus, mp_context=multiprocessing.get_context("fork"))


def _parallel(func: Callable[[Any], Any], items: list[Any]) -> list[Any]:
    pool = _pool() if len(items) > 3 else None
    if pool is None:
        return [func(item) for item in items]
    with pool:
        return list(pool.map(func, items))


def _all_parallel(func: Callable[[Any], bool], items: list[Any]) -> bool:
    """``all(map(func, items))`` over processes, stopping at the first False."""
    pool = _pool() if len(items) > 3 else None
    if pool is None:
        return all(func(item) for item in items)
    try:
        return all(pool.map(func, items))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _fingerprint_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.fingerprint")


def _fingerprint(path: Path, users: list[User]) -> dict[str, Any]:
    """What the file and the password hashes were when the credentials were issued."""
    return {
        "file_sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "password_hashes": {u.email: u.password for u in users},
    }


def demo_credentials_valid(entries: Any, *, fingerprint: Any = None) -> bool:
    """True when ``entries`` signs in every demo user, and only them, as the file says.

    Checks the role and organization, each TOTP secret against the enrolled device, each API
    token against an active token of that user, and each password against its hash. Hashing
    is slow by design: pass the ``fingerprint`` written when the file was issued only when the
    file is unchanged since, and the hashing is skipped if no password hash changed either
    (same file, same hashes: same passwords).
    """
    if not isinstance(entries, list):
        return False
    users = {u.email: u for u in demo_users()}
    if len(entries) != len(users):
        return False
    for entry in entries:
        if not isinstance(entry, dict) or set(entry) != set(CREDENTIAL_KEYS):
            return False
        if not all(isinstance(entry[k], str) for k in CREDENTIAL_KEYS if k != "organization"):
            return False
    if {e["email"] for e in entries} != set(users):
        return False
    for entry in entries:
        user = users[entry["email"]]
        if entry["role"] != user.role or entry["organization"] != _organization_slug(user):
            return False
        if entry["totp_secret"] != _totp_secret(user):
            return False
        token_ok = (
            ApiToken.objects.active()
            .filter(user=user, digest=ApiToken.digest_of(entry["api_token"]))
            .exists()
        )
        if not token_ok:
            return False
    if isinstance(fingerprint, dict) and fingerprint.get("password_hashes") == {
        email: u.password for email, u in users.items()
    }:
        return True
    return _all_parallel(
        _check_password, [(e["password"], users[e["email"]].password) for e in entries]
    )


def demo_password() -> str:
    """A fresh random password (16 URL-safe characters, about 96 bits)."""
    return secrets.token_urlsafe(12)


def demo_credentials_rotate() -> list[dict[str, Any]]:
    """Give every demo user a new password and a new API token; returns the new credentials.

    Earlier demo tokens are revoked, so an old credentials file stops working as a whole.
    TOTP secrets are kept: they are read back from each user's device.
    """
    users = demo_users()
    passwords = [demo_password() for _ in users]
    hashes = _parallel(make_password, passwords)
    entries: list[dict[str, Any]] = []
    with transaction.atomic():
        now = timezone.now()
        # Every demo token, including those of demo users who can no longer sign in.
        ApiToken.objects.active().filter(user__is_demo=True, name=DEMO_TOKEN_NAME).update(
            revoked_at=now
        )
        for user, password, hashed in zip(users, passwords, hashes, strict=True):
            user.password = hashed
            _token, raw = api_token_create(user=user, name=DEMO_TOKEN_NAME)
            entries.append(
                {
                    "role": user.role,
                    "email": user.email,
                    "password": password,
                    "totp_secret": _totp_secret(user),
                    "api_token": raw,
                    "organization": _organization_slug(user),
                }
            )
        User.objects.bulk_update(users, ["password"])
    return entries


def demo_credentials_read(path: Path) -> Any:
    """The parsed credentials file, or None when it is missing or not JSON."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _write_private(path: Path, data: Any) -> None:
    """Write ``data`` as JSON to ``path`` with mode 0600 (its folder 0700), atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2, ensure_ascii=False)
            fh.write("\n")
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def demo_credentials_write(path: Path, entries: list[dict[str, Any]]) -> None:
    """Write ``entries`` to ``path`` with mode 0600 (its folder 0700), atomically."""
    _write_private(path, entries)


def demo_credentials_ensure(path: Path) -> tuple[list[dict[str, Any]], bool]:
    """Make sure ``path`` holds working credentials for every demo user.

    Returns the entries and whether they were (re)issued. A file that still signs in every
    demo user is kept as it is (its tokens cannot be shown again); otherwise every password
    and token is rotated and the file rewritten.
    """
    existing = demo_credentials_read(path)
    fingerprint = demo_credentials_read(_fingerprint_path(path))
    # Only a file untouched since it was issued may use the fingerprint's shortcut.
    if (
        not isinstance(fingerprint, dict)
        or existing is None
        or fingerprint.get("file_sha256") != hashlib.sha256(path.read_bytes()).hexdigest()
    ):
        fingerprint = None
    if demo_credentials_valid(existing, fingerprint=fingerprint):
        os.chmod(path, 0o600)
        return existing, False
    entries = demo_credentials_rotate()
    demo_credentials_write(path, entries)
    _write_private(_fingerprint_path(path), _fingerprint(path, demo_users()))
    return entries, True
