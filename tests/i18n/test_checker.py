"""The catalog checker itself: it must see every kind of translatable string and catch every
kind of incomplete catalog, using Python alone (no GNU gettext)."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from amparo.core.management.commands.messages import (
    catalog_paths,
    catalog_problems,
    extract_messages,
    messages_in_python,
    messages_in_template,
)


def test_python_calls_of_every_gettext_flavour_are_found() -> None:
    source = """
from django.utils import translation
from django.utils.translation import gettext as _, gettext_lazy, ngettext, npgettext_lazy, pgettext

A = _("Plain")
B = gettext_lazy("Lazy " "and joined")
C = ngettext("One case", "%(n)s cases", 3)
D = pgettext("verb", "File")
E = npgettext_lazy("hearing", "One hearing", "Many hearings", "n")
F = translation.gettext("Through the module")
G = _(some_variable)
H = _(f"not {A} a literal")
I = print("not translatable")
"""
    found = {m.key: m for m in messages_in_python(source, "sample.py")}
    assert set(found) == {
        (None, "Plain"),
        (None, "Lazy and joined"),
        (None, "One case"),
        ("verb", "File"),
        ("hearing", "One hearing"),
        (None, "Through the module"),
    }
    assert found[(None, "One case")].plural == "%(n)s cases"
    assert found[("hearing", "One hearing")].plural == "Many hearings"
    assert found[("verb", "File")].locations == ["sample.py:8"]


def test_template_tags_and_filters_are_found_as_makemessages_sees_them() -> None:
    source = """{% load i18n %}
<h1>{% translate "Welcome" %}</h1>
<p>{% translate "May" context "month" %}</p>
{% blocktranslate with name=user.name %}Hello {{ name }}{% endblocktranslate %}
{% blocktranslate trimmed count n=items|length %}
  One item
{% plural %}
  {{ n }} items
{% endblocktranslate %}
{{ value|default:_("Nothing yet") }}
<p>Not translatable</p>
"""
    found = {m.key: m for m in messages_in_template(source, "sample.html")}
    assert set(found) == {
        (None, "Welcome"),
        ("month", "May"),
        (None, "Hello %(name)s"),
        (None, "One item"),
        (None, "Nothing yet"),
    }
    assert found[(None, "One item")].plural == "%(n)s items"
    assert found[(None, "Welcome")].locations == ["sample.html:2"]


def make_app(tmp_path: Path, translations: dict[str, str], *, fuzzy: tuple[str, ...] = ()) -> Path:
    """A tiny app folder: one template, one module, and a catalog with ``translations``."""
    root = tmp_path / "app"
    (root / "templates").mkdir(parents=True)
    (root / "templates" / "page.html").write_text(
        '{% load i18n %}<h1>{% translate "Good morning" %}</h1>'
        "<p>{% blocktranslate %}See you soon{% endblocktranslate %}</p>",
        encoding="utf-8",
    )
    (root / "views.py").write_text(
        'from django.utils.translation import gettext as _\nTITLE = _("Thank you")\n',
        encoding="utf-8",
    )
    po_path, _mo = catalog_paths(root)
    po_path.parent.mkdir(parents=True)
    po = polib.POFile()
    po.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Language": "es",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
    }
    for msgid, msgstr in translations.items():
        entry = polib.POEntry(msgid=msgid, msgstr=msgstr)
        if msgid in fuzzy:
            entry.flags.append("fuzzy")
        po.append(entry)
    po.save(str(po_path))
    po.save_as_mofile(str(po_path.with_suffix(".mo")))
    return root


COMPLETE = {"Good morning": "Buenos días", "See you soon": "Hasta pronto", "Thank you": "Gracias"}


def test_a_complete_catalog_has_no_problems(tmp_path: Path) -> None:
    root = make_app(tmp_path, COMPLETE)
    assert set(extract_messages(root)) == {(None, k) for k in COMPLETE}
    assert catalog_problems(root) == []


def test_a_string_missing_from_the_catalog_is_caught(tmp_path: Path) -> None:
    root = make_app(tmp_path, {k: v for k, v in COMPLETE.items() if k != "See you soon"})
    problems = catalog_problems(root)
    assert len(problems) == 1
    assert "not in the catalog: 'See you soon'" in problems[0]
    assert "templates/page.html:1" in problems[0]


def test_a_new_string_in_a_template_is_caught(tmp_path: Path) -> None:
    root = make_app(tmp_path, COMPLETE)
    (root / "templates" / "other.html").write_text(
        '{% load i18n %}{% translate "Untranslated" %}', encoding="utf-8"
    )
    problems = catalog_problems(root)
    assert len(problems) == 1 and "'Untranslated'" in problems[0]


@pytest.mark.parametrize(
    ("translations", "fuzzy", "expected"),
    [
        ({**COMPLETE, "Thank you": ""}, (), "not translated: 'Thank you'"),
        (COMPLETE, ("Thank you",), "fuzzy: 'Thank you'"),
    ],
    ids=["empty", "fuzzy"],
)
def test_an_empty_or_fuzzy_translation_is_caught(
    tmp_path: Path, translations: dict[str, str], fuzzy: tuple[str, ...], expected: str
) -> None:
    problems = catalog_problems(make_app(tmp_path, translations, fuzzy=fuzzy))
    assert len(problems) == 1 and expected in problems[0]


def test_a_compiled_catalog_older_than_its_po_is_caught(tmp_path: Path) -> None:
    root = make_app(tmp_path, COMPLETE)
    po_path, mo_path = catalog_paths(root)
    po = polib.pofile(str(po_path))
    po.find("Thank you").msgstr = "Muchas gracias"
    po.save()  # edited, not compiled
    problems = catalog_problems(root)
    assert len(problems) == 1
    assert "out of date" in problems[0] and "Thank you" in problems[0]
    po.save_as_mofile(str(mo_path))
    assert catalog_problems(root) == []


def test_a_missing_compiled_catalog_or_catalog_is_caught(tmp_path: Path) -> None:
    root = make_app(tmp_path, COMPLETE)
    po_path, mo_path = catalog_paths(root)
    mo_path.unlink()
    assert ["missing" in p for p in catalog_problems(root)] == [True]
    po_path.unlink()
    problems = catalog_problems(root)
    assert len(problems) == 1 and "missing (3 strings to translate)" in problems[0]


def test_a_plural_needs_every_form(tmp_path: Path) -> None:
    root = make_app(tmp_path, COMPLETE)
    (root / "counts.py").write_text(
        "from django.utils.translation import ngettext\n"
        'def text(n):\n    return ngettext("%(n)s case", "%(n)s cases", n)\n',
        encoding="utf-8",
    )
    po_path, mo_path = catalog_paths(root)
    po = polib.pofile(str(po_path))
    po.append(
        polib.POEntry(
            msgid="%(n)s case", msgid_plural="%(n)s cases", msgstr_plural={0: "%(n)s caso", 1: ""}
        )
    )
    po.save()
    po.save_as_mofile(str(mo_path))
    assert any("not translated: '%(n)s case'" in p for p in catalog_problems(root))
    po.find("%(n)s case").msgstr_plural[1] = "%(n)s casos"
    po.save()
    po.save_as_mofile(str(mo_path))
    assert catalog_problems(root) == []
