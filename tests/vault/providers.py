"""A second, complete KeyProvider: KEKs held in process memory, standing in for a KMS adapter.

It proves the seam: nothing in the vault assumes files. (A real KMS adapter makes the same calls
to its service: wrap = Encrypt with an encryption context, unwrap = Decrypt, create_next = a
new key version, retire = schedule the old version's deletion.)
"""

from __future__ import annotations

import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from amparo.vault.errors import KeyUnavailable, VaultError
from amparo.vault.keys import KeyProvider

VAULT: dict[str, bytes] = {}  # the "KMS": key id -> key
STATE: dict[str, object] = {"primary": None, "next": None, "root": None, "wraps": 0}


def reset() -> None:
    VAULT.clear()
    STATE.update(primary=None, next=None, root=None, wraps=0)


class InMemoryKeyProvider(KeyProvider):
    def _new(self) -> str:
        key_id = f"kms-{len(VAULT) + 1}"
        VAULT[key_id] = AESGCM.generate_key(bit_length=256)
        return key_id

    @property
    def key_id(self) -> str:
        if STATE["primary"] is None:
            STATE["primary"] = self._new()
        return str(STATE["primary"])

    def wrap(self, key: bytes, *, context: bytes, kek_id: str | None = None) -> bytes:
        kek_id = kek_id or self.key_id
        if kek_id not in VAULT:
            raise KeyUnavailable(kek_id)
        STATE["wraps"] = int(STATE["wraps"]) + 1  # type: ignore[call-overload]
        nonce = os.urandom(12)
        return nonce + AESGCM(VAULT[kek_id]).encrypt(nonce, key, context)

    def unwrap(self, wrapped: bytes, *, kek_id: str, context: bytes) -> bytes:
        if kek_id not in VAULT:
            raise KeyUnavailable(kek_id)
        try:
            return AESGCM(VAULT[kek_id]).decrypt(wrapped[:12], wrapped[12:], context)
        except Exception as exc:
            raise VaultError("does not unwrap") from exc

    def blind_index_root(self) -> bytes:
        if STATE["root"] is None:
            STATE["root"] = os.urandom(32)
        return STATE["root"]  # type: ignore[return-value]

    def create_next(self) -> str:
        if STATE["next"] is None:
            STATE["next"] = self._new()
        return str(STATE["next"])

    def retire(self, kek_id: str) -> None:
        if STATE["next"] is not None and STATE["primary"] == kek_id:
            VAULT.pop(kek_id, None)
            STATE["primary"], STATE["next"] = STATE["next"], None
