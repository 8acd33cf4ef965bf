"""Issue #14: the new rules answer from case events, the client and the case, and show up on
the case page, the agenda and the calendar feeds. Time frozen at 2026-05-13 (a Wednesday)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from amparo.accounts.services import api_token_create
from amparo.cases import services
from amparo.cases.choices import EventKind
from amparo.cases.models import Case
from amparo.deadlines.models import CaseDeadline, FederalClosure
from amparo.deadlines.rules import FEDERAL_CLOSURES, RULES, VD_ENDS_ON_FILING
from amparo.deadlines.services import (
    CaseTriggers,
    EventTrigger,
    OutcomeTrigger,
    compute_many,
    feed_create,
    plan_deadlines,
)
from tests.clock import FROZEN_TODAY, frozen

pytestmark = [pytest.mark.django_db, frozen]

D = datetime.date
assert D(2026, 5, 13) == FROZEN_TODAY


@pytest.fixture
def lead(org: Any, attorney_of: Callable[..., Any]) -> Any:
    return attorney_of(org)


@pytest.fixture
def case(org: Any, lead: Any, open_case: Callable[..., Case]) -> Case:
    return open_case(org, lead)


def active(case: Case) -> dict[str, CaseDeadline]:
    return {d.rule_id: d for d in CaseDeadline.objects.filter(case=case, is_active=True)}


def add(case: Case, lead: Any, kind: str, day: datetime.date, **extra: Any) -> None:
    services.event_add(case=case, kind=kind, date=day, by=lead, **extra)


# (event kind, date, extra, {rule: due}) -- each due date counted by hand:
EXPECTED: list[tuple[str, datetime.date, dict[str, Any], dict[str, datetime.date]]] = [
    # Granted Fri 2026-05-01 for 60 days at the conclusion: leave by May 1 + 60 = Tue June 30;
    # the bond within 5 business days: May 4, 5, 6, 7, 8 -> Fri May 8.
    (
        "vd_granted",
        D(2026, 5, 1),
        {"vd_days": 60, "vd_stage": "conclusion"},
        {"vd-depart": D(2026, 6, 30), "vd-bond": D(2026, 5, 8)},
    ),
    # Bond ordered Fri May 8: DHS's EOIR-43 within 1 business day -> Mon May 11; its appeal
    # within 10 business days: May 11-15 (5), May 18-22 (10) -> Fri May 22.
    (
        "bond_ordered",
        D(2026, 5, 8),
        {},
        {"bond-stay-notice": D(2026, 5, 11), "bond-stay-appeal": D(2026, 5, 22)},
    ),
    # Referred Wed May 6: credible fear review within 7 days -> Wed May 13.
    ("cf_review_referral", D(2026, 5, 6), {}, {"credible-fear-review": D(2026, 5, 13)}),
    # Referred Mon May 4: reasonable fear review within 10 days -> Thu May 14.
    ("rf_review_referral", D(2026, 5, 4), {}, {"reasonable-fear-review": D(2026, 5, 14)}),
    # Supplement B signed March 31: six months, clamped to September 30 (a Wednesday).
    ("u_cert_signed", D(2026, 3, 31), {}, {"u-cert-expiry": D(2026, 9, 30)}),
    # Judgment Mon May 11: rehearing +45 days -> Thu June 25; certiorari +90 days -> Sun Aug 9,
    # moved to Mon Aug 10.
    (
        "ca_judgment",
        D(2026, 5, 11),
        {},
        {"pfr-rehearing": D(2026, 6, 25), "cert-petition": D(2026, 8, 10)},
    ),
    # Moved Tue May 12: the court's EOIR-33 in 5 days (Sun May 17 -> Mon May 18); DHS's AR-11
    # in 10 days -> Fri May 22.
    (
        "change_of_address",
        D(2026, 5, 12),
        {},
        {"change-of-address": D(2026, 5, 18), "ar-11": D(2026, 5, 22)},
    ),
]


@pytest.mark.parametrize(("kind", "day", "extra", "due"), EXPECTED, ids=[e[0] for e in EXPECTED])
def test_each_new_event_creates_its_deadlines(
    case: Case, lead: Any, kind: str, day: datetime.date, extra: dict[str, Any], due: Any
) -> None:
    add(case, lead, kind, day, **extra)
    rows = active(case)
    assert {rule: rows[rule].due for rule in due} == due
    assert all(rows[rule].source_key.startswith("event:") for rule in due)


def test_vd_before_the_conclusion_has_no_bond_deadline(case: Case, lead: Any) -> None:
    # 120 days from Fri May 1: May 1 + 30 = May 31, + 30 = June 30, + 31 = July 31,
    # + 29 = Sat Aug 29: the last day moves to Mon Aug 31, the calendar shows Fri Aug 28.
    add(case, lead, "vd_granted", D(2026, 5, 1), vd_days=120, vd_stage="pre-conclusion")
    rows = active(case)
    assert (rows["vd-depart"].due, rows["vd-depart"].calendar_date) == (
        D(2026, 8, 31),
        D(2026, 8, 28),
    )
    assert "vd-bond" not in rows


def test_the_vd_maximum_is_refused_with_a_field_error(case: Case, lead: Any) -> None:
    for days, stage in ((61, "conclusion"), (121, "pre-conclusion"), (None, "conclusion")):
        with pytest.raises(ValidationError) as err:
            add(case, lead, "vd_granted", D(2026, 5, 1), vd_days=days, vd_stage=stage)
        assert "vd_days" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        add(case, lead, "vd_granted", D(2026, 5, 1), vd_days=30)
    assert "vd_stage" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        add(case, lead, "contact", D(2026, 5, 1), vd_days=30)
    assert "vd_days" in err.value.message_dict
    assert not case.events.filter(kind="vd_granted").exists()


def test_an_appeal_with_vd_in_force_needs_proof_of_the_bond(case: Case, lead: Any) -> None:
    add(case, lead, "appeal_filed", D(2026, 4, 20))  # before any grant: no proof deadline
    assert "vd-bond-proof-bia" not in active(case)
    add(case, lead, "vd_granted", D(2026, 5, 1), vd_days=60, vd_stage="conclusion")
    # Appeal filed Mon May 4: proof of the bond to the Board within 30 days -> Wed June 3.
    add(case, lead, "appeal_filed", D(2026, 5, 4))
    proofs = CaseDeadline.objects.filter(case=case, rule_id="vd-bond-proof-bia", is_active=True)
    assert [p.due for p in proofs] == [D(2026, 6, 3)]


def test_the_vd_warning_is_on_the_motions_while_the_grant_is_in_force(
    case: Case, lead: Any, client_for: Callable[..., Client]
) -> None:
    services.outcome_record(
        case=case, kind="removal_order", decided_by="ij", decision_date=D(2026, 5, 1), by=lead
    )
    assert not any(VD_ENDS_ON_FILING in n[0] for n in active(case)["ij-reopen"].notes)
    add(case, lead, "vd_granted", D(2026, 5, 1), vd_days=60, vd_stage="conclusion")
    rows = active(case)
    for rule in ("ij-reopen", "ij-reconsider"):
        assert [VD_ENDS_ON_FILING, {}] in rows[rule].notes
    assert not any(n[0] == VD_ENDS_ON_FILING for n in rows["bia-appeal"].notes)
    page = client_for(lead).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "filing a motion to reopen or reconsider" in page
    # Once it ended, the warning goes.
    add(case, lead, "vd_ended", D(2026, 5, 12))
    assert not any(n[0] == VD_ENDS_ON_FILING for n in active(case)["ij-reopen"].notes)


def test_sijs_age_out_is_planned_from_the_date_of_birth(
    org: Any, lead: Any, open_case: Callable[..., Case]
) -> None:
    case = open_case(org, lead, client={"date_of_birth": D(2008, 7, 18)})
    assert "sijs-age-out" not in active(case)  # not seeking SIJS
    services.case_update(case=case, data={"relief_sought": ["sijs"]}, by=lead)
    # The day before the 21st birthday: Tue 2029-07-17.
    row = active(case)["sijs-age-out"]
    assert (row.trigger_date, row.due, row.source_key) == (
        D(2008, 7, 18),
        D(2029, 7, 17),
        "client:date_of_birth",
    )
    services.client_update(case=case, data={"date_of_birth": D(2008, 7, 25)}, by=lead)
    assert active(case)["sijs-age-out"].due == D(2029, 7, 24)


def test_an_unaccompanied_child_is_exempt_from_the_one_year_deadline(case: Case, lead: Any) -> None:
    add(case, lead, "last_arrival", D(2025, 11, 3))
    assert active(case)["asylum-one-year"].due == D(2026, 11, 3)
    services.case_update(case=case, data={"unaccompanied_child": True}, by=lead)
    assert active(case)["asylum-one-year"].due is None


def test_the_memo_key_covers_every_option() -> None:
    day = D(2026, 5, 1)
    decision = OutcomeTrigger(1, "removal_order", "ij", day, False)
    grant = EventTrigger("g", "vd_granted", day, 60, "conclusion")
    plain = CaseTriggers("never_detained", "removal", outcomes=(decision,))
    with_vd = CaseTriggers("never_detained", "removal", outcomes=(decision,), events=(grant,))
    (first, second) = compute_many([plain, with_vd])
    reopen = next(d for d in first if d.rule == "ij-reopen")
    reopen_vd = next(d for d in second if d.rule == "ij-reopen")
    assert VD_ENDS_ON_FILING not in [n.message for n in reopen.notes]
    assert VD_ENDS_ON_FILING in [n.message for n in reopen_vd.notes]
    # Two grants of different lengths on the same day: two different departure dates.
    short = CaseTriggers("never_detained", "removal", events=(grant,))
    long = CaseTriggers(
        "never_detained",
        "removal",
        events=(EventTrigger("h", "vd_granted", day, 30, "conclusion"),),
    )
    departs = [[d.due for d in c if d.rule == "vd-depart"] for c in compute_many([short, long])]
    assert departs == [[D(2026, 6, 30)], [D(2026, 6, 1)]]  # May 1 + 30 = Sun May 31 -> June 1
    # Every option a planned deadline passes to the engine is in its memo key.
    item = next(i for i in plan_deadlines(with_vd) if i.rule_id == "ij-reopen")
    assert item.voluntary_departure and item.memo_key()[2:] == tuple(item.options().values())
    assert len(item.memo_key()) == 2 + len(item.options())


def test_confirmed_nationwide_closures_are_not_business_days(case: Case, lead: Any) -> None:
    shipped = {(c.day, c.scope.value) for c in FEDERAL_CLOSURES}
    assert shipped == set(FederalClosure.objects.values_list("date", "scope"))
    # Bond ordered Wed 2025-01-08: the next business day would be Thu Jan 9, the national day
    # of mourning (a confirmed nationwide closure) -> Fri Jan 10.
    add(case, lead, "bond_ordered", D(2025, 1, 8))
    assert active(case)["bond-stay-notice"].due == D(2025, 1, 10)
    # Unconfirmed closures do not count: a bond ordered Tue 2025-12-23 -> Wed Dec 24 (listed,
    # unconfirmed).
    add(case, lead, "bond_ordered", D(2025, 12, 23))
    notices = CaseDeadline.objects.filter(case=case, rule_id="bond-stay-notice").order_by("due")
    assert [n.due for n in notices] == [D(2025, 1, 10), D(2025, 12, 24)]


def test_the_new_deadlines_show_on_the_case_page_the_agenda_and_the_feeds(
    case: Case, lead: Any, client_for: Callable[..., Client]
) -> None:
    for kind, day, extra, _due in EXPECTED:
        add(case, lead, kind, day, **extra)
    titles = {rule: str(RULES[rule].title) for *_rest, due in EXPECTED for rule in due}
    web = client_for(lead)
    page = web.get(reverse("cases:detail", args=[case.pk])).content.decode().replace("&#x27;", "'")
    assert [rule for rule, title in titles.items() if title not in page] == []
    # The calendar over a range that holds every due date (overdue ones stay on top whatever
    # the range), on the page and through the API, which answer from the same rows.
    dues = [day for *_rest, due in EXPECTED for day in due.values()]
    span = {"from": min(dues).isoformat(), "to": max(dues).isoformat()}
    agenda = web.get(reverse("deadlines:calendar"), span).content.decode().replace("&#x27;", "'")
    assert [rule for rule, title in titles.items() if title not in agenda] == []
    _token, raw_token = api_token_create(user=lead, name="calendar")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw_token}")
    rows = api.get("/api/v1/calendar", span).json()
    listed = " ".join(row["title"] for row in rows if row["kind"] == "deadline")
    assert [rule for rule, title in titles.items() if title not in listed] == []
    by_title = {row["title"]: row["date"] for row in rows if row["kind"] == "deadline"}
    calendar_dates = {d.rule_id: d.calendar_date.isoformat() for d in active(case).values()}
    for rule, title in titles.items():
        assert any(
            title in shown and day == calendar_dates[rule] for shown, day in by_title.items()
        ), rule
    # The calendar feed: every one.
    _feed, raw = feed_create(by=lead, scope="attorney", name="Phone")
    events = Calendar.from_ical(Client().get(reverse("deadlines:feed", args=[raw])).content)
    summaries = " ".join(str(e["SUMMARY"]) for e in events.walk() if e.name == "VEVENT")
    assert [rule for rule, title in titles.items() if title not in summaries] == []


def test_the_credible_fear_event_asks_for_the_date_the_clock_runs_from() -> None:
    # 8 CFR 1003.42(e): "in no case later than 7 days after the date the supervisory asylum
    # officer has approved the asylum officer's negative credible fear determination" -- the
    # event's label asks for that approval, not a later referral date.
    label = str(EventKind.CF_REVIEW_REFERRAL.label)
    assert "approved by the supervisor" in label
    assert "supervisory asylum officer's approval" in str(RULES["credible-fear-review"].trigger)
