"""The rights pages as shipped: every topic in every language, plain words, safe markup."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from amparo.rights import markup
from amparo.rights.content import TOPICS, languages, parse_file, repository_page
from tests.clock import real_now
from tests.support.readability import flesch_kincaid_grade, sentences, syllables

LANGUAGES = languages()


def test_english_and_spanish_are_there_and_english_comes_first() -> None:
    assert LANGUAGES[0] == "en"
    assert "es" in LANGUAGES


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("topic", TOPICS)
def test_every_topic_is_complete_in_every_language(topic: str, language: str) -> None:
    page = repository_page(topic, language)
    assert page is not None, f"content/{language}/{topic}.txt is missing"
    assert page.title and page.summary
    # a review date in the future is a typo: compare with the real date, not a moved clock
    assert page.reviewed <= timezone.localtime(real_now()).date()
    assert markup.problems(page.body) == []
    blocks = markup.parse(page.body)
    assert [b for b in blocks if b.kind == "h2"], "short sections need headings"
    # one idea per paragraph: no paragraph runs long
    for block in blocks:
        if block.kind == "p":
            assert len(block.lines[0]) <= 260, block.lines[0]


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
@pytest.mark.parametrize("topic", TOPICS)
def test_translations_have_the_same_sections_and_links_as_english(
    topic: str, language: str
) -> None:
    english, other = repository_page(topic, "en"), repository_page(topic, language)
    assert english is not None and other is not None

    def shape(body: str) -> list[str]:
        return [b.kind for b in markup.parse(body)]

    def links(body: str) -> list[str]:
        return re.findall(r"\]\(([^)]+)\)", body)

    assert shape(other.body) == shape(english.body)
    assert links(other.body) == links(english.body)


@pytest.mark.parametrize("topic", TOPICS)
def test_english_pages_read_at_grade_eight_or_below(topic: str) -> None:
    page = repository_page(topic, "en")
    assert page is not None
    text = "\n".join([page.title, page.summary, markup.to_plain(page.body)])
    grade = flesch_kincaid_grade(text)
    assert grade <= 8, f"{topic}: Flesch-Kincaid grade {grade:.1f}"


def test_the_readability_score_tells_easy_from_hard_text() -> None:
    assert [syllables(w) for w in ("door", "judge", "lawyer", "immigration", "silent")] == [
        1,
        1,
        2,
        4,
        2,
    ]
    assert sentences("Stay calm. Do not run! Ask: why?") == 3
    easy = "Do not open the door. Ask to see the warrant. You can stay silent."
    hard = (
        "Notwithstanding administrative determinations, individuals possessing constitutional "
        "protections may categorically decline interrogation regarding immigration classification."
    )
    assert flesch_kincaid_grade(easy) < 4
    assert flesch_kincaid_grade(hard) > 12


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_facts_the_issue_asks_for_are_on_the_pages(language: str) -> None:
    def body(topic: str) -> str:
        page = repository_page(topic, language)
        assert page is not None
        return page.title + "\n" + page.body

    at_home = body("at-home")
    assert "I-200" in at_home and "I-205" in at_home
    assert "/odls/" in body("find-someone")
    assert "(/help/)" in body("lawyer")
    assert "master calendar" in body("after-arrest")
    assert "212(a)(6)(C)(ii)" in body("never-claim-citizenship")
    assert "1-800-203-7001" in body("find-someone") and "CBP" in body("find-someone")
    assert "ORR" in body("find-someone")
    assert "ICE" in body("delivery-bond")
    if language == "en":
        assert "slide the warrant under the door" in at_home
        assert "signed by a judge" in at_home
        finder = body("find-someone")
        for need in ("A-number", "country of birth", "date of birth"):
            assert need in finder
        assert "Bond" in body("after-arrest")
        assert "does not pay" in body("lawyer")
        removal = body("expedited-removal")
        assert "no judge" in removal and "afraid to go back" in removal
        assert "how long you have lived here" in removal
        bond = body("delivery-bond")
        assert "to be deported" in bond and "The money can be lost" in bond
    elif language == "es":
        assert "audiencia inicial (master calendar hearing)" in body("after-arrest")
        assert "Guarde silencio" in body("at-home")
        assert "lo pararon" in body("in-public") and "parada" not in body("in-public")
        assert "le hacen renunciar a sus derechos" in body("do-not-sign")
        assert "miedo de regresar" in body("expedited-removal")


def test_the_header_format_is_checked() -> None:
    good = "title: T\nsummary: S\nreviewed: 2026-01-02\n\n## H\nText.\n"
    page = parse_file(good, topic="at-home", language="en")
    assert page.title == "T" and page.reviewed.isoformat() == "2026-01-02"
    assert page.reviewed_by == "" and page.sources == ()
    full = parse_file(
        "title: T\nsummary: S\nreviewed: 2026-01-02\nreviewed_by: A. Lawyer\n"
        "sources: INA 1; 8 CFR 2\n\n## H\nText.\n",
        topic="at-home",
        language="en",
    )
    assert full.reviewed_by == "A. Lawyer" and full.sources == ("INA 1", "8 CFR 2")
    for bad in (
        "title: T\nsummary: S\n\nText.",  # no date
        "title: T\nsummary: S\nreviewed: soon\n\nText.",
        "title: T\nauthor: X\nsummary: S\nreviewed: 2026-01-02\n\nText.",
        "title: T",  # no body
    ):
        with pytest.raises(ValueError):
            parse_file(bad, topic="at-home", language="en")
    assert repository_page("no-such-topic", "en") is None
    assert repository_page("at-home", "../en") is None


def test_markup_escapes_everything_and_allows_only_safe_links() -> None:
    html = markup.to_html(
        "## Title <b>\n"
        "Hi <script>alert(1)</script> & **bold** [help](/help/) [call](tel:+13035550100)\n"
        "[bad](javascript:alert) [far](https://evil.example/) "
        "[ice](https://locator.ice.gov/odls/) [proto](//evil.example/)\n\n"
        "- one\n- two\n"
    )
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<h2>Title &lt;b&gt;</h2>" in html
    assert "<strong>bold</strong>" in html
    assert '<a href="/help/">help</a>' in html
    assert '<a href="tel:+13035550100">call</a>' in html
    assert '<a href="https://locator.ice.gov/odls/">ice</a>' in html
    assert 'href="javascript' not in html and "<a href" not in html.split("[bad]")[0][-40:]
    assert 'href="https://evil.example/' not in html and 'href="//evil' not in html
    assert "<ul><li>one</li><li>two</li></ul>" in html
    assert markup.problems("Hi <b>there</b>") == ["html"]
    assert markup.problems("[x](https://evil.example/)") == ["link"]
    assert markup.problems("## Only a heading") == ["empty"]
    assert markup.problems("Fine [help](/help/).") == []
    assert markup.to_plain("A [link](/help/) and **bold**.") == "A link and bold."


@pytest.mark.parametrize(
    "topic", ["never-claim-citizenship", "expedited-removal", "delivery-bond", "find-someone"]
)
def test_the_new_rights_content_has_the_same_review_and_sources_in_both_languages(
    topic: str,
) -> None:
    # Issue #14: the additions ship in English and Spanish "with the same review date and
    # sources", and each page says who reviewed it; find-someone gained the ORR/CBP section.
    english, spanish = repository_page(topic, "en"), repository_page(topic, "es")
    assert english is not None and spanish is not None
    assert english.reviewed == spanish.reviewed == datetime.date(2026, 12, 5)
    assert english.sources == spanish.sources != ()
    assert english.reviewed_by and spanish.reviewed_by
