"""The shape of staff pages: a list or detail page runs as many queries for 3N rows as for N.

Each test builds N rows, asks for the page once to warm per-process caches, counts the queries
of a second request, adds 2N more rows and counts again: the two counts must be equal. A page
that loads a related object per row (an N+1) fails here with both counts in the message.

The budget covers every signed-in page that lists rows or shows one record with its rows:

- cases: /cases/ (and filtered), a case, its documents/, notes/, adverse-parties/, team/,
  calendar.ics; /calendar/ (agenda, month, print), /calendar/feeds/ and a feed's .ics
- intake and referrals: /intake/ (and filtered, queue.csv), a request (with its text
  conversation), /intake/eligibility/, /intake/retention/, /referrals/ (and filtered), a
  referral, /referrals/escalations/
- money: /donations/ (and export.csv), a donor, /donations/appropriations/ and one,
  /ledger/ (position, activities, trial-balance, journal.csv, journal.beancount)
- grants: /grants/ (rounds, awards, reports), a round (and applications.csv), its summary/,
  an application, an award, /grants/conflicts/, /reports/funder/
- people and organizations: /organizations/, one, its staff/, /organizations/invitations/,
  /organizations/programs/, /accounts/people/, /accounts/settings/ (tokens), /audit/ (and
  export.csv), /notifications/, /dashboard/ (each role)
- content and figures: /rights/manage/ and a page's history/, /translations/ and a language,
  /reports/ (and dashboard.csv), /search/ (bounded by its limit per kind)
- the API: cases (list and one), calendar, attorneys, organizations, referrals, grant rounds
  and applications, search

Left out, with the reason: forms that show no rows (new/edit/invite/review/merge pages, the
API token and feed forms); single-file downloads of one record (receipts, statements,
agreements, attachments, a funder report's PDF, a grantee report's form); /reports/board/
(figures cached for a minute); redirects (/organizations/mine/); the public pages (their own
tests); Django's admin (superusers only, Django's own pages).
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from amparo.accounts.roles import Role
from amparo.audit.models import AuditEvent
from amparo.audit.services import audit_record
from amparo.cases.models import Case
from amparo.cases.services import (
    adverse_party_add,
    case_open,
    document_add,
    event_add,
    hearing_add,
    note_add,
    team_add,
)
from amparo.core.services import SYSTEM
from amparo.deadlines.models import CaseDeadline
from amparo.deadlines.services import feed_create
from amparo.donations.services import (
    appropriation_create,
    appropriation_receive,
    donor_create,
    gift_record,
)
from amparo.grants.models import RoundStatus
from amparo.grants.services import (
    award_decide,
    conflict_declare,
    reports_schedule,
    scores_record,
    tranche_add,
)
from amparo.intake.models import HelpRequest, IntakePolicy
from amparo.intake.services import help_request_close
from amparo.notify.models import NotificationKind
from amparo.notify.notifications import notifications_create
from amparo.organizations.models import Office
from amparo.organizations.services import membership_invite
from amparo.referrals.services import referral_route
from amparo.rights.models import PageVersion
from amparo.rights.services import page_version_save
from amparo.translations.services import rights_page_sign_off
from amparo.vault.services import subject_create
from tests.factories import (
    AttorneyProfileFactory,
    MembershipFactory,
    OrganizationFactory,
    ProgramFactory,
    appropriation_post,
    grant_application,
    open_round,
)
from tests.intake.helpers import route

pytestmark = pytest.mark.django_db

N = 3
_serial = itertools.count(1)
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _rate_limit_purge_every_hit(monkeypatch: pytest.MonkeyPatch) -> None:
    """A rate-limited page (the API, a calendar feed) purges expired windows on one hit in 500,
    drawn at random: here on every hit, so that purge is one query in every count, not an extra
    query in one count now and then."""
    monkeypatch.setattr("amparo.core.ratelimit.PURGE_ONE_IN", 1)


def queries(client: Client, url: str) -> tuple[int, list[str], int]:
    """(number of queries, their SQL, length of the page) of one GET."""
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
        # a download streams its rows (and runs its queries) as it is read
        body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200, (url, response.status_code)
    sql = [q["sql"] for q in context.captured_queries]
    return len(sql), sql, len(body)


def assert_flat(
    client: Client, url: str, add: Callable[[int], Any], shows_rows: bool = True, n: int = N
) -> None:
    """Same number of queries with n rows and with 3n rows (and, for a page that lists the rows,
    a longer page: the rows were really shown, so the count means something)."""
    add(n)
    client.get(url)  # warm caches (rules, content types, session)
    few, _, few_bytes = queries(client, url)
    add(2 * n)
    many, sql, many_bytes = queries(client, url)
    assert many == few, f"{url}: {few} queries for {n} rows, {many} for {3 * n}:\n" + "\n".join(sql)
    if shows_rows:
        assert many_bytes > few_bytes, f"{url} does not show the rows added"


# --- cases, deadlines --------------------------------------------------------------------------


def _case(org: Any, lead: Any, custody: str = "never_detained") -> Case:
    n = next(_serial)
    return case_open(
        organization=org,
        lead_attorney=lead,
        subject=subject_create(kind="client"),
        client={
            "name": f"Client Number{n}",
            "a_number": f"A{200000000 + n:09d}",
            "phone": f"(303) 555-{n:04d}",
            "email": f"client{n}@example.org",
            "date_of_birth": datetime.date(1990, 4, 1),
            "country_of_birth": "Honduras",
        },
        custody=custody,
        court="Denver Immigration Court",
        by=lead,
    )


@pytest.fixture
def lead(make_user: Any, org: Any) -> Any:
    user = make_user(Role.ATTORNEY, org=org)
    AttorneyProfileFactory(user=user, organization=org)
    return user


def _days_ahead(n: int) -> int:
    """A hearing date for the n-th row, a week from the one before, within the five years ahead
    a hearing may be set (the serial grows over the whole module)."""
    return 40 + 7 * (n % 200)


def _hearing(case: Case, lead: Any, days: int) -> None:
    hearing_add(
        case=case,
        kind="individual",
        date=TODAY + datetime.timedelta(days=days),
        time=datetime.time(9, 0),
        by=lead,
    )


def test_case_list(org: Any, lead: Any, client_for: Any) -> None:
    def add(k: int) -> None:
        for i in range(k):
            _hearing(_case(org, lead), lead, 40 + i)

    assert_flat(client_for(lead), "/cases/", add)


def test_case_list_filtered(org: Any, lead: Any, client_for: Any) -> None:
    def add(k: int) -> None:
        for _ in range(k):
            _case(org, lead, custody="detained")

    query = f"custody=detained&status=&attorney={lead.pk}&date_from=2000-01-01&sort=reference"
    assert_flat(client_for(lead), f"/cases/?{query}", add)


def test_case_detail(org: Any, lead: Any, client_for: Any) -> None:
    case = _case(org, lead)

    def add(k: int) -> None:
        for i in range(k):
            _hearing(case, lead, _days_ahead(next(_serial)))
            event_add(case=case, kind="other", date=TODAY, details=f"Event {i}", by=lead)
            note_add(case=case, body=f"Note {i}", by=lead)

    assert_flat(client_for(lead), f"/cases/{case.pk}/", add)


def test_case_detail_with_deadlines_team_and_adverse_parties(
    org: Any, lead: Any, make_user: Any, client_for: Any
) -> None:
    """A detained client's case whose hearings, clock-starting timeline lines (each with its
    deadline), team and adverse parties grow: the page, its deadlines section and its one
    audited read still run the same queries."""
    case = _case(org, lead, custody="detained")

    def add(k: int) -> None:
        for i in range(k):
            n = next(_serial)
            _hearing(case, lead, _days_ahead(n))
            event_add(
                case=case,
                kind="filing_received",
                date=TODAY - datetime.timedelta(days=n % 9),
                details=f"Motion {n} served",
                by=lead,
            )
            event_add(case=case, kind="contact", date=TODAY, details=f"Call {i}", by=lead)
            colleague = make_user(Role.ATTORNEY, org=org)
            team_add(case=case, user=colleague, role="attorney", by=lead)
            adverse_party_add(case=case, name=f"Party Number{n}", by=lead)

    client = client_for(lead)
    reads = AuditEvent.objects.filter(action="read", object_id=str(case.pk))
    before = reads.count()
    assert_flat(client, f"/cases/{case.pk}/", add)
    assert CaseDeadline.objects.filter(case=case).count() >= 3 * N * 2
    # one audit event per page view (three views above), naming the fields shown, no values
    assert reads.count() == before + 3
    assert "client.name" in reads.latest("seq").fields
    assert "Client Number" not in str(reads.latest("seq").fields)


def test_deadline_agenda(org: Any, lead: Any, client_for: Any) -> None:
    def add(k: int) -> None:
        for i in range(k):
            _hearing(_case(org, lead), lead, 31 + i % 3)  # its filing deadline is due this week

    assert_flat(client_for(lead), "/calendar/", add)


def test_calendar_of_an_organization_month_print_and_api(
    org: Any, lead: Any, make_user: Any, client_for: Any
) -> None:
    """A provider admin's calendar grows with attorneys, cases, hearings and deadlines; the
    filters' menus, the month grid, the printable view and the API stay flat."""
    from amparo.accounts.services import api_token_create

    admin = make_user(Role.PROVIDER_ADMIN, org=org)
    span = f"from={TODAY.isoformat()}&to={(TODAY + datetime.timedelta(days=60)).isoformat()}"

    def add(k: int) -> None:
        for i in range(k):
            attorney = make_user(Role.ATTORNEY, org=org)
            AttorneyProfileFactory(user=attorney, organization=org)
            _hearing(_case(org, attorney), attorney, 40 + i % 3)  # and its filing deadline

    web = client_for(admin)
    assert_flat(web, f"/calendar/?{span}&view=month", add)
    assert_flat(web, f"/calendar/print/?{span}", add)
    _token, raw = api_token_create(user=admin, name="calendar")
    assert_flat(Client(HTTP_AUTHORIZATION=f"Bearer {raw}"), f"/api/v1/calendar?{span}", add)


