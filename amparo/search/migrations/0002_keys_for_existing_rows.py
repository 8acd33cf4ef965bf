"""Search keys for the requests and clients that existed before search: decrypt each name and
email once (the historical models' fields are the real vault classes) and write their keys."""

from django.db import migrations


def _tokens(name):
    from amparo.vault.normalize import NormalizationError, normalize_name

    try:
        return sorted(set(normalize_name(name).split()))
    except NormalizationError:
        return []


def _keys(SearchKey, record, owner):
    try:
        name, email = record.name or "", record.email or ""
    except Exception:  # shredded or unreadable: nothing to find it by
        return []
    keys = [SearchKey(subject_id=record.subject_id, token=t, **{owner: record}) for t in _tokens(name)]
    if email:
        keys.append(SearchKey(subject_id=record.subject_id, email=email, **{owner: record}))
    return keys


def forwards(apps, schema_editor):
    SearchKey = apps.get_model("search", "SearchKey")
    HelpRequest = apps.get_model("intake", "HelpRequest")
    Client = apps.get_model("cases", "Client")
    batch = []
    for model, owner, rows in (
        (HelpRequest, "help_request", HelpRequest.objects.filter(purged_at__isnull=True)),
        (Client, "client", Client.objects.all()),
    ):
        for record in rows.select_related("subject").iterator(chunk_size=500):
            if record.subject.wrapped_key is None:
                continue
            batch.extend(_keys(SearchKey, record, owner))
            if len(batch) >= 1000:
                SearchKey.objects.bulk_create(batch)
                batch = []
    SearchKey.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
