"""Grant rounds: the state machine, applications until the deadline, scoring, awards and
tranches refused beyond the restricted balance with nothing posted, reports and reminders."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from amparo.accounts.roles import Role
from amparo.audit.models import AuditEvent
from amparo.core.services import SYSTEM, ServiceError
from amparo.grants.models import Award, GranteeReport, ReportReminder, ReportState, RoundStatus
from amparo.grants.selectors import report_state, round_summary, weighted_score
from amparo.grants.services import (
    application_save,
    award_decide,
    conflict_declare,
    reminders_send,
    reports_schedule,
    round_create,
    round_transition,
    scores_record,
    tranche_add,
    tranche_pay,
)
from amparo.ledger.models import JournalEntry, Posting
from amparo.ledger.services import restricted_balance
from tests.clock import frozen
from tests.mailcheck import assert_speaks_as_the_fund

from .conftest import fund, in_review

pytestmark = [pytest.mark.django_db, frozen]


def test_round_lifecycle_follows_the_state_machine(admin: Any, city: Any) -> None:
    today = timezone.localdate()
    fund(city, 100)
    r = round_create(
        name="R",
        budget=100,
        opens_on=today - datetime.timedelta(days=5),
        closes_on=today - datetime.timedelta(days=1),
        restriction=city,
        by=admin,
    )
    assert r.status == RoundStatus.DRAFT
    assert r.categories == [
        "detained_removal",
        "affirmative_non_detained",
        "capacity_building",
        "filing_fees",
    ]
    with pytest.raises(ServiceError):
        round_transition(grant_round=r, to=RoundStatus.DECIDED, by=admin)
    for status in (
        RoundStatus.OPEN,
        RoundStatus.CLOSED,
        RoundStatus.IN_REVIEW,
        RoundStatus.DECIDED,
    ):
        r = round_transition(grant_round=r, to=status, by=admin)
        assert r.status == status
    with pytest.raises(ServiceError):
        round_transition(grant_round=r, to=RoundStatus.OPEN, by=admin)


def test_round_cannot_close_before_deadline(open_round: Any, admin: Any) -> None:
    with pytest.raises(ServiceError, match="deadline"):
        round_transition(grant_round=open_round, to=RoundStatus.CLOSED, by=admin)


def test_round_refuses_bad_budget_and_dates(admin: Any, city: Any) -> None:
    today = timezone.localdate()
    with pytest.raises(ServiceError):
        round_create(
            name="R", budget=0, opens_on=today, closes_on=today, restriction=city, by=admin
        )
    with pytest.raises(ServiceError):
        round_create(
            name="R",
            budget=10,
            opens_on=today,
            closes_on=today - datetime.timedelta(days=1),
            restriction=city,
            by=admin,
        )


def test_application_editable_until_deadline_then_refused(
    application: Any, open_round: Any, grantee: Any
) -> None:
    organization, user = grantee
    assert application.requested == 7_000_000
    edited = application_save(
        grant_round=open_round,
        organization=organization,
        category="detained_removal",
        narrative="Updated",
        budget_lines=[("Attorneys", 5_000_000)],
        by=user,
    )
    assert edited.pk == application.pk and edited.requested == 5_000_000
    late = open_round.closes_on + datetime.timedelta(days=1)
    with pytest.raises(ServiceError, match="deadline"):
        application_save(
            grant_round=open_round,
            organization=organization,
            category="detained_removal",
            narrative="Too late",
            budget_lines=[("Attorneys", 1)],
            by=user,
            today=late,
        )
    edited.refresh_from_db()
    assert edited.narrative == "Updated"


def test_attachments_limited_by_type_and_size(open_round: Any, grantee: Any) -> None:
    organization, user = grantee
    for name, data in (
        ("x.exe", b"MZ"),
        ("x.pdf", b"not a pdf"),
        ("x.pdf", b"%PDF" + b"0" * 6_000_000),
    ):
        with pytest.raises(ServiceError):
            application_save(
                grant_round=open_round,
                organization=organization,
                category="detained_removal",
                narrative="n",
                budget_lines=[("a", 1)],
                attachments=[(name, "application/octet-stream", data)],
                by=user,
            )
    assert not organization.grant_applications.exists()


def test_scoring_summary_and_conflicts(application: Any, open_round: Any, make_user: Any) -> None:
    a, b, c = (make_user(Role.BOARD_MEMBER) for _ in range(3))
    criteria = list(open_round.criteria.all())
    with pytest.raises(PermissionDenied):  # not in review yet
        scores_record(application=application, by=a, scores={x.pk: (5, "") for x in criteria})
    in_review(open_round)
    application.round.refresh_from_db()
    scores_record(application=application, by=a, scores={x.pk: (5, "strong") for x in criteria})
    scores_record(application=application, by=b, scores={x.pk: (3, "") for x in criteria})
    assert weighted_score(application) == 4.0
    with pytest.raises(ServiceError):
        scores_record(application=application, by=c, scores={x.pk: (6, "") for x in criteria})
    conflict_declare(by=c, organization=application.organization)
    with pytest.raises(PermissionDenied):
        scores_record(application=application, by=c, scores={x.pk: (1, "") for x in criteria})
    summary = round_summary(round=open_round, fetched_by=a)
    assert [row.application.pk for row in summary.rows] == [application.pk]
    assert summary.rows[0].recommended and summary.rows[0].reviewers == 2
    assert round_summary(round=open_round, fetched_by=c).rows == []


def test_award_refused_beyond_budget_or_restricted_balance(
    application: Any, open_round: Any, admin: Any, city: Any
) -> None:
    in_review(open_round)
    fund(city, 2_000_000)
    with pytest.raises(ServiceError, match="money held"):
        award_decide(application=application, amount=3_000_000, by=admin)
    assert not Award.objects.exists()
    fund(city, 90_000_000, "CITY-2")
    open_round.budget = 1_000_000
    open_round.save()
    with pytest.raises(ServiceError, match="budget"):
        award_decide(application=application, amount=2_000_000, by=admin)
    open_round.budget = 10_000_000
    open_round.save()
    award = award_decide(application=application, amount=7_000_000, by=admin)
    assert award.amount == 7_000_000


def test_tranche_beyond_restricted_balance_refused_and_nothing_posted(
    application: Any, open_round: Any, admin: Any, city: Any
) -> None:
    in_review(open_round)
    fund(city, 7_000_000)
    award = award_decide(application=application, amount=7_000_000, by=admin)
    first = tranche_add(award=award, amount=4_000_000, due_on=timezone.localdate(), by=admin)
    second = tranche_add(award=award, amount=3_000_000, due_on=timezone.localdate(), by=admin)
    with pytest.raises(ServiceError):
        tranche_add(award=award, amount=1, due_on=timezone.localdate(), by=admin)
    tranche_pay(tranche=first, by=admin)
    assert restricted_balance(restriction_id=city.pk, currency="USD") == 3_000_000
    # Someone else spends from the restriction: the second tranche no longer fits.
    from amparo.ledger.services import restricted_spend

    restricted_spend(
        restriction=city,
        category="detained_removal",
        amount=1_000_000,
        currency="USD",
        memo="Other spend",
        effective_date=timezone.localdate(),
        by=admin,
    )
    entries, postings = JournalEntry.objects.count(), Posting.objects.count()
    with pytest.raises(ServiceError, match="Not enough money"):
        tranche_pay(tranche=second, by=admin)
    second.refresh_from_db()
    assert second.paid_on is None and second.entry_id is None
    assert (JournalEntry.objects.count(), Posting.objects.count()) == (entries, postings)
    with pytest.raises(ServiceError, match="already"):
        tranche_pay(tranche=first, by=admin)


def test_report_states_by_date(application: Any, open_round: Any, admin: Any, city: Any) -> None:
    in_review(open_round)
    fund(city, 7_000_000)
    award = award_decide(application=application, amount=1_000_000, by=admin)
    report = reports_schedule(award=award, start=datetime.date(2026, 1, 1), quarters=1, by=admin)[0]
    assert report.period_end == datetime.date(2026, 3, 31)
    assert report.due_on == datetime.date(2026, 4, 30)
    assert report_state(report, datetime.date(2026, 4, 1)) == ReportState.UPCOMING
    assert report_state(report, datetime.date(2026, 4, 16)) == ReportState.DUE
    assert report_state(report, datetime.date(2026, 4, 30)) == ReportState.DUE
    assert report_state(report, datetime.date(2026, 5, 1)) == ReportState.LATE
    assert report_state(report, datetime.date(2026, 5, 30)) == ReportState.LATE
    assert report_state(report, datetime.date(2026, 5, 31)) == ReportState.VERY_LATE
    report.submitted_at = timezone.now()
    assert report_state(report, datetime.date(2026, 6, 30)) == ReportState.SUBMITTED


def test_reminders_are_idempotent(
    application: Any,
    open_round: Any,
    admin: Any,
    city: Any,
    django_capture_on_commit_callbacks: Any,
    fund_settings: dict[str, str],
) -> None:
    in_review(open_round)
    fund(city, 7_000_000)
    award = award_decide(application=application, amount=1_000_000, by=admin)
    reports_schedule(award=award, start=datetime.date(2026, 1, 1), quarters=2, by=admin)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(by=SYSTEM, today=datetime.date(2026, 5, 5)) == 1
    assert len(mail.outbox) == 1
    assert_speaks_as_the_fund(mail.outbox[0], fund_settings)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(by=SYSTEM, today=datetime.date(2026, 5, 5)) == 0
        assert reminders_send(by=SYSTEM, today=datetime.date(2026, 5, 6)) == 0
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(by=SYSTEM, today=datetime.date(2026, 6, 15)) == 1  # very late now
    assert len(mail.outbox) == 2
    assert ReportReminder.objects.count() == 2
    assert GranteeReport.objects.filter(submitted_at__isnull=True).count() == 2


def test_a_changed_application_audits_the_names_of_the_changed_fields(
    application: Any, open_round: Any, grantee: Any
) -> None:
    organization, user = grantee
    application_save(
        grant_round=open_round,
        organization=organization,
        category=application.category,
        narrative="A new narrative",
        budget_lines=[("Attorneys", 5_000_000)],
        by=user,
    )
    events = AuditEvent.objects.filter(
        action="grants.application_changed", object_id=str(application.pk)
    )
    assert sorted(f for e in events for f in e.fields) == ["budget_lines", "narrative", "requested"]


def test_only_the_organizations_administrators_apply(
    open_round: Any, grantee: Any, make_user: Any
) -> None:
    organization, _user = grantee
    with pytest.raises(PermissionDenied):
        application_save(
            grant_round=open_round,
            organization=organization,
            category="detained_removal",
            narrative="Not mine",
            budget_lines=[("Attorneys", 1)],
            by=make_user(Role.PROVIDER_ADMIN),
        )
