"""Refuse UPDATE and DELETE on audit events in the database itself (SQLite and PostgreSQL)."""

from django.db import migrations

from amparo.audit.triggers import drop_triggers, install_triggers


def install(apps, schema_editor):
    install_triggers(schema_editor.connection)


def uninstall(apps, schema_editor):
    drop_triggers(schema_editor.connection, drop_function=True)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
