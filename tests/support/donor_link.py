"""Donors sign in by a link mailed to them: find it in a message, as a person would."""

from __future__ import annotations

import re
from typing import Any

_LINK = re.compile(r"https?://[^/\s]+(/accounts/donor/sign-in/[^/\s]+/)")


def donor_link_path(message: Any) -> str:
    """The path of the sign-in link in ``message`` (an ``EmailMessage``)."""
    match = _LINK.search(message.body)
    assert match, message.body
    return match.group(1)
