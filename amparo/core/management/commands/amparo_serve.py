"""``amparo serve``: the production web server (gunicorn workers, static files by whitenoise)."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, connections
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from gunicorn.app.base import BaseApplication

from amparo.accounts.models import User

from ._operations import Refusal, check_bind, database_ready, port_from_env, positive_int


def default_workers() -> int:
    """``AMPARO_WEB_WORKERS``, or gunicorn's rule of thumb (2 × CPUs + 1, at most 17)."""
    raw = os.environ.get("AMPARO_WEB_WORKERS", "")
    if raw.isdigit() and int(raw) > 0:
        return int(raw)
    return min(2 * (os.cpu_count() or 1) + 1, 17)


#: Threads per worker. A thread is held only while a request is read and answered; idle
#: keep-alive connections wait in the worker's poller without one.
THREADS_PER_WORKER = int(os.environ.get("AMPARO_WEB_THREADS", "16") or "16")
#: The threaded worker that gathers request heads in its poller, under a read deadline.
WORKER_CLASS = "amparo.core.webserver.DeadlineThreadWorker"
#: Seconds an idle keep-alive connection (or one that sent nothing yet) is kept open.
KEEPALIVE_SECONDS = 2


def gunicorn_options(
    *, bind: str, workers: int, timeout: int, verbosity: int = 1
) -> dict[str, Any]:
    """What ``amparo serve`` tells gunicorn.

    Threaded workers multiplex connections: a client that connects and says nothing, or keeps
    a connection open after its answer, waits in the poller (and is closed after
    ``KEEPALIVE_SECONDS``) instead of holding a worker, as a sync worker would. Header size
    and count are capped. The worker (``amparo.core.webserver``) gathers request heads without
    a thread and gives every request ``AMPARO_WEB_READ_TIMEOUT`` seconds to arrive, so a client
    trickling its headers holds no thread. In production a reverse proxy also buffers requests
    and times them out (README, "Running in production").
    """
    return {
        "bind": [bind],
        "workers": workers,
        "worker_class": WORKER_CLASS,
        "threads": THREADS_PER_WORKER,
        "worker_connections": 1000,
        "keepalive": KEEPALIVE_SECONDS,
        "timeout": timeout,
        "graceful_timeout": 20,
        "limit_request_line": 4094,
        "limit_request_fields": 100,
        "limit_request_field_size": 8190,
        "preload_app": True,
        "proc_name": "amparo",
        # One control socket per user would clash between servers on one machine.
        "control_socket_disable": True,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "info" if verbosity > 0 else "warning",
    }


def server_header_remove() -> None:
    """Answer without gunicorn's ``Server: gunicorn/<version>`` header (it names the version)."""
    from gunicorn.http import wsgi

    original = wsgi.Response.default_headers
    if getattr(original, "amparo_no_server", False):
        return

    def default_headers(self: Any) -> list[str]:
        return [h for h in original(self) if not h.lower().startswith("server:")]

    default_headers.amparo_no_server = True  # type: ignore[attr-defined]
    wsgi.Response.default_headers = default_headers


class AmparoServer(BaseApplication):  # type: ignore[misc]
    """Gunicorn run in this process, configured from the command line instead of its own."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        server_header_remove()
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from django.core.wsgi import get_wsgi_application

        return get_wsgi_application()


def demo_users_allowed(flag: bool) -> bool:
    return (
        flag
        or os.environ.get("AMPARO_ALLOW_DEMO_USERS", "") == "1"
        or bool(settings.AMPARO.get("ALLOW_DEMO_USERS"))
    )


class Command(BaseCommand):
    help = _(
        "Run the production web server: gunicorn with N workers, static files by whitenoise. "
        "Refuses to start while demo users exist, unless told to allow them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--workers",
            type=positive_int,
            default=default_workers(),
            metavar="N",
            help=_("Number of worker processes (default: AMPARO_WEB_WORKERS or 2 × CPUs + 1)."),
        )
        parser.add_argument(
            "--bind",
            default=os.environ.get("AMPARO_BIND", ""),
            metavar="HOST:PORT",
            help=_("Address to listen on (default: AMPARO_BIND, or 127.0.0.1:AMPARO_PORT)."),
        )
        parser.add_argument(
            "--allow-demo-users",
            action="store_true",
            help=_("Serve even though demo users exist (also AMPARO_ALLOW_DEMO_USERS=1)."),
        )
        parser.add_argument(
            "--no-collectstatic",
            action="store_false",
            dest="collectstatic",
            help=_("Do not collect static files before starting (they must be collected already)."),
        )
        parser.add_argument(
            "--timeout",
            type=positive_int,
            default=30,
            metavar="SECONDS",
            help=_("Restart a worker that is silent for this long (default: 30)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        bind = check_bind(options["bind"] or f"127.0.0.1:{port_from_env()}")
        database_ready()
        try:
            demo_count = User.objects.filter(is_demo=True).count()
        except DatabaseError as exc:  # pragma: no cover - database_ready() saw it first
            raise Refusal(_("Cannot read the users table.")) from exc
        if demo_count and not demo_users_allowed(options["allow_demo_users"]):
            raise Refusal(
                ngettext(
                    "Refusing to start: the database holds %(count)d demo user (is_demo=True), "
                    "whose password is published in the demo credentials file. Serve a database "
                    "without demo data, or pass --allow-demo-users (or set "
                    "AMPARO_ALLOW_DEMO_USERS=1) to serve a demo on purpose.",
                    "Refusing to start: the database holds %(count)d demo users (is_demo=True), "
                    "whose passwords are published in the demo credentials file. Serve a "
                    "database without demo data, or pass --allow-demo-users (or set "
                    "AMPARO_ALLOW_DEMO_USERS=1) to serve a demo on purpose.",
                    demo_count,
                )
                % {"count": demo_count}
            )
        if options["collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        # Workers are forked from this process: they must not share its database connection.
        connections.close_all()
        if options["verbosity"] > 0:
            self.stdout.write(
                ngettext(
                    "Serving on %(bind)s with %(workers)d worker. Stop with Ctrl-C.",
                    "Serving on %(bind)s with %(workers)d workers. Stop with Ctrl-C.",
                    options["workers"],
                )
                % {"bind": bind, "workers": options["workers"]}
            )
            self.stdout.flush()
        AmparoServer(
            gunicorn_options(
                bind=bind,
                workers=options["workers"],
                timeout=options["timeout"],
                verbosity=options["verbosity"],
            )
        ).run()
