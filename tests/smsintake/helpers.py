"""A phone that texts the handler directly (the webhook is the SMS channel's)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.utils import timezone
from faker import Faker

from amparo.sms.hooks import CONVERSATION_HANDLERS, Inbound, Outcome
from amparo.smsintake.services import conversation_handle


@dataclass
class Phone:
    number: str
    language: str = "en"
    at: datetime.datetime = field(default_factory=timezone.now)
    outcomes: list[Outcome] = field(default_factory=list)

    def text(self, body: str) -> list[str]:
        outcome = conversation_handle(
            Inbound(
                phone=self.number, body=body.strip(), language=self.language, received_at=self.at
            )
        )
        assert outcome is not None
        self.language = outcome.language
        self.outcomes.append(outcome)
        self.at += datetime.timedelta(seconds=30)
        return outcome.replies

    def wait(self, delta: datetime.timedelta) -> None:
        self.at += delta


def new_number() -> str:
    """A synthetic US number in the 555-01xx fiction range."""
    return f"+1303555{Faker().random_int(100, 199):04d}"


@pytest.fixture
def phone() -> Phone:
    assert conversation_handle in CONVERSATION_HANDLERS  # registered by the app's ready()
    return Phone(new_number())


MakePhone = Callable[..., Phone]
