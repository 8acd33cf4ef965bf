"""A signed-in session ends 12 hours after it began, however busy it was (ASVS 5.0 7.3.2)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from amparo.accounts.roles import Role

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 5, 13, 8, 0, tzinfo=dt.UTC)


def _busy_until(client: Client, hours: float) -> list[int]:
    """Ask for the dashboard every 20 minutes (never idle long enough to time out)."""
    statuses = []
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(int(hours * 3)):
            statuses.append(client.get("/dashboard/").status_code)
            traveller.shift(dt.timedelta(minutes=20))
        last = client.get("/dashboard/?page=2", HTTP_ACCEPT_LANGUAGE="es")
    return [*statuses, last.status_code, last]  # type: ignore[list-item]


def test_a_busy_session_lives_the_whole_day_then_asks_to_sign_in_again(
    make_user: Any, client_for: Any
) -> None:
    user = make_user(Role.INTAKE_WORKER)
    client = client_for(user)
    *statuses, last_status, last = _busy_until(client, 12)
    assert set(statuses) == {200}
    assert last_status == 302
    assert last["Location"] == "/accounts/login/?next=%2Fdashboard%2F%3Fpage%3D2"
    page = client.get(last["Location"], HTTP_ACCEPT_LANGUAGE="es")
    assert "Su sesión terminó" in page.content.decode()
    assert client.get("/dashboard/").status_code == 302  # signed out for good


def test_a_shorter_day_is_untouched(make_user: Any, client_for: Any) -> None:
    client = client_for(make_user(Role.INTAKE_WORKER))
    *statuses, last_status, _last = _busy_until(client, 11)
    assert set(statuses) == {200} and last_status == 200
