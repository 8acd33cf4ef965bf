"""The standard chart of accounts of a legal defense fund. Services find accounts by code."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from .models import AccountType

CASH = "1000"
PROCESSOR_CLEARING = "1010"
RECEIVABLE = "1100"
GRANTS_PAYABLE = "2000"
NET_ASSETS = "3000"
NET_ASSETS_RESTRICTED = "3100"
CONTRIBUTIONS = "4000"
PUBLIC_FUNDS = "4100"
GRANTS_EXPENSE = "5000"
FEES_EXPENSE = "5100"
ADMIN_EXPENSE = "5200"


@dataclass(frozen=True)
class StandardAccount:
    code: str
    name: Any
    type: str
    english: str


STANDARD_ACCOUNTS: dict[str, StandardAccount] = {
    a.code: a
    for a in (
        StandardAccount(CASH, _("Cash in bank"), AccountType.ASSET, "Cash in bank"),
        StandardAccount(
            PROCESSOR_CLEARING,
            _("Payment processor clearing"),
            AccountType.ASSET,
            "Payment processor clearing",
        ),
        StandardAccount(
            RECEIVABLE,
            _("Appropriations receivable"),
            AccountType.ASSET,
            "Appropriations receivable",
        ),
        StandardAccount(
            GRANTS_PAYABLE, _("Grants payable"), AccountType.LIABILITY, "Grants payable"
        ),
        StandardAccount(
            NET_ASSETS,
            _("Net assets without donor restriction"),
            AccountType.NET_ASSETS,
            "Net assets without donor restriction",
        ),
        StandardAccount(
            NET_ASSETS_RESTRICTED,
            _("Net assets with donor or public restriction"),
            AccountType.NET_ASSETS_RESTRICTED,
            "Net assets with donor or public restriction",
        ),
        StandardAccount(CONTRIBUTIONS, _("Contributions"), AccountType.REVENUE, "Contributions"),
        StandardAccount(
            PUBLIC_FUNDS,
            _("Government appropriations"),
            AccountType.REVENUE,
            "Government appropriations",
        ),
        StandardAccount(
            GRANTS_EXPENSE,
            _("Grants to legal service providers"),
            AccountType.EXPENSE,
            "Grants to legal service providers",
        ),
        StandardAccount(
            FEES_EXPENSE,
            _("Payment processing fees"),
            AccountType.EXPENSE,
            "Payment processing fees",
        ),
        StandardAccount(ADMIN_EXPENSE, _("Administration"), AccountType.EXPENSE, "Administration"),
    )
}
