"""Writes of the text channel: receive a text, send one, opt out and in, link, shred.

Guarantees:

- :func:`sms_receive` stores a provider's message once (``MessageSid`` unique): the second
  delivery of the same webhook changes nothing and answers nothing.
- A number that texted STOP gets the confirmation once, then nothing at all (no reply, no
  reminder, no status text, no staff reply) until it texts START.
- The number is never stored in clear: a blind index (:data:`models.NUMBER_SCOPE`) finds it,
  the number itself is encrypted on each message, under the subject of the request it belongs
  to, of the client a reminder went to, or of the message alone (shredded after a day).
"""

from __future__ import annotations

import datetime
import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from amparo.audit.reads import audit_read
from amparo.audit.services import audit_record
from amparo.core.hooks import hook_register
from amparo.core.ratelimit import bucket_for, check, configured_rates
from amparo.core.services import SYSTEM, Actor, ServiceError, is_system, require
from amparo.intake import codes
from amparo.intake import hooks as intake_hooks
from amparo.intake.explain import public_status
from amparo.intake.models import HelpRequest, RequestState
from amparo.vault.digests import digest
from amparo.vault.models import Subject, SubjectKind
from amparo.vault.normalize import NormalizationError, normalize_phone
from amparo.vault.services import subject_create, subject_shred

from . import texts
from .hooks import CONVERSATION_HANDLERS, Inbound, Outcome
from .keywords import Keyword, keyword_of
from .models import (
    NUMBER_SCOPE,
    UNLINKED_RETENTION,
    DeliveryStatus,
    Direction,
    Kind,
    SmsMessage,
    SmsNumber,
)
from .providers import SmsError, get_sms_backend
from .quiet import in_quiet_hours, quiet_hours_end

logger = logging.getLogger("amparo.sms")

#: Per number, unless ``settings.AMPARO_RATE_LIMITS["sms-inbound"]`` says otherwise.
INBOUND_RATES = {"per_number": "10/m", "per_number_day": "200/d"}
#: Kinds of message that belong to the number's conversation (linked to a request once it
#: exists); reminders and status texts are already under their person's subject.
CONVERSATION_KINDS = (Kind.CONVERSATION, Kind.KEYWORD, Kind.STATUS)
_CODE = re.compile(rf"^(?:H([{codes.ALPHABET}]{{8}}))?([{codes.ALPHABET}]{{16}})$")


def _language(code: str) -> str:
    known = {c for c, _name in settings.LANGUAGES}
    return code if code in known else "en"


# --- numbers -------------------------------------------------------------------------------


def number_index(phone: str) -> str | None:
    """The blind index of ``phone`` in this channel, or None if it is not a phone number."""
    try:
        return digest(phone, normalizer="phone", scope=NUMBER_SCOPE)
    except NormalizationError:
        return None


def number_opted_out(phone: str) -> bool:
    index = number_index(phone)
    return bool(
        index and SmsNumber.objects.filter(number_index=index, opted_out_at__isnull=False).exists()
    )


def _number(index: str, now: datetime.datetime) -> SmsNumber:
    number, _created = SmsNumber.objects.select_for_update().get_or_create(
        number_index=index, defaults={"updated_at": now}
    )
    return number


def inbound_allowed(phone: str) -> bool:
    """Count one text from ``phone`` against its limits (a keyed hash of the number)."""
    index = number_index(phone) or "invalid"
    rates = configured_rates("sms-inbound", **INBOUND_RATES)
    return check(
        "sms-inbound", [(bucket_for(kind, index), rate) for kind, rate in rates.items()]
    ).allowed


# --- messages ------------------------------------------------------------------------------


def _message(
    *,
    direction: str,
    kind: str,
    phone: str,
    body: str,
    now: datetime.datetime,
    subject: Subject | None = None,
    help_request: HelpRequest | None = None,
    provider_id: str = "",
    status: str = "",
    sent_by: Any = None,
) -> SmsMessage:
    if subject is None:
        subject = help_request.subject if help_request else subject_create(kind=SubjectKind.CLIENT)
    return SmsMessage.objects.create(
        subject=subject,
        direction=direction,
        kind=kind,
        phone=phone,
        body=body,
        provider_id=provider_id,
        delivery_status=status,
        help_request=help_request,
        sent_by=sent_by if sent_by is not None and not is_system(sent_by) else None,
        created_at=now,
        updated_at=now,
    )


@dataclass
class Received:
    """What :func:`sms_receive` did: the replies to answer with (TwiML), in order."""

    replies: list[str] = field(default_factory=list)
    duplicate: bool = False
    stored: bool = False


