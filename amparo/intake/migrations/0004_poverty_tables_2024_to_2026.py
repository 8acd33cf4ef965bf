"""Copy the 2024 to 2026 poverty tables shipped in amparo.eligibility.poverty into the database.

The figures are repeated here on purpose: a migration must give the same result forever, even
after the module's tables change. Every figure here was checked against the household-of-four
total HHS published (tests/eligibility/test_poverty.py). The 2026 table for the 48 states and
DC, shipped unverified by 0002, is completed and verified, unless a fund administrator has
already confirmed it (their figures stay). The 2026 Alaska and Hawaii figures could not be
confirmed and are not added: a fund administrator enters them.
"""

from django.db import migrations

TABLES = [
    (
        2024,
        "contiguous",
        15060,
        5380,
        "HHS poverty guidelines for 2024, 48 contiguous states and DC",
    ),
    (2024, "alaska", 18810, 6730, "HHS poverty guidelines for 2024, Alaska"),
    (2024, "hawaii", 17310, 6190, "HHS poverty guidelines for 2024, Hawaii"),
    (2025, "alaska", 19550, 6880, "HHS poverty guidelines for 2025, Alaska"),
    (2025, "hawaii", 17990, 6330, "HHS poverty guidelines for 2025, Hawaii"),
]
T2026 = {
    "first_person": 15960,
    "additional_person": 5680,
    "verified": True,
    "source": "Federal Register 2026-00755 (effective 2026-01-13), 48 contiguous states and DC",
}
T2026_BEFORE = {
    "first_person": 15960,
    "additional_person": None,
    "verified": False,
    "source": "Federal Register 2026-00755 (effective 2026-01-13); increment per person not confirmed",
}


def forwards(apps, schema_editor):
    PovertyGuideline = apps.get_model("intake", "PovertyGuideline")
    for year, region, first, additional, source in TABLES:
        PovertyGuideline.objects.get_or_create(
            year=year,
            region=region,
            defaults={
                "first_person": first,
                "additional_person": additional,
                "verified": True,
                "source": source,
            },
        )
    updated = PovertyGuideline.objects.filter(
        year=2026, region="contiguous", confirmed_at__isnull=True
    ).update(**T2026)
    if not updated and not PovertyGuideline.objects.filter(year=2026, region="contiguous").exists():
        PovertyGuideline.objects.create(year=2026, region="contiguous", **T2026)


def backwards(apps, schema_editor):
    PovertyGuideline = apps.get_model("intake", "PovertyGuideline")
    for year, region, *_ in TABLES:
        PovertyGuideline.objects.filter(
            year=year, region=region, confirmed_at__isnull=True
        ).delete()
    PovertyGuideline.objects.filter(
        year=2026, region="contiguous", confirmed_at__isnull=True
    ).update(**T2026_BEFORE)


class Migration(migrations.Migration):
    dependencies = [("intake", "0003_custody_one_definition")]
    operations = [migrations.RunPython(forwards, backwards)]
