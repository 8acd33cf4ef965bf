"""Staff and donor pages: gifts, receipts, year-end statements, public money."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amparo.accounts.models import User
from amparo.audit.exports import export_guard
from amparo.audit.reads import audit_read
from amparo.audit.services import audit_record
from amparo.core.forms import RemoveOnRequestForm, run_service
from amparo.core.lists import csv_response, list_page, list_rows
from amparo.core.services import ServiceError
from amparo.ledger.currency import format_money, plain_amount
from amparo.vault.display import shown

from .forms import (
    GIFT_DEFAULT_SORT,
    GIFT_SORTS,
    AppropriationForm,
    AppropriationPaymentForm,
    GiftFilterForm,
    ReceiptRequestForm,
)
from .models import Appropriation, Gift, Receipt, ReceiptKind
from .permissions import can_manage_gifts, can_view_appropriations, can_view_own_gifts
from .receipts import receipt_pdf
from .selectors import access_donor, access_gift, donor_profiles, gift_list
from .services import (
    appropriation_create,
    appropriation_receive,
    donor_shred,
    receipt_issue,
    reporting_periods,
    year_end_statement_issue,
)

PAGE_SIZE = 50


@login_required
@require_GET
def gift_list_view(request: HttpRequest) -> HttpResponse:
    if not (can_manage_gifts(request.user) or can_view_own_gifts(request.user)):
        raise Http404
    manager = can_manage_gifts(request.user)
    listing = list_page(
        request,
        gift_list(fetched_by=request.user),
        form=GiftFilterForm(request.GET),
        sorts=GIFT_SORTS,
        default_sort=GIFT_DEFAULT_SORT,
        page_size=PAGE_SIZE,
        csv_url=reverse("donations:export") if manager else "",
    )
    gifts = listing.rows
    years = sorted({g.received_on.year for g in gifts}, reverse=True)
    return render(
        request,
        "donations/list.html",
        {
            "listing": listing,
            "gifts": gifts,
            "manager": manager,
            "years": years,
            "donor_name": _donor_name(request.user),
        },
        status=listing.status,
    )


@login_required
@require_GET
def donor_detail(request: HttpRequest, donor_id: Any) -> HttpResponse:
    """One donor, for fund administrators: who it is (an audited read) and what they gave."""
    donor = access_donor(request.user, donor_id)
    gifts = list(donor.gifts.select_related("designation").order_by("-received_on"))
    response = render(
        request,
        "donations/donor.html",
        {
            "donor": donor,
            "name": donor.display_name,
            "email": shown(lambda: donor.email),
            "gifts": gifts,
            "receipt_count": donor.receipts.count(),
        },
    )
    if not donor.is_shredded:
        audit_read(actor=request.user, obj=donor, fields=["name", "email"])
    return response


@login_required
@require_http_methods(["GET", "POST"])
def donor_shred_view(request: HttpRequest, donor_id: Any) -> HttpResponse:
    """Remove a donor's data on request: what goes, what stays, why; the service refuses a
    blank reason and a donor already removed."""
    donor = access_donor(request.user, donor_id)
    back = reverse("donations:donor", args=[donor.pk])
    form = RemoveOnRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form, donor_shred, donor=donor, by=request.user, reason=form.cleaned_data["reason"]
        )
        if done is not None:
            messages.success(
                request, _("The donor's data was removed. The gifts stay, without the person.")
            )
            return redirect(back)
    context = {
        "form": form,
        "title": _("Remove the donor's data on request"),
        "back_label": _("Donor"),
        "cancel": back,
        "destroyed": [
            _("The donor's name and email address, and the index that finds them by email."),
            _("The name shown in public and the consent to show it."),
            _("The donor's own sign-in account, if there is one."),
        ],
        "kept": [
            _("Every gift, pledge and receipt, with its amount, date and designation."),
            _("The fund's books: every ledger entry and total stays exactly as it is."),
            _("The audit log: who removed the data, when and why."),
        ],
    }
    return render(
        request, "core/remove_on_request.html", context, status=400 if form.errors else 200
    )


def _donor_name(user: Any) -> str:
    """The signed-in donor's name, from their donor record: their account holds none."""
    return next((donor.name for donor in donor_profiles(user) if donor.name), "")


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
        receipt = receipt_issue(gift=gift, by=cast(User, request.user))
    except ServiceError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Receipt %(number)s issued. The gift is now locked.") % {"number": receipt.number},
        )
    return redirect("donations:list")


@login_required
@require_POST
def statement_download(request: HttpRequest) -> HttpResponse:
    """A donor's own year-end statement, issued on the first request for it (a POST: issuing
    numbers a receipt and locks the year's gifts, which no link or prefetch may do)."""
    if not can_view_own_gifts(request.user):
        raise Http404
    try:
        year = int(request.POST.get("year", ""))
    except ValueError as exc:
        raise Http404 from exc
    donor = donor_profiles(request.user).filter(gifts__received_on__year=year).first()
    if donor is None or year >= timezone.localdate().year + 1:
        raise Http404
    try:
        receipt = year_end_statement_issue(donor=donor, year=year, by=cast(User, request.user))
    except ServiceError as exc:
        raise Http404 from exc
    return _pdf(request, receipt)


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


