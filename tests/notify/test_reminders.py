"""Hearing reminders: planned per offset and channel, sent once, held in quiet hours, in the
client's language, through the task queue with ids only."""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from amparo.audit.models import AuditEvent
from amparo.cases import services as case_services
from amparo.cases.models import Case, Hearing
from amparo.core.services import SYSTEM
from amparo.notify.models import Reminder
from amparo.notify.services import (
    in_quiet_hours,
    quiet_hours_end,
    reminder_send,
    reminders_sync,
)
from amparo.notify.sms import MemorySmsBackend
from amparo.notify.tasks import reminders_dispatch, send_reminder
from amparo.sms.models import DeliveryStatus, Kind, SmsMessage
from amparo.sms.services import sms_receive, sms_status_record
from tests.clock import frozen

pytestmark = [pytest.mark.django_db, frozen]
DENVER = zoneinfo.ZoneInfo("America/Denver")


def local(y: int, m: int, d: int, h: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(y, m, d, h, minute, tzinfo=DENVER)


@pytest.fixture(autouse=True)
def sms_outbox(settings: Any) -> list[Any]:
    settings.AMPARO_SMS_PROVIDER = "memory"
    settings.TIME_ZONE = "America/Denver"
    settings.AMPARO_REMINDERS = {"OFFSETS_DAYS": (7, 1), "QUIET_HOURS": (21, 8)}
    MemorySmsBackend.outbox.clear()
    return MemorySmsBackend.outbox


@pytest.fixture
def lead(org: Any, attorney_of: Callable[..., Any]) -> Any:
    org.public_phone = "(303) 555-0101"
    org.save()
    return attorney_of(org)


@pytest.fixture
def case(org: Any, lead: Any, open_case: Callable[..., Case]) -> Case:
    return open_case(
        org,
        lead,
        client={
            "phone": "303 555 0142",
            "email": "cliente@example.net",
            "remind_by_sms": True,
            "remind_by_email": True,
        },
        language="es",
    )


@pytest.fixture
def hearing(case: Case, lead: Any) -> Hearing:
    """A master hearing on Tuesday 2030-03-12 at 08:30, Denver time."""
    return case_services.hearing_add(
        case=case,
        kind="master",
        date=datetime.date(2030, 3, 12),
        time=datetime.time(8, 30),
        by=lead,
    )


def rows(hearing: Hearing) -> dict[tuple[int, str], Reminder]:
    return {(r.offset_days, r.channel): r for r in Reminder.objects.filter(hearing=hearing)}


def test_adding_a_hearing_plans_one_reminder_per_offset_and_channel(hearing: Hearing) -> None:
    planned = rows(hearing)
    assert set(planned) == {(7, "sms"), (1, "sms"), (7, "email"), (1, "email")}
    assert planned[(7, "sms")].send_after == local(2030, 3, 5, 8, 30)
    assert planned[(1, "email")].send_after == local(2030, 3, 11, 8, 30)
    assert all(r.status == "pending" and r.language == "es" for r in planned.values())


def test_a_due_reminder_is_sent_once_in_the_clients_language(
    hearing: Hearing, sms_outbox: list[Any]
) -> None:
    now = local(2030, 3, 5, 12, 0)
    sms = rows(hearing)[(7, "sms")]
    assert reminder_send(sms.pk, by=SYSTEM, now=now) == "sent"
    assert (
        reminder_send(sms.pk, by=SYSTEM, now=now) == "already-sent"
    )  # a retried task sends nothing
    assert len(sms_outbox) == 1
    message = sms_outbox[0]
    assert message.to == "+13035550142"
    assert (
        "Amparo:" in message.body and "7 días" in message.body and "(303) 555-0101" in message.body
    )
    assert "Rosa" not in message.body and "A-" not in message.body
    sms.refresh_from_db()
    assert sms.status == "sent" and sms.attempts == 1 and sms.sent_at is not None
    sent = AuditEvent.objects.get(action="notify.reminder.sent", object_id=str(sms.pk))
    assert sent.fields == ["client.phone"] and sent.actor_id is None
    email = rows(hearing)[(7, "email")]
    assert reminder_send(email.pk, by=SYSTEM, now=now) == "sent"
    assert reminder_send(email.pk, by=SYSTEM, now=now) == "already-sent"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["cliente@example.net"]
    assert mail.outbox[0].subject == "Recordatorio: audiencia en la corte de inmigración"
    assert "12 de marzo de 2030" in mail.outbox[0].body


def test_english_for_clients_who_chose_it(
    org: Any, lead: Any, open_case: Callable[..., Case], sms_outbox: list[Any]
) -> None:
    case = open_case(
        org, lead, client={"phone": "303 555 0177", "remind_by_sms": True}, language="en"
    )
    hearing = case_services.hearing_add(
        case=case,
        kind="individual",
        date=datetime.date(2030, 3, 12),
        time=datetime.time(13, 0),
        by=lead,
    )
    reminder = rows(hearing)[(1, "sms")]
    assert reminder_send(reminder.pk, by=SYSTEM, now=local(2030, 3, 11, 14, 0)) == "sent"
    assert "Tomorrow you have an immigration court final hearing" in sms_outbox[0].body


def test_quiet_hours_defer_text_messages_but_not_email(
    hearing: Hearing, sms_outbox: list[Any]
) -> None:
    night = local(2030, 3, 5, 22, 30)
    assert in_quiet_hours(night) and in_quiet_hours(local(2030, 3, 6, 7, 59))
    assert not in_quiet_hours(local(2030, 3, 6, 8, 0))
    assert quiet_hours_end(night) == local(2030, 3, 6, 8, 0)
    planned = rows(hearing)
    assert reminder_send(planned[(7, "sms")].pk, by=SYSTEM, now=night) == "deferred"
    assert reminder_send(planned[(7, "email")].pk, by=SYSTEM, now=night) == "sent"
    deferred = Reminder.objects.get(pk=planned[(7, "sms")].pk)
    assert deferred.status == "deferred" and deferred.not_before == local(2030, 3, 6, 8, 0)
    assert sms_outbox == []
    # The dispatcher leaves it alone until the morning, then queues it (sent by the task).
    assert reminders_dispatch(by=SYSTEM, now=local(2030, 3, 6, 7, 0)).queued == 0


def test_the_dispatcher_queues_due_reminders_through_the_task_queue(
    hearing: Hearing, sms_outbox: list[Any], django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.AMPARO_REMINDERS = {
        "OFFSETS_DAYS": (7, 1),
        "QUIET_HOURS": (0, 0),
    }  # none, for the clock
    now = timezone.now()
    Reminder.objects.filter(hearing=hearing, offset_days=7).update(
        send_after=now - datetime.timedelta(minutes=5)
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report = reminders_dispatch(by=SYSTEM, now=now)
    assert report.queued == 2 and len(callbacks) == 1
    assert {r.status for r in Reminder.objects.filter(hearing=hearing, offset_days=7)} == {"sent"}
    assert len(sms_outbox) == 1 and len(mail.outbox) == 1
    # Running it again sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_dispatch(by=SYSTEM, now=now).queued == 0
    assert len(sms_outbox) == 1 and len(mail.outbox) == 1


def test_the_task_carries_only_an_id(hearing: Hearing, settings: Any) -> None:
    settings.AMPARO_REMINDERS = {"OFFSETS_DAYS": (7, 1), "QUIET_HOURS": (0, 0)}
    reminder = rows(hearing)[(7, "email")]
    Reminder.objects.filter(pk=reminder.pk).update(send_after=timezone.now())
    result = send_reminder.enqueue(reminder_id=reminder.pk)
    assert result.args == [] and result.kwargs == {"reminder_id": reminder.pk}
    assert result.return_value == {"reminder": reminder.pk, "result": "sent"}
    again = send_reminder.enqueue(reminder_id=reminder.pk)
    assert again.return_value == {"reminder": reminder.pk, "result": "already-sent"}
    assert len(mail.outbox) == 1


def test_a_late_plan_sends_only_the_nearest_reminder_and_says_the_right_day(
    hearing: Hearing, sms_outbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    now = local(2030, 3, 11, 10, 0)  # both the 7-day and the 1-day reminders are due
    with django_capture_on_commit_callbacks(execute=False):
        report = reminders_dispatch(by=SYSTEM, now=now)
    assert report.queued == 2 and report.skipped == 2
    planned = rows(hearing)
    assert planned[(7, "sms")].status == "skipped" and planned[(7, "sms")].detail == "superseded"
    assert reminder_send(planned[(1, "sms")].pk, by=SYSTEM, now=now) == "sent"
    assert "Mañana" in sms_outbox[0].body


def test_changes_to_the_hearing_or_the_client_follow_through(
    hearing: Hearing, case: Case, lead: Any, sms_outbox: list[Any]
) -> None:
    case_services.hearing_update(hearing=hearing, data={"date": datetime.date(2030, 4, 2)}, by=lead)
    assert rows(hearing)[(7, "sms")].send_after == local(2030, 3, 26, 8, 30)
    case_services.client_update(case=case, data={"remind_by_sms": False}, by=lead)
    planned = rows(hearing)
    assert planned[(7, "sms")].status == "skipped" and planned[(7, "email")].status == "pending"
    assert (
        reminder_send(planned[(7, "sms")].pk, by=SYSTEM, now=local(2030, 3, 27, 9, 0))
        == "already-skipped"
    )
    case_services.hearing_update(hearing=hearing, data={"status": "vacated"}, by=lead)
    assert {r.status for r in rows(hearing).values()} == {"skipped"}
    assert sms_outbox == [] and mail.outbox == []


def test_a_failed_send_is_recorded_without_personal_data_and_retried_later(
    hearing: Hearing, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    email = rows(hearing)[(7, "email")]
    now = local(2030, 3, 5, 12, 0)
    assert reminder_send(email.pk, by=SYSTEM, now=now) == "failed"
    email.refresh_from_db()
    assert email.status == "failed" and email.attempts == 1
    assert "@" not in email.detail and email.detail  # an error class name, not an address
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Reminder.objects.filter(pk=email.pk).update(updated_at=now - datetime.timedelta(hours=1))
    assert reminder_send(email.pk, by=SYSTEM, now=now) == "sent"
    assert len(mail.outbox) == 1


def test_reminders_sync_is_idempotent(hearing: Hearing) -> None:
    before = {k: (r.pk, r.send_after, r.status) for k, r in rows(hearing).items()}
    reminders_sync(hearing=hearing)
    reminders_sync(hearing=hearing)
    assert {k: (r.pk, r.send_after, r.status) for k, r in rows(hearing).items()} == before


# --- through the SMS channel (amparo.sms): logged, delivery recorded, STOP honoured ---------


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


def test_the_case_page_shows_each_reminder_and_its_text_delivery(
    hearing: Any, lead: Any, client_for: Callable[..., Any], sms_outbox: list[Any]
) -> None:
    from django.urls import reverse

    reminder = rows(hearing)[(7, "sms")]
    reminder_send(reminder.pk, by=SYSTEM, now=local(2030, 3, 5, 12, 0))
    reminder.refresh_from_db()
    sms_status_record(provider_id=reminder.provider_id, status="undelivered", error_code="30006")
    html = client_for(lead).get(reverse("cases:detail", args=[hearing.case_id])).content.decode()
    assert 'id="reminders-title"' in html
    assert "No entregado (30006)" in html or "Not delivered (30006)" in html
    assert "+13035550142" not in html