# --- intake and referrals ----------------------------------------------------------------------


def test_intake_queue(submit: Any, make_user: Any, client_for: Any) -> None:
    worker = make_user(Role.INTAKE_WORKER)
    assert_flat(client_for(worker), "/intake/", lambda k: [submit() for _ in range(k)])


def test_intake_queue_filtered_sorted_and_its_csv(
    submit: Any, make_user: Any, client_for: Any
) -> None:
    admin = make_user(Role.FUND_ADMIN)
    query = "custody=detained&min_priority=0&date_from=2000-01-01&sort=-received"
    assert_flat(client_for(admin), f"/intake/?{query}", lambda k: [submit() for _ in range(k)])
    assert_flat(
        client_for(admin), f"/intake/queue.csv?{query}", lambda k: [submit() for _ in range(k)]
    )


def test_escalation_queue(submit: Any, make_provider: Any, make_user: Any, client_for: Any) -> None:
    make_provider(accepting=False)  # a provider routing could not use: every request escalates
    worker = make_user(Role.INTAKE_WORKER)

    def add(k: int) -> None:
        for _ in range(k):
            request = submit().help_request
            assert referral_route(help_request=request, by=SYSTEM) is None

    assert_flat(client_for(worker), "/referrals/escalations/", add)


def test_intake_request_detail(submit: Any, make_user: Any, client_for: Any) -> None:
    worker = make_user(Role.INTAKE_WORKER)
    shown = submit().help_request
    assert_flat(
        client_for(worker),
        f"/intake/requests/{shown.pk}/",
        lambda k: [submit() for _ in range(k)],
        shows_rows=False,  # the other requests are not on this page: its work must not grow
    )


