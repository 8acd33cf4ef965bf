"""Calendar feeds (secret, revocable, no client names by default) and the deadline agenda."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from amparo.audit.models import AuditEvent
from amparo.cases import services
from amparo.cases.models import Case
from amparo.deadlines.models import CalendarFeed
from amparo.deadlines.services import feed_create, feed_revoke
from tests.clock import FROZEN_TODAY, frozen

pytestmark = [pytest.mark.django_db, frozen]
TODAY = FROZEN_TODAY
DAY = datetime.timedelta(days=1)
NAME = "Rosa Elena Martínez"


@pytest.fixture
def world(
    org: Any, attorney_of: Callable[..., Any], open_case: Callable[..., Case]
) -> dict[str, Any]:
    lead = attorney_of(org)
    case = open_case(org, lead, client={"name": NAME})
    services.hearing_add(
        case=case, kind="individual", date=TODAY + 40 * DAY, time=datetime.time(8, 30), by=lead
    )
    services.outcome_record(
        case=case, kind="removal_order", decided_by="ij", decision_date=TODAY - 2 * DAY, by=lead
    )
    return {"lead": lead, "case": case}


def parse(body: bytes) -> Calendar:
    return Calendar.from_ical(body)


def test_a_feed_lists_hearings_and_deadlines_with_initials_not_names(world: dict[str, Any]) -> None:
    lead, case = world["lead"], world["case"]
    feed, raw = feed_create(by=lead, scope="attorney", name="Work phone")
    assert raw not in feed.digest and CalendarFeed.digest_of(raw) == feed.digest
    response = Client().get(reverse("deadlines:feed", args=[raw]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert "Rosa" not in body and "Martínez" not in body and "Mart" not in body
    events = [c for c in parse(response.content).walk() if c.name == "VEVENT"]
    summaries = [str(e["SUMMARY"]) for e in events]
    assert any(
        s.startswith("Individual (merits) hearing") and f"{case.reference} · R. E." in s
        for s in summaries
    )
    assert any("Appeal of an immigration judge's decision to the BIA" in s for s in summaries)
    appeal = next(e for e in events if "Appeal" in str(e["SUMMARY"]))
    assert "8 CFR 1003.38(b)-(c)" in str(appeal["DESCRIPTION"])
    assert appeal.decoded("DTSTART") == case.deadlines.get(rule_id="bia-appeal").effective_date
    event = AuditEvent.objects.filter(action="read", object_id=str(feed.pk)).get()
    assert event.actor_id == lead.pk and event.fields == ["client.initials"]


def test_full_names_only_when_the_owner_turned_them_on(world: dict[str, Any]) -> None:
    _feed, raw = feed_create(by=world["lead"], scope="attorney", name="Desk", include_names=True)
    body = Client().get(reverse("deadlines:feed", args=[raw])).content.decode()
    assert NAME in body.replace("\r\n ", "")


def test_a_revoked_or_unknown_token_is_404_and_a_revoked_assignment_empties_the_feed(
    world: dict[str, Any], org: Any, admin_of: Callable[..., Any]
) -> None:
    lead, case = world["lead"], world["case"]
    feed, raw = feed_create(by=lead, scope="attorney", name="Phone")
    url = reverse("deadlines:feed", args=[raw])
    assert case.reference in Client().get(url).content.decode()
    assignment = case.assignments.get(user=lead)
    services.team_revoke(assignment=assignment, by=admin_of(org))
    after = Client().get(url)
    assert after.status_code == 200 and case.reference not in after.content.decode()
    feed_revoke(feed=feed, by=lead)
    assert Client().get(url).status_code == 404
    assert Client().get(reverse("deadlines:feed", args=["cal_" + "x" * 43])).status_code == 404


def test_organization_feeds_are_for_those_who_see_every_case(
    world: dict[str, Any], org: Any, admin_of: Callable[..., Any], attorney_of: Callable[..., Any]
) -> None:
    with pytest.raises(ValidationError):
        feed_create(by=attorney_of(org), scope="organization", name="All", organization=org)
    _feed, raw = feed_create(by=admin_of(org), scope="organization", name="All", organization=org)
    assert (
        world["case"].reference
        in Client().get(reverse("deadlines:feed", args=[raw])).content.decode()
    )


def test_the_feeds_page_shows_the_address_once_and_revokes(
    world: dict[str, Any], client_for: Callable[..., Client], fund_settings: dict[str, str]
) -> None:
    web = client_for(world["lead"])
    sent = web.post(reverse("deadlines:feeds"), {"name": "Phone", "scope": "attorney"})
    assert sent.status_code == 302 and sent["Location"] == reverse("deadlines:feeds")
    body = web.get(sent["Location"]).content.decode()
    assert "https://fondo.amparo.test/calendar/feeds/cal_" in body
    feed = CalendarFeed.objects.get()
    assert "/calendar/feeds/cal_" not in web.get(reverse("deadlines:feeds")).content.decode()
    bad = web.post(reverse("deadlines:feeds"), {"name": "", "scope": "organization"})
    assert bad.status_code == 400 and CalendarFeed.objects.count() == 1
    web.post(reverse("deadlines:feed-revoke", args=[feed.pk]))
    feed.refresh_from_db()
    assert not feed.is_active


def test_the_agenda_shows_due_soon_and_overdue_per_attorney_and_organization(
    world: dict[str, Any],
    org: Any,
    admin_of: Callable[..., Any],
    open_case: Callable[..., Case],
    client_for: Callable[..., Client],
) -> None:
    from amparo.deadlines.selectors import agenda_for

    lead = world["lead"]
    late = open_case(org, lead)
    services.event_add(case=late, kind="change_of_address", date=TODAY - 20 * DAY, by=lead)
    services.event_add(case=world["case"], kind="change_of_address", date=TODAY - DAY, by=lead)
    plan = agenda_for(user=lead)
    # A move starts two clocks: the court's EOIR-33 (5 days) and DHS's AR-11 (10 days).
    assert sorted((d.rule_id, d.case_id) for d in plan.mine_overdue) == [
        ("ar-11", late.pk),
        ("change-of-address", late.pk),
    ]
    # (the AR-11 of yesterday's move is due in 9 days: not yet "due soon")
    assert [(d.rule_id, d.case_id) for d in plan.mine_due] == [
        ("change-of-address", world["case"].pk)
    ]
    admin_plan = agenda_for(user=admin_of(org))
    assert admin_plan.organizations and admin_plan.organizations[0]["overdue"]
    page = client_for(lead).get(reverse("deadlines:calendar"))
    assert page.status_code == 200 and "Change of address notice" in page.content.decode()
    dashboard = client_for(lead).get(reverse("core:dashboard"))
    assert "My deadlines and hearings" in dashboard.content.decode()
