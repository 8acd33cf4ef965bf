"""Finding 12 of issue #15 (second round): security.txt's Policy link must lead somewhere."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


def _policy(body: str) -> list[str]:
    return [
        line.split(":", 1)[1].strip() for line in body.splitlines() if line.startswith("Policy:")
    ]


def test_security_txt_names_no_policy_page_that_does_not_exist() -> None:
    body = Client().get("/.well-known/security.txt").content.decode()
    for url in _policy(body):
        parts = urlsplit(url)
        if parts.hostname in {"testserver", None}:
            assert Client().get(parts.path).status_code == 200, url


def test_a_configured_policy_url_is_named() -> None:
    from django.conf import settings

    amparo = {**settings.AMPARO, "SECURITY_POLICY_URL": "https://fund.example.org/security-policy"}
    with override_settings(AMPARO=amparo):
        body = Client().get("/.well-known/security.txt").content.decode()
    assert _policy(body) == ["https://fund.example.org/security-policy"]
