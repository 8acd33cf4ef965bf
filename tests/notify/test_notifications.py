"""Staff notifications: each kind makes its row and one email (through a real SMTP server),
a retried task sends once, quiet hours hold the non-urgent ones, preferences turn email off
but never the list, and no email carries protected data."""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.core.mail import EmailMessage

from amparo.accounts.roles import Role
from amparo.cases import services as case_services
from amparo.cases.models import Case
from amparo.core.services import SYSTEM
from amparo.notify import events
from amparo.notify.models import EmailState, Notification, NotificationKind
from amparo.notify.notifications import (
    email_choices,
    notification_email_send,
    notification_preferences_update,
)
from amparo.notify.selectors import unread_count
from amparo.notify.services import in_quiet_hours
from amparo.notify.tasks import (
    notify_deadline_digests,
    notify_referral_reminders,
    send_notification_email,
)
from amparo.referrals.services import referral_expire
from tests.clock import FROZEN_NOW, frozen
from tests.intake.helpers import route
from tests.mailcheck import Inbox, assert_speaks_as_the_fund, body_of

pytestmark = [pytest.mark.django_db, frozen]
DENVER = zoneinfo.ZoneInfo("America/Denver")


@pytest.fixture(autouse=True)
def denver(settings: Any, fund_settings: dict[str, str]) -> None:
    settings.TIME_ZONE = "America/Denver"
    settings.AMPARO_REMINDERS = {"QUIET_HOURS": (21, 8), "MAX_ATTEMPTS": 3}


def kinds_of(user: Any) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def sent_referral(submit: Any, capture: Any, **overrides: Any) -> Any:
    """Submit a request and route it (the email leaves after the commit)."""
    request = submit(**overrides).help_request
    with capture(execute=True):
        return route(request)


def test_a_detained_referral_emails_the_providers_admin_once_in_their_language(
    smtp_server: Inbox,
    make_provider: Any,
    submit: Any,
    django_capture_on_commit_callbacks: Any,
    fund_settings: dict[str, str],
) -> None:
    _org, admin, _profile = make_provider()
    admin.preferred_language = "es"
    admin.save()
    submission = submit()
    with django_capture_on_commit_callbacks(execute=True):
        referral = route(submission.help_request)
    row = Notification.objects.get(recipient=admin)
    assert row.kind == NotificationKind.REFERRAL_DETAINED
    assert row.reference == submission.help_request.reference
    assert row.email_state == EmailState.SENT
    [message] = smtp_server.to(admin.email)
    body = body_of(message)
    assert "Urgente" in body and submission.help_request.reference in body
    # the answer-by time, in the recipient's language and the deployment's time zone
    assert "14 de mayo de 2026" in body and "MDT" in body
    assert f"{fund_settings['SITE_URL']}/referrals/{referral.pk}/" in body
    # nothing protected: not the person's name, not the A-number
    request = submission.help_request
    assert request.name not in body and request.a_number[1:] not in body.replace("-", "")
    # a retried task finds it sent and sends nothing
    assert send_notification_email.call(row.pk)["result"] == "already-sent"
    assert len(smtp_server.to(admin.email)) == 1


def test_mail_speaks_as_the_fund(
    smtp_server: Inbox,
    make_provider: Any,
    submit: Any,
    django_capture_on_commit_callbacks: Any,
    fund_settings: dict[str, str],
) -> None:
    _org, admin, _profile = make_provider()
    sent_referral(submit, django_capture_on_commit_callbacks)
    assert len(smtp_server.messages) == 1
    [message] = smtp_server.to(admin.email)
    assert_speaks_as_the_fund(
        EmailMessage(
            subject=str(message["Subject"]), body=body_of(message), from_email=str(message["From"])
        ),
        fund_settings,
    )


