"""Left-to-right isolates for A-numbers, phone numbers and codes inside right-to-left text."""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe

from amparo.core.bidi import join_html, ltr


def test_ltr_isolates_and_escapes() -> None:
    assert ltr("+1 (303) 555-0142") == '<bdi dir="ltr">+1 (303) 555-0142</bdi>'
    assert ltr("<b>A-1</b>") == '<bdi dir="ltr">&lt;b&gt;A-1&lt;/b&gt;</bdi>'
    assert isinstance(ltr("A-212-345-678"), SafeString)


def test_ltr_leaves_nothing_for_nothing() -> None:
    assert ltr("") == "" and ltr(None) == ""


def test_join_html_escapes_plain_parts_keeps_safe_ones_and_drops_empty_ones() -> None:
    joined = join_html(" — ", ["<i>Adams</i>", "", ltr("80010"), mark_safe("<br>")])
    assert joined == '&lt;i&gt;Adams&lt;/i&gt; — <bdi dir="ltr">80010</bdi> — <br>'
    assert join_html(": ", ["", ""]) == ""
