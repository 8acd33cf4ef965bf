"""Ask for help by text: the handler the SMS channel calls, and the sweep of silent conversations.

Guarantees:

- one conversation per phone number, found by a blind index of the number (scope
  ``smsintake-conversation``, linkable to nothing else); the number is never stored here;
- the state (answers, language, where it stands) is encrypted under the conversation's own
  subject; nothing personal is in a plain column, a log line or a task argument;
- at the end the request is created by ``help_request_submit``, as ``/help/`` does it (the
  same answers, source, idempotency and status code derivation), so eligibility, triage and
  routing are the same; the reply gives the reference and the status code as the web page
  does;
- the conversation's subject is crypto-shredded, and the row deleted, when the request is
  created, when the person erases it, and after 24 hours of silence (the next text finds it
  stale, or the scheduled sweep does);
- nothing is ever sent from here: the channel sends the replies.
"""

from __future__ import annotations

import datetime
import logging
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from amparo.audit.services import audit_record
from amparo.core.identity import fund_identity
from amparo.core.services import SYSTEM, Actor, is_system, require
from amparo.intake import codes, wizard
from amparo.intake.models import HelpRequest, RequestState, Source
from amparo.intake.services import help_request_submit
from amparo.sms.hooks import Inbound, Outcome
from amparo.vault.blind import digest
from amparo.vault.models import SubjectKind
from amparo.vault.normalize import NormalizationError
from amparo.vault.services import subject_create, subject_shred

from . import conversation, messages
from .models import Conversation

logger = logging.getLogger("amparo.smsintake")

#: A conversation silent this long is abandoned and shredded.
ABANDON_AFTER = datetime.timedelta(hours=24)
INDEX_SCOPE = "smsintake-conversation"

_SPANISH_HINTS = frozenset(
    [
        "hola",
        "necesito",
        "abogado",
        "abogada",
        "ayudenme",
        "quiero",
        "buenas",
        "buenos",
        "dias",
        "tardes",
        "noches",
        "favor",
        "gracias",
        "esposo",
        "esposa",
        "hijo",
        "hija",
        "detenido",
        "detenida",
        "ayudar",
        "ayudeme",
        "informacion",
    ]
)


def phone_index(phone: str) -> str | None:
    """The blind index a conversation is found by; None for what is not a phone number."""
    try:
        return digest(phone, normalizer="phone", scope=INDEX_SCOPE)
    except NormalizationError:
        return None


def _first_language(inbound: Inbound) -> str:
    if inbound.language in messages.LANGUAGE_CODES and inbound.language != "en":
        return inbound.language
    words = set(messages.fold(inbound.body).split())
    return "es" if words & _SPANISH_HINTS else "en"


def _shred(conv: Conversation, *, reason: str, by: Actor = SYSTEM) -> None:
    subject_shred(subject=conv.subject, by=by, reason=reason)
    conv.delete()


def _outcome(replies: list[str], language: str, help_request_id: Any = None) -> Outcome:
    return Outcome(replies=replies, language=language, help_request_id=help_request_id)


def _start(inbound: Inbound, index: str, *, earlier_abandoned: bool) -> Outcome:
    """A first text (or the first after the last conversation ended): greet, or, when the text
    already names a language, begin."""
    language = _first_language(inbound)
    picked = conversation.choose_language(inbound.body, language, by_number=False)
    state: dict[str, Any] = {
        "token": secrets.token_hex(16),
        "lang": picked or language,
        "q": "language",
        "answers": {},
        "history": [],
        "wrong": 0,
    }
    with translation.override(state["lang"]):
        replies = [messages.abandoned()] if earlier_abandoned else []
        if picked:
            replies += conversation.begin(state)
        else:
            replies += [messages.greeting(fund_identity().name), messages.language_menu()]
    subject = subject_create(kind=SubjectKind.CLIENT)
    conv = Conversation.objects.create(
        subject=subject,
        phone_index=index,
        state=state,
        started_at=inbound.received_at,
        last_message_at=inbound.received_at,
    )
    # Its answers change with every text; the start and the shredding are the events.
    audit_record(
        actor=SYSTEM, action="smsintake.conversation.started", obj=conv, fields=["state"],
        reason="text message",
    )  # fmt: skip
    return _outcome(replies, state["lang"])


def _save(conv: Conversation, state: dict[str, Any], inbound: Inbound) -> None:
    conv.state = state
    conv.last_message_at = inbound.received_at
    conv.save(update_fields=["state", "last_message_at"])


