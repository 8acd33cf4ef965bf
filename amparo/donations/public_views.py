"""The public donate flow and the transparency page. No card data ever reaches these views:
the payment itself happens on the processor's hosted page (the demo processor's is ours)."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods

from amparo.core.forms import form_errors_add
from amparo.core.services import SYSTEM, ServiceError
from amparo.ledger.currency import fund_currency
from amparo.ledger.models import Restriction

from .forms import DonorForm, GiftForm
from .models import Pledge, PledgeStatus
from .processors import DemoProcessor, processor
from .selectors import transparency
from .services import donor_create, pledge_cancel, pledge_paid, pledge_start

GIFT_KEY = "amparo_donate_gift"
PLEDGE_KEY = "amparo_donate_pledge"
DONE_KEY = "amparo_donate_done"


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    initial = request.session.get(GIFT_KEY) or {}
    form = GiftForm(
        request.POST or None,
        initial=initial
        and {
            "amount": initial["amount"],
            "frequency": initial["frequency"],
            "designation": initial["designation"],
        },
    )
    if request.method == "POST" and form.is_valid():
        request.session[GIFT_KEY] = {
            "amount": form.cleaned_data["amount"],
            "frequency": form.cleaned_data["frequency"],
            "designation": form.cleaned_data["designation"] or "",
        }
        return redirect("donate:details")
    return render(
        request,
        "donations/donate_start.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def details(request: HttpRequest) -> HttpResponse:
    gift = request.session.get(GIFT_KEY)
    if not gift:
        return redirect("donate:start")
    form = DonorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        language = (get_language() or "en")[:2]
        try:
            with transaction.atomic():
                donor = None
                if data["name"].strip() or data["email"].strip():
                    donor = donor_create(
                        name=data["name"],
                        email=data["email"],
                        language=language,
                        public_name=data["name"],
                        public_consent=data["public_consent"],
                        by=SYSTEM,
                    )
                designation = (
                    Restriction.objects.filter(slug=gift["designation"]).first()
                    if gift["designation"]
                    else None
                )
                pledge = pledge_start(
                    donor=donor,
                    amount=int(gift["amount"]),
                    currency=fund_currency(),
                    frequency=gift["frequency"],
                    designation=designation,
                    processor=processor().name,
                    by=SYSTEM,
                )
        except ServiceError as exc:
            form_errors_add(form, exc)
        else:
            request.session[PLEDGE_KEY] = str(pledge.pk)
            return redirect(processor().start_checkout(pledge))
    return render(
        request,
        "donations/donate_details.html",
        {"form": form, "gift": gift, "currency": fund_currency()},
        status=400 if request.method == "POST" else 200,
    )


def _pending_pledge(request: HttpRequest) -> Pledge | None:
    pledge_id = request.session.get(PLEDGE_KEY)
    if not pledge_id:
        return None
    return (
        Pledge.objects.filter(pk=pledge_id, status=PledgeStatus.PENDING)
        .select_related("designation")
        .first()
    )


@require_http_methods(["GET", "POST"])
def checkout(request: HttpRequest) -> HttpResponse:
    """The demo processor's hosted checkout page. It asks for no card details."""
    pledge = _pending_pledge(request)
    if pledge is None:
        return redirect("donate:start")
    if request.method == "POST":
        if request.POST.get("action") == "cancel":
            pledge_cancel(pledge=pledge, by=SYSTEM)
            request.session.pop(PLEDGE_KEY, None)
            return redirect("donate:start")
        demo = DemoProcessor()
        gift = pledge_paid(pledge=pledge, processor_ref=demo.confirm(pledge), by=SYSTEM)
        request.session.pop(PLEDGE_KEY, None)
        request.session.pop(GIFT_KEY, None)
        request.session[DONE_KEY] = {
            "amount": gift.amount,
            "currency": gift.currency,
            "frequency": pledge.frequency,
        }
        return redirect("donate:thanks")
    return render(request, "donations/checkout.html", {"pledge": pledge})


@require_GET
def thanks(request: HttpRequest) -> HttpResponse:
    done = request.session.get(DONE_KEY)
    if not done:
        return redirect("donate:start")
    return render(request, "donations/thanks.html", {"done": done})


@require_GET
def transparency_page(request: HttpRequest) -> HttpResponse:
    return render(request, "donations/transparency.html", transparency(today=timezone.localdate()))
