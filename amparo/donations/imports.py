"""Importing gifts from files: our CSV, a payment processor's payout export, a bank statement.

All or nothing: every row is checked first; any bad row refuses the whole file with
line-numbered messages. Gifts whose reference is already recorded are skipped, so importing
the same file twice imports nothing new. Mappings of the other formats: ``docs/imports.md``.

A payment processor's payout export also books, with each new gift and in the same
transaction, the fee the processor kept of it (``gift_fees_record``): the gift stays at its
gross and the account it was debited to ends at the net the processor paid out. A gift that is
skipped (already recorded) posts no fee, so a re-import posts nothing.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.core.services import Actor, ServiceError
from amparo.ledger.currency import (
    MoneyError,
    fund_currencies,
    fund_currency,
    is_currency,
    parse_plain_amount,
)
from amparo.vault.validators import validate_email, validate_name

from .models import Channel, Gift
from .services import (
    GiftFee,
    GiftSpec,
    designation_resolve,
    donor_for,
    gift_fees_record,
    gifts_record,
)

FORMATS = ("amparo", "stripe-payouts", "bank-csv")
HEADERS = {
    "amparo": (
        "date",
        "amount",
        "currency",
        "donor_name",
        "donor_email",
        "reference",
        "designation",
    ),
    "stripe-payouts": (
        "balance_transaction_id",
        "created_utc",
        "currency",
        "gross",
        "fee",
        "net",
        "reporting_category",
        "customer_name",
        "customer_email",
    ),
    "bank-csv": ("Date", "Description", "Amount", "Reference"),
}
#: Columns that may be absent (the others must all be in the header).
OPTIONAL = {
    "amparo": {"designation"},
    "stripe-payouts": {"net", "customer_name", "customer_email"},
    "bank-csv": set(),
}


@dataclass
class Row:
    line: int
    date: str
    amount: str
    currency: str
    name: str
    email: str
    reference: str
    designation: str
    channel: str
    #: The processor's fee as written (``None``: the format has no fee) and the net paid out.
    fee: str | None = None
    net: str = ""
    #: The fee in minor units, once the row is checked.
    fee_cents: int = 0


@dataclass
class ImportResult:
    rows: int = 0
    imported: int = 0
    skipped: int = 0
    total: int = 0
    ignored: int = 0
    fees: int = 0
    fees_total: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "imported": self.imported,
            "skipped": self.skipped,
            "ignored": self.ignored,
            "rows": self.rows,
            "total_cents": self.total,
            "fees": self.fees,
            "fees_cents": self.fees_total,
        }


class ImportRefused(Exception):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def _date(text: str) -> datetime.date:
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _rows(fmt: str, reader: csv.DictReader[str], currency: str) -> tuple[list[Row], int]:
    rows, ignored = [], 0
    for record in reader:
        line = reader.line_num

        def get(key: str, record: dict[str, str] = record) -> str:
            return (record.get(key) or "").strip()

        if fmt == "amparo":
            rows.append(
                Row(
                    line,
                    get("date"),
                    get("amount"),
                    get("currency"),
                    get("donor_name"),
                    get("donor_email"),
                    get("reference"),
                    get("designation"),
                    Channel.IMPORT,
                )
            )
        elif fmt == "stripe-payouts":
            if get("reporting_category") != "charge":
                ignored += 1  # fees, refunds and payouts are not gifts
                continue
            rows.append(
                Row(
                    line,
                    get("created_utc")[:10],
                    get("gross"),
                    get("currency").upper(),
                    get("customer_name"),
                    get("customer_email"),
                    get("balance_transaction_id"),
                    "",
                    Channel.PROCESSOR,
                    fee=get("fee"),
                    net=get("net"),
                )
            )
        else:
            amount = get("Amount").replace(",", "")
            if amount.startswith("-"):
                ignored += 1  # money going out is not a gift
                continue
            rows.append(
                Row(line, get("Date"), amount, currency, "", "", get("Reference"), "", Channel.BANK)
            )
    return rows, ignored


def _money_problem(code: str) -> str:
    if code == "decimals":
        return _("the amount has more decimals than the currency allows")
    if code == "not_positive":
        return _("the amount must be more than zero")
    return _("the amount is not a number with a dot for decimals")


def _not_negative(text: str, currency: str) -> int:
    """A fee or a net: like an amount, but zero is allowed. Raises MoneyError (``negative``,
    ``decimals`` or ``format``)."""
    if text.strip().startswith("-"):
        raise MoneyError("negative")
    try:
        return parse_plain_amount(text, currency)
    except MoneyError as exc:
        if exc.code == "not_positive":  # no sign and not above zero: zero
            return 0
        raise


def _fee_problem(code: str) -> str:
    if code == "negative":
        return _("the fee is negative")
    if code == "decimals":
        return _("the fee has more decimals than the currency allows")
    return _("the fee is not a number with a dot for decimals")


def _check_fee(row: Row, amount: int) -> list[str]:
    """Problems of a row's fee (and net, when given); sets ``row.fee_cents``."""
    if row.fee is None:
        return []
    try:
        fee = _not_negative(row.fee, row.currency)
    except MoneyError as exc:
        return [_fee_problem(exc.code)]
    if not amount:  # the gross itself is refused already
        return []
    if fee > amount:
        return [_("the fee is larger than the gross amount")]
    if row.net:
        try:
            net = _not_negative(row.net, row.currency)
        except MoneyError:
            net = -1
        if net != amount - fee:
            return [_("the net is not the gross minus the fee")]
    row.fee_cents = fee
    return []


