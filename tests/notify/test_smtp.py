"""An email reminder goes through a real SMTP server (aiosmtpd on a free local port)."""

from __future__ import annotations

import datetime
import email
import email.policy
import zoneinfo
from collections.abc import Callable
from typing import Any

import pytest

from amparo.cases import services as case_services
from amparo.cases.models import Case
from amparo.core.services import SYSTEM
from amparo.notify.models import Reminder
from amparo.notify.services import reminder_send
from tests.clock import frozen
from tests.mailcheck import Inbox

# The clock stands at tests.clock.FROZEN_NOW (2026-05-13): the hearing is a month ahead of it.
pytestmark = [pytest.mark.django_db, frozen]
DENVER = zoneinfo.ZoneInfo("America/Denver")


def test_a_spanish_email_reminder_is_delivered_over_smtp_once(
    smtp_server: Inbox,
    settings: Any,
    org: Any,
    attorney_of: Callable[..., Any],
    open_case: Callable[..., Case],
) -> None:
    settings.TIME_ZONE = "America/Denver"
    settings.DEFAULT_FROM_EMAIL = "Amparo <no-reply@amparo.invalid>"
    lead = attorney_of(org)
    case = open_case(
        org, lead, client={"email": "lucia@example.net", "remind_by_email": True}, language="es"
    )
    hearing = case_services.hearing_add(
        case=case,
        kind="master",
        date=datetime.date(2026, 6, 12),
        time=datetime.time(8, 30),
        by=lead,
    )
    reminder = Reminder.objects.get(hearing=hearing, offset_days=1, channel="email")
    now = datetime.datetime(2026, 6, 11, 9, 0, tzinfo=DENVER)
    assert reminder_send(reminder.pk, by=SYSTEM, now=now) == "sent"
    assert reminder_send(reminder.pk, by=SYSTEM, now=now) == "already-sent"
    assert len(smtp_server.messages) == 1
    mail_from, rcpt_tos, content = smtp_server.messages[0]
    assert mail_from == "no-reply@amparo.invalid" and rcpt_tos == ["lucia@example.net"]
    message = email.message_from_bytes(content, policy=email.policy.default)
    assert str(message["Subject"]).strip() == "Recordatorio: audiencia en la corte de inmigración"
    body = message.get_body().get_content()  # type: ignore[union-attr]
    assert "Mañana tiene una audiencia" in body and "12 de junio de 2026" in body
    reminder.refresh_from_db()
    assert reminder.status == "sent" and reminder.provider_id == message["Message-ID"]
