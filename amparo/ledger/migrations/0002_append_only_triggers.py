"""Refuse UPDATE and DELETE on journal entries and postings in the database itself."""

from django.db import migrations

from amparo.ledger.triggers import drop_triggers, install_triggers


def install(apps, schema_editor):
    install_triggers(schema_editor.connection)


def uninstall(apps, schema_editor):
    drop_triggers(schema_editor.connection, drop_function=True)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
