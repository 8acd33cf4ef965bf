from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .identity import fund_identity
from .navigation import navigation_for


def amparo(request: HttpRequest) -> dict[str, Any]:
    """Every page names the fund the way mails and PDFs do (``amparo.core.identity``)."""
    user = getattr(request, "user", None)
    fund = fund_identity()
    return {
        "fund_identity": fund,
        "fund_name": fund.name,
        # The name of a scrolling table's wrapper when no heading names it (role="region").
        "table_label": _("Table: scroll sideways to see all of it"),
        "nav_items": navigation_for(user),
    }
