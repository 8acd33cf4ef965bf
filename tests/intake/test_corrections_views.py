"""The correction pages: edit a request, its adverse parties, merge two; history on the page."""

from __future__ import annotations

from typing import Any

import pytest

from amparo.accounts.roles import Role
from amparo.audit.models import AuditEvent
from amparo.intake.models import HelpRequest, HelpRequestChange, RequestState

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(make_user: Any) -> Any:
    return make_user(Role.INTAKE_WORKER)


def _form_values(client: Any, url: str) -> dict[str, Any]:
    """What the edit page's form holds, as a browser would send it back."""
    response = client.get(url)
    form = response.context["form"]
    values: dict[str, Any] = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if getattr(field.widget, "input_type", "") == "checkbox":
            if value:
                values[name] = "on"
        elif value is not None:
            values[name] = value
    return values


def test_a_worker_corrects_a_request_and_sees_it_in_the_history(
    submit: Any, worker: Any, client_for: Any
) -> None:
    request = submit(source="hotline", name="Rosa Elvia Tzul").help_request
    client = client_for(worker)
    url = f"/intake/requests/{request.pk}/edit/"
    values = _form_values(client, url)
    assert values["name"] == "Rosa Elvia Tzul"
    same = client.post(url, values, follow=True)
    assert "Nothing was changed." in same.content.decode()
    assert not HelpRequestChange.objects.exists()
    bad = client.post(url, {**values, "name": "Rosa Elvira Tzul", "a_number": "12"})
    assert bad.status_code == 400
    assert HelpRequest.objects.get(pk=request.pk).name == "Rosa Elvia Tzul"
    saved = client.post(url, {**values, "name": "Rosa Elvira Tzul", "household_size": "5"})
    assert saved.status_code == 302
    page = client.get(saved["Location"]).content.decode()
    assert "Rosa Elvira Tzul" in page and "Corrected (Household size, Full name)" in page
    assert worker.display_name in page
    assert AuditEvent.objects.filter(
        action="intake.help_request.corrected", fields=["household_size", "name"]
    ).exists()


def test_adverse_parties_page(submit: Any, worker: Any, client_for: Any) -> None:
    request = submit(source="hotline").help_request
    client = client_for(worker)
    url = f"/intake/requests/{request.pk}/adverse-parties/"
    empty = client.post(url, {"add": "1", "name": ""})
    assert empty.status_code == 400 and not request.adverse_parties.exists()
    assert client.post(url, {"add": "1", "name": "Julio Pérez Castro"}).status_code == 302
    party = request.adverse_parties.get()
    assert "Julio Pérez Castro" in client.get(url).content.decode()
    assert client.post(url, {"remove": str(party.pk)}).status_code == 302
    assert not request.adverse_parties.exists()
    bogus = client.post(url, {"remove": "not-a-uuid"}, follow=True)
    assert "This adverse party is not on the request." in bogus.content.decode()


def test_merge_page(submit: Any, worker: Any, client_for: Any) -> None:
    one = submit(source="hotline").help_request
    two = submit(source="hotline").help_request
    client = client_for(worker)
    url = f"/intake/requests/{one.pk}/merge/"
    unknown = client.post(url, {"other": "H-2222-2222", "keep": "this"})
    assert (
        unknown.status_code == 400 and "No request has this reference." in unknown.content.decode()
    )
    garbled = client.post(url, {"other": "hello", "keep": "this"})
    assert garbled.status_code == 400
    done = client.post(url, {"other": two.reference.lower().replace("-", " "), "keep": "other"})
    assert done.status_code == 302 and done["Location"].endswith(f"/{two.pk}/")
    one.refresh_from_db()
    assert one.merged_into_id == two.pk and one.state == RequestState.CLOSED
    page = client.get(f"/intake/requests/{one.pk}/").content.decode()
    assert "Merged into" in page and two.reference in page
    assert "Correct the request" not in page
    assert client.get(f"/intake/requests/{one.pk}/edit/").status_code == 302


@pytest.mark.parametrize("role", [Role.PROVIDER_ADMIN, Role.ATTORNEY, Role.DONOR])
def test_other_roles_get_404(make_user: Any, client_for: Any, submit: Any, role: Any) -> None:
    request = submit().help_request
    client = client_for(make_user(role))
    for page in ("edit", "adverse-parties", "merge"):
        assert client.get(f"/intake/requests/{request.pk}/{page}/").status_code == 404
