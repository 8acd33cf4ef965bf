"""Helpers for running the real ``amparo`` command in subprocesses, on throwaway folders.

Every subprocess gets its own ``AMPARO_VAR_DIR`` and ``DATABASE_URL`` (SQLite) under pytest's
temporary folders, so the tests never touch the developer's ``var/``.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def amparo_env(var_dir: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "AMPARO_ALLOW_DEMO_USERS", "AMPARO_PORT", "AMPARO_BIND"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        AMPARO_VAR_DIR=str(var_dir),
        DATABASE_URL=f"sqlite:///{var_dir / 'amparo.sqlite3'}",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def amparo_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "amparo.cli", *args]


def run_amparo(
    var_dir: Path, *args: str, timeout: float = 300, **extra: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        amparo_cmd(*args),
        env=amparo_env(var_dir, **extra),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def http_get(
    url: str, headers: dict[str, str] | None = None, timeout: float = 10
) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def wait_for(
    url: str, status: int = 200, timeout: float = 90, proc: subprocess.Popen | None = None
) -> None:
    """Poll ``url`` until it answers ``status`` (bounded); fail early if ``proc`` exits."""
    deadline = time.monotonic() + timeout
    last: object = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"process exited with {proc.returncode} before {url} answered")
        try:
            last = http_get(url, timeout=3)[0]
            if last == status:
                return
        except OSError as exc:
            last = exc
        time.sleep(0.3)
    raise AssertionError(f"{url} did not answer {status} within {timeout}s (last: {last!r})")


@contextmanager
def background(var_dir: Path, *args: str, log: Path, **extra: str) -> Iterator[subprocess.Popen]:
    """Run ``amparo ARGS`` in the background; on exit, SIGTERM it (and SIGKILL if it hangs)."""
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            amparo_cmd(*args),
            env=amparo_env(var_dir, **extra),
            cwd=REPO,
            stdout=out,
            stderr=subprocess.STDOUT,
            process_group=0,
        )
        try:
            yield proc
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=40)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()


def stop(proc: subprocess.Popen, sig: int = signal.SIGTERM, timeout: float = 40) -> int:
    proc.send_signal(sig)
    return proc.wait(timeout=timeout)


def db_rows(var_dir: Path, sql: str, params: tuple = ()) -> list[tuple]:
    """Read the subprocess's SQLite database directly (the test's own database is another)."""
    conn = sqlite3.connect(var_dir / "amparo.sqlite3", timeout=20)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def wait_task(var_dir: Path, task_id: str, timeout: float = 60) -> dict:
    """Wait (bounded) until the queued task ``task_id`` succeeded; returns its return value."""
    deadline = time.monotonic() + timeout
    rows: list[tuple] = []
    while time.monotonic() < deadline:
        rows = db_rows(
            var_dir,
            "SELECT status, return_value FROM django_tasks_database_dbtaskresult WHERE id IN (?, ?)",
            (task_id, task_id.replace("-", "")),
        )
        if rows and rows[0][0] == "SUCCESSFUL":
            return json.loads(rows[0][1])
        assert not rows or rows[0][0] in ("READY", "RUNNING"), rows
        time.sleep(0.3)
    raise AssertionError(f"task {task_id} was not run within {timeout}s (last: {rows})")


def processes_using(var_dir: Path) -> list[int]:
    """Processes whose environment points at ``var_dir`` (Linux /proc)."""
    needle = f"AMPARO_VAR_DIR={var_dir}".encode()
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            environ = Path(f"/proc/{pid}/environ").read_bytes()
        except OSError:
            continue
        if needle in environ.split(b"\0"):
            found.append(int(pid))
    return found


def copy_var(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


def credentials(var_dir: Path) -> list[dict]:
    return json.loads((var_dir / "demo" / "credentials.json").read_text())


# --- A tiny browser: cookies, forms, redirects -----------------------------------------------


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._current: dict | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._current = {
                "action": a.get("action", ""),
                "method": a.get("method", "get").lower(),
                "fields": {},
            }
            self.forms.append(self._current)
        elif tag == "input" and self._current is not None and a.get("name"):
            self._current["fields"].setdefault(a["name"], a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


class Browser:
    """Follows redirects and keeps cookies, like a browser without JavaScript."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.url = base
        self.html = ""

    def get(self, path: str) -> int:
        return self._open(urllib.request.Request(urllib.parse.urljoin(self.base, path)))

    def submit(self, fields: dict[str, str], form_index: int | None = None) -> int:
        """Submit the page's POST form that has the given fields (or number ``form_index``)."""
        parser = _FormParser()
        parser.feed(self.html)
        posts = [f for f in parser.forms if f["method"] == "post"]
        if form_index is not None:
            form = posts[form_index]
        else:
            form = next(f for f in posts if set(fields) <= set(f["fields"]))
        data = {**form["fields"], **fields}
        url = urllib.parse.urljoin(self.url, form["action"] or self.url)
        body = urllib.parse.urlencode(data).encode()
        return self._open(urllib.request.Request(url, data=body, headers={"Referer": self.url}))

    def _open(self, request: urllib.request.Request) -> int:
        try:
            with self.opener.open(request, timeout=30) as response:
                self.url, self.html = response.geturl(), response.read().decode()
                return response.status
        except urllib.error.HTTPError as exc:
            self.url, self.html = exc.geturl(), exc.read().decode(errors="replace")
            return exc.code


# --- Shared, expensive set-ups (each made once per test session) ------------------------------


@pytest.fixture(scope="session")
def migrated_var(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A var folder with a migrated, empty database: copy it, do not change it."""
    var_dir = tmp_path_factory.mktemp("migrated") / "var"
    var_dir.mkdir()
    result = run_amparo(var_dir, "migrate", "--no-input", "-v", "0")
    assert result.returncode == 0, result.stderr
    return var_dir


@pytest.fixture(scope="session")
def demo_var(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A var folder after one ``amparo demo --no-serve``: copy it before changing it."""
    var_dir = tmp_path_factory.mktemp("demo") / "var"
    result = run_amparo(var_dir, "demo", "--no-serve")
    assert result.returncode == 0, result.stdout + result.stderr
    (var_dir.parent / "first-run.txt").write_text(result.stdout)
    return var_dir
