"""Hotlines and offices of this deployment, with ``tel:`` links.

Configured per deployment in ``settings.AMPARO["HOTLINES"]``: a list of tables, e.g.::

    AMPARO["HOTLINES"] = [
        {
            "name": "Rapid response hotline",            # or {"en": ..., "es": ...}
            "phone": "(303) 555-0100",
            "hours": {"en": "Every day, 24 hours", "es": "Todos los días, 24 horas"},
            "languages": ["en", "es"],
            "address": "",                                # an office to visit, if any
        },
    ]

Text values are either one string or a table by language code (the current language, then
English, is used). Without the setting, the fund's own hotline (``AMPARO["HOTLINE"]``, see
``amparo.core.identity``) is shown under the fund's name. A number that cannot be read gets no link but is still shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import phonenumbers
from django.conf import settings
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import get_language_info

from amparo.core.identity import fund_identity

DEFAULT_REGION = "US"


@dataclass(frozen=True)
class Hotline:
    name: str
    phone: str
    tel: str  # E.164 for the tel: link, "" when the number cannot be read
    hours: str
    languages: tuple[tuple[str, str], ...]  # (code, name in that language)
    address: str


def tel_uri(phone: str) -> str:
    """``tel:+13035550100`` for a number we can read, else ""."""
    try:
        number = phonenumbers.parse(phone, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_possible_number(number):
        return ""
    return "tel:" + phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _localized(value: Any, language: str) -> str:
    if isinstance(value, dict):
        for code in (language, language.split("-")[0], "en"):
            if value.get(code):
                return str(value[code])
        return str(next(iter(value.values()), ""))
    return str(value or "")


def _language_names(codes: Any) -> tuple[tuple[str, str], ...]:
    """Each language named in itself ("English", "Español"), as people look for their own."""
    names = []
    for code in codes or ():
        try:
            name = str(get_language_info(str(code))["name_local"])
        except KeyError:
            name = str(code)
        names.append((str(code), capfirst(name)))
    return tuple(names)


def hotlines() -> list[Hotline]:
    language = translation.get_language() or "en"
    amparo: dict[str, Any] = settings.AMPARO
    configured: list[dict[str, Any]] = list(amparo.get("HOTLINES") or [])
    found: list[Hotline] = []
    for entry in configured:
        phone = _localized(entry.get("phone", ""), language)
        found.append(
            Hotline(
                name=_localized(entry.get("name", ""), language),
                phone=phone,
                tel=tel_uri(phone) if phone else "",
                hours=_localized(entry.get("hours", ""), language),
                languages=_language_names(entry.get("languages")),
                address=_localized(entry.get("address", ""), language),
            )
        )
    if found:
        return found

    fund = fund_identity()
    if fund.hotline:
        return [
            Hotline(
                name=fund.name,
                phone=fund.hotline,
                tel=tel_uri(fund.hotline),
                hours="",
                languages=(),
                address="",
            )
        ]
    return []
