"""Cryptographic primitives of the vault. No Django here: these are the parts worth reading twice.

- Values: AES-256-GCM, a fresh random 96-bit nonce per value, associated data naming the table,
  column and row primary key, so a ciphertext copied to another row or column fails to decrypt.
  Stored form: one format byte, the nonce, then ciphertext and tag.
- Blind indexes: HMAC-SHA256 under a key derived with HKDF-SHA256 from a root key that is not a
  data key and never sits in the database.
"""

from __future__ import annotations

import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_BYTES = 32  # AES-256
NONCE_BYTES = 12  # 96 bits: the size GCM is designed for
VALUE_FORMAT_V1 = 1


class DecryptionError(Exception):
    """A ciphertext did not authenticate: wrong key, wrong row or column, or tampering."""


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def cipher(key: bytes) -> AESGCM:
    return AESGCM(key)


def value_aad_prefix(table: str, column: str) -> bytes:
    # NUL-separated: table and column names cannot contain NUL, and the row id comes last, so
    # no choice of names or ids can make two contexts collide.
    if "\x00" in table or "\x00" in column:
        raise ValueError("names cannot contain NUL")
    return b"amparo-value-v1\x00" + table.encode() + b"\x00" + column.encode() + b"\x00"


def value_aad(table: str, column: str, row_id: str) -> bytes:
    return value_aad_prefix(table, column) + row_id.encode()


def seal(aead: AESGCM, plaintext: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return bytes([VALUE_FORMAT_V1]) + nonce + aead.encrypt(nonce, plaintext, aad)


def open_sealed(aead: AESGCM, sealed: bytes, aad: bytes) -> bytes:
    if len(sealed) < 1 + NONCE_BYTES + 16 or sealed[0] != VALUE_FORMAT_V1:
        raise DecryptionError("not a vault ciphertext")
    nonce = sealed[1 : 1 + NONCE_BYTES]
    try:
        return aead.decrypt(nonce, sealed[1 + NONCE_BYTES :], aad)
    except InvalidTag as exc:
        raise DecryptionError("ciphertext does not authenticate in this context") from exc


def derive_key(root: bytes, purpose: str) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=purpose.encode()
    ).derive(root)


def blind_digest(key: bytes, normalized: str) -> str:
    return hmac.new(key, normalized.encode(), hashlib.sha256).hexdigest()
