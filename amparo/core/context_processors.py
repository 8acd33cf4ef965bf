from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .identity import fund_identity
from .navigation import navigation_for


def amparo(request: HttpRequest) -> dict[str, Any]:
    """Every page names the fund the way mails and PDFs do (``amparo.core.identity``)."""
    user = getattr(request, "user", None)
    fund = fund_identity()
    return {
        "fund_identity": fund,
        "fund_name": fund.name,
        "nav_items": navigation_for(user),
    }
