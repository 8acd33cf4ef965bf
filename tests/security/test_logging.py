"""Logs and error reports never carry emails, phone numbers or A-numbers."""

from __future__ import annotations

import io
import logging
import sys

import pytest
from django.core import mail
from django.test import Client, RequestFactory, override_settings

from amparo.core.logging import MASK, MaskProtectedFilter, mask
from amparo.core.security import ProtectedExceptionReporter

pytestmark = pytest.mark.django_db

EMAIL = "ana.lopez+case@example.org"
PHONES = [
    "(303) 555-0142",
    "303-555-0142",
    "303.555.0142",
    "+1 303 555 0142",
    "3035550142",
    "555-0142",
]
A_NUMBERS = ["A123456789", "A-123-456-789", "A 123 456 789", "a123456789", "A#12345678"]
PROTECTED = [EMAIL, *PHONES, *A_NUMBERS]
#: Fragments none of which may survive masking.
FRAGMENTS = [
    "ana.lopez",
    "@example.org",
    "555-0142",
    "555 0142",
    "555.0142",
    "5550142",
    "123456789",
    "123-456-789",
    "123 456 789",
    "12345678",
]


def assert_clean(text: str) -> None:
    for fragment in FRAGMENTS:
        assert fragment not in text, f"{fragment!r} leaked into: {text!r}"


@pytest.mark.parametrize("value", PROTECTED)
def test_mask_hides_each_format(value: str) -> None:
    masked = mask(f"before {value} after")
    assert masked == f"before {MASK} after"


def test_mask_leaves_ordinary_text_alone() -> None:
    text = "user_id=42 took 35 ms on /organizations/legal-services-3/ (request 9f2c)"
    assert mask(text) == text


