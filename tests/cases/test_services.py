"""Case services: deadlines follow their triggers, decisions start clocks, overrides are audited."""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from PIL import Image

from amparo.audit.models import AuditEvent
from amparo.cases import services
from amparo.cases.documents import DOCX, JPEG, PDF, DocumentRefused, check_document
from amparo.cases.models import Case, CaseAssignment
from amparo.deadlines.models import CaseDeadline
from amparo.deadlines.services import deadline_override, deadlines_recompute
from tests.clock import FROZEN_TODAY, frozen

pytestmark = [pytest.mark.django_db, frozen]

TODAY = FROZEN_TODAY
DAY = datetime.timedelta(days=1)


@pytest.fixture
def lead(org: Any, attorney_of: Callable[..., Any]) -> Any:
    return attorney_of(org)


@pytest.fixture
def case(org: Any, lead: Any, open_case: Callable[..., Case]) -> Case:
    return open_case(org, lead)


def active_rules(case: Case) -> dict[str, CaseDeadline]:
    return {d.rule_id: d for d in CaseDeadline.objects.filter(case=case, is_active=True)}


def test_a_hearing_creates_its_filing_deadline_and_a_new_date_recomputes_it(
    case: Case, lead: Any
) -> None:
    hearing = services.hearing_add(
        case=case, kind="individual", date=datetime.date(2026, 9, 15), by=lead
    )
    first = active_rules(case)["prehearing-filing"]
    assert (first.trigger_date, first.due) == (
        datetime.date(2026, 9, 15),
        datetime.date(2026, 8, 17),
    )
    assert first.citation == "Immigration Court Practice Manual 3.1(b)"
    services.hearing_update(hearing=hearing, data={"date": datetime.date(2026, 10, 20)}, by=lead)
    moved = active_rules(case)["prehearing-filing"]
    assert moved.pk == first.pk
    assert (moved.trigger_date, moved.due) == (
        datetime.date(2026, 10, 20),
        datetime.date(2026, 9, 21),
    )
    assert (
        AuditEvent.objects.filter(
            action="case.deadlines.recomputed", object_id=str(case.pk)
        ).count()
        == 2
    )
    # A cancelled hearing's deadline no longer applies (kept, inactive).
    services.hearing_update(hearing=hearing, data={"status": "vacated"}, by=lead)
    assert "prehearing-filing" not in active_rules(case)
    assert CaseDeadline.objects.filter(
        case=case, rule_id="prehearing-filing", is_active=False
    ).exists()


def test_a_detained_case_has_no_default_filing_date(case: Case, lead: Any) -> None:
    services.case_update(case=case, data={"custody": "detained"}, by=lead)
    services.hearing_add(case=case, kind="master", date=datetime.date(2026, 9, 15), by=lead)
    row = active_rules(case)["prehearing-filing"]
    assert row.due is None and row.effective_date is None
    assert "sets the filing deadlines" in row.explanation_text


def test_an_ij_decision_creates_appeal_and_motion_deadlines(case: Case, lead: Any) -> None:
    decided = datetime.date(2026, 6, 4)
    if decided > TODAY:
        decided = TODAY - 10 * DAY
    services.outcome_record(
        case=case, kind="removal_order", decided_by="ij", decision_date=decided, by=lead
    )
    rules = active_rules(case)
    assert {"bia-appeal", "ij-reconsider", "ij-reopen"} <= set(rules)
    assert "in-absentia-rescind" not in rules
    assert rules["bia-appeal"].trigger_date == decided
    assert rules["bia-appeal"].citation == "8 CFR 1003.38(b)-(c)"
    case.refresh_from_db()
    assert case.status == "decided"


def test_an_in_absentia_order_starts_the_clock_to_rescind_it(case: Case, lead: Any) -> None:
    services.outcome_record(
        case=case,
        kind="removal_order",
        decided_by="ij",
        decision_date=TODAY - 5 * DAY,
        in_absentia=True,
        by=lead,
    )
    rules = active_rules(case)
    assert set(rules) == {"in-absentia-rescind"}
    assert rules["in-absentia-rescind"].due is not None
    assert rules["in-absentia-rescind"].due >= TODAY - 5 * DAY + 180 * DAY


