"""The demo's "today" is the fund's date, even when UTC (or the active zone) is already tomorrow."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from amparo.core.demo import DemoContext, demo_seed, demo_steps
from amparo.intake.models import HelpRequest

#: 21:30 in Denver on 13 May is already 14 May in UTC (and in Tokyo).
EVENING = datetime.datetime(2026, 5, 14, 3, 30, tzinfo=datetime.UTC)


@time_machine.travel(EVENING, tick=False)
def test_the_demo_context_dates_from_the_funds_zone() -> None:
    with timezone.override(zoneinfo.ZoneInfo("Asia/Tokyo")):
        ctx = DemoContext()
    assert ctx.now == EVENING
    assert ctx.today == datetime.date(2026, 5, 13)


@pytest.mark.django_db
@time_machine.travel(EVENING, tick=False)
def test_demo_requests_hearings_count_from_the_fund_local_today() -> None:
    wanted = {"fund", "organizations", "staff", "attorneys", "intake-policy", "requests"}
    ctx = demo_seed(steps=[s for s in demo_steps() if s.name in wanted])
    hearings = {r.next_hearing for r in HelpRequest.objects.all() if r.next_hearing}
    offsets = {(day - ctx.today).days for day in hearings}
    # demo_person's offsets, counted from 13 May (from 14 May they would all be one less)
    assert offsets and offsets <= {3, 6, 12, 20, 35, 60, 120, -15}