def test_log_messages_are_masked_in_caplog(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("amparo.tests.security")
    with caplog.at_level(logging.INFO, logger="amparo"):
        logger.info("client wrote from %s, call %s or %s", EMAIL, PHONES[0], PHONES[3])
        logger.info("A-number %s and %s on file; also %s", A_NUMBERS[0], A_NUMBERS[1], PHONES[2])
        logger.warning("dict args: %(email)s", {"email": EMAIL})
    assert len(caplog.records) == 3
    for record in caplog.records:
        assert MASK in record.getMessage()
        assert_clean(record.getMessage())
    assert_clean(caplog.text)


def test_exception_tracebacks_are_masked(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("amparo.tests.security")
    with caplog.at_level(logging.ERROR, logger="amparo"):
        try:
            raise ValueError(f"no client for {EMAIL} / {A_NUMBERS[1]} / {PHONES[1]}")
        except ValueError:
            logger.exception("lookup failed")
    (record,) = caplog.records
    assert record.exc_text is not None
    assert "ValueError: no client for [masked]" in record.exc_text
    assert "Traceback" in record.exc_text
    assert_clean(record.exc_text)
    assert_clean(caplog.text)
    formatted = logging.Formatter("%(message)s").format(record)
    assert_clean(formatted)


def test_stack_info_is_masked(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("amparo.tests.security")
    with caplog.at_level(logging.INFO, logger="amparo"):
        phone = PHONES[4]  # noqa: F841 - shows up in no stack line, but the message has it
        logger.info("stack for %s", EMAIL, stack_info=True)
    assert_clean(caplog.records[0].getMessage())
    assert caplog.records[0].stack_info


def test_the_configured_console_handler_writes_masked_lines() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        logging.getLogger("amparo.tests.security").warning("reach %s at %s", EMAIL, PHONES[0])
    finally:
        root.removeHandler(handler)
    line = stream.getvalue()
    assert "WARNING amparo.tests.security reach [masked] at [masked]" in line
    # the project's own console handler carries the filter as well
    console = [
        h for h in root.handlers if any(isinstance(f, MaskProtectedFilter) for f in h.filters)
    ]
    assert console


def test_the_filter_masks_records_made_elsewhere() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "to %s", (EMAIL,), None)
    assert MaskProtectedFilter().filter(record) is True
    assert record.getMessage() == "to [masked]"


# --- Django's request logging --------------------------------------------------------------------

QUERY = {"email": EMAIL, "phone": PHONES[0], "a_number": A_NUMBERS[0]}


def test_a_404_is_logged_without_its_query_string(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/no-such-page/", QUERY)
    assert response.status_code == 404
    records = [r for r in caplog.records if r.name == "django.request"]
    assert [r.getMessage() for r in records] == ["Not Found: /no-such-page/"]
    assert_clean(caplog.text)


@override_settings(ROOT_URLCONF="tests.security.urls")
def test_a_500_is_logged_without_its_query_string_or_protected_values(
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/__tests__/boom/", QUERY)
    assert response.status_code == 500
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.getMessage() == "Internal Server Error: /__tests__/boom/"
    assert record.exc_text is not None
    assert "RuntimeError: boom for [masked] [masked]" in record.exc_text
    assert_clean(caplog.text)
    assert_clean(response.content.decode())


# --- Error reports (emails to ADMINS and anything built on Django's reporter) ----------------------


@override_settings(ROOT_URLCONF="tests.security.urls", ADMINS=[("Ops", "ops@amparo.invalid")])
def test_the_admins_error_email_carries_no_protected_values() -> None:
    client = Client(raise_request_exception=False)
    client.cookies["amparo_note"] = EMAIL
    response = client.post(
        "/__tests__/boom/?" + "&".join(f"{k}={v}" for k, v in QUERY.items()),
        {"client_phone": PHONES[1], "client_email": EMAIL},
        HTTP_REFERER=f"http://testserver/search/?q={A_NUMBERS[0]}",
        HTTP_X_NOTE=f"{EMAIL} {PHONES[2]}",
    )
    assert response.status_code == 500
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "Internal Server Error: /__tests__/boom/" in message.subject
    bodies = [message.body] + [content for content, _type in getattr(message, "alternatives", [])]
    for body in bodies:
        assert_clean(body)
        assert "Ana Lopez" not in body  # the view's local variable


def test_the_reporter_hides_queries_posts_cookies_locals_and_the_user() -> None:
    request = RequestFactory().post(
        f"/clients/?email={EMAIL}", {"phone": PHONES[0]}, HTTP_COOKIE=f"n={A_NUMBERS[0]}"
    )

    class Staff:
        pk = 7
        is_authenticated = True

        def __str__(self) -> str:
            return "intake.worker@example.org"

    request.user = Staff()  # type: ignore[assignment]
    try:
        client_name = " ".join(["Ana", "Lopez"])  # noqa: F841 - a local the report must hide
        raise KeyError(f"{A_NUMBERS[2]} not found")
    except KeyError:
        reporter = ProtectedExceptionReporter(request, *sys.exc_info())
    text = reporter.get_traceback_text()
    html = reporter.get_traceback_html()
    for report in (text, html):
        assert_clean(report)
        assert "Ana Lopez" not in report
        assert "intake.worker" not in report
    assert "user #7" in text
    assert "KeyError" in text


@pytest.mark.parametrize(
    "uuid",
    [
        "3fa8b6bd-6a85-4f34-a043-1234567890ab",
        "a0123456-7890-4abc-8def-123456789012",
        "00000000-0000-0000-0000-000000000001",
        "3FA8B6BD-6A85-4F34-A043-1234567890AB",
    ],
)
def test_mask_keeps_uuids_whole(uuid: str) -> None:
    # Finding 12 of issue #15: their digit runs were masked as phone numbers.
    line = f"case={uuid} request {uuid}, phone 303-555-0142 a@b.org"
    assert mask(line) == f"case={uuid} request {uuid}, phone {MASK} {MASK}"


def test_a_log_line_is_one_line_in_utc_with_the_request_id() -> None:
    import logging as std_logging

    from amparo.core.logging import LineFormatter, request_id_var

    record = std_logging.LogRecord(
        "amparo.test", std_logging.INFO, __file__, 1, "typed %s", ("x\r\nFAKE ERROR line",), None
    )
    record.created = 1780000000.25  # 2026-05-28T20:26:40.250Z
    record.msecs = 250
    token = request_id_var.set("0123456789abcdef")
    try:
        line = LineFormatter().format(record)
    finally:
        request_id_var.reset(token)
    assert line == (
        "2026-05-28T20:26:40.250Z INFO amparo.test [0123456789abcdef] typed x\\r\\nFAKE ERROR line"
    )
    assert "\n" not in line
