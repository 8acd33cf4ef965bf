"""Names shown in part: what a page shows of a person to someone who may not know who it is."""

from __future__ import annotations


def initials_of(name: str) -> str:
    """``J. G.`` for "Juana García López" (the first two names); a dash when there is none."""
    parts = [p for p in (name or "").replace("-", " ").split() if p[:1].isalpha()]
    if not parts:
        return "—"
    return " ".join(f"{p[0].upper()}." for p in parts[:2])
