"""The deadlines benchmark (shape, not timing) and the app's Spanish catalog."""

import json
import os
import subprocess
import sys
from pathlib import Path

import polib
import pytest

import amparo.deadlines
from amparo.deadlines import rules
from amparo.deadlines.bench import NaiveCalendar, bench_deadlines, case_deadlines, synthetic_cases
from amparo.deadlines.rules import RULES

CATALOG = Path(amparo.deadlines.__file__).parent / "locale" / "es" / "LC_MESSAGES"


def test_synthetic_cases_are_reproducible_and_cover_every_rule() -> None:
    first, second = synthetic_cases(500, seed=7), synthetic_cases(500, seed=7)
    assert first == second
    assert synthetic_cases(500, seed=8) != first
    seen = {deadline.rule for case in first for deadline in case_deadlines(case)}
    assert seen == set(RULES)


def test_naive_baseline_computes_the_same_deadlines() -> None:
    for case in synthetic_cases(200, seed=11):
        assert case_deadlines(case) == case_deadlines(case, NaiveCalendar())


def test_bench_reports_its_numbers() -> None:
    result = bench_deadlines(["--cases", "300", "--naive-cases", "20", "--seed", "3"])
    assert result["cases"] == 300
    assert result["naive_cases"] == 20
    assert result["deadlines"] == sum(len(case_deadlines(c)) for c in synthetic_cases(300, 3))
    assert result["seconds"] >= 0 and result["per_case_us"] > 0
    assert result["naive_per_case_us"] > 0
    # Every synthetic case has at least one deadline, so the bench measured real work.
    assert result["deadlines"] >= result["cases"]
    # The ratio it prints is the ratio of the two per-case times it prints (rounded to 0.01 us).
    assert result["ratio_vs_naive"] == pytest.approx(
        result["per_case_us"] / result["naive_per_case_us"], rel=0.02, abs=1e-3
    )


def test_amparo_bench_deadlines_prints_json_on_its_last_line() -> None:
    script = Path(sys.executable).parent / "amparo"
    result = subprocess.run(
        [str(script), "bench", "deadlines", "--cases", "200", "--naive-cases", "10"],
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout.strip().splitlines()[-1])
    assert {"cases", "seconds", "per_case_us", "ratio_vs_naive"} <= set(payload)
    assert payload["cases"] == 200


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