def test_referral_inbox(submit: Any, make_provider: Any, client_for: Any) -> None:
    _org, admin, _profile = make_provider(capacity=100)
    assert_flat(
        client_for(admin), "/referrals/", lambda k: [route(submit().help_request) for _ in range(k)]
    )
    assert_flat(
        client_for(admin),
        "/referrals/?status=pending&custody=detained&date_from=2000-01-01&sort=-due",
        lambda k: [route(submit().help_request) for _ in range(k)],
    )


def test_referral_detail(submit: Any, make_provider: Any, client_for: Any) -> None:
    _org, admin, _profile = make_provider(capacity=100)
    shown = route(submit().help_request)
    assert_flat(
        client_for(admin),
        f"/referrals/{shown.pk}/",
        lambda k: [route(submit().help_request) for _ in range(k)],
        shows_rows=False,  # the other referrals are not on this page: its work must not grow
    )


# --- money -------------------------------------------------------------------------------------


def test_gift_list(make_user: Any, client_for: Any) -> None:
    treasurer = make_user(Role.FUND_ADMIN)

    def add(k: int) -> None:
        for _ in range(k):
            n = next(_serial)
            donor = donor_create(name=f"Donor {n}", email=f"donor{n}@example.org", by=treasurer)
            gift_record(
                amount=1_000 + n,
                currency="USD",
                received_on=TODAY - datetime.timedelta(days=1),
                reference=f"G-{n}",
                donor=donor,
                by=treasurer,
            )

    assert_flat(client_for(treasurer), "/donations/", add)
    assert_flat(client_for(treasurer), "/donations/?date_to=2999-01-01&sort=-amount", add)
    assert_flat(client_for(treasurer), "/donations/export.csv?date_to=2999-01-01", add)


def test_grant_rounds(city: Any, make_user: Any, client_for: Any) -> None:
    admin = make_user(Role.FUND_ADMIN)
    assert_flat(
        client_for(admin),
        "/grants/",
        lambda k: [open_round(city, by=admin, name=f"Round {next(_serial)}") for _ in range(k)],
    )


