"""Donor accounts made before digest addresses move their address and name to the donor record.

Encrypting needs the vault (each donor's data key, the blind-index keys), which only the real
models and services have, so this runs the real conversion
(``amparo.donations.donor_accounts.donor_accounts_convert``), the same code an operator could
run from a shell. Nothing is loaded when no account needs it, which is every new database.
"""

from django.db import migrations

DONOR_DOMAIN = "@donor.invalid"


def convert(apps, schema_editor):
    """Convert the donor accounts that still hold their address or name in the clear."""
    user = apps.get_model("accounts", "User")
    waiting = user.objects.filter(role="donor").exclude(email__iendswith=DONOR_DOMAIN)
    if not waiting.exists():
        return
    from amparo.donations.donor_accounts import donor_accounts_convert

    donor_accounts_convert()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_axes_usernames_digested"),
        ("donations", "0001_initial"),
        ("audit", "__latest__"),
    ]

    operations = [migrations.RunPython(convert, migrations.RunPython.noop)]
