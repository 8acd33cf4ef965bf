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
