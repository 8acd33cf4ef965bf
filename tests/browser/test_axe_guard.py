"""The accessibility guard of the browser tests really runs axe under our CSP, and fails."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Route

from .conftest import new_checked_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BAD_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Bad page</title></head>
<body><main>
  <h1>A page with problems</h1>
  <img src="/static/amparo/missing.png">
  <a href="/"></a>
  <script>document.title = "inline scripts must not run";</script>
</main></body></html>"""


def test_the_guard_catches_violations_and_inline_scripts_under_our_csp(
    browser: Browser, live_server: Any
) -> None:
    page, guard = new_checked_page(browser, live_server.url)
    try:

        def serve_bad_page(route: Route) -> None:
            # Our server's real answer (headers, CSP included), with a broken body.
            route.fulfill(response=route.fetch(), body=BAD_PAGE)

        page.route("**/bad-page/", serve_bad_page)
        response = page.goto("/bad-page/")
        assert response is not None
        assert "script-src 'self'" in response.headers["content-security-policy"]
        guard.wait(page)
        assert page.title() == "Bad page"  # the CSP blocked the inline script...
        report = "\n".join(guard.problems)
        assert guard.checked == [f"{live_server.url}/bad-page/"]  # ...and axe still ran
        assert "image-alt" in report
        assert "link-name" in report
        assert "CSP violation" in report
    finally:
        guard.context.close()


def test_the_guard_passes_a_clean_page_and_checks_each_page_once(
    browser: Browser, live_server: Any
) -> None:
    page, guard = new_checked_page(browser, live_server.url)
    try:
        page.goto("/")
        page.get_by_role("link", name="Staff sign-in").click()
        page.goto("/")
        guard.wait(page)
        assert guard.problems == []
        assert [url.removeprefix(live_server.url) for url in guard.checked] == [
            "/",
            "/accounts/login/",
            "/",
        ]
    finally:
        guard.context.close()