def sms_receive(
    *, phone: str, body: str, provider_id: str, now: datetime.datetime | None = None
) -> Received:
    """Take one text a person sent: store it once, answer keywords and status codes, offer
    anything else to the conversation handlers, remember the number's language, store replies."""
    now = now or timezone.now()
    try:
        phone = normalize_phone(phone)
    except NormalizationError:
        return Received()
    index = number_index(phone)
    if index is None:
        return Received()
    body = (body or "").strip()[:1600]
    with transaction.atomic():
        try:
            with transaction.atomic():
                inbound = _message(
                    direction=Direction.INBOUND,
                    kind=Kind.CONVERSATION,
                    phone=phone,
                    body=body,
                    now=now,
                    provider_id=provider_id[:64],
                    status=DeliveryStatus.RECEIVED,
                )
        except IntegrityError:
            return Received(duplicate=True)
        number = _number(index, now)
        replies, kind, language, request_id = _answer(number, phone, body, now)
        if kind != Kind.CONVERSATION:
            inbound.kind = kind
            inbound.save(update_fields=["kind"])
        if language and language != number.language:
            number.language = language
        number.updated_at = now
        number.save(update_fields=["language", "updated_at", "opted_out_at"])
        for text in replies:
            _message(
                direction=Direction.OUTBOUND,
                kind=kind,
                phone=phone,
                body=text,
                now=now,
                status=DeliveryStatus.REPLIED,
            )
        if request_id is not None:
            sms_link(number_index=index, help_request_id=request_id, now=now)
    return Received(replies=replies, stored=True)


def _answer(
    number: SmsNumber, phone: str, body: str, now: datetime.datetime
) -> tuple[list[str], str, str, uuid.UUID | None]:
    """(replies, the inbound's kind, the number's language now, a request to link)."""
    language = _language(number.language)
    found = keyword_of(body)
    if number.opted_out_at is not None and not (found and found[0] == Keyword.START):
        return [], Kind.KEYWORD if found else Kind.CONVERSATION, language, None  # silence
    if found is not None:
        keyword, said_in = found
        language = _language(said_in or language)
        if keyword == Keyword.STOP:
            number.opted_out_at = now
            return [texts.stop_text(language)], Kind.KEYWORD, language, None
        if keyword == Keyword.START:
            number.opted_out_at = None
            return [texts.start_text(language)], Kind.KEYWORD, language, None
        return [texts.help_text(language)], Kind.KEYWORD, language, None
    code = _CODE.match(codes.normalize_code(body))
    if code is not None:
        return [_status_reply(code[1], code[2], language)], Kind.STATUS, language, None
    inbound = Inbound(phone=phone, body=body, language=language, received_at=now)
    for handler in CONVERSATION_HANDLERS:
        outcome: Outcome | None = handler(inbound)
        if outcome is not None:
            return (
                list(outcome.replies),
                Kind.CONVERSATION,
                _language(outcome.language),
                outcome.help_request_id,
            )
    return [texts.help_text(language)], Kind.CONVERSATION, language, None


def _status_reply(reference: str | None, code: str, language: str) -> str:
    """The request's status as the status page shows it (its heading and sentence, in the
    request's language, as the page), or "not found". A reference, if given, must match too."""
    found = HelpRequest.objects.filter(status_code_hash=codes.status_code_hash(code)).first()
    if found is not None and reference and found.reference != codes.normalize_reference(reference):
        found = None
    if found is None:
        return texts.unknown_code_text(language)
    with translation.override(found.language or language):
        title, sentence = public_status(found.state, purged=found.purged_at is not None)
        return texts.status_text(title, sentence)


def sms_link(*, number_index: str, help_request_id: uuid.UUID, now: datetime.datetime) -> int:
    """Attach the number's unlinked conversation of the past 24 hours to the request: each
    message is re-encrypted under the request's subject (shredded with it) and the message's
    own subject is shredded."""
    request = HelpRequest.objects.select_related("subject").filter(pk=help_request_id).first()
    if request is None:
        return 0
    rows = list(
        SmsMessage.objects.select_related("subject").filter(
            phone_index=number_index,
            help_request__isnull=True,
            kind__in=CONVERSATION_KINDS,
            created_at__gte=now - datetime.timedelta(hours=24),
        )
    )
    for row in rows:
        old = row.subject
        phone, body = row.phone, row.body
        row.subject = request.subject
        row.help_request = request
        row.phone, row.body = phone, body
        row.save()
        if old.pk != request.subject_id:
            subject_shred(subject=old, by=SYSTEM, reason="text message linked to its request")
    return len(rows)


