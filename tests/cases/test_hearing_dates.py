"""Hearing dates typed into the case's hearing forms and its API: checked once, by the services,
on the fund's calendar (amparo.core.hearing_dates); bad input changes nothing."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.test import Client

from amparo.accounts.services import api_token_create
from amparo.audit.models import AuditEvent
from amparo.cases import services
from amparo.cases.models import Hearing
from amparo.core.hearing_dates import PAST, years_from
from amparo.core.services import ServiceError
from amparo.deadlines.models import CaseDeadline
from tests.clock import FROZEN_TODAY, frozen


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


def _api(user: Any, language: str = "en") -> Client:
    _token, raw = api_token_create(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE=language)


def _post_hearing(api: Client, case: Any, body: dict[str, Any]) -> Any:
    return api.post(
        f"/api/v1/cases/{case.pk}/hearings", data=json.dumps(body), content_type="application/json"
    )


@frozen
@pytest.mark.django_db
@pytest.mark.parametrize(("language", "words"), [("en", "five years ahead"), ("es", "cinco años")])
def test_the_api_refuses_a_hearing_more_than_five_years_ahead(
    org: Any, attorney_of: Any, open_case: Any, language: str, words: str
) -> None:
    lead = attorney_of(org)
    case = open_case(org, lead)
    ahead = years_from(FROZEN_TODAY, 6).isoformat()  # even when "confirmed"
    response = _post_hearing(
        _api(lead, language), case, {"kind": "master", "date": ahead, "confirm_past": True}
    )
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "date" and words in error["message"]
    assert not Hearing.objects.filter(case=case).exists()
    assert not CaseDeadline.objects.filter(case=case, rule_id="prehearing-filing").exists()


@frozen
@pytest.mark.django_db
def test_the_api_records_a_hearing_13_months_ago_only_when_confirmed(
    org: Any, attorney_of: Any, open_case: Any
) -> None:
    lead = attorney_of(org)
    case = open_case(org, lead)
    api = _api(lead)
    past = years_from(FROZEN_TODAY, -1) - datetime.timedelta(days=31)
    body = {"kind": "individual", "date": past.isoformat()}
    refused = _post_hearing(api, case, body)
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {
            "field": "date",
            "message": "This date is more than a year ago. Check the year, or confirm that you "
            "are recording a past hearing.",
        }
    ]
    assert not Hearing.objects.filter(case=case).exists()
    audited = AuditEvent.objects.filter(action="case.hearing.added").count()
    assert _post_hearing(api, case, {**body, "confirm_past": False}).status_code == 422
    assert not Hearing.objects.filter(case=case).exists()
    assert AuditEvent.objects.filter(action="case.hearing.added").count() == audited
    saved = _post_hearing(api, case, {**body, "confirm_past": True})
    assert saved.status_code == 201, saved.content
    assert saved.json()["date"] == past.isoformat()
    assert Hearing.objects.get(case=case).date == past
    # A year ago to the day needs no confirmation.
    edge = _post_hearing(api, case, {**body, "date": years_from(FROZEN_TODAY, -1).isoformat()})
    assert edge.status_code == 201


@frozen
@pytest.mark.django_db
def test_the_service_is_the_one_check_for_a_changed_date(
    org: Any, attorney_of: Any, open_case: Any
) -> None:
    lead = attorney_of(org)
    case = open_case(org, lead)
    hearing = services.hearing_add(
        case=case, kind="master", date=FROZEN_TODAY + datetime.timedelta(days=20), by=lead
    )
    past = FROZEN_TODAY.replace(year=FROZEN_TODAY.year - 2)
    with pytest.raises(ServiceError) as refused:
        services.hearing_update(hearing=hearing, data={"date": past}, by=lead)
    assert refused.value.error_dict["date"][0].code == PAST
    hearing.refresh_from_db()
    assert hearing.date == FROZEN_TODAY + datetime.timedelta(days=20)
    services.hearing_update(hearing=hearing, data={"date": past}, confirm_past=True, by=lead)
    hearing.refresh_from_db()
    assert hearing.date == past
    # Unchanged, it is not checked again.
    services.hearing_update(hearing=hearing, data={"date": past, "judge": "Ruiz"}, by=lead)
    hearing.refresh_from_db()
    assert hearing.judge == "Ruiz"
