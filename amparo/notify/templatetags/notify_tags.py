"""``{% notifications_link %}``: the header's link to the notifications, with the unread count
(one ``COUNT`` query), for staff."""

from __future__ import annotations

from typing import Any

from django import template

from amparo.notify.selectors import has_notifications, unread_count

register = template.Library()


@register.inclusion_tag("notify/header_link.html", takes_context=True)
def notifications_link(context: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    show = has_notifications(user)
    return {
        "show": show,
        "unread": unread_count(fetched_by=user) if show else 0,
        "current": bool(
            request and request.resolver_match and request.resolver_match.namespace == "notify"
        ),
    }
