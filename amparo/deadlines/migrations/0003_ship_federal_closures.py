"""Ship the known federal closures (``rules.FEDERAL_CLOSURES``) as rows an administrator keeps.

A copy of the data as of this migration, not an import of it: later changes to the rules
module must not rewrite history. Existing rows (same date and scope) are left as they are.
"""

import datetime

from django.db import migrations

CLOSURES = [
    # (date, name, source, scope, confirmed)
    ("2020-12-24", "Christmas Eve (executive order)", "Executive Order 13960 (2020-12-11)",
     "nationwide", True),
    ("2021-01-20", "Inauguration Day", "5 U.S.C. 6103(c)", "dc-area", True),
    ("2024-12-24", "Christmas Eve (executive order)", "Executive order of 2024-12-19",
     "nationwide", True),
    ("2025-01-09", "National Day of Mourning for President Carter (executive order)",
     "Executive order of December 2024", "nationwide", True),
    ("2025-01-20", "Inauguration Day", "5 U.S.C. 6103(c)", "dc-area", True),
    ("2025-12-24", "Christmas Eve (executive order)",
     "Executive order of December 2025 (unconfirmed)", "nationwide", False),
    ("2025-12-26", "Day after Christmas (executive order)",
     "Executive order of December 2025 (unconfirmed)", "nationwide", False),
]


def ship(apps, schema_editor):
    FederalClosure = apps.get_model("deadlines", "FederalClosure")
    for day, name, source, scope, confirmed in CLOSURES:
        FederalClosure.objects.get_or_create(
            date=datetime.date.fromisoformat(day),
            scope=scope,
            defaults={"name": name, "source": source, "confirmed": confirmed},
        )


def unship(apps, schema_editor):
    FederalClosure = apps.get_model("deadlines", "FederalClosure")
    for day, _name, _source, scope, _confirmed in CLOSURES:
        FederalClosure.objects.filter(date=datetime.date.fromisoformat(day), scope=scope).delete()


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0002_federal_closure")]

    operations = [migrations.RunPython(ship, unship)]
