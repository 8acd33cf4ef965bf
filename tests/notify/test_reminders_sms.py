"""Hearing reminders by text go through the SMS channel: logged encrypted under the client's
key, their delivery status recorded, and a STOP texted in silences them until START."""

from __future__ import annotations

from typing import Any

import pytest

from amparo.core.services import SYSTEM
from amparo.notify.services import reminder_send
from amparo.sms.models import DeliveryStatus, Kind, SmsMessage
from amparo.sms.services import sms_receive, sms_status_record
from tests.clock import frozen
from tests.notify.test_reminders import (  # noqa: F401  (fixtures)
    case,
    hearing,
    lead,
    local,
    rows,
    sms_outbox,
)

pytestmark = [pytest.mark.django_db, frozen]


def test_a_reminder_is_logged_and_its_delivery_recorded(hearing: Any, sms_outbox: Any) -> None:
    reminder = rows(hearing)[(7, "sms")]
    assert reminder_send(reminder.pk, by=SYSTEM, now=local(2030, 3, 5, 12, 0)) == "sent"
    logged = SmsMessage.objects.select_related("subject").get(kind=Kind.REMINDER)
    assert logged.subject_id == hearing.case.client.subject_id
    assert logged.body == sms_outbox[0].body and logged.phone == "+13035550142"
    assert logged.delivery_status == DeliveryStatus.SENT
    reminder.refresh_from_db()
    assert reminder.provider_id == logged.provider_id
    sms_status_record(provider_id=logged.provider_id, status="delivered")
    logged.refresh_from_db()
    assert logged.delivery_status == DeliveryStatus.DELIVERED


def test_stop_texted_in_is_honoured_by_a_later_reminder_until_start(
    hearing: Any, sms_outbox: Any
) -> None:
    assert sms_receive(phone="(303) 555-0142", body="Alto", provider_id="SM1").replies
    week, day = rows(hearing)[(7, "sms")], rows(hearing)[(1, "sms")]
    assert reminder_send(week.pk, by=SYSTEM, now=local(2030, 3, 5, 12, 0)) == "sms-opted-out"
    assert sms_outbox == []
    week.refresh_from_db()
    assert week.status == "skipped" and week.detail == "sms-opted-out"
    # the e-mail reminder is another channel the client chose: it still goes
    assert reminder_send(rows(hearing)[(7, "email")].pk, by=SYSTEM, now=local(2030, 3, 5, 12, 0))
    sms_receive(phone="+13035550142", body="START", provider_id="SM2")
    assert reminder_send(day.pk, by=SYSTEM, now=local(2030, 3, 11, 12, 0)) == "sent"
    assert len(sms_outbox) == 1
