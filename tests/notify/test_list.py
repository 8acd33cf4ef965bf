"""The notifications page pages through the one list helper (amparo.core.lists): unread first,
then the newest; a filter for the unread ones; "mark all read" still reads every page."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest

from amparo.notify.models import Notification, NotificationKind
from amparo.notify.notifications import notifications_create
from tests.clock import FROZEN_NOW, frozen

pytestmark = [pytest.mark.django_db, frozen]


def _notify(user: Any, count: int, *, start: int = 0) -> None:
    """``count`` notifications, the later ``n`` the newer; references H-TEST-0000...."""
    for n in range(start, start + count):
        notifications_create(
            recipients=[user],
            kind=NotificationKind.CASE_ASSIGNED,
            subject=f"case:{n}",
            reference=f"H-TEST-{n:04d}",
            url="/cases/",
            now=FROZEN_NOW - datetime.timedelta(hours=1000 - n),
        )


def _references(html: str) -> list[str]:
    return re.findall(r"Open (H-TEST-\d{4})", html)


def test_sixty_notifications_page_newest_first_and_page_two_holds_the_rest(
    org: Any, attorney_of: Callable[..., Any], client_for: Callable[..., Any]
) -> None:
    lead = attorney_of(org)
    _notify(lead, 60)
    client = client_for(lead)
    first = client.get("/notifications/").content.decode()
    assert "Page 1 of 2" in first and "60 unread notifications." in first
    shown = _references(first)
    assert shown == [f"H-TEST-{n:04d}" for n in range(59, 9, -1)]  # the 50 newest
    second = client.get("/notifications/?page=2").content.decode()
    assert "Page 2 of 2" in second
    assert _references(second) == [f"H-TEST-{n:04d}" for n in range(9, -1, -1)]


def test_unread_come_first_the_filter_shows_only_them_and_mark_all_reads_every_page(
    org: Any, attorney_of: Callable[..., Any], client_for: Callable[..., Any]
) -> None:
    lead = attorney_of(org)
    _notify(lead, 55)
    Notification.objects.filter(recipient=lead).exclude(
        reference__in=["H-TEST-0003", "H-TEST-0010"]
    ).update(read_at=FROZEN_NOW)
    client = client_for(lead)
    page = client.get("/notifications/").content.decode()
    assert "2 unread notifications." in page
    assert _references(page)[:4] == ["H-TEST-0010", "H-TEST-0003", "H-TEST-0054", "H-TEST-0053"]
    unread = client.get("/notifications/?show=unread").content.decode()
    assert "2 results" in unread and "Page 1 of" not in unread
    assert _references(unread) == ["H-TEST-0010", "H-TEST-0003"]
    response = client.post("/notifications/read/")
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=lead, read_at__isnull=True).exists()
    after = client.get("/notifications/?show=unread").content.decode()
    assert "0 results" in after and "No unread notifications." in after


def test_a_bad_page_or_sort_is_no_error(
    org: Any, attorney_of: Callable[..., Any], client_for: Callable[..., Any]
) -> None:
    lead = attorney_of(org)
    _notify(lead, 3)
    client = client_for(lead)
    assert client.get("/notifications/?page=99&sort=password").status_code == 200
    refused = client.get("/notifications/?show=everything")
    assert refused.status_code == 400
    assert len(_references(refused.content.decode())) == 3
