"""``amparo worker``: run queued background tasks (django-tasks-db's ``db_worker``).

Any number of workers, on any number of machines, can share one queue: each task is claimed
by exactly one worker inside a locking transaction. SIGTERM or Ctrl-C lets the running task
finish, then stops.
"""

from __future__ import annotations

import argparse
import logging
import os
import socket
import threading
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, connections
from django.utils.translation import gettext as _
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME, task_backends
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from amparo.core.schedule import schedule_tick

from ._operations import Refusal, positive_int

#: Seconds between two ticks of the scheduler in a running worker.
SCHEDULE_EVERY = 60.0


def _tick() -> None:
    try:
        schedule_tick()
    except DatabaseError:  # the next tick tries again; the worker keeps running tasks
        logging.getLogger("amparo.schedule").warning("schedule tick failed")
    finally:
        connections.close_all()


def start_scheduler(*, once: bool) -> None:
    """Tick now; unless ``once``, keep ticking in a daemon thread while the worker runs."""
    _tick()
    if once:
        return

    def loop() -> None:
        stop = threading.Event()
        while not stop.wait(SCHEDULE_EVERY):
            _tick()

    threading.Thread(target=loop, name="amparo-scheduler", daemon=True).start()


def interval_arg(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 3600:
        raise argparse.ArgumentTypeError(_("Enter a number of seconds from 0 to 3600."))
    return value


def queue_names(values: list[str] | None) -> list[str]:
    """``--queue a --queue b,c`` → ``["a", "b", "c"]``; the default queue when none given."""
    names: list[str] = []
    for value in values or [DEFAULT_TASK_QUEUE_NAME]:
        names += [n.strip() for n in value.split(",") if n.strip()]
    if not names:
        raise Refusal(_("--queue needs a queue name (or * for every queue)."))
    return list(dict.fromkeys(names))


class Command(BaseCommand):
    help = _("Run the background task worker on the database-backed queue.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--queue",
            action="append",
            metavar="NAME",
            help=_(
                "A queue to take tasks from; repeat it or separate names with commas; * for all (default: default)."
            ),
        )
        parser.add_argument(
            "--interval",
            type=interval_arg,
            default=1.0,
            metavar="SECONDS",
            help=_("How long to wait before looking again when the queue is empty (default: 1)."),
        )
        parser.add_argument(
            "--batch", action="store_true", help=_("Run the tasks that are waiting, then stop.")
        )
        parser.add_argument(
            "--no-schedule",
            action="store_true",
            help=_(
                "Do not enqueue the periodic jobs (retention, timers, reminders) from this worker."
            ),
        )
        parser.add_argument(
            "--max-tasks",
            type=positive_int,
            default=None,
            metavar="N",
            help=_("Stop after running this many tasks."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        queues = queue_names(options["queue"])
        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
        if not isinstance(backend, DatabaseBackend):
            raise Refusal(
                _(
                    "The task queue is not the database queue (see TASKS in the settings): there is nothing for a worker to run."
                )
            )
        try:
            DBTaskResult.objects.exists()
        except DatabaseError as exc:
            raise Refusal(
                _(
                    "Cannot read the task queue: is the database reachable, and was `amparo migrate` run?"
                )
            ) from exc
        connections.close_all()
        worker_id = f"{socket.gethostname()}-{os.getpid()}"[-64:]
        if options["verbosity"] > 0:
            self.stdout.write(
                _("Task worker %(id)s taking tasks from: %(queues)s. Stop with Ctrl-C.")
                % {"id": worker_id, "queues": ", ".join(queues)}
            )
            self.stdout.flush()
        if not options["no_schedule"]:
            start_scheduler(once=options["batch"])
        call_command(
            "db_worker",
            queue_name=",".join(queues),
            exclude_queues="",
            interval=options["interval"],
            batch=options["batch"],
            max_tasks=options["max_tasks"],
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            reload=False,
            startup_delay=not options["batch"],
            worker_id=worker_id,
            verbosity=options["verbosity"],
        )
