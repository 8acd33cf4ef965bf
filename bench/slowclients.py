"""``amparo bench slowclients``: does ``amparo serve`` keep serving while clients misbehave?

The real ``amparo serve`` (gunicorn, its default worker and thread counts) runs in a subprocess
on a throwaway SQLite database. Well-behaved clients fetch a cheap page as fast as they can:
alone, then beside 64 silent clients (each sends a whole request, reads the answer and never
closes; when the server closes, it comes back) and 16 slow ones (each sends one header byte a
second, and comes back when cut off), then alone again. The baseline is the mean of the two
alone phases, so drift on a shared machine is spread over both sides. A separate prober opens a
fresh connection to ``/healthz`` twice a second all along and counts every answer that is not
a 200 within 5 s.
"""

from __future__ import annotations

import argparse
import http.client
import os
import selectors
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import suppress
from pathlib import Path
from typing import Any

from bench.registry import register

REPO = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _get(port: int, path: str, timeout: float) -> int:
    """Status of one GET on a fresh connection."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


class Behaved:
    """Clients that send a request, read the answer and send the next on the same connection."""

    def __init__(self, port: int, path: str, clients: int) -> None:
        self.port, self.path, self.clients = port, path, clients
        self._lock = threading.Lock()

    def _client(self, deadline: float, counts: list[int]) -> None:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=10)
        ok = errors = 0
        while time.monotonic() < deadline:
            try:
                conn.request("GET", self.path)
                response = conn.getresponse()
                response.read()
                ok, errors = (ok + 1, errors) if response.status == 200 else (ok, errors + 1)
            except (OSError, http.client.HTTPException):
                errors += 1
                conn.close()
                conn = http.client.HTTPConnection(HOST, self.port, timeout=10)
        conn.close()
        with self._lock:
            counts[0] += ok
            counts[1] += errors

    def run(self, seconds: float) -> tuple[float, int]:
        """Answers per second over ``seconds``, and the number of failed requests."""
        counts = [0, 0]
        started = time.monotonic()
        deadline = started + seconds
        threads = [
            threading.Thread(target=self._client, args=(deadline, counts))
            for _ in range(self.clients)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return counts[0] / (time.monotonic() - started), counts[1]


class Misbehaving(threading.Thread):
    """Silent and slow clients, all on one selector thread (they cost the bench next to nothing).

    A silent client sends a whole request, reads the answer and then holds the connection open;
    a slow client sends the start of a request one byte a second, forever. Both reconnect when
    the server closes on them, so the pressure lasts as long as the phase.
    """

    SLOW_BYTES = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 100_000

    def __init__(self, port: int, silent: int, slow: int) -> None:
        super().__init__(daemon=True)
        self.port, self.silent, self.slow = port, silent, slow
        self.stopping = threading.Event()
        self.reconnects = 0
        self._sel = selectors.DefaultSelector()

    def _open(self, kind: str) -> None:
        sock = socket.create_connection((HOST, self.port), timeout=5)
        if kind == "silent":
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        sock.setblocking(False)
        self._sel.register(sock, selectors.EVENT_READ, {"kind": kind, "sent": 0, "next": 0.0})

    def _on_readable(self, key: selectors.SelectorKey) -> None:
        try:
            data = key.fileobj.recv(65536)  # type: ignore[union-attr]
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:  # the server closed on us: come back
            self._sel.unregister(key.fileobj)
            key.fileobj.close()  # type: ignore[union-attr]
            self.reconnects += 1
            self._open(key.data["kind"])

    def _trickle(self, now: float) -> None:
        for key in list(self._sel.get_map().values()):
            state = key.data
            if state["kind"] != "slow" or state["next"] > now:
                continue
            with suppress(OSError):
                key.fileobj.send(self.SLOW_BYTES[state["sent"] : state["sent"] + 1])  # type: ignore[union-attr]
            state["sent"] += 1
            state["next"] = now + 1.0

    def run(self) -> None:
        for _ in range(self.silent):
            self._open("silent")
        for _ in range(self.slow):
            self._open("slow")
        while not self.stopping.is_set():
            for key, _mask in self._sel.select(timeout=0.1):
                self._on_readable(key)
            self._trickle(time.monotonic())
        for key in list(self._sel.get_map().values()):
            key.fileobj.close()  # type: ignore[union-attr]
        self._sel.close()


class HealthProbe(threading.Thread):
    """``GET /healthz`` on a fresh connection twice a second; counts anything but a quick 200."""

    def __init__(self, port: int) -> None:
        super().__init__(daemon=True)
        self.port = port
        self.stopping = threading.Event()
        self.probes = self.failures = 0
        self.slowest = 0.0

    def run(self) -> None:
        while not self.stopping.wait(0.5):
            started = time.monotonic()
            try:
                ok = _get(self.port, "/healthz", timeout=5) == 200
            except (OSError, http.client.HTTPException):
                ok = False
            self.slowest = max(self.slowest, time.monotonic() - started)
            self.probes += 1
            self.failures += not ok


def _wait_ready(port: int, proc: subprocess.Popen[bytes], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("amparo serve stopped before it answered")
        with suppress(OSError, http.client.HTTPException):
            if _get(port, "/healthz", timeout=2) == 200:
                return
        time.sleep(0.2)
    raise RuntimeError("amparo serve did not answer /healthz in time")


def _environment(folder: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "AMPARO_ALLOW_DEMO_USERS", "AMPARO_BIND", "AMPARO_PORT")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        AMPARO_VAR_DIR=str(folder / "var"),
        DATABASE_URL=f"sqlite:///{folder / 'bench.sqlite3'}",
        PYTHONUNBUFFERED="1",
    )
    return env


def _serve(folder: Path, port: int, workers: int | None) -> subprocess.Popen[bytes]:
    """Migrate a fresh database and start ``amparo serve`` on it (output to server.log)."""
    env = _environment(folder)
    amparo = [sys.executable, "-m", "amparo.cli"]
    subprocess.run(
        [*amparo, "migrate", "--no-input", "-v", "0"],
        env=env,
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    command = [*amparo, "serve", "--bind", f"{HOST}:{port}", "--no-collectstatic"]
    if workers:
        command += ["--workers", str(workers)]
    with open(folder / "server.log", "wb") as out:
        return subprocess.Popen(
            command, env=env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT, process_group=0
        )


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait()


def run_slowclients_bench(
    *,
    seconds: float,
    clients: int,
    silent: int,
    slow: int,
    workers: int | None = None,
    path: str = "/healthz",
) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="amparo-bench-slowclients-"))
    port = _free_port()
    server = _serve(folder, port, workers)
    try:
        _wait_ready(port, server)
        behaved = Behaved(port, path, clients)
        probe = HealthProbe(port)
        probe.start()
        behaved.run(1.0)  # warm up: imports, first connections, caches
        alone_before, errors_before = behaved.run(seconds)
        adversaries = Misbehaving(port, silent, slow)
        adversaries.start()
        time.sleep(2.0)  # every silent and slow client is connected and in its stride
        loaded, errors_loaded = behaved.run(seconds)
        adversaries.stopping.set()
        adversaries.join()
        alone_after, errors_after = behaved.run(seconds)
        probe.stopping.set()
        probe.join()
    finally:
        _stop(server)
    alone = (alone_before + alone_after) / 2
    return {
        "seconds_per_phase": seconds,
        "clients": clients,
        "silent_clients": silent,
        "slow_clients": slow,
        "path": path,
        "alone_rps": round(alone, 1),
        "alone_rps_before": round(alone_before, 1),
        "alone_rps_after": round(alone_after, 1),
        "loaded_rps": round(loaded, 1),
        "ratio": round(loaded / alone, 3) if alone else 0.0,
        "behaved_errors": errors_before + errors_loaded + errors_after,
        "misbehaving_reconnects": adversaries.reconnects,
        "healthz_probes": probe.probes,
        "healthz_failures": probe.failures,
        "healthz_slowest_s": round(probe.slowest, 3),
    }


@register("slowclients", "amparo serve under silent and slow clients vs serving alone")
def slowclients(argv: list[str]) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="amparo bench slowclients")
    parser.add_argument("--seconds", type=float, default=8.0, help="length of each phase")
    parser.add_argument("--clients", type=int, default=4, help="well-behaved clients")
    parser.add_argument("--silent", type=int, default=64)
    parser.add_argument("--slow", type=int, default=16)
    parser.add_argument("--workers", type=int, default=None, help="default: amparo serve's")
    parser.add_argument("--path", default="/healthz", help="page the well-behaved clients fetch")
    args = parser.parse_args(argv)
    return run_slowclients_bench(
        seconds=args.seconds,
        clients=args.clients,
        silent=args.silent,
        slow=args.slow,
        workers=args.workers,
        path=args.path,
    )
