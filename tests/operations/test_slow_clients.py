"""Slow and silent clients do not take ``amparo serve`` down (run for real, in subprocesses)."""

from __future__ import annotations

import json
import socket
import subprocess
import time

from .conftest import REPO, amparo_cmd, amparo_env, background, copy_var, free_port, http_get
from .conftest import wait_for as wait_until_up


def trickle(sock: socket.socket, data: bytes, seconds: float) -> bool:
    """Send ``data`` a byte at a time, one every 0.3 s, for ``seconds``; False once cut off."""
    deadline = time.monotonic() + seconds
    index = 0
    while time.monotonic() < deadline:
        try:
            sock.sendall(data[index : index + 1])
        except OSError:
            return False
        index += 1
        time.sleep(0.3)
    return True


def test_clients_trickling_headers_hold_no_thread_and_are_cut_off(migrated_var, tmp_path):
    """One worker with two threads, four clients sending a header byte at a time: a normal
    request is still answered at once, and the tricklers are closed at the read deadline."""
    var_dir = copy_var(migrated_var, tmp_path / "var")
    port = free_port()
    url = f"http://127.0.0.1:{port}/healthz"
    with background(
        var_dir,
        "serve",
        "--workers",
        "1",
        "--bind",
        f"127.0.0.1:{port}",
        "--no-collectstatic",
        log=tmp_path / "serve.log",
        AMPARO_WEB_THREADS="2",
        AMPARO_WEB_READ_TIMEOUT="3",
    ):
        wait_until_up(url)
        slow = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(4)]
        head = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 1000
        for sock in slow:
            sock.sendall(head[:5])
        time.sleep(0.5)
        started = time.monotonic()
        assert http_get(url, timeout=2)[0] == 200
        assert time.monotonic() - started < 2

        # Still trickling after the deadline: the server has closed the connection.
        assert trickle(slow[0], head[5:], seconds=8) is False
        for sock in slow[1:]:
            sock.settimeout(5)
            assert sock.recv(1024) == b""  # closed, no answer
            sock.close()
        slow[0].close()
        assert http_get(url, timeout=2)[0] == 200


def test_a_whole_request_sent_slowly_within_the_deadline_is_answered(migrated_var, tmp_path):
    var_dir = copy_var(migrated_var, tmp_path / "var")
    port = free_port()
    with background(
        var_dir,
        "serve",
        "--workers",
        "1",
        "--bind",
        f"127.0.0.1:{port}",
        "--no-collectstatic",
        log=tmp_path / "serve.log",
        AMPARO_WEB_READ_TIMEOUT="10",
    ):
        wait_until_up(f"http://127.0.0.1:{port}/healthz")
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            for part in (
                b"GET /hea",
                b"lthz HTTP/1.1\r\nHo",
                b"st: 127.0.0.1\r\nConnection: close\r\n\r\n",
            ):
                sock.sendall(part)
                time.sleep(0.5)
            answer = b""
            while chunk := sock.recv(4096):
                answer += chunk
        assert answer.startswith(b"HTTP/1.1 200 ")
        assert json.loads(answer.split(b"\r\n\r\n", 1)[1])["database"] == "ok"


def test_bench_slowclients_prints_its_figures_and_healthz_never_failed(tmp_path):
    result = subprocess.run(
        amparo_cmd(
            "bench",
            "slowclients",
            "--seconds",
            "1",
            "--silent",
            "8",
            "--slow",
            "4",
            "--workers",
            "1",
        ),
        env=amparo_env(tmp_path / "var"),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert {
        "alone_rps",
        "loaded_rps",
        "ratio",
        "healthz_failures",
        "healthz_probes",
        "behaved_errors",
    } <= set(figures)
    assert figures["silent_clients"] == 8 and figures["slow_clients"] == 4
    assert figures["alone_rps"] > 0 and figures["loaded_rps"] > 0
    assert figures["healthz_probes"] > 0
    assert figures["healthz_failures"] == 0
    assert figures["misbehaving_reconnects"] > 0  # the silent clients were closed and came back
