"""``amparo demo``: a working fund on this machine, in one command.

Migrates the database (SQLite under ``var/`` by default), collects static files, prepares the
key folder, seeds the demo fund the first time, writes ``var/demo/credentials.json`` (0600), then
runs the production web server (``amparo serve``, gunicorn) and the task worker
(``amparo worker``) as child processes until Ctrl-C or SIGTERM, which stop both.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connections
from django.utils.translation import gettext as _

from amparo.accounts.roles import Role
from amparo.core.demo import demo_credentials_ensure, demo_seed
from amparo.organizations.models import Fund

from ._operations import Refusal, format_table, http_status, port_from_env, port_is_free

HOST = "127.0.0.1"
READY_TIMEOUT = 60.0
STOP_TIMEOUT = 30.0


def credentials_path() -> Path:
    return Path(settings.VAR_DIR) / "demo" / "credentials.json"


def prepare_var_dir() -> Path:
    """Create ``var/`` and its key folder (0700: the key-encryption key lives there)."""
    var_dir = Path(settings.VAR_DIR)
    var_dir.mkdir(parents=True, exist_ok=True)
    keys = var_dir / "keys"
    keys.mkdir(mode=0o700, exist_ok=True)
    os.chmod(keys, 0o700)
    return var_dir


class Command(BaseCommand):
    help = _(
        "Run the demo: migrate, seed the demo fund once, write the demo credentials, then "
        "serve it with the task worker until Ctrl-C."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-serve",
            action="store_false",
            dest="serve",
            help=_("Prepare everything, then stop instead of starting the server and the worker."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.verbosity = options["verbosity"]
        port = port_from_env()
        if options["serve"] and not port_is_free(HOST, port):
            raise Refusal(
                _(
                    "Port %(port)d is already in use: stop what uses it, or choose another port with AMPARO_PORT."
                )
                % {"port": port}
            )
        var_dir = prepare_var_dir()
        self.say(_("Preparing the database and static files in %(path)s …") % {"path": var_dir})
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)

        if Fund.objects.exists():
            self.say(_("The database already has a fund: demo data left as it is."))
        else:
            ctx = demo_seed()
            self.say(
                _(
                    "Demo data created. Provider organizations: %(orgs)d; attorneys: "
                    "%(attorneys)d; users: %(users)d."
                )
                % {
                    "orgs": len(ctx.organizations),
                    "attorneys": len(ctx.attorneys),
                    "users": sum(len(u) for u in ctx.users.values()),
                }
            )

        path = credentials_path()
        entries, issued = demo_credentials_ensure(path)
        if issued:
            self.say(
                _("New passwords and API tokens written to %(path)s (readable only by you).")
                % {"path": path}
            )
        else:
            self.say(_("The credentials in %(path)s still work: kept.") % {"path": path})

        if not options["serve"]:
            self.print_sign_in(entries, path, url=None)
            return
        connections.close_all()
        code = self.run_children(port, entries, path)
        if code:
            raise SystemExit(code)

    # --- output ------------------------------------------------------------------------------

    def say(self, message: str) -> None:
        if self.verbosity > 0:
            self.stdout.write(message)
            self.stdout.flush()

    def print_sign_in(self, entries: list[dict[str, Any]], path: Path, url: str | None) -> None:
        labels = dict(Role.choices)
        first: dict[str, dict[str, Any]] = {}
        for entry in entries:
            first.setdefault(entry["role"], entry)
        rows = [
            (
                entry["role"],
                str(labels.get(entry["role"], entry["role"])),
                entry["email"],
                entry["password"],
            )
            for entry in first.values()
        ]
        out = [""]
        if url:
            out.append(_("Amparo is running at %(url)s") % {"url": url})
            out.append("")
        if rows:
            out.append(_("Sign in as each role:"))
            out.append(
                format_table([_("role"), _("what they do"), _("email"), _("password")], rows)
            )
            out.append("")
            out.append(
                _(
                    "After the password, Amparo asks for a six-digit code: add the account's "
                    "totp_secret from %(path)s to an authenticator app. That file lists every "
                    "demo account (%(count)d in all), each with an API token for /api/v1/."
                )
                % {"path": path, "count": len(entries)}
            )
        else:
            out.append(_("There are no demo accounts in this database."))
        out.append(
            _(
                "Donors (role donor) have no password: they type their address at "
                "/accounts/donor/sign-in/ and follow the link mailed to them."
            )
        )
        if url:
            out.append(_("Press Ctrl-C to stop the server and the worker."))
        self.say("\n".join(out))

    # --- the child processes -----------------------------------------------------------------

    def run_children(self, port: int, entries: list[dict[str, Any]], path: Path) -> int:
        """Run the server and the worker until a signal or until one of them dies.

        Each child gets its own process group, so a Ctrl-C in the terminal reaches only this
        process, which stops both children once and in order (no doubled signals that would
        cut a running task short).
        """
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        base = [sys.executable, "-m", "amparo.cli"]
        quiet = ["--verbosity", "0"] if self.verbosity < 2 else []
        commands = {
            "server": [
                *base,
                "serve",
                "--workers",
                "2",
                "--bind",
                f"{HOST}:{port}",
                "--allow-demo-users",
                "--no-collectstatic",
                *quiet,
            ],
            "worker": [*base, "worker", *quiet],
        }
        stop: list[int] = []

        def on_signal(signum: int, frame: FrameType | None) -> None:
            stop.append(signum)

        previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
        children: dict[str, subprocess.Popen[bytes]] = {}
        try:
            for name, cmd in commands.items():
                children[name] = subprocess.Popen(cmd, env=env, process_group=0)
            problem = self.wait_ready(port, children, stop)
            if problem is None and not stop:
                self.print_sign_in(entries, path, url=f"http://{HOST}:{port}/")
                while not stop and problem is None:
                    problem = self.check_children(children)
                    time.sleep(0.2)
            if problem:
                self.stderr.write(problem)
                return 1
            return 0
        finally:
            self.stop_children(children)
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    def check_children(self, children: dict[str, subprocess.Popen[bytes]]) -> str | None:
        """A message about the first child that has exited, or None while both run."""
        for name, proc in children.items():
            if proc.poll() is None:
                continue
            if name == "server":
                message = _(
                    "The web server stopped unexpectedly (exit status %(code)s); stopping the demo."
                )
            else:
                message = _(
                    "The task worker stopped unexpectedly (exit status %(code)s); stopping the demo."
                )
            return message % {"code": proc.returncode}
        return None

    def wait_ready(
        self, port: int, children: dict[str, subprocess.Popen[bytes]], stop: list[int]
    ) -> str | None:
        """Wait until /healthz answers 200; returns what went wrong, or None."""
        deadline = time.monotonic() + READY_TIMEOUT
        while not stop and time.monotonic() < deadline:
            problem = self.check_children(children)
            if problem:
                return problem
            if http_status(HOST, port, "/healthz") == 200:
                return None
            time.sleep(0.3)
        if stop:
            return None
        return _("The web server did not answer within %(seconds)d seconds; stopping the demo.") % {
            "seconds": READY_TIMEOUT
        }

    def stop_children(self, children: dict[str, subprocess.Popen[bytes]]) -> None:
        # The server first: no new requests can enqueue tasks while the worker drains.
        for name in ("server", "worker"):
            proc = children.get(name)
            if proc is None or proc.poll() is not None:
                continue
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        if any(p.returncode not in (0, None) for p in children.values()):
            codes = ", ".join(f"{n}={p.returncode}" for n, p in children.items())
            self.say(_("Stopped (exit statuses: %(codes)s).") % {"codes": codes})
        else:
            self.say(_("Stopped the server and the worker."))
