"""Every public page in every public language: the right ``<html lang>``, no public string
left untranslated, and no English sentence left in a translated page.

Data-driven: the languages are ``settings.LANGUAGES`` and the public strings are the catalog
entries whose source is public (``amparo.core.i18n_public.PUBLIC_SOURCES``), so a language's
test passes once its catalogs are complete and fails, listing what is left, until then.

"English left in a page" is found by rendering each page in English too (one Django test
client per language, the same answers in the help flow) and comparing the visible text nodes
(and the labels a screen reader speaks): a node that reads exactly the same in both, and is
not a name, a number or the brand (:data:`ALLOWED`), was not translated. Text marked as written
in another language (``lang="en"`` on the English side of the rights card, each language's own
name in the picker) is left out. The Arabic layout (right to left) has its own browser test.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from amparo.core.i18n_public import public_apps
from amparo.core.management.commands.messages import AMPARO_ROOT, catalog_problems
from amparo.rights.content import TOPICS
from tests.clock import frozen
from tests.intake.helpers import COURT, FACILITY, fresh_rules_cache, policy, vault_keys  # noqa: F401

pytestmark = [pytest.mark.django_db, frozen]

LANGUAGES = [code for code, _name in settings.LANGUAGES]

#: The public pages reached by a plain GET (the help flow's steps are walked below).
PAGES = [
    "/",
    "/help/status/",
    "/rights/",
    *[f"/rights/{topic}/" for topic in TOPICS],
    "/rights/card/",
    "/rights/family-plan/",
    "/donate/",
    "/transparency/",
    "/impact/",
]

#: The help flow's answers, step by step, the same in every language.
HELP_ANSWERS: dict[str, dict[str, str]] = {
    "for-whom": {"for_whom": "family"},
    "name": {"name": "Rosa Quispe"},
    "detained": {"custody": "detained"},
    "facility": {"facility": FACILITY},
    "a-number": {"a_number": "A-212-345-678"},
    "hearing": {"court": COURT},
    "missed": {"missed": "no"},
    "deadline": {},
    "where": {"zip_code": "80203"},
    "household": {"household_size": "2"},
    "income": {"income_band": "under_15k"},
    "language": {"spoken_language": "mam", "needs_interpreter": "yes"},
    "contact": {"contact_method": "phone", "phone": "303 555 0100"},
}

#: Text that reads the same in every language: the brand, proper names (a form's official
#: name, a cited institution), and what the person typed.
ALLOWED = frozenset(
    {
        "Amparo",
        "Notice to Appear",
        "Vera Institute of Justice",
        "Rosa Quispe",
        "A-212-345-678",
        "303 555 0100",
        "80203",
        "WhatsApp",
        FACILITY,
        "Far Away Detention Center",  # the other facility of the test's program
        COURT,
    }
)
#: Words spelled the same in English and in a language (extend it with care: each entry hides
#: a possibly untranslated word in that language).
SAME_WORDS: dict[str, frozenset[str]] = {
    "es": frozenset({"No", "Total"}),
    "pt": frozenset({"Total"}),
    "fr": frozenset({"Total", "Impact", "Source"}),
    "ht": frozenset({"Total"}),
}
#: A node with no word of two letters or more (numbers, dates, money, punctuation, codes).
NO_WORDS = re.compile(r"^[^A-Za-z]*(?:[A-Za-z][^A-Za-z]*)?$")
#: Addresses, telephone numbers and references, which no language translates.
UNTRANSLATABLE = re.compile(
    r"^(?:\S+@\S+|https?://\S+|[+()\d][\d\s().+-]{6,}|[A-Z0-9]{2,}(?:-[A-Z0-9]+)+)$"
)
SPOKEN_ATTRIBUTES = ("aria-label", "alt", "title", "placeholder")


class TextNodes(HTMLParser):
    """The text nodes of <header>, <main> and <footer> a reader sees or hears, without the
    parts marked as written in a language other than the page's."""

    HIDDEN = frozenset({"script", "style", "option", "template"})
    REGIONS = frozenset({"header", "main", "footer"})
    VOID = frozenset({"br", "img", "input", "meta", "link", "hr", "source", "wbr"})

    def __init__(self, language: str) -> None:
        super().__init__()
        self.language = language
        self.html_lang = ""
        self.nodes: list[str] = []
        self._regions = 0
        self._hidden = 0
        self._stack: list[bool] = []  # per open element: whether it is in another language

    def _reading(self) -> bool:
        return self._regions > 0 and self._hidden == 0 and not any(self._stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "html":
            self.html_lang = attributes.get("lang") or ""
        lang = attributes.get("lang") or ""
        foreign = bool(lang) and lang.split("-")[0] != self.language and tag != "html"
        self._regions += tag in self.REGIONS
        self._hidden += tag in self.HIDDEN
        if tag not in self.VOID:
            self._stack.append(foreign)
        if self._reading() and not foreign:
            self.nodes += [attributes[a] or "" for a in SPOKEN_ATTRIBUTES if attributes.get(a)]

    def handle_endtag(self, tag: str) -> None:
        self._regions -= tag in self.REGIONS
        self._hidden -= tag in self.HIDDEN
        if tag not in self.VOID and self._stack:
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text and self._reading():
            self.nodes.append(text)


def read(html: str, language: str) -> TextNodes:
    reader = TextNodes(language)
    reader.feed(html)
    return reader


def translatable(node: str, language: str) -> bool:
    """Whether ``node`` has words a translation should have changed."""
    stripped = node.strip(" .,:;·()«»\"'“”!?¿¡-–—")
    if stripped in SAME_WORDS.get(language, frozenset()) or UNTRANSLATABLE.match(stripped):
        return False
    for name in sorted(ALLOWED | {settings.AMPARO["FUND_NAME"]}, key=len, reverse=True):
        stripped = stripped.replace(name, "")
    return not NO_WORDS.match(stripped)


def render_all(language: str) -> dict[str, Any]:
    """Every public page in ``language``, as one browser that always asks for it."""
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    pages = {url: client.get(url) for url in PAGES}
    pages["/help/"] = client.get("/help/")
    client.post("/help/", {})
    for slug, answers in HELP_ANSWERS.items():
        url = f"/help/q/{slug}/"
        pages[url] = client.get(url)
        moved = client.post(url, answers)
        assert moved.status_code == 302, f"{language} {url} did not accept {answers}"
    check = client.get("/help/check/")
    pages["/help/check/"] = check
    token = re.search(r'name="token" value="([0-9a-f]+)"', check.content.decode())
    assert token is not None, f"{language}: /help/check/ has no form to send"
    assert client.post("/help/check/", {"token": token[1], "consent": "on"}).status_code == 302
    pages["/help/done/"] = client.get("/help/done/")
    pages["/no-such-page/ (404)"] = client.get("/no-such-page/")
    return pages


def missing_public_strings(language: str) -> list[str]:
    """The public catalog entries of ``language`` that are absent, empty or fuzzy."""
    if language == settings.LANGUAGE_CODE:
        return []
    return [
        problem
        for app in public_apps()
        for problem in catalog_problems(AMPARO_ROOT / app, language, public_only=True)
    ]


#: The English text nodes of each page, read once for the whole module (the pages and the
#: fixtures are the same in every test; the clock is frozen).
_ENGLISH: dict[str, set[str]] = {}


def english_nodes() -> dict[str, set[str]]:
    if not _ENGLISH:
        for url, response in render_all("en").items():
            _ENGLISH[url] = set(read(response.content.decode(), "en").nodes)
    return _ENGLISH


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_page_speaks_the_language(language: str, policy: Any) -> None:  # noqa: F811
    problems: list[str] = [f"missing string: {p}" for p in missing_public_strings(language)]
    pages = render_all(language)
    english = english_nodes() if language != "en" else {}
    for url, response in pages.items():
        expected = 404 if "(404)" in url else 200
        if response.status_code != expected:
            problems.append(f"{url}: status {response.status_code}, not {expected}")
            continue
        page = read(response.content.decode(), language)
        if page.html_lang != language:
            problems.append(f'{url}: <html lang="{page.html_lang}">, not "{language}"')
        if language == "en":
            continue
        leftovers = sorted(
            {n for n in page.nodes if n in english[url] and translatable(n, language)}
        )
        if leftovers:
            problems.append(f"{url}: English left: {leftovers}")
    assert not problems, f"{len(problems)} problems in {language}:\n" + "\n".join(problems)


def test_the_reader_finds_english_left_and_skips_what_is_marked_foreign() -> None:
    html = (
        '<html lang="pt"><body><header><option>English</option></header><main>'
        "<h1>Obter ajuda</h1><p>Ask for a lawyer</p>"
        '<p lang="en">You have the right to remain silent.</p>'
        '<a aria-label="Donate" href="/">Doar</a><br><p>Rosa Quispe, 303 555 0100</p>'
        "</main></body></html>"
    )
    page = read(html, "pt")
    assert page.html_lang == "pt"
    assert page.nodes == [
        "Obter ajuda",
        "Ask for a lawyer",
        "Donate",
        "Doar",
        "Rosa Quispe, 303 555 0100",
    ]
    flagged = [n for n in page.nodes if translatable(n, "pt")]
    assert flagged == ["Obter ajuda", "Ask for a lawyer", "Donate", "Doar"]
    assert not translatable("Total", "es") and translatable("Total", "ru")
    assert not translatable("Vera Institute of Justice, 2017", "fr")
