"""Settings for the test suite. DATABASE_URL selects PostgreSQL; SQLite otherwise."""

import os
import tempfile

from .base import *  # noqa: F403
from .base import DATABASES, INSTALLED_APPS, VAR_DIR

DEBUG = False
# The benchmarks' app (bench/, outside the product): its SampleRecord, a model with every kind
# of protected field, is the vault's and the audit's test subject. Never installed in production.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_ENABLED = True
if (
    DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    and "DATABASE_URL" not in os.environ
):
    DATABASES["default"]["NAME"] = str(VAR_DIR / "test.sqlite3")
    # One file per run, so that two suites running at once on one machine never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-suite-{os.getpid()}.sqlite3")}
AMPARO_TEST_TMP = tempfile.gettempdir()
