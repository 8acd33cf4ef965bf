"""The embedded default used by `make demo`: SQLite under var/, mail to files."""

import os

from .base import *  # noqa: F403

# The demo's webhooks are signed with this token (`amparo sms-simulate` signs with it); a real
# deployment sets AMPARO_TWILIO_AUTH_TOKEN to its Twilio auth token (docs/sms.md).
AMPARO_TWILIO_AUTH_TOKEN = os.environ.get("AMPARO_TWILIO_AUTH_TOKEN", "") or "amparo-demo-token"

DEBUG = False  # our own translated error pages, as in production
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
