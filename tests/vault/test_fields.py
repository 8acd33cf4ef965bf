"""Encrypted fields and blind indexes, against the real database (SQLite or PostgreSQL)."""

from __future__ import annotations

import datetime
import uuid
from pathlib import Path

import pytest
from django import forms
from django.core.exceptions import FieldError, ValidationError
from django.db import connection, models, transaction
from django.test.utils import isolate_apps
from django.utils import translation
from pytest_django import DjangoAssertNumQueries

from amparo.vault import crypto
from amparo.vault.blind import digest, matching
from amparo.vault.errors import DecryptionError, VaultError
from amparo.vault.fields import (
    BlindIndexField,
    EncryptedCharField,
    EncryptedIntegerField,
    EncryptedTextField,
    Sealed,
)
from amparo.vault.models import Subject
from amparo.vault.services import subject_create
from bench.models import SampleRecord

from .aliases import MakeRecord

pytestmark = pytest.mark.django_db

TABLE = SampleRecord._meta.db_table


def raw_column(record_id: uuid.UUID, column: str) -> bytes | None:
    """The bytes the database holds, read with SQL (no ORM conversion)."""
    pk = SampleRecord._meta.pk.get_db_prep_value(record_id, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {connection.ops.quote_name(column)} FROM {TABLE} WHERE id = %s", [pk]
        )
        value = cursor.fetchone()[0]
    return None if value is None else bytes(value)


def ciphertext(record_id: uuid.UUID, column: str) -> bytes:
    value = raw_column(record_id, column)
    assert value is not None
    return value


def write_ciphertext(record_id: uuid.UUID, column: str, value: bytes | None) -> None:
    pk = SampleRecord._meta.pk.get_db_prep_value(record_id, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET {connection.ops.quote_name(column)} = %s WHERE id = %s",
            [None if value is None else bytes(value), pk],
        )


def test_every_kind_of_field_round_trips(make_record: MakeRecord) -> None:
    record = make_record(
        full_name="Ana Lucía Pérez",
        date_of_birth=datetime.date(1987, 2, 28),
        history=[{"date": "2019-05-01", "event": "entry"}, {"n": 2}],
        notes="",
    )
    loaded = SampleRecord.objects.get(pk=record.pk)
    assert isinstance(loaded.__dict__["full_name"], Sealed)  # nothing decrypted until read
    assert loaded.full_name == "Ana Lucía Pérez"
    assert loaded.date_of_birth == datetime.date(1987, 2, 28)
    assert loaded.history == [{"date": "2019-05-01", "event": "entry"}, {"n": 2}]
    assert loaded.notes == ""


def test_null_stays_null_and_isnull_lookups_work(make_record: MakeRecord) -> None:
    record = make_record(date_of_birth=None)
    assert raw_column(record.pk, "date_of_birth") is None  # NULL, not an encrypted empty value
    assert SampleRecord.objects.get(pk=record.pk).date_of_birth is None
    assert SampleRecord.objects.filter(pk=record.pk, date_of_birth__isnull=True).exists()


def test_database_holds_ciphertext_not_plaintext(make_record: MakeRecord) -> None:
    record = make_record(full_name="Zacarías Quintanilla Ybarra", a_number="A-098-765-432")
    stored = ciphertext(record.pk, "full_name")
    assert b"Zacar" not in stored and b"Quintanilla" not in stored
    assert stored[0] == crypto.VALUE_FORMAT_V1
    assert b"098765432" not in ciphertext(record.pk, "a_number")


def test_the_same_value_encrypts_differently_each_time(make_record: MakeRecord) -> None:
    subject = subject_create(kind="client")
    one = make_record(subject=subject, full_name="Same Name")
    two = make_record(subject=subject, full_name="Same Name")
    assert ciphertext(one.pk, "full_name") != ciphertext(two.pk, "full_name")


def test_swapping_ciphertexts_between_rows_fails_to_decrypt(make_record: MakeRecord) -> None:
    subject = subject_create(kind="client")  # same data key: only the AAD can tell rows apart
    first = make_record(subject=subject, full_name="First Person")
    second = make_record(subject=subject, full_name="Second Person")
    first_ct, second_ct = ciphertext(first.pk, "full_name"), ciphertext(second.pk, "full_name")
    write_ciphertext(first.pk, "full_name", second_ct)
    write_ciphertext(second.pk, "full_name", first_ct)
    for pk in (first.pk, second.pk):
        with pytest.raises(DecryptionError):
            SampleRecord.objects.get(pk=pk).full_name


