"""Staff pages: the queue, the one-page intake form with duplicates, details, rules."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from amparo.accounts.roles import Role
from amparo.audit.models import AuditEvent
from amparo.eligibility.triage import FACTORS
from amparo.intake.models import HelpRequest, IntakePolicy, RequestState
from tests.intake.helpers import ProgramFactory

pytestmark = pytest.mark.django_db

FORM = {
    "source": "detention_visit",
    "name": "Teodoro Baltazar Ixcoy",
    "a_number": "A 203 456 789",
    "custody": "detained",
    "facility": "Front Range Processing Center",
    "court": "Denver Immigration Court",
    "next_hearing": "",
    "zip_code": "",
    "county": "",
    "household_size": "2",
    "income": "12000",
    "spoken_language": "quc",
    "needs_interpreter": "on",
    "contact_method": "relative",
    "relative_name": "Ana Ixcoy",
    "relative_phone": "720 555 0134",
    "adverse_parties": "",
    "route_now": "",
}


def test_the_staff_form_records_a_missed_hearing_and_a_running_deadline(
    worker: Any, client_for: Any, policy: Any
) -> None:
    client = client_for(worker)
    deadline = timezone.localdate() + datetime.timedelta(days=10)
    refused = client.post("/intake/new/", {**FORM, "deadline_kind": "appeal"})
    assert refused.status_code == 200 and b"Enter the last day of the deadline." in refused.content
    response = client.post(
        "/intake/new/",
        {
            **FORM,
            "missed_hearing": "on",
            "deadline_kind": "appeal",
            "deadline_date": deadline.isoformat(),
        },
    )
    assert response.status_code == 302
    request = HelpRequest.objects.get()
    assert request.missed_hearing and not request.in_absentia_order
    assert [r["code"] for r in request.priority_reasons][:3] == [
        "detained",
        "hearing_missed",
        "appeal_deadline_30_days",
    ]
    detail = client.get(response["Location"]).content.decode()
    assert "Missed a hearing: there may be an order in absentia" in detail
    assert "The deadline to appeal is in 10 days. (+300)" in detail


@pytest.fixture
def worker(make_user: Any) -> Any:
    return make_user(Role.INTAKE_WORKER)


@pytest.mark.parametrize(
    "role", [Role.PROVIDER_ADMIN, Role.ATTORNEY, Role.DONOR, Role.BOARD_MEMBER]
)
def test_other_roles_get_404_everywhere(
    make_user: Any, client_for: Any, submit: Any, role: Any
) -> None:
    client = client_for(make_user(role, mfa=role != Role.DONOR))
    request = submit().help_request
    for url in (
        "/intake/",
        "/intake/new/",
        f"/intake/requests/{request.pk}/",
        "/intake/eligibility/",
        "/referrals/escalations/",
    ):
        assert client.get(url).status_code == 404, url


def test_an_intake_worker_enters_a_detained_person(
    worker: Any, client_for: Any, policy: Any
) -> None:
    client = client_for(worker)
    page = client.get("/intake/new/")
    assert page.status_code == 200 and b"autofocus" in page.content
    response = client.post("/intake/new/", FORM)
    assert response.status_code == 302
    request = HelpRequest.objects.get()
    assert response["Location"] == f"/intake/requests/{request.pk}/"
    assert request.source == "detention_visit" and request.created_by == worker
    assert request.detained and request.spoken_language == "quc" and request.needs_interpreter
    assert request.name == FORM["name"] and request.state == RequestState.WAITING
    detail = client.get(response["Location"])
    assert detail.status_code == 200 and FORM["name"].encode() in detail.content
    read = AuditEvent.objects.filter(action="read", object_id=str(request.pk)).get()
    assert read.actor_id == worker.pk and "name" in read.fields


def test_a_duplicate_a_number_links_to_the_existing_request(
    worker: Any, client_for: Any, submit: Any
) -> None:
    existing = submit(a_number="A-203-456-789").help_request
    client = client_for(worker)
    response = client.post("/intake/new/", FORM)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"/intake/requests/{existing.pk}/" in html and existing.reference in html
    assert HelpRequest.objects.count() == 1
    # A different person with a shared number: created only after the worker says so.
    response = client.post("/intake/new/", {**FORM, "not_a_duplicate": "on"})
    assert response.status_code == 302 and HelpRequest.objects.count() == 2


def test_a_duplicate_phone_is_found_too(worker: Any, client_for: Any, submit: Any) -> None:
    existing = submit(a_number="", contact_method="phone", phone="(720) 555-0188").help_request
    response = client_for(worker).post(
        "/intake/new/", {**FORM, "a_number": "", "contact_method": "phone", "phone": "720.555.0188"}
    )
    assert response.status_code == 200 and existing.reference in response.content.decode()


def test_bad_input_is_explained_and_nothing_is_saved(
    worker: Any, client_for: Any, policy: Any
) -> None:
    response = client_for(worker).post(
        "/intake/new/",
        {**FORM, "a_number": "A-1", "household_size": "0", "income": "lots", "relative_phone": ""},
        HTTP_ACCEPT_LANGUAGE="es",
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Hay un problema" in html
    for anchor in ("#id_a_number", "#id_household_size", "#id_income", "#id_relative_phone"):
        assert f'href="{anchor}"' in html
    assert HelpRequest.objects.count() == 0


def test_the_queue_is_ordered_by_priority_and_shows_no_names(
    worker: Any, client_for: Any, submit: Any
) -> None:
    low = submit(custody="never_detained", facility="", next_hearing=None).help_request
    high = submit().help_request
    html = client_for(worker).get("/intake/").content.decode()
    assert html.index(high.reference) < html.index(low.reference)
    assert high.name not in html and low.name not in html


def test_review_and_close_from_the_detail_page(worker: Any, client_for: Any, submit: Any) -> None:
    request = submit(custody="never_detained", facility="", zip_code="", county="").help_request
    client = client_for(worker)
    assert (
        client.post(f"/intake/requests/{request.pk}/review/", {"decision": "nope"}).status_code
        == 302
    )
    request.refresh_from_db()
    assert request.state == RequestState.NEEDS_REVIEW
    client.post(f"/intake/requests/{request.pk}/review/", {"decision": "not_eligible"})
    request.refresh_from_db()
    assert request.state == RequestState.NOT_ELIGIBLE


def test_a_fund_admin_edits_the_rules_and_bad_values_change_nothing(
    make_user: Any, client_for: Any, policy: Any
) -> None:
    admin = make_user(Role.FUND_ADMIN)
    client = client_for(admin)
    url = f"/intake/eligibility/{policy.program.slug}/"
    page = client.get(url)
    assert page.status_code == 200 and b"Front Range Processing Center | Adams" in page.content
    data = {
        "public_intake": "on",
        "income_percent": "250",
        "poverty_year": "2025",
        "poverty_region": "contiguous",
        "if_unverified": "review",
        "zip_codes": "80203\n80010",
        "counties": "Denver\nAdams",
        "facilities": "Front Range Processing Center | Adams",
        "courts": "Denver Immigration Court",
        "custodies": ["detained", "never_detained", "released"],
        "interpreter_languages": ["quc"],
        "sla_hours_detained": "12",
        "sla_hours_non_detained": "48",
        "max_referral_attempts": "4",
        "retention_days": "60",
        "elsewhere_en": "Call 211.",
        "elsewhere_es": "Llame al 211.",
        **{f"weight_{k}": "100" for k in FACTORS},
    }
    bad = client.post(
        url, {**data, "income_percent": "0", "weight_detained": "-5", "facilities": "a | b | c"}
    )
    assert bad.status_code == 200 and b"error-summary" in bad.content
    policy.refresh_from_db()
    assert policy.income_percent == 200
    assert client.post(url, data).status_code == 302
    policy.refresh_from_db()
    assert (
        policy.income_percent == 250
        and policy.sla_hours_detained == 12
        and policy.retention_days == 60
    )
    assert (
        policy.triage_weights["detained"] == 100
        and policy.referrals_elsewhere["es"] == "Llame al 211."
    )
    assert AuditEvent.objects.filter(
        action="intake.policy.updated", object_id=str(policy.pk)
    ).exists()


def test_a_program_without_rules_gets_them_on_first_save(make_user: Any, client_for: Any) -> None:

    program = ProgramFactory()
    client = client_for(make_user(Role.FUND_ADMIN))
    assert client.get("/intake/eligibility/").status_code == 200
    assert client.get(f"/intake/eligibility/{program.slug}/").status_code == 200
    assert not IntakePolicy.objects.filter(program=program).exists()


def test_an_unverified_table_is_confirmed_on_its_page(make_user: Any, client_for: Any) -> None:
    from amparo.intake.models import PovertyGuideline

    table = PovertyGuideline.objects.create(
        year=2027, region="contiguous", first_person=16_200, verified=False
    )
    client = client_for(make_user(Role.FUND_ADMIN))
    url = f"/intake/poverty/{table.pk}/confirm/"
    assert (
        client.post(url, {"additional_person": "5600", "source": "x"}).status_code == 200
    )  # box not ticked
    table.refresh_from_db()
    assert not table.verified
    assert (
        client.post(
            url, {"additional_person": "5600", "source": "Federal Register", "checked": "on"}
        ).status_code
        == 302
    )
    table.refresh_from_db()
    assert table.verified and table.additional_person == 5600


def test_the_staff_forms_put_every_field_in_one_section() -> None:
    """The pages lay the forms out by ``GROUPS`` (and the policy's weight and "elsewhere"
    lists): a field added to a form but to no section would never be shown, and one in two
    sections would be shown twice."""
    from amparo.intake.forms import PolicyForm, StaffIntakeForm
    from amparo.intake.policy import public_policy

    policy = public_policy()
    staff = StaffIntakeForm(policy=policy)
    shown = [f.name for fields in staff.groups.values() for f in fields]
    assert sorted([*shown, "not_a_duplicate"]) == sorted(staff.fields)

    rules = PolicyForm(policy=policy)
    shown = [f.name for fields in rules.groups.values() for f in fields]
    shown += [f.name for f in [*rules.weight_fields(), *rules.elsewhere_fields()]]
    assert sorted(shown) == sorted(rules.fields)
