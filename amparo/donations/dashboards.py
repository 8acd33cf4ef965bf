"""The donor's dashboard panel: their gifts, receipts and year-end statements in one place."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Receipt, ReceiptKind
from .selectors import donor_profiles, gift_list

#: Gifts shown on the panel; the gifts page lists every one.
RECENT_GIFTS = 10


def donor_panel(user: Any) -> dict[str, Any]:
    """What a donor comes back for: recent gifts, each receipt to download and a statement per
    year they gave in. Only their own: everything is read through their donor records."""
    gifts = list(gift_list(fetched_by=user)[:RECENT_GIFTS])
    receipts = list(
        Receipt.objects.filter(donor__in=donor_profiles(user), kind=ReceiptKind.GIFT)
        .select_related("gift")
        .order_by("-issued_at")
    )
    years = sorted(
        {
            day.year
            for day in gift_list(fetched_by=user).values_list("received_on", flat=True)
            if day.year <= timezone.localdate().year
        },
        reverse=True,
    )
    return {
        "title": _("Your gifts, receipts and statements"),
        "template": "donations/panels/donor.html",
        "gifts": gifts,
        "receipts": receipts,
        "years": years,
    }