def test_swapping_ciphertexts_between_columns_fails_to_decrypt(make_record: MakeRecord) -> None:
    record = make_record(full_name="Column Person", country_of_birth="Honduras")
    write_ciphertext(record.pk, "country_of_birth", ciphertext(record.pk, "full_name"))
    loaded = SampleRecord.objects.get(pk=record.pk)
    assert loaded.full_name == "Column Person"
    with pytest.raises(DecryptionError):
        loaded.country_of_birth


def test_a_ciphertext_from_another_subject_fails_to_decrypt(make_record: MakeRecord) -> None:
    mine, theirs = make_record(), make_record()
    write_ciphertext(mine.pk, "notes", ciphertext(theirs.pk, "notes"))
    with pytest.raises(DecryptionError):
        SampleRecord.objects.get(pk=mine.pk).notes


def test_a_flipped_bit_fails_to_decrypt(make_record: MakeRecord) -> None:
    record = make_record(notes="Hearing moved to March.")
    stored = bytearray(ciphertext(record.pk, "notes"))
    stored[-1] ^= 0x01
    write_ciphertext(record.pk, "notes", bytes(stored))
    with pytest.raises(DecryptionError):
        SampleRecord.objects.get(pk=record.pk).notes


def test_a_value_loaded_and_never_read_is_written_back_unchanged(make_record: MakeRecord) -> None:
    record = make_record()
    before = ciphertext(record.pk, "full_name")
    loaded = SampleRecord.objects.get(pk=record.pk)
    loaded.label = "touched"
    loaded.save()
    assert ciphertext(record.pk, "full_name") == before
    loaded.full_name = "New Name"
    loaded.save()
    assert ciphertext(record.pk, "full_name") != before
    assert SampleRecord.objects.get(pk=record.pk).full_name == "New Name"


def test_a_copied_instance_is_re_encrypted_for_its_new_row(make_record: MakeRecord) -> None:
    original = make_record(full_name="Copied Person", notes="a note")
    copy = SampleRecord.objects.get(pk=original.pk)
    copy.pk = None
    copy.id = uuid.uuid4()
    copy._state.adding = True
    copy.save()
    assert copy.pk != original.pk
    loaded = SampleRecord.objects.get(pk=copy.pk)
    assert loaded.full_name == "Copied Person"
    assert loaded.notes == "a note"


def test_a_record_moved_to_another_subject_is_re_encrypted_under_its_key(
    make_record: MakeRecord,
) -> None:
    record = make_record(full_name="Moving Person")
    other = subject_create(kind="client")
    loaded = SampleRecord.objects.get(pk=record.pk)
    loaded.subject = other
    loaded.save()
    again = SampleRecord.objects.get(pk=record.pk)
    assert again.subject_id == other.pk
    assert again.full_name == "Moving Person"


def test_deferred_fields_load_and_decrypt(make_record: MakeRecord) -> None:
    record = make_record(full_name="Deferred Person")
    loaded = SampleRecord.objects.only("id", "subject").get(pk=record.pk)
    assert "full_name" in loaded.get_deferred_fields()
    assert loaded.full_name == "Deferred Person"