def test_a_bia_decision_creates_board_motions_and_the_petition_for_review(
    case: Case, lead: Any
) -> None:
    services.outcome_record(
        case=case, kind="removal_order", decided_by="ij", decision_date=TODAY - 60 * DAY, by=lead
    )
    services.case_transition(case=case, name="appeal", by=lead)
    services.outcome_record(
        case=case, kind="removal_order", decided_by="bia", decision_date=TODAY - DAY, by=lead
    )
    rules = active_rules(case)
    assert {"bia-reconsider", "bia-reopen", "petition-for-review"} <= set(rules)
    assert rules["petition-for-review"].citation.startswith("INA 242(b)(1)")


def test_events_start_their_own_clocks(case: Case, lead: Any) -> None:
    services.event_add(case=case, kind="last_arrival", date=datetime.date(2025, 11, 3), by=lead)
    services.event_add(case=case, kind="change_of_address", date=TODAY - DAY, by=lead)
    services.event_add(case=case, kind="filing_received", date=TODAY - 2 * DAY, by=lead)
    services.event_add(case=case, kind="briefing_notice", date=TODAY - 3 * DAY, by=lead)
    services.event_add(case=case, kind="contact", date=TODAY, details="Called.", by=lead)
    rules = active_rules(case)
    assert rules["asylum-one-year"].due == datetime.date(2026, 11, 3)
    assert {
        "change-of-address",
        "ar-11",
        "filing-response",
        "bia-brief-appellant",
        "bia-brief-appellee",
    } <= set(rules)
    assert len(rules) == 6
    # A clock-starting event cannot be in the future.
    with pytest.raises(ValidationError) as err:
        services.event_add(case=case, kind="last_arrival", date=TODAY + DAY, by=lead)
    assert "date" in err.value.message_dict


def test_a_custody_change_recomputes_custody_dependent_deadlines(case: Case, lead: Any) -> None:
    services.hearing_add(case=case, kind="master", date=datetime.date(2026, 9, 15), by=lead)
    assert active_rules(case)["prehearing-filing"].due is not None
    services.case_update(case=case, data={"custody": "detained", "facility": "Aurora"}, by=lead)
    assert active_rules(case)["prehearing-filing"].due is None
    assert case.events.filter(kind="custody").exists()


def test_recomputing_twice_changes_nothing(case: Case, lead: Any) -> None:
    services.hearing_add(case=case, kind="master", date=datetime.date(2026, 9, 15), by=lead)
    before = AuditEvent.objects.count()
    report = deadlines_recompute(case=case, by=lead)
    assert not report.changed and AuditEvent.objects.count() == before


def test_an_override_needs_a_reason_is_audited_and_is_cleared_when_the_trigger_moves(
    case: Case, lead: Any
) -> None:
    hearing = services.hearing_add(
        case=case, kind="individual", date=datetime.date(2026, 9, 15), by=lead
    )
    row = active_rules(case)["prehearing-filing"]
    with pytest.raises(ValidationError) as err:
        deadline_override(deadline=row, date=datetime.date(2026, 8, 20), reason="  ", by=lead)
    assert "reason" in err.value.message_dict
    row = deadline_override(
        deadline=row,
        date=datetime.date(2026, 8, 20),
        reason="Judge set Aug 20 at the master.",
        by=lead,
    )
    assert row.effective_date == datetime.date(2026, 8, 20) and row.overridden_by == lead
    assert row.due == datetime.date(2026, 8, 17)  # the rule's date stays on record
    event = AuditEvent.objects.get(action="case.deadline.overridden")
    assert event.actor_id == lead.pk and event.object_id == str(row.pk)
    assert event.fields == ["override_date", "override_reason"]
    services.hearing_update(hearing=hearing, data={"date": datetime.date(2026, 10, 20)}, by=lead)
    row.refresh_from_db()
    assert row.override_date is None and row.effective_date == row.calendar_date
    recomputed = AuditEvent.objects.filter(action="case.deadlines.recomputed").latest("seq")
    assert "override cleared: prehearing-filing" in recomputed.reason


