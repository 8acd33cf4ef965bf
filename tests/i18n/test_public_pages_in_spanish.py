"""Every public page, asked for in Spanish, shows no English sentence.

A missing translation does not fail loudly: Django falls back to the English source string. So
each public page is rendered with ``Accept-Language: es`` and the visible text of its header,
main and footer (and the labels a screen reader speaks there: aria-label, alt, title,
placeholder) is searched for common English function words. Proper names (the fund's name, the
English name of a form or of a cited study) and the language switcher's options (each language in
its own name) are left out, and so is text marked as another language (``lang="en"``, as on
the English side of the rights card, which is meant to be shown to an officer).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from amparo.rights.content import TOPICS
from tests.clock import frozen
from tests.intake.helpers import FACILITY, fresh_rules_cache, policy, vault_keys  # noqa: F401

pytestmark = [pytest.mark.django_db, frozen]

#: Words that appear in almost every English sentence and in no Spanish one.
ENGLISH = re.compile(
    r"\b(the|and|or|you|your|we|our|with|for|from|by|at|on|please|to|of|is|are|be|have|"
    r"this|it|will|not)\b",
    re.IGNORECASE,
)

#: Names that stay in English in the Spanish text: a form's official name, a cited institution.
PROPER_NAMES = ("Notice to Appear", "Vera Institute of Justice")

#: The attributes whose text a screen reader speaks.
SPOKEN_ATTRIBUTES = ("aria-label", "alt", "title", "placeholder")

#: The wizard's answers, step by step, so that every step of /help/ can be reached by GET.
HELP_ANSWERS: dict[str, dict[str, str]] = {
    "for-whom": {"for_whom": "family"},
    "name": {"name": "Rosa Quispe"},
    "detained": {"custody": "detained"},
    "facility": {"facility": FACILITY},
    "a-number": {"a_number": "A-212-345-678"},
    "hearing": {"court": "Denver Immigration Court"},
    "missed": {"missed": "no"},
    "deadline": {},
    "where": {"zip_code": "80203"},
    "household": {"household_size": "2"},
    "income": {"income_band": "under_15k"},
    "language": {"spoken_language": "es", "needs_interpreter": "no"},
    "contact": {"contact_method": "phone", "phone": "303 555 0100"},
}

STATIC_PAGES = [
    "/",
    "/help/status/",
    "/rights/",
    *[f"/rights/{topic}/" for topic in TOPICS],
    "/rights/card/",
    "/rights/family-plan/",
    "/donate/",
    "/transparency/",
    "/impact/",
    "/accounts/login/",
    "/accounts/donor/sign-in/",
]


class VisibleText(HTMLParser):
    """The Spanish text a reader sees in <header>, <main> and <footer>, without the language
    names and without what is marked as written in another language."""

    HIDDEN = frozenset({"script", "style", "option", "template"})
    REGIONS = frozenset({"header", "main", "footer"})

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._regions = 0
        self._hidden = 0
        self._foreign: list[str] = []  # open tags of an element in another language, nested

    def _reading(self) -> bool:
        """Whether text here is page text meant to be Spanish."""
        return self._regions > 0 and self._hidden == 0 and not self._foreign

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if self._is_foreign(tag, attributes.get("lang") or ""):
            self._foreign.append(tag)
        self._regions += tag in self.REGIONS
        self._hidden += tag in self.HIDDEN
        if self._reading():
            self.parts += [
                attributes[name] or "" for name in SPOKEN_ATTRIBUTES if name in attributes
            ]

    def _is_foreign(self, tag: str, language: str) -> bool:
        """Whether this element is (or nests in) one marked as another language: a nested tag of
        the same name is counted, so its end tag does not end the foreign part too early."""
        if self._foreign:
            return tag == self._foreign[0]
        return self._regions > 0 and bool(language) and not language.startswith("es")

    def handle_endtag(self, tag: str) -> None:
        self._regions -= tag in self.REGIONS
        self._hidden -= tag in self.HIDDEN
        if self._foreign and tag == self._foreign[0]:
            self._foreign.pop()

    def handle_data(self, data: str) -> None:
        if self._reading():
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The page's visible text on one line, with proper names (the fund's too) removed."""
    reader = VisibleText()
    reader.feed(html)
    text = " ".join(" ".join(reader.parts).split())
    for name in (settings.AMPARO["FUND_NAME"], *PROPER_NAMES):
        text = text.replace(name, "")
    return text


def english_in(text: str) -> list[str]:
    """Each English function word found, with a little of the text around it."""
    return [text[max(m.start() - 40, 0) : m.end() + 40] for m in ENGLISH.finditer(text)]


def get_es(client: Client, url: str) -> Any:
    """A GET as a Spanish-speaking browser makes it."""
    return client.get(url, HTTP_ACCEPT_LANGUAGE="es")


def help_pages(client: Client) -> dict[str, Any]:
    """/help/, each step of its wizard (answering each one to reach the next), the check page
    and the page with the reference and status code once the request is sent."""
    pages = {"/help/": get_es(client, "/help/")}
    client.post("/help/", {}, HTTP_ACCEPT_LANGUAGE="es")
    for slug, answers in HELP_ANSWERS.items():
        url = f"/help/q/{slug}/"
        pages[url] = get_es(client, url)
        moved = client.post(url, answers, HTTP_ACCEPT_LANGUAGE="es")
        assert moved.status_code == 302, f"{url} did not accept {answers}"
    check = get_es(client, "/help/check/")
    pages["/help/check/"] = check
    token = re.search(r'name="token" value="([0-9a-f]+)"', check.content.decode())
    assert token is not None, "/help/check/ has no form to send"
    sent = client.post("/help/check/", {"token": token[1], "consent": "on"})
    assert sent.status_code == 302, "/help/check/ did not accept the request"
    pages["/help/done/"] = get_es(client, "/help/done/")
    return pages


def test_every_public_page_in_spanish_shows_no_english(policy: Any) -> None:  # noqa: F811
    client = Client()
    pages = {url: get_es(client, url) for url in STATIC_PAGES}
    pages.update(help_pages(client))
    assert all(response.status_code == 200 for response in pages.values()), {
        url: response.status_code for url, response in pages.items()
    }
    pages["404"] = get_es(client, "/no-such-page/")
    assert pages["404"].status_code == 404
    not_spanish = [url for url, r in pages.items() if '<html lang="es"' not in r.content.decode()]
    assert not not_spanish, f"not served in Spanish: {not_spanish}"
    found = {
        url: hits
        for url, response in pages.items()
        if (hits := english_in(visible_text(response.content.decode())))
    }
    assert not found, "\n".join(f"{url}: {hits}" for url, hits in found.items())
