"""Staff lists (amparo.core.lists): filters in the URL change the rows, only whitelisted sorts
apply, pages keep the filters, a bad date gets its message and an unfiltered list, and a CSV
download holds exactly the rows the page shows, for the roles that may have it."""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client

from amparo.accounts.roles import Role
from amparo.audit.models import AuditEvent
from amparo.core.terms import Custody
from amparo.donations.services import gift_record
from amparo.grants.models import Application, RoundStatus
from amparo.intake import views as intake_views
from amparo.intake.models import HelpRequest
from tests.clock import FROZEN_NOW, FROZEN_TODAY
from tests.factories import OrganizationFactory, grant_application, open_round

pytestmark = pytest.mark.django_db

REF = re.compile(r"H-[A-Z0-9-]+")


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(FROZEN_NOW, tick=False):
        yield


def refs(response: Any) -> list[str]:
    """The request references of a queue page's table, in order."""
    return [row["request"].reference for row in response.context["rows"]]


def csv_rows(response: Any) -> list[dict[str, str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


@pytest.fixture
def queue(submit: Any) -> dict[str, HelpRequest]:
    """Three open requests: detained (highest priority), released, never detained; the never
    detained one arrived ten days ago."""
    detained = submit().help_request
    released = submit(custody=Custody.RELEASED, facility="").help_request
    free = submit(custody=Custody.NEVER_DETAINED, facility="", next_hearing=None).help_request
    HelpRequest.objects.filter(pk=free.pk).update(
        created_at=FROZEN_NOW - datetime.timedelta(days=10)
    )
    return {"detained": detained, "released": released, "free": free}


def test_queue_filters_in_the_url_change_the_rows(
    queue: dict[str, HelpRequest], make_user: Any, client_for: Any
) -> None:
    web = client_for(make_user(Role.INTAKE_WORKER))
    page = web.get("/intake/")
    everyone = refs(page)
    assert '<option value="" selected>Open (3)</option>' in page.content.decode()
    assert '<option value="closed">Closed (0)</option>' in page.content.decode()
    assert sorted(everyone) == sorted(r.reference for r in queue.values())
    assert refs(web.get("/intake/", {"custody": "released"})) == [queue["released"].reference]
    top = queue["detained"].priority
    assert queue["free"].priority < top
    assert queue["detained"].reference in refs(web.get("/intake/", {"min_priority": top}))
    assert queue["free"].reference not in refs(web.get("/intake/", {"min_priority": top}))
    since = (FROZEN_TODAY - datetime.timedelta(days=2)).isoformat()
    assert queue["free"].reference not in refs(web.get("/intake/", {"date_from": since}))
    until = (FROZEN_TODAY - datetime.timedelta(days=5)).isoformat()
    assert refs(web.get("/intake/", {"date_to": until})) == [queue["free"].reference]
    assert refs(web.get("/intake/", {"state": "closed"})) == []


def test_queue_sorts_only_by_whitelisted_columns(
    queue: dict[str, HelpRequest], make_user: Any, client_for: Any
) -> None:
    web = client_for(make_user(Role.INTAKE_WORKER))
    default = refs(web.get("/intake/"))
    assert default[0] == queue["detained"].reference  # most urgent first
    oldest_first = refs(web.get("/intake/", {"sort": "received"}))
    assert oldest_first[0] == queue["free"].reference
    assert refs(web.get("/intake/", {"sort": "-received"}))[-1] == queue["free"].reference
    for bad in ("name_token", "-a_number", "priority;drop", ""):
        response = web.get("/intake/", {"sort": bad})
        assert response.status_code == 200 and refs(response) == default


def test_queue_pages_keep_the_filters_and_say_where_you_are(
    submit: Any, make_user: Any, client_for: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(intake_views, "QUEUE_PAGE_SIZE", 2)
    for _ in range(5):
        submit()
    submit(custody=Custody.NEVER_DETAINED, facility="", next_hearing=None)
    web = client_for(make_user(Role.INTAKE_WORKER))
    first = web.get("/intake/", {"custody": "detained"})
    html = first.content.decode()
    assert "Page 1 of 3" in html
    assert '<nav aria-label="Pages of the list"' in html and 'aria-current="page"' in html
    assert "custody=detained&amp;page=2" in html
    seen = []
    for number in (1, 2, 3):
        page = web.get("/intake/", {"custody": "detained", "page": number})
        assert f"Page {number} of 3" in page.content.decode()
        seen += refs(page)
    detained = HelpRequest.objects.filter(custody=Custody.DETAINED)
    assert sorted(seen) == sorted(r.reference for r in detained) and len(set(seen)) == 5


@pytest.mark.parametrize(("language", "words"), [("en", "Enter a valid date"), ("es", "fecha")])
def test_a_bad_date_gets_a_message_beside_the_field_and_the_list_is_unfiltered(
    queue: dict[str, HelpRequest], make_user: Any, client_for: Any, language: str, words: str
) -> None:
    web = client_for(make_user(Role.INTAKE_WORKER))
    response = web.get(
        "/intake/",
        {"date_from": "2026-13-45", "custody": "released"},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 400
    html = response.content.decode()
    beside = re.search(r'<p class="error-message" id="id_date_from_error">(.*?)</p>', html, re.S)
    assert beside and words in beside.group(1)
    assert 'aria-describedby="id_date_from_error"' in html
    assert sorted(refs(response)) == sorted(r.reference for r in queue.values())


def test_the_queue_csv_holds_the_page_rows_for_a_fund_admin_only(
    queue: dict[str, HelpRequest], make_user: Any, client_for: Any
) -> None:
    admin = client_for(make_user(Role.FUND_ADMIN))
    query = {"min_priority": "0", "sort": "received"}
    page = admin.get("/intake/", query)
    assert 'href="/intake/queue.csv?min_priority=0&amp;sort=received"' in page.content.decode()
    download = admin.get("/intake/queue.csv", query)
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    rows = csv_rows(download)
    assert [r["reference"] for r in rows] == refs(page)
    assert set(rows[0]) == {
        "reference",
        "priority",
        "state",
        "custody",
        "language",
        "interpreter",
        "received",
    }
    body = "".join(str(v) for r in rows for v in r.values())
    for request in queue.values():
        assert request.name not in body and request.a_number not in body
    assert AuditEvent.objects.filter(action="intake.queue_exported").count() == 1
    filtered = csv_rows(admin.get("/intake/queue.csv", {"custody": "released"}))
    assert [r["reference"] for r in filtered] == [queue["released"].reference]
    bad = admin.get("/intake/queue.csv", {"date_to": "yesterday"})
    assert bad.status_code == 400 and b"error-message" in bad.content
    assert AuditEvent.objects.filter(action="intake.queue_exported").count() == 2
    worker = client_for(make_user(Role.INTAKE_WORKER))
    assert b"queue.csv" not in worker.get("/intake/").content
    assert worker.get("/intake/queue.csv").status_code == 404


def test_case_list_filters_by_custody_and_attorney_and_ignores_a_bad_sort(
    org: Any, make_user: Any, client_for: Any
) -> None:
    from tests.views.test_query_counts import _case

    admin = make_user(Role.PROVIDER_ADMIN, org=org)
    first = make_user(Role.ATTORNEY, org=org)
    second = make_user(Role.ATTORNEY, org=org)
    a = _case(org, first, custody="detained")
    b = _case(org, second)
    web = client_for(admin)

    def shown(**query: Any) -> list[str]:
        response = web.get("/cases/", query)
        assert response.status_code == 200
        return [row["case"].reference for row in response.context["rows"]]

    assert sorted(shown()) == sorted([a.reference, b.reference])
    assert shown(custody="detained") == [a.reference]
    assert shown(attorney=second.pk) == [b.reference]
    assert shown(sort="reference") == sorted([a.reference, b.reference])
    assert shown(sort="-reference") == sorted([a.reference, b.reference], reverse=True)
    assert shown(sort="client__name") == shown()
    bad = web.get("/cases/", {"attorney": "999999"})
    assert bad.status_code == 400 and sorted(r["case"].reference for r in bad.context["rows"]) == (
        sorted([a.reference, b.reference])
    )
    # an attorney of the organization sees the filters but no download
    assert b".csv" not in client_for(first).get("/cases/").content


def test_gift_list_filters_by_date_and_its_csv_matches(make_user: Any, client_for: Any) -> None:
    treasurer = make_user(Role.FUND_ADMIN)
    for n, days in enumerate((1, 5, 40)):
        gift_record(
            amount=10_000 + n,
            currency="USD",
            received_on=FROZEN_TODAY - datetime.timedelta(days=days),
            reference=f"G-LIST-{n}",
            by=treasurer,
        )
    web = client_for(treasurer)
    query = {"date_from": (FROZEN_TODAY - datetime.timedelta(days=10)).isoformat()}
    page = web.get("/donations/", query)
    shown = [g.reference for g in page.context["gifts"]]
    assert shown == ["G-LIST-0", "G-LIST-1"]
    assert [r["reference"] for r in csv_rows(web.get("/donations/export.csv", query))] == shown
    by_amount = web.get("/donations/", {**query, "sort": "-amount"}).context["gifts"]
    assert [g.reference for g in by_amount] == ["G-LIST-1", "G-LIST-0"]
    bad = web.get("/donations/", {"date_from": "13/45/2026"})
    assert bad.status_code == 400 and len(bad.context["gifts"]) == 3
    assert web.get("/donations/export.csv", {"date_from": "nope"}).status_code == 400
    for role in (Role.INTAKE_WORKER, Role.ATTORNEY):
        assert client_for(make_user(role)).get("/donations/export.csv").status_code == 404


def test_a_signed_out_visitor_gets_no_list(queue: dict[str, HelpRequest]) -> None:
    response = Client().get("/intake/queue.csv")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_grant_applications_filter_sort_and_download_for_fund_admins_only(
    city: Any, make_user: Any, client_for: Any
) -> None:
    admin = make_user(Role.FUND_ADMIN)
    grant_round = open_round(city, by=admin)
    names = []
    for n, days in enumerate((3, 1, 2)):
        organization = OrganizationFactory(name=f"Provider {'CAB'[n]}")
        applicant = make_user(Role.PROVIDER_ADMIN, org=organization)
        application = grant_application(grant_round, organization, by=applicant)
        Application.objects.filter(pk=application.pk).update(
            submitted_at=FROZEN_NOW - datetime.timedelta(days=days)
        )
        names.append(organization.name)
    web = client_for(admin)
    url = f"/grants/rounds/{grant_round.pk}/"

    def shown(**query: Any) -> list[str]:
        response = web.get(url, query)
        assert response.status_code == 200
        return [a.organization.name for a in response.context["applications"]]

    assert shown() == ["Provider C", "Provider B", "Provider A"]  # oldest first
    assert shown(sort="organization") == ["Provider A", "Provider B", "Provider C"]
    assert shown(sort="narrative") == shown()
    since = (FROZEN_TODAY - datetime.timedelta(days=2)).isoformat()
    assert shown(date_from=since) == ["Provider B", "Provider A"]
    assert shown(category="capacity_building") == []
    download = web.get(f"{url}applications.csv", {"date_from": since, "sort": "-organization"})
    rows = csv_rows(download)
    assert [r["organization"] for r in rows] == ["Provider B", "Provider A"]
    assert rows[0]["requested"] == "70000.00" and "narrative" not in rows[0]
    applicant = make_user(Role.PROVIDER_ADMIN, org=OrganizationFactory())
    for other in (applicant, make_user(Role.BOARD_MEMBER)):
        assert client_for(other).get(f"{url}applications.csv").status_code == 404


def test_grant_rounds_filter_by_status(city: Any, make_user: Any, client_for: Any) -> None:
    admin = make_user(Role.FUND_ADMIN)
    open_round(city, by=admin, name="Open one")
    closed = open_round(city, by=admin, name="Closed one")
    closed.status = RoundStatus.CLOSED
    closed.save()
    web = client_for(admin)
    names = [r.name for r in web.get("/grants/", {"status": "closed"}).context["rounds"]]
    assert names == ["Closed one"]
    assert len(web.get("/grants/", {"status": "nope"}).context["rounds"]) == 2


def test_people_and_organizations_filter_and_sort(make_user: Any, client_for: Any) -> None:
    admin = make_user(Role.FUND_ADMIN, last_name="Zamora")
    worker = make_user(Role.INTAKE_WORKER, last_name="Alvarez")
    off = make_user(Role.ATTORNEY, last_name="Moreno", is_active=False)
    web = client_for(admin)
    people = web.get("/accounts/people/", {"role": "intake_worker"}).context["people"]
    assert [p.pk for p in people] == [worker.pk]
    switched_off = web.get("/accounts/people/", {"active": "no"}).context["people"]
    assert [p.pk for p in switched_off] == [off.pk]
    by_name = [p.pk for p in web.get("/accounts/people/", {"sort": "name"}).context["people"]]
    assert by_name == [worker.pk, off.pk, admin.pk]
    assert [p.pk for p in web.get("/accounts/people/", {"sort": "-name"}).context["people"]] == (
        by_name[::-1]
    )
    OrganizationFactory(name="Beta Legal", accepting_new_cases=False)
    OrganizationFactory(name="Alpha Legal")
    shown = web.get("/organizations/", {"accepting": "no"}).context["organizations"]
    assert [o.name for o in shown] == ["Beta Legal"]
    names = [o.name for o in web.get("/organizations/", {"sort": "-name"}).context["organizations"]]
    assert names == ["Beta Legal", "Alpha Legal"]
