"""Payment processors: the donate page hands off to one; no card data ever touches Amparo.

A processor hosts the checkout page. ``start_checkout`` returns the address to send the donor
to; the processor later tells us the payment went through (a webhook in a real adapter), and we
record the gift with :func:`amparo.donations.services.pledge_paid`. Recurring pledges are
charged by the processor from the payment method it keeps (``charge``).

``DemoProcessor`` simulates a hosted checkout page on our own server (``/donate/checkout/``):
it asks for no card number and takes no money. A real adapter (Stripe Checkout, PayPal, ...)
implements the same three methods and is named in ``AMPARO["PAYMENT_PROCESSOR"]``.
"""

from __future__ import annotations

import uuid
from typing import Protocol

from django.conf import settings
from django.urls import reverse
from django.utils.module_loading import import_string

from .models import Pledge


class PaymentProcessor(Protocol):
    name: str

    def start_checkout(self, pledge: Pledge) -> str:
        """Where to send the donor to pay (the processor's hosted page)."""

    def confirm(self, pledge: Pledge) -> str:
        """The processor's reference of a completed payment of ``pledge``."""

    def charge(self, pledge: Pledge) -> str:
        """Charge a due recurring pledge; returns the payment reference ('' if declined)."""


class DemoProcessor:
    """A stand-in processor whose "hosted page" is ``/donate/checkout/`` on our own server."""

    name = "demo"

    def start_checkout(self, pledge: Pledge) -> str:
        return reverse("donate:checkout")

    def confirm(self, pledge: Pledge) -> str:
        return f"demo-{pledge.pk.hex[:12]}-{uuid.uuid4().hex[:8]}"

    def charge(self, pledge: Pledge) -> str:
        return f"demo-{pledge.pk.hex[:12]}-{uuid.uuid4().hex[:8]}"


def processor() -> PaymentProcessor:
    path = settings.AMPARO.get("PAYMENT_PROCESSOR", "amparo.donations.processors.DemoProcessor")
    return import_string(str(path))()  # type: ignore[no-any-return]


def processor_named(name: str) -> PaymentProcessor:
    current = processor()
    if current.name == name:
        return current
    if name == DemoProcessor.name:
        return DemoProcessor()
    raise LookupError(f"no payment processor {name!r} is configured")
