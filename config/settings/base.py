"""Settings shared by every environment. Environment-specific files import from here."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("AMPARO_VAR_DIR", BASE_DIR / "var"))

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "insecure-development-key-change-me")
DEBUG = False
ALLOWED_HOSTS = [
    h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
    # Amparo, by domain
    "amparo.core",
    "amparo.accounts",
    "amparo.organizations",
    "amparo.api",
    "amparo.vault",
    "amparo.audit",
    "amparo.deadlines",
    "amparo.cases",
    "amparo.notify",
    "amparo.intake",
    "amparo.smsintake",
    "amparo.referrals",
    "amparo.sms",
    "amparo.rights",
    "amparo.ledger",
    "amparo.donations",
    "amparo.grants",
    "amparo.reports",
    "amparo.search",
    "amparo.translations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "amparo.core.middleware.RequestIdMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After the locale and the user: public pages speak the visible public languages, staff
    # pages the staff languages (amparo.core.i18n_public).
    "amparo.translations.middleware.LanguagePolicyMiddleware",
    "amparo.core.middleware.NoStoreMiddleware",  # here, to also mark the answers of those below
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "amparo.core.ratelimit.RateLimitMiddleware",
    "amparo.api.middleware.ApiBodyGuardMiddleware",  # after the limits: refused bodies count
    "amparo.accounts.sessions.SessionLifetimeMiddleware",
    "amparo.accounts.middleware.RequireMFAMiddleware",
    "amparo.core.middleware.MethodNotAllowedPageMiddleware",
    "amparo.core.middleware.NotFoundForForbiddenMiddleware",
    # AxesMiddleware should be the last middleware.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
# The site's own translated page when a form's CSRF token is missing or stale (Django's default
# is a bare English page).
CSRF_FAILURE_VIEW = "amparo.core.views.csrf_failure"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "amparo" / "core" / "templates"],  # first, so it can override allauth
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "amparo.core.context_processors.amparo",
                "amparo.translations.context_processors.languages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'amparo.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the worker read while the other writes; IMMEDIATE avoids
    # "database is locked" upgrades in write transactions.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            " PRAGMA busy_timeout=20000;"
        ),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0


def caches_from_url(url: str | None) -> dict[str, dict[str, object]]:
    """The shared cache: Redis when ``url`` names one (``redis://`` or ``rediss://``), else a
    table in the database. Never a per-process cache: allauth keeps its rate-limit counters and
    the TOTP codes already used there, and a code refused by one worker must be refused by all.
    The table is created by a migration (``core.0003_cache_table``)."""
    if url and url.startswith(("redis://", "rediss://", "unix://")):
        return {
            "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
        }
    if url:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("AMPARO_CACHE_URL must be a redis:// or rediss:// URL.")
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "amparo_cache",
        }
    }


CACHES = caches_from_url(os.environ.get("AMPARO_CACHE_URL", "").strip() or None)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# --- Languages -----------------------------------------------------------------------------
LANGUAGE_CODE = "en"
# Every public page (home, help, status, rights and family plan, donate, impact, transparency)
# speaks all of these; staff pages speak AMPARO_STAFF_LANGUAGES and fall back to English.
# Portuguese, French, Haitian Creole, Arabic and Russian are drafts until a translator signs
# each page off (docs/translating.md); a fund admin can hide a language until then.
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("pt", _("Portuguese")),
    ("fr", _("French")),
    ("ht", _("Haitian Creole")),
    ("ar", _("Arabic")),
    ("ru", _("Russian")),
]
AMPARO_STAFF_LANGUAGES = ("en", "es")
# Django knows no Haitian Creole; its names come from CLDR (Babel).
LANG_INFO.setdefault(
    "ht", {"bidi": False, "code": "ht", "name": "Haitian Creole", "name_local": "Kreyòl ayisyen"}
)
# Date and number formats for the languages Django does not ship (Haitian Creole).
FORMAT_MODULE_PATH = ["config.formats"]
# Each app keeps its own catalog in amparo/<app>/locale/ (found through INSTALLED_APPS).
LOCALE_PATHS: list[Path] = []
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("AMPARO_TIME_ZONE", "America/Denver")
LANGUAGE_COOKIE_NAME = "amparo_language"
LANGUAGE_COOKIE_SECURE = False
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
#: Django chmods what it stores to these (its default, 0644, would undo the private umask that
#: amparo.core sets): uploads and collected files are the serving account's alone.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Sessions and cookies -------------------------------------------------------------------
SESSION_COOKIE_AGE = int(os.environ.get("AMPARO_SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = True  # idle timeout: each request pushes the expiry forward
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
#: However busy, a signed-in session ends this long after it began (amparo.accounts.sessions).
AMPARO_SESSION_ABSOLUTE_SECONDS = int(
    os.environ.get("AMPARO_SESSION_ABSOLUTE_SECONDS", str(12 * 3600))
)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# --- Content Security Policy (django-csp 4): nonces, nothing from elsewhere -----------------
from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

# --- Accounts: django-allauth, MFA, axes ----------------------------------------------------
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_ADAPTER = "amparo.accounts.adapter.AccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_SESSION_REMEMBER = False
# Subjects start with "[Fund name] " (amparo.accounts.adapter.AccountAdapter.format_email_subject).
ACCOUNT_EMAIL_SUBJECT_PREFIX = None
ACCOUNT_DEFAULT_HTTP_PROTOCOL = os.environ.get("AMPARO_HTTP_PROTOCOL", "http")
# "Your password has been reset" (which says its tokens and feeds were revoked), and the like.
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Failed sign-ins are held back per client address here, and per (address, sign-in name) by axes
# below. No limit counts per sign-in name alone: anyone could then lock an account's holder out
# from anywhere by typing wrong passwords for it. Guessing from many addresses is held back by
# the second step (TOTP) that every staff sign-in needs.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip"}
LOGIN_REDIRECT_URL = "core:dashboard"
LOGIN_URL = "account_login"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Amparo"
MFA_RECOVERY_CODE_COUNT = 10
MFA_FORMS = {"authenticate": "amparo.accounts.forms.AuthenticateForm"}
# TOTP secrets and recovery-code seeds are sealed under a key from the vault's key provider.
MFA_ADAPTER = "amparo.accounts.mfa.MFAAdapter"

AXES_FAILURE_LIMIT = int(os.environ.get("AMPARO_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
# Locks hold back one (client address, sign-in name) pair: another person typing wrong passwords
# for an account does not lock its holder out elsewhere. The holder is told by email, and a
# password reset lifts the lock (amparo.accounts.signals).
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"]]
# The client's address, read through our own proxies like the rate limits read it.
AXES_CLIENT_IP_CALLABLE = "amparo.core.ratelimit.lockout_client_ip"
AXES_USERNAME_FORM_FIELD = "login"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/lockout.html"
AXES_VERBOSE = False
# Axes counts and logs a keyed digest of the typed email, and masks it in stored request data.
AXES_USERNAME_CALLABLE = "amparo.accounts.lockout.lockout_key"
# Its access log of successful sign-ins too (axes itself would store the email there).
AXES_HANDLER = "amparo.accounts.lockout.LockoutHandler"
AXES_SENSITIVE_PARAMETERS = ["login", "email", "username"]

# --- Email ----------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "AMPARO_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = os.environ.get("AMPARO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("AMPARO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("AMPARO_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("AMPARO_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("AMPARO_EMAIL_TLS", "") == "1"
# The sender's address; its display name is always the fund's (amparo.core.identity.sender).
DEFAULT_FROM_EMAIL = os.environ.get("AMPARO_FROM_EMAIL", "no-reply@amparo.invalid")

# --- Tasks: database-backed queue (django-tasks + django-tasks-db) --------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Logging: never log request bodies; protected values are masked by the filter ----------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask": {"()": "amparo.core.logging.MaskProtectedFilter"}},
    "formatters": {"plain": {"()": "amparo.core.logging.LineFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["mask"]},
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
        "amparo": {"level": "INFO"},
        "axes": {"level": "WARNING"},
    },
}

# --- Amparo ---------------------------------------------------------------------------------
# The fund's identity: the one source of its name, city, hotline and public address (read
# through amparo.core.identity by pages, PDFs, mails and the rights card).
AMPARO = {
    "FUND_NAME": os.environ.get("AMPARO_FUND_NAME", "Amparo Immigrant Legal Defense Fund"),
    "CITY": os.environ.get("AMPARO_CITY", "Denver"),
    "HOTLINE": os.environ.get("AMPARO_HOTLINE", ""),
    # Where people reach this deployment; every link in a mail starts with it.
    "SITE_URL": os.environ.get("AMPARO_SITE_URL", "http://127.0.0.1:8000"),
    "KEK_FILE": os.environ.get("AMPARO_KEK_FILE", str(VAR_DIR / "keys" / "kek.key")),
    "SECURITY_CONTACT": os.environ.get("AMPARO_SECURITY_CONTACT", "mailto:security@amparo.invalid"),
    # security.txt's Policy link (for example the fund's published SECURITY.md); none if empty.
    "SECURITY_POLICY_URL": os.environ.get("AMPARO_SECURITY_POLICY_URL", ""),
    "ALLOW_DEMO_USERS": os.environ.get("AMPARO_ALLOW_DEMO_USERS", "") == "1",
    "EXPORT_REAUTH_THRESHOLD": 200,
}

# --- Impact figures (amparo.reports) --------------------------------------------------------
#: Published and board-level counts below this are hidden, with whatever would give them back.
AMPARO_SMALL_CELL_THRESHOLD = int(os.environ.get("AMPARO_SMALL_CELL_THRESHOLD", "11"))
#: Differential privacy for the public impact page: epsilon of the two-sided geometric noise
#: added to every count, spent once per calendar quarter (unset or empty: off). A rational
#: number, e.g. "1", "0.5" or "1/3". Smaller is more private and less accurate.
AMPARO_IMPACT_DP_EPSILON = os.environ.get("AMPARO_IMPACT_DP_EPSILON") or None

#: Pages anyone may read without an account (and without MFA when signed in).
AMPARO_PUBLIC_PREFIXES = ("/help/", "/rights/", "/impact/", "/transparency/", "/donate/")

# --- Hardening: rate limits, masked logs and error reports (amparo.core) -------------------
#: Rate overrides per scope, e.g. {"api": {"per_user": "600/m"}, "help-submit": {"per_ip": "20/m"}};
#: defaults live in amparo.core.ratelimit. Counters are in the database, shared by all workers.
AMPARO_RATE_LIMITS: dict[str, dict[str, str]] = {}

# --- Text messages (docs/sms.md) -----------------------------------------------------------
# The adapter: "file" (each message a JSON file under var/sms/, the demo's), "twilio", or the
# dotted path of another amparo.sms.providers.SmsBackend.
AMPARO_SMS_PROVIDER = os.environ.get("AMPARO_SMS_PROVIDER", "file").strip() or "file"
AMPARO_TWILIO_ACCOUNT_SID = os.environ.get("AMPARO_TWILIO_ACCOUNT_SID", "")
AMPARO_TWILIO_AUTH_TOKEN = os.environ.get("AMPARO_TWILIO_AUTH_TOKEN", "")
AMPARO_SMS_FROM = os.environ.get("AMPARO_SMS_FROM", "")
#: Proxies of ours in front of Amparo that append to X-Forwarded-For (0: use the socket's
#: address). Rate limits and sign-in lockouts both read the client's address this way.
#: ``AMPARO_TRUSTED_PROXIES`` (``AMPARO_TRUSTED_PROXY_COUNT`` is its older name).
AMPARO_TRUSTED_PROXIES = int(
    os.environ.get("AMPARO_TRUSTED_PROXIES", os.environ.get("AMPARO_TRUSTED_PROXY_COUNT", "0"))
)
ALLAUTH_TRUSTED_PROXY_COUNT = AMPARO_TRUSTED_PROXIES
LOGGING_CONFIG = "amparo.core.logging.configure_logging"
DEFAULT_EXCEPTION_REPORTER = "amparo.core.security.ProtectedExceptionReporter"
DEFAULT_EXCEPTION_REPORTER_FILTER = "amparo.core.security.ProtectedExceptionReporterFilter"
