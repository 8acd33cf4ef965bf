"""The audit log viewer, its CSV export, its navigation item and the read-audit helpers."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import pytest
from django.http import Http404, HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.utils import timezone

from amparo.accounts.models import User
from amparo.accounts.roles import Role
from amparo.audit.csv_export import neutralize
from amparo.audit.models import AuditEvent
from amparo.audit.reads import audit_read, audited_read
from amparo.audit.services import audit_record
from amparo.organizations.models import ProviderOrganization
from tests.clock import frozen
from tests.vault.aliases import ClientFor, MakeUser

pytestmark = [pytest.mark.django_db, frozen]

URL = "/audit/"


@pytest.fixture
def admin(make_user: MakeUser) -> User:
    return make_user(Role.FUND_ADMIN)


@pytest.fixture
def admin_client(admin: User, client_for: ClientFor) -> Client:
    return client_for(admin)


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.FUND_ADMIN])
def test_only_fund_admins_see_the_audit_log(
    role: str, make_user: MakeUser, client_for: ClientFor, org: ProviderOrganization
) -> None:
    audit_record(actor=None, action="read", object_type="x.y", object_id="1")
    user = make_user(role, org=org if role in (Role.ATTORNEY, Role.PROVIDER_ADMIN) else None)
    client = client_for(user)
    assert client.get(URL).status_code == 404
    assert client.get(URL + "export.csv").status_code == 404
    assert AuditEvent.objects.count() == 1  # a refused export records nothing


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_fund_admin_sees_events_and_the_nav_item(
    admin: User, admin_client: Client, make_user: MakeUser
) -> None:
    worker = make_user(Role.INTAKE_WORKER)
    audit_record(
        actor=worker,
        action="read",
        object_type="bench.samplerecord",
        object_id="abc",
        fields=("full_name", "a_number"),
    )
    audit_record(
        actor=None,
        action="vault.subject.shredded",
        object_type="vault.subject",
        object_id="s-1",
        reason="Retention",
    )
    response = admin_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert worker.email in html and "vault.subject.shredded" in html and "a_number" in html
    assert 'href="/audit/"' in html and 'aria-current="page"' in html


def test_the_nav_item_is_for_fund_admins_only(make_user: MakeUser, client_for: ClientFor) -> None:
    worker = make_user(Role.INTAKE_WORKER)
    html = client_for(worker).get("/dashboard/").content.decode()
    assert 'href="/audit/"' not in html


def _events(response: Any) -> list[AuditEvent]:
    return list(response.context["events"])


def test_filters_by_actor_object_and_dates(
    admin: User, admin_client: Client, make_user: MakeUser
) -> None:
    worker = make_user(Role.INTAKE_WORKER)
    mine = audit_record(
        actor=worker, action="read", object_type="bench.samplerecord", object_id="r1"
    )
    system = audit_record(actor=None, action="read", object_type="vault.subject", object_id="s1")
    assert _events(admin_client.get(URL, {"actor": str(worker.pk)})) == [mine]
    assert _events(admin_client.get(URL, {"actor": "system"})) == [system]
    assert _events(admin_client.get(URL, {"object_type": "vault.subject"})) == [system]
    assert _events(
        admin_client.get(URL, {"object_type": "bench.samplerecord", "object_id": "r1"})
    ) == [mine]
    today = timezone.localdate()
    assert (
        len(
            _events(
                admin_client.get(
                    URL, {"date_from": today.isoformat(), "date_to": today.isoformat()}
                )
            )
        )
        == 2
    )
    yesterday = (today - datetime.timedelta(days=1)).isoformat()
    assert _events(admin_client.get(URL, {"date_to": yesterday})) == []


@pytest.mark.parametrize(
    ("params", "field", "spanish"),
    [
        ({"date_from": "2026-05-02", "date_to": "2026-05-01"}, "date_to", "fecha final"),
        ({"date_from": "yesterday"}, "date_from", "fecha"),
        ({"actor": "99999"}, "actor", "opción"),
        ({"object_type": "DROP TABLE"}, "object_type", "tipo de objeto"),
        ({"object_id": "<script>"}, "object_id", "identificador"),
    ],
)
def test_bad_filters_get_a_translated_message_not_a_500(
    admin_client: Client, params: dict[str, str], field: str, spanish: str
) -> None:
    response = admin_client.get(URL, params, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors
    assert spanish in " ".join(form.errors[field]).lower()
    assert (
        "Hay un problema" in response.content.decode()
        or "There is a problem" in response.content.decode()
    )


def test_csv_export_neutralizes_formulas_and_is_itself_audited(
    admin: User, admin_client: Client
) -> None:
    audit_record(
        actor=None,
        action="read",
        object_type="x.y",
        object_id="1",
        reason='=HYPERLINK("http://evil.invalid","x")',
    )
    audit_record(actor=None, action="read", object_type="x.y", object_id="2", reason="@SUM(1+1)")
    audit_record(actor=None, action="read", object_type="x.y", object_id="3", reason="-2+3")
    response = admin_client.get(URL + "export.csv", {"object_type": "x.y"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    reasons = {row["object_id"]: row["reason"] for row in rows}
    assert reasons == {
        "1": '\'=HYPERLINK("http://evil.invalid","x")',
        "2": "'@SUM(1+1)",
        "3": "'-2+3",
    }
    export = AuditEvent.objects.get(action="audit.exported")
    assert export.actor_id == admin.pk and "object_type=x.y" in export.reason


def test_csv_export_with_bad_filters_exports_nothing(admin_client: Client) -> None:
    response = admin_client.get(URL + "export.csv", {"date_from": "not a date"})
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action="audit.exported").exists()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("＝1", "'＝1"),
        ("plain", "plain"),
        ("a=b", "a=b"),
        (None, ""),
        (42, "42"),
    ],
)
def test_neutralize(value: Any, expected: Any) -> None:
    assert neutralize(value) == expected


def test_pagination_keeps_the_filters(admin_client: Client) -> None:
    for i in range(55):
        audit_record(actor=None, action="read", object_type="x.y", object_id=str(i))
    first = admin_client.get(URL, {"object_type": "x.y"})
    assert len(first.context["events"]) == 50
    html = first.content.decode()
    assert "object_type=x.y" in html and "page=2" in html
    second = admin_client.get(URL, {"object_type": "x.y", "page": "2"})
    assert len(second.context["events"]) == 5
    assert admin_client.get(URL, {"page": "not-a-number"}).status_code == 200


# --- Read-audit helpers ------------------------------------------------------------------------


@audited_read("bench.samplerecord", id_kwarg="record_id", fields=("full_name", "a_number"))
def detail_view(request: HttpRequest, record_id: str) -> HttpResponse:
    if record_id == "missing":
        raise Http404
    if record_id == "forbidden":
        return HttpResponse(status=403)
    return HttpResponse("ok")


@audited_read("bench.samplerecord", id_kwarg="record_id", fields=("full_name",))
def api_operation(request: HttpRequest, record_id: str) -> tuple[int, dict[str, str]]:
    return (200, {"id": record_id}) if record_id != "gone" else (404, {"detail": "Not Found"})


def test_audited_read_records_successful_reads_only(admin: User) -> None:
    request = RequestFactory().get("/x/")
    request.user = admin
    detail_view(request, record_id="r-1")
    with pytest.raises(Http404):
        detail_view(request, record_id="missing")
    detail_view(request, record_id="forbidden")
    api_operation(request, record_id="r-2")
    api_operation(request, record_id="gone")
    events = list(
        AuditEvent.objects.order_by("seq").values_list("action", "object_id", "fields", "actor_id")
    )
    assert events == [
        ("read", "r-1", ["a_number", "full_name"], admin.pk),
        ("read", "r-2", ["full_name"], admin.pk),
    ]


def test_audit_read_function(admin: User) -> None:
    audit_read(
        actor=admin,
        object_type="vault.subject",
        object_id="s-9",
        fields=("kind",),
        reason="conflict check",
    )
    event = AuditEvent.objects.get()
    assert (event.action, event.object_id, event.reason) == ("read", "s-9", "conflict check")
