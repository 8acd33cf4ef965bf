"""Correcting a help request: field-by-field audit, screening again, history kept (encrypted,
shredded with the request), adverse parties, merges; and adverse parties travelling into the
case with the conflict check run again at accept."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone

from amparo.accounts.roles import Role
from amparo.audit.models import AuditEvent
from amparo.cases.models import AdverseParty as CaseAdverseParty
from amparo.cases.services import case_open
from amparo.core.services import SYSTEM, ServiceError
from amparo.intake.corrections import (
    help_request_adverse_party_add,
    help_request_adverse_party_remove,
    help_request_merge,
    help_request_update,
)
from amparo.intake.models import (
    ChangeKind,
    Eligibility,
    HelpRequest,
    HelpRequestChange,
    RequestState,
)
from amparo.intake.services import IntakeError, help_request_purge
from amparo.referrals.conflicts import ADVERSE_PARTY_IS_CLIENT
from amparo.referrals.models import ConflictStatus, Referral, ReferralStatus
from amparo.referrals.services import ReferralError, referral_accept
from amparo.vault.services import subject_create
from tests.intake.helpers import route

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(make_user: Any) -> Any:
    return make_user(Role.INTAKE_WORKER)


def _waiting(submit: Any, **overrides: Any) -> HelpRequest:
    return submit(source="hotline", **overrides).help_request


def test_a_correction_is_audited_by_field_name_and_keeps_the_original_encrypted(
    submit: Any, worker: Any
) -> None:
    request = _waiting(submit, name="Rosa Elvia Tzul", phone="303-555-0101")
    changed = help_request_update(
        help_request=request,
        by=worker,
        data={"name": "Rosa Elvira Tzul", "phone": "303-555-0199", "county": "Denver"},
    )
    assert changed == ["name", "phone"]  # the county was already Denver
    event = AuditEvent.objects.get(action="intake.help_request.corrected")
    assert event.fields == ["name", "phone"] and event.object_id == str(request.pk)
    raw = AuditEvent.objects.filter(pk=event.pk).values_list("fields", "reason").get()
    assert "Rosa" not in str(raw) and "0101" not in str(raw) and "0199" not in str(raw)
    fresh = HelpRequest.objects.get(pk=request.pk)
    assert fresh.name == "Rosa Elvira Tzul" and fresh.phone == "303-555-0199"
    # The blind index follows the corrected name (duplicates and conflict checks see it).
    assert HelpRequest.objects.filter(name_index=fresh.name_index).count() == 1
    assert fresh.name_index != request.__class__(subject=request.subject, name="x").name_index
    change = HelpRequestChange.objects.get(help_request=request)
    assert change.kind == ChangeKind.EDITED and change.changed_by == worker
    assert change.fields == ["name", "phone"]
    assert change.previous == {"name": "Rosa Elvia Tzul", "phone": "303-555-0101"}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT previous FROM intake_helprequestchange WHERE id = %s", [change.pk.hex]
        )
        stored = bytes(cursor.fetchone()[0])
    assert b"Rosa" not in stored and b"0101" not in stored


def test_the_original_is_shredded_with_the_request(submit: Any, worker: Any) -> None:
    request = _waiting(submit, name="Rosa Elvia Tzul")
    help_request_update(help_request=request, by=worker, data={"name": "Rosa Elvira Tzul"})
    from amparo.intake.services import help_request_close

    help_request_close(help_request=request, by=worker)
    help_request_purge(help_request=request, by=SYSTEM, reason="retention period ended")
    with connection.cursor() as cursor:
        cursor.execute("SELECT previous FROM intake_helprequestchange")
        assert [bytes(row[0]) for row in cursor.fetchall()] == [b""]


def test_eligibility_and_priority_are_worked_out_again(submit: Any, worker: Any) -> None:
    request = _waiting(submit, income_low=200_000, income_high=200_000)
    assert request.eligibility == Eligibility.INELIGIBLE
    assert request.state == RequestState.NOT_ELIGIBLE
    help_request_update(
        help_request=request,
        by=worker,
        data={"income_low_cents": 2_000_000, "income_high_cents": 2_000_000},
    )
    fresh = HelpRequest.objects.get(pk=request.pk)
    assert fresh.eligibility == Eligibility.ELIGIBLE and fresh.state == RequestState.WAITING
    before = fresh.priority
    help_request_update(
        help_request=fresh,
        by=worker,
        data={"next_hearing": timezone.localdate() + datetime.timedelta(days=3)},
    )
    again = HelpRequest.objects.get(pk=request.pk)
    assert again.priority > before
    assert "hearing_7_days" in [r["code"] for r in again.priority_reasons]
    assert AuditEvent.objects.filter(action="intake.help_request.rescreened").count() == 2
    # A correction that makes it ineligible sends it to a person, never closes it.
    help_request_update(
        help_request=again,
        by=worker,
        data={"income_low_cents": 20_000_000, "income_high_cents": 20_000_000},
    )
    assert HelpRequest.objects.get(pk=request.pk).state == RequestState.NEEDS_REVIEW


def test_bad_values_change_nothing(submit: Any, worker: Any) -> None:
    request = _waiting(submit, name="Rosa Elvia Tzul")
    events = AuditEvent.objects.count()
    with pytest.raises(ServiceError) as error:
        help_request_update(
            help_request=request, by=worker, data={"name": "Rosa", "custody": "jail"}
        )
    assert "custody" in error.value.message_dict
    with pytest.raises(ServiceError) as error:
        help_request_update(help_request=request, by=worker, data={"a_number": "12"})
    assert "a_number" in error.value.message_dict
    with pytest.raises(ServiceError):
        help_request_update(help_request=request, by=worker, data={"status_code_hash": "x"})
    fresh = HelpRequest.objects.get(pk=request.pk)
    assert fresh.name == "Rosa Elvia Tzul" and fresh.custody == request.custody
    assert AuditEvent.objects.count() == events and not HelpRequestChange.objects.exists()


def test_only_intake_staff_and_only_an_editable_request(
    submit: Any, worker: Any, make_user: Any, make_provider: Any
) -> None:
    request = _waiting(submit)
    with pytest.raises(PermissionDenied):
        help_request_update(
            help_request=request, by=make_user(Role.ATTORNEY), data={"name": "Otra Persona"}
        )
    make_provider()
    referral = route(request)
    referral_accept(referral=referral, by=referral.organization.memberships.first().user)
    with pytest.raises(IntakeError) as error:
        help_request_update(help_request=request, by=worker, data={"name": "Otra Persona"})
    assert error.value.code == "state"


def test_adverse_parties_added_and_removed_keep_history(submit: Any, worker: Any) -> None:
    request = _waiting(submit, adverse_parties=["Julio Pérez Castro"])
    party = help_request_adverse_party_add(help_request=request, by=worker, name="Mario Gómez Soto")
    assert sorted(p.name for p in request.adverse_parties.all()) == [
        "Julio Pérez Castro",
        "Mario Gómez Soto",
    ]
    first = request.adverse_parties.exclude(pk=party.pk).get()
    help_request_adverse_party_remove(help_request=request, by=worker, party_id=first.pk)
    assert [p.name for p in request.adverse_parties.all()] == ["Mario Gómez Soto"]
    kinds = list(HelpRequestChange.objects.order_by("changed_at").values_list("kind", flat=True))
    assert kinds == [ChangeKind.ADVERSE_PARTY_ADDED, ChangeKind.ADVERSE_PARTY_REMOVED]
    removed = HelpRequestChange.objects.get(kind=ChangeKind.ADVERSE_PARTY_REMOVED)
    assert removed.previous == {"adverse_party": "Julio Pérez Castro"}
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"intake.adverse_party.added", "intake.adverse_party.removed"} <= actions
    with pytest.raises(ServiceError):
        help_request_adverse_party_add(help_request=request, by=worker, name="  ")
    with pytest.raises(IntakeError):
        help_request_adverse_party_remove(help_request=request, by=worker, party_id=first.pk)


def test_a_merge_closes_one_as_merged_into_the_other_and_moves_adverse_parties(
    submit: Any, worker: Any, make_provider: Any
) -> None:
    keep = _waiting(submit, name="Ana Lucía Coj", adverse_parties=["Julio Pérez Castro"])
    make_provider()
    gone = _waiting(submit, name="Ana Lucia Coj", adverse_parties=["Mario Gómez Soto"])
    referral = route(gone)
    help_request_merge(keep=keep, merge=gone, by=worker)
    gone.refresh_from_db()
    assert gone.state == RequestState.CLOSED and gone.merged_into_id == keep.pk
    assert gone.name == "Ana Lucia Coj"  # kept, read-only
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.WITHDRAWN
    assert sorted(p.name for p in keep.adverse_parties.all()) == [
        "Julio Pérez Castro",
        "Mario Gómez Soto",
    ]
    assert {c.kind for c in HelpRequestChange.objects.all()} == {
        ChangeKind.MERGED_FROM,
        ChangeKind.MERGED_INTO,
    }
    assert AuditEvent.objects.filter(action="intake.help_request.merged").exists()
    with pytest.raises(IntakeError) as error:
        help_request_update(help_request=gone, by=worker, data={"name": "Otra"})
    assert error.value.code == "merged"
    with pytest.raises(IntakeError):
        help_request_merge(keep=keep, merge=gone, by=worker)


def test_merge_refusals(submit: Any, worker: Any, make_provider: Any) -> None:
    make_provider()
    one, two = _waiting(submit), _waiting(submit)
    for request in (one, two):
        referral = route(request)
        referral_accept(referral=referral, by=referral.organization.memberships.first().user)
    with pytest.raises(IntakeError) as error:
        help_request_merge(keep=one, merge=two, by=worker)
    assert error.value.code == "both_cases" and "Both requests became cases" in error.value.message
    three = _waiting(submit)
    with pytest.raises(IntakeError) as error:
        help_request_merge(keep=three, merge=one, by=worker)
    assert error.value.code == "case"
    with pytest.raises(IntakeError):
        help_request_merge(keep=three, merge=three, by=worker)
    # The other way round is fine: the request with the case carries on.
    help_request_merge(keep=one, merge=three, by=worker)
    assert HelpRequest.objects.get(pk=three.pk).merged_into_id == one.pk
    assert HelpRequest.objects.get(pk=one.pk).state == RequestState.PLACED


def test_adverse_parties_travel_into_the_case(submit: Any, make_provider: Any) -> None:
    make_provider()
    request = _waiting(submit, adverse_parties=["Julio Pérez Castro", "Mario Gómez Soto"])
    referral = route(request)
    case = referral_accept(referral=referral, by=referral.organization.memberships.first().user)
    names = sorted(p.name for p in CaseAdverseParty.objects.filter(case=case))
    assert names == ["Julio Pérez Castro", "Mario Gómez Soto"]
    assert "adverse_parties.name" in AuditEvent.objects.get(action="case.opened").fields


def test_the_conflict_check_runs_again_at_accept(
    submit: Any, worker: Any, make_provider: Any
) -> None:
    org, admin, profile = make_provider()
    request = _waiting(submit)
    referral = route(request)
    assert referral.conflict == ConflictStatus.CLEAR
    # Since it was sent: the provider took on a client whom the request now names as adverse.
    case_open(
        organization=org,
        lead_attorney=profile.user,
        subject=subject_create(kind="client"),
        client={"name": "Mario Gómez Soto"},
        custody="never_detained",
        by=admin,
    )
    help_request_adverse_party_add(help_request=request, by=worker, name="Mario Gómez Soto")
    with pytest.raises(ReferralError) as error:
        referral_accept(referral=referral, by=admin)
    assert error.value.code == "conflict"
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PENDING
    assert referral.conflict == ConflictStatus.HIT
    assert referral.conflict_matches == [ADVERSE_PARTY_IS_CLIENT]
    assert AuditEvent.objects.filter(
        action="referrals.conflict_check", reason="hit at accept"
    ).exists()
    # Having seen it, the provider confirms and accepts.
    case = referral_accept(referral=referral, by=admin, conflict_waived=True)
    assert Referral.objects.get(pk=referral.pk).conflict_waived and case.pk
