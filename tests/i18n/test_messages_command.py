"""`amparo messages`: extraction with Django's makemessages, compilation, and --check."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import polib
import pytest
from django.core.management import CommandError, call_command

from amparo.core.management.commands.messages import (
    Command,
    app_roots,
    catalog_languages,
    catalog_paths,
    catalog_problems,
    extract_messages,
    language_problems,
    public_messages,
)


def test_check_passes_on_the_complete_core_catalog() -> None:
    out = StringIO()
    call_command("messages", "--check", "core", stdout=out)
    assert "Every catalog is complete (1 apps; es" in out.getvalue()


def test_an_unknown_app_is_refused() -> None:
    with pytest.raises(CommandError, match="No such app under amparo/: nowhere"):
        call_command("messages", "--check", "nowhere")


def test_extract_then_translate_then_compile_a_new_app(tmp_path: Path) -> None:
    root = tmp_path / "newapp"
    (root / "templates" / "newapp").mkdir(parents=True)
    (root / "templates" / "newapp" / "page.html").write_text(
        '{% load i18n %}<h1>{% translate "Hearing" context "court" %}</h1>\n'
        "{% blocktranslate count n=days %}{{ n }} day left{% plural %}{{ n }} days left"
        "{% endblocktranslate %}\n",
        encoding="utf-8",
    )
    (root / "views.py").write_text(
        'from django.utils.translation import gettext_lazy as _\nTITLE = _("Your case")\n',
        encoding="utf-8",
    )
    command = Command(stdout=StringIO(), stderr=StringIO())

    command.update_catalogs([root])  # GNU gettext's xgettext, as `amparo messages` runs it
    po_path, mo_path = catalog_paths(root)
    po = polib.pofile(str(po_path))
    written = {(e.msgctxt or None, e.msgid) for e in po}
    # Our Python-only extractor sees exactly what makemessages wrote.
    assert (
        written
        == set(extract_messages(root))
        == {
            ("court", "Hearing"),
            (None, "%(n)s day left"),
            (None, "Your case"),
        }
    )
    problems = catalog_problems(root)
    assert len(problems) == 3 and all("not translated" in p for p in problems)

    po.find("Hearing", msgctxt="court").msgstr = "Audiencia"
    po.find("Your case").msgstr = "Su caso"
    po.find("%(n)s day left").msgstr_plural = {
        0: "Queda %(n)s día",
        1: "Quedan %(n)s de días",
        2: "Quedan %(n)s días",
    }
    po.save()
    command.update_catalogs([root])
    assert catalog_problems(root) == []
    compiled = {e.msgid: e.msgstr for e in polib.mofile(str(mo_path)) if e.msgid}
    assert compiled["Your case"] == "Su caso"


def _public_app(tmp_path: Path) -> Path:
    """A throwaway app named like a real one ("rights"), with one public and one staff string."""
    root = tmp_path / "rights"
    (root / "templates" / "rights").mkdir(parents=True)
    (root / "templates" / "rights" / "index.html").write_text(
        '{% load i18n %}<h1>{% translate "Know your rights" %}</h1>\n', encoding="utf-8"
    )
    (root / "templates" / "rights" / "manage.html").write_text(
        '{% load i18n %}<h1>{% translate "Edit the pages" %}</h1>\n', encoding="utf-8"
    )
    return root


def test_a_draft_language_must_translate_the_public_strings_only(tmp_path: Path) -> None:
    root = _public_app(tmp_path)
    command = Command(stdout=StringIO(), stderr=StringIO())
    assert set(public_messages(root)) == {(None, "Know your rights")}
    assert catalog_languages(root) == ["es", "pt", "fr", "ht", "ar", "ru"]

    command.update_catalogs([root], ["es", "pt"])
    assert catalog_paths(root, "pt")[0].exists()
    assert not catalog_paths(root, "fr")[0].exists()  # -l chose only Spanish and Portuguese
    problems = language_problems(root, "pt")
    assert len(problems) == 1 and "'Know your rights'" in problems[0]
    # Spanish must translate both strings, staff and public.
    assert len(language_problems(root, "es")) == 2

    po = polib.pofile(str(catalog_paths(root, "pt")[0]))
    po.find("Know your rights").msgstr = "Conheça os seus direitos"
    po.save()
    assert "out of date" in language_problems(root, "pt")[0]  # the .mo is stale
    command.update_catalogs([root], ["pt"])
    # The staff string may stay untranslated in Portuguese: staff pages speak en and es only.
    assert language_problems(root, "pt") == []


def test_a_fuzzy_public_string_fails_the_check(tmp_path: Path) -> None:
    root = _public_app(tmp_path)
    command = Command(stdout=StringIO(), stderr=StringIO())
    command.update_catalogs([root], ["fr"])
    po = polib.pofile(str(catalog_paths(root, "fr")[0]))
    entry = po.find("Know your rights")
    entry.msgstr = "Connaissez vos droits"
    entry.flags.append("fuzzy")
    po.save()
    command.update_catalogs([root], ["fr"])
    assert any("fuzzy: 'Know your rights'" in p for p in language_problems(root, "fr"))


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(CommandError, match="No catalog language de"):
        call_command("messages", "--check", "-l", "de", "core")


def test_an_app_without_public_strings_keeps_only_a_spanish_catalog() -> None:
    root = next(r for r in app_roots() if r.name == "grants")
    assert catalog_languages(root) == ["es"]
    assert language_problems(root, "pt") == []
