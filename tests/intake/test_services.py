"""Submitting, screening, triage, review and closing: the services, against a real database."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.utils import translation

from amparo.accounts.roles import Role
from amparo.audit.models import AuditEvent
from amparo.core.services import SYSTEM, ServiceError
from amparo.intake import codes
from amparo.intake.explain import eligibility_sentences, priority_sentences, public_status
from amparo.intake.models import AdverseParty, HelpRequest, PovertyGuideline, RequestState
from amparo.intake.services import (
    IntakeError,
    help_request_close,
    help_request_review,
    help_request_submit,
    intake_policy_save,
    poverty_guideline_confirm,
)
from amparo.vault.blind import matching
from tests.clock import frozen

from .helpers import request_data, route

pytestmark = [pytest.mark.django_db, frozen]


def test_protected_fields_are_encrypted_in_the_database(submit: Any) -> None:
    submission = submit(
        name="Guadalupe Xochitl Tzul", a_number="A-987-654-321", relative_phone="720-555-0199"
    )
    table = HelpRequest._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")
        raw = repr(cursor.fetchall())
    assert "Tzul" not in raw and "987654321" not in raw and "0199" not in raw
    assert submission.help_request.status_code_hash not in (submission.status_code, "")
    assert codes.status_code_matches(
        submission.status_code, submission.help_request.status_code_hash
    )
    assert HelpRequest.objects.filter(matching(HelpRequest, "a_number_index", "987654321")).exists()


def test_the_same_idempotency_key_returns_the_first_request(fake: Any, policy: Any) -> None:
    data = request_data(fake)
    first = help_request_submit(data=data, source="public", by=SYSTEM, idempotency_key="k" * 32)
    again = help_request_submit(data=data, source="public", by=SYSTEM, idempotency_key="k" * 32)
    assert first.created and not again.created and again.status_code == ""
    assert again.help_request.pk == first.help_request.pk and HelpRequest.objects.count() == 1


def test_an_open_request_with_the_same_a_number_is_linked_for_review(submit: Any) -> None:
    first = submit(a_number="A-111-222-333").help_request
    second = submit(a_number="111 222 333").help_request
    assert second.possible_duplicate_of_id == first.pk and second.state == RequestState.NEEDS_REVIEW


def test_adverse_parties_are_stored_encrypted_with_a_blind_index(submit: Any) -> None:
    request = submit(adverse_parties=["Carlos Méndez"]).help_request
    party = AdverseParty.objects.get(help_request=request)
    assert party.subject_id == request.subject_id and party.name == "Carlos Méndez"
    assert AdverseParty.objects.filter(
        matching(AdverseParty, "name_index", "carlos mendez")
    ).exists()


def test_creation_is_audited_with_field_names_only(submit: Any) -> None:
    request = submit(adverse_parties=["Carlos Méndez"]).help_request
    event = AuditEvent.objects.get(action="intake.help_request.created", object_id=str(request.pk))
    assert {"name", "a_number", "relative_name", "relative_phone", "adverse_parties.name"} <= set(
        event.fields
    )
    assert event.reason == "public"


def test_income_over_the_limit_is_not_eligible_and_explained_in_spanish(submit: Any) -> None:
    request = submit(household_size=1, income_low=50_000, income_high=50_000).help_request
    assert request.state == RequestState.NOT_ELIGIBLE and request.eligibility == "ineligible"
    with translation.override("es"):
        sentences = eligibility_sentences(request.eligibility_reasons, outcomes=("fail",))
        title, _body = public_status(request.state)
    assert sentences == [
        "Los ingresos anuales están por encima del límite: el 200 % de la pauta de pobreza de 2025, $31,300 para un hogar de 1 persona."
    ]
    assert title == "No podemos tomar esta solicitud"


def test_priority_reasons_are_explained(submit: Any) -> None:
    request = submit(
        next_hearing=datetime.date.today() + datetime.timedelta(days=5), minor=True
    ).help_request
    with translation.override("es"):
        sentences = priority_sentences(request.priority_reasons)
    assert sentences[0] == "Detenida: las personas detenidas van primero. (+1000)"
    assert sentences[1] == "La audiencia es en 5 días. (+500)"
    assert sentences[2] == "Menor de 18 años. (+200)"
    assert request.priority == 1700


def test_a_missed_hearing_ranks_at_least_as_high_as_a_hearing_within_a_week(submit: Any) -> None:
    today = datetime.date.today()
    soon = submit(next_hearing=today + datetime.timedelta(days=7)).help_request
    missed = submit(next_hearing=None, missed_hearing=True).help_request
    ordered = submit(next_hearing=None, in_absentia_order=True).help_request
    assert missed.priority >= soon.priority and ordered.priority >= soon.priority
    assert missed.missed_hearing and not missed.in_absentia_order
    assert ordered.missed_hearing and ordered.in_absentia_order
    assert [r["code"] for r in missed.priority_reasons] == ["detained", "hearing_missed"]
    assert [r["code"] for r in ordered.priority_reasons] == ["detained", "in_absentia_order"]
    with translation.override("es"):
        assert priority_sentences(ordered.priority_reasons)[1].endswith("(+500)")


def test_a_running_deadline_within_30_days_adds_its_reason(submit: Any) -> None:
    today = datetime.date.today()
    plain = submit(next_hearing=None).help_request
    appeal = submit(
        next_hearing=None, deadline_kind="appeal", deadline_date=today + datetime.timedelta(days=12)
    ).help_request
    later = submit(
        next_hearing=None, deadline_kind="motion", deadline_date=today + datetime.timedelta(days=60)
    ).help_request
    assert appeal.priority == plain.priority + 300
    assert appeal.priority_reasons[-1] == {
        "code": "appeal_deadline_30_days",
        "points": 300,
        "days": 12,
    }
    assert priority_sentences(appeal.priority_reasons)[-1] == (
        "The deadline to appeal is in 12 days. (+300)"
    )
    assert later.priority == plain.priority and later.deadline_kind == "motion"
    # A kind without a date (or a date without a kind) is not kept.
    half = submit(next_hearing=None, deadline_kind="petition").help_request
    assert half.deadline_kind == "" and half.deadline_date is None


def test_an_unknown_deadline_kind_is_refused(submit: Any) -> None:
    with pytest.raises(ServiceError):
        submit(deadline_kind="bogus", deadline_date=datetime.date.today())


def test_review_decides_and_refuses_twice(submit: Any, make_user: Any) -> None:
    worker = make_user(Role.INTAKE_WORKER)
    request = submit(zip_code="", county="").help_request  # no address: review
    request_nr = submit(zip_code="", county="", custody="never_detained", facility="").help_request
    assert request_nr.state == RequestState.NEEDS_REVIEW
    help_request_review(help_request=request_nr, by=worker, decision="eligible")
    request_nr.refresh_from_db()
    assert request_nr.state == RequestState.WAITING and request_nr.reviewed_by == worker
    with pytest.raises(IntakeError):
        help_request_review(help_request=request_nr, by=worker, decision="not_eligible")
    assert (
        request.state == RequestState.WAITING
    )  # detained at the local facility: no address needed


def test_closing_withdraws_the_pending_referral(
    submit: Any, make_provider: Any, make_user: Any
) -> None:
    from amparo.referrals.models import Referral, ReferralStatus

    make_provider()
    worker = make_user(Role.INTAKE_WORKER)
    request = submit().help_request
    referral = route(request)
    help_request_close(help_request=request, by=worker)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WITHDRAWN
    with pytest.raises(IntakeError):
        help_request_close(help_request=request, by=worker)
    assert Referral.objects.filter(status=ReferralStatus.PENDING).count() == 0


def test_a_year_without_a_confirmed_table_goes_to_review_until_a_fund_admin_confirms_it(
    fake: Any, policy: Any, make_user: Any
) -> None:
    admin = make_user(Role.FUND_ADMIN)
    table = PovertyGuideline.objects.create(
        year=2027, region="contiguous", first_person=16_200, verified=False
    )
    intake_policy_save(program=policy.program, by=admin, values={"poverty_year": 2027})
    data = request_data(fake, household_size=2, income_low=41_000, income_high=41_000)
    before = help_request_submit(data=data, source="public", by=SYSTEM).help_request
    reason = next(r for r in before.eligibility_reasons if r["criterion"] == "income")
    assert reason["code"] == "income_below_fallback" and before.poverty_year_used == 2026
    # Compared with an older year's figures: a person decides, never the machine.
    assert before.eligibility == "review"
    poverty_guideline_confirm(guideline=table, by=admin, additional_person=5_700, source="Checked")
    after = help_request_submit(
        data=request_data(fake, household_size=2, income_low=41_000, income_high=41_000),
        source="public",
        by=SYSTEM,
    ).help_request
    reason = next(r for r in after.eligibility_reasons if r["criterion"] == "income")
    assert (
        reason["code"] == "income_below"
        and after.poverty_year_used == 2027
        and after.income_limit == (16_200 + 5_700) * 2
    )
    assert AuditEvent.objects.filter(action="intake.poverty_guideline.confirmed").exists()


def test_the_shipped_tables_are_in_the_database() -> None:
    stored = {(g.year, g.region): g for g in PovertyGuideline.objects.all()}
    assert (
        stored[2026, "contiguous"].verified
        and stored[2026, "contiguous"].additional_person == 5_680
    )
    assert {(2024, "alaska"), (2025, "hawaii")} <= set(stored)
    assert (2026, "alaska") not in stored and (2026, "hawaii") not in stored


def test_only_fund_admins_change_rules(policy: Any, make_user: Any) -> None:
    from django.core.exceptions import PermissionDenied

    worker = make_user(Role.INTAKE_WORKER)
    with pytest.raises(PermissionDenied):
        intake_policy_save(program=policy.program, by=worker, values={"income_percent": 300})
    policy.refresh_from_db()
    assert policy.income_percent == 200


def test_a_denver_zip_code_passes_residence_without_review(fake: Any, policy: Any) -> None:
    # 80202 is not on the program's ZIP list, but the bundled ZIP-to-county data puts it in
    # Denver County, one of the program's counties.
    data = request_data(fake, custody="never_detained", facility="", zip_code="80202", county="")
    request = help_request_submit(data=data, source="public", by=SYSTEM).help_request
    reason = next(r for r in request.eligibility_reasons if r["criterion"] == "residence")
    assert reason["outcome"] == "pass" and reason["code"] == "residence_zip_in_county"
    assert reason["params"]["county"] == "Denver County"
