"""Axes rows written before its access log was digested: each email becomes its keyed digest.

Rows already holding a digest (``k:`` and 32 hex digits) are left as they are. The locks keep
working for the lines that change, since the digest is what axes now looks them up by.
"""

from django.db import migrations

_MODELS = ("AccessAttempt", "AccessLog", "AccessFailureLog")


def _is_digest(value: str) -> bool:
    return value.startswith("k:") and len(value) == 34


def digest_usernames(apps, schema_editor):
    """Replace every stored sign-in name that is not yet a digest (emails, in practice)."""
    from amparo.accounts.lockout import login_digest

    for name in _MODELS:
        model = apps.get_model("axes", name)
        rows = model.objects.exclude(username__isnull=True).exclude(username="")
        for row in rows.iterator():
            if not _is_digest(row.username):
                model.objects.filter(pk=row.pk).update(username=login_digest(row.username))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(digest_usernames, migrations.RunPython.noop)]
