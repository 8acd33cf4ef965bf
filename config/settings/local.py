"""The embedded default used by `make demo`: SQLite under var/, mail to files."""

from .base import *  # noqa: F403

DEBUG = False  # our own translated error pages, as in production
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