def _export_cells(gift: Gift) -> tuple[Any, ...]:
    if gift.donor_id is None:
        donor = "anonymous"
    elif gift.donor and gift.donor.public_consent:
        donor = gift.donor.public_name
    else:
        donor = "named"
    return (
        gift.received_on.isoformat(),
        gift.reference,
        plain_amount(gift.amount, gift.currency),
        gift.currency,
        gift.designation.slug if gift.designation else "",
        gift.channel,
        donor,
        "yes" if gift.receipted_at else "no",
    )


@login_required
@require_GET
def gift_export(request: HttpRequest) -> HttpResponseBase:
    """The gift list as CSV (same filters and order, every page), without protected data:
    names only where the donor consented."""
    if not can_manage_gifts(request.user):
        raise Http404
    form = GiftFilterForm(request.GET)
    if not form.is_valid():
        return gift_list_view(request)  # the page, with the message beside the field
    gifts = list_rows(
        request,
        gift_list(fetched_by=request.user),
        form=form,
        sorts=GIFT_SORTS,
        default_sort=GIFT_DEFAULT_SORT,
    )
    refused = export_guard(request, kind="donations.gift", count=gifts.count())
    if refused is not None:
        return refused
    audit_record(
        actor=request.user,
        action="donations.exported",
        object_type="donations.gift",
        reason="CSV export",
    )
    return csv_response(
        gifts.iterator(chunk_size=1000),
        header=EXPORT_HEADER,
        cells=_export_cells,
        filename="gifts",
    )


def _appropriation_summary(appropriation: Appropriation) -> dict[str, Any]:
    received = sum(p.amount for p in appropriation.payments.all())
    return {
        "a": appropriation,
        "received": received,
        "left": appropriation.amount - received,
        "periods": reporting_periods(appropriation),
    }


@login_required
@require_GET
def appropriation_list(request: HttpRequest) -> HttpResponse:
    if not can_view_appropriations(request.user):
        raise Http404
    items = [
        _appropriation_summary(appropriation)
        for appropriation in Appropriation.objects.select_related("restriction").prefetch_related(
            "payments"
        )
    ]
    return render(
        request,
        "donations/appropriations.html",
        {"items": items, "may_write": _may_write_appropriations(request.user)},
    )


def _may_write_appropriations(user: Any) -> bool:
    """Fund administrators record public money; the board only reads it."""
    return can_manage_gifts(user)


def _access_appropriation(user: Any, pk: int) -> Appropriation:
    """The appropriation ``pk`` if ``user`` may see it; Http404 for missing and forbidden."""
    if not can_view_appropriations(user):
        raise Http404
    found = (
        Appropriation.objects.select_related("restriction")
        .prefetch_related("payments")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def _back_to_appropriation(request: HttpRequest, pk: int, saved: str) -> HttpResponse:
    messages.success(request, saved)
    return redirect("donations:appropriation", pk=pk)


def _form_page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """The form again: 400 after a POST that the form or the service refused, else 200."""
    return render(request, template, context, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def appropriation_create_view(request: HttpRequest) -> HttpResponse:
    if not _may_write_appropriations(request.user):
        raise Http404
    form = AppropriationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        appropriation = run_service(
            form,
            appropriation_create,
            name=data["name"],
            funder=data["funder"],
            restriction=data["restriction"],
            new_restriction=data["new_restriction"],
            amount=data["amount"],
            currency=data["currency"],
            period_start=data["period_start"],
            period_end=data["period_end"],
            reporting=data["reporting"],
            by=request.user,
        )
        if appropriation is not None:
            return _back_to_appropriation(
                request,
                appropriation.pk,
                _("The appropriation %(name)s was created.") % {"name": appropriation.name},
            )
    return _form_page(request, "donations/appropriation_form.html", {"form": form})


@login_required
@require_GET
def appropriation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appropriation = _access_appropriation(request.user, pk)
    return render(
        request,
        "donations/appropriation_detail.html",
        {
            "item": _appropriation_summary(appropriation),
            "payments": list(appropriation.payments.all()),
            "may_write": _may_write_appropriations(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def appropriation_receive_view(request: HttpRequest, pk: int) -> HttpResponse:
    if not _may_write_appropriations(request.user):
        raise Http404
    appropriation = _access_appropriation(request.user, pk)
    form = AppropriationPaymentForm(request.POST or None, appropriation=appropriation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        payment = run_service(
            form,
            appropriation_receive,
            appropriation=appropriation,
            amount=data["amount"],
            currency=data["currency"],
            received_on=data["received_on"],
            reference=data["reference"],
            by=request.user,
        )
        if payment is not None:
            return _back_to_appropriation(
                request,
                appropriation.pk,
                _("Payment %(reference)s of %(amount)s recorded.")
                % {
                    "reference": payment.reference,
                    "amount": format_money(payment.amount, appropriation.currency),
                },
            )
    return _form_page(
        request,
        "donations/appropriation_receive.html",
        {"form": form, "item": _appropriation_summary(appropriation)},
    )
