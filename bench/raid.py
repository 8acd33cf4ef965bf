"""``amparo bench raid``: a raid weekend on PostgreSQL, phones against the real deployment.

What runs, all on this machine:

- a throwaway PostgreSQL database (``amparo_raid_<random>`` on the server of ``--postgres``;
  ``--database sqlite`` uses a throwaway SQLite file instead, for a machine without PostgreSQL),
  migrated, with providers and attorneys from the product's seed (``amparo seed
  --organizations N --attorneys M``: synthetic, each with a capacity) and one program whose
  public form lists a detention facility; dropped at the end;
- ``amparo serve --workers 2`` and two ``amparo worker`` processes on it, as deployed (the
  server under :mod:`bench.settings`, whose rate limits do not refuse the bench's phones, all
  from one address);
- Locust phones (:mod:`bench.raid_phones`, in a subprocess of their own: Locust patches the
  standard library with gevent): ``--users`` phones send ``--requests`` help requests through
  the public form, paced to take ``--minutes``, a ``--detained-share`` of them for a detained
  person.

After an untimed warm-up (a few dozen GETs of the public pages), the raid. Then, in the
database:

- ``lost``: submissions the phones saw accepted (the send answered with the done page) whose
  form token has no request; ``duplicated``: requests beyond the first for one token, and
  references shown to more than one phone; ``unacknowledged``: requests no phone was told
  about (a send whose answer never arrived); ``mismatched``: a done page showing another
  request's reference. Goal: all 0.
- ``detained_all_referred_s``: seconds from the end of the load until every detained request
  of the run has a referral (polled twice a second; null if ``--drain-seconds`` pass first,
  with ``detained_unreferred`` and ``detained_escalated`` saying how many and why), and the
  per-request wait from the request to its first referral, p50 and p99.

Then the baseline, on the server the raid left warm and idle: the same phones, pacing and
think time, each iteration the same number of ``GET /healthz`` (the cheapest page of the same
server: the ceiling), for a tenth of the requests (at least one iteration per phone).

``p50_ms``/``p99_ms`` are over every HTTP request of the form (each question's GET and POST
timed on its own); ``send_p50_ms``/``send_p99_ms`` over the final send alone (consent to
request committed). Figures, not a test; the tests run it at a tiny size.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import closing, suppress
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bench.registry import register

REPO = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
#: The facility the bench's program lists on its public form.
FACILITY = "Raid Bench Processing Center"
#: Counties the program serves (those of ``amparo seed``'s offices).
COUNTIES = ("Denver", "Arapahoe", "Jefferson", "Weld", "Boulder", "El Paso", "Pueblo", "Larimer")
#: HTTP requests a phone makes for one submission (detained: 31, others: 29); the baseline
#: makes this many per iteration.
REQUESTS_PER_FLOW = 30
#: Seconds a request's first referral is polled for after the load, at most (by default).
DRAIN_SECONDS = 120.0

_PROGRAM = r"""
import django, sys
django.setup()
from amparo.intake.models import IntakePolicy
from amparo.organizations.models import Fund, Program
from bench.raid import COUNTIES, FACILITY
fund = Fund.objects.create()
program = Program.objects.create(fund=fund, name="Raid response", slug="raid-response")
IntakePolicy.objects.create(
    program=program,
    public_intake=True,
    counties=list(COUNTIES),
    # No county: every provider may go to this facility (seeded offices each serve one county).
    facilities=[{"name": FACILITY, "county": "", "local": True}],
)
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _rounded(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


class Database:
    """A throwaway database on a PostgreSQL server, created now and dropped by :meth:`drop`."""

    def __init__(self, server_url: str) -> None:
        import psycopg

        parts = urlsplit(server_url)
        if parts.scheme not in ("postgres", "postgresql"):
            raise SystemExit(f"--postgres must be a postgres:// URL, not {parts.scheme}://")
        self.name = f"amparo_raid_{secrets.token_hex(4)}"
        self._admin = urlunsplit(parts._replace(path="/postgres", query=""))
        self.url = urlunsplit(parts._replace(path=f"/{self.name}", query=""))
        with psycopg.connect(self._admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')

    def connect(self) -> Any:
        import psycopg

        return psycopg.connect(self.url, autocommit=True)

    def drop(self) -> None:
        import psycopg

        with psycopg.connect(self._admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


class SqliteDatabase:
    """A throwaway SQLite file (WAL, as ``amparo serve`` sets it up) in the bench's folder: the
    same raid on the embedded database, for machines (and test runs) without PostgreSQL."""

    def __init__(self, folder: Path) -> None:
        path = folder / "raid.sqlite3"
        self.name = path.name
        self.url = f"sqlite:///{path}"
        self._path = path

    def connect(self) -> Any:
        import sqlite3

        return closing(sqlite3.connect(self._path, timeout=30, isolation_level=None))

    def drop(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self._path}{suffix}").unlink(missing_ok=True)


class Deployment:
    """``amparo serve`` and ``amparo worker`` processes on one database, logs in ``folder``."""

    def __init__(self, database_url: str, folder: Path) -> None:
        self.folder = folder
        self.port = _free_port()
        self.processes: list[subprocess.Popen[bytes]] = []
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("DATABASE_URL", "AMPARO_BIND", "AMPARO_PORT", "AMPARO_WEB_WORKERS")
        }
        env.update(
            DJANGO_SETTINGS_MODULE="bench.settings",
            AMPARO_BENCH_SETTINGS_BASE="config.settings.local",
            AMPARO_VAR_DIR=str(folder / "var"),
            DATABASE_URL=database_url,
            # The seeded attorneys are synthetic demo users (no usable password).
            AMPARO_ALLOW_DEMO_USERS="1",
            PYTHONUNBUFFERED="1",
        )
        self.env = env

    def run(self, *args: str) -> None:
        done = subprocess.run(
            [sys.executable, *args], env=self.env, cwd=REPO, capture_output=True, text=True
        )
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args[:3])} failed:\n{done.stderr[-3000:]}")

    def start(self, name: str, *args: str) -> None:
        with open(self.folder / f"{name}.log", "wb") as log:
            self.processes.append(
                subprocess.Popen(
                    [sys.executable, "-m", "amparo.cli", *args],
                    env=self.env,
                    cwd=REPO,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    process_group=0,
                )
            )

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(p.poll() is not None for p in self.processes):
                raise RuntimeError("a server or worker stopped:\n" + self.logs())
            with suppress(OSError, http.client.HTTPException):
                conn = http.client.HTTPConnection(HOST, self.port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    return
            time.sleep(0.3)
        raise RuntimeError("amparo serve did not answer /healthz in time:\n" + self.logs())

    def logs(self) -> str:
        return "\n".join(
            f"--- {log.name}\n{log.read_text(errors='replace')[-2000:]}"
            for log in sorted(self.folder.glob("*.log"))
        )

    def stop(self) -> None:
        for proc in self.processes:
            if proc.poll() is None:
                proc.terminate()
        for proc in self.processes:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)
                proc.wait()


