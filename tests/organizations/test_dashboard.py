"""Dashboard panels of the people who run organizations."""

from __future__ import annotations

import re

import pytest

from amparo.accounts.roles import Role
from amparo.organizations.models import Membership
from tests.factories import AttorneyProfileFactory, OrganizationFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def _main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_provider_admin_sees_staff_and_capacity(make_user, client_for):
    org = OrganizationFactory(name="Capacity Clinic")
    boss = make_user(Role.PROVIDER_ADMIN, org=org)
    for capacity, accepting in ((10, True), (15, True), (40, False)):
        lawyer = make_user(Role.ATTORNEY, org=org)
        AttorneyProfileFactory(
            user=lawyer, organization=org, capacity=capacity, accepting_new_cases=accepting
        )
    removed = make_user(Role.ATTORNEY, org=org)
    AttorneyProfileFactory(user=removed, organization=org, capacity=100)
    Membership.objects.filter(user=removed).update(is_active=False)

    body = _main(client_for(boss).get("/dashboard/"))
    assert "Your organization" in body
    facts = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", body))
    assert facts["Active staff"] == "4"  # the admin and three attorneys
    assert facts["Attorneys with a profile"] == "3"
    assert facts["Attorneys accepting new cases"] == "2"
    assert facts["Room for active cases"] == "25"


def test_fund_admin_sees_organizations_and_programs(make_user, client_for):
    OrganizationFactory(accepting_new_cases=True)
    OrganizationFactory(accepting_new_cases=False)
    OrganizationFactory(is_active=False)
    ProgramFactory(name="Detained Defense")
    body = _main(client_for(make_user(Role.FUND_ADMIN)).get("/dashboard/"))
    assert "Organizations and programs" in body
    assert "<dt>Active organizations</dt><dd>2</dd>" in body
    assert "<dt>Accepting new cases</dt><dd>1</dd>" in body
    assert "Detained Defense" in body


def test_attorney_is_nudged_to_fill_in_a_profile_then_sees_it(make_user, client_for):
    org = OrganizationFactory()
    lawyer = make_user(Role.ATTORNEY, org=org)
    client = client_for(lawyer)
    assert "Fill in your profile" in _main(client.get("/dashboard/"))
    AttorneyProfileFactory(user=lawyer, organization=org, capacity=9, languages=["es", "quc"])
    body = _main(client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="es"))
    assert "Español, K&#x27;iche&#x27;" in body and "<dd>9</dd>" in body


def test_other_roles_get_no_organization_panel(make_user, client_for):
    body = _main(client_for(make_user(Role.INTAKE_WORKER)).get("/dashboard/"))
    assert "Your organization" not in body and "Organizations and programs" not in body
