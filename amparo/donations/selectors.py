"""Reading gifts (scoped to the viewer) and the public transparency figures."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet, Sum
from django.http import Http404

from amparo.ledger.selectors import financial_position, money_in_by_month

from .models import Appropriation, Donor, Gift
from .permissions import can_manage_gifts, can_view_gift, can_view_own_gifts


def gift_list(*, fetched_by: Any) -> QuerySet[Gift]:
    """Every gift for a fund administrator; a donor's own gifts for a donor; else nothing."""
    gifts = Gift.objects.select_related(
        "designation", "donor", "donor__subject", "receipt"
    ).order_by("-received_on", "-created_at")
    if can_manage_gifts(fetched_by):
        return gifts
    if can_view_own_gifts(fetched_by):
        return gifts.filter(donor__user=fetched_by)
    return gifts.none()


def access_gift(user: Any, gift_id: Any) -> Gift:
    """The gift, if ``user`` may see it; the same 404 when it is missing or not theirs."""
    try:
        gift = Gift.objects.select_related("donor", "designation").get(pk=gift_id)
    except (Gift.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if not can_view_gift(user, gift):
        raise Http404
    return gift


def access_donor(user: Any, donor_id: Any) -> Donor:
    """A donor's page, for fund administrators only; the same 404 when missing or refused."""
    if not can_manage_gifts(user):
        raise Http404
    donor = Donor.objects.select_related("subject", "user").filter(pk=donor_id).first()
    if donor is None:
        raise Http404
    return donor


def donor_profiles(user: Any) -> QuerySet[Donor]:
    return Donor.objects.filter(user=user) if can_view_own_gifts(user) else Donor.objects.none()


#: Providers of the transparency page's grants section: each returns rows with ``grantee``,
#: ``category``, ``awarded``, ``disbursed`` (minor units) and ``currency``. The grants app adds
#: one; until then the section shows its empty state.
GRANT_ROW_PROVIDERS: list[Callable[[], list[dict[str, Any]]]] = []


def public_grant_rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for provider in GRANT_ROW_PROVIDERS:
        rows.extend(provider())
    return rows


def public_donor_names() -> list[str]:
    """Names of donors who consented to be thanked in public and gave at least once."""
    names = (
        Donor.objects.filter(public_consent=True, gifts__isnull=False)
        .exclude(public_name="")
        .values_list("public_name", flat=True)
        .distinct()
    )
    return sorted(set(names), key=str.casefold)


def transparency(*, today: datetime.date) -> dict[str, Any]:
    """Aggregates that protect people: no donor without consent, no client ever."""
    start = datetime.date(today.year - 1, today.month, 1)
    months = money_in_by_month(start=start, end=today)
    appropriations = [
        {
            "name": a.name,
            "funder": a.funder,
            "restriction": a.restriction.name,
            "amount": a.amount,
            "received": int(a.received or 0),
            "currency": a.currency,
            "period_start": a.period_start,
            "period_end": a.period_end,
        }
        for a in Appropriation.objects.select_related("restriction").annotate(
            received=Sum("payments__amount")
        )
    ]
    gifts = Gift.objects.aggregate(total=Sum("amount"))
    return {
        "months": months,
        "positions": financial_position(),
        "appropriations": appropriations,
        "grant_rows": public_grant_rows(),
        "donor_names": public_donor_names(),
        "gift_count": Gift.objects.count(),
        "gift_total": int(gifts["total"] or 0),
        "start": start,
        "today": today,
    }
