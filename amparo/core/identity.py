"""Who the fund is: its name, city, hotline, sender address and public site address.

The settings are the one source of truth (``settings.AMPARO``, filled from the environment:
``AMPARO_FUND_NAME``, ``AMPARO_CITY``, ``AMPARO_HOTLINE``, ``AMPARO_FROM_EMAIL`` and
``AMPARO_SITE_URL``). The ``organizations.Fund`` row only owns the programs and names the fiscal
holder; it carries no name, city or hotline of its own. Pages, PDFs, emails, the rights card
and the hotline list all read this module, so they never disagree about what the fund is
called, and a mail never points at whatever host a request happened to arrive on (a proxy, a
developer's ``127.0.0.1``): every link in a mail starts with the configured site address.

Read at call time, never cached at import, so a test's ``override_settings`` is seen.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import formataddr, parseaddr
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

DEFAULT_FUND_NAME = "Amparo Immigrant Legal Defense Fund"
DEFAULT_SITE_URL = "http://127.0.0.1:8000"
DEFAULT_FROM_ADDRESS = "no-reply@amparo.invalid"


@dataclass(frozen=True)
class FundIdentity:
    """What the fund is called and where it is reached, as one value to pass around."""

    name: str
    city: str
    hotline: str
    sender: str  # "Fund Name <address>", the From of every mail
    site_url: str  # no trailing slash

    @property
    def site_domain(self) -> str:
        """The host (and port) of the public site, as a mail's closing line names it."""
        return urlsplit(self.site_url).netloc


def _conf() -> dict[str, Any]:
    conf: dict[str, Any] = settings.AMPARO
    return conf


def fund_name() -> str:
    """The fund's name, as every page, PDF and mail writes it."""
    return str(_conf().get("FUND_NAME") or DEFAULT_FUND_NAME)


def site_url() -> str:
    """The public address of this deployment, without a trailing slash."""
    return str(_conf().get("SITE_URL") or DEFAULT_SITE_URL).rstrip("/")


def sender() -> str:
    """``Fund Name <address>``: the address comes from ``DEFAULT_FROM_EMAIL``, the display
    name is always the fund's, so a reader knows who wrote before opening the mail."""
    address = parseaddr(str(settings.DEFAULT_FROM_EMAIL))[1] or DEFAULT_FROM_ADDRESS
    return formataddr((fund_name(), address))


def fund_identity() -> FundIdentity:
    """All of it at once, for templates and PDFs."""
    conf = _conf()
    return FundIdentity(
        name=fund_name(),
        city=str(conf.get("CITY") or ""),
        hotline=str(conf.get("HOTLINE") or ""),
        sender=sender(),
        site_url=site_url(),
    )


def absolute_url(path_or_url: str) -> str:
    """``path_or_url`` re-rooted at the public site: a path gets the site address in front; a
    full address keeps its path and query but loses its scheme and host (those of a request
    that came through a proxy or a developer's machine), since a mail must point at the site
    its reader can reach."""
    parts = urlsplit(path_or_url)
    path = parts.path or "/"
    if not path.startswith("/"):
        path = "/" + path
    query = f"?{parts.query}" if parts.query else ""
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    return f"{site_url()}{path}{query}{fragment}"