def _phones(
    *,
    port: int,
    folder: Path,
    mode: str,
    users: int,
    iterations: int,
    interval: float,
    think: float,
    detained_share: float,
    seed: int,
    timeout: float,
) -> dict[str, Any]:
    out = folder / f"phones-{mode}.json"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.raid_phones",
            "--host",
            f"http://{HOST}:{port}",
            "--mode",
            mode,
            "--users",
            str(users),
            "--iterations",
            str(iterations),
            "--interval",
            str(interval),
            "--think",
            str(think),
            "--detained-share",
            str(detained_share),
            "--seed",
            str(seed),
            "--timeout",
            str(timeout),
            "--out",
            str(out),
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the phones failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(out.read_text())
    return result


def _warm_up(port: int, count: int = 40) -> None:
    """Untimed: the first answers of each worker (templates, translations, connections)."""
    for path in ("/healthz", "/help/", "/help/status/"):
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        for _ in range(count):
            conn.request("GET", path, headers={"Accept-Language": "es"})
            conn.getresponse().read()
        conn.close()


def _table_names() -> dict[str, str]:
    from amparo.intake.models import HelpRequest
    from amparo.referrals.models import Referral

    return {"request": HelpRequest._meta.db_table, "referral": Referral._meta.db_table}


def _detained_unreferred(conn: Any, tables: dict[str, str]) -> int:
    row = conn.execute(
        f"SELECT count(*) FROM {tables['request']} h WHERE h.custody = 'detained' "
        f"AND NOT EXISTS (SELECT 1 FROM {tables['referral']} r WHERE r.help_request_id = h.id)"
    ).fetchone()
    return int(row[0])


def _drain(conn: Any, tables: dict[str, str], seconds: float) -> float | None:
    """Seconds until no detained request lacks a referral, or None if ``seconds`` pass first."""
    started = time.monotonic()
    while True:
        if _detained_unreferred(conn, tables) == 0:
            return time.monotonic() - started
        if time.monotonic() - started > seconds:
            return None
        time.sleep(0.5)


