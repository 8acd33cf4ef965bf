"""The inbound webhook: signature, once per MessageSid, rate limit, keywords, status codes,
the conversation hand-off and its linking, the delivery-status callback."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone, translation

from amparo.intake.explain import public_status
from amparo.sms import hooks
from amparo.sms.models import DeliveryStatus, Direction, Kind, SmsMessage, SmsNumber
from amparo.sms.services import number_index, sms_purge_unlinked
from amparo.vault.models import Subject
from tests.clock import FROZEN_NOW, frozen

from .conftest import Post, replies, sign

pytestmark = [pytest.mark.django_db, frozen]


def test_an_unsigned_or_wrongly_signed_text_gets_403_and_nothing_is_stored(text_in: Post) -> None:
    assert text_in("HELP", signed=False).status_code == 403
    assert text_in("HELP", signature="bm90IGEgc2lnbmF0dXJl").status_code == 403
    other = sign("/sms/twilio/inbound/", {"From": "+17205550123", "Body": "HELP"}, "other")
    assert text_in("HELP", signature=other).status_code == 403
    assert SmsMessage.objects.count() == 0 and SmsNumber.objects.count() == 0


def test_a_signed_text_is_stored_encrypted_and_answered(text_in: Post) -> None:
    answer = replies(text_in("HELP"))
    assert len(answer) == 1 and "720-555-0100" in answer[0] and "STOP" in answer[0]
    inbound = SmsMessage.objects.get(direction=Direction.INBOUND)
    assert inbound.body == "HELP" and inbound.phone == "+17205550123"
    raw = SmsMessage.objects.filter(pk=inbound.pk).values_list("body", "phone").get()
    assert b"HELP" not in bytes(raw[0]) and b"5550123" not in bytes(raw[1])
    number = SmsNumber.objects.get()
    assert number.number_index == number_index("(720) 555-0123") and "0123" not in str(
        number.number_index
    )


def test_the_same_message_sid_is_processed_once(text_in: Post) -> None:
    assert len(replies(text_in("AYUDA", sid="SM" + "a" * 32))) == 1
    assert replies(text_in("AYUDA", sid="SM" + "a" * 32)) == []
    assert SmsMessage.objects.filter(direction=Direction.INBOUND).count() == 1
    assert SmsMessage.objects.filter(direction=Direction.OUTBOUND).count() == 1


def test_each_number_is_rate_limited(text_in: Post, settings: Any) -> None:
    settings.AMPARO_RATE_LIMITS = {"sms-inbound": {"per_number": "3/m"}}
    for _ in range(3):
        assert len(replies(text_in("HELP"))) == 1
    assert replies(text_in("HELP")) == []  # the fourth in the minute: dropped, nothing stored
    assert SmsMessage.objects.filter(direction=Direction.INBOUND).count() == 3
    assert len(replies(text_in("HELP", phone="+17205550199"))) == 1  # another number is free


@pytest.mark.parametrize(
    ("word", "language", "expected"),
    [
        ("HELP", "en", "free legal help"),
        ("help", "en", "free legal help"),
        ("Info", "en", "free legal help"),
        ("AYUDA", "es", "ayuda legal gratuita"),
        ("ayúda!", "es", "ayuda legal gratuita"),
    ],
)
def test_help_keywords(text_in: Post, word: str, language: str, expected: str) -> None:
    answer = replies(text_in(word))
    assert expected in answer[0]
    assert SmsNumber.objects.get().language == language


@pytest.mark.parametrize(
    ("stop", "start", "stopped", "started"),
    [
        ("STOP", "START", "no more texts", "on again"),
        ("stopall", "unstop", "no more texts", "on again"),
        ("ALTO", "COMENZAR", "No recibirá más", "de nuevo"),
        ("Parar", "comenzar", "No recibirá más", "de nuevo"),
    ],
)
def test_stop_is_confirmed_once_then_silence_until_start(
    text_in: Post, stop: str, start: str, stopped: str, started: str
) -> None:
    assert stopped in replies(text_in(stop))[0]
    assert replies(text_in(stop)) == []  # confirmed once
    assert replies(text_in("HELP")) == []
    assert replies(text_in("hola, necesito ayuda")) == []
    assert SmsNumber.objects.get().opted_out_at is not None
    assert started in replies(text_in(start))[0]
    assert SmsNumber.objects.get().opted_out_at is None
    assert len(replies(text_in("HELP"))) == 1


@pytest.mark.parametrize("word", ["CANCEL", "END", "QUIT", "UNSUBSCRIBE", "alto."])
def test_every_stop_word_opts_out(text_in: Post, word: str) -> None:
    text_in(word)
    assert SmsNumber.objects.get().opted_out_at is not None


def test_yes_is_not_start(text_in: Post) -> None:
    text_in("STOP")
    assert replies(text_in("YES")) == []
    assert SmsNumber.objects.get().opted_out_at is not None


def test_a_status_code_gets_the_status_page_words_in_the_requests_language(
    text_in: Post, submit: Any
) -> None:
    submission = submit(language="es")
    request = submission.help_request
    with translation.override("es"):
        title, body = public_status(request.state)
    answer = replies(text_in(submission.status_code.lower().replace("-", " ")))
    assert answer == [f"{title}. {body}" if not title.endswith(".") else f"{title} {body}"]
    assert request.reference not in answer[0]
    with_reference = replies(text_in(f"{request.reference} {submission.status_code}"))
    assert with_reference == answer
    wrong = replies(text_in("H-2222-2222 " + submission.status_code))
    assert "no request" in wrong[0]
    assert SmsMessage.objects.filter(help_request__isnull=False).count() == 0  # nothing linked


def test_the_status_reply_is_what_the_status_page_shows(text_in: Post, submit: Any) -> None:
    submission = submit(language="es")
    client = Client()
    client.post(
        "/help/status/",
        {"reference": submission.help_request.reference, "code": submission.status_code},
    )
    page = client.get("/help/status/result/").content.decode()
    answer = replies(text_in(submission.status_code))[0]
    title, _sep, rest = answer.partition(". ")
    assert f"<h1>{title}</h1>" in page or f"<h1>{title}.</h1>" in page
    assert f'<p class="lead">{rest}</p>' in page


def test_an_unknown_code_says_so(text_in: Post) -> None:
    assert "no request" in replies(text_in("2345-6789-ABCD-EFGH"))[0]


def test_other_texts_go_to_the_conversation_handlers_and_link_the_request(
    text_in: Post, submit: Any
) -> None:
    request = submit().help_request
    seen: list[hooks.Inbound] = []

    def declines(inbound: hooks.Inbound) -> hooks.Outcome | None:
        seen.append(inbound)
        return None

    def answers(inbound: hooks.Inbound) -> hooks.Outcome | None:
        if inbound.body == "listo":
            return hooks.Outcome(replies=["Gracias."], language="es", help_request_id=request.pk)
        return hooks.Outcome(replies=["¿Cómo se llama?", "(2/8)"], language="es")

    hooks.CONVERSATION_HANDLERS[:] = [declines, answers]
    try:
        assert replies(text_in("hola")) == ["¿Cómo se llama?", "(2/8)"]
        assert seen[0].phone == "+17205550123" and seen[0].body == "hola"
        assert seen[0].language == "en"
        assert SmsNumber.objects.get().language == "es"
        assert replies(text_in("listo")) == ["Gracias."]
        assert seen[1].language == "es"
    finally:
        hooks.CONVERSATION_HANDLERS.clear()
    linked = SmsMessage.objects.filter(help_request=request)
    assert linked.count() == 5  # two texts in, three replies
    assert {m.subject_id for m in linked} == {request.subject_id}
    assert [m.body for m in linked.filter(direction=Direction.INBOUND)] == ["hola", "listo"]
    # each message's own key was shredded once it moved under the request's
    assert Subject.objects.filter(shredded_at__isnull=False).count() == 5


def test_no_handler_answers_with_help(text_in: Post) -> None:
    hooks.CONVERSATION_HANDLERS.clear()  # the conftest puts the apps' handlers back
    assert "free legal help" in replies(text_in("what is this?"))[0]


def test_unlinked_messages_are_shredded_after_a_day_linked_ones_with_their_request(
    text_in: Post, submit: Any
) -> None:
    text_in("HELP")
    assert sms_purge_unlinked(now=timezone.now() + datetime.timedelta(hours=23)) == 0
    assert sms_purge_unlinked(now=timezone.now() + datetime.timedelta(hours=25)) == 2
    assert SmsMessage.objects.count() == 0
    assert SmsNumber.objects.count() == 1  # the language and any STOP stay (no number in it)


def test_messages_are_shredded_with_their_request(text_in: Post, submit: Any) -> None:
    from amparo.core.services import SYSTEM
    from amparo.intake.services import help_request_purge

    request = submit().help_request
    hooks.CONVERSATION_HANDLERS[:] = [
        lambda i: hooks.Outcome(replies=["ok"], help_request_id=request.pk)
    ]
    try:
        text_in("hola")
    finally:
        hooks.CONVERSATION_HANDLERS.clear()
    help_request_purge(help_request=request, by=SYSTEM, reason="retention")
    row = SmsMessage.objects.filter(help_request=request).select_related("subject").first()
    assert row is not None and row.is_shredded and row.phone_index is None


def test_a_status_change_is_texted_to_a_person_who_wrote_by_text(
    text_in: Post, submit: Any, make_user: Any, sms_settings: list[Any]
) -> None:
    from amparo.accounts.roles import Role
    from amparo.intake.services import help_request_close

    request = submit(language="es").help_request
    hooks.CONVERSATION_HANDLERS[:] = [
        lambda i: hooks.Outcome(replies=["ok"], language="es", help_request_id=request.pk)
    ]
    try:
        text_in("hola")
    finally:
        hooks.CONVERSATION_HANDLERS.clear()
    worker = make_user(role=Role.INTAKE_WORKER)
    with time_machine.travel(FROZEN_NOW.replace(hour=11), tick=False), django_capture_on_commit():
        help_request_close(help_request=request, by=worker)
    with translation.override("es"):
        title, body = public_status("closed")
    assert [m.body for m in sms_settings] == [f"{title}. {body}"]
    assert sms_settings[0].to == "+17205550123"
    sent = SmsMessage.objects.get(kind=Kind.STATUS_CHANGE)
    assert sent.help_request_id == request.pk and sent.delivery_status == DeliveryStatus.SENT


def test_a_status_change_waits_for_quiet_hours_and_stop_silences_it(
    text_in: Post, submit: Any, make_user: Any, sms_settings: list[Any]
) -> None:
    from amparo.accounts.roles import Role
    from amparo.intake.services import help_request_close
    from amparo.sms.services import sms_send_deferred

    first, second = submit().help_request, submit().help_request
    for request, phone in ((first, "+17205550123"), (second, "+17205550124")):
        hooks.CONVERSATION_HANDLERS[:] = [
            lambda i, r=request: hooks.Outcome(replies=["ok"], help_request_id=r.pk)
        ]
        try:
            text_in("hola", phone=phone)
        finally:
            hooks.CONVERSATION_HANDLERS.clear()
    text_in("STOP", phone="+17205550124")
    worker = make_user(role=Role.INTAKE_WORKER)
    night = FROZEN_NOW.replace(hour=22)
    with time_machine.travel(night, tick=False), django_capture_on_commit():
        help_request_close(help_request=first, by=worker)
        help_request_close(help_request=second, by=worker)
    assert sms_settings == []
    held = SmsMessage.objects.get(kind=Kind.STATUS_CHANGE)
    assert held.delivery_status == DeliveryStatus.DEFERRED and held.help_request_id == first.pk
    assert sms_send_deferred(now=night + datetime.timedelta(hours=1)) == 0
    assert sms_send_deferred(now=night + datetime.timedelta(hours=11)) == 1
    assert len(sms_settings) == 1 and sms_settings[0].to == "+17205550123"


def django_capture_on_commit() -> Any:
    """Run on_commit callbacks at the end of the block (the test's transaction never commits)."""
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


def test_the_status_callback_records_delivery(submit: Any, db: Any) -> None:
    from amparo.sms.services import sms_deliver, sms_send

    request = submit().help_request
    with time_machine.travel(FROZEN_NOW.replace(hour=12), tick=False):
        row = sms_send(
            phone="+17205550123",
            body="x",
            kind=Kind.STATUS_CHANGE,
            by=_system(),
            help_request=request,
        )
        sms_deliver(message_id=row.pk)
    row.refresh_from_db()
    assert row.delivery_status == DeliveryStatus.SENT and row.provider_id
    path = "/sms/twilio/status/"
    for status in ("queued", "sent", "delivered"):
        params = {"MessageSid": row.provider_id, "MessageStatus": status}
        unsigned = Client().post(path, params)
        assert unsigned.status_code == 403
        signed = Client().post(path, params, HTTP_X_TWILIO_SIGNATURE=sign(path, params))
        assert signed.status_code == 204
        row.refresh_from_db()
        assert row.delivery_status == status
    params = {"MessageSid": row.provider_id, "MessageStatus": "undelivered", "ErrorCode": "30005"}
    Client().post(path, params, HTTP_X_TWILIO_SIGNATURE=sign(path, params))
    row.refresh_from_db()
    assert row.delivery_status == "undelivered" and row.error_code == "30005"


def _system() -> Any:
    from amparo.core.services import SYSTEM

    return SYSTEM
