"""Running ``amparo bench`` as an operator does: the ``amparo`` front door in a subprocess, on
this checkout's code."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]


def run_bench(
    *args: str, settings: str = "config.settings.test", timeout: float = 300, **extra: str
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings, **extra}
    env.pop("AMPARO_BENCH_SETTINGS_BASE", None)
    return subprocess.run(
        [sys.executable, "-m", "amparo.cli", "bench", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def last_json(done: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert isinstance(result, dict)
    return result
