"""The SLA timer goes through the task queue: a deferred check per referral (ids only)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings
from django_tasks import default_task_backend

from amparo.referrals.tasks import referral_sla_check, route_help_request
from tests.intake.helpers import route

pytestmark = pytest.mark.django_db(transaction=True)

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@override_settings(TASKS=DUMMY)
def test_a_referral_queues_its_sla_check_for_when_the_answer_is_due(
    submit: Any, make_provider: Any
) -> None:
    make_provider()
    default_task_backend.clear()  # type: ignore[attr-defined]
    submission = (
        submit()
    )  # committed: the routing task is queued after the commit, with the id only
    queued = default_task_backend.results  # type: ignore[attr-defined]
    assert [(r.task.name, r.args) for r in queued] == [
        (route_help_request.name, [str(submission.help_request.pk)])
    ]
    referral = route(submission.help_request)
    checks = [r for r in default_task_backend.results if r.task.name == referral_sla_check.name]  # type: ignore[attr-defined]
    assert len(checks) == 1
    assert checks[0].args == [referral.pk] and checks[0].task.run_after == referral.due_at
    assert submission.help_request.name not in repr([r.args for r in default_task_backend.results])  # type: ignore[attr-defined]
