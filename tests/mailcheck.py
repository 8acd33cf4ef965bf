"""What every mail of the fund must say, and must never say (amparo.core.identity), and the
real local SMTP server mails are delivered to in tests (the ``smtp_server`` fixture)."""

from __future__ import annotations

import email
import email.policy
import re
import socket
from collections.abc import Iterator
from typing import Any

from aiosmtpd.controller import Controller
from django.core.mail import EmailMessage

#: Hosts a mail names only when it was built from a request or Django's defaults.
FOREIGN_HOSTS = ("127.0.0.1", "localhost", "testserver", "example.com")


def assert_speaks_as_the_fund(message: EmailMessage, fund: dict[str, str]) -> None:
    """The fund's name is in the sender and the text, no stray host is, and every link starts
    with the configured public address."""
    text = f"{message.subject}\n{message.body}"
    assert message.from_email == f"{fund['FUND_NAME']} <no-reply@fondo.amparo.test>"
    assert fund["FUND_NAME"] in text, text
    for host in FOREIGN_HOSTS:
        assert host not in text, (host, text)
    for link in re.findall(r"https?://\S+", text):
        assert link.startswith(fund["SITE_URL"] + "/"), link


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        """The messages delivered to ``address``, parsed."""
        return [
            email.message_from_bytes(content, policy=email.policy.default)  # type: ignore[misc]
            for _from, rcpt, content in self.messages
            if address in rcpt
        ]


def body_of(message: email.message.EmailMessage) -> str:
    return str(message.get_body().get_content())  # type: ignore[union-attr]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def smtp_inbox(settings: Any) -> Iterator[Inbox]:
    """Start aiosmtpd on a free local port and point Django's SMTP backend at it."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = False, "", ""
    try:
        yield inbox
    finally:
        controller.stop()
