"""Key shares for a lost server: the KEK and the blind-index root, split with SLIP-39.

``amparo keys split --shares N --threshold K`` turns the file provider's two root secrets (the
primary key-encryption key and the blind-index root, 2 x 256 bits) into N word shares (SLIP-39,
``shamir-mnemonic``); any K of them give both back, fewer give nothing. Each share carries a
checksum, so a mistyped word is caught rather than yielding a wrong key.
``amparo keys recover`` reads K shares and writes the key files again.

Both secrets are split together because a restored database needs both: the KEK to unwrap the
data keys, the blind-index root to find people by A-number, phone or name.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import shamir_mnemonic
from shamir_mnemonic import MnemonicError

from .crypto import KEY_BYTES
from .errors import VaultError
from .keys import (
    FileKeyProvider,
    _fsync_dir,
    _read_key_file,
    _staged_key_file,
    get_provider,
    kek_id_of,
    reset_provider,
)

WORDS_PER_LINE = 10


class ShareError(VaultError):
    """Shares that cannot be made or do not give a key back; the message says why."""


@dataclass(frozen=True)
class Recovered:
    kek: bytes
    blind_index_root: bytes

    @property
    def kek_id(self) -> str:
        return kek_id_of(self.kek)


def file_provider() -> FileKeyProvider:
    provider = get_provider()
    if not isinstance(provider, FileKeyProvider):
        raise ShareError("key shares are for the file key provider; a KMS keeps its own keys")
    return provider


def split_secret(secret: bytes, *, shares: int, threshold: int) -> list[str]:
    if not 1 <= threshold <= shares <= 16:
        raise ShareError("choose 1 <= threshold <= shares <= 16")
    if threshold == 1 and shares > 1:
        raise ShareError("a threshold of 1 would make every share the whole key: use 2 or more")
    groups = shamir_mnemonic.generate_mnemonics(1, [(threshold, shares)], secret)
    return list(groups[0])


def split_keys(*, shares: int, threshold: int) -> tuple[str, list[str]]:
    """The current KEK's id and its shares. Refused while a rotation is pending."""
    provider = file_provider()
    if provider.pending_next_id() is not None:
        raise ShareError("a key rotation is unfinished: run 'amparo keys rotate' first")
    kek = _read_key_file(provider.kek_file)
    if kek is None:
        raise ShareError(f"there is no key-encryption key at {provider.kek_file} yet")
    blind = provider.blind_index_root()
    return kek_id_of(kek), split_secret(kek + blind, shares=shares, threshold=threshold)


def format_share(words: str, *, number: int, total: int, threshold: int, kek_id: str) -> str:
    """One printable block: a comment header, then the words in numbered lines."""
    tokens = words.split()
    lines = [
        f"# Amparo key share {number} of {total} (any {threshold} recover {kek_id})",
        *(" ".join(tokens[i : i + WORDS_PER_LINE]) for i in range(0, len(tokens), WORDS_PER_LINE)),
    ]
    return "\n".join(lines)


def parse_shares(text: str) -> list[str]:
    """Shares from text: blocks separated by blank lines (a block may wrap over several lines),
    or, when there is no blank line, one share per line. ``#`` lines are ignored."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if not line.startswith("#")]
    if any(not line for line in lines) and sum(1 for line in lines if line) > 0:
        blocks: list[list[str]] = [[]]
        for line in lines:
            if line:
                blocks[-1].append(line)
            elif blocks[-1]:
                blocks.append([])
        return [" ".join(block).lower() for block in blocks if block]
    return [line.lower() for line in lines if line]


def recover_secret(shares: list[str]) -> Recovered:
    try:
        secret = shamir_mnemonic.combine_mnemonics(shares)
    except (MnemonicError, ValueError) as exc:
        raise ShareError(f"the shares do not give the key back: {exc}") from exc
    if len(secret) != 2 * KEY_BYTES:
        raise ShareError("these shares hold something other than an Amparo key pair")
    return Recovered(kek=secret[:KEY_BYTES], blind_index_root=secret[KEY_BYTES:])


def _write_key(path: Path, key: bytes, *, force: bool) -> str:
    """Write ``key`` to ``path`` (0600); returns "written", "unchanged" or raises."""
    existing = _read_key_file(path)
    if existing == key:
        return "unchanged"
    if existing is not None and not force:
        raise ShareError(
            f"{path} holds a different key; move it away or pass --force to overwrite it"
        )
    with _staged_key_file(path, key, f"{os.getpid()}.recover") as tmp:
        os.replace(tmp, path)
    _fsync_dir(path.parent)
    return "written"


def write_recovered(recovered: Recovered, *, force: bool = False) -> dict[str, str]:
    """Write the KEK and blind-index root files back. Both are checked before either is written."""
    provider = file_provider()
    for path, key in (
        (provider.kek_file, recovered.kek),
        (provider.blind_index_file, recovered.blind_index_root),
    ):
        existing = _read_key_file(path)
        if existing is not None and existing != key and not force:
            raise ShareError(
                f"{path} holds a different key; move it away or pass --force to overwrite it"
            )
    result = {
        "kek_file": _write_key(provider.kek_file, recovered.kek, force=force),
        "blind_index_file": _write_key(
            provider.blind_index_file, recovered.blind_index_root, force=force
        ),
        "kek_id": recovered.kek_id,
    }
    reset_provider()
    return result
