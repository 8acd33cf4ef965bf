"""How pages show a person whose data was shredded: one translated placeholder everywhere.

A shredded value cannot be read (``SubjectShredded``); a blank or a dash on a page would look
like missing data, so every page that named the person says plainly that it was removed.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .errors import SubjectShredded

#: What a page shows instead of a shredded person's name or details.
REMOVED_ON_REQUEST: Promise = _("[removed on request]")


def shown(read: Callable[[], str], *, empty: str = "—") -> str:
    """``read()``, or the placeholder when the subject was shredded, or ``empty`` when blank.

    Takes a callable because reading a shredded value raises: the caller hands over the read,
    not the value."""
    try:
        return read() or empty
    except SubjectShredded:
        return str(REMOVED_ON_REQUEST)
