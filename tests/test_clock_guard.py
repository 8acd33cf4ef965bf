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
