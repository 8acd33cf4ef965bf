"""Production: PostgreSQL through DATABASE_URL, SMTP, HTTPS everywhere."""

import os

from .base import *  # noqa: F403
from .base import AMPARO

DEBUG = False
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")
SECURE_SSL_REDIRECT = os.environ.get("AMPARO_SSL_REDIRECT", "1") == "1"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind that same proxy the socket's address is the proxy's: rate limits read the client's
# from X-Forwarded-For, trusting as many hops as there are proxies of ours (0 if none).
# Sign-in lockouts use the same address (AXES_CLIENT_IP_CALLABLE).
AMPARO_TRUSTED_PROXIES = int(
    os.environ.get("AMPARO_TRUSTED_PROXIES", os.environ.get("AMPARO_TRUSTED_PROXY_COUNT", "1"))
)
ALLAUTH_TRUSTED_PROXY_COUNT = AMPARO_TRUSTED_PROXIES
SECURE_HSTS_SECONDS = 63072000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
MFA_TRUST_COOKIE_SECURE = True
# "__Host-" cookies are only accepted by a browser over HTTPS, for the whole site and for this
# host alone: no other subdomain, and nothing sent over plain HTTP, can set or replace them.
SESSION_COOKIE_NAME = "__Host-amparo_session"
CSRF_COOKIE_NAME = "__Host-amparo_csrf"
LANGUAGE_COOKIE_NAME = "__Host-amparo_language"
MFA_TRUST_COOKIE_NAME = "__Host-amparo_mfa_trusted"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
EMAIL_BACKEND = os.environ.get(
    "AMPARO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
AMPARO["ALLOW_DEMO_USERS"] = os.environ.get("AMPARO_ALLOW_DEMO_USERS", "") == "1"
