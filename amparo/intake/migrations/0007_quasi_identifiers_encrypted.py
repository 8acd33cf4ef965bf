"""Help requests' quasi-identifiers move into the vault.

Facility, court, next hearing, ZIP code, household size, income range, a running deadline's
date, and the screening's reasons and income limit were plain columns, kept for as long as a
request that became a case lives. Each is renamed out of the way, an encrypted column takes its
name, every row's value is encrypted under its own subject's data key, and the plain column is
dropped.

The encrypted column must have its final name before the copy: the ciphertext's associated data
binds it to table, column and row. The historical model's fields are the vault's real field
classes (migrations keep the field path), so ``save()`` encrypts with the app's key provider,
as at runtime. A request whose subject was already shredded gets the empty value
``subject_shred`` leaves: its plaintext goes with the column. Reversible: the way back
decrypts into plain columns (shredded rows come back empty).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

import amparo.vault.fields

#: (field name, plain field as it was, encrypted field as it becomes, plain value when shredded)
FIELDS: list[tuple[str, Any, Any, Any]] = [
    (
        "facility",
        models.CharField(blank=True, max_length=200, verbose_name="detention facility"),
        amparo.vault.fields.EncryptedCharField(
            blank=True, max_length=200, verbose_name="detention facility"
        ),
        "",
    ),
    (
        "next_hearing",
        models.DateField(blank=True, null=True, verbose_name="next hearing"),
        amparo.vault.fields.EncryptedDateField(blank=True, null=True, verbose_name="next hearing"),
        None,
    ),
    (
        "court",
        models.CharField(blank=True, max_length=200, verbose_name="immigration court"),
        amparo.vault.fields.EncryptedCharField(
            blank=True, max_length=200, verbose_name="immigration court"
        ),
        "",
    ),
    (
        "zip_code",
        models.CharField(blank=True, max_length=10, verbose_name="ZIP code"),
        amparo.vault.fields.EncryptedCharField(blank=True, max_length=10, verbose_name="ZIP code"),
        "",
    ),
    (
        "household_size",
        models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="household size"),
        amparo.vault.fields.EncryptedIntegerField(
            blank=True, null=True, verbose_name="household size"
        ),
        None,
    ),
    (
        "income_low_cents",
        models.BigIntegerField(
            blank=True, null=True, verbose_name="yearly income, low end (cents)"
        ),
        amparo.vault.fields.EncryptedIntegerField(
            blank=True, null=True, verbose_name="yearly income, low end (cents)"
        ),
        None,
    ),
    (
        "income_high_cents",
        models.BigIntegerField(
            blank=True, null=True, verbose_name="yearly income, high end (cents)"
        ),
        amparo.vault.fields.EncryptedIntegerField(
            blank=True, null=True, verbose_name="yearly income, high end (cents)"
        ),
        None,
    ),
    (
        "deadline_date",
        models.DateField(blank=True, null=True, verbose_name="last day of the deadline"),
        amparo.vault.fields.EncryptedDateField(
            blank=True, null=True, verbose_name="last day of the deadline"
        ),
        None,
    ),
    (
        "eligibility_reasons",
        models.JSONField(blank=True, default=list),
        amparo.vault.fields.EncryptedJSONField(blank=True, default=list),
        [],
    ),
    (
        "income_limit",
        models.PositiveIntegerField(
            blank=True, null=True, verbose_name="income limit used (dollars)"
        ),
        amparo.vault.fields.EncryptedIntegerField(
            blank=True, null=True, verbose_name="income limit used (dollars)"
        ),
        None,
    ),
]

NAMES = [name for name, *_ in FIELDS]


def _for_existing_rows(field: Any) -> Any:
    """The field as added: a NOT NULL column starts empty (``b""``, what a shred leaves) until
    the copy below; the model's own default (``""``, ``[]``) is plaintext and cannot be a
    column default."""
    if field.null:
        return field
    _name, _path, args, kwargs = field.deconstruct()
    return type(field)(*args, **{**kwargs, "default": b""})


def _plain(name: str) -> str:
    return f"{name}_plain"


def _shredded(request: Any) -> bool:
    subject = request.subject
    return subject.shredded_at is not None or subject.wrapped_key is None


def encrypt(apps: Any, schema_editor: Any) -> None:
    """Each row's plain values, encrypted under its subject's key (empty if shredded)."""
    HelpRequest = apps.get_model("intake", "HelpRequest")
    rows = HelpRequest._base_manager.using(schema_editor.connection.alias).select_related("subject")
    for request in rows.iterator(chunk_size=500):
        if _shredded(request):
            HelpRequest._base_manager.filter(pk=request.pk).update(**dict.fromkeys(NAMES, b""))
            continue
        for name in NAMES:
            setattr(request, name, getattr(request, _plain(name)))
        request.save(update_fields=NAMES)


def decrypt(apps: Any, schema_editor: Any) -> None:
    """The way back: each readable value into its plain column."""
    HelpRequest = apps.get_model("intake", "HelpRequest")
    rows = HelpRequest._base_manager.using(schema_editor.connection.alias).select_related("subject")
    for request in rows.iterator(chunk_size=500):
        shredded = _shredded(request)
        for name, _plain_field, _encrypted, empty in FIELDS:
            setattr(request, _plain(name), empty if shredded else getattr(request, name))
        request.save(update_fields=[_plain(name) for name in NAMES])


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0006_status_code_hash_keyed_by_provider"),
        ("vault", "0001_initial"),
    ]

    operations = [
        *[migrations.RenameField("helprequest", name, _plain(name)) for name in NAMES],
        *[
            migrations.AddField(
                "helprequest",
                name,
                _for_existing_rows(encrypted),
                preserve_default=encrypted.null,
            )
            for name, _plain_field, encrypted, _empty in FIELDS
        ],
        # The reasons' default (a new empty list) lives in Python only: state, not schema.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField("helprequest", name, encrypted)
                for name, _plain_field, encrypted, _empty in FIELDS
                if encrypted.has_default() and not encrypted.null
            ]
        ),
        migrations.RunPython(encrypt, decrypt, elidable=False),
        *[migrations.RemoveField("helprequest", _plain(name)) for name in NAMES],
    ]
