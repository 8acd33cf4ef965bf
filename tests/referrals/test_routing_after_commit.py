"""Routing is off the submission's path: the request, its encrypted data and its routing task
commit together; a worker routes it afterwards; the sweep routes a request whose task was lost."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from amparo.audit.models import AuditEvent
from amparo.core.services import SYSTEM
from amparo.intake.models import HelpRequest, RequestState
from amparo.referrals.models import Referral, ReferralStatus
from amparo.referrals.services import ROUTING_GRACE, referrals_route_stranded
from amparo.referrals.tasks import referrals_sweep, route_help_request
from amparo.search.models import SearchKey
from amparo.search.services import name_tokens
from tests.clock import FROZEN_NOW

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def database_queue(settings: Any) -> None:
    """The production queue: tasks are rows in the database, run by `amparo worker`."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _routing_tasks(request: HelpRequest) -> list[DBTaskResult]:
    return [
        row
        for row in DBTaskResult.objects.filter(task_path=route_help_request.module_path)
        if row.args_kwargs["args"] == [str(request.pk)]
    ]


def _run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_the_submission_returns_before_routing_with_its_task_committed_beside_it(
    submit: Any, make_provider: Any
) -> None:
    make_provider()
    submission = submit()
    request = HelpRequest.objects.get(pk=submission.help_request.pk)
    # The person has their reference; nobody has routed the request yet.
    assert submission.created and submission.help_request.reference
    assert request.state == RequestState.WAITING and request.awaiting_routing
    assert not Referral.objects.filter(help_request=request).exists()
    tasks = _routing_tasks(request)
    assert len(tasks) == 1 and tasks[0].status == "READY"
    assert submission.help_request.name not in repr(tasks[0].args_kwargs)


def test_the_routing_task_is_written_in_the_submissions_transaction(submit: Any) -> None:
    """A rolled-back submission leaves no task behind (and a committed one cannot lose it)."""

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        submission = submit()
        assert len(_routing_tasks(submission.help_request)) == 1
        raise Abort
    assert not HelpRequest.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_the_worker_routes_the_request_after_the_commit(submit: Any, make_provider: Any) -> None:
    org, _admin, _profile = make_provider()
    submission = submit()
    _run_worker()
    request = HelpRequest.objects.get(pk=submission.help_request.pk)
    referral = Referral.objects.get(help_request=request)
    assert referral.organization == org and referral.status == ReferralStatus.PENDING
    assert request.state == RequestState.REFERRED and not request.awaiting_routing
    assert [t.status for t in _routing_tasks(request)] == ["SUCCESSFUL"]


def test_a_request_whose_task_was_lost_is_routed_by_the_sweep(
    submit: Any, make_provider: Any
) -> None:
    make_provider()
    with time_machine.travel(FROZEN_NOW, tick=False) as clock:
        submission = submit()
        DBTaskResult.objects.all().delete()  # the worker was down and the task is gone
        request = submission.help_request
        # Within the grace period the sweep leaves it to its task.
        clock.shift(ROUTING_GRACE - datetime.timedelta(seconds=1))
        assert referrals_route_stranded(by=SYSTEM) == 0
        assert not Referral.objects.filter(help_request=request).exists()
        # After it, the periodic sweep routes it.
        clock.shift(datetime.timedelta(seconds=2))
        assert referrals_sweep.call() == {"expired": 0, "routed": 1}
        request.refresh_from_db()
        assert request.state == RequestState.REFERRED and not request.awaiting_routing
        assert Referral.objects.filter(help_request=request).count() == 1
        assert AuditEvent.objects.filter(action="referrals.referral.sent").count() == 1
        # Routed once: the sweep does not send it again.
        clock.shift(ROUTING_GRACE * 2)
        assert referrals_route_stranded(by=SYSTEM) == 0


def test_the_sweep_leaves_requests_a_person_kept_for_the_queue(
    submit: Any, make_provider: Any
) -> None:
    """Staff may keep an eligible request out of routing (batch assignment later): the sweep
    routes only requests that were handed to the router."""
    from amparo.intake.services import help_request_submit
    from tests.intake.helpers import request_data

    make_provider()
    with time_machine.travel(FROZEN_NOW, tick=False) as clock:
        from faker import Faker

        kept = help_request_submit(
            data=request_data(Faker()), source="hotline", by=SYSTEM, route=False
        ).help_request
        assert kept.state == RequestState.WAITING and not kept.awaiting_routing
        clock.shift(ROUTING_GRACE * 3)
        assert referrals_route_stranded(by=SYSTEM) == 0
    assert not Referral.objects.filter(help_request=kept).exists()


def test_the_submission_keeps_its_encryption_search_keys_and_audit_event(
    submit: Any, fake: Any
) -> None:
    name = f"{fake.first_name()} {fake.last_name()}"
    with CaptureQueriesContext(connection) as queries:
        submission = submit(name=name)
    request = submission.help_request
    # One transaction: nothing is written after its commit (the task row is inside it).
    statements = [q["sql"] for q in queries.captured_queries]
    commits = [i for i, sql in enumerate(statements) if sql.upper().startswith("COMMIT")]
    assert commits in ([], [len(statements) - 1]), statements
    # The new data key serves every value and every search key: no query for the subject.
    assert not [sql for sql in statements if sql.startswith("SELECT") and "vault_subject" in sql]
    stored = HelpRequest.objects.filter(pk=request.pk).values_list("name", flat=True).get()
    assert name.encode() not in bytes(stored)
    assert HelpRequest.objects.get(pk=request.pk).name == name
    tokens = [key.token for key in SearchKey.objects.filter(help_request=request)]
    assert sorted(tokens) == name_tokens(name)
    event = AuditEvent.objects.get(action="intake.help_request.created", object_id=str(request.pk))
    assert {"name", "a_number"} <= set(event.fields)
    assert name not in repr(event.__dict__)
