"""What every mail of the fund must say, and must never say (amparo.core.identity)."""

from __future__ import annotations

import re

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
