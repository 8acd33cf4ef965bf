"""``{% rights_home_links %}`` (the rights pages) and ``{% rights_hotlines %}`` (the hotlines,
with ``tel:`` links), for the home page."""

from __future__ import annotations

from typing import Any

from django import template

from amparo.rights.hotlines import hotlines

register = template.Library()


@register.inclusion_tag("rights/_home_links.html")
def rights_home_links() -> dict[str, Any]:
    return {}


@register.inclusion_tag("rights/_home_hotlines.html")
def rights_hotlines() -> dict[str, Any]:
    return {"hotlines": hotlines()}
