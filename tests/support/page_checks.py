"""No third-party requests from a page: what a page would load from elsewhere (scripts, styles,
images, frames, form targets), outbound links not in ``OUTBOUND_LINKS``, and inline code
without the response's CSP nonce."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

from amparo.core.security import OUTBOUND_LINKS

#: Schemes that never make a request to anyone: in-page links, phone and mail handlers.
_HARMLESS_LINK_SCHEMES = frozenset({"mailto", "tel", "sms"})

#: (tag, attribute) pairs whose URL the browser fetches (or submits to) without a click.
_RESOURCE_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "script": ("src",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "input": ("src",),
    "form": ("action",),
    "button": ("formaction",),
    "use": ("href", "xlink:href"),
    "image": ("href", "xlink:href"),
    "base": ("href",),
}


@dataclass(frozen=True)
class Reference:
    tag: str
    attribute: str
    url: str

    def __str__(self) -> str:
        return f"<{self.tag} {self.attribute}={self.url!r}>"


class _ReferenceParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.references: list[Reference] = []
        self.meta_refresh: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        for attribute in _RESOURCE_ATTRIBUTES.get(tag, ()):
            if attribute in values:
                raw = values[attribute]
                urls = (
                    [part.strip().split(" ")[0] for part in raw.split(",")]
                    if attribute.endswith("srcset")
                    else [raw]
                )
                self.references.extend(
                    Reference(tag, attribute, u.strip()) for u in urls if u.strip()
                )
        if tag in ("a", "area") and "href" in values:
            self.references.append(Reference(tag, "href", values["href"].strip()))
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.meta_refresh.append(values.get("content", ""))

    handle_startendtag = handle_starttag


def _is_own(url: str, own_hosts: Iterable[str]) -> bool:
    parts = urlsplit(url)
    if not parts.scheme and not parts.netloc:
        return True  # relative: our own origin
    hosts = {h.lower() for h in own_hosts}
    return parts.scheme in ("http", "https") and parts.netloc.lower() in hosts


def outside_references(html: str, own_hosts: Iterable[str] = ("testserver",)) -> list[str]:
    """What in ``html`` would reach beyond our own origin; an empty list means nothing.

    Resources (scripts, style sheets, images, frames, media, form targets) must be relative
    or on ``own_hosts``; ``data:`` URLs are allowed for images and icons only. Links
    (``<a href>``) may also go to ``OUTBOUND_LINKS`` origins and use ``mailto:``/``tel:``.
    """
    parser = _ReferenceParser()
    parser.feed(html)
    parser.close()
    hosts = tuple(own_hosts)
    problems = [f"<meta http-equiv=refresh content={c!r}>" for c in parser.meta_refresh]
    for ref in parser.references:
        scheme = urlsplit(ref.url).scheme.lower()
        if ref.tag in ("a", "area"):
            if scheme in _HARMLESS_LINK_SCHEMES or _is_own(ref.url, hosts):
                continue
            origin = "{0.scheme}://{0.netloc}".format(urlsplit(ref.url)).lower()
            if origin in OUTBOUND_LINKS:
                continue
            problems.append(f"{ref} (an outbound link not listed in OUTBOUND_LINKS)")
        elif scheme == "data":
            if ref.tag not in ("img", "link", "source"):
                problems.append(f"{ref} (a data: URL outside images and icons)")
        elif scheme == "javascript" or not _is_own(ref.url, hosts):
            problems.append(f"{ref} (loaded from elsewhere)")
    return problems


_INLINE_HANDLER = re.compile(r"^on[a-z]+$")


class _InlineParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.nonces: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): v for k, v in attrs}
        if "style" in values:
            self.problems.append(f"<{tag} style=...> (inline style attribute)")
        for attribute in values:
            if _INLINE_HANDLER.match(attribute):
                self.problems.append(f"<{tag} {attribute}=...> (inline event handler)")
        if tag == "script" and "src" not in values:
            self.nonces.append((tag, values.get("nonce")))
        if tag == "style":
            self.nonces.append((tag, values.get("nonce")))

    handle_startendtag = handle_starttag


def inline_code_problems(html: str, csp_header: str) -> list[str]:
    """Inline code the policy in ``csp_header`` would block, or that it should not need.

    Inline ``<script>``/``<style>`` must carry the response's nonce; ``style=`` attributes and
    ``on...=`` handlers are never allowed.
    """
    parser = _InlineParser()
    parser.feed(html)
    parser.close()
    problems = list(parser.problems)
    allowed = set(re.findall(r"'nonce-([^']+)'", csp_header))
    for tag, nonce in parser.nonces:
        if nonce is None or nonce not in allowed:
            problems.append(f"inline <{tag}> without the response's CSP nonce")
    return problems
