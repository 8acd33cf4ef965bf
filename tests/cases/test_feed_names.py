"""Finding 10 of issue #15: a feed's name with a line break answered 500; now the form refuses
such names and every feed escapes the name it carries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from amparo.cases.models import Case
from amparo.core.services import ServiceError
from amparo.deadlines.feeds import feed_name_clean
from amparo.deadlines.models import CalendarFeed
from tests.clock import frozen

pytestmark = [pytest.mark.django_db, frozen]

EVIL = "Work\r\nBEGIN:VEVENT\r\nSUMMARY:injected\nEND:VEVENT"


@pytest.fixture
def lead(org: Any, attorney_of: Callable[..., Any], open_case: Callable[..., Case]) -> Any:
    lead = attorney_of(org)
    open_case(org, lead)
    return lead


def test_a_stored_name_with_line_breaks_is_escaped_in_the_feed(lead: Any) -> None:
    # A row stored before names were checked: the feed still answers, with the name escaped.
    raw = "cal_" + "x" * 40
    CalendarFeed.objects.create(
        owner=lead, scope="attorney", name=EVIL, digest=CalendarFeed.digest_of(raw), hint="xxxxxx"
    )
    response = Client().get(reverse("deadlines:feed", args=[raw]))
    assert response.status_code == 200
    body = response.content.decode().replace("\r\n ", "")  # unfolded
    assert "SUMMARY:injected" not in body.split("\r\n")
    assert body.split("\r\n").count("BEGIN:VEVENT") == len(
        Calendar.from_ical(response.content).events
    )
    assert "X-WR-CALNAME:Amparo — Work\\nBEGIN:VEVENT\\nSUMMARY:injected\\nEND:VEVENT" in body


@pytest.mark.parametrize("name", [EVIL, "Phone\rx", "a\tb", "a\x1bb", "a\u2028b"])
def test_the_feeds_form_refuses_control_characters_in_the_name(
    lead: Any, client_for: Callable[..., Client], name: str
) -> None:
    page = client_for(lead).post(reverse("deadlines:feeds"), {"name": name, "scope": "attorney"})
    assert page.status_code == 400
    assert "Write the name on one line" in page.content.decode()
    assert not CalendarFeed.objects.exists()


def test_the_name_rule_is_a_service_error_on_the_name_field() -> None:
    with pytest.raises(ServiceError) as refused:
        feed_name_clean("a\nb")
    assert list(refused.value.message_dict) == ["name"]
    assert feed_name_clean("  Work phone ") == "Work phone"
