"""Every page a role may open: strict CSP, no inline code without the nonce, no-store when signed
in, and nothing loaded from another origin (no third-party scripts, styles, fonts or images).

The pages are the access matrix's GET rows (docs/access-matrix.toml) that answer 200: a new
page is checked here as soon as it has its row.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.core.files.storage import FileSystemStorage

from amparo.core.security import OUTBOUND_LINKS
from tests.security.matrix import ROLES, Row, World, fetch, load_matrix
from tests.support.page_checks import inline_code_problems, outside_references

MATRIX = load_matrix()
PAGES = [
    pytest.param(row, scope, id=f"{row.key} [{scope}]")
    for row in MATRIX.rows
    if row.kind == "page" and row.method == "GET"
    for scope in row.scopes
    if 200 in row.expect[scope].values()
]


@pytest.fixture(autouse=True)
def vault_keys(tmp_path: Path, settings: Any) -> None:
    settings.AMPARO = {
        **settings.AMPARO,
        "KEK_FILE": str(tmp_path / "keys" / "kek.key"),
        "BLIND_INDEX_KEY_FILE": None,
    }


@pytest.fixture
def world(db: Any) -> Iterator[World]:
    yield World()


def page_problems(response: Any, role: str) -> list[str]:
    problems = []
    if response.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if role != "anonymous" and response.get("Cache-Control") != "no-store":
        problems.append(f"Cache-Control is {response.get('Cache-Control')!r}, not no-store")
    if not response.get("Content-Type", "").startswith("text/html"):
        return problems
    csp = response.get("Content-Security-Policy", "")
    if not csp:
        return [*problems, "no Content-Security-Policy"]
    if "unsafe-inline" in csp or "unsafe-eval" in csp:
        problems.append("the CSP allows unsafe-inline or unsafe-eval")
    if "frame-ancestors 'none'" not in csp:
        problems.append("the CSP lets other sites frame the page")
    html = response.content.decode()
    problems.extend(inline_code_problems(html, csp))
    problems.extend(outside_references(html, own_hosts=("testserver",)))
    return problems


@pytest.mark.parametrize(("row", "scope"), PAGES)
def test_each_page_is_locked_down(world: World, row: Row, scope: str) -> None:
    found: list[str] = []
    for role in ROLES:
        if row.expect[scope][role] != 200:
            continue
        response = fetch(world, row, scope, role)
        if response.status_code != 200:
            continue  # the access matrix test reports that
        found.extend(f"{role}: {p}" for p in page_problems(response, role))
    assert found == [], f"{row.key} ({scope}):\n  " + "\n  ".join(found)


def test_the_checker_sees_third_party_resources_and_unlisted_links() -> None:
    html = """
    <link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Inter">
    <script src="//cdn.example.com/lib.js"></script>
    <img src="https://tracker.example.net/pixel.gif" srcset="/a.png 1x, https://x.example/b.png 2x">
    <form action="https://forms.example.org/submit"></form>
    <iframe src="https://maps.example.com/embed"></iframe>
    <a href="https://unlisted.example.org/">elsewhere</a>
    <a href="javascript:alert(1)">js</a>
    <link rel="icon" href="data:,"><a href="/ok/">ok</a><a href="#main">skip</a>
    <a href="mailto:help@amparo.invalid">mail</a><a href="tel:+13035550100">call</a>
    <a href="https://locator.ice.gov/odls/">detainee locator</a>
    <img src="http://testserver/static/logo.png">
    """
    problems = outside_references(html)
    assert len(problems) == 8, problems
    for needle in (
        "fonts.googleapis",
        "cdn.example",
        "tracker.example",
        "x.example/b.png",
        "forms.example",
        "maps.example",
        "unlisted.example",
        "javascript:",
    ):
        assert any(needle in p for p in problems), needle
    assert "https://locator.ice.gov" in OUTBOUND_LINKS


def test_the_checker_sees_inline_code() -> None:
    csp = "script-src 'self' 'nonce-abc'; style-src 'self' 'nonce-abc'"
    good = '<script nonce="abc">x()</script><style nonce="abc">p{}</style><script src="/a.js"></script>'
    assert inline_code_problems(good, csp) == []
    bad = '<script>x()</script><style nonce="zzz"></style><p style="color:red" onclick="x()">'
    assert len(inline_code_problems(bad, csp)) == 4


_URL_IN_CSS = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""")


def _static_files(suffix: str) -> list[tuple[str, str]]:
    files = []
    for finder in finders.get_finders():
        for path, storage in finder.list([]):
            if path.endswith(suffix) and isinstance(storage, FileSystemStorage):
                files.append((path, storage.path(path)))
    return files


def test_style_sheets_load_nothing_from_elsewhere() -> None:
    sheets = _static_files(".css")
    assert any(path == "amparo/amparo.css" for path, _full in sheets)
    offenders = []
    for path, full in sheets:
        if path.startswith("admin/"):
            continue  # Django's own admin styles: relative URLs only, and staff-only
        text = Path(full).read_text(encoding="utf-8", errors="replace")
        for match in _URL_IN_CSS.finditer(text):
            url = match.group(1) or match.group(2)
            if re.match(r"^(https?:)?//", url):
                offenders.append(f"{path}: {url}")
    assert offenders == []


def test_scripts_call_no_other_origin() -> None:
    offenders: list[str] = []
    for path, full in _static_files(".js"):
        if path.startswith("admin/"):
            continue
        text = Path(full).read_text(encoding="utf-8", errors="replace")
        offenders.extend(f"{path}: {u}" for u in re.findall(r"""['"](https?://[^'"]+)""", text))
    assert offenders == []
