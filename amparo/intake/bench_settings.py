"""Settings of the ``amparo bench intake`` server only: the local settings, plus the bench's
URLconf (which adds the raw-insert baseline) and rate limits high enough not to refuse the
bench's own clients. Never used by a real deployment."""

from config.settings.local import *  # noqa: F403

ROOT_URLCONF = "amparo.intake.bench_urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
AMPARO_RATE_LIMITS = {"api": {"per_ip": "1000000/m", "per_user": "1000000/m"}}
