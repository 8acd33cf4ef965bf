"""The gunicorn worker ``amparo serve`` runs: gthread, with a deadline for reading a request.

Gunicorn's threaded worker waits for a connection's first bytes in its poller (a silent client
costs no thread), but once bytes arrive a thread reads the request with blocking ``recv`` and no
time limit, so a client that trickles one header byte a second (slowloris) holds that thread
for as long as it likes. This worker gathers each request head in the poller, without a
thread, and gives every request a deadline (``AMPARO_WEB_READ_TIMEOUT``): a request that has
not arrived by then ends its connection.
"""

from __future__ import annotations

import os
import socket
import time
from typing import Any

from gunicorn.http.errors import NoMoreData
from gunicorn.workers.gthread import _DEFER, ThreadWorker


def read_timeout_from_env() -> float:
    """``AMPARO_WEB_READ_TIMEOUT`` in seconds (default 20): how long one request may take to
    arrive, headers and body. A reverse proxy in front delivers requests whole, far faster."""
    raw = os.environ.get("AMPARO_WEB_READ_TIMEOUT", "")
    try:
        value = float(raw)
    except ValueError:
        return 20.0
    return value if value > 0 else 20.0


class ReadDeadlineExceeded(NoMoreData):  # type: ignore[misc]
    """The client did not finish sending its request in time.

    A ``NoMoreData``, so gunicorn closes the connection quietly as it does when a client goes
    away mid-request, and the application sees an unreadable body instead of a truncated one.
    """

    def __str__(self) -> str:
        return "request not received before the read deadline"


#: Bytes of a request head gathered in the poller before the parser takes over (and refuses a
#: head this long with gunicorn's own limits).
HEAD_LIMIT = 64 * 1024


class DeadlineSocket:
    """A socket whose ``recv`` gives up at an absolute deadline (``None``: no deadline).

    It first hands out the bytes the worker gathered without blocking (``pending``). Only reads
    are changed; everything else (send, fileno for the poller, close) goes to the real socket.
    """

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self.deadline: float | None = None
        self.pending = bytearray()

    def gather(self) -> bool:
        """Take whatever the client has sent so far without waiting; False once it closed."""
        while len(self.pending) < HEAD_LIMIT:
            try:
                data = self._sock.recv(65536, socket.MSG_DONTWAIT)
            except (BlockingIOError, InterruptedError):
                return True
            except OSError:
                return False
            if not data:
                return False
            self.pending += data
        return True

    def recv(self, size: int, *flags: int) -> bytes:
        if self.pending:
            data = bytes(self.pending[:size])
            del self.pending[:size]
            return data
        if self.deadline is None:
            return self._sock.recv(size, *flags)
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise ReadDeadlineExceeded()
        prior = self._sock.gettimeout()
        self._sock.settimeout(remaining if prior is None else min(prior, remaining))
        try:
            return self._sock.recv(size, *flags)
        except TimeoutError as exc:
            if time.monotonic() >= self.deadline:
                raise ReadDeadlineExceeded() from exc
            raise
        finally:
            self._sock.settimeout(prior)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


def _buffered(conn: Any) -> bytes:
    """Bytes of the next request gunicorn's parser already read ahead (keep-alive)."""
    parser = getattr(conn, "parser", None)
    unreader = getattr(parser, "unreader", None)
    buf = getattr(unreader, "buf", None)
    return buf.getvalue() if buf is not None else b""


class DeadlineThreadWorker(ThreadWorker):  # type: ignore[misc]
    """gthread worker that gathers request heads in its poller and reads under a deadline.

    A thread takes a request only once its whole head (up to the blank line) has arrived: until
    then each call takes what is there without waiting and hands the connection back to the
    poller (gunicorn closes it after ``keepalive`` seconds of silence). So a client trickling
    its headers costs no thread, only a moment of one per byte. The head and the body must
    arrive within ``read_timeout`` of the request's start; the body is read by the application
    in its thread, with every read bounded by what is left of that time.
    """

    read_timeout = read_timeout_from_env()

    def handle(self, conn: Any) -> Any:
        if self.cfg.is_ssl:  # TLS needs the real socket; Amparo terminates TLS in the proxy
            return super().handle(conn)
        if not isinstance(conn.sock, DeadlineSocket):
            conn.sock = DeadlineSocket(conn.sock)
        sock: DeadlineSocket = conn.sock
        if sock.deadline is None:
            sock.deadline = time.monotonic() + self.read_timeout
        open_ = sock.gather()
        head = _buffered(conn) + bytes(sock.pending)
        if open_ and b"\r\n\r\n" not in head and len(head) < HEAD_LIMIT:
            if time.monotonic() >= sock.deadline:
                self.log.debug("Closing a connection whose request did not arrive in time.")
                return False
            conn.data_ready = False
            return _DEFER
        conn.data_ready = True  # the head is here: gunicorn need not wait for a first byte
        try:
            return super().handle(conn)
        finally:
            sock.deadline = None
