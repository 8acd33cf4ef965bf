"""The session's clock is where AMPARO_TEST_NOW says (or the real one when it is unset).

A CI stage that sets AMPARO_TEST_NOW proves with this test that its run really was on the moved
clock, in whichever process (xdist worker or not) runs it.
"""

from __future__ import annotations

import datetime

import time_machine
from django.utils import timezone

from tests import clock

SLACK = datetime.timedelta(seconds=5)


def _expected_now() -> datetime.datetime:
    real_now = clock.real_now()
    moment = clock.requested()
    if moment is None:
        return real_now
    assert clock.session_start is not None, f"{clock.ENV} is set but the clock was never moved"
    asked, real_start = clock.session_start
    assert asked == moment
    return moment + (real_now - real_start)


def test_the_session_clock_is_where_amparo_test_now_says() -> None:
    expected = _expected_now()
    assert abs(timezone.now() - expected) < SLACK
    assert timezone.localdate() == timezone.localtime(expected).date()
    assert abs(datetime.datetime.now(datetime.UTC) - expected) < SLACK


def test_a_test_that_freezes_its_own_time_wins_inside_its_scope() -> None:
    with time_machine.travel(clock.FROZEN_NOW, tick=False):
        assert timezone.now() == clock.FROZEN_NOW
        assert timezone.localdate() == clock.FROZEN_TODAY
    assert abs(timezone.now() - _expected_now()) < SLACK


def test_a_moved_clock_leaves_out_only_the_tests_that_freeze_their_own() -> None:
    """With AMPARO_TEST_NOW set, tests marked to run at a fixed instant are deselected (they
    would run exactly as in the plain run); the others are collected."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    frozen_file = "tests/referrals/test_answers.py"  # pytestmark = [..., frozen]
    this_file = "tests/test_clock_guard.py"  # no marker at module level
    env = {**os.environ, clock.ENV: "2028-02-29T12:00:00-07:00"}
    env.pop("AMPARO_TEST_NOW_EVERY_TEST", None)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "0", "-q", "-p", "no:cacheprovider",
         "--collect-only", frozen_file, this_file],
        cwd=root, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    out = run.stdout
    assert "test_answers.py::" not in out, out
    assert "test_clock_guard.py::test_the_session_clock_is_where_amparo_test_now_says" in out
    assert "deselected" in out
    every = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "0", "-q", "-p", "no:cacheprovider",
         "--collect-only", frozen_file],
        cwd=root, env={**env, "AMPARO_TEST_NOW_EVERY_TEST": "1"}, capture_output=True,
        text=True, timeout=300, check=False,
    )  # fmt: skip
    assert "test_answers.py::" in every.stdout, every.stdout
