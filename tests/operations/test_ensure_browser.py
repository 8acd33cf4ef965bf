"""`make test` finds a Chromium for the browser tests, or stops with one line saying what to do."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "tools" / "ensure-browser.sh"


def run(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {"PATH": os.environ["PATH"], "AMPARO_BROWSER_INSTALL": "0", **env}
    return subprocess.run(
        ["bash", str(SCRIPT), str(tmp_path / "no-venv" / "bin")],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def fake_browser(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.write_text("#!/bin/sh\necho 'Chromium 1.0'\n")
    path.chmod(0o755)
    return path


def test_without_a_browser_and_without_a_way_to_install_it_one_line_says_what_to_install(
    tmp_path: Path,
) -> None:
    result = run(tmp_path, AMPARO_DEBIAN_CHROMIUM=str(tmp_path / "missing"))
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "apt-get install chromium" in lines[0] and "playwright install chromium" in lines[0]


def test_the_debian_browser_is_used_when_present(tmp_path: Path) -> None:
    debian = fake_browser(tmp_path, "chromium")
    result = run(tmp_path, AMPARO_DEBIAN_CHROMIUM=str(debian))
    assert result.returncode == 0
    assert result.stdout.strip() == str(debian)


def test_an_explicit_browser_wins_and_a_broken_one_is_passed_over(tmp_path: Path) -> None:
    mine = fake_browser(tmp_path, "my-chromium")
    debian = fake_browser(tmp_path, "chromium")
    chosen = run(tmp_path, AMPARO_CHROMIUM=str(mine), AMPARO_DEBIAN_CHROMIUM=str(debian))
    assert chosen.stdout.strip() == str(mine)
    broken = tmp_path / "broken"
    broken.write_text("not a program")
    fallback = run(tmp_path, AMPARO_CHROMIUM=str(broken), AMPARO_DEBIAN_CHROMIUM=str(debian))
    assert fallback.returncode == 0 and fallback.stdout.strip() == str(debian)