def test_grant_round_applications(city: Any, make_user: Any, client_for: Any) -> None:
    admin = make_user(Role.FUND_ADMIN)
    grant_round = open_round(city, by=admin)

    def add(k: int) -> None:
        for _ in range(k):
            organization = OrganizationFactory()
            applicant = make_user(Role.PROVIDER_ADMIN, org=organization)
            grant_application(grant_round, organization, by=applicant)

    assert_flat(client_for(admin), f"/grants/rounds/{grant_round.pk}/", add)
    export = f"/grants/rounds/{grant_round.pk}/applications.csv?sort=-organization"
    assert_flat(client_for(admin), export, add)


# --- people, organizations, audit --------------------------------------------------------------


def test_organization_list(make_user: Any, client_for: Any) -> None:
    admin = make_user(Role.FUND_ADMIN)

    def add(k: int) -> None:
        for _ in range(k):
            organization = OrganizationFactory()
            Office.objects.create(
                organization=organization, name="Main", city="Denver", counties_served=["Denver"]
            )
            make_user(Role.ATTORNEY, org=organization)

    assert_flat(client_for(admin), "/organizations/", add)


def test_people_list(make_user: Any, client_for: Any) -> None:
    admin = make_user(Role.FUND_ADMIN)

    def add(k: int) -> None:
        for _ in range(k):
            organization = OrganizationFactory()
            user = make_user(Role.PROVIDER_ADMIN, org=organization)
            MembershipFactory(user=user, organization=OrganizationFactory())

    assert_flat(client_for(admin), "/accounts/people/", add)


def test_audit_log(make_user: Any, client_for: Any) -> None:
    admin = make_user(Role.FUND_ADMIN)

    def add(k: int) -> None:
        for _ in range(k):
            actor = make_user(Role.INTAKE_WORKER)
            audit_record(actor=actor, action="test.read", object_type="test.thing", object_id=1)

    assert_flat(client_for(admin), "/audit/", add)
    assert_flat(client_for(admin), "/audit/export.csv", add)


def test_notifications_page(org: Any, lead: Any, client_for: Any) -> None:
    def add(k: int) -> None:
        for _ in range(k):
            n = next(_serial)
            notifications_create(
                recipients=[lead],
                kind=NotificationKind.HEARING_CHANGED,
                subject=f"hearing:{n}",
                reference=f"C-Q{n:04d}",
                url="/cases/",
            )

    assert_flat(client_for(lead), "/notifications/", add)
    assert_flat(client_for(lead), "/notifications/?show=unread&sort=-date&page=1", add)


def test_organization_detail_and_staff(org: Any, make_user: Any, client_for: Any) -> None:
    """An organization's page (offices, attorneys, staff) and its staff roster, as its admin
    sees them, while offices and attorneys with profiles grow."""
    admin = make_user(Role.PROVIDER_ADMIN, org=org)

    def add(k: int) -> None:
        for _ in range(k):
            n = next(_serial)
            Office.objects.create(
                organization=org, name=f"Office {n}", city="Denver", counties_served=["Denver"]
            )
            attorney = make_user(Role.ATTORNEY, org=org, last_name=f"Lawyer{n}")
            AttorneyProfileFactory(user=attorney, organization=org)

    client = client_for(admin)
    assert_flat(client, f"/organizations/{org.slug}/", add)
    assert_flat(client, f"/organizations/{org.slug}/staff/", add)


def test_invitations_waiting(make_user: Any, client_for: Any) -> None:
    lawyer = make_user(Role.ATTORNEY, org=OrganizationFactory())

    def add(k: int) -> None:
        for _ in range(k):
            organization = OrganizationFactory()
            boss = make_user(Role.PROVIDER_ADMIN, org=organization)
            membership_invite(
                organization=organization, email=lawyer.email, role=Role.ATTORNEY, by=boss
            )

    assert_flat(client_for(lawyer), "/organizations/invitations/", add)


def test_programs(make_user: Any, client_for: Any) -> None:
    admin = make_user(Role.FUND_ADMIN)
    assert_flat(
        client_for(admin), "/organizations/programs/", lambda k: ProgramFactory.create_batch(k)
    )


def test_donor_detail(make_user: Any, client_for: Any) -> None:
    treasurer = make_user(Role.FUND_ADMIN)
    donor = donor_create(name="Donor Shown", email="shown@example.org", by=treasurer)

    def add(k: int) -> None:
        for _ in range(k):
            n = next(_serial)
            gift_record(
                amount=1_000 + n,
                currency="USD",
                received_on=TODAY - datetime.timedelta(days=1),
                reference=f"G-{n}",
                donor=donor,
                by=treasurer,
            )

    assert_flat(client_for(treasurer), f"/donations/donors/{donor.pk}/", add)


