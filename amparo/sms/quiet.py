"""Quiet hours for text messages: none go out between ``QUIET_HOURS`` (21:00 to 08:00 local
time by default, ``settings.AMPARO_REMINDERS["QUIET_HOURS"]``); they wait until the end.

Replies to a text the person just sent are not held: they asked, now."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

DEFAULT_QUIET_HOURS = (21, 8)


def _hours() -> tuple[int, int]:
    start, end = getattr(settings, "AMPARO_REMINDERS", {}).get("QUIET_HOURS", DEFAULT_QUIET_HOURS)
    return int(start), int(end)


def in_quiet_hours(moment: datetime.datetime) -> bool:
    start, end = _hours()
    hour = timezone.localtime(moment).hour
    if start == end:
        return False
    if start > end:  # across midnight, e.g. 21 -> 8
        return hour >= start or hour < end
    return start <= hour < end


def quiet_hours_end(moment: datetime.datetime) -> datetime.datetime:
    """The first moment after ``moment`` when text messages may go out again."""
    _start, end = _hours()
    local = timezone.localtime(moment)
    candidate = local.replace(hour=end, minute=0, second=0, microsecond=0)
    if candidate <= local:
        candidate += datetime.timedelta(days=1)
    # make_aware again: a DST change between now and then shifts the offset.
    naive = candidate.replace(tzinfo=None)
    return timezone.make_aware(naive, timezone.get_default_timezone())