def parse_file(
    data: bytes, *, by: Actor, fmt: str = "amparo", currency: str | None = None
) -> tuple[list[tuple[Row, GiftSpec]], ImportResult]:
    """Check every row; returns the gifts to record or raises ImportRefused with every problem.
    (A designation naming a program creates its restriction, as ``by``.)"""
    result = ImportResult()
    if fmt not in FORMATS:
        raise ImportRefused([_("Unknown format %(value)s.") % {"value": fmt}])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused(
            [_("The file is not UTF-8 text (byte %(n)s).") % {"n": exc.start + 1}]
        ) from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    missing = [c for c in HEADERS[fmt] if c not in header and c not in OPTIONAL[fmt]]
    if missing:
        raise ImportRefused(
            [_("Line 1: missing column(s): %(columns)s.") % {"columns": ", ".join(missing)}]
        )
    bank_currency = (currency or fund_currency()).upper()
    rows, result.ignored = _rows(fmt, reader, bank_currency)
    result.rows = len(rows)
    errors: list[str] = []
    seen: dict[str, int] = {}
    gifts: list[tuple[Row, GiftSpec]] = []
    today = timezone.localdate()
    for row in rows:
        problems = []
        try:
            day = _date(row.date)
            if day > today:
                problems.append(_("the date is in the future"))
        except ValueError:
            day = None
            problems.append(_("%(value)s is not a date (YYYY-MM-DD)") % {"value": row.date or "—"})
        if not is_currency(row.currency):
            problems.append(_("%(value)s is not a currency code") % {"value": row.currency or "—"})
        elif row.currency not in fund_currencies():
            problems.append(_("the fund does not accept %(value)s") % {"value": row.currency})
        amount = 0
        try:
            amount = parse_plain_amount(row.amount, row.currency)
        except MoneyError as exc:
            problems.append(_money_problem(exc.code))
        problems.extend(_check_fee(row, amount))
        if not row.reference:
            problems.append(_("the reference is missing"))
        elif len(row.reference) > 100:
            problems.append(_("the reference is longer than 100 characters"))
        elif row.reference in seen:
            problems.append(
                _("the reference %(value)s is repeated (first on line %(line)s)")
                % {"value": row.reference, "line": seen[row.reference]}
            )
        else:
            seen[row.reference] = row.line
        for value, validate in ((row.email, validate_email), (row.name, validate_name)):
            if value:
                try:
                    validate(value)
                except ValidationError as exc:
                    problems.append(" ".join(str(m) for m in exc.messages).rstrip("."))
        designation = None
        if row.designation:
            try:
                designation = designation_resolve(row.designation, by=by)
            except ServiceError as exc:
                problems.append(" ".join(exc.messages))
        if problems:
            errors.append(
                _("Line %(line)s: %(problems)s.")
                % {"line": row.line, "problems": "; ".join(problems)}
            )
            continue
        assert day is not None
        gifts.append(
            (
                row,
                GiftSpec(
                    amount=amount,
                    currency=row.currency,
                    received_on=day,
                    reference=row.reference,
                    designation=designation,
                    channel=row.channel,
                ),
            )
        )
    if errors:
        raise ImportRefused(errors)
    return gifts, result


def gifts_import(
    data: bytes, *, by: Actor, fmt: str = "amparo", currency: str | None = None, name: str = ""
) -> ImportResult:
    """Import a file all or nothing; references already recorded are skipped."""
    with transaction.atomic():
        gifts, result = parse_file(data, by=by, fmt=fmt, currency=currency)
        known = set(
            Gift.objects.filter(reference__in=[g.reference for _r, g in gifts]).values_list(
                "reference", flat=True
            )
        )
        new, new_rows = [], []
        for row, spec in gifts:
            if spec.reference in known:
                result.skipped += 1
                continue
            donor = (
                donor_for(name=row.name, email=row.email, by=by)
                if (row.name or row.email)
                else None
            )
            new.append(
                GiftSpec(
                    amount=spec.amount,
                    currency=spec.currency,
                    received_on=spec.received_on,
                    reference=spec.reference,
                    donor=donor,
                    designation=spec.designation,
                    channel=spec.channel,
                )
            )
            new_rows.append(row)
        reason = f"import {fmt} {name}".strip()[:200]
        try:
            made = gifts_record(gifts=new, by=by, reason=reason)
            fees = [
                GiftFee(gift=gift, amount=row.fee_cents)
                for gift, row in zip(made, new_rows, strict=True)
                if row.fee_cents
            ]
            gift_fees_record(fees=fees, by=by, reason=reason)
        except ValidationError as exc:
            raise ImportRefused([" ".join(str(m) for m in exc.messages)]) from exc
        result.imported = len(new)
        result.total = sum(g.amount for g in new)
        result.fees = len(fees)
        result.fees_total = sum(f.amount for f in fees)
    return result
