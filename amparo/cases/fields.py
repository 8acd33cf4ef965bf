"""An encrypted field for file contents: documents are stored as bytes under the client's key.

Built on the vault's ``EncryptedField`` (same AES-256-GCM, same associated data binding the
value to its table, column and row), so a document is shredded with the rest of the client.
"""

from __future__ import annotations

from typing import Any

from amparo.vault.fields import EncryptedField


class EncryptedBinaryField(EncryptedField):
    """Protected bytes. Reading the attribute decrypts; assign ``bytes`` to write."""

    def encode(self, value: Any) -> bytes:
        return bytes(value)

    def decode(self, data: bytes) -> bytes:
        return data

    def empty_plaintext(self) -> bytes:
        return b""

    def to_python(self, value: Any) -> Any:
        if value is None or isinstance(value, bytes):
            return value
        if isinstance(value, bytearray | memoryview):
            return bytes(value)
        raise TypeError("EncryptedBinaryField holds bytes")

    def formfield(self, **kwargs: Any) -> Any:
        return None  # uploaded through a FileField on the form, never edited as a value