def _check(conn: Any, tables: dict[str, str], submissions: list[dict[str, Any]]) -> dict[str, Any]:
    """What the phones were told against what the database holds."""
    rows = conn.execute(
        f"SELECT idempotency_key, reference, custody, state FROM {tables['request']}"
    ).fetchall()
    by_token: dict[str | None, list[str]] = {}
    for key, reference, _custody, _state in rows:
        by_token.setdefault(key, []).append(reference)
    tokens = [s["token"] for s in submissions]
    lost = sum(1 for t in tokens if t not in by_token)
    duplicated = sum(len(by_token[t]) - 1 for t in set(tokens) if t in by_token)
    shown = [s["reference"] for s in submissions if s["reference"]]
    duplicated += len(shown) - len(set(shown))
    mismatched = sum(
        1
        for s in submissions
        if s["reference"] and s["token"] in by_token and s["reference"] not in by_token[s["token"]]
    )
    told = set(tokens)
    unacknowledged = sum(len(refs) for key, refs in by_token.items() if key not in told)
    waits = conn.execute(
        f"SELECT h.created_at, min(r.sent_at) "
        f"FROM {tables['request']} h JOIN {tables['referral']} r ON r.help_request_id = h.id "
        "WHERE h.custody = 'detained' GROUP BY h.id, h.created_at"
    ).fetchall()
    wait_seconds = [(_moment(sent) - _moment(created)).total_seconds() for created, sent in waits]
    states: dict[str, int] = {}
    for _key, _reference, custody, state in rows:
        if custody == "detained":
            states[state] = states.get(state, 0) + 1
    return {
        "created": len(rows),
        "lost": lost,
        "duplicated": duplicated,
        "mismatched": mismatched,
        "unacknowledged": unacknowledged,
        "detained_created": sum(states.values()),
        "detained_states": states,
        "detained_referral_wait_p50_s": _rounded(_percentile(wait_seconds, 0.50), 2),
        "detained_referral_wait_p99_s": _rounded(_percentile(wait_seconds, 0.99), 2),
    }


def _moment(value: Any) -> datetime:
    """A timestamp as PostgreSQL (a datetime) or SQLite (ISO text) returns it."""
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def _phase_figures(result: dict[str, Any]) -> dict[str, Any]:
    latencies = result["latencies_ms"]
    return {
        "http_requests": len(latencies) + len(result["errors"]),
        "seconds": round(result["seconds"], 1),
        "p50_ms": _rounded(_percentile(latencies, 0.50)),
        "p99_ms": _rounded(_percentile(latencies, 0.99)),
        "errors": len(result["errors"]),
    }


