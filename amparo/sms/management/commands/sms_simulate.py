"""`amparo sms-simulate --from +17205550123 "AYUDA"`: post a signed Twilio webhook, as Twilio
would, and print the answer. Signed with ``AMPARO_TWILIO_AUTH_TOKEN`` (the demo's own token in
the local settings); sent through Django's test client, or with ``--server`` to a running
``amparo serve``. Outgoing texts (reminders, replies from staff) land in ``var/sms/``."""

from __future__ import annotations

import secrets
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from twilio.request_validator import RequestValidator


class Command(BaseCommand):
    help = "Post a signed Twilio inbound-text webhook and print the reply (demo and checks)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("text", help="the message's text")
        parser.add_argument("--from", dest="sender", required=True, help="E.164, e.g. +17205550123")
        parser.add_argument("--to", default="", help="the fund's number (AMPARO_SMS_FROM)")
        parser.add_argument("--sid", default="", help="MessageSid (default: a new random one)")
        parser.add_argument("--server", default="", help="post to this running server's origin")
        parser.add_argument("--unsigned", action="store_true", help="send no signature (403)")

    def handle(self, *args: Any, **options: Any) -> None:
        token = getattr(settings, "AMPARO_TWILIO_AUTH_TOKEN", "")
        if not token and not options["unsigned"]:
            raise CommandError("Set AMPARO_TWILIO_AUTH_TOKEN: the webhook checks its signature.")
        path = reverse("sms:twilio-inbound")
        site = str(settings.AMPARO.get("SITE_URL", "")).rstrip("/")
        params = {
            "From": options["sender"],
            "To": options["to"] or getattr(settings, "AMPARO_SMS_FROM", "") or "+15005550006",
            "Body": options["text"],
            "MessageSid": options["sid"] or "SM" + secrets.token_hex(16),
            "NumMedia": "0",
        }
        headers = {}
        if not options["unsigned"]:
            headers["X-Twilio-Signature"] = RequestValidator(token).compute_signature(
                site + path, params
            )
        status, content = (
            self._post_server(options["server"], path, params, headers)
            if options["server"]
            else self._post_client(site, path, params, headers)
        )
        self.stdout.write(f"HTTP {status}")
        if status != 200:
            return
        for message in ET.fromstring(content).iter("Message"):  # noqa: S314 (our own answer)
            self.stdout.write(f"> {message.text or ''}")

    def _post_client(
        self, site: str, path: str, params: dict[str, str], headers: dict[str, str]
    ) -> tuple[int, str]:
        from django.test import Client

        parsed = urllib.parse.urlsplit(site)
        response = Client().post(
            path,
            params,
            secure=parsed.scheme == "https",
            headers=headers,
            SERVER_NAME=parsed.hostname or "127.0.0.1",
            SERVER_PORT=str(parsed.port or (443 if parsed.scheme == "https" else 80)),
        )
        return response.status_code, response.content.decode()

    def _post_server(
        self, server: str, path: str, params: dict[str, str], headers: dict[str, str]
    ) -> tuple[int, str]:
        request = urllib.request.Request(  # noqa: S310 (an operator's own URL)
            server.rstrip("/") + path,
            data=urllib.parse.urlencode(params).encode(),
            headers={**headers, "Content-Type": "application/x-www-form-urlencoded"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
                return answer.status, answer.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, ""