# --- sending -------------------------------------------------------------------------------


def sms_deliver(*, message_id: uuid.UUID) -> SmsMessage | None:
    """Hand one stored outbound message to the adapter; record what it answered."""
    row = SmsMessage.objects.select_related("subject").filter(pk=message_id).first()
    if row is None or row.delivery_status not in (DeliveryStatus.QUEUED, DeliveryStatus.DEFERRED):
        return row
    now = timezone.now()
    if number_opted_out(row.phone):
        row.delivery_status = DeliveryStatus.SKIPPED
    else:
        backend = get_sms_backend()
        try:
            row.provider_id = backend.send(to=row.phone, body=row.body)[:64]
        except SmsError as exc:
            row.delivery_status, row.error_code = DeliveryStatus.FAILED, exc.code[:16]
            logger.warning("sms %s failed: %s", row.pk, exc.code)
        else:
            row.delivery_status = (
                DeliveryStatus.QUEUED if backend.reports_delivery else DeliveryStatus.SENT
            )
    row.updated_at = now
    row.save(update_fields=["provider_id", "delivery_status", "error_code", "updated_at"])
    return row


def sms_send(
    *,
    phone: str,
    body: str,
    kind: str,
    by: Actor,
    subject: Subject | None = None,
    help_request: HelpRequest | None = None,
    quiet_hours: bool = True,
    now: datetime.datetime | None = None,
) -> SmsMessage:
    """Store an outbound text and send it once the caller's transaction commits (or, in quiet
    hours, when they end: ``sms_send_deferred``). Refuses a number that opted out
    (``SmsError("opted-out")``) and stores nothing then."""
    now = now or timezone.now()
    phone = normalize_phone(phone)
    if number_opted_out(phone):
        raise SmsError("opted-out")
    deferred = quiet_hours and in_quiet_hours(now)
    row = _message(
        direction=Direction.OUTBOUND,
        kind=kind,
        phone=phone,
        body=body,
        now=now,
        subject=subject,
        help_request=help_request,
        status=DeliveryStatus.DEFERRED if deferred else DeliveryStatus.QUEUED,
        sent_by=by,
    )
    if deferred:
        row.send_after = quiet_hours_end(now)
        row.save(update_fields=["send_after"])
    else:
        transaction.on_commit(lambda: sms_deliver(message_id=row.pk))
    return row


def sms_send_now(*, phone: str, body: str, kind: str, subject: Subject) -> SmsMessage:
    """Send at once (the caller checked quiet hours and opt-out) and return the row; raises
    ``SmsError`` when the adapter refused. Hearing reminders use it."""
    if number_opted_out(phone):
        raise SmsError("opted-out")
    row = _message(
        direction=Direction.OUTBOUND,
        kind=kind,
        phone=phone,
        body=body,
        now=timezone.now(),
        subject=subject,
        status=DeliveryStatus.QUEUED,
    )
    row = sms_deliver(message_id=row.pk) or row
    if row.delivery_status == DeliveryStatus.FAILED:
        raise SmsError(row.error_code or "failed")
    if row.delivery_status == DeliveryStatus.SKIPPED:
        raise SmsError("opted-out")
    return row


