"""Security helpers other apps and their tests reuse.

- ``url_entries()`` walks every URL pattern (names, routes, parameters, views);
  ``protected_url_parameters()`` lists parameters named like protected fields, which would
  put a name, an A-number or a phone number into a URL.
- ``outside_references(html, ...)`` lists what a page would load from elsewhere (scripts,
  styles, images, frames, form targets) and outbound links not in ``OUTBOUND_LINKS``.
- ``ProtectedExceptionReporter`` and ``ProtectedExceptionReporterFilter``: error reports
  (emails to ``ADMINS``, anything built on Django's reporter) carry no protected values.
"""

from __future__ import annotations

import re
from collections.abc import ItemsView, Iterable, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from django.urls import URLPattern, URLResolver, get_resolver
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

from .logging import mask

# --- Nothing protected in URLs ----------------------------------------------------------------

#: Words that mark a URL or query parameter as protected data (docs/data-protection.md).
#: A parameter is protected when one of its ``_``-separated words is here, or when it is one of
#: ``PROTECTED_COMPOUNDS`` once the separators are removed.
PROTECTED_WORDS: frozenset[str] = frozenset(
    {
        "name",
        "names",
        "firstname",
        "lastname",
        "surname",
        "fullname",
        "username",
        "anumber",
        "alien",
        "phone",
        "telephone",
        "mobile",
        "cell",
        "email",
        "mail",
        "dob",
        "birth",
        "birthday",
        "birthdate",
        "address",
        "street",
        "zip",
        "ssn",
        "passport",
        "note",
        "notes",
    }
)
PROTECTED_COMPOUNDS: frozenset[str] = frozenset(
    {
        "anumber",
        "aliennumber",
        "dateofbirth",
        "emailaddress",
        "phonenumber",
        "firstname",
        "lastname",
    }
)
#: A last word that makes the parameter a reference, not the value: ``note_id`` is fine.
REFERENCE_WORDS: frozenset[str] = frozenset({"id", "pk", "uuid"})


def is_protected_parameter(name: str) -> bool:
    """True if a URL/query parameter called ``name`` would carry protected data.

    >>> [is_protected_parameter(n) for n in ("a_number", "phone", "dob", "aNumber", "slug", "note_id")]
    [True, True, True, True, False, False]
    """
    words = [w.lower() for w in re.split(r"[_\-\s]+|(?<=[a-z])(?=[A-Z])", name) if w]
    if not words or words[-1] in REFERENCE_WORDS:
        return False
    if any(w in PROTECTED_WORDS for w in words):
        return True
    return (
        "".join(words) in PROTECTED_COMPOUNDS
        or re.sub(r"[^a-z]", "", name.lower()) in PROTECTED_COMPOUNDS
    )


@dataclass(frozen=True)
class UrlEntry:
    """One URL pattern with everything its enclosing resolvers add."""

    #: ``namespace:name``, or None for unnamed patterns.
    name: str | None
    #: The full route as written, from the site root, without a leading slash.
    route: str
    #: The parameters the path captures (converters' and regex groups' names).
    parameters: tuple[str, ...]
    #: The dotted module of the view function.
    module: str
    pattern: URLPattern

    @property
    def key(self) -> str:
        """How the access matrix names this pattern: its name, else its route."""
        return self.name or self.route


def _parameters(pattern: Any) -> list[str]:
    converters = getattr(pattern, "converters", None) or {}
    names = list(converters)
    regex = getattr(pattern, "regex", None)
    if regex is not None:
        names.extend(n for n in regex.groupindex if n not in names)
    return names


def url_entries(urlconf: str | None = None) -> list[UrlEntry]:
    """Every URL pattern reachable from ``urlconf`` (the project's by default)."""
    entries: list[UrlEntry] = []

    def walk(
        patterns: Iterable[Any], prefix: str, namespace: str | None, params: list[str]
    ) -> None:
        for item in patterns:
            if isinstance(item, URLResolver):
                ns = namespace
                if item.namespace:
                    ns = f"{namespace}:{item.namespace}" if namespace else item.namespace
                walk(
                    item.url_patterns,
                    prefix + str(item.pattern),
                    ns,
                    params + _parameters(item.pattern),
                )
            elif isinstance(item, URLPattern):
                name = item.name
                if name and namespace:
                    name = f"{namespace}:{name}"
                callback = item.callback
                module = getattr(callback, "__module__", "") or ""
                view_class = getattr(callback, "view_class", None)
                if view_class is not None:
                    module = view_class.__module__
                entries.append(
                    UrlEntry(
                        name=name,
                        route=prefix + str(item.pattern),
                        parameters=tuple(params + _parameters(item.pattern)),
                        module=module,
                        pattern=item,
                    )
                )

    walk(get_resolver(urlconf).url_patterns, "", None, [])
    return entries


