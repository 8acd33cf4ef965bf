"""Key-encryption keys (KEKs), the cache of unwrapped data keys and the blind-index keys.

A KEK never sits in the database. The database holds, per subject, the data key wrapped under a
KEK and that KEK's id. ``KeyProvider`` is the seam: the file provider below is the embedded
default; a KMS adapter implements the same methods and is named by dotted path in
``settings.AMPARO["KEY_PROVIDER"]``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import os
import threading
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.utils.module_loading import import_string

from .crypto import KEY_BYTES, NONCE_BYTES, derive_key
from .errors import KeyUnavailable, SubjectShredded, VaultError

logger = logging.getLogger("amparo.vault")

DEFAULT_PROVIDER = "amparo.vault.keys.FileKeyProvider"
WRAP_FORMAT_V1 = 1


class KeyProvider(ABC):
    """Wraps and unwraps data keys under key-encryption keys held outside the database."""

    @classmethod
    def from_settings(cls) -> KeyProvider:
        return cls()

    @property
    @abstractmethod
    def key_id(self) -> str:
        """The id of the provider's primary KEK (the one used when the database names none)."""

    @abstractmethod
    def wrap(self, key: bytes, *, context: bytes, kek_id: str | None = None) -> bytes:
        """Encrypt ``key`` under ``kek_id`` (default: the primary KEK), bound to ``context``."""

    @abstractmethod
    def unwrap(self, wrapped: bytes, *, kek_id: str, context: bytes) -> bytes:
        """Decrypt a wrapped key; raises ``KeyUnavailable`` or ``VaultError``."""

    @abstractmethod
    def blind_index_root(self) -> bytes:
        """The 256-bit root of blind-index keys (kept beside the KEK, never in the database)."""

    # Rotation: a new KEK is prepared, every data key is rewrapped under it, then the old one
    # is retired. A KMS adapter maps these onto its own key versions.
    @abstractmethod
    def create_next(self) -> str:
        """Make the next KEK (or return the one already pending) and return its id."""

    @abstractmethod
    def retire(self, kek_id: str) -> None:
        """``kek_id`` wraps nothing any more: make the next KEK primary and destroy the old one.
        Must be idempotent: a crash after retiring and before recording it repeats the call."""


# --- The file provider -------------------------------------------------------------------------


def kek_id_of(key: bytes) -> str:
    """A KEK's id names it without revealing it."""
    return "file-" + hashlib.sha256(b"amparo-kek-id\x00" + key).hexdigest()[:16]


def _wrap_aad(kek_id: str, context: bytes) -> bytes:
    return b"amparo-wrap-v1\x00" + kek_id.encode() + b"\x00" + context


_warned: set[Path] = set()


def _read_key_file(path: Path) -> bytes | None:
    try:
        text = path.read_text(encoding="ascii").strip()
        mode = path.stat().st_mode
    except FileNotFoundError:
        return None
    if mode & 0o077 and path not in _warned:
        _warned.add(path)
        logger.warning("key file %s is readable by others; it should be mode 0600", path.name)
    try:
        key = base64.urlsafe_b64decode(text)
    except (binascii.Error, ValueError) as exc:
        raise VaultError(f"key file {path.name} is not a base64 key") from exc
    if len(key) != KEY_BYTES:
        raise VaultError(f"key file {path.name} does not hold a 256-bit key")
    return key


def _ensure_private_dir(folder: Path) -> None:
    if not folder.exists():
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(folder, 0o700)  # mkdir's mode is filtered by the umask
    elif folder.stat().st_mode & 0o077:
        logger.warning("key folder %s is readable by others; it should be mode 0700", folder)