def sms_send_deferred(*, now: datetime.datetime | None = None) -> int:
    """Send the messages quiet hours held back, once they are over."""
    now = now or timezone.now()
    if in_quiet_hours(now):
        return 0
    due = SmsMessage.objects.filter(
        delivery_status=DeliveryStatus.DEFERRED, send_after__lte=now
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        sms_deliver(message_id=pk)
        sent += 1
    return sent


#: Called with (provider id, status, error code) after a delivery status was recorded.
ON_DELIVERY_STATUS: list[Callable[[str, str, str], None]] = []


def sms_status_record(*, provider_id: str, status: str, error_code: str = "") -> bool:
    """Record a provider's delivery status on the outbound message it names."""
    status = (status or "").lower()
    if not provider_id or status not in {s.value for s in DeliveryStatus}:
        return False
    updated = SmsMessage.objects.filter(
        direction=Direction.OUTBOUND, provider_id=provider_id[:64]
    ).update(delivery_status=status, error_code=error_code[:16], updated_at=timezone.now())
    for hook in ON_DELIVERY_STATUS:
        hook(provider_id, status, error_code)
    return bool(updated)


# --- staff ---------------------------------------------------------------------------------


def _request_phone(help_request: HelpRequest) -> str:
    # No join on the subject: most requests never texted (a web submission asks this inside
    # its own transaction), and the key is fetched only when there is a number to decrypt.
    latest = (
        SmsMessage.objects.filter(help_request=help_request, direction=Direction.INBOUND)
        .order_by("-created_at")
        .first()
    )
    return latest.phone if latest is not None else ""


def sms_staff_reply(*, help_request: HelpRequest, body: str, by: Actor) -> SmsMessage:
    """A staff member answers the person who texted about ``help_request``. The caller fetched
    the request for ``by`` (``access_help_request``). Audited; refused, translated, when the
    person texted STOP or never texted."""
    require(not is_system(by) and bool(by.is_authenticated))
    body = (body or "").strip()
    if not body:
        raise ServiceError({"body": [ServiceError(_("Write the message to send."))]})
    if len(body) > 480:
        raise ServiceError({"body": [ServiceError(_("Keep the message under 480 characters."))]})
    if help_request.purged_at is not None:
        raise ServiceError(_("This request's data was deleted."))
    phone = _request_phone(help_request)
    if not phone:
        raise ServiceError(_("This person has not texted us about this request."))
    if number_opted_out(phone):
        raise ServiceError(
            _(
                "This person texted STOP: no text can be sent to them until they text START. "
                "Reach them another way."
            )
        )
    with transaction.atomic():
        row = sms_send(
            phone=phone,
            body=body,
            kind=Kind.STAFF,
            by=by,
            help_request=help_request,
            quiet_hours=False,  # a person writes it now, and sees it leave
        )
        audit_record(
            actor=by,
            action="sms.staff_reply.sent",
            obj=help_request,
            fields=["sms_message.phone", "sms_message.body"],
            reason="text reply from the request page",
        )
    return row


def conversation_section(user: Any, help_request: HelpRequest) -> dict[str, Any]:
    """The request page's text conversation, for a user who may see who the person is (the
    intake view calls this hook only then). The read is audited."""
    rows = list(
        SmsMessage.objects.filter(help_request=help_request)
        .select_related("subject", "sent_by")
        .order_by("created_at")
    )
    if not rows:
        return {}
    phone = next((r.phone for r in reversed(rows) if r.direction == Direction.INBOUND), "")
    audit_read(
        actor=user,
        obj=help_request,
        fields=["sms_message.phone", "sms_message.body"],
        reason="text conversation on the request page",
    )
    return {
        "sms_messages": rows,
        "sms_opted_out": bool(phone) and number_opted_out(phone),
        "sms_can_reply": bool(phone),
    }


# --- status changes and retention -----------------------------------------------------------


def _on_waiting(help_request: HelpRequest, created: bool) -> None:
    # A request created waiting has no text conversation yet (the text intake links its
    # messages to the request after it is created): there is nobody to tell, and no lookup.
    if not created:
        _status_changed(help_request, RequestState.WAITING)


def _on_closed(help_request: HelpRequest, _now: datetime.datetime) -> None:
    _status_changed(help_request, RequestState.CLOSED)  # called before the state is written


def _status_changed(help_request: HelpRequest, state: str) -> None:
    """Tell a person who wrote to us by text that their request moved (the status page's
    words, in the request's language); quiet hours hold it, STOP silences it."""
    if help_request.purged_at is not None:
        return
    phone = _request_phone(help_request)
    if not phone or number_opted_out(phone):
        return
    with translation.override(_language(help_request.language)):
        title, sentence = public_status(state)
        body = texts.status_text(title, sentence)
    sms_send(
        phone=phone,
        body=body,
        kind=Kind.STATUS_CHANGE,
        by=SYSTEM,
        help_request=help_request,
    )


def sms_purge_unlinked(*, now: datetime.datetime | None = None) -> int:
    """Shred and delete the messages older than a day that belong to no request."""
    now = now or timezone.now()
    rows = list(
        SmsMessage.objects.filter(
            help_request__isnull=True,
            kind__in=CONVERSATION_KINDS,
            created_at__lt=now - UNLINKED_RETENTION,
        ).select_related("subject")
    )
    for row in rows:
        with transaction.atomic():
            subject = row.subject
            row.delete()
            subject_shred(subject=subject, by=SYSTEM, reason="unlinked text message retention")
    return len(rows)


def sms_hooks_register() -> None:
    hook_register(intake_hooks.ON_WAITING, _on_waiting)
    hook_register(intake_hooks.ON_CLOSED, _on_closed)
    hook_register(intake_hooks.DETAIL_SECTIONS, conversation_section)