def run_raid_bench(
    *,
    users: int,
    requests: int,
    minutes: float,
    detained_share: float,
    think: float = 0.5,
    workers: int = 2,
    task_workers: int = 2,
    attorneys: int | None = None,
    postgres: str = DEFAULT_POSTGRES,
    engine: str = "postgresql",
    drain_seconds: float = DRAIN_SECONDS,
    seed: int = 1,
) -> dict[str, Any]:
    attorneys = attorneys or max(40, requests // 5)
    organizations = max(4, attorneys // 10)
    seconds = minutes * 60
    interval = users * seconds / requests  # each phone sends one request per interval
    # Think time between pages, shortened so a whole form fits in half an interval.
    think = min(think, interval / (2 * REQUESTS_PER_FLOW))
    folder = Path(tempfile.mkdtemp(prefix="amparo-bench-raid-"))
    database: Database | SqliteDatabase = (
        Database(postgres) if engine == "postgresql" else SqliteDatabase(folder)
    )
    deployment = Deployment(database.url, folder)
    setup_started = time.monotonic()
    try:
        deployment.run("-m", "amparo.cli", "migrate", "--no-input", "-v", "0")
        deployment.run(
            "-m",
            "amparo.cli",
            "seed",
            "--seed",
            str(seed),
            "--organizations",
            str(organizations),
            "--attorneys",
            str(attorneys),
            "--users",
            "0",
        )
        deployment.run("-c", _PROGRAM)
        bind = f"{HOST}:{deployment.port}"
        deployment.start(
            "serve", "serve", "--bind", bind, "--workers", str(workers), "--no-collectstatic"
        )
        for number in range(task_workers):
            deployment.start(f"worker-{number + 1}", "worker")
        deployment.wait_ready()
        setup_seconds = time.monotonic() - setup_started
        common: dict[str, Any] = {
            "port": deployment.port,
            "folder": folder,
            "users": users,
            "interval": interval,
            "think": think,
            "detained_share": detained_share,
            "seed": seed,
        }
        _warm_up(deployment.port)
        raid = _phones(mode="flow", iterations=requests, timeout=3 * seconds + 120, **common)
        tables = _table_names()
        with database.connect() as conn:
            drained = _drain(conn, tables, drain_seconds)
            unreferred = _detained_unreferred(conn, tables)
            checked = _check(conn, tables, raid["submissions"])
        # The ceiling after the raid, on a server as warm and a queue as idle as can be.
        baseline_iterations = max(users, requests // 10)
        baseline = _phones(
            mode="healthz",
            iterations=baseline_iterations,
            timeout=3 * baseline_iterations / users * interval + 120,
            **common,
        )
    except BaseException:
        sys.stderr.write(deployment.logs() + "\n")
        raise
    finally:
        deployment.stop()
        database.drop()
        shutil.rmtree(folder, ignore_errors=True)
    figures = _phase_figures(raid)
    base = _phase_figures(baseline)
    send = raid["send_latencies_ms"]
    accepted = len(raid["submissions"])
    detained = sum(1 for s in raid["submissions"] if s["detained"])
    states = checked["detained_states"]
    return {
        "benchmark": "raid",
        "database": engine,
        "throwaway_database": database.name,
        "server": f"amparo serve, {workers} workers",
        "task_workers": task_workers,
        "users": users,
        "requests": requests,
        "minutes": minutes,
        "detained_share": detained_share,
        "think_s": round(think, 3),
        "providers": {"organizations": organizations, "attorneys": attorneys},
        "setup_seconds": round(setup_seconds, 1),
        "seconds": figures["seconds"],
        "target_seconds": round(seconds, 1),
        "accepted": accepted,
        "http_requests": figures["http_requests"],
        "p50_ms": figures["p50_ms"],
        "p99_ms": figures["p99_ms"],
        "send_p50_ms": _rounded(_percentile(send, 0.50)),
        "send_p99_ms": _rounded(_percentile(send, 0.99)),
        "errors": figures["errors"] + raid["unfinished_phones"],
        "error_samples": raid["errors"][:5],
        "created": checked["created"],
        "lost": checked["lost"],
        "duplicated": checked["duplicated"],
        "mismatched": checked["mismatched"],
        "unacknowledged": checked["unacknowledged"],
        "detained": detained,
        "detained_all_referred_s": _rounded(drained, 2),
        "detained_unreferred": unreferred,
        "detained_escalated": states.get("escalated", 0),
        "detained_referral_wait_p50_s": checked["detained_referral_wait_p50_s"],
        "detained_referral_wait_p99_s": checked["detained_referral_wait_p99_s"],
        "baseline": {"path": "/healthz", "iterations": baseline_iterations, **base},
        "p50_ratio_vs_healthz": _rounded(
            figures["p50_ms"] / base["p50_ms"] if figures["p50_ms"] and base["p50_ms"] else None,
            2,
        ),
        "p99_ratio_vs_healthz": _rounded(
            figures["p99_ms"] / base["p99_ms"] if figures["p99_ms"] and base["p99_ms"] else None,
            2,
        ),
        "compares": (
            "p50_ratio_vs_healthz: the median HTTP request of the help form (every question's "
            "GET and POST, the send) ÷ the median GET /healthz of the same server under the same "
            "phones, pacing and think time (the ceiling); p99_ratio_vs_healthz likewise for the "
            "99th percentile. lost, duplicated, mismatched, unacknowledged: the phones' accepted "
            "submissions against the requests in the database (goal 0). "
            "detained_all_referred_s: from the end of the load until every detained request "
            "has a referral."
        ),
    }


@register("raid", "a raid weekend on PostgreSQL (or --database sqlite): Locust phones vs /healthz")
def raid(argv: list[str]) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="amparo bench raid")
    parser.add_argument("--users", type=int, default=200, help="simulated phones")
    parser.add_argument("--requests", type=int, default=2000, help="help requests in all")
    parser.add_argument("--minutes", type=float, default=10.0, help="pace them over this long")
    parser.add_argument("--detained-share", type=float, default=0.3)
    parser.add_argument("--think", type=float, default=0.5, help="seconds between two pages")
    parser.add_argument("--workers", type=int, default=2, help="amparo serve's workers")
    parser.add_argument("--task-workers", type=int, default=2, help="amparo worker processes")
    parser.add_argument("--attorneys", type=int, default=None, help="default: requests / 5")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("AMPARO_BENCH_POSTGRES", DEFAULT_POSTGRES),
        help="the PostgreSQL server (its database part is replaced by a throwaway one)",
    )
    parser.add_argument(
        "--database",
        choices=("postgresql", "sqlite"),
        default="postgresql",
        help="the engine (PostgreSQL as deployed; SQLite for a machine without it)",
    )
    parser.add_argument("--drain-seconds", type=float, default=DRAIN_SECONDS)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if min(args.users, args.requests, args.workers, args.task_workers) < 1 or args.minutes <= 0:
        parser.error("values must be positive")
    if not 0 <= args.detained_share <= 1:
        parser.error("--detained-share is between 0 and 1")
    return run_raid_bench(
        users=args.users,
        requests=args.requests,
        minutes=args.minutes,
        detained_share=args.detained_share,
        think=args.think,
        workers=args.workers,
        task_workers=args.task_workers,
        attorneys=args.attorneys,
        postgres=args.postgres,
        engine=args.database,
        drain_seconds=args.drain_seconds,
        seed=args.seed,
    )
