"""The benchmarks' sample models: a protected record with ten encrypted fields and its
plaintext twin. Used by ``amparo bench vault`` and, as a model with every kind of protected
field, by the vault's tests. Never in a production database (this app is installed only by
:mod:`bench.settings` and the test settings)."""

from __future__ import annotations

import uuid

from django.db import models

from amparo.vault.fields import (
    BlindIndexField,
    EncryptedCharField,
    EncryptedDateField,
    EncryptedJSONField,
    EncryptedTextField,
)
from amparo.vault.models import ProtectedModel
from amparo.vault.validators import validate_a_number, validate_email, validate_phone


class SampleRecord(ProtectedModel):
    """A synthetic protected record with ten protected fields. Real apps declare their own
    models the same way."""

    full_name = EncryptedCharField("full name", max_length=200)
    a_number = EncryptedCharField(
        "A-number", max_length=16, blank=True, validators=[validate_a_number]
    )
    date_of_birth = EncryptedDateField("date of birth", null=True, blank=True)
    phone = EncryptedCharField("phone", max_length=40, blank=True, validators=[validate_phone])
    email = EncryptedCharField("email", max_length=254, blank=True, validators=[validate_email])
    address = EncryptedTextField("address", blank=True)
    country_of_birth = EncryptedCharField("country of birth", max_length=100, blank=True)
    detention_facility = EncryptedCharField("detention facility", max_length=200, blank=True)
    notes = EncryptedTextField("notes", blank=True)
    history = EncryptedJSONField("immigration history", default=list, blank=True)
    label = models.CharField("label", max_length=100, blank=True, help_text="Not protected.")

    name_index = BlindIndexField(source="full_name", normalizer="name")
    a_number_index = BlindIndexField(source="a_number", normalizer="a_number")
    phone_index = BlindIndexField(source="phone", normalizer="phone")
    email_index = BlindIndexField(source="email", normalizer="email")

    class Meta:
        verbose_name = "sample protected record"
        verbose_name_plural = "sample protected records"

    def __str__(self) -> str:
        return str(self.pk)


class PlainSampleRecord(models.Model):
    """The plaintext twin of ``SampleRecord``: the bench's baseline. Never holds real data."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    full_name = models.CharField("full name", max_length=200)
    a_number = models.CharField("A-number", max_length=16, blank=True)
    date_of_birth = models.DateField("date of birth", null=True, blank=True)
    phone = models.CharField("phone", max_length=40, blank=True)
    email = models.CharField("email", max_length=254, blank=True)
    address = models.TextField("address", blank=True)
    country_of_birth = models.CharField("country of birth", max_length=100, blank=True)
    detention_facility = models.CharField("detention facility", max_length=200, blank=True)
    notes = models.TextField("notes", blank=True)
    history = models.JSONField("immigration history", default=list, blank=True)
    label = models.CharField("label", max_length=100, blank=True)

    class Meta:
        verbose_name = "sample plaintext record"
        verbose_name_plural = "sample plaintext records"

    def __str__(self) -> str:
        return str(self.pk)