def test_appropriations_list_and_detail(city: Any, make_user: Any, client_for: Any) -> None:
    """The appropriations page while appropriations grow (each paid once), and one
    appropriation's page while its payments grow."""
    treasurer = make_user(Role.FUND_ADMIN)
    start = TODAY - datetime.timedelta(days=200)

    def appropriation(amount: int = 1_000_000) -> Any:
        return appropriation_create(
            name=f"City appropriation {next(_serial)}",
            funder="City of Denver",
            restriction=city,
            amount=amount,
            currency="USD",
            period_start=start,
            period_end=start + datetime.timedelta(days=364),
            by=treasurer,
        )

    def pay(target: Any) -> None:
        appropriation_receive(
            appropriation=target,
            amount=1_000,
            currency="USD",
            received_on=start + datetime.timedelta(days=next(_serial) % 150),
            reference=f"CITY-PAY-{next(_serial)}",
            by=treasurer,
        )

    client = client_for(treasurer)
    assert_flat(
        client, "/donations/appropriations/", lambda k: [pay(appropriation()) for _ in range(k)]
    )
    shown = appropriation()
    assert_flat(
        client, f"/donations/appropriations/{shown.pk}/", lambda k: [pay(shown) for _ in range(k)]
    )


def test_ledger_pages_and_journal_downloads(city: Any, make_user: Any, client_for: Any) -> None:
    """The statements and the trial balance sum the books (their pages do not grow with the
    entries, their queries must not either); the journal's downloads list every entry."""
    treasurer = make_user(Role.FUND_ADMIN)

    def add(k: int) -> None:
        for _ in range(k):
            n = next(_serial)
            appropriation_post(
                city, 1_000 + n, on=TODAY - datetime.timedelta(days=n % 20), source_ref=f"C-{n}"
            )

    client = client_for(treasurer)
    period = f"start={(TODAY - datetime.timedelta(days=60)).isoformat()}&end={TODAY.isoformat()}"
    assert_flat(client, "/ledger/", add, shows_rows=False)
    assert_flat(client, f"/ledger/activities/?{period}", add, shows_rows=False)
    assert_flat(client, "/ledger/trial-balance/", add, shows_rows=False)
    assert_flat(client, "/ledger/journal.csv", add)
    assert_flat(client, "/ledger/journal.beancount", add)


def _applied(grant_round: Any, make_user: Any) -> Any:
    """A new organization's application to ``grant_round`` (opened for it if it was not)."""
    status = grant_round.status
    grant_round.status = RoundStatus.OPEN
    grant_round.save()
    organization = OrganizationFactory()
    applicant = make_user(Role.PROVIDER_ADMIN, org=organization)
    application = grant_application(grant_round, organization, by=applicant)
    grant_round.status = status
    grant_round.save()
    return application


def _in_review(grant_round: Any) -> None:
    grant_round.status = RoundStatus.IN_REVIEW
    grant_round.save()


def _scored(application: Any, member: Any, value: int = 4) -> None:
    criteria = application.round.criteria.all()
    scores_record(application=application, by=member, scores={c.pk: (value, "") for c in criteria})


def test_grant_application_detail(city: Any, make_user: Any, client_for: Any) -> None:
    """An application in review as the fund admin sees it (its weighted score) while the board
    members who scored it grow; the page shows the score, not the rows."""
    admin = make_user(Role.FUND_ADMIN)
    grant_round = open_round(city, by=admin)
    shown = _applied(grant_round, make_user)
    _in_review(grant_round)

    def add(k: int) -> None:
        for _ in range(k):
            _scored(shown, make_user(Role.BOARD_MEMBER), value=1 + next(_serial) % 5)

    assert_flat(client_for(admin), f"/grants/applications/{shown.pk}/", add, shows_rows=False)


def test_grant_round_summary_and_conflicts(city: Any, make_user: Any, client_for: Any) -> None:
    """A round in review whose scored applications grow: its summary (a board member's and the
    fund admin's) and a board member's conflicts page (organizations, applications, declared
    conflicts)."""
    admin = make_user(Role.FUND_ADMIN)
    member = make_user(Role.BOARD_MEMBER)
    grant_round = open_round(city, by=admin)
    _in_review(grant_round)

    def add(k: int) -> None:
        for _ in range(k):
            application = _applied(grant_round, make_user)
            _scored(application, member)
            _scored(application, make_user(Role.BOARD_MEMBER), value=2)
            other = _applied(grant_round, make_user)
            conflict_declare(by=member, application=other)

    assert_flat(client_for(member), f"/grants/rounds/{grant_round.pk}/summary/", add)
    assert_flat(client_for(admin), f"/grants/rounds/{grant_round.pk}/summary/", add)
    assert_flat(client_for(member), "/grants/conflicts/", add)


