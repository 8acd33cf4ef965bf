"""``{% search_box %}``: the header's search box, for the roles that may search."""

from __future__ import annotations

from typing import Any

from django import template

from amparo.search.permissions import can_search

register = template.Library()


@register.inclusion_tag("search/box.html", takes_context=True)
def search_box(context: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"show": can_search(user), "q": request.GET.get("q", "") if request else ""}
