"""Model fields that other apps declare to keep protected values encrypted.

    class Case(ProtectedModel):          # a UUID primary key and a ``subject`` foreign key
        name = EncryptedCharField(_("name"), max_length=200)
        a_number = EncryptedCharField(_("A-number"), max_length=12, blank=True)
        a_number_index = BlindIndexField(source="a_number", normalizer="a_number")

In Python the attribute holds the plaintext; in the database the column holds
``AES-256-GCM(subject's data key, value, AAD = table, column, row primary key)``.

How a value moves:

- Loading a row gives a ``Sealed`` (the ciphertext bytes). The first read of the attribute
  decrypts it with the subject's data key and keeps the plaintext on the instance.
- Assigning puts plaintext on the instance; ``pre_save`` encrypts it. A value that was loaded
  and never read is written back as the same ciphertext, unless the row's primary key or
  subject changed, in which case it is re-encrypted for its new place.
- The primary key must be known before the first ``INSERT`` (the AAD needs it), so protected
  models use client-generated UUID primary keys: see README.md in this folder.

Only ``isnull`` lookups work on encrypted columns; use a ``BlindIndexField`` for equality.
``QuerySet.update()`` and ``bulk_update()`` refuse plaintext for these columns (a value needs
its row's AAD), so write protected values through ``save()``.
"""

from __future__ import annotations

import base64
import contextlib
import datetime
import json
from typing import Any, NamedTuple

from django import forms
from django.core import checks, exceptions
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxLengthValidator
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models.fields import AutoFieldMixin
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_save
from django.utils.dateparse import parse_date
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from . import crypto
from .digests import digest
from .errors import SubjectShredded, VaultError
from .keys import data_cipher_of
from .normalize import NORMALIZERS

SUBJECT_MODEL = "vault.subject"


class Sealed(bytes):
    """A ciphertext loaded from the database. ``bound`` is the (row id, subject id) it was
    loaded with, so that a copied or re-parented instance re-encrypts it for its new place."""

    bound: tuple[Any, Any] | None = None


class SubjectKey(NamedTuple):
    """The columns of a ``vault.Subject`` row that decryption needs."""

    pk: Any
    wrapped_key: bytes | None
    kek_id: str
    shredded_at: Any


_subject_key_sql: dict[tuple[str, str], str] = {}


def _load_subject_key(fk: Any, subject_id: Any, using: str | None) -> SubjectKey | None:
    connection = connections[using or DEFAULT_DB_ALIAS]
    model = fk.related_model
    sql = _subject_key_sql.get((connection.vendor, model._meta.db_table))
    if sql is None:
        qn = connection.ops.quote_name
        columns = ", ".join(
            qn(model._meta.get_field(name).column)
            for name in ("wrapped_key", "kek_id", "shredded_at")
        )
        # Identifiers come from model metadata and are quoted; the id is a parameter.
        sql = f"SELECT {columns} FROM {qn(model._meta.db_table)} WHERE {qn(model._meta.pk.column)} = %s"  # noqa: S608
        _subject_key_sql[(connection.vendor, model._meta.db_table)] = sql
    with connection.cursor() as cursor:
        cursor.execute(sql, [model._meta.pk.get_db_prep_value(subject_id, connection)])
        row = cursor.fetchone()
    if row is None:
        return None
    wrapped = None if row[0] is None else bytes(row[0])
    return SubjectKey(subject_id, wrapped, row[1], row[2])


class EncryptedAttribute(DeferredAttribute):
    """Decrypts on first read; a data descriptor, so every read goes through it."""

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        value = super().__get__(instance, cls)  # loads a deferred column if needed
        if isinstance(value, Sealed):
            value = self.field.open(instance, value)  # type: ignore[attr-defined]
            instance.__dict__[self.field.attname] = value
        return value

    def __set__(self, instance: Any, value: Any) -> None:
        instance.__dict__[self.field.attname] = value


