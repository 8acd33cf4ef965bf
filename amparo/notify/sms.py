"""The text-message adapters live in :mod:`amparo.sms.providers` (the SMS channel's app); this
module keeps the names notify has always imported."""

from __future__ import annotations

from amparo.sms.providers import (
    FileSmsBackend,
    MemorySmsBackend,
    SentSms,
    SmsBackend,
    SmsError,
    get_sms_backend,
)

__all__ = [
    "FileSmsBackend",
    "MemorySmsBackend",
    "SentSms",
    "SmsBackend",
    "SmsError",
    "get_sms_backend",
]
