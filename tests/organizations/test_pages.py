"""Organization management through the pages: create, edit, offices, programs, staff, profiles."""

from __future__ import annotations

import pytest

from amparo.accounts.roles import Role
from amparo.organizations.models import (
    AttorneyProfile,
    Fund,
    GrantCategory,
    Membership,
    Office,
    Program,
    ProviderOrganization,
)
from tests.factories import (
    AttorneyProfileFactory,
    FundFactory,
    MembershipFactory,
    OfficeFactory,
    OrganizationFactory,
    ProgramFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return OrganizationFactory(name="Mountain Legal Aid", slug="mountain-legal-aid")


@pytest.fixture
def fund_admin(make_user, client_for):
    return client_for(make_user(Role.FUND_ADMIN))


@pytest.fixture
def boss(make_user, org):
    return make_user(Role.PROVIDER_ADMIN, org=org)


def _spanish(client):
    client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    return client


# --- Organizations ------------------------------------------------------------------------


def test_fund_admin_creates_an_organization(fund_admin):
    assert fund_admin.get("/organizations/new/").status_code == 200
    response = fund_admin.post(
        "/organizations/new/",
        {
            "name": "Front Range Defenders",
            "slug": "front-range",
            "accepting_new_cases": "on",
            "is_active": "on",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/organizations/front-range/"
    org = ProviderOrganization.objects.get(slug="front-range")
    assert org.name == "Front Range Defenders" and org.accepting_new_cases and org.is_active


def test_bad_organization_input_is_refused_in_spanish_and_nothing_is_saved(fund_admin, org):
    _spanish(fund_admin)
    response = fund_admin.post(
        "/organizations/new/",
        {"name": org.name, "slug": "programs", "website": "not a url"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in body and "Hay un problema" in body
    assert 'href="#id_name"' in body and 'href="#id_slug"' in body and 'href="#id_website"' in body
    assert "Este nombre corto está reservado. Elija otro." in body
    assert "Introduzca una URL válida." in body
    assert ProviderOrganization.objects.count() == 1


def test_provider_admin_edits_only_what_is_theirs(boss, client_for, org):
    client = client_for(boss)
    page = client.get(f"/organizations/{org.slug}/edit/").content.decode()
    assert (
        'name="description"' in page
        and 'name="name"' not in page
        and 'name="is_active"' not in page
    )
    response = client.post(
        f"/organizations/{org.slug}/edit/",
        {"description": "Free defense for detained people.", "name": "Hijacked", "is_active": ""},
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.description == "Free defense for detained people."
    assert org.name == "Mountain Legal Aid" and org.is_active
    assert not org.accepting_new_cases  # an unticked box is a real answer


def test_missing_and_forbidden_organizations_look_the_same(boss, client_for):
    client = client_for(boss)
    other = OrganizationFactory()
    for url in (
        f"/organizations/{other.slug}/",
        f"/organizations/{other.slug}/edit/",
        f"/organizations/{other.slug}/staff/",
        f"/organizations/{other.slug}/offices/new/",
        "/organizations/no-such-org/edit/",
        "/organizations/new/",
        "/organizations/programs/",
        "/organizations/fund/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url


def test_fund_admin_switches_an_organization_off_and_its_staff_lose_access(
    fund_admin, boss, client_for, org
):
    staff = client_for(boss)
    assert staff.get(f"/organizations/{org.slug}/").status_code == 200
    fund_admin.post(
        f"/organizations/{org.slug}/edit/", {"name": org.name, "slug": org.slug, "is_active": ""}
    )
    org.refresh_from_db()
    assert not org.is_active
    assert staff.get(f"/organizations/{org.slug}/").status_code == 404
    listing = fund_admin.get("/organizations/").content.decode()
    assert org.name in listing and "Switched off" in listing


# --- Offices ------------------------------------------------------------------------------


def test_offices_are_added_edited_and_removed(boss, client_for, org):
    client = client_for(boss)
    response = client.post(
        f"/organizations/{org.slug}/offices/new/",
        {"name": "Aurora", "city": "Aurora", "state": "co", "counties_served": "Adams, Arapahoe ,"},
    )
    assert response.status_code == 302
    office = Office.objects.get(organization=org)
    assert office.state == "CO" and office.counties_served == ["Adams", "Arapahoe"]

    page = client.get(f"/organizations/{org.slug}/offices/{office.pk}/edit/").content.decode()
    assert 'value="Adams, Arapahoe"' in page
    bad = client.post(
        f"/organizations/{org.slug}/offices/{office.pk}/edit/",
        {"name": "", "city": "X", "state": "Colorado"},
    )
    assert bad.status_code == 200 and 'href="#id_state"' in bad.content.decode()
    office.refresh_from_db()
    assert office.name == "Aurora" and office.city == "Aurora"

    assert client.get(f"/organizations/{org.slug}/offices/{office.pk}/delete/").status_code == 200
    assert client.post(f"/organizations/{org.slug}/offices/{office.pk}/delete/").status_code == 302
    assert not Office.objects.filter(pk=office.pk).exists()


def test_an_office_of_another_organization_is_not_found(boss, client_for, org):
    foreign = OfficeFactory()
    client = client_for(boss)
    assert client.get(f"/organizations/{org.slug}/offices/{foreign.pk}/edit/").status_code == 404
    assert client.post(f"/organizations/{org.slug}/offices/{foreign.pk}/delete/").status_code == 404
    assert Office.objects.filter(pk=foreign.pk).exists()


# --- Programs and the fund ----------------------------------------------------------------


def test_programs_need_a_fund_first(fund_admin):
    response = fund_admin.get("/organizations/programs/new/")
    assert response["Location"] == "/organizations/fund/"
    fund_admin.post("/organizations/fund/", {"holder": "Test City Community Trust"})
    assert Fund.objects.get().holder == "Test City Community Trust"
    assert fund_admin.get("/organizations/programs/new/").status_code == 200


def test_fund_admin_creates_and_edits_a_program_with_the_four_grant_categories(fund_admin):
    fund = FundFactory()
    page = fund_admin.get("/organizations/programs/new/").content.decode()
    for value, _label in GrantCategory.choices:
        assert f'value="{value}"' in page
    assert "<fieldset" in page and "<legend>Grant categories</legend>" in page

    empty = fund_admin.post(
        "/organizations/programs/new/", {"fund": fund.pk, "name": "Detained", "slug": "detained"}
    )
    assert "Choose at least one grant category." in empty.content.decode()
    assert 'href="#id_categories_0"' in empty.content.decode()
    assert not Program.objects.exists()

    response = fund_admin.post(
        "/organizations/programs/new/",
        {
            "fund": fund.pk,
            "name": "Detained defense",
            "slug": "detained",
            "categories": [GrantCategory.DETAINED_REMOVAL, GrantCategory.FILING_FEES],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    program = Program.objects.get(slug="detained")
    assert program.categories == [GrantCategory.DETAINED_REMOVAL, GrantCategory.FILING_FEES]

    fund_admin.post(
        "/organizations/programs/detained/edit/",
        {"fund": fund.pk, "name": "Detained defense", "slug": "detained", "categories": ["bogus"]},
    )
    program.refresh_from_db()
    assert program.categories == [GrantCategory.DETAINED_REMOVAL, GrantCategory.FILING_FEES]
    listing = fund_admin.get("/organizations/programs/").content.decode()
    assert "Detained defense" in listing and "Filing and legal fees" in listing


def test_programs_are_for_fund_admins_only(make_user, client_for):
    program = ProgramFactory()
    for role in (Role.PROVIDER_ADMIN, Role.INTAKE_WORKER, Role.BOARD_MEMBER):
        client = client_for(make_user(role))
        assert client.get(f"/organizations/programs/{program.slug}/edit/").status_code == 404
        assert client.get("/organizations/programs/").status_code == 404


# --- Staff --------------------------------------------------------------------------------


def test_removing_access_takes_effect_on_the_staff_members_next_request(
    boss, make_user, client_for, org
):
    lawyer = make_user(Role.ATTORNEY, org=org)
    lawyer_client = client_for(lawyer)
    assert lawyer_client.get(f"/organizations/{org.slug}/").status_code == 200
    assert lawyer_client.get("/organizations/mine/").status_code == 302

    membership = Membership.objects.get(user=lawyer, organization=org)
    staff_page = client_for(boss).get(f"/organizations/{org.slug}/staff/").content.decode()
    assert lawyer.email in staff_page
    response = client_for(boss).post(f"/organizations/{org.slug}/staff/{membership.pk}/deactivate/")
    assert response.status_code == 302
    membership.refresh_from_db()
    assert not membership.is_active

    # The same signed-in session, its very next request:
    assert lawyer_client.get(f"/organizations/{org.slug}/").status_code == 404
    assert lawyer_client.get("/organizations/mine/").status_code == 404
    assert lawyer_client.get("/organizations/profile/").status_code == 404

    client_for(boss).post(f"/organizations/{org.slug}/staff/{membership.pk}/reactivate/")
    assert lawyer_client.get(f"/organizations/{org.slug}/").status_code == 200


def test_a_provider_admin_cannot_remove_their_own_access(boss, client_for, org):
    membership = Membership.objects.get(user=boss)
    client = client_for(boss)
    response = client.post(
        f"/organizations/{org.slug}/staff/{membership.pk}/deactivate/", follow=True
    )
    membership.refresh_from_db()
    assert membership.is_active
    assert "You cannot deactivate your own membership" in response.content.decode()


def test_deactivation_needs_post_and_the_right_organization(boss, client_for, org):
    foreign = MembershipFactory()
    client = client_for(boss)
    assert (
        client.post(f"/organizations/{org.slug}/staff/{foreign.pk}/deactivate/").status_code == 404
    )
    foreign.refresh_from_db()
    assert foreign.is_active
    mine = MembershipFactory(organization=org)
    assert client.get(f"/organizations/{org.slug}/staff/{mine.pk}/deactivate/").status_code == 405


# --- Attorney profiles --------------------------------------------------------------------


def test_provider_admin_creates_an_attorney_profile_with_languages_in_the_ui_language(
    boss, make_user, client_for, org
):
    lawyer = make_user(Role.ATTORNEY, org=org)
    membership = Membership.objects.get(user=lawyer)
    client = _spanish(client_for(boss))
    url = f"/organizations/{org.slug}/staff/{membership.pk}/profile/"
    page = client.get(url).content.decode()
    assert "<legend>Idiomas</legend>" in page
    assert 'value="quc"' in page and "K&#x27;iche&#x27;" in page
    assert "Inglés" in page and "Criollo haitiano" in page

    bad = client.post(url, {"kind": "attorney", "capacity": "-1"})
    body = bad.content.decode()
    assert bad.status_code == 200
    assert "Elija al menos un idioma." in body and 'href="#id_languages_0"' in body
    assert not AttorneyProfile.objects.exists()

    no_id = client.post(
        url,
        {"kind": "attorney", "languages": ["es"], "practice_areas": ["asylum"], "capacity": "10"},
    )
    assert "Introduzca un ID de EOIR o un número de colegiatura." in no_id.content.decode()
    assert not AttorneyProfile.objects.exists()

    response = client.post(
        url,
        {
            "kind": "accredited_rep",
            "eoir_id": "ab123456",
            "languages": ["es", "quc"],
            "practice_areas": ["asylum", "bond"],
            "capacity": "12",
            "accepting_new_cases": "on",
        },
    )
    assert response.status_code == 302
    profile = AttorneyProfile.objects.get(user=lawyer)
    assert profile.organization == org and profile.eoir_id == "AB123456"
    assert profile.languages == ["es", "quc"] and profile.capacity == 12
    detail = client.get(f"/organizations/{org.slug}/").content.decode()
    assert "Español, K&#x27;iche&#x27;" in detail


def test_attorneys_edit_their_own_profile_only(make_user, client_for, org):
    lawyer = make_user(Role.ATTORNEY, org=org)
    profile = AttorneyProfileFactory(user=lawyer, organization=org, capacity=20)
    colleague = make_user(Role.ATTORNEY, org=org)
    colleague_membership = Membership.objects.get(user=colleague)
    client = client_for(lawyer)

    page = client.get("/organizations/profile/").content.decode()
    assert 'name="capacity"' in page and 'value="20"' in page
    response = client.post(
        "/organizations/profile/",
        {
            "kind": "attorney",
            "eoir_id": profile.eoir_id,
            "languages": ["en"],
            "practice_areas": ["detained_removal"],
            "capacity": "5",
        },
    )
    assert response["Location"] == "/dashboard/"
    profile.refresh_from_db()
    assert profile.capacity == 5 and not profile.accepting_new_cases and profile.languages == ["en"]

    url = f"/organizations/{org.slug}/staff/{colleague_membership.pk}/profile/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"capacity": "99"}).status_code == 404
    assert not AttorneyProfile.objects.filter(user=colleague).exists()


def test_the_detail_page_lists_only_attorneys_with_an_active_membership(make_user, client_for, org):
    lawyer = make_user(Role.ATTORNEY, org=org, first_name="Current", last_name="Lawyer")
    AttorneyProfileFactory(user=lawyer, organization=org)
    gone = make_user(Role.ATTORNEY, org=org, first_name="Former", last_name="Lawyer")
    AttorneyProfileFactory(user=gone, organization=org)
    Membership.objects.filter(user=gone).update(is_active=False)
    page = (
        client_for(make_user(Role.INTAKE_WORKER))
        .get(f"/organizations/{org.slug}/")
        .content.decode()
    )
    assert "Current Lawyer" in page and "Former Lawyer" not in page