def test_grant_awards_their_tranches_and_reports(
    city: Any, make_user: Any, client_for: Any
) -> None:
    """The rounds page (its awards), an award's page (tranches and reports) and the funder
    reports' list while awards, tranches and reports grow."""
    admin = make_user(Role.FUND_ADMIN)
    appropriation_post(city, 900_000_000, on=TODAY - datetime.timedelta(days=400))
    grant_round = open_round(city, by=admin)
    _in_review(grant_round)
    shown = award_decide(application=_applied(grant_round, make_user), amount=10_000, by=admin)

    def award(k: int) -> None:
        for _ in range(k):
            made = award_decide(
                application=_applied(grant_round, make_user), amount=10_000, by=admin
            )
            tranche_add(award=made, amount=5_000, due_on=TODAY, by=admin)
            reports_schedule(award=made, start=TODAY - datetime.timedelta(days=365), by=admin)

    def grow(k: int) -> None:
        for _ in range(k):
            tranche_add(award=shown, amount=1, due_on=TODAY, by=admin)
        start = shown.reports.order_by("-period_end").values_list(
            "period_end", flat=True
        ).first() or TODAY - datetime.timedelta(days=3 * 366)
        reports_schedule(
            award=shown, start=start + datetime.timedelta(days=1), quarters=k, by=admin
        )

    client = client_for(admin)
    assert_flat(client, "/grants/", award)
    assert_flat(client, f"/grants/awards/{shown.pk}/", grow)
    assert_flat(client, "/reports/funder/", award)


# --- a case's own pages, calendars, the signed-in person's pages -------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def test_case_documents_notes_adverse_parties_team_and_calendar(
    org: Any, lead: Any, make_user: Any, client_for: Any
) -> None:
    """A case's own list pages while its documents, notes, adverse parties, team, hearings and
    the organization's staff grow."""
    case = _case(org, lead, custody="detained")

    def add(k: int) -> None:
        for i in range(k):
            n = next(_serial)
            document_add(case=case, data=PDF, filename=f"notice-{n}.pdf", kind="notice", by=lead)
            note_add(case=case, body=f"Note {n}", by=lead)
            adverse_party_add(case=case, name=f"Party Number{n}", by=lead)
            team_add(case=case, user=make_user(Role.ATTORNEY, org=org), role="attorney", by=lead)
            make_user(Role.ATTORNEY, org=org)  # someone who could join the team
            _hearing(case, lead, _days_ahead(n))
            event_add(case=case, kind="filing_received", date=TODAY, details=f"M{i}", by=lead)

    client = client_for(lead)
    for page in ("documents/", "notes/", "adverse-parties/", "team/", "calendar.ics"):
        assert_flat(client, f"/cases/{case.pk}/{page}", add)


def test_calendar_feeds_and_a_feed(org: Any, lead: Any, client_for: Any) -> None:
    """The feeds page while the person's feeds grow; one feed's calendar while its cases,
    hearings and deadlines grow (read without a session, by its token)."""
    _feed, raw = feed_create(scope="attorney", name="Mine", by=lead)

    def feeds(k: int) -> None:
        for _ in range(k):
            feed_create(scope="attorney", name=f"Feed {next(_serial)}", by=lead)

    def cases(k: int) -> None:
        for i in range(k):
            _hearing(_case(org, lead, custody="detained"), lead, 40 + i % 3)

    assert_flat(client_for(lead), "/calendar/feeds/", feeds)
    assert_flat(Client(), f"/calendar/feeds/{raw}.ics", cases)


def test_account_settings_tokens(make_user: Any, client_for: Any) -> None:
    from amparo.accounts.services import api_token_create

    admin = make_user(Role.FUND_ADMIN)
    assert_flat(
        client_for(admin),
        "/accounts/settings/",
        lambda k: [api_token_create(user=admin, name=f"T{next(_serial)}") for _ in range(k)],
    )


