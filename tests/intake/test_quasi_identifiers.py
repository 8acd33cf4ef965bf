"""A help request's quasi-identifiers (facility, court, hearing, ZIP code, household, income)
are never in the clear in the database: not while the request lives, not after a shred, not
when it became a case and is kept as long as the case."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.db import connection
from faker import Faker

from amparo.accounts.roles import Role
from amparo.core.services import SYSTEM
from amparo.intake.models import DeadlineKind, HelpRequest, IntakePolicy, RequestState
from amparo.intake.policy import forget_cached_rules
from amparo.intake.services import help_request_close, help_request_purge
from amparo.referrals.services import referral_accept
from tests.clock import FROZEN_TODAY, frozen
from tests.intake.helpers import route
from tests.rights.storage import rows_holding

pytestmark = [pytest.mark.django_db, frozen]

#: The columns that hold the quasi-identifiers, and the screening results that quote them.
ENCRYPTED_COLUMNS = (
    "facility",
    "court",
    "next_hearing",
    "zip_code",
    "household_size",
    "income_low_cents",
    "income_high_cents",
    "deadline_date",
    "eligibility_reasons",
    "income_limit",
)
HOUSEHOLD = 7
INCOME_LOW, INCOME_HIGH = 48_317, 48_391  # dollars: within the limit for seven people


def _values(fake: Faker, policy: IntakePolicy) -> dict[str, Any]:
    """Synthetic answers, each long or marked enough to appear nowhere else by chance. The
    facility and court are added to the program's lists, as the forms offer them."""
    marker = fake.hexify("^" * 10)
    facility = f"{fake.last_name()} Processing Center Zq{marker}"
    court = f"{fake.city()} Immigration Court Zq{marker}"
    policy.facilities = [*policy.facilities, {"name": facility, "county": "Denver"}]
    policy.courts = [*policy.courts, court]
    policy.save()
    forget_cached_rules()
    return {
        "facility": facility,
        "court": court,
        "zip_code": f"80219-{fake.numerify('####')}",
        "next_hearing": FROZEN_TODAY + datetime.timedelta(days=23),
        "deadline_kind": DeadlineKind.APPEAL,
        "deadline_date": FROZEN_TODAY + datetime.timedelta(days=17),
        "household_size": HOUSEHOLD,
        "income_low": INCOME_LOW,
        "income_high": INCOME_HIGH,
    }


def _needles(values: dict[str, Any]) -> dict[str, str]:
    """What must not be found in any table, as the database would write it."""
    return {
        "facility": values["facility"],
        "court": values["court"],
        "zip_code": values["zip_code"],
        "next_hearing": values["next_hearing"].isoformat(),
        "deadline_date": values["deadline_date"].isoformat(),
        "income_low": str(INCOME_LOW * 100),
        "income_high": str(INCOME_HIGH * 100),
    }


def _found(values: Any, *, besides: tuple[str, ...] = ()) -> list[str]:
    """Rows holding one of ``values``, except the program's own lists (public: the forms show
    them) and the tables in ``besides``."""
    public = (f"{IntakePolicy._meta.db_table}:", *besides)
    return [hit for hit in rows_holding(values) if not hit.startswith(public)]


def _raw_row(request: HelpRequest) -> dict[str, Any]:
    table = connection.ops.quote_name(HelpRequest._meta.db_table)
    with connection.cursor() as cursor:
        pk = HelpRequest._meta.pk
        assert pk is not None
        key = pk.get_db_prep_value(request.pk, connection)
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [key])
        names = [c[0] for c in cursor.description]
        row = cursor.fetchone()
    assert row is not None
    return dict(zip(names, row, strict=True))


def _assert_row_holds_no_quasi_identifier(request: HelpRequest) -> None:
    row = _raw_row(request)
    for column in ENCRYPTED_COLUMNS:
        assert isinstance(row[column], bytes | memoryview | type(None)), (
            f"{column} is stored in the clear: {type(row[column]).__name__}"
        )
    assert HOUSEHOLD not in [v for v in row.values() if isinstance(v, int)]
    text = " ".join(str(v) for v in row.values() if not isinstance(v, bytes | memoryview))
    assert not re.search(rf'"size":\s*{HOUSEHOLD}\b', text), "the reasons quote the household"


def test_screening_and_triage_read_the_values_and_staff_still_see_them(
    submit: Any, fake: Faker, policy: IntakePolicy
) -> None:
    values = _values(fake, policy)
    request = submit(**values).help_request
    assert request.state == RequestState.WAITING  # residence by county, income within limit
    codes = {r["code"] for r in request.priority_reasons}
    assert {"hearing_30_days", "appeal_deadline_30_days"} <= codes
    stored = HelpRequest.objects.get(pk=request.pk)  # read back through the vault
    assert (stored.facility, stored.court, stored.zip_code) == (
        values["facility"],
        values["court"],
        values["zip_code"],
    )
    assert stored.next_hearing == values["next_hearing"]
    assert stored.deadline_date == values["deadline_date"]
    assert (stored.household_size, stored.income_low, stored.income_high) == (
        HOUSEHOLD,
        INCOME_LOW,
        INCOME_HIGH,
    )
    income = next(r for r in stored.eligibility_reasons if r["criterion"] == "income")
    assert income["params"]["size"] == HOUSEHOLD
    assert stored.income_limit == income["params"]["limit"]
    _assert_row_holds_no_quasi_identifier(request)


def test_a_request_that_became_a_case_keeps_none_of_them_in_the_clear(
    submit: Any, fake: Faker, policy: IntakePolicy, make_provider: Any
) -> None:
    values = _values(fake, policy)
    request = submit(**values).help_request
    _org, admin, _profile = make_provider()
    case = referral_accept(referral=route(request), by=admin)
    request.refresh_from_db()
    assert request.state == RequestState.PLACED and case.facility == values["facility"]
    _assert_row_holds_no_quasi_identifier(request)
    needles = _needles(values)
    # A case keeps its court and hearing dates in the clear by design, and the deadlines it
    # computes from them (calendars, reminders: docs/data-protection.md); everything else is
    # searched in every table.
    case_plain = {needles.pop("court"), needles.pop("next_hearing")}
    assert _found(needles.values()) == []
    assert _found(case_plain, besides=("cases_", "deadlines_")) == []


def test_after_the_shred_nothing_of_them_is_left(
    submit: Any, fake: Faker, policy: IntakePolicy, make_user: Any
) -> None:
    values = _values(fake, policy)
    request = submit(**values).help_request
    help_request_close(help_request=request, by=make_user(Role.INTAKE_WORKER))
    help_request_purge(help_request=request, by=SYSTEM, reason="retention")
    _assert_row_holds_no_quasi_identifier(request)
    assert _found(_needles(values).values()) == []
    row = _raw_row(request)
    assert all(not row[c] for c in ENCRYPTED_COLUMNS), "the shred leaves empty columns"
