from __future__ import annotations

from django import template

from amparo.rights.selectors import RightsPage

from ..selectors import rights_page_reviewed

register = template.Library()


@register.simple_tag
def rights_page_signed_off(page: RightsPage) -> bool:
    """False while ``page`` is a draft whose current text no translator has signed off: the
    page then says "not yet reviewed" (the words are the rights app's, a public source)."""
    return rights_page_reviewed(page)
