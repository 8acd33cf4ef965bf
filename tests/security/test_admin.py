"""The Django admin cannot be used to sign in without the second factor."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from amparo.accounts.roles import Role
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(make_user: Any) -> Any:
    return make_user(Role.FUND_ADMIN, is_staff=True, is_superuser=True)


def test_the_admin_sign_in_page_sends_people_to_the_real_sign_in() -> None:
    response = Client().get("/django-admin/login/?next=/django-admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_a_password_alone_does_not_open_the_admin(superuser: Any) -> None:
    user = superuser
    client = Client()
    response = client.post(
        "/django-admin/login/",
        {"username": user.email, "password": PASSWORD, "next": "/django-admin/"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
    assert client.get("/dashboard/").status_code == 302


def test_staff_signed_in_through_allauth_reach_the_admin_and_others_do_not(
    client_for: Any, make_user: Any, superuser: Any
) -> None:
    assert client_for(superuser).get("/django-admin/").status_code == 200
    not_staff = client_for(make_user(Role.FUND_ADMIN))
    # Signed in but not staff: the site's 404, as for every page a person may not see.
    assert not_staff.get("/django-admin/login/").status_code == 404
    assert not_staff.get("/django-admin/").status_code == 302
