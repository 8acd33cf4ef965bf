"""Ask for help by text: whole conversations, re-asks, BACK, erase, resume and abandonment."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from amparo.audit.models import AuditEvent
from amparo.core.services import SYSTEM
from amparo.intake import codes
from amparo.intake.models import HelpRequest, RequestState
from amparo.smsintake.models import Conversation
from amparo.smsintake.services import conversations_abandon_stale, phone_index
from amparo.vault.models import Subject
from tests.clock import FROZEN_TODAY, frozen

from .helpers import Phone

pytestmark = [pytest.mark.django_db, frozen]

NAME = "Rosa Elvira Quispe Huamán"
A_NUMBER = "A-212-345-678"
HEARING = FROZEN_TODAY + datetime.timedelta(days=10)
HEARING_TEXT = f"{HEARING.day} {HEARING.month} {HEARING.year}"


def _answers(phone: Phone, language_choice: str) -> list[list[str]]:
    """A family member asks for a detained person, in the language of ``language_choice``."""
    said = [phone.text("hello")]
    said.append(phone.text(language_choice))  # the language
    for answer in ("2", NAME, "1", "1", A_NUMBER, HEARING_TEXT, "1", "80203", "4", "3", "1", "2"):
        said.append(phone.text(answer))
    return said


def test_a_whole_conversation_in_english_creates_the_request(policy: Any, phone: Phone) -> None:
    said = _answers(phone, "1")
    assert "reply with the number of your language" in said[0][0]
    assert "1 English 2 Español" in said[0][1]
    assert HelpRequest.objects.count() == 0  # nothing before consent
    assert Conversation.objects.count() == 1
    last = phone.text("1")  # consent
    request = HelpRequest.objects.get()
    assert phone.outcomes[-1].help_request_id == request.pk
    assert request.name == NAME and request.a_number == A_NUMBER
    assert request.source == "text"  # staff see it came by text, not the online form
    assert request.custody == "detained" and request.next_hearing == HEARING
    assert request.phone == phone.number and request.contact_method == "phone"
    assert request.spoken_language == "en" and not request.needs_interpreter
    assert request.language == "en" and request.household_size == 4
    found = re.search(r"Reference: (H-[A-Z0-9-]+)\nPrivate status code: ([A-Z0-9-]+)\n", last[0])
    assert found is not None, last
    assert found[1] == request.reference
    assert codes.status_code_matches(found[2], request.status_code_hash)
    assert re.fullmatch(r"[A-Z0-9]{4}(-[A-Z0-9]{4}){3}", found[2])  # as the web page shows it
    assert request.state == RequestState.WAITING
    assert "front of the line" in last[2]
    # The conversation is gone and its envelope shredded, both audited (names, never values).
    assert Conversation.objects.count() == 0
    shredded = Subject.objects.get(shredded_at__isnull=False)
    assert AuditEvent.objects.filter(action="smsintake.conversation.started").count() == 1
    event = AuditEvent.objects.get(action="vault.subject.shredded", object_id=str(shredded.pk))
    assert event.fields == ["smsintake.conversation.state"]


def _web_request(client: Client, phone_number: str) -> HelpRequest:
    """The same answers through /help/, in Spanish."""

    def go(slug: str, data: dict[str, Any]) -> None:
        response = client.post(f"/help/q/{slug}/", data, HTTP_ACCEPT_LANGUAGE="es")
        assert response.status_code == 302, response.content.decode()[:2000]

    assert client.post("/help/", {}, HTTP_ACCEPT_LANGUAGE="es").status_code == 302
    go("for-whom", {"for_whom": "family"})
    go("name", {"name": NAME})
    go("detained", {"custody": "detained"})
    go("facility", {"facility": "Front Range Processing Center"})
    go("a-number", {"a_number": "A-412-345-678"})
    go(
        "hearing",
        {
            "next_hearing_day": HEARING.day,
            "next_hearing_month": HEARING.month,
            "next_hearing_year": HEARING.year,
            "court": "",
        },
    )
    go("missed", {"missed": "no"})
    go("deadline", {"deadline_kind": ""})
    go("where", {"zip_code": "80203", "county": ""})
    go("household", {"household_size": "4"})
    go("income", {"income_band": "25k_35k"})
    go("language", {"spoken_language": "es", "needs_interpreter": "yes"})
    go("contact", {"contact_method": "phone", "phone": phone_number})
    page = client.get("/help/check/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    token = re.search(r'name="token" value="([0-9a-f]+)"', page)
    assert token is not None
    done = client.post(
        "/help/check/", {"token": token[1], "consent": "on"}, HTTP_ACCEPT_LANGUAGE="es"
    )
    assert done.status_code == 302
    return HelpRequest.objects.exclude(source="").order_by("-created_at").first()  # type: ignore[return-value]


def test_a_whole_conversation_in_spanish_matches_the_web_form(policy: Any, phone: Phone) -> None:
    first = phone.text("Hola, necesito un abogado para mi esposo")
    assert "responda con el número de su idioma" in first[0]  # greeted in Spanish
    said = [phone.text("2")]
    assert "ATRAS" in said[0][0] and "BORRAR" in said[0][0]
    # A different A-number from the web request below, so neither is flagged as the other's
    # duplicate; everything else the same.
    for answer in ("2", NAME, "1", "1", "A-312-345-678", HEARING_TEXT, "1", "80203", "4", "3"):
        said.append(phone.text(answer))
    said.append(phone.text("1"))  # the language: Spanish
    said.append(phone.text("2"))  # no message about immigration
    last = phone.text("1")
    assert last[0].startswith("Solicitud enviada")
    created = phone.outcomes[-1].help_request_id
    assert created is not None
    by_text = HelpRequest.objects.get(pk=created)
    assert by_text.language == "es" and by_text.spoken_language == "es"
    assert by_text.needs_interpreter and by_text.phone == phone.number
    assert not by_text.safe_to_leave_message

    by_web = _web_request(Client(), phone.number)
    assert by_web.pk != by_text.pk
    for name in (
        "custody", "facility", "next_hearing", "zip_code", "county", "household_size",
        "income_low_cents", "income_high_cents", "spoken_language", "needs_interpreter",
        "eligibility", "eligibility_reasons", "priority", "priority_reasons", "practice_area",
        "state", "for_whom", "contact_method", "language", "missed_hearing",
    ):  # fmt: skip
        assert getattr(by_text, name) == getattr(by_web, name), name
    assert (by_text.source, by_web.source) == ("text", "public")  # the door each came through
    assert by_text.possible_duplicate_of_id is None


def test_wrong_answers_are_asked_again_then_the_hotline_is_offered(
    policy: Any, phone: Phone, settings: Any
) -> None:
    settings.AMPARO = {**settings.AMPARO, "HOTLINE": "(303) 555-0100"}
    phone.text("hi")
    phone.text("1")
    again = phone.text("7")  # who needs a lawyer: only 1 or 2
    assert again[0] == "Sorry, I did not understand. Please reply with one of the numbers."
    assert again[1].startswith("Who needs a lawyer?")
    phone.text("yes")
    third = phone.text("maybe")
    assert third[-1] == "If texting is hard, call us at (303) 555-0100."
    phone.text("1")  # myself
    phone.text(NAME)
    phone.text("2")  # not detained: no facility question
    bad = phone.text("A-12")
    assert bad == [
        "That does not look like an A-number: it has 8 or 9 digits, like A-012-345-678. "
        "Reply 0 if you do not know it."
    ]
    assert phone.text("0")[0].startswith("When is the next")  # skipped
    passed = FROZEN_TODAY - datetime.timedelta(days=3)
    assert phone.text(f"{passed.day} {passed.month} {passed.year}")[0].startswith("Please write")
    assert phone.text("31 2 2027")[0].startswith("Please write")  # no such day
    phone.text("0")
    phone.text("4")  # missed: do not know
    assert phone.text("0") == ["Please write a 5-digit ZIP code, like 80203."]  # not detained
    assert phone.text("802") == ["Please write a 5-digit ZIP code, like 80203."]
    phone.text("80203")
    assert phone.text("31") == ["Please reply with a number from 1 to 30."]
    phone.text("1")
    assert phone.text("9")[0].startswith("Sorry")  # only 7 income answers
    phone.text("7")  # do not know
    assert phone.text("Klingon")[0].startswith("Sorry, I do not know that language.")
    assert phone.text("K'iche'")[0].startswith("Is it safe")  # a language by its name
    phone.text("1")
    phone.text("1")
    request = HelpRequest.objects.get()
    assert request.spoken_language == "quc" and request.needs_interpreter
    assert request.a_number == "" and request.next_hearing is None
    assert request.income_low_cents is None and request.safe_to_leave_message


def test_back_changes_the_last_answer(policy: Any, phone: Phone) -> None:
    phone.text("hello")
    assert phone.text("BACK")[0].startswith("1 English")  # back to the language menu
    phone.text("1")
    phone.text("2")
    assert phone.text("back")[0].startswith("Who needs a lawyer?")
    phone.text("1")
    phone.text(NAME)
    phone.text("1")
    assert phone.text("Atrás")[0].startswith("Is the person detained")  # any language's word
    assert phone.text("2")[0].startswith("What is the A-number?")  # no facility now


def test_delete_erases_and_shreds(policy: Any, phone: Phone) -> None:
    phone.text("hello")
    phone.text("1")
    phone.text("1")
    phone.text(NAME)
    conv = Conversation.objects.get()
    assert phone.text("DELETE") == [
        "Your answers are erased. Text this number again any time to start over."
    ]
    assert not Conversation.objects.exists()
    assert Subject.objects.get(pk=conv.subject_id).is_shredded
    assert phone.text("hello")[0].endswith("reply with the number of your language:")


def test_a_conversation_resumes_after_a_pause(policy: Any, phone: Phone) -> None:
    phone.text("hello")
    phone.text("1")
    phone.text("1")
    phone.text(NAME)
    phone.wait(datetime.timedelta(hours=23))
    assert phone.text("1")[0].startswith("Where is the person detained? 1 Front Range")
    assert Conversation.objects.count() == 1


def test_a_conversation_silent_for_a_day_is_abandoned_on_the_next_text(
    policy: Any, phone: Phone
) -> None:
    phone.text("hello")
    phone.text("2")  # Spanish
    phone.text("1")
    subject = Conversation.objects.get().subject_id
    phone.wait(datetime.timedelta(hours=24, minutes=1))
    replies = phone.text("1")
    assert replies[0].startswith("Sus respuestas anteriores se borraron")
    assert replies[1].startswith("Amparo")  # greeted again, in the language last used
    assert Subject.objects.get(pk=subject).is_shredded
    assert Conversation.objects.get().subject_id != subject


def test_the_sweep_abandons_silent_conversations(policy: Any, time_machine: Any) -> None:
    silent, talking = Phone("+13035550101"), Phone("+13035550102")
    silent.text("hello")
    silent.text("1")
    time_machine.shift(datetime.timedelta(hours=20))
    talking.at = silent.at + datetime.timedelta(hours=20)
    talking.text("hello")
    time_machine.shift(datetime.timedelta(hours=4, minutes=1))
    old = Conversation.objects.get(phone_index=phone_index(silent.number)).subject_id
    assert conversations_abandon_stale(by=SYSTEM) == 1
    assert Subject.objects.get(pk=old).is_shredded
    assert list(Conversation.objects.values_list("phone_index", flat=True)) == [
        phone_index(talking.number)
    ]


def test_the_state_is_encrypted_at_rest(policy: Any, phone: Phone) -> None:
    phone.text("hello")
    phone.text("1")
    for answer in ("2", NAME, "1", "1", A_NUMBER, HEARING_TEXT):
        phone.text(answer)
    conv = Conversation.objects.get()
    assert conv.state["answers"]["name"] == {"name": NAME}  # readable through the vault
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM smsintake_conversation")
        raw = b"".join(
            bytes(v) if isinstance(v, bytes | memoryview) else str(v).encode()
            for v in cursor.fetchone()
        )
    for secret in (NAME, "Quispe", "212345678", "212-345-678", HEARING.isoformat(), "detained"):
        assert secret.encode() not in raw, secret
    for form in (phone.number, phone.number[2:], phone.number[-4:]):
        assert form.encode() not in raw  # the number is not stored, only its blind index
    assert conv.phone_index == phone_index("(303) " + phone.number[5:8] + "-" + phone.number[8:])


def test_a_first_text_naming_a_language_begins_in_it(policy: Any, phone: Phone) -> None:
    replies = phone.text("Português")
    assert replies[0].startswith("Seguem algumas perguntas") and "VOLTAR" in replies[0]
    assert replies[1].startswith("Quem precisa de advogado?")
    assert phone.outcomes[-1].language == "pt"


def test_a_portuguese_conversation_creates_a_request_in_portuguese(
    policy: Any, phone: Phone
) -> None:
    phone.text("oi")
    assert phone.text("3")[1].startswith("Quem precisa")
    for answer in ("1", NAME, "2", "0", "0", "1", "80010", "2", "1"):
        phone.text(answer)
    assert phone.text("1")[0].startswith("É seguro")  # 1 = Português, the conversation's
    phone.text("1")
    last = phone.text("1")
    assert last[0].startswith("Pedido enviado")
    request = HelpRequest.objects.get()
    assert request.language == "pt" and request.spoken_language == "pt"
    assert request.custody == "never_detained" and request.zip_code == "80010"


def test_delete_at_the_language_menu_and_wrong_menu_answers(
    policy: Any, phone: Phone, settings: Any
) -> None:
    settings.AMPARO = {**settings.AMPARO, "HOTLINE": "(303) 555-0100"}
    phone.text("hello")
    assert phone.text("9") == [
        "1 English 2 Español 3 Português 4 Français 5 Kreyòl 6 العربية 7 Русский"
    ]
    phone.text("x")
    assert phone.text("?")[-1] == "If texting is hard, call us at (303) 555-0100."
    assert phone.text("borrar")[0].startswith("Your answers are erased")
    assert not Conversation.objects.exists()


def test_answers_that_went_stale_before_consent_are_asked_again(
    policy: Any, phone: Phone, time_machine: Any
) -> None:
    phone.text("hello")
    phone.text("1")
    today = f"{FROZEN_TODAY.day} {FROZEN_TODAY.month} {FROZEN_TODAY.year}"
    for answer in ("1", NAME, "2", "0", today, "1", "80203", "1", "1", "1", "1"):
        phone.text(answer)
    time_machine.shift(datetime.timedelta(hours=20))  # the hearing day is over
    phone.wait(datetime.timedelta(hours=20))
    assert phone.text("1")[0].startswith("Please write the date of the next hearing")
    assert HelpRequest.objects.count() == 0
    assert phone.text("0")[0].startswith("We use your answers only")  # then consent again
    phone.text("1")
    assert HelpRequest.objects.get().next_hearing is None


def test_the_scheduled_task_runs_the_sweep(policy: Any, phone: Phone, time_machine: Any) -> None:
    from amparo.smsintake.tasks import abandon_stale_conversations

    phone.text("hello")
    time_machine.shift(datetime.timedelta(hours=25))
    assert abandon_stale_conversations.call() == {"abandoned": 1}
    assert not Conversation.objects.exists()


def test_a_number_known_to_speak_arabic_is_greeted_in_arabic(policy: Any) -> None:
    phone = Phone("+13035550150", language="ar")  # the channel's last known language
    greeting = phone.text("مرحبا")
    assert "يجد محامي هجرة مجانيين" in greeting[0]
    assert phone.text("العربية")[1].startswith("من يحتاج محامياً؟")  # by the language's name
    assert phone.text("٣")[0].startswith("عذراً")  # only 1 or 2 here
    assert phone.text("٢")[0].startswith("ما الاسم الكامل")  # Arabic-Indic digits are numbers
    phone.text(NAME)
    phone.text("٢")
    assert phone.text("A-٢١٢-٣٤٥-٦٧٨")[0].startswith("متى الجلسة")
    assert phone.outcomes[-1].language == "ar"
    assert Conversation.objects.get().state["answers"]["a-number"] == {"a_number": "A-212-345-678"}


ODD = ["", " ", "\x00", "٠", "1" * 500, "<b>x</b>", "😀", "A-000-000-000", "0 0 0", "-1", "1.5",
       "31 12 9999", "NaN", "1e3", "%(fund)s", "STOPP", "¿?"]  # fmt: skip
FREE_OR_ZERO = ("name", "facility", "a-number", "hearing", "where")


def test_odd_texts_at_every_question_are_asked_again_and_change_nothing(
    policy: Any, phone: Phone
) -> None:
    phone.text("hello")
    answers = ["1", "2", NAME, "1", "1", A_NUMBER, HEARING_TEXT, "1", "80203", "4", "3", "1", "2"]
    for answer in answers:
        before = Conversation.objects.get().state
        for odd in ODD:
            replies = phone.text(odd)
            assert replies and all(replies), (before["q"], odd)
            after = Conversation.objects.get().state
            if after["answers"] != before["answers"]:  # a name, or 0 where 0 is an answer
                assert before["q"] in FREE_OR_ZERO, (before["q"], odd)
                phone.text("BACK")
        phone.text(answer)
    assert HelpRequest.objects.count() == 0
    phone.text("1")
    assert HelpRequest.objects.count() == 1