class EncryptedField(models.Field):  # type: ignore[type-arg]
    """Base of the encrypted fields. Subclasses say how a plaintext becomes bytes and back."""

    descriptor_class = EncryptedAttribute
    empty_strings_allowed = False

    def __init__(self, *args: Any, subject_field: str = "subject", **kwargs: Any) -> None:
        self.subject_field = subject_field
        super().__init__(*args, **kwargs)

    # --- plaintext <-> bytes (subclasses) ---
    def encode(self, value: Any) -> bytes:
        raise NotImplementedError

    def decode(self, data: bytes) -> Any:
        raise NotImplementedError

    def empty_plaintext(self) -> Any:
        return None

    # --- Django plumbing ---
    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.subject_field != "subject":
            kwargs["subject_field"] = self.subject_field
        return name, path, args, kwargs

    def get_internal_type(self) -> str:
        return "BinaryField"  # bytea on PostgreSQL, BLOB on SQLite

    def contribute_to_class(
        self, cls: type[models.Model], name: str, private_only: bool = False
    ) -> None:
        super().contribute_to_class(cls, name, private_only=private_only)
        if not cls._meta.abstract:
            post_init.connect(_bind_loaded_ciphertexts, sender=cls)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Sealed | None:
        return None if value is None else Sealed(bytes(value))

    def get_prep_value(self, value: Any) -> Any:
        return value

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if value is None:
            return None
        if not isinstance(value, bytes | bytearray | memoryview):
            raise TypeError(
                f"{self.model.__name__}.{self.name} is encrypted: write it with save(), not "
                "update() or bulk_update(); those cannot bind a value to its row"
            )
        return connection.Database.Binary(bytes(value))

    def get_lookup(self, lookup_name: str) -> Any:
        # Equality on ciphertext never matches (fresh nonces); a blind index answers that.
        return super().get_lookup(lookup_name) if lookup_name == "isnull" else None

    def get_transform(self, lookup_name: str) -> Any:
        return None

    def value_to_string(self, obj: models.Model) -> str:
        # Serializers (dumpdata) get the ciphertext, never the plaintext.
        raw = obj.__dict__.get(self.attname)
        sealed = self.pre_save(obj, add=False) if not isinstance(raw, bytes | type(None)) else raw
        return "" if sealed is None else base64.b64encode(sealed).decode()

    def subject_of(self, instance: models.Model) -> Any:
        """The subject's key columns: the related object if it is loaded (select_related),
        otherwise one small query for just those columns, remembered on the instance."""
        fk = self.model._meta.get_field(self.subject_field)
        if fk.is_cached(instance):  # type: ignore[union-attr]
            return getattr(instance, self.subject_field)
        subject_id = getattr(instance, fk.attname)  # type: ignore[union-attr]
        if subject_id is None:
            return None
        keys: dict[Any, SubjectKey | None] = instance.__dict__.setdefault("_vault_subject_keys", {})
        if subject_id not in keys:
            keys[subject_id] = _load_subject_key(fk, subject_id, instance._state.db)
        return keys[subject_id]

    @cached_property
    def _names(self) -> tuple[str, str, bytes]:
        """(primary key attname, subject attname, AAD prefix), resolved once per field."""
        meta = self.model._meta
        subject = meta.get_field(self.subject_field)
        assert meta.pk is not None and isinstance(subject, models.Field)
        prefix = crypto.value_aad_prefix(meta.db_table, str(self.column))
        return meta.pk.attname, subject.attname, prefix

    def context_of(self, instance: models.Model) -> tuple[Any, Any]:
        """(row primary key, subject id): where a value of this field on ``instance`` belongs."""
        pk_attname, subject_attname, _ = self._names
        row_id = getattr(instance, pk_attname)
        if row_id is None:
            raise VaultError(
                f"{type(instance).__name__} has no primary key yet: protected models need a "
                "client-generated primary key (UUIDField(default=uuid.uuid4))"
            )
        return row_id, getattr(instance, subject_attname)

    def _aad(self, row_id: Any) -> bytes:
        return self._names[2] + str(row_id).encode()

    def open(
        self, instance: models.Model, sealed: Sealed, bound: tuple[Any, Any] | None = None
    ) -> Any:
        """Decrypt a loaded ciphertext. Raises ``SubjectShredded`` or ``DecryptionError``."""
        row_id, subject_id = bound or sealed.bound or self.context_of(instance)
        subject = self.subject_of(instance)
        if subject is not None and subject.pk != subject_id:
            subject_model = self.model._meta.get_field(self.subject_field).remote_field.model  # type: ignore[union-attr]
            subject = subject_model._base_manager.filter(pk=subject_id).first()
        aead = data_cipher_of(subject)  # refuses a shredded subject, whatever the column holds
        if len(sealed) == 0:
            return self.empty_plaintext()
        return self.decode(crypto.open_sealed(aead, sealed, self._aad(row_id)))

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = model_instance.__dict__.get(self.attname)
        if value is None:
            return None
        context = self.context_of(model_instance)
        if isinstance(value, Sealed):
            if value.bound is None or value.bound == context or len(value) == 0:
                return value
            value = self.open(model_instance, value, bound=value.bound)
        plaintext = self.encode(self.to_python(value))
        aead = data_cipher_of(self.subject_of(model_instance))
        sealed = Sealed(crypto.seal(aead, plaintext, self._aad(context[0])))
        sealed.bound = context
        return sealed

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        if getattr(self, "model", None) is None or self.model._meta.abstract:
            return errors
        try:
            subject = self.model._meta.get_field(self.subject_field)
        except exceptions.FieldDoesNotExist:
            subject = None
        if (
            subject is None
            or not subject.is_relation
            or subject.many_to_many
            or subject.one_to_many
            or subject.related_model is None
            or subject.related_model._meta.label_lower != SUBJECT_MODEL
        ):
            errors.append(
                checks.Error(
                    f"subject_field={self.subject_field!r} must name a ForeignKey to vault.Subject.",
                    obj=self,
                    id="vault.E001",
                )
            )
        pk = self.model._meta.pk
        while pk is not None and pk.remote_field is not None and pk.remote_field.parent_link:
            pk = pk.remote_field.model._meta.pk
        if (
            pk is None
            or isinstance(pk, AutoFieldMixin)
            or not (pk.has_default() or pk.has_db_default())
        ):
            errors.append(
                checks.Error(
                    "A model with encrypted fields needs a primary key chosen before saving.",
                    hint="Use amparo.vault.models.ProtectedModel, or id = UUIDField(primary_key=True, default=uuid.uuid4).",
                    obj=self,
                    id="vault.E002",
                )
            )
        return errors


