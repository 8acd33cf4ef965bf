"""Helpers shared by the operator commands (``amparo demo``, ``serve``, ``worker``, ``seed``).

The leading underscore keeps Django from listing this module as a command.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import socket
from collections.abc import Sequence

from django.core.management.base import CommandError
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

#: ``HOST:PORT`` (IPv4, a name, or ``[IPv6]``) or ``unix:/path``.
_BIND_RE = re.compile(r"^(?:unix:/\S+|(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.\-]+):(\d{1,5}))$")


class Refusal(CommandError):
    """The command will not run as asked; exit status 2 and a message saying what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message, returncode=2)


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(_("Enter a whole number of 1 or more."))
    return value


def count_arg(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(_("Enter a whole number of 0 or more."))
    return value


def port_from_env(default: int = 8000) -> int:
    """``AMPARO_PORT`` as a port number, or a refusal saying what is wrong with it."""
    raw = os.environ.get("AMPARO_PORT", "").strip() or str(default)
    if not raw.isdigit() or not 1 <= int(raw) <= 65535:
        raise Refusal(_("AMPARO_PORT must be a port number from 1 to 65535."))
    return int(raw)


def check_bind(bind: str) -> str:
    match = _BIND_RE.match(bind)
    if not match or (match.group(1) and not 1 <= int(match.group(1)) <= 65535):
        raise Refusal(
            _("--bind must look like HOST:PORT (for example 127.0.0.1:8000) or unix:/path.")
        )
    return bind


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def database_ready() -> None:
    """Refuse when the database cannot be reached or has migrations left to apply."""
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        raise Refusal(
            _("Cannot reach the database (%(error)s). Check DATABASE_URL.")
            % {"error": exc.__class__.__name__}
        ) from exc
    if plan:
        raise Refusal(
            ngettext(
                "The database has %(count)d migration to apply: run `amparo migrate` first.",
                "The database has %(count)d migrations to apply: run `amparo migrate` first.",
                len(plan),
            )
            % {"count": len(plan)}
        )


def http_status(host: str, port: int, path: str, timeout: float = 2.0) -> int | None:
    """The status of ``GET path``, or None when nothing answers."""
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request("GET", path)
        return conn.getresponse().status
    except OSError:
        return None
    finally:
        conn.close()


def format_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain-text table with aligned columns (no colours: it may be piped to a file)."""
    widths = [max(len(str(c)) for c in col) for col in zip(headers, *rows, strict=False)]
    lines = [
        "  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=False)).rstrip()
        for row in (headers, *rows)
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
