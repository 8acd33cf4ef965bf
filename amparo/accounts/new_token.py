"""A new API token, held in the session between the POST that makes it and the page that shows it.

The raw token is shown exactly once (post/redirect/get): the POST puts it here and redirects;
the page after it takes it out. It never goes in a URL or a log. Sessions live in the database,
and the fund keeps only a fingerprint of each token, so for the moment it waits here it is
sealed with AES-256-GCM under a key from the vault's key provider, as two-step secrets are.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.contrib.sessions.backends.base import SessionBase

from amparo.vault.crypto import DecryptionError, cipher, open_sealed, seal
from amparo.vault.keys import purpose_key

SESSION_KEY = "accounts.new_api_token"
_AAD = b"amparo-new-api-token-v1"


@dataclass(frozen=True)
class Held:
    token_id: int
    raw: str


def _cipher() -> AESGCM:
    return cipher(purpose_key("new-api-token"))


def hold(session: SessionBase, *, token_id: int, raw: str) -> None:
    plain = json.dumps({"id": token_id, "raw": raw}).encode()
    session[SESSION_KEY] = base64.urlsafe_b64encode(seal(_cipher(), plain, _AAD)).decode()


def take(session: SessionBase) -> Held | None:
    """The held token, removed from the session: a second call returns ``None``."""
    blob = session.pop(SESSION_KEY, None)
    if not isinstance(blob, str):
        return None
    try:
        data = json.loads(open_sealed(_cipher(), base64.urlsafe_b64decode(blob), _AAD))
        return Held(token_id=int(data["id"]), raw=str(data["raw"]))
    except (DecryptionError, ValueError, KeyError, TypeError):
        return None
