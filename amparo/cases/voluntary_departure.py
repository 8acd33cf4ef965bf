"""How long a judge may grant voluntary departure: pure data, no Django.

The case's timeline checks a grant against it when it is entered, and the deadline rules
(``amparo.deadlines.rules``, which sit above cases and must stay free of Django) count the
departure deadline with it, so it lives here, below both.
"""

from __future__ import annotations

from enum import StrEnum


class VoluntaryDepartureStage(StrEnum):
    """When the judge granted voluntary departure: it caps the period (INA 240B(a)(2)(A), (b)(2))."""

    PRE_CONCLUSION = "pre-conclusion"  # before the conclusion of proceedings: at most 120 days
    CONCLUSION = "conclusion"  # at the conclusion of proceedings: at most 60 days


#: The longest period a judge may grant at each stage: 120 days before the conclusion of
#: proceedings, 60 at it (INA 240B(a)(2)(A), (b)(2); 8 CFR 1240.26(e)(1)-(2)).
VD_MAX_DAYS: dict[VoluntaryDepartureStage, int] = {
    VoluntaryDepartureStage.PRE_CONCLUSION: 120,
    VoluntaryDepartureStage.CONCLUSION: 60,
}