def _encrypted_fields(model: type[models.Model]) -> tuple[EncryptedField, ...]:
    cached: tuple[EncryptedField, ...] | None = model.__dict__.get("_vault_encrypted_fields")
    if cached is None:
        cached = tuple(f for f in model._meta.concrete_fields if isinstance(f, EncryptedField))
        model._vault_encrypted_fields = cached  # type: ignore[attr-defined]
    return cached


def _bind_loaded_ciphertexts(
    sender: type[models.Model], instance: models.Model, **kwargs: Any
) -> None:
    data = instance.__dict__
    for field in _encrypted_fields(sender):
        value = data.get(field.attname)
        if type(value) is Sealed and value.bound is None:
            with contextlib.suppress(VaultError):  # no primary key: nothing to bind to yet
                value.bound = field.context_of(instance)


class EncryptedTextField(EncryptedField):
    empty_strings_allowed = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(MaxLengthValidator(self.max_length))

    def encode(self, value: Any) -> bytes:
        return str(value).encode()

    def decode(self, data: bytes) -> str:
        return data.decode()

    def empty_plaintext(self) -> str:
        return ""

    def to_python(self, value: Any) -> Any:
        if value is None or isinstance(value, str):
            return value
        return str(value)

    def formfield(self, **kwargs: Any) -> Any:
        defaults: dict[str, Any] = {"max_length": self.max_length}
        if not self.choices:
            defaults["widget"] = forms.Textarea
        defaults.update(kwargs)
        return super().formfield(**defaults)


class EncryptedCharField(EncryptedTextField):
    """One line of protected text; ``max_length`` limits the plaintext."""

    def formfield(self, **kwargs: Any) -> Any:
        return super().formfield(**{"widget": forms.TextInput, **kwargs})


class EncryptedDateField(EncryptedField):
    default_error_messages = {"invalid": _("Enter a real date, for example 2001-03-27.")}

    def encode(self, value: Any) -> bytes:
        return str(value.isoformat()).encode()

    def decode(self, data: bytes) -> datetime.date:
        return datetime.date.fromisoformat(data.decode())

    def to_python(self, value: Any) -> Any:
        if value is None or type(value) is datetime.date:
            return value
        if isinstance(value, datetime.datetime):
            return value.date()
        try:
            parsed = parse_date(str(value))
        except ValueError:
            parsed = None
        if parsed is None:
            raise exceptions.ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed

    def formfield(self, **kwargs: Any) -> Any:
        return super().formfield(**{"form_class": forms.DateField, **kwargs})


class EncryptedIntegerField(EncryptedField):
    """A protected whole number (a household size, an income): quasi-identifying on its own,
    so it cannot be summed or filtered in the database; read it, then compute."""

    default_error_messages = {"invalid": _("Enter a whole number.")}

    def encode(self, value: Any) -> bytes:
        return str(int(value)).encode()

    def decode(self, data: bytes) -> int:
        return int(data.decode())

    def to_python(self, value: Any) -> Any:
        if value is None or (type(value) is int):
            return value
        try:
            return int(str(value).strip())
        except ValueError:
            raise exceptions.ValidationError(
                self.error_messages["invalid"], code="invalid"
            ) from None

    def formfield(self, **kwargs: Any) -> Any:
        return super().formfield(**{"form_class": forms.IntegerField, **kwargs})