def test_a_non_detained_referral_is_a_plain_referral(
    smtp_server: Inbox, make_provider: Any, submit: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _org, admin, _profile = make_provider()
    sent_referral(submit, django_capture_on_commit_callbacks, custody="never_detained", facility="")
    assert kinds_of(admin) == [NotificationKind.REFERRAL_RECEIVED]
    assert len(smtp_server.to(admin.email)) == 1


def test_at_75_percent_of_the_window_the_admin_is_reminded_once(
    smtp_server: Inbox, make_provider: Any, submit: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _org, admin, _profile = make_provider()
    referral = sent_referral(
        submit, django_capture_on_commit_callbacks, custody="never_detained", facility=""
    )
    window = referral.due_at - referral.sent_at
    assert not in_quiet_hours(referral.sent_at + window * 0.8)
    with (
        time_machine.travel(referral.sent_at + window * 0.7, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert notify_referral_reminders.call()["reminded"] == 0
    with (
        time_machine.travel(referral.sent_at + window * 0.8, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert notify_referral_reminders.call()["reminded"] == 1
        assert notify_referral_reminders.call()["reminded"] == 0
    assert sorted(kinds_of(admin)) == [
        NotificationKind.REFERRAL_RECEIVED,
        NotificationKind.REFERRAL_REMINDER,
    ]
    assert len(smtp_server.to(admin.email)) == 2


def test_a_detained_referral_s_reminder_is_urgent_and_leaves_at_night(
    smtp_server: Inbox, make_provider: Any, submit: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _org, admin, _profile = make_provider()
    referral = sent_referral(submit, django_capture_on_commit_callbacks)
    window = referral.due_at - referral.sent_at
    # The first quiet-hours minute past 75% of the window, before it closes.
    moment = referral.sent_at + window * 0.76
    while not in_quiet_hours(moment) and moment < referral.due_at:
        moment += datetime.timedelta(minutes=15)
    assert in_quiet_hours(moment) and moment < referral.due_at, "no night inside the window"
    with (
        time_machine.travel(moment, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert notify_referral_reminders.call()["reminded"] == 1
    reminder = Notification.objects.get(
        recipient=admin, kind=NotificationKind.REFERRAL_DETAINED_REMINDER
    )
    assert reminder.email_state == EmailState.SENT
    assert len(smtp_server.to(admin.email)) == 2
    assert "Urgent" in body_of(smtp_server.to(admin.email)[-1])


def test_an_expired_referral_tells_the_admin_and_the_escalation_tells_fund_admins(
    smtp_server: Inbox,
    make_provider: Any,
    submit: Any,
    make_user: Callable[..., Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    _org, admin, _profile = make_provider()
    fund_admin = make_user(Role.FUND_ADMIN)
    referral = sent_referral(submit, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        referral_expire(
            referral=referral, by=SYSTEM, now=referral.due_at + datetime.timedelta(minutes=1)
        )
    assert NotificationKind.REFERRAL_REROUTED in kinds_of(admin)
    assert kinds_of(fund_admin) == [NotificationKind.ESCALATION]
    assert len(smtp_server.to(admin.email)) == 2
    [escalated] = smtp_server.to(fund_admin.email)
    assert "/referrals/escalations/" in body_of(escalated)


def test_an_attorney_is_told_of_an_assignment_and_a_hearing_change(
    smtp_server: Inbox,
    org: Any,
    attorney_of: Callable[..., Any],
    admin_of: Callable[..., Any],
    open_case: Callable[..., Case],
    django_capture_on_commit_callbacks: Any,
) -> None:
    lead = attorney_of(org)
    admin = admin_of(org)
    with django_capture_on_commit_callbacks(execute=True):
        case = open_case(org, lead, by=admin)
    assert kinds_of(lead) == [NotificationKind.CASE_ASSIGNED]
    with django_capture_on_commit_callbacks(execute=True):
        hearing = case_services.hearing_add(
            case=case, kind="master", date=datetime.date(2026, 7, 1), by=admin
        )
    with django_capture_on_commit_callbacks(execute=True):
        case_services.hearing_update(
            hearing=hearing, data={"date": datetime.date(2026, 7, 8)}, by=admin
        )
    assert sorted(kinds_of(lead)) == [
        NotificationKind.CASE_ASSIGNED,
        NotificationKind.HEARING_CHANGED,
        NotificationKind.HEARING_CHANGED,
    ]
    mails = smtp_server.to(lead.email)
    assert len(mails) == 3
    assert all(case.reference in body_of(m) for m in mails)
    # whoever makes the change is not told of it
    with django_capture_on_commit_callbacks(execute=True):
        case_services.hearing_update(hearing=hearing, data={"judge": "Judge Doe"}, by=lead)
    assert len(kinds_of(lead)) == 3


def test_the_daily_digest_has_counts_and_references_and_nothing_protected(
    smtp_server: Inbox,
    org: Any,
    attorney_of: Callable[..., Any],
    open_case: Callable[..., Case],
    django_capture_on_commit_callbacks: Any,
) -> None:
    lead = attorney_of(org)
    today = FROZEN_NOW.date()
    case = open_case(org, lead, client={"name": "Zacarías Quintanilla Oropeza"})
    # a master hearing in 20 days: its filing deadline (15 days before) falls within 7 days
    case_services.hearing_add(
        case=case, kind="master", date=today + datetime.timedelta(days=20), by=lead
    )
    late = open_case(org, lead)
    case_services.hearing_add(
        case=late, kind="master", date=today + datetime.timedelta(days=10), by=lead
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_deadline_digests.call()["digests"] == 1
        assert notify_deadline_digests.call()["digests"] == 0  # once a day
    row = Notification.objects.get(recipient=lead, kind=NotificationKind.DEADLINE_DIGEST)
    assert row.params["overdue"] >= 1 and row.params["due"] >= 1
    [message] = smtp_server.to(lead.email)
    body = body_of(message)
    assert case.reference in body and late.reference in body
    for client_case in (case, late):
        client = client_case.client
        assert client.name not in body
        assert client.a_number[1:] not in body and client.a_number not in body
        for word in client.name.split():
            assert word not in body and word not in str(message["Subject"])
    assert "Quintanilla" not in body


def test_quiet_hours_hold_non_urgent_email_until_morning_but_not_the_urgent_one(
    smtp_server: Inbox,
    org: Any,
    attorney_of: Callable[..., Any],
    admin_of: Callable[..., Any],
    open_case: Callable[..., Case],
    django_capture_on_commit_callbacks: Any,
) -> None:
    lead = attorney_of(org)
    admin = admin_of(org)
    open_case(org, lead, by=admin)
    assigned = Notification.objects.get(recipient=lead)
    urgent = Notification.objects.create(
        recipient=admin,
        kind=NotificationKind.REFERRAL_DETAINED,
        subject="referral:0",
        reference="H-TEST",
        url="/referrals/",
        params={"due_at": FROZEN_NOW.isoformat()},
    )
    night = datetime.datetime(2026, 5, 13, 23, 30, tzinfo=DENVER)
    assert notification_email_send(assigned.pk, by=SYSTEM, now=night) == "deferred"
    assert notification_email_send(urgent.pk, by=SYSTEM, now=night) == "sent"
    assigned.refresh_from_db()
    assert assigned.email_state == EmailState.DEFERRED
    assert assigned.email_not_before == datetime.datetime(2026, 5, 14, 8, 0, tzinfo=DENVER)
    assert smtp_server.to(lead.email) == []
    assert notification_email_send(assigned.pk, by=SYSTEM, now=night) == "not-due"
    with (
        time_machine.travel(datetime.datetime(2026, 5, 14, 8, 5, tzinfo=DENVER), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert notify_referral_reminders.call()["requeued"] == 1
    assert len(smtp_server.to(lead.email)) == 1


def test_turning_email_off_keeps_the_notification_in_the_app(
    smtp_server: Inbox,
    org: Any,
    attorney_of: Callable[..., Any],
    admin_of: Callable[..., Any],
    open_case: Callable[..., Case],
    django_capture_on_commit_callbacks: Any,
) -> None:
    lead = attorney_of(org)
    admin = admin_of(org)
    assert notification_preferences_update(
        user=lead, choices={NotificationKind.CASE_ASSIGNED: False}, by=lead
    ) == [NotificationKind.CASE_ASSIGNED]
    with django_capture_on_commit_callbacks(execute=True):
        open_case(org, lead, by=admin)
    row = Notification.objects.get(recipient=lead)
    assert row.kind == NotificationKind.CASE_ASSIGNED and row.email_state == EmailState.OFF
    assert unread_count(fetched_by=lead) == 1
    assert smtp_server.messages == []


def test_the_urgent_detained_referral_email_cannot_be_turned_off(
    smtp_server: Inbox,
    make_provider: Any,
    submit: Any,
    client_for: Callable[..., Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    _org, admin, _profile = make_provider()
    assert (
        notification_preferences_update(
            user=admin, choices={NotificationKind.REFERRAL_DETAINED: False}, by=admin
        )
        == []
    )
    # the settings page, sent with every box unticked, keeps it on too
    response = client_for(admin).post("/notifications/settings/", {})
    assert response.status_code == 302
    choices = email_choices(admin)
    assert choices[NotificationKind.REFERRAL_DETAINED] is True
    assert choices[NotificationKind.REFERRAL_RECEIVED] is False
    sent_referral(submit, django_capture_on_commit_callbacks)
    assert len(smtp_server.to(admin.email)) == 1


def test_the_unread_count_is_one_query(
    org: Any,
    attorney_of: Callable[..., Any],
    admin_of: Callable[..., Any],
    open_case: Callable[..., Case],
    django_assert_num_queries: Any,
) -> None:
    lead = attorney_of(org)
    open_case(org, lead, by=admin_of(org))
    with django_assert_num_queries(1):
        assert unread_count(fetched_by=lead) == 1


def test_events_run_twice_notify_once(make_provider: Any, submit: Any) -> None:
    _org, admin, _profile = make_provider()
    referral = route(submit().help_request)
    assert events.referral_sent(referral) == []
    assert Notification.objects.filter(recipient=admin).count() == 1
