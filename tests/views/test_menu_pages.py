"""Each role's menu holds every top-level page the role may open (issue #12, point 7).

The pages are not listed here: they are found in the URLconf (every page of an Amparo app
whose address takes no parameter) and opened as each role. A page the role may open (200, an
HTML page) that a visitor who is not signed in cannot open, and that does not sit under
another page the role may open (``/calendar/print/`` under ``/calendar/``), must be a link of
the role's menu.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from amparo.accounts.roles import Role
from amparo.core.navigation import navigation_for

pytestmark = pytest.mark.django_db

#: Pages of the URLconf that are not menu links, and why. Keep it short: each is reached
#: another way on every page.
NOT_IN_THE_MENU = {
    "search:search": "the search box in the header of every page opens it",
    "accounts:token-create": "a form of Account (accounts:settings), where the tokens are listed",
    "accounts:token-created": "shown once, right after a token is made (accounts:token-create)",
    "notify:list": "the Notifications link with its unread count, in every staff header",
    "notify:preferences": "linked from the notifications page and from Account",
}


def _pages(
    resolver: URLResolver, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str]]:
    """(namespaced URL name, path) of every address under ``resolver`` that takes no parameter."""
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if "<" in route or "(" in route:  # a parameter: not a page of its own
            continue
        if isinstance(entry, URLResolver):
            yield from _pages(entry, route, entry.namespace or namespace)
        elif isinstance(entry, URLPattern) and namespace and entry.name:
            yield f"{namespace}:{entry.name}", "/" + route.lstrip("^").rstrip("$")


def amparo_pages() -> dict[str, str]:
    """Every parameterless address of an Amparo app (not allauth's, the API or the admin)."""
    ours = {c.label for c in apps.get_app_configs() if c.name.startswith("amparo.")}
    # Apps that name their URL namespaces after what the public sees.
    ours |= {"core", "impact", "help", "donate", "transparency"}
    return {name: path for name, path in _pages(get_resolver()) if name.split(":")[0] in ours}


def opens(client: Client, path: str) -> bool:
    response = client.get(path)
    return response.status_code == 200 and response["Content-Type"].startswith("text/html")


def user_of(role: str, make_user: Any, make_provider: Any) -> Any:
    if role in (Role.PROVIDER_ADMIN, Role.ATTORNEY):
        _org, admin, profile = make_provider()
        return admin if role == Role.PROVIDER_ADMIN else profile.user
    return make_user(role)


@pytest.mark.parametrize("role", Role.values)
def test_every_top_level_page_of_the_role_is_in_its_menu(
    role: str, make_user: Any, make_provider: Any, client_for: Any, client: Client
) -> None:
    pages = amparo_pages()
    assert "reports:board" in pages and "deadlines:calendar" in pages  # the walk finds pages
    user = user_of(role, make_user, make_provider)
    signed_in = client_for(user)
    mine = {
        name: path
        for name, path in pages.items()
        if name not in NOT_IN_THE_MENU and opens(signed_in, path) and not opens(client, path)
    }
    top_level = {
        name
        for name, path in mine.items()
        if not any(path != other and path.startswith(other) for other in mine.values())
    }
    menu = {item["url_name"] for item in navigation_for(user)}
    assert top_level, f"{role} opens no page?"
    assert top_level <= menu, f"{role}: not in the menu: {sorted(top_level - menu)}"
    # And the menu links only to pages the role opens (or that send it on: "My organization").
    for item in navigation_for(user):
        assert signed_in.get(item["url"]).status_code in (200, 302), (role, item["url"])
