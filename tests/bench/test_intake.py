"""`amparo bench intake` runs end to end: the real server, both endpoints, one JSON line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]


def test_the_intake_bench_prints_its_figures(tmp_path: Any) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "amparo.cli",
            "bench",
            "intake",
            "--seconds",
            "0.5",
            "--rounds",
            "1",
            "--clients",
            "2",
            "--paced-rate",
            "8",
            "--paced-seconds",
            "1",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        env={
            "PATH": "/usr/bin:/bin",
            "HOME": str(tmp_path),
            "AMPARO_VAR_DIR": str(tmp_path / "var"),
        },
    )
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["benchmark"] == "intake" and figures["server"] == "gunicorn, 2 workers"
    assert figures["submissions"] > 0 and figures["raw_inserts"] > 0
    assert figures["submission_errors"] == 0 and figures["raw_errors"] == 0
    assert (
        figures["ratio"] == round(figures["submissions_per_second"] / figures["raw_per_second"], 3)
        or abs(figures["ratio"] - figures["submissions_per_second"] / figures["raw_per_second"])
        < 0.01
    )
    assert {"p50_ms", "p99_ms", "ratio_goal", "p99_goal_ms", "within_goals"} <= set(figures)
    # the paced phase sends on schedule: 8 a second for 1 s from 2 clients, not as fast as it can
    assert figures["paced_rate"] == 8 and figures["paced_errors"] == 0
    assert 1 <= figures["paced_submissions"] <= 8
    assert figures["paced_p50_ms"] <= figures["paced_p99_ms"]
    assert figures["paced_p99_within_goal"] == (figures["paced_p99_ms"] < figures["p99_goal_ms"])
