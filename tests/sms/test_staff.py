"""Staff see the text conversation on the request page (only those who may see the request
and the person), with each outbound text's delivery status, and answer from it."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from amparo.accounts.roles import Role
from amparo.audit.models import AuditEvent
from amparo.sms import hooks
from amparo.sms.models import DeliveryStatus, Kind, SmsMessage
from amparo.sms.services import sms_status_record
from tests.clock import frozen

from .conftest import Post

pytestmark = [pytest.mark.django_db, frozen]


@pytest.fixture
def texted(text_in: Post, submit: Any) -> Any:
    """A request whose person wrote by text (a handler linked the exchange)."""
    request = submit(language="es").help_request
    hooks.CONVERSATION_HANDLERS[:] = [
        lambda i: hooks.Outcome(
            replies=["Gracias, recibimos su solicitud."], language="es", help_request_id=request.pk
        )
    ]
    try:
        text_in("Necesito ayuda para mi hermano")
    finally:
        hooks.CONVERSATION_HANDLERS.clear()
    return request


def page(client: Any, request: Any) -> Any:
    return client.get(reverse("intake:detail", kwargs={"request_id": request.pk}))


def test_an_intake_worker_reads_the_conversation_and_the_read_is_audited(
    texted: Any, make_user: Any, client_for: Any
) -> None:
    worker = make_user(role=Role.INTAKE_WORKER)
    html = page(client_for(worker), texted).content.decode()
    assert "Necesito ayuda para mi hermano" in html
    assert "Gracias, recibimos su solicitud." in html
    assert 'name="body"' in html  # the reply form
    assert "+17205550123" not in html  # the number is not shown, only the words
    read = AuditEvent.objects.filter(action="read", object_id=str(texted.pk)).last()
    assert read is not None and "sms_message.body" in read.fields


@pytest.mark.parametrize("role", [Role.ATTORNEY, Role.PROVIDER_ADMIN])
def test_others_see_nothing(
    texted: Any, make_user: Any, client_for: Any, role: str, org: Any
) -> None:
    outsider = make_user(role=role, org=org)
    response = page(client_for(outsider), texted)
    assert response.status_code in (403, 404)
    assert "Necesito ayuda" not in response.content.decode()
    reply = client_for(outsider).post(
        reverse("sms:reply", kwargs={"request_id": texted.pk}), {"body": "hola"}
    )
    assert reply.status_code in (403, 404)
    assert not SmsMessage.objects.filter(kind=Kind.STAFF).exists()


def test_signed_out_reply_goes_to_sign_in(texted: Any, client: Any) -> None:
    response = client.post(reverse("sms:reply", kwargs={"request_id": texted.pk}), {"body": "x"})
    assert response.status_code == 302 and "/accounts/" in response["Location"]
    assert not SmsMessage.objects.filter(kind=Kind.STAFF).exists()


def test_a_reply_is_sent_audited_and_its_delivery_shown(
    texted: Any,
    make_user: Any,
    client_for: Any,
    sms_settings: list[Any],
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # Quiet hours now: a person writing and watching it leave is not held back.
    settings.AMPARO_REMINDERS = {"QUIET_HOURS": (0, 23)}
    worker = make_user(role=Role.INTAKE_WORKER)
    client = client_for(worker)
    url = reverse("sms:reply", kwargs={"request_id": texted.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"body": "Hola, ¿puede llamarnos mañana?"}, follow=True)
    assert "The text was sent." in response.content.decode()
    assert [(m.to, m.body) for m in sms_settings] == [
        ("+17205550123", "Hola, ¿puede llamarnos mañana?")
    ]
    sent = SmsMessage.objects.get(kind=Kind.STAFF)
    assert sent.sent_by == worker and sent.help_request_id == texted.pk
    assert AuditEvent.objects.filter(action="sms.staff_reply.sent").count() == 1
    sms_status_record(provider_id=sent.provider_id, status="undelivered", error_code="30003")
    html = page(client, texted).content.decode()
    assert str(DeliveryStatus.UNDELIVERED.label) in html and "30003" in html


def test_an_empty_reply_is_refused_with_a_message(
    texted: Any, make_user: Any, client_for: Any
) -> None:
    client = client_for(make_user(role=Role.INTAKE_WORKER))
    url = reverse("sms:reply", kwargs={"request_id": texted.pk})
    response = client.post(url, {"body": "   "}, follow=True)
    assert "Write the message to send." in response.content.decode()
    assert not SmsMessage.objects.filter(kind=Kind.STAFF).exists()


def test_after_stop_the_page_says_so_and_no_reply_leaves(
    texted: Any, text_in: Post, make_user: Any, client_for: Any, sms_settings: list[Any]
) -> None:
    text_in("ALTO")
    client = client_for(make_user(role=Role.INTAKE_WORKER))
    html = page(client, texted).content.decode()
    assert "texted STOP" in html and 'name="body"' not in html
    url = reverse("sms:reply", kwargs={"request_id": texted.pk})
    response = client.post(url, {"body": "¿Sigue ahí?"}, follow=True)
    assert "This person texted STOP" in response.content.decode()
    assert sms_settings == [] and not SmsMessage.objects.filter(kind=Kind.STAFF).exists()