def _submit(conv: Conversation, state: dict[str, Any], inbound: Inbound) -> Outcome:
    language = state["lang"]
    again = conversation.ask_again_if_stale(state)
    if again:
        _save(conv, state, inbound)
        return _outcome(again, language)
    answers = conversation.completed_answers(state, inbound.phone)
    if answers is None:  # an earlier answer no longer passes the web form's rules: ask them all
        logger.info("text conversation answers refused at the end; starting again")
        state.update(answers={}, history=[], wrong=0)
        replies = conversation.begin(state)
        _save(conv, state, inbound)
        return _outcome(replies, language)
    status_code = codes.status_code_for_token(state["token"])
    submission = help_request_submit(
        data=wizard.request_data(answers, language=language),
        source=Source.TEXT,
        by=SYSTEM,
        idempotency_key=state["token"],
        status_code=status_code,
    )
    request: HelpRequest = submission.help_request
    hotline = fund_identity().hotline
    replies = [messages.sent(request.reference, status_code)]
    if request.state == RequestState.NOT_ELIGIBLE:
        replies.append(messages.next_not_eligible(hotline))
    elif request.state == RequestState.NEEDS_REVIEW:
        replies.append(messages.next_review())
    else:
        replies.append(messages.next_waiting())
        if request.detained:
            replies.append(messages.next_detained())
    _shred(conv, reason="text conversation ended: help request created")
    return _outcome(replies, language, request.pk)


def conversation_handle(inbound: Inbound) -> Outcome | None:
    """The channel's hand-off (``amparo.sms.hooks.CONVERSATION_HANDLERS``): answer one text.

    Returns None only for a sender that is not a phone number (nothing to key a conversation
    by). Runs in one transaction with the conversation row locked, so two texts from the same
    number arriving together are answered one after the other.
    """
    index = phone_index(inbound.phone)
    if index is None:
        return None
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return _handle(inbound, index)
        except IntegrityError:
            continue  # two first texts at once: the other one created the conversation
    return None


def _handle(inbound: Inbound, index: str) -> Outcome:
    conv = Conversation.objects.select_for_update().filter(phone_index=index).first()
    if conv is not None and inbound.received_at - conv.last_message_at > ABANDON_AFTER:
        _shred(conv, reason="text conversation abandoned after a day of silence")
        return _start(inbound, index, earlier_abandoned=True)
    if conv is None:
        return _start(inbound, index, earlier_abandoned=False)
    state = dict(conv.state)
    with translation.override(state["lang"]):
        if messages.fold(inbound.body) in messages.DELETE_WORDS:
            turn = conversation.Turn(erase=True)
        elif state["q"] == "language":
            picked = conversation.choose_language(inbound.body, state["lang"])
            if picked is None:
                state["wrong"] = state.get("wrong", 0) + 1
                replies = [messages.language_menu()]
                if state["wrong"] >= conversation.WRONG_BEFORE_HOTLINE:
                    replies.append(messages.call_us(fund_identity().hotline))
            else:
                state.update(lang=picked, wrong=0)
                with translation.override(picked):
                    replies = conversation.begin(state)
            turn = conversation.Turn(replies)
        else:
            turn = conversation.advance(state, inbound.body)
        if turn.erase:
            _shred(conv, reason="text conversation erased by the person")
            return _outcome([messages.erased()], state["lang"])
        if turn.submit:
            return _submit(conv, state, inbound)
    _save(conv, state, inbound)
    return _outcome(turn.replies, state["lang"])


def conversations_abandon_stale(*, by: Actor, now: datetime.datetime | None = None) -> int:
    """Shred every conversation silent for :data:`ABANDON_AFTER`; returns how many.

    Who: the scheduler (:data:`~amparo.core.services.SYSTEM`); nobody else holds these.

    Each in its own transaction, locked and checked again, so a text arriving during the sweep
    either comes first (and the conversation lives on) or finds it gone (and starts anew)."""
    require(is_system(by))
    now = now or timezone.now()
    cutoff = now - ABANDON_AFTER
    shredded = 0
    stale = Conversation.objects.filter(last_message_at__lt=cutoff).values_list("pk", flat=True)
    for pk in list(stale):
        with transaction.atomic():
            conv = (
                Conversation.objects.select_for_update()
                .filter(pk=pk, last_message_at__lt=cutoff)
                .select_related("subject")
                .first()
            )
            if conv is not None:
                _shred(conv, by=by, reason="text conversation abandoned after a day of silence")
                shredded += 1
    return shredded
