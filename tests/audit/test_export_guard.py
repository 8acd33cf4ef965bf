"""Bulk exports of protected records: re-authentication over the hourly threshold, and a flag."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from faker import Faker

from amparo.accounts.models import User
from amparo.accounts.roles import Role
from amparo.audit.exports import exported_recently
from amparo.audit.models import AuditEvent, ExportRecord
from amparo.donations.services import donor_create, gift_record
from tests.clock import frozen
from tests.factories import PASSWORD
from tests.vault.aliases import ClientFor, MakeUser

pytestmark = [pytest.mark.django_db, frozen]
fake = Faker(["en_US", "es_MX"])

GIFTS = "/donations/export.csv"
AUDIT = "/audit/export.csv"
REAUTH = "/accounts/reauthenticate/"
THRESHOLD = 3


@pytest.fixture(autouse=True)
def small_threshold(settings: Any) -> None:
    settings.AMPARO = {**settings.AMPARO, "EXPORT_REAUTH_THRESHOLD": THRESHOLD}


@pytest.fixture
def admin(make_user: MakeUser) -> User:
    return make_user(Role.FUND_ADMIN)


@pytest.fixture
def admin_client(admin: User, client_for: ClientFor) -> Client:
    return client_for(admin)


def _gifts(by: User, n: int) -> list[str]:
    """``n`` gifts from Faker donors; returns the donors' emails."""
    emails = []
    for i in range(n):
        email = fake.unique.email()
        donor = donor_create(name=fake.name(), email=email, by=by)
        gift_record(
            amount=1_000 + i,
            currency="USD",
            received_on=timezone.localdate() - datetime.timedelta(days=1),
            reference=f"EXP-{i}",
            donor=donor,
            by=by,
        )
        emails.append(email)
    return emails


def _body(response: Any) -> str:
    return b"".join(response.streaming_content).decode()


def test_under_the_threshold_an_export_streams_unflagged(admin: User, admin_client: Client) -> None:
    _gifts(admin, THRESHOLD)
    response = admin_client.get(GIFTS)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert _body(response).count("EXP-") == THRESHOLD
    assert not AuditEvent.objects.filter(action__startswith="export.").exists()
    record = ExportRecord.objects.get(user=admin)
    assert (record.kind, record.count) == ("donations.gift", THRESHOLD)


def test_over_the_threshold_asks_to_reauthenticate_then_flags(
    admin: User, admin_client: Client
) -> None:
    emails = _gifts(admin, THRESHOLD + 1)
    response = admin_client.get(GIFTS)
    assert response.status_code == 302
    assert (
        response["Location"].startswith(REAUTH)
        and "next=%2Fdonations%2Fexport.csv" in (response["Location"])
    )
    asked = AuditEvent.objects.get(action="export.reauthentication_required")
    assert asked.actor_id == admin.pk and asked.object_type == "donations.gift"
    assert f"records={THRESHOLD + 1}" in asked.reason and asked.fields == []
    assert not any(email in asked.reason for email in emails)
    assert not ExportRecord.objects.exists()  # nothing was exported
    assert not AuditEvent.objects.filter(action="donations.exported").exists()

    page = admin_client.get(response["Location"])
    assert page.status_code == 200 and "confirm it is you" in page.content.decode()

    wrong = admin_client.post(response["Location"], {"password": "not-the-password"})
    assert wrong.status_code == 200
    assert admin_client.get(GIFTS).status_code == 302  # a wrong password does not count

    done = admin_client.post(response["Location"], {"password": PASSWORD})
    assert done.status_code == 302 and done["Location"] == GIFTS

    exported = admin_client.get(GIFTS)
    assert exported.status_code == 200
    body = _body(exported)
    assert body.count("EXP-") == THRESHOLD + 1
    assert not any(email in body for email in emails)
    flagged = AuditEvent.objects.get(action="export.flagged")
    assert flagged.actor_id == admin.pk and flagged.object_type == "donations.gift"
    assert "kind=donations.gift" in flagged.reason and f"records={THRESHOLD + 1}" in flagged.reason
    assert ExportRecord.objects.get(user=admin).count == THRESHOLD + 1


def test_the_spanish_notice_is_translated(admin: User, admin_client: Client) -> None:
    _gifts(admin, THRESHOLD + 1)
    response = admin_client.get(GIFTS, HTTP_ACCEPT_LANGUAGE="es")
    page = admin_client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Confirme que es usted para continuar" in page


def test_the_count_accumulates_within_the_hour_and_not_beyond(
    admin: User, admin_client: Client
) -> None:
    _gifts(admin, 2)
    ExportRecord.objects.create(
        user=admin, kind="donations.gift", count=50, at=timezone.now() - datetime.timedelta(hours=2)
    )
    assert exported_recently(user_id=admin.pk) == 0
    assert admin_client.get(GIFTS).status_code == 200  # 2: an old export does not count
    assert exported_recently(user_id=admin.pk) == 2
    # The audit log export counts too: 2 gifts + the audit events so far is over 3.
    events = AuditEvent.objects.count()
    assert events >= 2
    response = admin_client.get(AUDIT)
    assert response.status_code == 302 and response["Location"].startswith(REAUTH)
    asked = AuditEvent.objects.get(action="export.reauthentication_required")
    assert asked.object_type == "audit.auditevent" and f"last hour={2 + events}" in asked.reason
    # A second gift export in the same hour: 2 + 2 > 3.
    assert admin_client.get(GIFTS).status_code == 302
    assert exported_recently(user_id=admin.pk) == 2


def test_one_users_exports_do_not_count_against_another(
    admin: User, admin_client: Client, make_user: MakeUser, client_for: ClientFor
) -> None:
    _gifts(admin, 2)
    assert admin_client.get(GIFTS).status_code == 200
    other = make_user(Role.FUND_ADMIN)
    assert client_for(other).get(GIFTS).status_code == 200
    assert not AuditEvent.objects.filter(action__startswith="export.").exists()


def test_refused_roles_record_nothing(make_user: MakeUser, client_for: ClientFor) -> None:
    worker = make_user(Role.INTAKE_WORKER)
    assert client_for(worker).get(GIFTS).status_code == 404
    assert not ExportRecord.objects.exists()
