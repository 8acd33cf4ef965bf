"""Staff and donor pages: gifts, receipts, year-end statements, public money."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amparo.audit.csv_export import neutralize
from amparo.audit.exports import export_guard
from amparo.audit.reads import audit_read
from amparo.audit.services import audit_record
from amparo.ledger.currency import plain_amount

from .forms import ReceiptRequestForm
from .models import Appropriation, Gift, Receipt, ReceiptKind
from .permissions import can_manage_gifts, can_view_appropriations, can_view_own_gifts
from .receipts import receipt_pdf
from .selectors import access_gift, donor_profiles, gift_list
from .services import DonationError, receipt_issue, reporting_periods, year_end_statement_issue

PAGE_SIZE = 50


@login_required
@require_GET
def gift_list_view(request: HttpRequest) -> HttpResponse:
    if not (can_manage_gifts(request.user) or can_view_own_gifts(request.user)):
        raise Http404
    page = Paginator(gift_list(fetched_by=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    years = sorted({g.received_on.year for g in page.object_list}, reverse=True)
    return render(
        request,
        "donations/list.html",
        {
            "page": page,
            "gifts": list(page.object_list),
            "manager": can_manage_gifts(request.user),
            "years": years,
        },
    )


def _pdf(request: HttpRequest, receipt: Receipt) -> HttpResponse:
    audit_read(
        actor=request.user, obj=receipt.donor, fields=["name"], reason=f"receipt {receipt.number}"
    )
    response = HttpResponse(receipt_pdf(receipt), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{receipt.number}.pdf"'
    return response


@login_required
@require_GET
def receipt_download(request: HttpRequest) -> HttpResponse:
    form = ReceiptRequestForm(request.GET)
    if not form.is_valid():
        raise Http404
    gift = access_gift(request.user, form.cleaned_data["gift"])
    receipt = (
        Receipt.objects.filter(gift=gift, kind=ReceiptKind.GIFT)
        .select_related("donor", "gift")
        .first()
    )
    if receipt is None:
        raise Http404
    return _pdf(request, receipt)


@login_required
@require_POST
def receipt_issue_view(request: HttpRequest) -> HttpResponse:
    if not can_manage_gifts(request.user):
        raise Http404
    form = ReceiptRequestForm(request.POST)
    if not form.is_valid():
        raise Http404
    gift = access_gift(request.user, form.cleaned_data["gift"])
    try:
        receipt = receipt_issue(gift=gift, by=request.user)
    except DonationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Receipt %(number)s issued. The gift is now locked.") % {"number": receipt.number},
        )
    return redirect("donations:list")


@login_required
@require_GET
def statement_download(request: HttpRequest) -> HttpResponse:
    """A donor's own year-end statement (issued on first download)."""
    if not can_view_own_gifts(request.user):
        raise Http404
    try:
        year = int(request.GET.get("year", ""))
    except ValueError as exc:
        raise Http404 from exc
    donor = donor_profiles(request.user).filter(gifts__received_on__year=year).first()
    if donor is None or year >= timezone.localdate().year + 1:
        raise Http404
    try:
        receipt = year_end_statement_issue(donor=donor, year=year, by=request.user)
    except DonationError as exc:
        raise Http404 from exc
    return _pdf(request, receipt)


class _Echo:
    def write(self, value: str) -> str:
        return value


EXPORT_HEADER = (
    "received_on",
    "reference",
    "amount",
    "currency",
    "designation",
    "channel",
    "donor",
    "receipted",
)


def _export_rows(gifts: Iterator[Gift]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(EXPORT_HEADER)
    for gift in gifts:
        if gift.donor_id is None:
            donor = "anonymous"
        elif gift.donor and gift.donor.public_consent:
            donor = gift.donor.public_name
        else:
            donor = "named"
        yield writer.writerow(
            [
                neutralize(cell)
                for cell in (
                    gift.received_on.isoformat(),
                    gift.reference,
                    plain_amount(gift.amount, gift.currency),
                    gift.currency,
                    gift.designation.slug if gift.designation else "",
                    gift.channel,
                    donor,
                    "yes" if gift.receipted_at else "no",
                )
            ]
        )


@login_required
@require_GET
def gift_export(request: HttpRequest) -> HttpResponseBase:
    """Gifts as CSV without protected data: names only where the donor consented."""
    if not can_manage_gifts(request.user):
        raise Http404
    gifts = Gift.objects.select_related("designation", "donor").order_by("received_on", "reference")
    refused = export_guard(request, kind="donations.gift", count=gifts.count())
    if refused is not None:
        return refused
    audit_record(
        actor=request.user,
        action="donations.exported",
        object_type="donations.gift",
        reason="CSV export",
    )
    response = StreamingHttpResponse(
        _export_rows(gifts.iterator(chunk_size=1000)), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="gifts-{stamp}.csv"'
    return response


@login_required
@require_GET
def appropriation_list(request: HttpRequest) -> HttpResponse:
    if not can_view_appropriations(request.user):
        raise Http404
    items = []
    for appropriation in Appropriation.objects.select_related("restriction").prefetch_related(
        "payments"
    ):
        received = sum(p.amount for p in appropriation.payments.all())
        items.append(
            {
                "a": appropriation,
                "received": received,
                "left": appropriation.amount - received,
                "periods": reporting_periods(appropriation),
            }
        )
    return render(request, "donations/appropriations.html", {"items": items})
