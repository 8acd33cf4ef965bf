"""The test session's clock: where AMPARO_TEST_NOW moves it, and the fixed instant tests freeze at.

``AMPARO_TEST_NOW`` (an ISO datetime, e.g. ``2028-02-29T12:00:00-07:00``; a naive one is read in
the project's time zone) moves the whole session there, ticking, from ``pytest_configure`` on, in
the controller and in every pytest-xdist worker alike. Tests that freeze their own time with
``time_machine`` win inside their own scope.
"""

from __future__ import annotations

import datetime
import os
import zoneinfo

import pytest
import time_machine

ENV = "AMPARO_TEST_NOW"

# The instant tests freeze at when their result depends on the calendar: a plain mid-month
# weekday morning in the middle of a quarter, far from year ends and daylight-saving changes.
FROZEN_NOW = datetime.datetime(2026, 5, 13, 10, 0, tzinfo=zoneinfo.ZoneInfo("America/Denver"))
FROZEN_TODAY = FROZEN_NOW.date()

_traveller: time_machine.travel | None = None
# (the instant asked for, the real instant the session's clock started there), when moved
session_start: tuple[datetime.datetime, datetime.datetime] | None = None


def requested() -> datetime.datetime | None:
    """The instant AMPARO_TEST_NOW asks for, or None when it is unset or empty."""
    raw = os.environ.get(ENV, "").strip()
    if not raw:
        return None
    try:
        moment = datetime.datetime.fromisoformat(raw)
    except ValueError as exc:
        raise ValueError(f"{ENV}={raw!r} is not an ISO datetime: {exc}") from exc
    if moment.tzinfo is None:
        from django.conf import settings

        moment = moment.replace(tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))
    return moment


def real_now() -> datetime.datetime:
    """The real instant, whether or not the clock is moved or frozen."""
    if time_machine.escape_hatch.is_travelling():
        return time_machine.escape_hatch.datetime.datetime.now(datetime.UTC)
    return datetime.datetime.now(datetime.UTC)


def session_clock_start() -> None:
    """Move the session's clock to AMPARO_TEST_NOW (ticking), if it is set."""
    global _traveller, session_start
    moment = requested()
    if moment is None or _traveller is not None:
        return
    real = datetime.datetime.now(datetime.UTC)  # not travelling yet: the real clock
    _traveller = time_machine.travel(moment, tick=True)
    _traveller.start()
    session_start = (moment, real)


def session_clock_stop() -> None:
    global _traveller, session_start
    if _traveller is not None:
        _traveller.stop()
    _traveller = None
    session_start = None


#: Marks a test module (``pytestmark``) or a test to run at FROZEN_NOW with the clock standing
#: still; its function-scoped fixtures run frozen too (time-machine's marker starts first).
frozen = pytest.mark.time_machine(FROZEN_NOW, tick=False)

#: The same for browser tests: the live server runs in this process, so its clock moves too; it
#: ticks (from FROZEN_NOW) because the browser's waits and the server's sessions need time to pass.
travelling = pytest.mark.time_machine(FROZEN_NOW, tick=True)
