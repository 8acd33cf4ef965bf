from __future__ import annotations

import hashlib
import secrets
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .roles import PROVIDER_ROLES, STAFF_ROLES, Role

#: The reserved domain (RFC 2606) of every donor account's digest address
#: (:mod:`amparo.accounts.donor_sign_in`): it receives no mail, and nobody types it to sign in.
DONOR_DOMAIN = "donor.invalid"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("role", Role.FUND_ADMIN)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in. Staff names are not client data; clients have no account."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    preferred_language = models.CharField(_("preferred language"), max_length=8, default="en")
    is_demo = models.BooleanField(_("demo user"), default=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects = UserManager()  # type: ignore[misc,assignment]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.email

    @property
    def is_staff_role(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_provider_role(self) -> bool:
        return self.role in PROVIDER_ROLES

    @property
    def is_donor_account(self) -> bool:
        """A donor's account keeps only a digest address; its name and email are on the donor
        record, encrypted (:mod:`amparo.accounts.donor_sign_in`)."""
        return self.role == Role.DONOR and self.email.endswith("@" + DONOR_DOMAIN)

    @property
    def display_name(self) -> str:
        if self.is_donor_account:
            return str(_("Donor"))
        return self.get_full_name() or self.email


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A personal API token: shown once, stored as a SHA-256 digest, revocable.

    A token carries exactly its owner's permissions: authentication yields the user, and
    every check after that is the same as for a signed-in browser.
    """

    PREFIX = "amp_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(max_length=12, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering: ClassVar[list[str]] = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def new_raw_token(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @staticmethod
    def digest_of(raw: str) -> str:
        return _hash_token(raw)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
