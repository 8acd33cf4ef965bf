"""Flesch-Kincaid grade level with a small English syllable heuristic (a guard, not a judge).

grade = 0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$|[\"”'])|\n")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


def syllables(word: str) -> int:
    """Vowel groups, minus a silent final ``e`` (but not ``-le``), at least one."""
    w = word.lower().replace("’", "'").split("'")[0]
    if not w:
        return 1
    if len(w) <= 3:
        return 1
    count = len(_VOWEL_GROUPS.findall(w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    if (
        w.endswith(("ed", "es"))
        and not w.endswith(("ted", "ded", "ses", "zes", "ces", "ges", "shes", "ches", "xes"))
        and count > 1
    ):
        count -= 1
    return max(count, 1)


def sentences(text: str) -> int:
    parts = [p for p in _SENTENCE_END.split(text) if _WORD.search(p)]
    return max(len(parts), 1)


def flesch_kincaid_grade(text: str) -> float:
    words = _WORD.findall(text)
    if not words:
        return 0.0
    syllable_count = sum(syllables(w) for w in words)
    return 0.39 * (len(words) / sentences(text)) + 11.8 * (syllable_count / len(words)) - 15.59
