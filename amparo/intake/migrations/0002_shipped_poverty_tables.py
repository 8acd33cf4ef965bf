"""Copy the poverty tables shipped in amparo.eligibility.poverty into the database.

The figures are repeated here on purpose: a migration must give the same result forever, even
after the module's tables change. 2026 goes in unverified, with no increment per person.
"""

from django.db import migrations

TABLES = [
    {
        "year": 2025,
        "region": "contiguous",
        "first_person": 15650,
        "additional_person": 5500,
        "verified": True,
        "source": "HHS poverty guidelines for 2025, 48 contiguous states and DC",
    },
    {
        "year": 2026,
        "region": "contiguous",
        "first_person": 15960,
        "additional_person": None,
        "verified": False,
        "source": "Federal Register 2026-00755 (effective 2026-01-13); increment per person not confirmed",
    },
]


def forwards(apps, schema_editor):
    PovertyGuideline = apps.get_model("intake", "PovertyGuideline")
    for row in TABLES:
        PovertyGuideline.objects.get_or_create(year=row["year"], region=row["region"], defaults=row)


def backwards(apps, schema_editor):
    PovertyGuideline = apps.get_model("intake", "PovertyGuideline")
    for row in TABLES:
        PovertyGuideline.objects.filter(year=row["year"], region=row["region"], confirmed_at__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