class EncryptedJSONField(EncryptedField):
    """Protected structured data (a list of addresses, an immigration history)."""

    def __init__(
        self, *args: Any, encoder: type[json.JSONEncoder] | None = None, **kwargs: Any
    ) -> None:
        self.encoder = encoder
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.encoder is not None:
            kwargs["encoder"] = self.encoder
        return name, path, args, kwargs

    def encode(self, value: Any) -> bytes:
        return json.dumps(
            value, cls=self.encoder or DjangoJSONEncoder, sort_keys=True, separators=(",", ":")
        ).encode()

    def decode(self, data: bytes) -> Any:
        return json.loads(data)

    def to_python(self, value: Any) -> Any:
        return value

    def formfield(self, **kwargs: Any) -> Any:
        return super().formfield(
            **{
                "form_class": forms.JSONField,
                "encoder": self.encoder or DjangoJSONEncoder,
                **kwargs,
            }
        )


class BlindIndexField(models.CharField):  # type: ignore[type-arg]
    """HMAC-SHA256 of the normalized plaintext of ``source``, for exact-match lookups.

    Recomputed on save whenever the source value was assigned; kept as is when the source was
    only loaded. Query it with ``amparo.vault.blind.matching(Model, "field", raw)``.
    """

    def __init__(
        self,
        *args: Any,
        source: str,
        normalizer: str,
        scope: str | None = None,
        **kwargs: Any,
    ) -> None:
        self.source = source
        self.normalizer = normalizer
        self.scope = scope
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs["normalizer"] = self.normalizer
        if self.scope:
            kwargs["scope"] = self.scope
        for key, default in (
            ("max_length", 64),
            ("null", True),
            ("blank", True),
            ("editable", False),
            ("db_index", True),
        ):
            if kwargs.get(key, default) == default:
                kwargs.pop(key, None)
        return name, path, args, kwargs

    def contribute_to_class(
        self, cls: type[models.Model], name: str, private_only: bool = False
    ) -> None:
        super().contribute_to_class(cls, name, private_only=private_only)
        if not cls._meta.abstract:
            pre_save.connect(_require_index_in_update_fields, sender=cls)

    @property
    def source_field(self) -> EncryptedField:
        field = self.model._meta.get_field(self.source)
        assert isinstance(field, EncryptedField)
        return field

    @property
    def subject_field(self) -> str:
        return self.source_field.subject_field

    def digest_of(self, raw: Any) -> str:
        return digest(str(raw), normalizer=self.normalizer, scope=self.scope)

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        source = self.source_field
        raw = model_instance.__dict__.get(source.attname, Sealed())
        if isinstance(raw, Sealed):  # loaded, never assigned: the stored index still holds
            return getattr(model_instance, self.attname)
        value = None if raw is None or raw == "" else self.digest_of(raw)
        setattr(model_instance, self.attname, value)
        return value

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        if getattr(self, "model", None) is None or self.model._meta.abstract:
            return errors
        try:
            source = self.model._meta.get_field(self.source)
        except exceptions.FieldDoesNotExist:
            source = None
        if not isinstance(source, EncryptedField):
            errors.append(
                checks.Error(
                    f"source={self.source!r} must name an encrypted field of this model.",
                    obj=self,
                    id="vault.E003",
                )
            )
        if self.normalizer not in NORMALIZERS:
            errors.append(
                checks.Error(
                    f"normalizer={self.normalizer!r} is not one of {sorted(NORMALIZERS)}.",
                    obj=self,
                    id="vault.E004",
                )
            )
        return errors


def _require_index_in_update_fields(
    sender: type[models.Model], instance: models.Model, update_fields: Any = None, **kwargs: Any
) -> None:
    if not update_fields:
        return
    for field in instance._meta.concrete_fields:
        if (
            isinstance(field, BlindIndexField)
            and field.source in update_fields
            and field.name not in update_fields
        ):
            raise ValueError(
                f"save(update_fields=...) names {field.source!r} but not its blind index "
                f"{field.name!r}: add it, or the index goes stale"
            )


__all__ = [
    "BlindIndexField",
    "EncryptedCharField",
    "EncryptedDateField",
    "EncryptedField",
    "EncryptedJSONField",
    "EncryptedTextField",
    "Sealed",
    "SubjectShredded",
]
