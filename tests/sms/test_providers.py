"""The adapters: Twilio's real library against a local stand-in for its REST API, the file
adapter, the setting that chooses, and the segment counter."""

from __future__ import annotations

import base64
import json
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from amparo.sms import texts
from amparo.sms.providers import (
    FileSmsBackend,
    MemorySmsBackend,
    SmsError,
    TwilioSmsBackend,
    get_sms_backend,
)
from amparo.sms.segments import segments

SID = "AC" + "0" * 32
TOKEN = "stand-in-token"


class FakeTwilio(BaseHTTPRequestHandler):
    """Twilio's Messages endpoint as its documentation shows it: form POST, basic auth, 201."""

    received: list[dict[str, Any]] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
        auth = base64.b64decode(self.headers.get("Authorization", "Basic ")[6:]).decode()
        self.received.append({"path": self.path, "form": form, "auth": auth})
        if form.get("To") == "+15005550001":  # Twilio's magic "invalid number"
            status, answer = (
                400,
                {
                    "code": 21211,
                    "message": "Invalid 'To' Phone Number",
                    "more_info": "https://www.twilio.com/docs/errors/21211",
                    "status": 400,
                },
            )
        else:
            status, answer = (
                201,
                {
                    "sid": "SM" + "f" * 32,
                    "status": "queued",
                    "to": form["To"],
                    "body": form["Body"],
                    "account_sid": SID,
                },
            )
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        return


@pytest.fixture
def twilio_api(settings: Any) -> Iterator[list[dict[str, Any]]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeTwilio)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeTwilio.received = []
    settings.AMPARO_SMS_PROVIDER = "twilio"
    settings.AMPARO_TWILIO_ACCOUNT_SID = SID
    settings.AMPARO_TWILIO_AUTH_TOKEN = TOKEN
    settings.AMPARO_SMS_FROM = "+17205550000"
    settings.AMPARO_TWILIO_API_BASE = f"http://127.0.0.1:{server.server_address[1]}"
    settings.AMPARO = {**settings.AMPARO, "SITE_URL": "https://amparo.example.org"}
    try:
        yield FakeTwilio.received
    finally:
        server.shutdown()
        server.server_close()


def test_twilio_sends_through_its_library_with_our_status_callback(
    twilio_api: list[dict[str, Any]],
) -> None:
    backend = get_sms_backend()
    assert isinstance(backend, TwilioSmsBackend) and backend.reports_delivery
    assert backend.send(to="+17205550123", body="Hola ñ") == "SM" + "f" * 32
    [call] = twilio_api
    assert call["path"] == f"/2010-04-01/Accounts/{SID}/Messages.json"
    assert call["auth"] == f"{SID}:{TOKEN}"
    assert call["form"] == {
        "To": "+17205550123",
        "From": "+17205550000",
        "Body": "Hola ñ",
        "StatusCallback": "https://amparo.example.org/sms/twilio/status/",
    }


def test_twilio_refusals_become_a_code_without_the_number(
    twilio_api: list[dict[str, Any]],
) -> None:
    with pytest.raises(SmsError) as refused:
        get_sms_backend().send(to="+15005550001", body="x")
    assert refused.value.code == "twilio-21211" and "5550001" not in str(refused.value)


def test_a_messaging_service_sends_instead_of_a_number(
    twilio_api: list[dict[str, Any]], settings: Any
) -> None:
    settings.AMPARO_SMS_FROM = "MG" + "1" * 32
    get_sms_backend().send(to="+17205550123", body="x")
    assert twilio_api[0]["form"]["MessagingServiceSid"] == "MG" + "1" * 32
    assert "From" not in twilio_api[0]["form"]


