"""The case pages: who sees what, forms that refuse bad input, audited reads, 404 parity."""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from amparo.accounts.roles import Role
from amparo.audit.models import AuditEvent
from amparo.cases.models import Case, CaseNote, Document, Hearing
from amparo.cases.services import note_add
from amparo.deadlines.models import CaseDeadline
from tests.clock import FROZEN_TODAY, frozen

pytestmark = [pytest.mark.django_db, frozen]

TODAY = FROZEN_TODAY


def _stable(html: bytes) -> bytes:
    """The page without its per-request values (CSRF token, CSP nonce)."""
    return re.sub(rb'(value|nonce)="[^"]*"', rb'\1=""', html)


@pytest.fixture
def setup(
    org: Any, attorney_of: Callable[..., Any], open_case: Callable[..., Case]
) -> dict[str, Any]:
    lead = attorney_of(org)
    case = open_case(org, lead, client={"name": "Rosa Elena Martínez", "a_number": "A-012-345-678"})
    return {"lead": lead, "case": case}


def test_the_lead_attorney_sees_the_case_with_the_client_and_the_read_is_audited(
    setup: dict[str, Any], client_for: Callable[..., Client]
) -> None:
    lead, case = setup["lead"], setup["case"]
    response = client_for(lead).get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Rosa Elena Martínez" in body and "012345678" not in body  # shown as typed
    assert "A-012-345-678" in body
    event = AuditEvent.objects.filter(action="read", object_id=str(case.pk)).latest("seq")
    assert event.actor_id == lead.pk and "client.name" in event.fields


