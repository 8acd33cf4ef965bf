"""Every text the conversation sends, in every language, counted in SMS segments."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from amparo.core.identity import fund_identity
from amparo.sms.segments import is_gsm7
from amparo.sms.segments import segments as count
from amparo.smsintake import conversation
from amparo.smsintake import messages as m

pytestmark = pytest.mark.django_db

#: English: every text must fit one GSM-7 segment of 160 characters.
GSM7_LANGUAGES = ("en",)
#: The others go as GSM-7 in one segment when every character allows it, else (accents outside
#: GSM-7 such as á, ç, È; the Arabic and Cyrillic scripts) as UCS-2 in at most this many
#: segments of 67 characters each.
MAX_UCS2_SEGMENTS = 3

HOTLINE = "(303) 555-0100"


def test_the_counter() -> None:
    assert count("a" * 160).count == 1 and count("a" * 161).count == 2
    assert count("a" * 306).count == 2 and count("a" * 307).count == 3
    assert count("€" * 80) == count("€" * 80) and count("€" * 80).units == 160
    assert count("€" * 81).count == 2  # the euro sign takes two septets
    assert count("è ù ì ò é Ñ ¿ ¡ £").encoding == "GSM-7"
    assert count("á").encoding == "UCS-2" and count("ç").encoding == "UCS-2"
    assert count("ж" * 70).count == 1 and count("ж" * 71).count == 2
    assert count("ж" * 134).count == 2 and count("ж" * 135).count == 3
    assert count("😀" * 35).units == 70 and count("").count == 0


def _every_text(state: dict[str, Any]) -> Iterator[tuple[str, str]]:
    fund = fund_identity().name
    for key in conversation.ORDER:
        yield key, conversation.question(key, state)
    yield "greeting", m.greeting(fund)
    yield "intro", m.intro(state["lang"])
    yield "call_us", m.call_us(HOTLINE)
    yield "call_us_no_number", m.call_us("")
    yield "sent", m.sent("H-7K3Q-9XWD", "ABCD-EFGH-JKMN-PQRS")
    yield "not_eligible", m.next_not_eligible(HOTLINE)
    yield "not_eligible_no_number", m.next_not_eligible("")
    for name, function in inspect.getmembers(m, inspect.isfunction):
        own = function.__module__ == m.__name__ and name != "language_menu"
        if own and not inspect.signature(function).parameters:
            yield name, function()


@pytest.mark.parametrize("language", m.LANGUAGE_CODES)
def test_every_message_fits(policy: Any, language: str) -> None:
    state = {"token": "", "lang": language, "answers": {}, "history": [], "q": "for-whom"}
    seen = 0
    with translation.override(language):
        for name, text in _every_text(state):
            seen += 1
            counted = count(text)
            if language in GSM7_LANGUAGES:
                assert counted.encoding == "GSM-7", (language, name, text)
                assert counted.count == 1, (language, name, counted, text)
            else:
                assert counted.count <= MAX_UCS2_SEGMENTS, (language, name, counted, text)
                if counted.encoding == "GSM-7":
                    assert counted.count == 1, (language, name, counted, text)
    assert seen >= 30


def test_the_language_menu_is_two_segments() -> None:
    # Six scripts in one text: UCS-2 whatever the conversation's language.
    menu = m.language_menu()
    assert not is_gsm7(menu) and count(menu).count == 2


def test_translations_exist_in_every_language(policy: Any) -> None:
    with translation.override("en"):
        english = m.for_whom()
    for language in m.LANGUAGE_CODES[1:]:
        with translation.override(language):
            assert m.for_whom() != english, language


def test_segment_table(policy: Any, capsys: Any) -> None:
    """The count of every message per language, printed for docs/sms-intake.md (-s to see)."""
    totals = {}
    for language in m.LANGUAGE_CODES:
        state = {"token": "", "lang": language, "answers": {}, "history": [], "q": "for-whom"}
        with translation.override(language):
            texts = [text for _name, text in _every_text(state)]
        totals[language] = (
            sum(count(t).count for t in texts),
            max(count(t).count for t in texts),
        )
    print(totals)
    assert totals["en"][1] == 1
