"""`amparo messages`: extraction with Django's makemessages, compilation, and --check."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import polib
import pytest
from django.core.management import CommandError, call_command

from amparo.core.management.commands.messages import (
    Command,
    catalog_paths,
    catalog_problems,
    extract_messages,
)


def test_check_passes_on_the_complete_core_catalog() -> None:
    out = StringIO()
    call_command("messages", "--check", "core", stdout=out)
    assert "Every catalog is complete (1 apps)" in out.getvalue()


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
