"""The provider's webhooks (signed, CSRF-exempt: no browser posts them) and the staff reply."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from amparo.intake.hooks import request_identity_visible
from amparo.intake.selectors import access_help_request

from .services import inbound_allowed, sms_receive, sms_staff_reply, sms_status_record

logger = logging.getLogger("amparo.sms")


def _signed_url(request: HttpRequest) -> str:
    """The URL Twilio signed: the site's public address (``AMPARO["SITE_URL"]``) and the path,
    the same one configured in Twilio's console and sent as the status callback."""
    return str(settings.AMPARO.get("SITE_URL", "")).rstrip("/") + request.get_full_path()


def signature_valid(request: HttpRequest) -> bool:
    token = getattr(settings, "AMPARO_TWILIO_AUTH_TOKEN", "")
    signature = request.headers.get("X-Twilio-Signature", "")
    if not token or not signature:
        return False
    params = {key: request.POST.get(key, "") for key in request.POST}
    return bool(RequestValidator(token).validate(_signed_url(request), params, signature))


def _twiml(replies: list[str]) -> HttpResponse:
    answer = MessagingResponse()
    for text in replies:
        answer.message(text)
    return HttpResponse(str(answer), content_type="application/xml")


@csrf_exempt  # Twilio posts it, signed; a browser never does
@never_cache
@require_POST
def twilio_inbound(request: HttpRequest) -> HttpResponse:
    if not signature_valid(request):
        logger.warning("sms inbound refused: bad or missing signature")
        return HttpResponseForbidden()
    phone = request.POST.get("From", "")
    if not inbound_allowed(phone):
        logger.warning("sms inbound rate limited")
        return _twiml([])  # Twilio would retry an error; the text is dropped, unanswered
    received = sms_receive(
        phone=phone,
        body=request.POST.get("Body", ""),
        provider_id=request.POST.get("MessageSid", ""),
    )
    return _twiml(received.replies)


@csrf_exempt  # Twilio posts it, signed; a browser never does
@never_cache
@require_POST
def twilio_status(request: HttpRequest) -> HttpResponse:
    if not signature_valid(request):
        return HttpResponseForbidden()
    sms_status_record(
        provider_id=request.POST.get("MessageSid", ""),
        status=request.POST.get("MessageStatus", ""),
        error_code=request.POST.get("ErrorCode", ""),
    )
    return HttpResponse(status=204)


@login_required
@require_POST
def reply(request: HttpRequest, request_id: str) -> HttpResponse:
    user: Any = request.user
    # Whoever may not open the request finds nothing there (404), as on the request page.
    help_request = access_help_request(user, request_id)
    back = reverse("intake:detail", kwargs={"request_id": help_request.pk}) + "#sms-title"
    if not request_identity_visible(user, help_request):
        messages.error(request, _("You may not write to this person."))
        return redirect(back)
    try:
        sms_staff_reply(help_request=help_request, body=request.POST.get("body", ""), by=user)
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
        return redirect(back)
    messages.success(request, _("The text was sent."))
    return redirect(back)
