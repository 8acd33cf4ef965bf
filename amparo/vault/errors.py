"""What can go wrong in the vault, as exceptions other apps can catch by name."""

from __future__ import annotations

from .crypto import DecryptionError

__all__ = ["DecryptionError", "KeyUnavailable", "SubjectShredded", "VaultError"]


class VaultError(Exception):
    """Base class of the vault's own errors."""


class KeyUnavailable(VaultError):
    """A key-encryption key the database refers to is not held by the key provider."""


class SubjectShredded(VaultError):
    """The subject's data key was destroyed: its protected values can never be read again.

    Templates render it as an empty value (``silent_variable_failure``) so that a page listing
    a shredded record still renders; Python code sees the exception.
    """

    silent_variable_failure = True
