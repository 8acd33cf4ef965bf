"""Crypto-shredding: after `subject_shred`, nothing identifying can be read or matched."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from amparo.accounts.roles import Role
from amparo.audit.models import AuditEvent
from amparo.core.services import SYSTEM, ServiceError
from amparo.vault import crypto
from amparo.vault.blind import matching
from amparo.vault.errors import SubjectShredded
from amparo.vault.keys import get_provider, reset_provider, subject_context
from amparo.vault.models import Subject
from amparo.vault.services import subject_create, subject_shred
from bench.models import SampleRecord

from .aliases import MakeRecord, MakeUser

pytestmark = pytest.mark.django_db


def test_shredding_makes_records_unreadable_and_removes_blind_indexes(
    make_record: MakeRecord, make_user: MakeUser
) -> None:
    admin = make_user(Role.FUND_ADMIN)
    subject = subject_create(kind="client")
    first = make_record(
        subject=subject, full_name="Shred Me", a_number="A-012-345-678", phone="303 555 0101"
    )
    second = make_record(subject=subject, full_name="Shred Me Too", email="shred@example.org")
    bystander = make_record(full_name="Keep Me", a_number="A-099-999-999")
    sealed_before = bytes(SampleRecord.objects.get(pk=first.pk).__dict__["full_name"])
    assert subject.wrapped_key is not None
    wrapped_before = bytes(subject.wrapped_key)

    subject_shred(subject=subject, by=admin, reason="Retention period ended")

    subject.refresh_from_db()
    assert subject.is_shredded and subject.wrapped_key is None
    reset_provider()
    for pk in (first.pk, second.pk):
        record = SampleRecord.objects.get(pk=pk)
        for name in (
            "full_name",
            "a_number",
            "phone",
            "email",
            "notes",
            "date_of_birth",
            "history",
        ):
            with pytest.raises(SubjectShredded):
                getattr(record, name)
    indexes = SampleRecord.objects.filter(pk__in=[first.pk, second.pk]).values_list(
        "name_index", "a_number_index", "phone_index", "email_index"
    )
    assert all(value is None for row in indexes for value in row)
    for field, raw in (
        ("a_number_index", "012345678"),
        ("phone_index", "3035550101"),
        ("name_index", "shred me"),
    ):
        assert not SampleRecord.objects.filter(matching(SampleRecord, field, raw)).exists()
    # the ciphertexts are gone from the live rows too
    assert set(
        SampleRecord.objects.filter(subject=subject).values_list("full_name", flat=True)
    ) == {b""}
    # the bystander is untouched
    assert SampleRecord.objects.get(pk=bystander.pk).full_name == "Keep Me"
    assert SampleRecord.objects.filter(
        matching(SampleRecord, "a_number_index", "099999999")
    ).exists()
    # What was destroyed is the wrapped data key: no row holds it any more. Only a copy of it
    # (an old backup) still opens an old ciphertext, until the next KEK rotation (see below).
    assert not Subject.objects.filter(pk=subject.pk, wrapped_key__isnull=False).exists()
    context = subject_context(str(subject.pk))
    old_key = get_provider().unwrap(wrapped_before, kek_id=subject.kek_id, context=context)
    aad = crypto.value_aad(SampleRecord._meta.db_table, "full_name", str(first.pk))
    assert crypto.open_sealed(crypto.cipher(old_key), sealed_before, aad) == b"Shred Me"


def test_shredding_is_audited_with_field_names_only(
    make_record: MakeRecord, make_user: MakeUser
) -> None:
    admin = make_user(Role.FUND_ADMIN)
    record = make_record(full_name="Audited Shred", a_number="A-012-345-678")
    subject_shred(subject=record.subject, by=admin, reason="Client asked to be forgotten")
    event = AuditEvent.objects.get(action="vault.subject.shredded")
    assert event.actor_id == admin.pk
    assert event.object_type == "vault.subject" and event.object_id == str(record.subject_id)
    assert "bench.samplerecord.full_name" in event.fields
    assert "bench.samplerecord.a_number_index" in event.fields
    assert "Audited" not in str(event.fields) and "012345678" not in str(event.fields)
    assert event.reason == "Client asked to be forgotten"


def test_shredding_twice_is_harmless_and_a_reason_is_required(make_record: MakeRecord) -> None:
    record = make_record()
    with pytest.raises(ServiceError):
        subject_shred(subject=record.subject, by=SYSTEM, reason="  ")
    assert not record.subject.is_shredded
    subject_shred(subject=record.subject, by=SYSTEM, reason="first")
    subject_shred(subject=record.subject, by=SYSTEM, reason="second")
    assert AuditEvent.objects.filter(action="vault.subject.shredded").count() == 1


def test_a_shredded_record_renders_as_empty_in_templates(make_record: MakeRecord) -> None:
    record = make_record(full_name="Template Person")
    subject_shred(subject=record.subject, by=SYSTEM, reason="test")
    loaded = SampleRecord.objects.get(pk=record.pk)
    html = Template("[{{ r.full_name }}][{{ r.label }}]").render(Context({"r": loaded}))
    assert html == "[][]"


def test_new_values_cannot_be_written_for_a_shredded_subject(make_record: MakeRecord) -> None:
    record = make_record()
    subject_shred(subject=record.subject, by=SYSTEM, reason="test")
    with pytest.raises(SubjectShredded):
        SampleRecord.objects.create(subject=record.subject, full_name="Too late")


def test_a_backup_from_before_the_shred_dies_with_the_next_kek_rotation(
    make_record: MakeRecord,
) -> None:
    from amparo.vault.errors import KeyUnavailable
    from amparo.vault.services import kek_rotate

    record = make_record(full_name="Backed Up Person")
    backup = Subject.objects.filter(pk=record.subject_id).values("wrapped_key", "kek_id").get()
    subject_shred(subject=record.subject, by=SYSTEM, reason="test")
    kek_rotate(reason="after shredding", by=SYSTEM)
    with pytest.raises(KeyUnavailable):
        get_provider().unwrap(
            bytes(backup["wrapped_key"] or b""),
            kek_id=backup["kek_id"],
            context=subject_context(str(record.subject_id)),
        )


def test_only_a_named_actor_shreds_and_only_the_system_rotates(make_record: MakeRecord) -> None:
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied

    from amparo.vault.services import kek_rotate

    record = make_record()
    with pytest.raises(PermissionDenied):
        subject_shred(subject=record.subject, by=AnonymousUser(), reason="test")  # type: ignore[arg-type]
    assert not Subject.objects.get(pk=record.subject_id).is_shredded
    with pytest.raises(PermissionDenied):
        kek_rotate(by=AnonymousUser())  # type: ignore[arg-type]
