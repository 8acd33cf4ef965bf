"""Seal the TOTP secrets and recovery-code seeds stored in the clear before MFA_ADAPTER."""

from __future__ import annotations

from typing import Any

from django.db import migrations

FIELDS = ("secret", "seed")


def _convert(apps: Any, schema_editor: Any, *, sealing: bool) -> None:
    from amparo.accounts.mfa import PREFIX, open_secret, seal_secret

    authenticator = apps.get_model("mfa", "Authenticator")
    for row in authenticator.objects.using(schema_editor.connection.alias).iterator():
        data = dict(row.data or {})
        changed = False
        for field in FIELDS:
            value = data.get(field)
            if not isinstance(value, str):
                continue
            if sealing and not value.startswith(PREFIX):
                data[field], changed = seal_secret(value), True
            elif not sealing and value.startswith(PREFIX):
                data[field], changed = open_secret(value), True
        if changed:
            row.data = data
            row.save(update_fields=["data"])


def seal(apps: Any, schema_editor: Any) -> None:
    _convert(apps, schema_editor, sealing=True)


def unseal(apps: Any, schema_editor: Any) -> None:
    _convert(apps, schema_editor, sealing=False)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_donor_accounts_digested"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(seal, unseal)]
