"""Log lines never carry protected values: emails, phone numbers and A-numbers are masked."""

from __future__ import annotations

import logging
import re

_PATTERNS = [
    re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"),  # email
    re.compile(r"\+?\d[\d ()\-.]{7,}\d"),  # phone-like runs of digits
    re.compile(r"\bA[- ]?\d{3}[- ]?\d{3}[- ]?\d{2,3}\b", re.IGNORECASE),  # A-number
]


def mask(text: str) -> str:
    for pattern in _PATTERNS:
        text = pattern.sub("[masked]", text)
    return text


class MaskProtectedFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is still logged, as its bare template
            message = str(record.msg)
        masked = mask(message)
        if masked != message:
            record.msg = masked
            record.args = None
        return True
