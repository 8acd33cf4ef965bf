"""Retention: requests that never became cases are shredded after their program's period."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from amparo.accounts.roles import Role
from amparo.audit.models import AuditEvent
from amparo.core.services import SYSTEM
from amparo.intake.models import AdverseParty, HelpRequest, IntakePolicy, RequestState
from amparo.intake.selectors import retention_overview
from amparo.intake.services import IntakeError, help_request_close, help_request_purge
from amparo.intake.tasks import purge_expired_help_requests
from amparo.referrals.services import referral_accept
from amparo.vault.blind import matching
from amparo.vault.errors import SubjectShredded
from tests.clock import frozen
from tests.factories import ProgramFactory
from tests.intake.helpers import route

pytestmark = [pytest.mark.django_db, frozen]


def _age(request: HelpRequest, days: int) -> None:
    HelpRequest.objects.filter(pk=request.pk).update(
        state_changed_at=timezone.now() - datetime.timedelta(days=days)
    )


def test_closed_requests_are_shredded_after_the_period_and_not_before(
    submit: Any, make_user: Any, policy: Any
) -> None:
    worker = make_user(Role.INTAKE_WORKER)
    request = submit(a_number="A-555-444-333", adverse_parties=["Carlos Méndez"]).help_request
    help_request_close(help_request=request, by=worker)
    _age(request, 89)
    assert purge_expired_help_requests.call() == {"purged": 0}
    _age(request, 91)
    assert purge_expired_help_requests.call() == {"purged": 1}
    shredded = HelpRequest.objects.get(pk=request.pk)
    assert shredded.purged_at is not None and shredded.subject.is_shredded
    with pytest.raises(SubjectShredded):
        _ = shredded.name
    assert not HelpRequest.objects.filter(
        matching(HelpRequest, "a_number_index", "555444333")
    ).exists()
    assert not AdverseParty.objects.filter(
        matching(AdverseParty, "name_index", "Carlos Méndez")
    ).exists()
    assert (
        shredded.state == RequestState.CLOSED and shredded.priority == request.priority
    )  # aggregates stay
    assert AuditEvent.objects.filter(
        action="intake.help_request.purged", object_id=str(request.pk)
    ).exists()
    assert AuditEvent.objects.filter(
        action="vault.subject.shredded", object_id=str(request.subject_id)
    ).exists()
    assert purge_expired_help_requests.call() == {"purged": 0}  # once


def test_the_period_is_set_per_program(submit: Any, policy: Any) -> None:
    policy.retention_days = 30
    policy.save()
    request = submit(household_size=1, income_low=90_000, income_high=90_000).help_request
    assert request.state == RequestState.NOT_ELIGIBLE
    _age(request, 31)
    assert purge_expired_help_requests.call() == {"purged": 1}


def test_requests_that_became_cases_are_never_shredded(submit: Any, make_provider: Any) -> None:
    _org, admin, _profile = make_provider()
    request = submit().help_request
    referral_accept(referral=route(request), by=admin)
    _age(request, 4000)
    assert purge_expired_help_requests.call() == {"purged": 0}
    with pytest.raises(IntakeError):
        help_request_purge(help_request=request, by=SYSTEM, reason="test")
    request.refresh_from_db()
    assert request.purged_at is None and request.name


def test_open_requests_are_not_shredded_but_shown_to_fund_admins(
    submit: Any, make_user: Any
) -> None:
    admin = make_user(Role.FUND_ADMIN)
    request = submit().help_request
    _age(request, 400)
    assert purge_expired_help_requests.call() == {"purged": 0}
    overview = retention_overview(fetched_by=admin)
    assert overview is not None and overview.open_over_period == 1
    assert retention_overview(fetched_by=make_user(Role.INTAKE_WORKER)) is None


def test_the_retention_page_is_for_fund_admins(
    submit: Any, make_user: Any, client_for: Any
) -> None:
    admin, worker = make_user(Role.FUND_ADMIN), make_user(Role.INTAKE_WORKER)
    request = submit(household_size=1, income_low=90_000, income_high=90_000).help_request
    _age(request, 100)
    page = client_for(admin).get("/intake/retention/")
    assert page.status_code == 200 and b"amparo intake purge" in page.content
    assert client_for(worker).get("/intake/retention/").status_code == 404
    assert client_for(admin).post("/intake/retention/").status_code == 302
    assert HelpRequest.objects.get(pk=request.pk).purged_at is not None


def test_the_overview_counts_each_program_by_its_own_period(
    submit: Any, make_user: Any, policy: Any
) -> None:
    """Each program's row: closed requests kept, those past its own period (due now), and when
    the next one falls due; a program with rules and no closed request has a row of zeros."""
    worker = make_user(Role.INTAKE_WORKER)
    admin = make_user(Role.FUND_ADMIN)
    IntakePolicy.objects.filter(pk=policy.pk).update(retention_days=30)
    idle = IntakePolicy.objects.create(program=ProgramFactory(name="Zz idle"), poverty_year=2025)
    ages = [45, 31, 20, 10]  # two past 30 days, two inside it
    for days in ages:
        request = submit().help_request
        help_request_close(help_request=request, by=worker)
        _age(request, days)
    submit()  # open: not counted
    overview = retention_overview(fetched_by=admin)
    assert overview is not None
    rows = {row.program: row for row in overview.rows}
    shown = rows[policy.program.name]
    assert (shown.retention_days, shown.due_now, shown.kept_closed) == (30, 2, 4)
    assert shown.next_due == timezone.now() - datetime.timedelta(days=20 - 30)
    quiet = rows[idle.program.name]
    assert (quiet.retention_days, quiet.due_now, quiet.kept_closed, quiet.next_due) == (
        90,
        0,
        0,
        None,
    )
    assert [row.program for row in overview.rows] == [policy.program.name, "Zz idle"]
