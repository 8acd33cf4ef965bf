"""The calendar ahead (``/calendar/``, ``/calendar/print/``, ``GET /api/v1/calendar``): hearings
and open deadlines together, scoped by role, overdue first, sorted by date then time."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from amparo.accounts.roles import Role
from amparo.accounts.services import api_token_create
from amparo.cases import services
from amparo.cases.models import Case
from amparo.deadlines.models import CaseDeadline
from amparo.deadlines.selectors import calendar_cases, calendar_items, calendar_range
from tests.clock import FROZEN_TODAY, frozen

pytestmark = [pytest.mark.django_db, frozen]
TODAY = FROZEN_TODAY  # Wednesday, May 13, 2026
DAY = datetime.timedelta(days=1)
URL = "/calendar/"


def text(response: Any) -> str:
    return response.content.decode().replace("&#x27;", "'")


def listed(response: Any) -> str:
    """The page below its filter form (whose case menu names every case)."""
    page = text(response)
    return page[page.index("</form>", page.index('class="calendar-filters"')) :]


def api(user: Any) -> Client:
    _token, raw = api_token_create(user=user, name="calendar")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.fixture
def team(
    org: Any,
    other_org: Any,
    attorney_of: Callable[..., Any],
    admin_of: Callable[..., Any],
    open_case: Callable[..., Case],
) -> dict[str, Any]:
    """Two attorneys of one organization with a case each, and a case of another organization,
    each with a master hearing next week."""
    ana, ben, stranger = attorney_of(org), attorney_of(org), attorney_of(other_org)
    cases = {"ana": open_case(org, ana), "ben": open_case(org, ben)}
    cases["other"] = open_case(other_org, stranger)
    for case, lead in ((cases["ana"], ana), (cases["ben"], ben), (cases["other"], stranger)):
        services.hearing_add(
            case=case, kind="master", date=TODAY + 60 * DAY, time=datetime.time(9), by=lead
        )
    return {"ana": ana, "ben": ben, "admin": admin_of(org), "cases": cases, "stranger": stranger}


def case_ids(user: Any, **query: str) -> set[Any]:
    rows = api(user).get("/api/v1/calendar", query).json()
    return {row["case_id"] for row in rows}


def test_an_attorney_sees_their_cases_and_a_provider_admin_the_whole_organization(
    team: dict[str, Any], client_for: Callable[..., Client], make_user: Callable[..., Any]
) -> None:
    cases = team["cases"]
    far = {"from": (TODAY + 59 * DAY).isoformat(), "to": (TODAY + 61 * DAY).isoformat()}
    assert case_ids(team["ana"], **far) == {str(cases["ana"].pk)}
    assert case_ids(team["admin"], **far) == {str(cases["ana"].pk), str(cases["ben"].pk)}
    page = listed(client_for(team["ana"]).get(URL, far))
    assert cases["ana"].reference in page and cases["ben"].reference not in page
    admin_page = listed(client_for(team["admin"]).get(URL, far))
    assert cases["ana"].reference in admin_page and cases["ben"].reference in admin_page
    assert cases["other"].reference not in admin_page
    # The attorney filter narrows the organization to one attorney's cases.
    only_ben = listed(client_for(team["admin"]).get(URL, {**far, "attorney": team["ben"].pk}))
    assert cases["ben"].reference in only_ben and cases["ana"].reference not in only_ben
    # People without a calendar: the page and the API answer like a missing page.
    for role in (Role.FUND_ADMIN, Role.INTAKE_WORKER, Role.DONOR):
        someone = make_user(role)
        assert client_for(someone).get(URL).status_code == 404
        assert api(someone).get("/api/v1/calendar").status_code == 404


def test_the_range_defaults_to_thirty_days_and_refuses_bad_input_with_a_message() -> None:
    assert calendar_range(None, None, today=TODAY) == calendar_range(
        TODAY.isoformat(), (TODAY + 30 * DAY).isoformat(), today=TODAY
    )
    assert calendar_range("", "2026-07-01", today=TODAY).start == TODAY
    assert calendar_range("", "2026-04-30", today=TODAY).start == datetime.date(2026, 3, 31)
    cases = [
        (("garbage", None), "from", "Enter a real date as year-month-day"),
        (("2026-02-30", None), "from", "Enter a real date as year-month-day"),
        (("2026-06-10", "2026-06-01"), "to", "The end date comes before the start date."),
        (("2026-01-01", "2027-01-02"), "to", "Choose at most 366 days at a time."),
    ]
    for (start, end), field, message in cases:
        with pytest.raises(ValidationError) as refused:
            calendar_range(start, end, today=TODAY)
        assert message in refused.value.message_dict[field][0], (start, end)
    # A full leap year (366 days) is allowed.
    assert calendar_range("2028-01-01", "2028-12-31", today=TODAY).end.year == 2028


@pytest.mark.parametrize(
    ("language", "query", "message"),
    [
        ("en", {"from": "garbage"}, "Enter a real date as year-month-day"),
        ("es", {"from": "garbage"}, "Escriba una fecha real como año-mes-día"),
        ("en", {"from": "2026-06-10", "to": "2026-06-01"}, "The end date comes before"),
        ("es", {"from": "2026-06-10", "to": "2026-06-01"}, "La fecha final es anterior"),
        ("es", {"from": "2026-01-01", "to": "2027-06-01"}, "Elija como máximo 366 días"),
    ],
)
def test_bad_input_on_the_page_and_the_api_says_why_in_the_reader_s_language(
    team: dict[str, Any],
    client_for: Callable[..., Client],
    language: str,
    query: dict[str, str],
    message: str,
) -> None:
    web = client_for(team["ana"])
    web.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    response = web.get(URL, query)
    assert response.status_code == 400 and message in text(response)
    printed = web.get(reverse("deadlines:calendar-print"), query)
    assert printed.status_code == 400 and message in text(printed)
    with translation.override(language):
        refused = api(team["ana"]).get("/api/v1/calendar", query, HTTP_ACCEPT_LANGUAGE=language)
    body = refused.json()
    assert refused.status_code == 422 and message in body["detail"]
    assert body["errors"][0]["field"] in ("from", "to")


def test_overdue_deadlines_come_first_then_the_days_by_date_and_time(
    team: dict[str, Any], client_for: Callable[..., Client]
) -> None:
    ana, case = team["ana"], team["cases"]["ana"]
    # A move 20 days ago: its two notices (5 and 10 days) are overdue, whatever the range.
    services.event_add(case=case, kind="change_of_address", date=TODAY - 20 * DAY, by=ana)
    day = TODAY + 6 * DAY  # Tuesday, May 19
    for hour in (14, 8):
        services.hearing_add(case=case, kind="bond", date=day, time=datetime.time(hour, 30), by=ana)
    services.hearing_add(case=case, kind="bond", date=TODAY + 2 * DAY, time=None, by=ana)
    rows = api(ana).get("/api/v1/calendar", {"to": (TODAY + 10 * DAY).isoformat()}).json()
    moved = CaseDeadline.objects.filter(case=case, rule_id__in=["change-of-address", "ar-11"])
    notices = sorted(d.effective_date.isoformat() for d in moved)
    assert len(notices) == 2 and notices[-1] < TODAY.isoformat()
    assert [(r["kind"], r["date"], r["time"], r["overdue"]) for r in rows] == [
        ("deadline", notices[0], None, True),
        ("deadline", notices[1], None, True),
        ("hearing", "2026-05-15", None, False),
        ("hearing", "2026-05-19", "08:30", False),
        ("hearing", "2026-05-19", "14:30", False),
    ]
    assert set(rows[0]) == {"date", "time", "kind", "case_id", "title", "overdue"}
    assert rows[0]["case_id"] == str(case.pk) and rows[2]["title"] == "Bond hearing"
    moved_on = date_format(TODAY - 20 * DAY, "DATE_FORMAT")
    assert rows[0]["title"].endswith(f"— from “Change of address” on {moved_on}")
    # The same order on the page: the overdue section above the agenda, days in order.
    page = text(client_for(ana).get(URL, {"to": (TODAY + 10 * DAY).isoformat()}))
    positions = [
        page.index(s) for s in ("Overdue</h2>", "Change of address notice", "Agenda</h2>", "8:30")
    ]
    assert positions == sorted(positions) and page.index("8:30") < page.index("2:30")
    # Later deadlines of the range come after today, not among the overdue.
    ahead = calendar_items(
        cases=calendar_cases(user=ana), days=calendar_range(None, None, today=TODAY), today=TODAY
    )
    assert all(i.overdue for i in ahead.overdue) and not any(i.overdue for i in ahead.ahead)
    assert [i.date for i in ahead.ahead] == sorted(i.date for i in ahead.ahead)


def test_the_kind_and_case_filters(team: dict[str, Any], client_for: Callable[..., Client]) -> None:
    admin, cases = team["admin"], team["cases"]
    services.event_add(case=cases["ben"], kind="change_of_address", date=TODAY, by=team["ben"])
    far = {"to": (TODAY + 61 * DAY).isoformat()}
    web = client_for(admin)
    hearings = listed(web.get(URL, {**far, "kind": "hearing"}))
    assert "Master calendar hearing" in hearings and "Change of address notice" not in hearings
    deadlines = listed(web.get(URL, {**far, "kind": "deadline"}))
    assert "Master calendar hearing" not in deadlines and "Change of address notice" in deadlines
    one = listed(web.get(URL, {**far, "case": str(cases["ana"].pk)}))
    assert cases["ana"].reference in one and cases["ben"].reference not in one
    assert "Change of address notice" not in one
    # A case of another organization, or no case at all: a message, nothing listed, no 500.
    for field, value in (("case", str(cases["other"].pk)), ("case", "x"), ("attorney", "9999")):
        response = web.get(URL, {**far, field: value})
        assert response.status_code == 400, value
        assert "Select a valid choice" in text(response)
        assert "Master calendar hearing" not in listed(response)


def test_the_month_grid_puts_each_item_on_its_day(
    team: dict[str, Any], client_for: Callable[..., Client]
) -> None:
    ana, case = team["ana"], team["cases"]["ana"]
    services.hearing_add(
        case=case, kind="individual", date=datetime.date(2026, 6, 17), time=None, by=ana
    )
    web = client_for(ana)
    page = text(web.get(URL, {"from": "2026-06-01", "to": "2026-06-30", "view": "month"}))
    assert '<h2 id="month-1">June 2026</h2>' in page and "July 2026" not in page
    table = page[page.index('class="month-grid"') : page.index("</table>")]
    # English weeks start on Sunday; June 1, 2026 is a Monday: the first row starts empty.
    headers = re.findall(r'<th scope="col">(\w+)</th>', table)
    assert headers == ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    body = table.index("<tbody>")
    first_row = table[body : table.index("</tr>", body)]
    assert first_row.index('class="outside-month"') < first_row.index('day-number">1<')
    cell = table[table.index('day-number">17<') :]
    cell = cell[: cell.index("</td>")]
    assert "Individual (merits) hearing" in cell and case.reference in cell
    assert "Individual (merits) hearing" not in table[: table.index('day-number">17<')]
    # In Spanish the weeks start on Monday and the month has its Spanish name.
    web.defaults["HTTP_ACCEPT_LANGUAGE"] = "es"
    spanish = text(web.get(URL, {"from": "2026-06-01", "to": "2026-06-30", "view": "month"}))
    assert re.findall(r'<th scope="col">(\w+)</th>', spanish)[0].lower().startswith("lu")
    assert "junio de 2026" in spanish.lower()


def test_four_deadlines_of_one_rule_say_which_hearing_they_come_from(
    team: dict[str, Any], client_for: Callable[..., Client]
) -> None:
    ana, case = team["ana"], team["cases"]["ana"]
    for weeks in (16, 10, 14, 12):  # added out of order
        services.hearing_add(
            case=case, kind="individual", date=TODAY + weeks * 7 * DAY, time=None, by=ana
        )
    rows = CaseDeadline.objects.filter(case=case, rule_id="prehearing-filing", is_active=True)
    titles = [r.full_title for r in rows]
    assert len(rows) == 5 and len(set(titles)) == 5
    assert all("from the hearing of" in t for t in titles)
    page = text(client_for(ana).get(reverse("cases:detail", args=[case.pk])))
    shown = re.findall(r"<h3>([^<]*from the hearing of [^<]*)", page)
    assert len(shown) == 5
    by_date = sorted(rows, key=lambda r: (r.effective_date, r.pk))
    assert [t.strip() for t in shown] == [r.full_title for r in by_date]
    for weeks in (16, 10, 14, 12):
        day = date_format(TODAY + weeks * 7 * DAY, "DATE_FORMAT")
        assert sum(f"from the hearing of {day}" in t for t in shown) == 1
    with translation.override("es"):
        assert rows[0].source_text.startswith("de la audiencia del ")


def test_the_printable_view_lists_every_line_without_the_menu(
    team: dict[str, Any], client_for: Callable[..., Client]
) -> None:
    ana, case = team["ana"], team["cases"]["ana"]
    services.event_add(case=case, kind="change_of_address", date=TODAY - 20 * DAY, by=ana)
    response = client_for(ana).get(
        reverse("deadlines:calendar-print"), {"to": (TODAY + 61 * DAY).isoformat()}
    )
    page = text(response)
    assert response.status_code == 200
    body = page[page.index("<tbody>") :]
    assert body.index("(Overdue)") < body.index("Master calendar hearing")
    assert case.reference in body and 'class="calendar-filters"' not in page
    calendar_page = text(client_for(ana).get(URL, {"view": "month"}))
    assert f'href="{reverse("deadlines:calendar-print")}?view=month"' in calendar_page
