"""Hearing dates typed into the case's hearing forms: checked on the fund's calendar (amparo.core.hearing_dates);
bad input changes nothing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from amparo.cases.models import Hearing
from tests.clock import frozen


@frozen
@pytest.mark.django_db
def test_an_attorney_confirms_a_historical_hearing(
    org: Any, attorney_of: Any, open_case: Any, client_for: Any
) -> None:
    lead = attorney_of(org)
    case = open_case(org, lead)
    client = client_for(lead)
    url = f"/cases/{case.pk}/hearings/new/"
    page = client.get(url).content.decode()
    assert 'type="checkbox" name="historical"' not in page
    form = {"kind": "master", "date": "2024-03-05", "time": "", "judge": "", "mode": "in_person"}
    refused = client.post(url, form)
    body = refused.content.decode()
    assert "more than a year ago" in body
    assert 'type="checkbox" name="historical"' in body
    assert not Hearing.objects.filter(case=case).exists()
    ahead = client.post(url, {**form, "date": "2031-05-14", "historical": "on"})
    assert "five years" in ahead.content.decode()
    assert not Hearing.objects.filter(case=case).exists()
    saved = client.post(url, {**form, "historical": "on"})
    assert saved.status_code == 302
    hearing = Hearing.objects.get(case=case)
    assert hearing.date == datetime.date(2024, 3, 5)
    # Saving it again unchanged needs no confirmation (the date was not typed again).
    edit = client.post(
        f"/cases/{case.pk}/hearings/{hearing.pk}/", {**form, "status": "held", "judge": "Ruiz"}
    )
    assert edit.status_code == 302
    hearing.refresh_from_db()
    assert hearing.judge == "Ruiz"