def test_dashboards(
    org: Any, lead: Any, submit: Any, make_provider: Any, make_user: Any, client_for: Any
) -> None:
    """Each role's dashboard while cases, hearings, requests and referrals grow: its panels
    count and show a few, they do not load a row each."""
    provider, provider_admin, _profile = make_provider(capacity=100)

    def add(k: int) -> None:
        for i in range(k):
            _hearing(_case(org, lead, custody="detained"), lead, 2 + i % 3)
            n = next(_serial)
            request = submit(name=f"Person Number{n}", a_number=f"A{300000000 + n:09d}")
            assert request.help_request.state == "waiting", request.help_request.state
            assert referral_route(
                help_request=request.help_request, organization=provider, by=SYSTEM
            )

    for user in (
        lead,
        provider_admin,
        make_user(Role.FUND_ADMIN),
        make_user(Role.INTAKE_WORKER),
        make_user(Role.BOARD_MEMBER),
    ):
        assert_flat(client_for(user), "/dashboard/", add, shows_rows=False)


# --- rights pages, translations, search, figures -----------------------------------------------


def test_rights_manage_and_history(make_user: Any, client_for: Any) -> None:
    """The rights pages' editor while one page's versions grow: the overview shows each page's
    newest version (a fixed set of pages and languages), the history lists every version."""
    admin = make_user(Role.FUND_ADMIN)

    def add(k: int) -> None:
        for i in range(k):
            n = next(_serial)
            page_version_save(
                topic="at-home",
                language="es",
                title=f"Si llegan a su casa {n}",
                summary="No tiene que abrir la puerta.",
                body=f"## Puerta\nVersión {n}.\n",
                reviewed=datetime.date(2026, 1, 1),
                published=i % 2 == 0,
                note=f"Edit {n}",
                by=admin,
            )

    client = client_for(admin)
    assert_flat(client, "/rights/manage/", add, shows_rows=False)
    assert_flat(client, "/rights/manage/es/at-home/history/", add)


def test_translations_pages(make_user: Any, client_for: Any) -> None:
    """The translators' pages while a draft language's page versions and sign-offs grow (the
    pages show each catalog and page once, whatever their history)."""
    admin = make_user(Role.FUND_ADMIN)
    translator = make_user(Role.TRANSLATOR)

    def add(k: int) -> None:
        for _ in range(k):
            n = next(_serial)
            PageVersion.objects.create(
                topic="at-home",
                language="pt",
                number=PageVersion.objects.filter(topic="at-home", language="pt").count() + 1,
                title="Se agentes vierem à sua casa",
                summary="Você não precisa abrir a porta.",
                body=f"## Porta\nVersão {n}.\n",
                reviewed=datetime.date(2026, 1, 1),
                author=admin,
            )
            rights_page_sign_off(language="pt", topic="at-home", by=translator)

    client = client_for(translator)
    assert_flat(client, "/translations/", add, shows_rows=False)
    assert_flat(client, "/translations/pt/", add, shows_rows=False)


def test_intake_request_detail_with_its_text_conversation(
    submit: Any, make_user: Any, client_for: Any, settings: Any, monkeypatch: Any
) -> None:
    """A request whose person texted: its page shows the conversation, which grows with the
    person's texts and the staff's replies."""
    from amparo.sms import hooks as sms_hooks
    from amparo.sms.services import number_index, sms_link, sms_receive, sms_staff_reply

    settings.AMPARO_SMS_PROVIDER = "memory"
    monkeypatch.setattr(sms_hooks, "CONVERSATION_HANDLERS", [])  # no text intake answers
    worker = make_user(Role.INTAKE_WORKER)
    shown = submit().help_request
    phone = "+17205550123"

    def add(k: int) -> None:
        for _ in range(k):
            n = next(_serial)
            sms_receive(phone=phone, body=f"Mensaje número {n}", provider_id=f"SM{n:030d}")
            index = number_index(phone)
            assert index is not None
            sms_link(number_index=index, help_request_id=shown.pk, now=timezone.now())
            sms_staff_reply(help_request=shown, body=f"Respuesta {n}", by=worker)

    assert_flat(client_for(worker), f"/intake/requests/{shown.pk}/", add)
    assert "Respuesta" in client_for(worker).get(f"/intake/requests/{shown.pk}/").content.decode()


def test_search_page_and_api(
    org: Any, lead: Any, submit: Any, make_user: Any, client_for: Any
) -> None:
    """A surname many people share. A search shows at most LIMIT records of each kind, and each
    name it shows is a decryption and an audited read (a few queries each, by design): its
    budget is the limit, so the count with LIMIT matches equals the count with 3 x LIMIT."""
    from amparo.accounts.services import api_token_create
    from amparo.search.selectors import LIMIT

    worker = make_user(Role.INTAKE_WORKER)

    def add(k: int) -> None:
        for _ in range(k):
            n = next(_serial)
            submit(name=f"Rosa Quintana{n} Quintana", a_number=f"A{400000000 + n:09d}")
            case_open(
                organization=org,
                lead_attorney=lead,
                subject=subject_create(kind="client"),
                client={"name": f"Pedro Quintana{n} Quintana", "a_number": f"A{500000000 + n:09d}"},
                custody="never_detained",
                court="Denver Immigration Court",
                by=lead,
            )

    # the page shows LIMIT records of each kind both times
    assert_flat(client_for(worker), "/search/?q=quintana", add, shows_rows=False, n=LIMIT)
    assert_flat(client_for(lead), "/search/?q=quintana", add, shows_rows=False, n=LIMIT)
    _token, raw = api_token_create(user=worker, name="search")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert_flat(api, "/api/v1/search?q=quintana", add, shows_rows=False, n=LIMIT)
    page = client_for(worker).get("/search/?q=quintana").content.decode()
    assert page.count('href="/intake/requests/') == LIMIT


