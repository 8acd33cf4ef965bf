"""`amparo sms-simulate`: the demo's signed webhook, as the lead checks it."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from amparo.sms.models import SmsMessage, SmsNumber
from tests.clock import frozen

pytestmark = [pytest.mark.django_db, frozen]


def simulate(*args: str) -> str:
    out = StringIO()
    call_command("sms_simulate", *args, stdout=out)
    return out.getvalue()


def test_signed_help_status_code_and_stop(submit: Any) -> None:
    assert simulate("AYUDA", "--from", "+17205550123").startswith("HTTP 200\n> ")
    submission = submit(language="es")
    answer = simulate(submission.status_code, "--from", "+17205550123")
    assert "HTTP 200" in answer and "Estamos buscando" in answer
    assert "No recibirá más" in simulate("ALTO", "--from", "+17205550123")
    assert simulate("AYUDA", "--from", "+17205550123") == "HTTP 200\n"  # silence after STOP
    assert SmsNumber.objects.get().opted_out_at is not None


def test_unsigned_is_refused(db: Any) -> None:
    assert simulate("HELP", "--from", "+17205550123", "--unsigned") == "HTTP 403\n"
    assert SmsMessage.objects.count() == 0


def test_the_same_sid_twice(db: Any) -> None:
    sid = "SM" + "b" * 32
    assert "> " in simulate("HELP", "--from", "+17205550123", "--sid", sid)
    assert simulate("HELP", "--from", "+17205550123", "--sid", sid) == "HTTP 200\n"
