"""Key shares: any K of a K-of-N split give the keys back; K-1 or a corrupted share give nothing."""

from __future__ import annotations

import io
import itertools
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from amparo.vault.keys import _read_key_file, get_provider, reset_provider
from amparo.vault.shares import ShareError, parse_shares, recover_secret, split_keys

pytestmark = pytest.mark.django_db


def _keys(folder: Path) -> tuple[bytes | None, bytes | None]:
    return _read_key_file(folder / "kek.key"), _read_key_file(folder / "blind-index.key")


def test_every_three_of_five_recovers_and_two_do_not(vault_keys: Path) -> None:
    provider = get_provider()
    kek_id = provider.key_id
    provider.blind_index_root()
    kek, blind = _keys(vault_keys)
    split_id, shares = split_keys(shares=5, threshold=3)
    assert split_id == kek_id and len(shares) == 5 and len(set(shares)) == 5
    for subset in itertools.combinations(shares, 3):
        recovered = recover_secret(list(subset))
        assert (recovered.kek, recovered.blind_index_root) == (kek, blind)
        assert recovered.kek_id == kek_id
    for subset in itertools.combinations(shares, 2):
        with pytest.raises(ShareError):
            recover_secret(list(subset))


def test_a_corrupted_share_is_refused(vault_keys: Path) -> None:
    get_provider().key_id
    _, shares = split_keys(shares=5, threshold=3)
    words = shares[1].split()
    words[7] = "academic" if words[7] != "academic" else "acid"
    with pytest.raises(ShareError):
        recover_secret([shares[0], " ".join(words), shares[2]])


def test_split_refuses_silly_thresholds(vault_keys: Path) -> None:
    get_provider().key_id
    for shares, threshold in ((3, 4), (5, 1), (0, 0), (17, 3)):
        with pytest.raises(ShareError):
            split_keys(shares=shares, threshold=threshold)


def test_split_then_recover_through_the_command(vault_keys: Path, monkeypatch) -> None:
    kek_id = get_provider().key_id
    get_provider().blind_index_root()
    kek, blind = _keys(vault_keys)
    out = io.StringIO()
    call_command(
        "keys", "split", "--shares", "5", "--threshold", "3", stdout=out, stderr=io.StringIO()
    )
    printed = out.getvalue()
    assert printed.count("# Amparo key share") == 5 and kek_id in printed
    blocks = printed.strip().split("\n\n")
    # The server is lost: no key files.
    (vault_keys / "kek.key").unlink()
    (vault_keys / "blind-index.key").unlink()
    reset_provider()
    # Three blocks, pasted as printed (wrapped over several lines, blank-line separated).
    monkeypatch.setattr("sys.stdin", io.StringIO("\n\n".join([blocks[4], blocks[0], blocks[2]])))
    out = io.StringIO()
    call_command("keys", "recover", stdout=out)
    assert kek_id in out.getvalue()
    assert _keys(vault_keys) == (kek, blind)
    assert oct((vault_keys / "kek.key").stat().st_mode & 0o777) == "0o600"
    # One share per line works too; the same key again is "unchanged".
    one_per_line = "\n".join(parse_shares("\n\n".join(blocks[1:4])))
    monkeypatch.setattr("sys.stdin", io.StringIO(one_per_line))
    out = io.StringIO()
    call_command("keys", "recover", stdout=out)
    assert '"unchanged"' in out.getvalue()
    # Two shares are not enough.
    monkeypatch.setattr("sys.stdin", io.StringIO("\n\n".join(blocks[:2])))
    with pytest.raises(CommandError):
        call_command("keys", "recover", stdout=io.StringIO())


def test_recover_refuses_to_overwrite_a_different_kek_unless_forced(
    vault_keys: Path, monkeypatch
) -> None:
    get_provider().key_id
    get_provider().blind_index_root()
    _, shares = split_keys(shares=3, threshold=2)
    old_kek, old_blind = _keys(vault_keys)
    # A different KEK is in place (say, a new server's).
    (vault_keys / "kek.key").unlink()
    (vault_keys / "blind-index.key").unlink()
    reset_provider()
    get_provider().key_id
    get_provider().blind_index_root()
    other = _keys(vault_keys)
    assert other[0] != old_kek
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(shares[:2])))
    with pytest.raises(CommandError, match="--force"):
        call_command("keys", "recover", stdout=io.StringIO())
    assert _keys(vault_keys) == other
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(shares[:2])))
    call_command("keys", "recover", "--force", stdout=io.StringIO())
    assert _keys(vault_keys) == (old_kek, old_blind)
