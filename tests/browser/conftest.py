"""Browser tests: Debian's Chromium driven by Playwright, every page checked by axe-core.

Every document a test opens is checked against the WCAG 2.0, 2.1 and 2.2 A and AA rules of
axe-core. axe comes from the axe-playwright-python package and is added to each document as a
Playwright init script: the browser runs init scripts itself, so our Content Security Policy
(no inline or foreign scripts) stays on for the page and still does not block axe. The page
reports axe's result through a Playwright binding; before the next page is requested, and at the
end of the test, we wait for that report. Any violation, or any CSP report in the console, fails
the test.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.base import AXE_SCRIPT, AxeResults
from playwright.sync_api import Browser, BrowserContext, Page, Request, Route, sync_playwright

# Playwright's sync API runs an event loop in this thread; Django must still let tests use the ORM.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

#: Debian's Chromium by default; `make test` sets AMPARO_CHROMIUM to the browser it found or
#: installed ("playwright" for Playwright's own managed build).
CHROMIUM = os.environ.get("AMPARO_CHROMIUM") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: axe-core tags of the WCAG 2.0, 2.1 and 2.2 level A and AA rules.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
AXE_TIMEOUT_S = 20
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

_AXE_INIT_SCRIPT = (
    AXE_SCRIPT
    + """
;(() => {
  if (window.top !== window || !/^https?:$/.test(location.protocol)) return;
  const id = Math.random().toString(36).slice(2) + Date.now();
  window.__amparoAxeStart(id);
  window.addEventListener("load", () => {
    axe.run(document, __AXE_OPTIONS__).then(
      (results) => window.__amparoAxeDone(id, location.href, results.violations),
      (error) => window.__amparoAxeDone(id, location.href, [
        {id: "axe-error", impact: "critical", description: String(error),
         help: "axe-core could not run", helpUrl: "", nodes: []}]));
  });
})();
""".replace("__AXE_OPTIONS__", json.dumps(AXE_OPTIONS))
)


class AxeGuard:
    """Checks every document of one browser context with axe and collects what is wrong."""

    def __init__(self, context: BrowserContext) -> None:
        self.context = context
        self.pending: set[str] = set()
        self.checked: list[str] = []
        self.problems: list[str] = []
        context.expose_binding("__amparoAxeStart", self._started)
        context.expose_binding("__amparoAxeDone", self._done)
        context.add_init_script(script=_AXE_INIT_SCRIPT)
        context.route("**/*", self._on_request)
        context.on("console", self._on_console)

    def _started(self, source: dict[str, Any], check_id: str) -> None:
        self.pending.add(check_id)

    def _done(self, source: dict[str, Any], check_id: str, url: str, violations: list[Any]) -> None:
        self.pending.discard(check_id)
        self.checked.append(url)
        if violations:
            report = AxeResults({"violations": violations}).generate_report()
            self.problems.append(f"axe on {url}:\n{report}")

    def _on_console(self, message: Any) -> None:
        if "Content Security Policy" in message.text:
            self.problems.append(f"CSP violation on {message.page.url}: {message.text}")

    def _on_request(self, route: Route, request: Request) -> None:
        if request.is_navigation_request() and request.frame.parent_frame is None:
            # The page being left stays alive until its successor arrives: let axe finish on it.
            self.wait(request.frame.page)
        route.continue_()

    def wait(self, page: Page) -> None:
        deadline = time.monotonic() + AXE_TIMEOUT_S
        while self.pending and time.monotonic() < deadline and not page.is_closed():
            page.wait_for_timeout(25)
        if self.pending and not page.is_closed():
            self.problems.append(f"axe did not finish on {page.url} in {AXE_TIMEOUT_S}s")
            self.pending.clear()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        executable = None if CHROMIUM == "playwright" else CHROMIUM
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def new_checked_page(
    browser: Browser, base_url: str, locale: str = "en-US"
) -> tuple[Page, AxeGuard]:
    context = browser.new_context(
        base_url=base_url, locale=locale, viewport={"width": 1280, "height": 800}
    )
    context.set_default_timeout(10_000)
    guard = AxeGuard(context)
    return context.new_page(), guard


@pytest.fixture
def open_page(browser: Browser, live_server: Any) -> Iterator[Callable[..., Page]]:
    """open_page(locale="en-US") -> a page in a new browser context; every document is checked."""
    opened: list[tuple[Page, AxeGuard]] = []

    def _open(locale: str = "en-US") -> Page:
        page, guard = new_checked_page(browser, live_server.url, locale)
        opened.append((page, guard))
        return page

    yield _open
    for page, guard in opened:
        guard.wait(page)
        guard.context.close()
    problems = [p for _page, guard in opened for p in guard.problems]
    assert not problems, "\n\n".join(problems)
    assert all(guard.checked for _page, guard in opened), "a page was opened but axe never ran"


@pytest.fixture
def page(open_page: Callable[..., Page]) -> Page:
    return open_page()


@pytest.fixture
def vault_keys(tmp_path: Path, settings: Any) -> None:
    """A key folder of the test's own (the live server reads the same settings). Modules whose
    tests write protected records use it: ``pytest.mark.usefixtures("vault_keys")``."""
    amparo = dict(settings.AMPARO)
    amparo.update(KEK_FILE=str(tmp_path / "keys" / "kek.key"), BLIND_INDEX_KEY_FILE=None)
    settings.AMPARO = amparo


def screenshot(page: Page, name: str) -> None:
    """Save the page for the README (docs/screenshots/NAME.png), overwriting the last one."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True, animations="disabled")