def protected_url_parameters(entries: Sequence[UrlEntry] | None = None) -> list[tuple[str, str]]:
    """``(route, parameter)`` for every path parameter named like a protected field."""
    found: list[tuple[str, str]] = []
    for entry in url_entries() if entries is None else entries:
        found.extend((entry.route, p) for p in entry.parameters if is_protected_parameter(p))
    return found


def protected_openapi_parameters(schema: dict[str, Any]) -> list[tuple[str, str, str]]:
    """``(method path, in, parameter)`` for API path or query parameters named like protected data."""
    found: list[tuple[str, str, str]] = []
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") in ("path", "query") and is_protected_parameter(
                    parameter.get("name", "")
                ):
                    found.append((f"{method.upper()} {path}", parameter["in"], parameter["name"]))
    return found


# --- No third-party requests from a page ------------------------------------------------------

#: Documented outbound links: origins a page may link to with a plain ``<a href>`` (never load
#: anything from). Each entry says why. Add the EOIR and ICE locators here when a page uses them.
OUTBOUND_LINKS: dict[str, str] = {
    "https://acis.eoir.justice.gov": "EOIR's automated case information portal, for hearing dates",
    "https://locator.ice.gov": "ICE's online detainee locator, to find a detained person",
    "https://www.justice.gov": "EOIR pages: immigration court list, practice manual, pro bono lists",
}

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


# --- Error reports without protected values ---------------------------------------------------

_CLEANSED = SafeExceptionReporterFilter.cleansed_substitute


class ProtectedExceptionReporterFilter(SafeExceptionReporterFilter):
    """Cleanse every value a client could have typed, not just passwords.

    Local variables and POST values are all replaced, query strings dropped, other request
    headers masked (emails, phones and A-numbers). Active under DEBUG too: the demo runs
    with synthetic data, but a developer may point it at a copy of real data.
    """

    def is_active(self, request: Any) -> bool:
        return True

    def get_post_parameters(self, request: Any) -> Any:
        if request is None:
            return {}
        cleansed = request.POST.copy()
        for key in cleansed:
            cleansed.setlist(key, [_CLEANSED])
        return cleansed

    def get_traceback_frame_variables(self, request: Any, tb_frame: Any) -> ItemsView[str, Any]:
        return dict.fromkeys(tb_frame.f_locals, _CLEANSED).items()

    def get_safe_request_meta(self, request: Any) -> dict[str, Any]:
        meta = super().get_safe_request_meta(request)
        for key, value in meta.items():
            if key in ("QUERY_STRING", "HTTP_REFERER", "HTTP_AUTHORIZATION", "HTTP_COOKIE"):
                meta[key] = _CLEANSED
            elif isinstance(value, str):
                meta[key] = mask(value)
        return meta

    def get_safe_cookies(self, request: Any) -> dict[str, Any]:
        cookies = getattr(request, "COOKIES", {}) or {}
        return dict.fromkeys(cookies, _CLEANSED)


class ProtectedExceptionReporter(ExceptionReporter):
    """Django's reporter, minus what could identify a client: see ``get_traceback_data``."""

    def get_traceback_data(self) -> dict[str, Any]:
        data = super().get_traceback_data()
        request: Any = self.request
        if "request_GET_items" in data:
            data["request_GET_items"] = [(k, _CLEANSED) for k in request.GET]
        if "request_FILES_items" in data:
            data["request_FILES_items"] = [(k, _CLEANSED) for k in request.FILES]
        if "request_insecure_uri" in data:
            data["request_insecure_uri"] = data["request_insecure_uri"].split("?", 1)[0]
        for key in ("exception_value", "exception_notes"):
            if isinstance(data.get(key), str):
                data[key] = mask(data[key])
        if request is not None and getattr(request, "user", None) is not None:
            user = request.user
            data["user_str"] = f"user #{user.pk}" if getattr(user, "pk", None) else "anonymous"
        for frame in data.get("frames", []):
            if frame.get("exc_cause") is not None:
                frame["exc_cause"] = mask(str(frame["exc_cause"]))
            # Source lines are code, but code can hold a pasted value: mask them too.
            if isinstance(frame.get("context_line"), str):
                frame["context_line"] = mask(frame["context_line"])
            for key in ("pre_context", "post_context"):
                if frame.get(key):
                    frame[key] = [mask(line) for line in frame[key]]
        return data
