from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from .navigation import navigation_for


def amparo(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "fund_name": settings.AMPARO["FUND_NAME"],
        "nav_items": navigation_for(user),
    }