def test_twilio_unreachable(settings: Any) -> None:
    settings.AMPARO_SMS_PROVIDER = "twilio"
    settings.AMPARO_TWILIO_ACCOUNT_SID = SID
    settings.AMPARO_TWILIO_AUTH_TOKEN = TOKEN
    settings.AMPARO_SMS_FROM = "+17205550000"
    settings.AMPARO_TWILIO_API_BASE = "http://127.0.0.1:9"  # discard: nothing listens
    with pytest.raises(SmsError) as refused:
        get_sms_backend().send(to="+17205550123", body="x")
    assert refused.value.code.startswith("twilio-")


def test_twilio_needs_its_settings(settings: Any) -> None:
    settings.AMPARO_SMS_PROVIDER = "twilio"
    settings.AMPARO_TWILIO_ACCOUNT_SID = ""
    with pytest.raises(ImproperlyConfigured):
        get_sms_backend()


def test_the_file_adapter_is_the_default(settings: Any, tmp_path: Path) -> None:
    settings.AMPARO_SMS_PROVIDER = "file"
    settings.VAR_DIR = tmp_path
    backend = get_sms_backend()
    assert isinstance(backend, FileSmsBackend) and not backend.reports_delivery
    message_id = backend.send(to="+17205550123", body="¿Hola?")
    written = json.loads((tmp_path / "sms" / f"{message_id}.json").read_text("utf-8"))
    assert written == {"to": "+17205550123", "body": "¿Hola?", "id": message_id}
    assert (tmp_path / "sms").stat().st_mode & 0o777 == 0o700


def test_memory_and_dotted_paths(settings: Any) -> None:
    settings.AMPARO_SMS_PROVIDER = "amparo.sms.providers.MemorySmsBackend"
    assert isinstance(get_sms_backend(), MemorySmsBackend)
    settings.AMPARO_SMS_PROVIDER = "nope"
    with pytest.raises(ImproperlyConfigured):
        get_sms_backend()


@pytest.mark.parametrize(
    ("text", "encoding", "units", "count"),
    [
        ("", "GSM-7", 0, 0),
        ("a" * 160, "GSM-7", 160, 1),
        ("a" * 161, "GSM-7", 161, 2),
        ("a" * 306, "GSM-7", 306, 2),
        ("a" * 307, "GSM-7", 307, 3),
        ("€" * 80, "GSM-7", 160, 1),  # each extension character costs two
        ("é ñ ü à è ì ò ù", "GSM-7", 15, 1),
        ("á", "UCS-2", 1, 1),
        ("я" * 70, "UCS-2", 70, 1),
        ("я" * 71, "UCS-2", 71, 2),
        ("😀" * 35, "UCS-2", 70, 1),  # outside the BMP: two UTF-16 units each
    ],
)
def test_segments(text: str, encoding: str, units: int, count: int) -> None:
    counted = segments(text)
    assert (counted.encoding, counted.units, counted.count) == (encoding, units, count)


@pytest.mark.parametrize("language", ["en", "es", "pt", "fr", "ht", "ar", "ru"])
def test_every_reply_is_translated_and_short(language: str, settings: Any) -> None:
    settings.AMPARO = {**settings.AMPARO, "FUND_NAME": "Amparo", "HOTLINE": "720-555-0100"}
    english = [
        texts.help_text("en"),
        texts.stop_text("en"),
        texts.start_text("en"),
        texts.unknown_code_text("en"),
    ]
    replies = [
        texts.help_text(language),
        texts.stop_text(language),
        texts.start_text(language),
        texts.unknown_code_text(language),
    ]
    settings.AMPARO = {**settings.AMPARO, "HOTLINE": ""}
    replies.append(texts.help_text(language))
    english.append(texts.help_text("en"))
    if language != "en":
        assert not set(replies) & set(english), "an English reply was left untranslated"
    for reply in replies:
        counted = segments(reply)
        if counted.encoding == "GSM-7":
            assert counted.count == 1, reply  # 160 characters where the alphabet allows
        else:
            assert counted.count <= 3, reply  # accents or another script: UCS-2 segments
    if language in ("en", "ht", "fr"):
        assert all(segments(r).encoding == "GSM-7" for r in replies)
