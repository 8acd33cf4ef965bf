"""`amparo keys rotate`: every record stays readable, a stopped rotation resumes."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from amparo.audit.models import AuditEvent
from amparo.audit.verify import verify_chain
from amparo.core.services import SYSTEM
from amparo.vault.keys import get_provider, reset_provider
from amparo.vault.models import KeyRing, KeyRotation, RotationStatus, Subject
from amparo.vault.services import kek_rotate, subject_create
from bench.models import SampleRecord

from .aliases import MakeRecord, Records

pytestmark = pytest.mark.django_db


def everything_reads(expected: Records) -> None:
    reset_provider()  # as a fresh process would: nothing cached
    for record in SampleRecord.objects.all():
        assert (record.full_name, record.notes) == expected[record.pk]


@pytest.fixture
def records(make_record: MakeRecord) -> Records:
    made = [make_record() for _ in range(7)]
    return {r.pk: (r.full_name, r.notes) for r in made}


def test_rotation_rewraps_every_key_and_retires_the_old_kek(
    records: Records, vault_keys: Path
) -> None:
    old_id = get_provider().key_id
    wrapped_before = dict(Subject.objects.values_list("pk", "wrapped_key"))
    ciphertext_before = {r.pk: bytes(r.__dict__["full_name"]) for r in SampleRecord.objects.all()}

    rotation = kek_rotate(reason="yearly rotation", batch_size=3, by=SYSTEM)

    assert rotation.status == RotationStatus.COMPLETED and rotation.retired_at is not None
    assert rotation.rewrapped == 7 and rotation.old_kek_id == old_id
    new_id = rotation.new_kek_id
    assert set(Subject.objects.values_list("kek_id", flat=True)) == {new_id}
    assert set(Subject.objects.values_list("key_version", flat=True)) == {2}
    assert all(
        bytes(w or b"") != bytes(wrapped_before[pk] or b"")
        for pk, w in Subject.objects.values_list("pk", "wrapped_key")
    )
    # data was not re-encrypted, only the keys were rewrapped
    assert {
        r.pk: bytes(r.__dict__["full_name"]) for r in SampleRecord.objects.all()
    } == ciphertext_before
    assert KeyRing.objects.get().active_kek_id == new_id == get_provider().key_id
    assert sorted(p.name for p in vault_keys.iterdir()) == [
        "blind-index.key",
        "kek.key",
    ]  # old KEK gone
    everything_reads(records)
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))
    assert actions == [
        "vault.kek_rotation.started",
        "vault.kek_rotation.completed",
        "vault.kek_rotation.retired",
    ]
    assert verify_chain().ok


def test_a_stopped_rotation_resumes_and_records_stay_readable_half_way(
    records: Records, vault_keys: Path
) -> None:
    old_id = get_provider().key_id
    rotation = kek_rotate(batch_size=2, max_batches=2, by=SYSTEM)
    assert rotation.status == RotationStatus.RUNNING and rotation.rewrapped == 4
    kek_ids = list(Subject.objects.values_list("kek_id", flat=True))
    assert kek_ids.count(rotation.new_kek_id) == 4 and kek_ids.count(old_id) == 3
    assert (vault_keys / "kek.key.next").exists()  # both KEKs kept while the rotation runs
    everything_reads(records)

    # a subject created mid-rotation is wrapped under the new KEK at once
    newcomer = subject_create(kind="client")
    assert newcomer.kek_id == rotation.new_kek_id

    finished = kek_rotate(batch_size=2, by=SYSTEM)
    assert finished.pk == rotation.pk and finished.status == RotationStatus.COMPLETED
    assert KeyRotation.objects.count() == 1
    assert set(Subject.objects.values_list("kek_id", flat=True)) == {rotation.new_kek_id}
    everything_reads(records)


def test_a_crash_inside_a_batch_loses_nothing_and_resumes(
    records: Records, monkeypatch: pytest.MonkeyPatch
) -> None:
    provider = get_provider()
    real_wrap = provider.wrap
    calls = {"n": 0}

    def failing_wrap(key: bytes, *, context: bytes, kek_id: str | None = None) -> bytes:
        calls["n"] += 1
        if calls["n"] == 5:  # the second batch dies half-way
            raise OSError("power cut")
        return real_wrap(key, context=context, kek_id=kek_id)

    monkeypatch.setattr(provider, "wrap", failing_wrap)
    with pytest.raises(OSError):
        kek_rotate(batch_size=3, by=SYSTEM)
    rotation = KeyRotation.objects.get()
    assert (
        rotation.status == RotationStatus.RUNNING and rotation.rewrapped == 3
    )  # the failed batch rolled back
    monkeypatch.setattr(provider, "wrap", real_wrap)
    everything_reads(records)
    assert kek_rotate(batch_size=3, by=SYSTEM).status == RotationStatus.COMPLETED
    everything_reads(records)


def test_a_crash_before_retiring_is_finished_by_the_next_run(
    records: Records, monkeypatch: pytest.MonkeyPatch, vault_keys: Path
) -> None:
    provider = get_provider()
    monkeypatch.setattr(
        type(provider), "retire", lambda self, kek_id: (_ for _ in ()).throw(OSError("disk"))
    )
    with pytest.raises(OSError):
        kek_rotate(by=SYSTEM)
    rotation = KeyRotation.objects.get()
    assert rotation.status == RotationStatus.COMPLETED and rotation.retired_at is None
    assert (vault_keys / "kek.key.next").exists()
    monkeypatch.undo()
    done = kek_rotate(by=SYSTEM)
    assert done.pk == rotation.pk and done.retired_at is not None
    assert not (vault_keys / "kek.key.next").exists()
    everything_reads(records)


def test_two_rotations_in_a_row(records: Records) -> None:
    first = kek_rotate(by=SYSTEM)
    second = kek_rotate(by=SYSTEM)
    assert second.old_kek_id == first.new_kek_id != second.new_kek_id
    everything_reads(records)
    assert verify_chain().ok


def test_keys_command_rotates_in_steps_and_reports(records: Records) -> None:
    out, err = StringIO(), StringIO()
    call_command(
        "keys", "rotate", "--batch-size", "3", "--max-batches", "1", stdout=out, stderr=err
    )
    first = json.loads(out.getvalue().strip().splitlines()[-1])
    assert first["status"] == "running" and first["rewrapped"] == 3
    assert "again" in err.getvalue()
    out = StringIO()
    call_command("keys", "status", stdout=out)
    status = json.loads(out.getvalue())
    assert status["rotation_in_progress"]["rewrapped"] == 3
    assert sum(status["subjects_by_kek_id"].values()) == 7
    out = StringIO()
    call_command("keys", "rotate", stdout=out)
    done = json.loads(out.getvalue().strip().splitlines()[-1])
    assert done["status"] == "completed" and done["retired"] is True and done["rewrapped"] == 7
    everything_reads(records)


def test_keys_command_refuses_bad_numbers() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("keys", "rotate", "--batch-size", "0")
    assert not KeyRotation.objects.exists()
