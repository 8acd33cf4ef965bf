"""Background tasks of the core app.

Tasks run on the database-backed queue (django-tasks + django-tasks-db) and are executed by
``amparo worker``. Their arguments carry ids and plain values, never personal data: they are
stored in the database and visible to anyone who can read the queue.
"""

from __future__ import annotations

import os
import socket
from typing import Any

from django_tasks import task


@task()
def ping(token: str = "") -> dict[str, Any]:
    """Answer with the process that ran the task: proves that a worker picks up the queue.

    ``token`` is an opaque value echoed back so a caller can tell its own ping apart.
    """
    return {"pong": True, "token": token[:64], "pid": os.getpid(), "host": socket.gethostname()}
