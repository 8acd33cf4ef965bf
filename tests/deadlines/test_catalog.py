"""The deadlines app's Spanish catalog."""

from pathlib import Path

import polib

import amparo.deadlines
from amparo.deadlines import rules
from amparo.deadlines.rules import RULES

CATALOG = Path(amparo.deadlines.__file__).parent / "locale" / "es" / "LC_MESSAGES"


def test_spanish_catalog_is_complete_and_compiled() -> None:
    po = polib.pofile(str(CATALOG / "django.po"))
    assert not po.metadata_is_fuzzy
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    assert (CATALOG / "django.mo").exists()
    # Every text the engine can show is in the catalog (makemessages was run after changes).
    msgids = {entry.msgid for entry in po}
    texts = {
        value
        for name, value in vars(rules).items()
        if name.isupper() and isinstance(value, str) and value not in rules.OPTION_NAMES
    }
    for rule in RULES.values():
        texts |= {rule.title, rule.trigger, rule.explanation, *rule.unsettled}
    texts |= {closure.name for closure in rules.FEDERAL_CLOSURES}
    assert texts - msgids == set()
    # Placeholders survive translation.
    for entry in po:
        for placeholder in (
            "%(day)s",
            "%(days)s",
            "%(hearing)s",
            "%(value)s",
            "%(rule)s",
            "%(original)s",
            "%(moved)s",
            "%(later)s",
            "%(max)s",
        ):
            assert (placeholder in entry.msgid) == (placeholder in entry.msgstr), entry.msgid


def test_compiled_catalog_is_up_to_date() -> None:
    po = polib.pofile(str(CATALOG / "django.po"))
    mo = polib.mofile(str(CATALOG / "django.mo"))
    assert {e.msgid: e.msgstr for e in po} == {e.msgid: e.msgstr for e in mo if e.msgid}
