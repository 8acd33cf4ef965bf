"""``python -m bench.run_all [--out FILE] [--only NAME ...] [--database DB] [--postgres URL]``:
every benchmark, one after another, at the sizes the READMEs report, into one file.

The READMEs' tables are written from one such file. Its first line says where and when it ran:
the date, the commit, the CPUs, the memory, Python, SQLite and PostgreSQL, and the load
average before the first benchmark. Each following line is one run: its name, its arguments,
its database, how long it took, the load average just before it started and right after it
ended (a benchmark that shares the machine with other work says so itself), and the
benchmark's own JSON. A benchmark that fails is recorded as failed with the end of its
output, and the next one runs.

Run it on a quiet machine: the benchmarks time real work, and anything else running on the
same cores changes their figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"

#: (name, arguments, database): the sizes the READMEs report.
RUNS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("matching", (), "sqlite"),
    ("surge", (), "sqlite"),
    ("deadlines", (), "sqlite"),
    ("intake", (), "sqlite"),
    ("casepage", ("--cases", "10", "--requests", "300"), "sqlite"),
    ("casepage", ("--cases", "10", "--requests", "300"), "postgresql"),
    ("vault", (), "sqlite"),
    ("reports", ("--cases", "1000000", "--renders", "5"), "sqlite"),
    ("reports", ("--cases", "1000000", "--renders", "5"), "postgresql"),
    ("search", (), "sqlite"),
    ("ledger", (), "sqlite"),
    ("slowclients", (), "sqlite"),
    ("backup", (), "sqlite"),
    ("imports", (), "sqlite"),
    ("raid", (), "postgresql"),
)


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def _postgres_version(url: str) -> str | None:
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=5) as conn:
            row = conn.execute("SHOW server_version").fetchone()
            return str(row[0]) if row else None
    except Exception:  # a missing server is a fact to record, not a failure
        return None


def machine(postgres: str) -> dict[str, Any]:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    return {
        "machine": {
            "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "commit": commit or None,
            "cpus": os.cpu_count(),
            "cpu": _cpu_model(),
            "memory_gib": _memory_gib(),
            "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version,
            "postgresql": _postgres_version(postgres),
            "load_average": _load(),
        }
    }


def run_one(name: str, args: tuple[str, ...], database: str, postgres: str) -> dict[str, Any]:
    env = dict(os.environ)
    if database == "postgresql":
        env["DATABASE_URL"] = postgres
        env["AMPARO_BENCH_POSTGRES"] = postgres
    else:
        env.pop("DATABASE_URL", None)
    load_before = _load()
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "amparo.cli", "bench", name, *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = round(time.perf_counter() - started, 1)
    line: dict[str, Any] = {
        "name": name,
        "args": list(args),
        "database": database,
        "seconds": seconds,
        "load_before": load_before,
        "load_after": _load(),
    }
    last = proc.stdout.strip().splitlines()[-1:] if proc.stdout.strip() else []
    try:
        line["result"] = json.loads(last[0]) if proc.returncode == 0 and last else None
    except json.JSONDecodeError:
        line["result"] = None
    if line["result"] is None:
        line["failed"] = (proc.stderr or proc.stdout)[-2000:]
    return line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run_all")
    parser.add_argument("--out", type=Path, default=None, help="default bench/results/DATE.jsonl")
    parser.add_argument("--only", nargs="*", default=None, help="these benchmarks only")
    parser.add_argument(
        "--database", choices=("sqlite", "postgresql"), default=None, help="its runs only"
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get("AMPARO_BENCH_POSTGRES", DEFAULT_POSTGRES),
        help="the PostgreSQL server of the PostgreSQL runs",
    )
    args = parser.parse_args(argv)
    out = args.out or REPO / "bench" / "results" / f"{dt.date.today().isoformat()}.jsonl"
    out.parent.mkdir(parents=True, exist_ok=True)
    runs = [
        r
        for r in RUNS
        if (args.only is None or r[0] in args.only)
        and (args.database is None or r[2] == args.database)
    ]
    with out.open("a", encoding="utf-8") as f:
        f.write(json.dumps(machine(args.postgres), sort_keys=True) + "\n")
        f.flush()
        for name, run_args, database in runs:
            print(f"{name} {' '.join(run_args)} ({database}) ...", file=sys.stderr, flush=True)
            line = run_one(name, run_args, database, args.postgres)
            f.write(json.dumps(line, sort_keys=True) + "\n")
            f.flush()
            verdict = "failed" if "failed" in line else "done"
            print(f"  {verdict} in {line['seconds']} s", file=sys.stderr, flush=True)
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
