"""iCalendar (RFC 5545) files of hearings and deadlines, built with the ``icalendar`` package.

Events name the case by its reference and the client's initials (``C-2026-7KQ3M · R. M.``),
never by the client's name, unless a feed's owner turned full names on. Nothing else personal
goes in: no A-number, no facility, no notes. Hearings are timed events in UTC; deadlines are
all-day events on the date that counts (an attorney's override, else the engine's calendar
date), with the rule, its citation and the plain-language explanation in the description.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterable
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event, vText

from amparo.vault.errors import VaultError

from .choices import HearingMode, HearingStatus

PRODID = "-//Amparo//Cases and deadlines//EN"
HEARING_HOURS = {"master": 1, "bond": 1, "individual": 3}


def case_label(case: Any, *, include_names: bool = False) -> str:
    who = case.client.initials
    if include_names:
        with contextlib.suppress(VaultError):
            who = case.client.name or who
    return f"{case.reference} · {who}"


def _new_calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    # An X- property is not known to be text, so icalendar would not escape it: a line break in
    # a feed's name would end the line (and fail). vText escapes as for SUMMARY.
    cal.add("x-wr-calname", vText(name))
    cal.add("refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    return cal


def hearing_event(hearing: Any, *, label: str, stamp: datetime.datetime) -> Event:
    event = Event()
    event.add("uid", f"hearing-{hearing.pk}@amparo")
    event.add("dtstamp", stamp)
    start = hearing.starts_at().astimezone(datetime.UTC)
    event.add("dtstart", start)
    event.add("dtend", start + datetime.timedelta(hours=HEARING_HOURS.get(hearing.kind, 1)))
    event.add("summary", f"{hearing.get_kind_display()} — {label}")
    where = hearing.case.court or ""
    if hearing.mode == HearingMode.VIDEO:
        where = _("%(court)s (by video)") % {"court": where} if where else _("By video")
    if where:
        event.add("location", where)
    lines = [hearing.get_kind_display(), hearing.get_mode_display()]
    if hearing.judge:
        lines.append(_("Judge: %(judge)s") % {"judge": hearing.judge})
    if hearing.time is None:
        lines.append(_("The time is not known yet: it is shown at 9:00."))
    event.add("description", "\n".join(lines))
    event.add("status", "CANCELLED" if hearing.status == HearingStatus.VACATED else "CONFIRMED")
    event.add("categories", ["hearing"])
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", event["summary"])
    alarm.add("trigger", datetime.timedelta(days=-1))
    event.add_component(alarm)
    return event


def deadline_event(deadline: Any, *, label: str, stamp: datetime.datetime) -> Event:
    event = Event()
    day = deadline.effective_date
    event.add("uid", f"deadline-{deadline.pk}@amparo")
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + datetime.timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    event.add(
        "summary", _("Due: %(rule)s — %(case)s") % {"rule": deadline.rule_title, "case": label}
    )
    lines = [
        deadline.citation,
        deadline.explanation_text,
        _("Last day under the rule: %(due)s")
        % {"due": deadline.due.isoformat() if deadline.due else "—"},
    ]
    if deadline.override_date:
        lines.append(
            _("Date set by the attorney: %(date)s. Reason: %(reason)s")
            % {"date": deadline.override_date.isoformat(), "reason": deadline.override_reason}
        )
    if deadline.needs_review:
        lines.append(_("Needs review: the law is unsettled on a point this date depends on."))
    event.add("description", "\n".join(lines))
    event.add("categories", ["deadline"])
    if deadline.completed_at:
        event.add("status", "CANCELLED")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", event["summary"])
    alarm.add("trigger", datetime.timedelta(days=-3))
    event.add_component(alarm)
    return event


def build_calendar(
    *,
    name: str,
    hearings: Iterable[Any],
    deadlines: Iterable[Any],
    include_names: bool = False,
    language: str | None = None,
) -> bytes:
    """The ``.ics`` bytes for these hearings and deadlines (their cases must be preloaded)."""
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    with translation.override(language or translation.get_language()):
        cal = _new_calendar(name)
        labels: dict[Any, str] = {}

        def label_of(case: Any) -> str:
            if case.pk not in labels:
                labels[case.pk] = case_label(case, include_names=include_names)
            return labels[case.pk]

        for hearing in hearings:
            cal.add_component(hearing_event(hearing, label=label_of(hearing.case), stamp=stamp))
        for deadline in deadlines:
            if deadline.effective_date is None:
                continue
            cal.add_component(deadline_event(deadline, label=label_of(deadline.case), stamp=stamp))
        return bytes(cal.to_ical())
