"""The one sanity check of a hearing date typed by a person, for every form that takes one
(intake's public and staff forms, the API, the case forms). A hearing of a case is checked by
the services ``hearing_add``/``hearing_update`` themselves, so its page and its API apply the
one check.

"Today" is the fund's: :func:`django.utils.timezone.localdate` in ``TIME_ZONE`` (the fund's
time zone, ``AMPARO_TIME_ZONE``), so a date entered late in the evening is checked against the
fund's calendar, not the server's.

- more than five years ahead: refused (a typo in the year, most of the time);
- a *next* hearing (what intake asks, and the first hearing of a new case) that has passed:
  refused, with a message saying to enter the next one (a missed hearing is its own question);
- any other hearing more than a year in the past: refused unless the attorney confirms that it
  is a historical hearing they are recording on purpose (``confirmed``).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: How far back a hearing may be without a confirmation, and how far ahead at all.
PAST_LIMIT_YEARS = 1
FUTURE_LIMIT_YEARS = 5

PAST = "past"
PASSED = "passed"
FUTURE = "future"


def fund_today() -> datetime.date:
    """Today in the fund's time zone."""
    return timezone.localdate()


def years_from(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` later (or earlier); Feb 29 becomes Feb 28 in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def check_next_hearing(value: datetime.date | None) -> None:
    """The next hearing: today or later, at most five years ahead."""
    if value is None:
        return
    today = fund_today()
    if value < today:
        raise ValidationError(
            _("This date has passed. Enter the next hearing, or leave it empty."), code=PASSED
        )
    _check_future(value, today)


def check_hearing_date(value: datetime.date | None, *, confirmed: bool = False) -> None:
    """Any hearing: at most five years ahead; more than a year ago only when ``confirmed``."""
    if value is None:
        return
    today = fund_today()
    if value < years_from(today, -PAST_LIMIT_YEARS) and not confirmed:
        raise ValidationError(
            _(
                "This date is more than a year ago. Check the year, or confirm that you are recording a past hearing."
            ),
            code=PAST,
        )
    _check_future(value, today)


def _check_future(value: datetime.date, today: datetime.date) -> None:
    if value > years_from(today, FUTURE_LIMIT_YEARS):
        raise ValidationError(
            _("This date is more than five years ahead. Check the year."), code=FUTURE
        )
