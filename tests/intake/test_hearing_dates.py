"""Hearing dates typed into the staff intake form: checked on the fund's calendar (amparo.core.hearing_dates);
bad input changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from amparo.accounts.roles import Role
from amparo.intake.models import HelpRequest
from tests.clock import frozen


@frozen
@pytest.mark.django_db
def test_the_staff_intake_form_refuses_a_passed_next_hearing_and_saves_nothing(
    make_user: Any, client_for: Any, policy: Any
) -> None:
    from tests.intake.test_staff_views import FORM

    client = client_for(make_user(Role.INTAKE_WORKER))
    response = client.post("/intake/new/", {**FORM, "next_hearing": "2026-05-12"})
    assert response.status_code == 200
    assert "This date has passed. Enter the next hearing, or leave it empty." in (
        response.content.decode()
    )
    assert not HelpRequest.objects.exists()
    with translation.override("es"):
        response = client.post(
            "/intake/new/",
            {**FORM, "next_hearing": "2031-05-14"},
            HTTP_ACCEPT_LANGUAGE="es",
        )
    assert "five years" not in response.content.decode()
    assert not HelpRequest.objects.exists()
