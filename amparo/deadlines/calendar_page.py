"""The calendar page's shapes: the filter form and the month grid (no queries here).

The page and the API read the same items (``selectors.calendar_items``); this module only lays
them out: an agenda grouped by day, or one table per month with a week per row, the weeks
starting on the locale's first day.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from django import forms
from django.utils.formats import date_format, get_format
from django.utils.translation import gettext_lazy as _

from .selectors import DEADLINE, HEARING, CalendarItem

AGENDA = "agenda"
MONTH = "month"


class CalendarForm(forms.Form):
    """The filters. Dates stay text here: ``selectors.calendar_range`` is the one parser, for
    the page and the API alike."""

    def __init__(self, *args: Any, attorneys: list[Any], cases: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        date_attrs = {"type": "date"}
        self.fields["from"] = forms.CharField(
            label=_("From"), required=False, widget=forms.DateInput(attrs=date_attrs)
        )
        self.fields["to"] = forms.CharField(
            label=_("To"), required=False, widget=forms.DateInput(attrs=date_attrs)
        )
        if attorneys:
            self.fields["attorney"] = forms.ChoiceField(
                label=_("Attorney"),
                required=False,
                choices=[
                    ("", _("Every attorney")),
                    *((str(a.pk), a.display_name) for a in attorneys),
                ],
            )
        self.fields["case"] = forms.ChoiceField(
            label=_("Case"),
            required=False,
            choices=[("", _("Every case")), *((str(c.pk), c.reference) for c in cases)],
        )
        self.fields["kind"] = forms.ChoiceField(
            label=_("What"),
            required=False,
            choices=[
                ("", _("Hearings and deadlines")),
                (HEARING, _("Hearings")),
                (DEADLINE, _("Deadlines")),
            ],
        )
        self.fields["view"] = forms.ChoiceField(
            required=False,
            choices=[(AGENDA, AGENDA), (MONTH, MONTH)],
            widget=forms.HiddenInput,
        )


@dataclass
class Day:
    date: datetime.date
    items: list[CalendarItem] = field(default_factory=list)
    in_range: bool = True


@dataclass
class Month:
    first: datetime.date
    weeks: list[list[Day | None]]

    @property
    def title(self) -> str:
        return date_format(self.first, "YEAR_MONTH_FORMAT")


def agenda_days(items: list[CalendarItem]) -> list[Day]:
    """The items (already sorted) grouped by day, days without items left out."""
    return [Day(day, list(rows)) for day, rows in groupby(items, key=lambda i: i.date)]


def weekday_names() -> list[str]:
    """The short names of the week's days, starting on the active locale's first day."""
    first = int(get_format("FIRST_DAY_OF_WEEK"))  # 0 Sunday, 1 Monday
    sunday = datetime.date(2023, 1, 1)
    return [date_format(sunday + datetime.timedelta(days=(first + i) % 7), "D") for i in range(7)]


def month_grid(items: list[CalendarItem], start: datetime.date, end: datetime.date) -> list[Month]:
    """One month per calendar month the range touches; each week a row of seven days (None
    outside the month), days outside the range marked so the page can grey them."""
    first_weekday = (int(get_format("FIRST_DAY_OF_WEEK")) - 1) % 7  # Python: 0 is Monday
    by_day: dict[datetime.date, list[CalendarItem]] = {}
    for item in items:
        by_day.setdefault(item.date, []).append(item)
    months = []
    cursor = start.replace(day=1)
    while cursor <= end:
        weeks = calendar.Calendar(first_weekday).monthdatescalendar(cursor.year, cursor.month)
        grid: list[list[Day | None]] = [
            [
                Day(d, by_day.get(d, []), start <= d <= end) if d.month == cursor.month else None
                for d in week
            ]
            for week in weeks
        ]
        months.append(Month(cursor, grid))
        cursor = (cursor + datetime.timedelta(days=32)).replace(day=1)
    return months
