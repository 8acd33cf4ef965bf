"""The help flow in Arabic, right to left, on a phone-sized screen (every page checked by axe).

Not a picture compared pixel by pixel (fonts and antialiasing differ from one Chromium to the
next) but the layout boxes that make a page right to left: headings, buttons, the back link and
the question counter start at the right edge of the space they are laid out in, a radio button stands to the right
of its label, an A-number keeps its left-to-right order, and nothing is wider than the screen.
Each check fails on a left-to-right layout: the test fails if ``dir="rtl"`` is dropped from
``<html>`` or a physical ``margin-left`` comes back in place of a logical property.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from amparo.intake.models import HelpRequest, IntakePolicy
from amparo.intake.policy import forget_cached_rules
from tests.clock import travelling
from tests.intake.helpers import ProgramFactory

from .conftest import screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("vault_keys"),
    travelling,
]

FACILITY = "Aurora Contract Detention Facility"
COURT = "Aurora Immigration Court"
PHONE = {"width": 360, "height": 740}
A_NUMBER = "A-212-345-678"
#: How far (CSS pixels) an edge may sit from the edge it is expected at.
SLACK = 2.5

#: The content box of the element's parent (less its padding and border): the space the
#: element is laid out in.
_CONTENT_BOX = """(el) => {
  const parent = el.parentElement;
  const r = parent.getBoundingClientRect(), s = getComputedStyle(parent);
  const side = (name) => parseFloat(s["padding" + name]) + parseFloat(s["border" + name + "Width"]);
  return {left: r.left + side("Left"), right: r.right - side("Right")};
}"""
#: The box of an element's first line of text (all its bidi runs), not of the block around it.
_TEXT_BOX = """(el) => {
  const range = document.createRange();
  range.selectNodeContents(el);
  const rects = [...range.getClientRects()].filter((r) => r.width > 0);
  const top = Math.min(...rects.map((r) => r.top));
  const line = rects.filter((r) => r.top < top + 4);
  return {left: Math.min(...line.map((r) => r.left)), right: Math.max(...line.map((r) => r.right))};
}"""


@pytest.fixture
def program(db: Any) -> Iterator[None]:
    forget_cached_rules()
    IntakePolicy.objects.create(
        program=ProgramFactory(name="Detained and removal defense", slug="defense"),
        counties=["Denver", "Arapahoe", "Adams"],
        facilities=[{"name": FACILITY, "county": "Arapahoe", "local": True}],
        courts=[COURT, "Denver Immigration Court"],
    )
    yield
    forget_cached_rules()


def content_box(page: Page, selector: str) -> dict[str, float]:
    found: dict[str, float] = page.locator(selector).first.evaluate(_CONTENT_BOX)
    return found


def box(page: Page, selector: str) -> dict[str, float]:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, f"{selector} is not shown"
    return {"left": found["x"], "right": found["x"] + found["width"]}


def text_box(page: Page, selector: str) -> dict[str, float]:
    found: dict[str, float] = page.locator(selector).first.evaluate(_TEXT_BOX)
    return found


def assert_starts_right(page: Page, selector: str, *, text: bool = False, gap: float = 40) -> None:
    """The element (or its text's first line) begins at the right edge of its parent's content
    box and stops ``gap`` pixels or more short of its left edge: right-aligned, not full width."""
    content = content_box(page, selector)
    found = text_box(page, selector) if text else box(page, selector)
    assert abs(found["right"] - content["right"]) <= SLACK, (selector, found, content)
    assert found["left"] - content["left"] > gap, (selector, found, content)


def assert_fits_the_screen(page: Page) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{page.url} is wider than the screen: {widths}"


def cont(page: Page) -> None:
    page.get_by_role("button", name="متابعة").click()


def test_the_help_flow_in_arabic_reads_right_to_left_on_a_phone(
    open_page: Any, program: None
) -> None:
    page = open_page(locale="ar")
    page.set_viewport_size(PHONE)
    page.goto("/help/")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text("اطلب محامي هجرة مجانيًا")
    assert_starts_right(page, "main h1", text=True, gap=8)
    assert_starts_right(page, "main button[type=submit]")
    assert_fits_the_screen(page)
    screenshot(page, "help-start-ar")
    page.get_by_role("button", name="ابدأ الآن").click()

    # A question with radio buttons: the counter, the back link and each radio at the right.
    expect(page.get_by_role("heading", level=1)).to_have_text("مَن يحتاج إلى محامٍ؟")
    assert_starts_right(page, ".step-count", text=True)
    assert_starts_right(page, ".back-link")
    radio = box(page, "input[name=for_whom][value=family]")
    label = box(page, "input[name=for_whom][value=family] + label")
    # Right of its label, with the space between them on the label's side (margin-inline-end).
    assert radio["left"] - label["right"] >= 8, (radio, label)
    assert_fits_the_screen(page)
    page.get_by_label("أحد أفراد أسرتي أو شخص مقرَّب مني").check()
    cont(page)
    page.get_by_label("ما الاسم الكامل للشخص؟").fill("رشا عبد الله")
    cont(page)
    page.get_by_label("نعم، محتجز الآن").check()
    cont(page)
    page.get_by_label(FACILITY).check()
    cont(page)

    # The A-number: typed and shown left to right; a wrong one gets the error summary.
    a_number = page.get_by_label("ما هو الرقم الأجنبي (A-number) للشخص؟")
    a_number.fill("A-12-34")
    cont(page)
    expect(page.get_by_role("alert")).to_contain_text("هناك مشكلة")
    expect(page.locator("#id_a_number-error")).to_contain_text("8 أو 9 أرقام")
    assert_starts_right(page, ".error-summary h2", text=True)
    assert_fits_the_screen(page)
    screenshot(page, "help-error-ar")
    a_number = page.get_by_label("ما هو الرقم الأجنبي (A-number) للشخص؟")
    assert a_number.evaluate("el => getComputedStyle(el).direction") == "ltr"
    a_number.fill(A_NUMBER)
    cont(page)

    hearing = timezone.localdate() + datetime.timedelta(days=9)
    page.get_by_label("اليوم").fill(str(hearing.day))
    page.get_by_label("الشهر").fill(str(hearing.month))
    page.get_by_label("السنة").fill(str(hearing.year))
    page.get_by_label("أي محكمة هجرة؟").select_option(COURT)
    cont(page)
    page.get_by_label("لا", exact=True).check()
    cont(page)
    page.get_by_label("لا، أو لا أعرف").check()
    cont(page)
    page.get_by_label("الرمز البريدي (ZIP)").fill("80010")
    page.get_by_label("المقاطعة").select_option("Arapahoe")
    cont(page)
    page.get_by_label("كم عدد الأشخاص الذين يعيشون في الأسرة المعيشية؟").fill("4")
    cont(page)
    page.locator("input[name=income_band]").nth(2).check()
    cont(page)
    page.get_by_label("ما أفضل لغة للتحدث مع المحامي؟").select_option("ar")
    page.get_by_label("نعم", exact=True).check()
    cont(page)
    page.get_by_label("عن طريق قريب أو صديق").check()
    page.get_by_label("اسم القريب أو الصديق").fill("سلمى عبد الله")
    page.get_by_label("رقم هاتفه").fill("+1 (303) 555-0142")
    assert_starts_right(page, "main button[type=submit]")
    cont(page)

    # The summary: labels and values at the right, the A-number and phone isolated LTR.
    expect(page.get_by_role("heading", level=1)).to_have_text("راجع إجاباتك وأرسلها")
    assert_starts_right(page, ".summary-row dt", text=True)
    ltr = page.locator(".summary-row bdi[dir=ltr]")
    expect(ltr.first).to_have_text(A_NUMBER)
    directions = ltr.evaluate_all("els => els.map(el => getComputedStyle(el).direction)")
    assert directions and set(directions) == {"ltr"}
    phone = ltr.filter(has_text="555-0142")
    assert phone.evaluate("el => el.getClientRects().length") == 1  # not split over two lines
    # "+1 (303)" stays in front, on the left: in a right-to-left run it would move to the end.
    plus = phone.evaluate(
        """el => { const r = document.createRange(); const t = el.firstChild;
             r.setStart(t, 0); r.setEnd(t, 1); const first = r.getBoundingClientRect();
             r.setStart(t, t.length - 1); r.setEnd(t, t.length); const last = r.getBoundingClientRect();
             return first.left < last.left; }"""
    )
    assert plus, "the phone number is not shown left to right"
    assert_fits_the_screen(page)
    assert HelpRequest.objects.count() == 0
    page.get_by_label("أوافق").check()
    screenshot(page, "help-check-ar")
    page.get_by_role("button", name="الموافقة وإرسال الطلب").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("أُرسل الطلب")
    reference = page.locator("#reference")
    assert reference.evaluate("el => getComputedStyle(el).direction") == "ltr"
    assert_fits_the_screen(page)
    request = HelpRequest.objects.get(reference=reference.inner_text())
    assert request.language == "ar" and request.spoken_language == "ar"
