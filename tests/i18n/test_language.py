"""<html lang> follows the active language: the browser's Accept-Language first, then the
language switcher in base.html (a plain form posted to /i18n/setlang/, no JavaScript)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from amparo.translations.selectors import visible_public_languages

pytestmark = pytest.mark.django_db

SPANISH_HEADING = "Ayuda legal gratuita para personas en riesgo de deportación"
ENGLISH_HEADING = "Free legal help for people facing deportation"


class FormReader(HTMLParser):
    """The language switcher as a browser sees it: action, method, fields and choices."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self._form = {"action": a.get("action"), "method": a.get("method"), "fields": {}}
            self._form.update(options=[], submit=False)
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            self._form["fields"][a["name"]] = a.get("value") or ""
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select:
            self._form["options"].append(a.get("value"))
            if "selected" in a:
                self._form["fields"][self._select] = a.get("value")
        elif tag == "button" and a.get("type", "submit") == "submit":
            self._form["submit"] = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def html_lang(response: Any) -> str:
    match = re.search(r'<html lang="([^"]*)"', response.content.decode())
    assert match, "no <html lang>"
    return match.group(1)


def switcher(response: Any) -> dict[str, Any]:
    reader = FormReader()
    reader.feed(response.content.decode())
    [form] = [f for f in reader.forms if f["action"] == "/i18n/setlang/"]
    return form


@pytest.mark.parametrize(
    ("accept_language", "lang", "heading"),
    [
        ("es", "es", SPANISH_HEADING),
        ("es-MX,es;q=0.9,en;q=0.5", "es", SPANISH_HEADING),
        ("en-US,en;q=0.9", "en", ENGLISH_HEADING),
        ("de-DE,it;q=0.8", "en", ENGLISH_HEADING),  # not offered: the default language
    ],
)
def test_the_browser_language_sets_html_lang(
    client: Client, accept_language: str, lang: str, heading: str
) -> None:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.status_code == 200
    assert html_lang(response) == lang
    assert heading in response.content.decode()
    assert response["Content-Language"] == lang


def test_the_switcher_is_a_plain_form_that_works_without_javascript() -> None:
    browser = Client(enforce_csrf_checks=True)  # the CSRF token must come from the page itself
    home = browser.get("/", HTTP_ACCEPT_LANGUAGE="en")
    form = switcher(home)
    assert form["method"] == "post" and form["submit"]
    # The public languages that are offered (a draft language once it has catalogs).
    assert form["options"] == visible_public_languages()
    assert form["options"][:2] == ["en", "es"]
    assert form["fields"]["language"] == "en"
    assert form["fields"]["next"] == "/"
    assert "<script" not in home.content.decode()

    fields = {**form["fields"], "language": "es"}
    response = browser.post(form["action"], fields, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302 and response["Location"] == "/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"

    # The choice now wins over the browser's own language, page after page.
    home = browser.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert html_lang(home) == "es"
    assert SPANISH_HEADING in home.content.decode()
    assert switcher(home)["fields"]["language"] == "es"
    assert html_lang(browser.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")) == "es"

    form = switcher(home)
    browser.post(form["action"], {**form["fields"], "language": "en"})
    assert html_lang(browser.get("/", HTTP_ACCEPT_LANGUAGE="es")) == "en"


@pytest.mark.parametrize(
    "fields",
    [
        {"language": "xx", "next": "/"},  # a language we do not offer
        {"language": "es", "next": "https://elsewhere.example/"},  # an open redirect
        {"next": "/"},  # nothing chosen
    ],
    ids=["unknown-language", "offsite-next", "no-language"],
)
def test_bad_switcher_input_changes_nothing_and_never_fails(
    client: Client, fields: dict[str, str]
) -> None:
    response = client.post("/i18n/setlang/", fields)
    assert response.status_code == 302
    assert response["Location"] == "/"
    if fields.get("language") != "es":
        assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
        assert html_lang(client.get("/", HTTP_ACCEPT_LANGUAGE="en")) == "en"
