"""Text messages through one small interface; the provider is a setting.

``settings.AMPARO_SMS_PROVIDER`` names the adapter: ``file`` (the default: each message is a
JSON file under ``var/sms/``, like Django's file email backend, for the demo), ``twilio``
(:class:`TwilioSmsBackend`, through Twilio's maintained library), ``memory`` (tests), or the
dotted path of another :class:`SmsBackend` (a second provider is one class with ``send``).
"""

from __future__ import annotations

import json
import os
import secrets
import threading
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

PROVIDERS: dict[str, str] = {
    "file": "amparo.sms.providers.FileSmsBackend",
    "twilio": "amparo.sms.providers.TwilioSmsBackend",
    "memory": "amparo.sms.providers.MemorySmsBackend",
}


class SmsError(Exception):
    """The message was not accepted; ``code`` says why without any personal data."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class SmsBackend(ABC):
    """Send one text message. Returns the provider's message id; raises ``SmsError``."""

    #: Whether the provider calls our delivery-status URL back (the file adapter does not).
    reports_delivery: ClassVar[bool] = False

    @abstractmethod
    def send(self, *, to: str, body: str) -> str: ...


class FileSmsBackend(SmsBackend):
    """The demo's outbox: one JSON file per message in ``VAR_DIR/sms`` (folder mode 0700)."""

    def __init__(self, folder: str | os.PathLike[str] | None = None) -> None:
        self.folder = Path(folder or Path(settings.VAR_DIR) / "sms")

    def send(self, *, to: str, body: str) -> str:
        if not self.folder.exists():
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        message_id = f"file-{timezone.now():%Y%m%d%H%M%S}-{secrets.token_hex(4)}"
        path = self.folder / f"{message_id}.json"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({"to": to, "body": body, "id": message_id}, handle, ensure_ascii=False)
        return message_id


@dataclass(frozen=True)
class SentSms:
    to: str
    body: str
    id: str


class MemorySmsBackend(SmsBackend):
    """Keeps messages in ``outbox`` (a class attribute, like Django's locmem email backend)."""

    outbox: ClassVar[list[SentSms]] = []
    _lock = threading.Lock()

    def send(self, *, to: str, body: str) -> str:
        message_id = f"mem-{secrets.token_hex(6)}"
        with self._lock:
            self.outbox.append(SentSms(to=to, body=body, id=message_id))
        return message_id


def status_callback_url() -> str:
    """The absolute URL Twilio posts delivery statuses to (``AMPARO["SITE_URL"]`` + path)."""
    site = str(settings.AMPARO.get("SITE_URL", "")).rstrip("/")
    return site + reverse("sms:twilio-status")


def _rebased_http_client(base: str) -> Any:
    """Twilio's own HTTP client, sending to ``base`` instead of ``https://api.twilio.com``: a
    regional proxy, or a local stand-in in tests. Everything else (auth, form encoding, the
    answer's parsing) stays the library's."""
    from twilio.http.http_client import TwilioHttpClient

    class RebasedHttpClient(TwilioHttpClient):  # type: ignore[misc]
        def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
            for origin in ("https://api.twilio.com",):
                if url.startswith(origin):
                    url = base.rstrip("/") + url[len(origin) :]
            return super().request(method, url, *args, **kwargs)

    return RebasedHttpClient(timeout=10)


class TwilioSmsBackend(SmsBackend):
    """Twilio's Programmable Messaging through ``twilio.rest.Client``.

    Settings: ``AMPARO_TWILIO_ACCOUNT_SID``, ``AMPARO_TWILIO_AUTH_TOKEN``, ``AMPARO_SMS_FROM``
    (the sending number, E.164, or a Messaging Service SID ``MG...``). Each message asks for
    delivery statuses at ``/sms/twilio/status/``. ``AMPARO_TWILIO_API_BASE`` (optional) points
    the library at another origin than ``https://api.twilio.com``.
    """

    reports_delivery = True

    def __init__(self) -> None:
        from twilio.rest import Client

        sid = getattr(settings, "AMPARO_TWILIO_ACCOUNT_SID", "")
        token = getattr(settings, "AMPARO_TWILIO_AUTH_TOKEN", "")
        self.sender = getattr(settings, "AMPARO_SMS_FROM", "")
        if not (sid and token and self.sender):
            raise ImproperlyConfigured(
                "AMPARO_SMS_PROVIDER=twilio needs AMPARO_TWILIO_ACCOUNT_SID, "
                "AMPARO_TWILIO_AUTH_TOKEN and AMPARO_SMS_FROM."
            )
        base = getattr(settings, "AMPARO_TWILIO_API_BASE", "")
        http_client = _rebased_http_client(base) if base else None
        self.client = Client(sid, token, http_client=http_client)

    def send(self, *, to: str, body: str) -> str:
        from twilio.base.exceptions import TwilioException, TwilioRestException

        sender: dict[str, str] = (
            {"messaging_service_sid": self.sender}
            if self.sender.startswith("MG")
            else {"from_": self.sender}
        )
        try:
            message = self.client.messages.create(
                to=to, body=body, status_callback=status_callback_url(), **sender
            )
        except TwilioRestException as exc:  # its text may echo the number: keep the code only
            raise SmsError(f"twilio-{exc.code or exc.status}") from None
        except TwilioException:
            raise SmsError("twilio-error") from None
        except OSError:
            raise SmsError("twilio-unreachable") from None
        return str(message.sid)


def get_sms_backend(**kwargs: Any) -> SmsBackend:
    name = str(getattr(settings, "AMPARO_SMS_PROVIDER", "") or "file")
    path = PROVIDERS.get(name, name)
    try:
        cls = import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(f"Unknown AMPARO_SMS_PROVIDER {name!r}") from exc
    backend: SmsBackend = cls(**kwargs)
    return backend
