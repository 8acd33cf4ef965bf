"""The Django side of the deadline engine: translated texts and the JSON shape.

The engine (`engine.py`, `rules.py`) is pure and speaks English; its texts are marked with a
no-op ``gettext_noop`` so that they land in this app's catalog. Here they are translated into
the active language when shown.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from .engine import Deadline, Note
from .rules import Rule


def note_text(note: Note) -> str:
    """A note in the active language, with its parameters filled in."""
    message = gettext(note.message)
    return message % dict(note.params) if note.params else message


def explanation_text(deadline: Deadline) -> str:
    """The deadline's explanation followed by its notes, in the active language."""
    return " ".join([gettext(deadline.explanation), *(note_text(n) for n in deadline.notes)])


def rule_title(rule: Rule) -> str:
    return gettext(rule.title)


def deadline_payload(deadline: Deadline) -> dict[str, Any]:
    """The JSON object of `amparo deadline`: the engine's fields, with a translated explanation
    that includes the notes (why a result needs review, which period was used, ...)."""
    payload: dict[str, Any] = deadline.as_dict()
    payload["explanation"] = explanation_text(deadline)
    return payload
