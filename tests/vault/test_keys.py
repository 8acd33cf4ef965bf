"""Key-encryption keys: the file provider, the provider seam, subjects' data keys."""

from __future__ import annotations

import stat
import threading
from pathlib import Path

import pytest
from pytest_django import Settings

from amparo.core.services import SYSTEM
from amparo.vault.errors import KeyUnavailable, VaultError
from amparo.vault.keys import FileKeyProvider, get_provider, kek_id_of, subject_context
from amparo.vault.models import KeyRing, Subject
from amparo.vault.services import subject_create
from bench.models import SampleRecord

from . import providers
from .aliases import MakeRecord


def test_kek_and_index_root_are_created_private_on_first_use(vault_keys: Path) -> None:
    assert not vault_keys.exists()
    provider = get_provider()
    key_id = provider.key_id
    assert key_id.startswith("file-")
    kek, root = vault_keys / "kek.key", vault_keys / "blind-index.key"
    provider.blind_index_root()
    assert stat.S_IMODE(vault_keys.stat().st_mode) == 0o700
    for path in (kek, root):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert kek.read_bytes() != root.read_bytes()
    assert (
        FileKeyProvider(kek).key_id == key_id
    )  # the id is a function of the key, stable across processes
    assert not [p for p in vault_keys.iterdir() if p.name.endswith(".tmp")]


def test_concurrent_first_use_agrees_on_one_key(vault_keys: Path) -> None:
    ids: list[str] = []
    barrier = threading.Barrier(8)

    def start() -> None:
        barrier.wait()
        ids.append(FileKeyProvider(vault_keys / "kek.key").key_id)

    threads = [threading.Thread(target=start) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(ids)) == 1
    assert kek_id_of(FileKeyProvider(vault_keys / "kek.key")._primary()) == ids[0]


def test_wrapped_keys_are_bound_to_their_subject_and_kek(vault_keys: Path) -> None:
    provider = get_provider()
    key = bytes(range(32))
    wrapped = provider.wrap(key, context=subject_context("a"))
    assert key not in wrapped
    assert provider.unwrap(wrapped, kek_id=provider.key_id, context=subject_context("a")) == key
    with pytest.raises(VaultError):
        provider.unwrap(wrapped, kek_id=provider.key_id, context=subject_context("b"))
    with pytest.raises(KeyUnavailable):
        provider.unwrap(wrapped, kek_id="file-0000000000000000", context=subject_context("a"))


def test_a_damaged_key_file_is_refused(vault_keys: Path) -> None:
    vault_keys.mkdir(mode=0o700)
    (vault_keys / "kek.key").write_text("not a key\n")
    with pytest.raises(VaultError):
        FileKeyProvider(vault_keys / "kek.key").key_id


@pytest.mark.django_db
def test_subjects_get_distinct_random_keys_wrapped_under_the_active_kek(vault_keys: Path) -> None:
    one, two = subject_create(kind="client"), subject_create(kind="donor")
    ring = KeyRing.objects.get()
    assert one.kek_id == two.kek_id == ring.active_kek_id == get_provider().key_id
    assert len(bytes(one.wrapped_key or b"")) == 1 + 12 + 32 + 16
    keys = {
        get_provider().unwrap(
            bytes(s.wrapped_key or b""), kek_id=s.kek_id, context=subject_context(str(s.pk))
        )
        for s in Subject.objects.all()
    }
    assert len(keys) == 2 and all(len(k) == 32 for k in keys)
    with pytest.raises(ValueError):
        subject_create(kind="stranger")


@pytest.mark.django_db
def test_losing_the_kek_makes_every_value_unreadable(
    make_record: MakeRecord, vault_keys: Path
) -> None:
    from amparo.vault.keys import reset_provider

    record = make_record(full_name="Keyless Person")
    (vault_keys / "kek.key").unlink()
    reset_provider()
    with pytest.raises(KeyUnavailable):
        SampleRecord.objects.get(pk=record.pk).full_name


@pytest.mark.django_db
def test_a_kms_provider_plugs_in_by_dotted_path(
    settings: Settings, make_record: MakeRecord
) -> None:
    providers.reset()
    settings.AMPARO = {
        **settings.AMPARO,
        "KEY_PROVIDER": "tests.vault.providers.InMemoryKeyProvider",
    }
    record = make_record(full_name="KMS Person", a_number="A-012-345-678")
    assert record.subject.kek_id == "kms-1"
    assert providers.STATE["wraps"] == 1
    loaded = SampleRecord.objects.get(pk=record.pk)
    assert loaded.full_name == "KMS Person"
    from amparo.vault.services import kek_rotate

    rotation = kek_rotate(reason="test", by=SYSTEM)
    assert rotation.new_kek_id == "kms-2" and "kms-1" not in providers.VAULT
    assert SampleRecord.objects.get(pk=record.pk).full_name == "KMS Person"


def test_a_key_file_others_can_read_is_reported(
    vault_keys: Path, caplog: pytest.LogCaptureFixture
) -> None:
    provider = FileKeyProvider(vault_keys / "kek.key")
    key_id = provider.key_id
    assert not [r for r in caplog.records if "readable by others" in r.getMessage()]
    (vault_keys / "kek.key").chmod(0o644)
    assert FileKeyProvider(vault_keys / "kek.key").key_id == key_id
    warnings = [r.getMessage() for r in caplog.records if "readable by others" in r.getMessage()]
    assert warnings == ["key file kek.key is readable by others; it should be mode 0600"]
