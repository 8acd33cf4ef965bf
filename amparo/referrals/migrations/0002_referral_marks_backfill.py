"""Fill the help requests' referral marks (``referred_at``, ``accepted_at``) from the referrals
already stored: the same ``UPDATE`` as ``amparo.referrals.marks.request_marks_sync``, written
here with the historical models (a migration imports no app code)."""

from typing import Any

from django.db import migrations
from django.db.models import DateTimeField, OuterRef, Subquery
from django.db.models.functions import Coalesce


def backfill(apps: Any, schema_editor: Any) -> None:
    HelpRequest = apps.get_model("intake", "HelpRequest")
    Referral = apps.get_model("referrals", "Referral")
    mine = Referral.objects.filter(help_request=OuterRef("pk")).order_by()
    first = mine.order_by("sent_at", "pk").values("sent_at")[:1]
    accepted = mine.filter(status="accepted").values(
        answered=Coalesce("responded_at", "sent_at", output_field=DateTimeField())
    )[:1]
    HelpRequest.objects.filter(pk__in=Referral.objects.values("help_request_id")).update(
        referred_at=Subquery(first, output_field=DateTimeField()),
        accepted_at=Subquery(accepted, output_field=DateTimeField()),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0011_referral_marks"),
        ("referrals", "0001_initial"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
