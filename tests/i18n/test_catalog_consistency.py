"""The Spanish catalogs of all apps agree with each other.

Django merges every app's catalog into one table per language: when two apps translate the same
msgid (same context, same plural) differently, one silently wins and the other app's pages show
its wording. A label that needs different Spanish (gender, number, verb or noun) must carry a
context instead (``pgettext_lazy`` or ``{% translate ... context ... %}``).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import polib

from amparo.core.management.commands.messages import app_roots, catalog_paths


def _translation(entry: polib.POEntry) -> Any:
    """The Spanish of an entry, plural forms included, in a comparable form."""
    if entry.msgid_plural:
        return tuple(sorted(entry.msgstr_plural.items()))
    return entry.msgstr


def catalogs() -> list[tuple[str, polib.POFile]]:
    """(app, its Spanish catalog) for every app that has strings to translate."""
    paths = [(root.name, catalog_paths(root)[0]) for root in app_roots()]
    return [(app, polib.pofile(str(path))) for app, path in paths if path.exists()]


def spanish_by_message() -> dict[tuple[str | None, str, str], dict[str, Any]]:
    """(context, msgid, plural) -> {app: its Spanish}, over every app's live entries."""
    seen: dict[tuple[str | None, str, str], dict[str, Any]] = defaultdict(dict)
    for app, catalog in catalogs():
        for entry in catalog:
            if not entry.obsolete:
                key = (entry.msgctxt or None, entry.msgid, entry.msgid_plural or "")
                seen[key][app] = _translation(entry)
    return seen


def test_no_two_apps_translate_the_same_message_differently() -> None:
    clashes = {
        key: by_app for key, by_app in spanish_by_message().items() if len(set(by_app.values())) > 1
    }
    report = "\n".join(f"{key}: {by_app}" for key, by_app in sorted(clashes.items(), key=str))
    assert not clashes, f"{len(clashes)} messages translated differently by app:\n{report}"
