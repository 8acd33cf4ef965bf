"""The hearing-date checks, at their boundaries, on the fund's calendar, in every form that
takes a hearing date; bad input changes nothing."""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation

from amparo.cases.forms import CaseOpenForm
from amparo.core.hearing_dates import (
    FUTURE,
    PASSED,
    PAST,
    check_hearing_date,
    check_next_hearing,
    fund_today,
)
from amparo.intake.forms.public import HearingStep
from tests.clock import FROZEN_TODAY, frozen

TODAY = FROZEN_TODAY  # 2026-05-13
DAY = datetime.timedelta(days=1)


def _code(check: Any, value: datetime.date, **kwargs: Any) -> str:
    try:
        check(value, **kwargs)
    except ValidationError as error:
        return str(error.code)
    return "ok"


@frozen
def test_next_hearing_boundaries() -> None:
    assert _code(check_next_hearing, TODAY) == "ok"
    assert _code(check_next_hearing, TODAY - DAY) == PASSED
    assert _code(check_next_hearing, datetime.date(2031, 5, 13)) == "ok"
    assert _code(check_next_hearing, datetime.date(2031, 5, 14)) == FUTURE


@frozen
def test_any_hearing_boundaries_and_the_confirmation() -> None:
    assert _code(check_hearing_date, datetime.date(2025, 5, 13)) == "ok"
    assert _code(check_hearing_date, datetime.date(2025, 5, 12)) == PAST
    assert _code(check_hearing_date, datetime.date(2025, 5, 12), confirmed=True) == "ok"
    assert _code(check_hearing_date, datetime.date(1999, 1, 4), confirmed=True) == "ok"
    assert _code(check_hearing_date, datetime.date(2031, 5, 13)) == "ok"
    assert _code(check_hearing_date, datetime.date(2031, 5, 14), confirmed=True) == FUTURE


def test_the_fund_s_today_not_the_server_s() -> None:
    # 23:30 in Denver is already the next day in UTC: the fund's calendar decides.
    late = datetime.datetime(2026, 5, 13, 23, 30, tzinfo=zoneinfo.ZoneInfo("America/Denver"))
    with time_machine.travel(late, tick=False):
        assert fund_today() == datetime.date(2026, 5, 13)
        assert _code(check_next_hearing, datetime.date(2026, 5, 13)) == "ok"


def test_a_leap_day_a_year_on() -> None:
    with time_machine.travel(datetime.datetime(2028, 2, 29, 12, tzinfo=datetime.UTC), tick=False):
        assert _code(check_hearing_date, datetime.date(2027, 2, 28)) == "ok"
        assert _code(check_hearing_date, datetime.date(2027, 2, 27)) == PAST
        assert _code(check_next_hearing, datetime.date(2033, 2, 28)) == "ok"
        assert _code(check_next_hearing, datetime.date(2033, 3, 1)) == FUTURE


@frozen
def test_the_messages_are_translated() -> None:
    with translation.override("es"):
        with pytest.raises(ValidationError) as error:
            check_next_hearing(TODAY - DAY)
        message = error.value.messages[0]
    assert message == "Esta fecha ya pasó. Escriba la próxima audiencia o deje el espacio vacío."


@frozen
def test_the_public_step_and_the_case_form_refuse_a_passed_next_hearing(db: Any) -> None:
    from amparo.intake.models import IntakePolicy

    yesterday = TODAY - DAY
    step = HearingStep(
        {
            "next_hearing_day": yesterday.day,
            "next_hearing_month": yesterday.month,
            "next_hearing_year": yesterday.year,
            "court": "",
        },
        policy=IntakePolicy(),
        answers={},
    )
    assert not step.is_valid() and "has passed" in str(step.errors["next_hearing"])
    form = CaseOpenForm({"next_hearing": yesterday.isoformat()}, organizations=[], attorneys=[])
    form.is_valid()
    assert "has passed" in str(form.errors["next_hearing"])