def test_an_attorney_of_another_organization_gets_404_like_a_missing_case(
    setup: dict[str, Any],
    other_org: Any,
    attorney_of: Callable[..., Any],
    client_for: Callable[..., Client],
) -> None:
    case = setup["case"]
    stranger = client_for(attorney_of(other_org))
    forbidden = stranger.get(reverse("cases:detail", args=[case.pk]))
    missing = stranger.get(reverse("cases:detail", args=["00000000-0000-4000-8000-000000000000"]))
    assert forbidden.status_code == missing.status_code == 404
    assert _stable(forbidden.content) == _stable(missing.content)
    for name in ("edit", "client", "hearing-add", "outcome", "documents", "notes", "team", "ics"):
        assert stranger.get(reverse(f"cases:{name}", args=[case.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="read", object_id=str(case.pk)).exists()


def test_fund_admins_see_the_case_without_identity_notes_or_documents(
    setup: dict[str, Any], make_user: Callable[..., Any], client_for: Callable[..., Client]
) -> None:
    case, lead = setup["case"], setup["lead"]
    note_add(case=case, body="Privileged strategy: argue changed circumstances.", by=lead)
    admin = client_for(make_user(Role.FUND_ADMIN))
    page = admin.get(reverse("cases:detail", args=[case.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert case.reference in body and "R. E." in body
    assert "Rosa" not in body and "A-012-345-678" not in body and "strategy" not in body
    for name in ("notes", "documents", "client", "edit", "hearing-add", "outcome"):
        assert admin.get(reverse(f"cases:{name}", args=[case.pk])).status_code == 404
    listing = admin.get(reverse("cases:list")).content.decode()
    assert case.reference in listing and "Rosa" not in listing


@pytest.mark.parametrize("role", [Role.INTAKE_WORKER, Role.BOARD_MEMBER, Role.DONOR])
def test_other_roles_see_no_case_at_all(
    setup: dict[str, Any],
    role: str,
    make_user: Callable[..., Any],
    client_for: Callable[..., Client],
) -> None:
    web = client_for(make_user(role))
    assert web.get(reverse("cases:detail", args=[setup["case"].pk])).status_code == 404
    assert web.get(reverse("cases:list")).status_code == 404


def test_revoking_the_assignment_takes_effect_on_the_next_request(
    setup: dict[str, Any],
    org: Any,
    attorney_of: Callable[..., Any],
    admin_of: Callable[..., Any],
    client_for: Callable[..., Client],
) -> None:
    from amparo.cases.services import team_add, team_revoke

    case = setup["case"]
    colleague = attorney_of(org)
    assignment = team_add(case=case, user=colleague, role="attorney", by=setup["lead"])
    web = client_for(colleague)
    url = reverse("cases:detail", args=[case.pk])
    assert web.get(url).status_code == 200
    team_revoke(assignment=assignment, by=admin_of(org))
    assert web.get(url).status_code == 404


def test_deactivating_the_membership_takes_effect_on_the_next_request(
    setup: dict[str, Any], client_for: Callable[..., Client]
) -> None:
    lead, case = setup["lead"], setup["case"]
    web = client_for(lead)
    url = reverse("cases:detail", args=[case.pk])
    assert web.get(url).status_code == 200
    lead.memberships.update(is_active=False)
    assert web.get(url).status_code == 404


def test_adding_a_hearing_shows_its_filing_deadline_with_the_citation(
    setup: dict[str, Any], client_for: Callable[..., Client]
) -> None:
    lead, case = setup["lead"], setup["case"]
    web = client_for(lead)
    hearing_day = datetime.date(2026, 9, 15)
    response = web.post(
        reverse("cases:hearing-add", args=[case.pk]),
        {
            "kind": "individual",
            "date": hearing_day.isoformat(),
            "time": "08:30",
            "mode": "in_person",
        },
        follow=True,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Filings before a hearing in immigration court" in body
    assert "Immigration Court Practice Manual 3.1(b)" in body
    row = CaseDeadline.objects.get(case=case, rule_id="prehearing-filing")
    assert row.due == datetime.date(2026, 8, 17)  # 30 days back is Sunday Aug 16: next business day
    assert row.calendar_date == datetime.date(2026, 8, 14)  # the safer earlier business day


def test_bad_hearing_input_is_refused_with_a_translated_message_and_saves_nothing(
    setup: dict[str, Any], client_for: Callable[..., Client]
) -> None:
    web = client_for(setup["lead"])
    url = reverse("cases:hearing-add", args=[setup["case"].pk])
    response = web.post(url, {"kind": "trial", "date": "2026-02-30", "mode": "in_person"})
    assert response.status_code == 200
    assert "Enter a real date, for example 2026-06-04." in response.content.decode()
    spanish = web.post(
        url, {"kind": "master", "date": "no", "mode": "in_person"}, HTTP_ACCEPT_LANGUAGE="es"
    )
    assert "Escriba una fecha que exista" in spanish.content.decode()
    assert Hearing.objects.count() == 0


def test_recording_a_decision_shows_the_appeal_deadline(
    setup: dict[str, Any], client_for: Callable[..., Client]
) -> None:
    lead, case = setup["lead"], setup["case"]
    web = client_for(lead)
    decided = TODAY - datetime.timedelta(days=3)
    response = web.post(
        reverse("cases:outcome", args=[case.pk]),
        {"kind": "removal_order", "decided_by": "ij", "decision_date": decided.isoformat()},
        follow=True,
    )
    body = response.content.decode()
    assert "Appeal of an immigration judge&#x27;s decision to the BIA" in body
    assert "8 CFR 1003.38(b)-(c)" in body
    case.refresh_from_db()
    assert case.status == "decided"


def test_a_future_decision_date_or_a_misfit_outcome_is_refused(
    setup: dict[str, Any], client_for: Callable[..., Client]
) -> None:
    web = client_for(setup["lead"])
    url = reverse("cases:outcome", args=[setup["case"].pk])
    later = (TODAY + datetime.timedelta(days=2)).isoformat()
    response = web.post(url, {"kind": "removal_order", "decided_by": "ij", "decision_date": later})
    assert "The date cannot be in the future." in response.content.decode()
    misfit = web.post(
        url, {"kind": "approved", "decided_by": "ij", "decision_date": TODAY.isoformat()}
    )
    assert misfit.status_code == 200 and "Select a valid choice" in misfit.content.decode()
    assert not setup["case"].outcomes.exists()


def test_closing_needs_an_outcome_and_the_page_says_so(
    setup: dict[str, Any], client_for: Callable[..., Client]
) -> None:
    lead, case = setup["lead"], setup["case"]
    web = client_for(lead)
    response = web.post(reverse("cases:transition", args=[case.pk, "close"]), {"reason": ""})
    assert response.status_code == 400
    assert "Record the outcome before closing the case." in response.content.decode()
    case.refresh_from_db()
    assert case.status == "open"
    assert web.get(reverse("cases:transition", args=[case.pk, "nonsense"])).status_code == 404


def _png_with_exif() -> bytes:
    image = Image.new("RGB", (20, 10), (200, 10, 10))
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x0131] = "PhoneEditor 2.1"  # Software
    out = io.BytesIO()
    image.save(out, format="PNG", exif=exif)
    return out.getvalue()


def test_documents_upload_encrypted_download_audited(
    setup: dict[str, Any], client_for: Callable[..., Client]
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    lead, case = setup["lead"], setup["case"]
    web = client_for(lead)
    url = reverse("cases:documents", args=[case.pk])
    photo = _png_with_exif()
    assert b"CameraMaker" in photo
    response = web.post(
        url, {"kind": "identity", "file": SimpleUploadedFile("photo.png", photo)}, follow=True
    )
    assert response.status_code == 200
    document = Document.objects.get(case=case)
    assert document.content_type == "image/png" and document.metadata_stripped
    raw = Document.objects.filter(pk=document.pk).values_list("content", flat=True).get()
    assert b"IHDR" not in bytes(raw)  # encrypted at rest
    download = web.get(reverse("cases:document", args=[case.pk, document.pk]))
    assert download.status_code == 200
    assert download.content.startswith(b"\x89PNG") and b"CameraMaker" not in download.content
    assert "photo" not in download["Content-Disposition"]
    assert AuditEvent.objects.filter(action="read", object_id=str(document.pk)).exists()
    # A file whose content is not what its name says is refused.
    fake = web.post(
        url, {"kind": "evidence", "file": SimpleUploadedFile("evidence.pdf", b"MZ\x90\x00binary")}
    )
    assert fake.status_code == 400
    assert "Send a PDF, JPEG, PNG or Word (DOCX) file." in fake.content.decode()
    assert Document.objects.count() == 1


def test_notes_are_privileged_and_encrypted(
    setup: dict[str, Any], client_for: Callable[..., Client]
) -> None:
    lead, case = setup["lead"], setup["case"]
    web = client_for(lead)
    response = web.post(
        reverse("cases:notes", args=[case.pk]), {"body": "Client fears return."}, follow=True
    )
    assert "Client fears return." in response.content.decode()
    raw = CaseNote.objects.values_list("body", flat=True).get()
    assert b"fears" not in bytes(raw)
    empty = web.post(reverse("cases:notes", args=[case.pk]), {"body": "   "})
    assert empty.status_code == 400 and CaseNote.objects.count() == 1


def test_the_case_ics_download_has_hearings_and_deadlines_but_no_name(
    setup: dict[str, Any], client_for: Callable[..., Client]
) -> None:
    from amparo.cases.services import hearing_add

    lead, case = setup["lead"], setup["case"]
    hearing_add(case=case, kind="master", date=datetime.date(2026, 10, 6), by=lead)
    response = client_for(lead).get(reverse("cases:ics", args=[case.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "BEGIN:VCALENDAR" in body and "hearing-" in body and "deadline-" in body
    assert case.reference in body and "R. E." in body
    assert "Rosa" not in body and "Martínez" not in body


def test_the_open_case_form_opens_a_case_and_refuses_bad_a_numbers(
    org: Any, attorney_of: Callable[..., Any], client_for: Callable[..., Client]
) -> None:
    lead = attorney_of(org)
    web = client_for(lead)
    url = reverse("cases:open")
    form = {
        "organization": str(org.pk),
        "lead_attorney": str(lead.pk),
        "name": "Juan Pérez",
        "a_number": "A-12",
        "language": "es",
        "case_type": "removal",
        "custody": "never_detained",
    }
    bad = web.post(url, form)
    assert bad.status_code == 200 and "An A-number has 8 or 9 digits." in bad.content.decode()
    assert Case.objects.count() == 0
    good = web.post(url, {**form, "a_number": "A 123 456 789"})
    case = Case.objects.get()
    assert good.status_code == 302 and good["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.client.name == "Juan Pérez" and case.lead_attorney == lead


def test_pages_and_the_api_still_answer_after_the_client_is_shredded(
    setup: dict[str, Any], client_for: Callable[..., Client]
) -> None:
    from amparo.accounts.services import api_token_create
    from amparo.vault.services import subject_shred

    lead, case = setup["lead"], setup["case"]
    subject_shred(subject=case.subject, by=lead, reason="Client asked to be forgotten.")
    web = client_for(lead)
    for url in (
        reverse("cases:list"),
        reverse("cases:detail", args=[case.pk]),
        reverse("cases:ics", args=[case.pk]),
        reverse("deadlines:calendar"),
    ):
        response = web.get(url)
        assert response.status_code == 200, url
        assert "Rosa" not in response.content.decode()
    _token, raw = api_token_create(user=lead, name="t")
    data = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get(f"/api/v1/cases/{case.pk}").json()
    assert data["client"] == {"name": None, "a_number": None, "initials": "[removed on request]"}