def test_select_related_subject_is_used_when_present(
    make_record: MakeRecord, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    record = make_record(full_name="Joined Person")
    with django_assert_num_queries(1):
        loaded = SampleRecord.objects.select_related("subject").get(pk=record.pk)
        assert loaded.full_name == "Joined Person"
        assert loaded.phone


def test_without_select_related_one_small_query_fetches_the_key(
    make_record: MakeRecord, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    record = make_record(full_name="Lazy Person")
    with django_assert_num_queries(2):
        loaded = SampleRecord.objects.get(pk=record.pk)
        assert loaded.full_name == "Lazy Person"
        assert loaded.notes and loaded.email and loaded.address


def test_equality_lookups_on_ciphertext_are_refused(make_record: MakeRecord) -> None:
    make_record(full_name="Find Me")
    with pytest.raises(FieldError):
        list(SampleRecord.objects.filter(full_name="Find Me"))
    with pytest.raises(FieldError):
        list(SampleRecord.objects.filter(full_name__icontains="Find"))


def test_bulk_writes_of_plaintext_are_refused(make_record: MakeRecord) -> None:
    record = make_record(full_name="Bulk Person")
    with pytest.raises(TypeError), transaction.atomic():
        SampleRecord.objects.filter(pk=record.pk).update(full_name="Someone Else")
    record.full_name = "Someone Else"
    with pytest.raises(TypeError), transaction.atomic():
        SampleRecord.objects.bulk_update([record], ["full_name"])
    assert SampleRecord.objects.get(pk=record.pk).full_name == "Bulk Person"


def test_a_record_without_a_subject_cannot_be_encrypted() -> None:
    record = SampleRecord(full_name="Nobody")
    with pytest.raises(VaultError):
        SampleRecord._meta.get_field("full_name").pre_save(record, add=True)


def test_serializers_get_ciphertext_not_plaintext(make_record: MakeRecord) -> None:
    record = make_record(full_name="Serialized Person")
    text = SampleRecord._meta.get_field("full_name").value_to_string(
        SampleRecord.objects.get(pk=record.pk)
    )
    assert "Serialized" not in text
    assert text  # base64 of the ciphertext


# --- Blind indexes -----------------------------------------------------------------------------


def test_blind_indexes_match_any_spelling_of_the_same_value(make_record: MakeRecord) -> None:
    record = make_record(
        full_name="José Núñez",
        a_number="A-012-345-678",
        phone="(303) 555-0142",
        email="Jose@Example.org",
    )
    make_record()  # someone else

    def found(field: str, raw: str) -> list[SampleRecord]:
        return list(SampleRecord.objects.filter(matching(SampleRecord, field, raw)))

    assert found("a_number_index", "12345678") == [record]
    assert found("a_number_index", "a 012 345 678") == [record]
    assert found("phone_index", "+1 303-555-0142") == [record]
    assert found("name_index", "JOSE NUNEZ") == [record]
    assert found("email_index", "  jose@example.ORG ") == [record]
    assert found("a_number_index", "A-999-999-999") == []
    assert found("a_number_index", "not an a-number") == []  # refused input matches nothing


def test_blind_index_holds_a_keyed_digest_not_the_value(
    make_record: MakeRecord, vault_keys: Path
) -> None:
    record = make_record(a_number="A-012-345-678")
    stored = SampleRecord.objects.values_list("a_number_index", flat=True).get(pk=record.pk)
    assert len(stored) == 64
    assert "012345678" not in stored
    import hashlib

    assert stored != hashlib.sha256(b"012345678").hexdigest()  # keyed: not guessable from the value
    assert stored == digest("012345678", normalizer="a_number")


def test_blind_index_scopes_share_a_key_per_normalizer() -> None:
    assert digest("A 012345678", normalizer="a_number") == digest(
        "012-345-678", normalizer="a_number"
    )
    assert digest("012345678", normalizer="a_number", scope="private") != digest(
        "012345678", normalizer="a_number"
    )


def test_blind_index_follows_changes_and_blanks(make_record: MakeRecord) -> None:
    record = make_record(a_number="A-012-345-678")
    record.a_number = "A-111-222-333"
    record.save()
    assert list(
        SampleRecord.objects.filter(matching(SampleRecord, "a_number_index", "111222333"))
    ) == [record]
    assert not SampleRecord.objects.filter(
        matching(SampleRecord, "a_number_index", "012345678")
    ).exists()
    record.a_number = ""
    record.save()
    assert SampleRecord.objects.values_list("a_number_index", flat=True).get(pk=record.pk) is None


def test_saving_a_loaded_record_keeps_its_index_without_decrypting(make_record: MakeRecord) -> None:
    record = make_record(a_number="A-012-345-678")
    loaded = SampleRecord.objects.get(pk=record.pk)
    loaded.label = "relabelled"
    loaded.save()
    assert isinstance(loaded.__dict__["a_number"], Sealed)  # never decrypted
    assert SampleRecord.objects.filter(
        matching(SampleRecord, "a_number_index", "012345678")
    ).exists()


def test_update_fields_must_name_the_index_with_its_source(make_record: MakeRecord) -> None:
    record = make_record(a_number="A-012-345-678")
    record.a_number = "A-111-222-333"
    with pytest.raises(ValueError, match="a_number_index"):
        record.save(update_fields=["a_number"])
    record.save(update_fields=["a_number", "a_number_index"])
    assert SampleRecord.objects.filter(
        matching(SampleRecord, "a_number_index", "111222333")
    ).exists()


def test_matching_refuses_a_field_that_is_not_a_blind_index() -> None:
    with pytest.raises(TypeError):
        matching(SampleRecord, "label", "x")


# --- Forms and validation ----------------------------------------------------------------------


class SampleForm(forms.ModelForm[SampleRecord]):
    class Meta:
        model = SampleRecord
        fields = ["full_name", "a_number", "date_of_birth", "phone", "email", "notes"]


def test_model_forms_get_plaintext_fields_and_save_encrypted(make_record: MakeRecord) -> None:
    subject = subject_create(kind="client")
    form = SampleForm(
        data={
            "full_name": "Form Person",
            "a_number": "A-012-345-678",
            "date_of_birth": "2001-03-27",
            "phone": "303 555 0100",
            "email": "form@example.org",
            "notes": "line one\nline two",
        },
        instance=SampleRecord(subject=subject),
    )
    assert isinstance(form.fields["full_name"].widget, forms.TextInput)
    assert isinstance(form.fields["notes"].widget, forms.Textarea)
    assert isinstance(form.fields["date_of_birth"], forms.DateField)
    assert form.is_valid(), form.errors
    record = form.save()
    loaded = SampleRecord.objects.get(pk=record.pk)
    assert loaded.date_of_birth == datetime.date(2001, 3, 27)
    assert SampleForm(instance=loaded).initial["full_name"] == "Form Person"


def test_bad_input_gets_translated_messages_and_saves_nothing() -> None:
    subject = subject_create(kind="client")
    with translation.override("es"):
        form = SampleForm(
            data={"full_name": "X" * 201, "a_number": "B-12", "phone": "call me", "email": "nope"},
            instance=SampleRecord(subject=subject),
        )
        assert not form.is_valid()
        errors = {
            name: " ".join(str(m) for m in messages) for name, messages in form.errors.items()
        }
    assert "A-number" not in errors["a_number"] and "número A" in errors["a_number"]
    assert "teléfono" in errors["phone"]
    assert "correo" in errors["email"]
    assert "full_name" in errors
    assert not SampleRecord.objects.exists()


# --- System checks -----------------------------------------------------------------------------


@isolate_apps("amparo.vault")
def test_checks_refuse_auto_primary_keys_and_missing_subjects() -> None:
    class AutoKeyRecord(models.Model):
        subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
        name = EncryptedCharField(max_length=10)

        class Meta:
            app_label = "vault"

    class NoSubjectRecord(models.Model):
        id = models.UUIDField(primary_key=True, default=uuid.uuid4)
        notes = EncryptedTextField(subject_field="owner")
        notes_index = BlindIndexField(source="notes", normalizer="shoe_size")
        other_index = BlindIndexField(source="id", normalizer="name")

        class Meta:
            app_label = "vault"

    ids = {e.id for e in AutoKeyRecord._meta.get_field("name").check()}
    assert ids == {"vault.E002"}
    assert {e.id for e in NoSubjectRecord._meta.get_field("notes").check()} == {"vault.E001"}
    assert {e.id for e in NoSubjectRecord._meta.get_field("notes_index").check()} == {"vault.E004"}
    assert {e.id for e in NoSubjectRecord._meta.get_field("other_index").check()} == {"vault.E003"}


def test_the_sample_model_passes_its_checks() -> None:
    for field in SampleRecord._meta.concrete_fields:
        assert field.check() == []


def test_an_encrypted_integer_round_trips_and_refuses_words_in_both_languages() -> None:
    field = EncryptedIntegerField()
    assert field.decode(field.encode(field.to_python(" 48317 "))) == 48317
    assert field.decode(field.encode(0)) == 0
    for language, message in (("en", "Enter a whole number."), ("es", "Escriba un número entero.")):
        with translation.override(language):
            with pytest.raises(ValidationError) as refused:
                field.to_python("seven")
            assert refused.value.messages == [message]