def test_only_attorneys_on_the_team_or_provider_admins_override(
    case: Case, lead: Any, org: Any, attorney_of: Callable[..., Any], admin_of: Callable[..., Any]
) -> None:
    services.hearing_add(case=case, kind="master", date=datetime.date(2026, 9, 15), by=lead)
    row = active_rules(case)["prehearing-filing"]
    with pytest.raises(PermissionDenied):
        deadline_override(deadline=row, date=TODAY, reason="Because.", by=attorney_of(org))
    deadline_override(deadline=row, date=TODAY, reason="Because.", by=admin_of(org))


def test_the_team_decides_access_and_the_lead_can_change(
    case: Case, org: Any, lead: Any, attorney_of: Callable[..., Any], other_org: Any
) -> None:
    colleague = attorney_of(org)
    with pytest.raises(PermissionDenied):
        services.team_add(case=case, user=lead, role="lead", by=colleague)
    with pytest.raises(ValidationError):
        services.team_add(case=case, user=attorney_of(other_org), role="attorney", by=lead)
    services.team_add(case=case, user=colleague, role="lead", by=lead)
    case.refresh_from_db()
    assert case.lead_attorney == colleague
    assert CaseAssignment.objects.get(case=case, user=lead).role == "attorney"


def test_documents_are_checked_by_content() -> None:
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
    assert check_document(pdf, "notice.PDF").content_type == PDF
    with pytest.raises(DocumentRefused):
        check_document(pdf, "notice.docx")  # the name lies about the content
    with pytest.raises(DocumentRefused):
        check_document(b"<html>not a pdf</html>", "notice.pdf")
    with pytest.raises(DocumentRefused):
        check_document(b"", "empty.pdf")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    assert check_document(buffer.getvalue(), "letter.docx").content_type == DOCX
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("payload.exe", "MZ")
    with pytest.raises(DocumentRefused):
        check_document(plain_zip.getvalue(), "letter.docx")
    # A truncated JPEG is refused; a real one is re-encoded without its EXIF.
    photo = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    Image.new("RGB", (30, 20), (0, 128, 0)).save(photo, format="JPEG", exif=exif)
    with pytest.raises(DocumentRefused):
        check_document(photo.getvalue()[:40], "photo.jpg")
    checked = check_document(photo.getvalue(), "photo.jpeg")
    assert checked.content_type == JPEG and checked.metadata_stripped
    assert b"CameraMaker" in photo.getvalue() and b"CameraMaker" not in checked.content


def test_documents_over_the_size_limit_are_refused(settings: Any) -> None:
    settings.AMPARO = {**settings.AMPARO, "CASE_DOCUMENT_MAX_BYTES": 1024}
    with pytest.raises(DocumentRefused) as err:
        check_document(b"%PDF-1.4" + b"0" * 2000, "big.pdf")
    assert "larger than" in str(err.value)


def test_documents_and_notes_need_privileged_access(
    case: Case, make_user: Callable[..., Any]
) -> None:
    from amparo.accounts.roles import Role

    fund_admin = make_user(Role.FUND_ADMIN)
    with pytest.raises(PermissionDenied):
        services.note_add(case=case, body="x", by=fund_admin)
    with pytest.raises(PermissionDenied):
        services.document_add(case=case, data=b"%PDF-1.4", filename="a.pdf", by=fund_admin)


def test_adverse_parties_are_found_by_blind_index(case: Case, lead: Any) -> None:
    from amparo.cases.models import AdverseParty
    from amparo.vault.blind import matching

    services.adverse_party_add(case=case, name="Marco Antonio Ruiz", relationship="abuser", by=lead)
    assert AdverseParty.objects.filter(
        matching(AdverseParty, "name_index", "marco antonio RUIZ")
    ).exists()


def test_the_lead_cannot_take_themself_off_the_case_but_an_admin_can(
    case: Case, lead: Any, org: Any, admin_of: Callable[..., Any]
) -> None:
    mine = CaseAssignment.objects.get(case=case, user=lead)
    with pytest.raises(ValidationError):
        services.team_revoke(assignment=mine, by=lead)
    services.team_revoke(assignment=mine, by=admin_of(org))
    case.refresh_from_db()
    assert case.lead_attorney is None
    assert not CaseAssignment.objects.get(pk=mine.pk).is_active
