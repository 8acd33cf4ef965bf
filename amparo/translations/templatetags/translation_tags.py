from __future__ import annotations

from typing import Any

from django import template

from amparo.rights.selectors import RightsPage

from ..selectors import rights_page_reviewed

register = template.Library()


@register.inclusion_tag("translations/_rights_notice.html")
def rights_page_notice(page: RightsPage) -> dict[str, Any]:
    """The "not yet reviewed" notice of a draft rights page, until a translator signs it off."""
    return {"show": not rights_page_reviewed(page)}
