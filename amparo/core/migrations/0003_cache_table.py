"""The database cache's table (settings.CACHES), so that `amparo migrate`, the demo and the test
database all have it: allauth's rate limits and used TOTP codes live in the shared cache."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # Creates the table of every DatabaseCache in settings.CACHES (none when Redis is used);
    # an existing table is left alone.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0002_scheduled_job"),
    ]

    operations = [
        migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=False),
    ]
