"""Every app's Spanish catalog is complete, not fuzzy, and compiled (no GNU gettext needed)."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from amparo.core.management.commands.messages import (
    app_roots,
    catalog_paths,
    catalog_problems,
    extract_messages,
    stray_messages,
)

APPS = app_roots()


@pytest.mark.parametrize("root", APPS, ids=[root.name for root in APPS])
def test_every_spanish_string_is_translated_and_compiled(root: Path) -> None:
    problems = catalog_problems(root)
    assert not problems, "\n".join(problems)


def test_no_translatable_strings_outside_an_installed_app() -> None:
    # Django only loads catalogs of installed apps: strings elsewhere would stay in English.
    strays = stray_messages()
    assert not strays, {str(path): [m.msgid for m in found] for path, found in strays.items()}


def test_the_python_extractor_finds_everything_makemessages_found_in_core() -> None:
    # The core catalog is written by makemessages (GNU xgettext); our extractor must see every
    # string xgettext saw, or the check above could miss an untranslated one.
    root = next(r for r in APPS if r.name == "core")
    po_path, _mo = catalog_paths(root)
    in_catalog = {
        (e.msgctxt or None, e.msgid) for e in polib.pofile(str(po_path)) if not e.obsolete
    }
    missed = in_catalog - set(extract_messages(root))
    assert not missed, f"in {po_path} but not seen by the extractor (or stale: run amparo messages)"
