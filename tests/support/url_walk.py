"""Nothing protected in URLs: walk every URL pattern (names, routes, parameters, views) and list
the parameters named like protected fields, which would put a name, an A-number or a phone
number into a URL. Used by the security tests and the access matrix."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

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
