"""How many SMS segments a text costs: GSM 03.38 (7-bit) when every character is in its basic or
extension table, else UCS-2. Pure Python, no Django.

A single GSM-7 message holds 160 septets (an extension character such as ``€`` or ``{`` takes
two); concatenated parts hold 153 each. UCS-2 holds 70 characters, 67 per part; characters
outside the Basic Multilingual Plane take two code units.
"""

from __future__ import annotations

from dataclasses import dataclass

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
#: Characters of the extension table: each costs two (an escape, then the character).
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")


@dataclass(frozen=True)
class Segments:
    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    count: int  # segments the provider bills


def is_gsm7(text: str) -> bool:
    return all(c in GSM7_BASIC or c in GSM7_EXTENDED for c in text)


def segments(text: str) -> Segments:
    if is_gsm7(text):
        units = sum(2 if c in GSM7_EXTENDED else 1 for c in text)
        single, part, encoding = 160, 153, "GSM-7"
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, part, encoding = 70, 67, "UCS-2"
    if units <= single:
        return Segments(encoding, units, 1 if units else 0)
    return Segments(encoding, units, -(-units // part))
