"""Text messages through one small interface; the provider is a setting.

``settings.AMPARO_SMS_BACKEND`` names the adapter (a dotted path; default: the file adapter,
which writes each message to ``var/sms/`` like Django's file email backend, for the demo).
A real provider (Twilio, Vonage, a local gateway) is one class with a ``send`` method.
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
from django.utils import timezone
from django.utils.module_loading import import_string

DEFAULT_BACKEND = "amparo.notify.sms.FileSmsBackend"


class SmsError(Exception):
    """The message was not accepted; ``code`` says why without any personal data."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class SmsBackend(ABC):
    """Send one text message. Returns the provider's message id; raises ``SmsError``."""

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


def get_sms_backend(**kwargs: Any) -> SmsBackend:
    path = getattr(settings, "AMPARO_SMS_BACKEND", "") or DEFAULT_BACKEND
    backend: SmsBackend = import_string(path)(**kwargs)
    return backend