@contextmanager
def _staged_key_file(path: Path, key: bytes, tag: str) -> Iterator[Path]:
    """Write ``key`` to a new 0600 file beside ``path`` (fsynced) and yield it; it is removed
    afterwards, so the caller links or renames it into place inside the block."""
    _ensure_private_dir(path.parent)
    tmp = path.with_name(f".{path.name}.{tag}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(base64.urlsafe_b64encode(key).decode() + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        yield tmp
    finally:
        tmp.unlink(missing_ok=True)


def _create_key_file(path: Path) -> bytes:
    """Write a fresh key to ``path`` unless one is there; never overwrite. Returns the key."""
    key = os.urandom(KEY_BYTES)
    with _staged_key_file(path, key, f"{os.getpid()}.{threading.get_ident()}") as tmp:
        try:
            os.link(tmp, path)  # atomic and exclusive: two processes cannot both create it
        except FileExistsError:
            existing = _read_key_file(path)
            assert existing is not None
            return existing
    _fsync_dir(path.parent)
    return key


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class FileKeyProvider(KeyProvider):
    """KEKs in files: ``KEK_FILE`` is the primary, ``KEK_FILE.next`` the one a rotation is
    moving to. Both are created 0600 in a 0700 folder on first use. The blind-index root sits
    beside them in ``blind-index.key`` (or ``AMPARO["BLIND_INDEX_KEY_FILE"]``).
    """

    def __init__(
        self,
        kek_file: str | os.PathLike[str],
        blind_index_file: str | os.PathLike[str] | None = None,
    ) -> None:
        self.kek_file = Path(kek_file)
        self.next_file = self.kek_file.with_name(self.kek_file.name + ".next")
        self.blind_index_file = (
            Path(blind_index_file)
            if blind_index_file
            else self.kek_file.with_name("blind-index.key")
        )
        self._keys: dict[str, bytes] = {}
        self._lock = threading.RLock()

    @classmethod
    def from_settings(cls) -> FileKeyProvider:
        conf: dict[str, Any] = settings.AMPARO
        default = Path(settings.VAR_DIR) / "keys" / "kek.key"
        return cls(conf.get("KEK_FILE") or default, conf.get("BLIND_INDEX_KEY_FILE"))

    def _primary(self) -> bytes:
        key = _read_key_file(self.kek_file)
        return key if key is not None else _create_key_file(self.kek_file)

    def _reload(self) -> None:
        with self._lock:
            self._keys.clear()
            for key in (_read_key_file(self.kek_file), _read_key_file(self.next_file)):
                if key is not None:
                    self._keys[kek_id_of(key)] = key

    def _kek(self, kek_id: str) -> bytes:
        with self._lock:
            key = self._keys.get(kek_id)
            if key is None:
                self._primary()
                self._reload()  # a rotation in another process may have added or retired one
                key = self._keys.get(kek_id)
            if key is None:
                raise KeyUnavailable(f"the key-encryption key {kek_id} is not available")
            return key

    @property
    def key_id(self) -> str:
        return kek_id_of(self._primary())

    def pending_next_id(self) -> str | None:
        key = _read_key_file(self.next_file)
        return kek_id_of(key) if key is not None else None

    def held_ids(self) -> list[str]:
        self._reload()
        return sorted(self._keys)

    def wrap(self, key: bytes, *, context: bytes, kek_id: str | None = None) -> bytes:
        kek_id = kek_id or self.key_id
        nonce = os.urandom(NONCE_BYTES)
        body = AESGCM(self._kek(kek_id)).encrypt(nonce, key, _wrap_aad(kek_id, context))
        return bytes([WRAP_FORMAT_V1]) + nonce + body

    def unwrap(self, wrapped: bytes, *, kek_id: str, context: bytes) -> bytes:
        wrapped = bytes(wrapped)
        if len(wrapped) < 1 + NONCE_BYTES + 16 or wrapped[0] != WRAP_FORMAT_V1:
            raise VaultError("not a wrapped key")
        nonce, body = wrapped[1 : 1 + NONCE_BYTES], wrapped[1 + NONCE_BYTES :]
        try:
            return AESGCM(self._kek(kek_id)).decrypt(nonce, body, _wrap_aad(kek_id, context))
        except InvalidTag as exc:
            raise VaultError("wrapped key does not authenticate") from exc

    def blind_index_root(self) -> bytes:
        key = _read_key_file(self.blind_index_file)
        return key if key is not None else _create_key_file(self.blind_index_file)

    def create_next(self) -> str:
        self._primary()
        key = _read_key_file(self.next_file)
        if key is None:
            key = _create_key_file(self.next_file)
        self._reload()
        return kek_id_of(key)

    def retire(self, kek_id: str) -> None:
        with self._lock:
            nxt = _read_key_file(self.next_file)
            current = _read_key_file(self.kek_file)
            current_id = kek_id_of(current) if current is not None else None
            if nxt is None:
                if current_id == kek_id:
                    raise VaultError("no next key-encryption key to promote")
                return  # already retired
            if current_id is not None and current_id != kek_id:
                raise VaultError("the primary key-encryption key is not the one being retired")
            # One atomic rename promotes the next KEK and unlinks the old one.
            os.replace(self.next_file, self.kek_file)
            _fsync_dir(self.kek_file.parent)
            self._reload()


# --- The configured provider -------------------------------------------------------------------

_provider: KeyProvider | None = None
_provider_lock = threading.Lock()


def get_provider() -> KeyProvider:
    global _provider
    with _provider_lock:
        if _provider is None:
            conf: dict[str, Any] = settings.AMPARO
            path = str(conf.get("KEY_PROVIDER") or DEFAULT_PROVIDER)
            cls = import_string(path)
            _provider = cls.from_settings()
        return _provider


def reset_provider(**_: Any) -> None:
    """Forget the provider and every cached key (settings changed, or a test wants a clean slate)."""
    global _provider
    with _provider_lock:
        _provider = None
    data_keys.clear()
    reset_index_keys()


# --- Blind-index keys ---------------------------------------------------------------------------

# Derived from the provider's blind-index root, one per scope; kept here, beside the provider,
# so that forgetting the provider forgets them too.
_index_keys: dict[str, bytes] = {}
_index_keys_lock = threading.Lock()


def reset_index_keys() -> None:
    with _index_keys_lock:
        _index_keys.clear()


def index_key(scope: str) -> bytes:
    """The HMAC key of the blind indexes of ``scope``."""
    with _index_keys_lock:
        key = _index_keys.get(scope)
    if key is None:
        key = derive_key(get_provider().blind_index_root(), f"amparo-blind-index-v1:{scope}")
        with _index_keys_lock:
            _index_keys[scope] = key
    return key


def purpose_key(purpose: str) -> bytes:
    """An HMAC key for ``purpose`` (a label such as ``"intake-status-code"``), derived from the
    provider's secret material: like the blind indexes, it sits neither in the database nor in
    the settings, so the database and the SECRET_KEY together cannot recompute what it keys."""
    cache_key = "\x00purpose:" + purpose  # never a blind-index scope
    with _index_keys_lock:
        key = _index_keys.get(cache_key)
    if key is None:
        key = derive_key(get_provider().blind_index_root(), f"amparo-purpose-v1:{purpose}")
        with _index_keys_lock:
            _index_keys[cache_key] = key
    return key


# --- Unwrapped data keys ------------------------------------------------------------------------


class DataKeyCache:
    """A small LRU of unwrapped data keys (as ready AES-GCM ciphers), keyed by the exact
    wrapped bytes.

    Keying by the wrapped bytes (not the subject id alone) means the cache can never answer for
    a key the database no longer holds: after shredding, the row has no wrapped key to look up.
    """

    def __init__(self, size: int = 2048) -> None:
        self.size = size
        self._items: OrderedDict[tuple[Any, str, bytes], AESGCM] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, subject_id: Any, kek_id: str, wrapped: bytes) -> AESGCM:
        cache_key = (subject_id, kek_id, wrapped)
        with self._lock:
            aead = self._items.get(cache_key)
            if aead is not None:
                self._items.move_to_end(cache_key)
                return aead
        key = get_provider().unwrap(
            wrapped, kek_id=kek_id, context=subject_context(str(subject_id))
        )
        aead = AESGCM(key)
        with self._lock:
            self._items[cache_key] = aead
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return aead

    def put(self, subject_id: Any, kek_id: str, wrapped: bytes, key: bytes) -> None:
        """Remember ``key``, just wrapped as ``wrapped``, so that the request that made it does
        not unwrap it again to encrypt the first values (same bytes, same answer as ``get``)."""
        aead = AESGCM(key)
        with self._lock:
            self._items[(subject_id, kek_id, wrapped)] = aead
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def forget_subject(self, subject_id: Any) -> None:
        with self._lock:
            for cache_key in [k for k in self._items if str(k[0]) == str(subject_id)]:
                del self._items[cache_key]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


data_keys = DataKeyCache()


def subject_context(subject_id: str) -> bytes:
    return b"amparo-subject-v1\x00" + str(subject_id).encode()


def data_cipher_of(subject: Any) -> AESGCM:
    """The AES-GCM cipher of a ``vault.Subject`` row's data key (the row may be a historical
    model in a migration). Raises ``SubjectShredded`` once the key is destroyed."""
    if subject is None:
        raise VaultError("this record has no subject, so it has no data key")
    wrapped = subject.wrapped_key
    if wrapped is None or subject.shredded_at is not None:
        raise SubjectShredded("the subject's data key was destroyed")
    return data_keys.get(
        subject.pk, subject.kek_id, wrapped if type(wrapped) is bytes else bytes(wrapped)
    )
