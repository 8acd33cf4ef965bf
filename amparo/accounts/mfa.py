"""Two-step verification secrets encrypted at rest.

allauth keeps each TOTP secret and recovery-code seed in the ``mfa_authenticator`` table and
calls its adapter's ``encrypt``/``decrypt`` around them; its default stores them as they are.
Anyone with a copy of the database (a backup, a replica, a dump) could then make valid codes
for every staff account. Here they are sealed with AES-256-GCM under a key from the vault's key
provider, which sits neither in the database nor in the settings.
"""

from __future__ import annotations

import base64

from allauth.mfa.adapter import DefaultMFAAdapter

from amparo.vault.crypto import cipher, open_sealed, seal
from amparo.vault.keys import purpose_key

#: Marks a sealed value; a value without it was stored before encryption (see the migration).
PREFIX = "amparo-v1:"
_AAD = b"amparo-mfa-secret-v1"


def seal_secret(text: str) -> str:
    sealed = seal(cipher(purpose_key("mfa-secrets")), text.encode(), _AAD)
    return PREFIX + base64.urlsafe_b64encode(sealed).decode()


def open_secret(stored: str) -> str:
    if not stored.startswith(PREFIX):
        return stored  # stored before encryption; the migration seals every such value
    sealed = base64.urlsafe_b64decode(stored[len(PREFIX) :])
    return open_sealed(cipher(purpose_key("mfa-secrets")), sealed, _AAD).decode()


class MFAAdapter(DefaultMFAAdapter):  # type: ignore[misc]
    def encrypt(self, text: str) -> str:
        return seal_secret(text)

    def decrypt(self, encrypted_text: str) -> str:
        return open_secret(encrypted_text)
