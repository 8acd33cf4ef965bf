"""The periodic jobs: each is enqueued once per interval, whoever ticks."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from django.utils.module_loading import import_string

from amparo.core.models import ScheduledJob
from amparo.core.schedule import PERIODIC, schedule_tick
from tests.clock import frozen

pytestmark = [pytest.mark.django_db(transaction=True), frozen]

#: The jobs that run without configuration (the backup job waits for recipients).
ALWAYS = [j for j in PERIODIC if j.enabled is None]


def test_every_periodic_job_names_a_task_that_takes_no_arguments() -> None:
    for job in PERIODIC:
        task = import_string(job.task)
        assert callable(task.call), job.name


def test_a_tick_enqueues_each_job_once_per_interval(settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    first = schedule_tick(now=now)
    assert sorted(first) == sorted(j.name for j in ALWAYS)
    assert DBTaskResult.objects.count() == len(ALWAYS)
    # A second worker ticking at the same moment, or a minute later, enqueues nothing more.
    assert schedule_tick(now=now) == []
    assert schedule_tick(now=now + datetime.timedelta(minutes=1)) == []
    assert DBTaskResult.objects.count() == len(ALWAYS)
    # After five minutes, the five-minute jobs are due again, and only they.
    later = schedule_tick(now=now + datetime.timedelta(minutes=5, seconds=1))
    five = [j.name for j in PERIODIC if j.every == datetime.timedelta(minutes=5)]
    assert sorted(later) == sorted(five) and "referral-sla-sweep" in five
    row = ScheduledJob.objects.get(name="referral-sla-sweep")
    assert row.last_enqueued_at == now + datetime.timedelta(minutes=5, seconds=1)


def test_the_retention_job_runs_the_purge(settings) -> None:
    # With the immediate backend (the test default) enqueueing runs the task at commit.
    names = schedule_tick()
    assert "help-request-retention" in names


def test_the_backup_job_is_off_until_recipients_are_configured(settings, tmp_path) -> None:
    import pyrage

    settings.AMPARO_BACKUP_RECIPIENTS = ""
    assert "encrypted-backup" not in schedule_tick()
    identity = pyrage.x25519.Identity.generate()
    settings.AMPARO_BACKUP_RECIPIENTS = str(identity.to_public())
    settings.AMPARO_BACKUP_DIR = str(tmp_path / "backups")
    settings.AMPARO_BACKUP_KEEP = 3
    # The immediate backend runs the backup at commit.
    assert "encrypted-backup" in schedule_tick()
    archives = list((tmp_path / "backups").glob("amparo-backup-*.tar.gz.age"))
    assert len(archives) == 1
