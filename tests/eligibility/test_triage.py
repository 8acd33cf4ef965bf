"""Triage: explicit weighted factors; each priority carries its reasons; higher is more urgent."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from amparo.eligibility.triage import DEFAULT_WEIGHTS, Facts, prioritize, validate_weights

TODAY = datetime.date(2026, 3, 2)


def _codes(priority: Any) -> list[str]:
    return [f.code for f in priority.factors]


def test_detained_first_then_the_nearest_hearing() -> None:
    detained = prioritize(Facts(detained=True), today=TODAY)
    soon = prioritize(Facts(next_hearing=TODAY + datetime.timedelta(days=3)), today=TODAY)
    later = prioritize(Facts(next_hearing=TODAY + datetime.timedelta(days=60)), today=TODAY)
    nothing = prioritize(Facts(), today=TODAY)
    assert detained.score > soon.score > later.score > nothing.score == 0
    assert _codes(detained) == ["detained"] and detained.score == 1000
    assert soon.factors[0].code == "hearing_7_days" and soon.factors[0].days == 3
    assert later.factors[0].code == "hearing_90_days"


def test_each_point_has_a_reason() -> None:
    facts = Facts(
        detained=True,
        next_hearing=TODAY + datetime.timedelta(days=20),
        unaccompanied_child=True,
        vulnerable=True,
    )
    priority = prioritize(facts, today=TODAY)
    assert _codes(priority) == [
        "detained",
        "hearing_30_days",
        "unaccompanied_child",
        "minor",
        "vulnerable",
    ]
    assert priority.score == sum(f.points for f in priority.factors) == 1000 + 300 + 400 + 200 + 150


def test_a_passed_hearing_is_the_risk_of_an_order_in_absentia() -> None:
    priority = prioritize(
        Facts(next_hearing=TODAY - datetime.timedelta(days=12), in_absentia_risk=True), today=TODAY
    )
    assert _codes(priority) == ["hearing_passed"] and priority.factors[0].days == 12
    assert _codes(prioritize(Facts(in_absentia_risk=True), today=TODAY)) == ["in_absentia_risk"]


@pytest.mark.parametrize(
    "missed",
    [
        Facts(missed_hearing=True),
        Facts(in_absentia_order=True),
        Facts(next_hearing=TODAY - datetime.timedelta(days=3)),
        Facts(in_absentia_order=True, next_hearing=TODAY - datetime.timedelta(days=3)),
    ],
)
def test_a_missed_hearing_or_an_order_in_absentia_weighs_as_much_as_a_hearing_within_7_days(
    missed: Facts,
) -> None:
    soon = prioritize(Facts(next_hearing=TODAY + datetime.timedelta(days=2)), today=TODAY)
    assert prioritize(missed, today=TODAY).score >= soon.score


def test_an_order_in_absentia_is_one_reason_not_three() -> None:
    priority = prioritize(
        Facts(
            in_absentia_order=True,
            missed_hearing=True,
            in_absentia_risk=True,
            next_hearing=TODAY - datetime.timedelta(days=10),
        ),
        today=TODAY,
    )
    assert _codes(priority) == ["in_absentia_order"]
    missed = prioritize(Facts(missed_hearing=True, in_absentia_risk=True), today=TODAY)
    assert _codes(missed) == ["hearing_missed"]
    # A new hearing set after the missed one still counts by its own window.
    rescheduled = prioritize(
        Facts(missed_hearing=True, next_hearing=TODAY + datetime.timedelta(days=20)), today=TODAY
    )
    assert _codes(rescheduled) == ["hearing_missed", "hearing_30_days"]


def test_each_running_deadline_within_30_days_adds_its_own_reason() -> None:
    priority = prioritize(
        Facts(
            appeal_deadline=TODAY + datetime.timedelta(days=30),
            motion_deadline=TODAY + datetime.timedelta(days=5),
            petition_deadline=TODAY,
        ),
        today=TODAY,
    )
    assert [(f.code, f.days) for f in priority.factors] == [
        ("appeal_deadline_30_days", 30),
        ("motion_deadline_30_days", 5),
        ("petition_deadline_30_days", 0),
    ]
    assert priority.score == 3 * DEFAULT_WEIGHTS["appeal_deadline_30_days"] > 0
    far_or_gone = Facts(
        appeal_deadline=TODAY + datetime.timedelta(days=31),
        motion_deadline=TODAY - datetime.timedelta(days=1),
    )
    assert prioritize(far_or_gone, today=TODAY).factors == ()
    with_hearing = prioritize(
        Facts(
            next_hearing=TODAY + datetime.timedelta(days=60),
            appeal_deadline=TODAY + datetime.timedelta(days=10),
        ),
        today=TODAY,
    )
    assert (
        with_hearing.score
        > prioritize(Facts(next_hearing=TODAY + datetime.timedelta(days=60)), today=TODAY).score
    )


def test_weights_are_configurable_and_zero_hides_a_factor() -> None:
    priority = prioritize(
        Facts(detained=True, minor=True), today=TODAY, weights={"detained": 0, "minor": 5}
    )
    assert _codes(priority) == ["minor"] and priority.score == 5


@pytest.mark.parametrize(
    "weights",
    [{"merits": 10}, {"detained": -1}, {"detained": 1.5}, {"detained": True}, {"detained": 10**9}],
)
def test_bad_weights_are_refused(weights: Any) -> None:
    with pytest.raises(ValueError):
        validate_weights(weights)


@given(
    detained=st.booleans(),
    days=st.one_of(st.none(), st.integers(-400, 400)),
    minor=st.booleans(),
    unaccompanied=st.booleans(),
    vulnerable=st.booleans(),
)
def test_detention_always_outranks_everything_else_by_default(
    detained: Any, days: Any, minor: Any, unaccompanied: Any, vulnerable: Any
) -> None:
    hearing = None if days is None else TODAY + datetime.timedelta(days=days)
    facts = Facts(
        detained=detained,
        next_hearing=hearing,
        minor=minor,
        unaccompanied_child=unaccompanied,
        vulnerable=vulnerable,
    )
    priority = prioritize(facts, today=TODAY)
    assert priority.score == sum(f.points for f in priority.factors) >= 0
    others = sum(w for k, w in DEFAULT_WEIGHTS.items() if k != "detained")
    assert priority.score >= 1000 if detained else priority.score < 1000 + others
