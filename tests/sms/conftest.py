"""The text channel's tests: signed webhooks posted through Django's test client, the memory
adapter for what leaves, intake's fixtures for the requests a text is about."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from twilio.request_validator import RequestValidator

from amparo.sms.providers import MemorySmsBackend, SentSms
from tests.intake.helpers import (  # noqa: F401  (fixtures)
    fake,
    fresh_rules_cache,
    make_provider,
    policy,
    submit,
    vault_keys,
)

TOKEN = "test-auth-token-0123456789abcdef"
SITE = "https://amparo.example.org"

Post = Callable[..., Any]


@pytest.fixture(autouse=True)
def _conversation_handlers_restored() -> Any:
    """Tests here put their own conversation handlers in place; the ones the apps registered
    (the text intake's) are back afterwards, for the tests that run next in this process."""
    from amparo.sms import hooks

    saved = list(hooks.CONVERSATION_HANDLERS)
    yield
    hooks.CONVERSATION_HANDLERS[:] = saved


@pytest.fixture(autouse=True)
def sms_settings(settings: Any) -> list[SentSms]:
    settings.AMPARO_SMS_PROVIDER = "memory"
    settings.AMPARO_TWILIO_AUTH_TOKEN = TOKEN
    settings.AMPARO = {**settings.AMPARO, "SITE_URL": SITE, "HOTLINE": "720-555-0100"}
    settings.AMPARO_RATE_LIMITS = {}
    MemorySmsBackend.outbox.clear()
    return MemorySmsBackend.outbox


def sign(path: str, params: dict[str, str], token: str = TOKEN) -> str:
    return str(RequestValidator(token).compute_signature(SITE + path, params))


@pytest.fixture
def text_in(db: Any) -> Post:
    """text_in(body, phone=..., sid=..., signed=True) -> the webhook's response."""
    client = Client()

    def _post(
        body: str,
        *,
        phone: str = "+17205550123",
        sid: str = "",
        signed: bool = True,
        signature: str | None = None,
    ) -> Any:
        path = "/sms/twilio/inbound/"
        params = {
            "From": phone,
            "To": "+17205550000",
            "Body": body,
            "MessageSid": sid or "SM" + secrets.token_hex(16),
        }
        headers = {}
        if signature is not None:
            headers["HTTP_X_TWILIO_SIGNATURE"] = signature
        elif signed:
            headers["HTTP_X_TWILIO_SIGNATURE"] = sign(path, params)
        return client.post(path, params, **headers)

    return _post


def replies(response: Any) -> list[str]:
    import xml.etree.ElementTree as ET

    assert response.status_code == 200, response.status_code
    return [m.text or "" for m in ET.fromstring(response.content).iter("Message")]
