"""`amparo bench raid` end to end at a tiny size: phones, server, task workers.

It runs on the engine the suite runs on (as the backup drill does): on PostgreSQL the bench makes
(and drops) its own throwaway database on DATABASE_URL's server; on SQLite a throwaway file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

from .conftest import last_json, run_bench


def _engine() -> list[str]:
    """The bench's database arguments for the suite's engine."""
    parts = urlsplit(os.environ.get("DATABASE_URL", ""))
    if parts.scheme in ("postgres", "postgresql"):
        server = urlunsplit(parts._replace(path="/postgres", query=""))
        return ["--database", "postgresql", "--postgres", server]
    return ["--database", "sqlite"]


def test_a_tiny_raid_loses_nothing_and_refers_every_detained_request() -> None:
    engine = _engine()
    result = last_json(
        run_bench(
            "raid",
            "--users",
            "3",
            "--requests",
            "6",
            "--minutes",
            "0.1",
            "--detained-share",
            "0.5",
            *engine,
            "--drain-seconds",
            "90",
            timeout=900,
        )
    )
    assert result["database"] == engine[1] and result["server"] == "amparo serve, 2 workers"
    assert result["task_workers"] == 2
    # Every phone's submission was accepted and is exactly one request.
    assert result["accepted"] == 6 and result["created"] == 6
    assert result["errors"] == 0 and result["error_samples"] == []
    assert result["lost"] == 0 and result["duplicated"] == 0
    assert result["mismatched"] == 0 and result["unacknowledged"] == 0
    # Each detained request got a referral from the task workers.
    assert result["detained"] >= 1
    assert result["detained_unreferred"] == 0 and result["detained_all_referred_s"] is not None
    assert result["detained_referral_wait_p50_s"] is not None
    # The baseline ran on the same server, and the ratio is the one printed.
    assert result["baseline"]["path"] == "/healthz" and result["baseline"]["errors"] == 0
    assert result["baseline"]["http_requests"] > 0
    assert result["p50_ratio_vs_healthz"] == round(
        result["p50_ms"] / result["baseline"]["p50_ms"], 2
    )
    assert "compares" in result
    # The throwaway database is gone.
    if engine[1] == "postgresql":
        with psycopg.connect(engine[3], autocommit=True) as conn:
            left = conn.execute(
                "SELECT count(*) FROM pg_database WHERE datname = %s",
                [result["throwaway_database"]],
            ).fetchone()
        assert left is not None and left[0] == 0
    else:
        assert not list(Path(tempfile.gettempdir()).glob("amparo-bench-raid-*/raid.sqlite3"))


def test_amparo_bench_raid_refuses_bad_arguments() -> None:
    done = run_bench("raid", "--detained-share", "2")
    assert done.returncode == 2 and "between 0 and 1" in done.stderr
    done = run_bench("raid", "--users", "0")
    assert done.returncode == 2 and "positive" in done.stderr