def test_reports_dashboard_and_its_csv(
    org: Any, lead: Any, submit: Any, make_user: Any, client_for: Any
) -> None:
    """The fund's figures count cases and requests in the database: their queries do not
    grow with them (the page shows counts, not rows)."""
    admin = make_user(Role.FUND_ADMIN)

    def add(k: int) -> None:
        for i in range(k):
            _hearing(_case(org, lead, custody="detained"), lead, 40 + i)
            submit()

    client = client_for(admin)
    assert_flat(client, "/reports/", add, shows_rows=False)
    assert_flat(client, "/reports/?custody=detained", add, shows_rows=False)
    assert_flat(client, "/reports/dashboard.csv", add, shows_rows=False)


def test_intake_policies_and_retention(submit: Any, make_user: Any, client_for: Any) -> None:
    """The programs' rules and the retention overview (a row per program) while programs with
    rules, and closed requests in each, grow."""
    admin = make_user(Role.FUND_ADMIN)

    def add(k: int) -> None:
        for _ in range(k):
            program = ProgramFactory()
            IntakePolicy.objects.create(
                program=program, poverty_year=2025, counties=["Denver"], retention_days=90
            )
            closed = submit().help_request
            HelpRequest.objects.filter(pk=closed.pk).update(program=program)
            closed.refresh_from_db()
            help_request_close(help_request=closed, by=admin)

    client = client_for(admin)
    assert_flat(client, "/intake/eligibility/", add)
    assert_flat(client, "/intake/retention/", add)


# --- the API's lists ---------------------------------------------------------------------------


def test_api_lists(
    org: Any, lead: Any, city: Any, submit: Any, make_provider: Any, make_user: Any
) -> None:
    """Each list the API answers, and one case's detail, while their rows grow."""
    from amparo.accounts.services import api_token_create

    def api(user: Any) -> Client:
        _token, raw = api_token_create(user=user, name="lists")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    admin = make_user(Role.FUND_ADMIN)
    provider, provider_admin, _profile = make_provider(capacity=100)

    def cases(k: int) -> None:
        for i in range(k):
            _hearing(_case(org, lead), lead, 40 + i)

    def attorneys(k: int) -> None:
        for _ in range(k):
            organization = OrganizationFactory()
            Office.objects.create(
                organization=organization, name="Main", city="Denver", counties_served=["Denver"]
            )
            AttorneyProfileFactory(
                user=make_user(Role.ATTORNEY, org=organization), organization=organization
            )

    def referrals(k: int) -> None:
        for _ in range(k):
            n = next(_serial)
            request = submit(name=f"Person Number{n}", a_number=f"A{600000000 + n:09d}")
            assert referral_route(
                help_request=request.help_request, organization=provider, by=SYSTEM
            )

    grant_round = open_round(city, by=admin)

    def applications(k: int) -> None:
        for _ in range(k):
            application = _applied(grant_round, make_user)
            _in_review(grant_round)
            _scored(application, make_user(Role.BOARD_MEMBER))
            open_round(city, by=admin, name=f"Round {next(_serial)}")

    assert_flat(api(lead), "/api/v1/cases/", cases)
    case = _case(org, lead)

    def case_rows(k: int) -> None:
        for i in range(k):
            _hearing(case, lead, _days_ahead(next(_serial)))
            event_add(case=case, kind="other", date=TODAY, details=f"Event {i}", by=lead)

    assert_flat(api(lead), f"/api/v1/cases/{case.pk}", case_rows, shows_rows=False)
    assert_flat(api(admin), "/api/v1/attorneys", attorneys)
    assert_flat(api(admin), "/api/v1/organizations", attorneys)
    assert_flat(api(provider_admin), "/api/v1/referrals", referrals)
    assert_flat(api(admin), "/api/v1/grants/applications", applications)
    assert_flat(api(admin), "/api/v1/grants/rounds", applications)
