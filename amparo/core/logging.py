"""Log lines never carry protected values: emails, phone numbers and A-numbers are masked.

Masking happens when a record is created (``configure_logging`` installs a log record
factory, named by ``LOGGING_CONFIG`` in the settings), so every handler sees the masked
record: the console, the admins' error emails, pytest's caplog, anything added later. The
message, the traceback text of an exception (``exc_text``) and the stack text are masked.
``MaskProtectedFilter`` does the same for handlers configured elsewhere.
"""

from __future__ import annotations

import contextvars
import logging
import logging.config
import re
import time
from collections.abc import Callable
from typing import Any

MASK = "[masked]"

#: The current request's id (set by ``RequestIdMiddleware``), for audit events and log lines.
request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar(
    "amparo_request_id", default=""
)

_PATTERNS = [
    # email
    re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"),
    # A-number: A123456789, A-123-456-789, A 123 456 789, A#12345678 (8 digits: older numbers)
    re.compile(r"\bA\s?[-#]?\s?\d{3}[- ]?\d{3}[- ]?\d{2,3}\b", re.IGNORECASE),
    # phones and other long numbers: 7 digits or more, with the usual separators between them
    # ((303) 555-0142, 303.555.0142, +1 303 555 0142, 3035550142, 555-0142). Dates of birth
    # written as 1990-04-01 are caught too, on purpose.
    re.compile(r"\+?\(?\d(?:[ ()./-]{0,2}\d){6,}\)?"),
]


# Identifiers are not protected data, and their digit runs look like phone numbers: a UUID is
# kept whole, so a log line still names the case or request it is about.
_UUID = re.compile(
    r"(?<![0-9A-Za-z-])[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
    r"(?![0-9A-Za-z-])"
)


def _mask_part(text: str) -> str:
    for pattern in _PATTERNS:
        text = pattern.sub(MASK, text)
    return text


def mask(text: str) -> str:
    """``text`` with every email, A-number and phone-like number replaced by ``[masked]``;
    UUIDs are left whole."""
    out: list[str] = []
    start = 0
    for found in _UUID.finditer(text):
        out.append(_mask_part(text[start : found.start()]))
        out.append(found.group())
        start = found.end()
    out.append(_mask_part(text[start:]))
    return "".join(out)


_FORMATTER = logging.Formatter()


def mask_record(record: logging.LogRecord) -> logging.LogRecord:
    """Mask ``record`` in place (message, exception text, stack text); safe to call twice."""
    if getattr(record, "_amparo_masked", False):
        return record
    try:
        message = record.getMessage()
    except Exception:  # a malformed record is still logged, as its bare template
        message = str(record.msg)
    masked = mask(message)
    if masked != message:
        record.msg = masked
        record.args = None
    if record.exc_info and not record.exc_text:
        # Formatters reuse exc_text when it is set, so the traceback is rendered (and masked)
        # once, here, instead of in each handler.
        record.exc_text = _FORMATTER.formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = mask(record.exc_text)
    if record.stack_info:
        record.stack_info = mask(record.stack_info)
    record._amparo_masked = True
    return record


class MaskProtectedFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        mask_record(record)
        return True


def install_masking_record_factory() -> None:
    """Make every new log record masked at birth. Installing twice is harmless."""
    current: Callable[..., logging.LogRecord] = logging.getLogRecordFactory()
    if getattr(current, "_amparo_masking", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return mask_record(current(*args, **kwargs))

    factory._amparo_masking = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


def configure_logging(config: dict[str, Any]) -> None:
    """``LOGGING_CONFIG``: Django's dictConfig of ``LOGGING``, plus masking at the source."""
    logging.config.dictConfig(config)
    install_masking_record_factory()


class LineFormatter(logging.Formatter):
    """One line per record: UTC time (ISO 8601), level, logger, the request's id, the message.

    The request id ties a log line to the audit events of the same request. Carriage returns
    and line feeds in the message are written as ``\\r`` and ``\\n``, so a value that reached a
    message cannot forge a second log line; a traceback follows on its own indented lines.
    """

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
        return f"{stamp}.{int(record.msecs):03d}Z"

    def format(self, record: logging.LogRecord) -> str:
        record.request_id = request_id_var.get() or "-"
        message = record.getMessage().replace("\r", "\\r").replace("\n", "\\n")
        line = self.formatMessage(_with(record, message=message, asctime=self.formatTime(record)))
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line += "\n" + "\n".join("    " + part for part in record.exc_text.splitlines())
        return line


def _with(record: logging.LogRecord, **values: Any) -> logging.LogRecord:
    copy = logging.makeLogRecord(record.__dict__)
    copy.__dict__.update(values)
    return copy
