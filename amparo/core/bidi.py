"""Text that reads left to right on every page, right-to-left ones included.

An A-number, a phone number, a ZIP code, an email address or a reference typed in Latin letters
and digits keeps its order inside Arabic text only when it is isolated from it: the Unicode bidi
algorithm would otherwise move a ``+``, a bracket or a space-separated group to the other end.
``<bdi dir="ltr">`` isolates it (HTML's own element, no CSS needed); input fields for such
values carry ``dir="ltr"`` instead. Money and dates are left to the locale (CLDR writes them for
right-to-left languages with their own marks).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe


def ltr(value: object) -> SafeString | str:
    """``value`` escaped and isolated left to right; an empty value stays empty (and plain)."""
    if value is None or value == "":
        return ""
    return format_html('<bdi dir="ltr">{}</bdi>', value)


def join_html(separator: str, parts: Iterable[Any]) -> SafeString:
    """The non-empty ``parts`` joined by ``separator``, each escaped unless already safe."""
    # Every part and the separator are escaped just here.
    return mark_safe(conditional_escape(separator).join(conditional_escape(p) for p in parts if p))
