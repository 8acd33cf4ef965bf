"""Importing gifts from files: our CSV, a payment processor's payout export, a bank statement.

All or nothing: every row is checked first; any bad row refuses the whole file with
line-numbered messages (the first :data:`MAX_ERRORS` of them, and how many there are). Gifts whose reference is already recorded are skipped, so importing
the same file twice imports nothing new. Mappings of the other formats: ``docs/imports.md``.

A payment processor's payout export also books, with each new gift and in the same
transaction, the fee the processor kept of it (``gift_fees_record``): the gift stays at its
gross and the account it was debited to ends at the net the processor paid out. A gift that is
skipped (already recorded) posts no fee, so a re-import posts nothing.

Files of any size, in bounded memory: the file is read twice, one line at a time, never whole.
The first pass checks every row and keeps only each reference (and its line) to find repeats;
the second records the gifts in batches of :func:`batch_size` rows, each batch through the
donations and ledger services (one audit event per batch and service, as for any call of
them), all batches in the one transaction that also holds the first pass, so a refusal at any
point writes nothing. A batch is small enough for every statement of its services to stay
within the database's limit on query parameters (999 on SQLite). ``progress`` hears how far
each pass is, in lines of the file after the header.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import datetime
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
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
from amparo.ledger.models import Restriction
from amparo.vault.validators import validate_email, validate_name

from .models import Channel, Donor, Gift
from .services import (
    GiftFee,
    GiftSpec,
    designation_resolve,
    donor_for,
    gift_fees_record,
    gifts_record,
)

#: Problems listed when a file is refused (all are counted).
MAX_ERRORS = 100
#: Gifts recorded per batch (fewer where the database allows fewer query parameters).
BATCH_ROWS = 1000
#: Parameters of a batch's statements besides one per reference.
HEADROOM = 16
#: How often, in lines, ``progress`` is told (and at the end of each pass).
PROGRESS_EVERY = 1000
#: Designations and donors remembered between rows (a file names few designations; a donor
#: who gives often is looked up once), at most this many of each.
CACHED = 5000

#: ``progress(stage, done, total)``: ``stage`` is ``"validate"`` or ``"write"``; ``done`` and
#: ``total`` count lines of the file after the header.
Progress = Callable[[str, int, int], None]

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
    """The file is refused: ``errors`` are the first :data:`MAX_ERRORS` problems (line-numbered,
    translated), ``count`` all of them."""

    def __init__(self, errors: list[str], count: int | None = None) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors
        self.count = len(errors) if count is None else count


def _date(text: str) -> datetime.date:
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _rows(fmt: str, reader: csv.DictReader[str], currency: str) -> Iterator[Row | None]:
    """One :class:`Row` per gift line of ``reader``, ``None`` for a line that is not a gift
    (a processor's fee or payout, money going out of the bank): one line at a time."""
    for record in reader:
        line = reader.line_num

        def get(key: str, record: dict[str, str] = record) -> str:
            return (record.get(key) or "").strip()

        if fmt == "amparo":
            yield Row(
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
        elif fmt == "stripe-payouts":
            if get("reporting_category") != "charge":
                yield None  # fees, refunds and payouts are not gifts
                continue
            yield Row(
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
        else:
            amount = get("Amount").replace(",", "")
            if amount.startswith("-"):
                yield None  # money going out is not a gift
                continue
            yield Row(
                line, get("Date"), amount, currency, "", "", get("Reference"), "", Channel.BANK
            )


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


def batch_size() -> int:
    """Gifts per batch: at most :data:`BATCH_ROWS`, and :data:`HEADROOM` fewer than the
    database's limit on query parameters, since the services look a batch's references up in
    one statement (``source = %s AND source_ref IN (...)``, and ``.exists()`` adds one more).
    Their inserts split themselves by the same limit."""
    limit = connection.features.max_query_params
    return BATCH_ROWS if limit is None else max(1, min(BATCH_ROWS, limit - HEADROOM))


def _count_lines(stream: IO[bytes]) -> int:
    """Lines after the header (a line in quotes that spans several counts as several)."""
    stream.seek(0)
    lines, last = 0, b"\n"
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        lines += chunk.count(b"\n")
        last = chunk[-1:]
    stream.seek(0)
    return max(0, lines + (last != b"\n") - 1)


def _first_bad_byte(stream: IO[bytes]) -> int:
    """The position (from 1) of the first byte that is not UTF-8, 0 when there is none."""
    stream.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        pending = len(decoder.getstate()[0])
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            return offset - pending + exc.start + 1
        offset += len(chunk)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        return offset - len(exc.object) + exc.start + 1
    return 0


class _Checker:
    """Checks rows one at a time; remembers designations (bounded by :data:`CACHED`)."""

    def __init__(self, *, by: Actor) -> None:
        self.by = by
        self.today = timezone.localdate()
        self.designations: dict[str, Restriction | str] = {}

    def designation(self, text: str) -> Restriction | str:
        """The restriction ``text`` names, or the problem with it."""
        found = self.designations.get(text)
        if found is None:
            try:
                found = designation_resolve(text, by=self.by)
            except ServiceError as exc:
                found = " ".join(exc.messages)
            assert found is not None  # a non-empty designation resolves or is refused
            if len(self.designations) < CACHED:
                self.designations[text] = found
        return found

    def check(self, row: Row, seen: dict[str, int] | None) -> tuple[list[str], GiftSpec | None]:
        """The row's problems, or the gift it records (donor not yet set). ``seen`` (reference
        -> first line) finds repeated references; ``None``: not checked again."""
        problems = []
        try:
            day: datetime.date | None = _date(row.date)
            if day is not None and day > self.today:
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
        elif seen is not None and row.reference in seen:
            problems.append(
                _("the reference %(value)s is repeated (first on line %(line)s)")
                % {"value": row.reference, "line": seen[row.reference]}
            )
        elif seen is not None:
            seen[row.reference] = row.line
        for value, validate in ((row.email, validate_email), (row.name, validate_name)):
            if value:
                try:
                    validate(value)
                except ValidationError as exc:
                    problems.append(" ".join(str(m) for m in exc.messages).rstrip("."))
        designation = None
        if row.designation:
            found = self.designation(row.designation)
            if isinstance(found, str):
                problems.append(found)
            else:
                designation = found
        if problems or day is None:
            return problems, None
        spec = GiftSpec(
            amount=amount,
            currency=row.currency,
            received_on=day,
            reference=row.reference,
            designation=designation,
            channel=row.channel,
        )
        return [], spec


def _line_problem(line: int, problems: list[str]) -> str:
    return _("Line %(line)s: %(problems)s.") % {"line": line, "problems": "; ".join(problems)}


def _lines(stream: IO[bytes], fmt: str, currency: str) -> Iterator[tuple[int, Row | None]]:
    """(lines read after the header, the row of the last line or ``None``), one line at a
    time from the start of ``stream``; a missing column, a file that is not UTF-8 text or a
    line that is not CSV is refused. ``stream`` stays open."""
    stream.seek(0)
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    reader = csv.DictReader(text)
    try:
        header = [h.strip() for h in (reader.fieldnames or [])]
        reader.fieldnames = header
        missing = [c for c in HEADERS[fmt] if c not in header and c not in OPTIONAL[fmt]]
        if missing:
            raise ImportRefused(
                [_("Line 1: missing column(s): %(columns)s.") % {"columns": ", ".join(missing)}]
            )
        for row in _rows(fmt, reader, currency):
            yield reader.line_num - 1, row
    except UnicodeDecodeError as exc:
        raise ImportRefused(
            [_("The file is not UTF-8 text (byte %(n)s).") % {"n": _first_bad_byte(stream)}]
        ) from exc
    except csv.Error as exc:
        raise ImportRefused(
            [_("Line %(line)s: this is not a CSV line.") % {"line": reader.line_num}]
        ) from exc
    finally:
        text.detach()


def _tick(progress: Progress | None, stage: str, done: int, total: int) -> None:
    if progress is not None and (done % PROGRESS_EVERY == 0 or done >= total):
        progress(stage, done, total)


def _validate(
    stream: IO[bytes], *, fmt: str, currency: str, checker: _Checker, progress: Progress | None
) -> ImportResult:
    """The first pass: every row checked; raises ImportRefused with the problems."""
    result = ImportResult()
    total = _count_lines(stream)
    if progress is not None:
        progress("validate", 0, total)
    errors: list[str] = []
    count = 0
    seen: dict[str, int] = {}
    done = 0
    for done, row in _lines(stream, fmt, currency):
        if row is None:
            result.ignored += 1
        else:
            result.rows += 1
            problems, _spec = checker.check(row, seen)
            if problems:
                count += 1
                if len(errors) < MAX_ERRORS:
                    errors.append(_line_problem(row.line, problems))
        _tick(progress, "validate", done, total)
    if progress is not None and done < total:
        progress("validate", done, done)  # fewer lines than counted: quoted line breaks
    if count:
        raise ImportRefused(errors, count)
    return result


class _Donors:
    """Donors by email while a file is written (at most :data:`CACHED`)."""

    def __init__(self, *, by: Actor) -> None:
        self.by = by
        self.known: dict[str, Donor] = {}

    def get(self, row: Row) -> Donor | None:
        if not (row.name or row.email):
            return None
        if not row.email:
            return donor_for(name=row.name, email="", by=self.by)
        donor = self.known.get(row.email)
        if donor is None:
            donor = donor_for(name=row.name, email=row.email, by=self.by)
            if len(self.known) >= CACHED:
                self.known.clear()
            if donor is not None:
                self.known[row.email] = donor
        return donor


def _write_batch(
    batch: list[tuple[Row, GiftSpec]], *, donors: _Donors, result: ImportResult, reason: str
) -> None:
    by = donors.by
    known = set(
        Gift.objects.filter(reference__in=[spec.reference for _row, spec in batch]).values_list(
            "reference", flat=True
        )
    )
    new, fee_cents = [], []
    for row, spec in batch:
        if spec.reference in known:
            result.skipped += 1
            continue
        new.append(dataclasses.replace(spec, donor=donors.get(row)))
        fee_cents.append(row.fee_cents)
    try:
        made = gifts_record(gifts=new, by=by, reason=reason)
        fees = [
            GiftFee(gift=gift, amount=cents)
            for gift, cents in zip(made, fee_cents, strict=True)
            if cents
        ]
        gift_fees_record(fees=fees, by=by, reason=reason)
    except ValidationError as exc:
        raise ImportRefused([" ".join(str(m) for m in exc.messages)]) from exc
    result.imported += len(new)
    result.total += sum(g.amount for g in new)
    result.fees += len(fees)
    result.fees_total += sum(f.amount for f in fees)


def _write(
    stream: IO[bytes],
    *,
    fmt: str,
    currency: str,
    checker: _Checker,
    result: ImportResult,
    reason: str,
    progress: Progress | None,
) -> None:
    """The second pass: the checked rows recorded, :func:`batch_size` at a time."""
    total = _count_lines(stream)
    if progress is not None:
        progress("write", 0, total)
    donors = _Donors(by=checker.by)
    size = batch_size()
    batch: list[tuple[Row, GiftSpec]] = []
    done = 0
    for done, row in _lines(stream, fmt, currency):
        if row is not None:
            problems, spec = checker.check(row, None)
            if spec is None:  # the file changed since it was checked
                raise ImportRefused([_line_problem(row.line, problems)])
            batch.append((row, spec))
            if len(batch) >= size:
                _write_batch(batch, donors=donors, result=result, reason=reason)
                batch = []
        _tick(progress, "write", done, total)
    if batch:
        _write_batch(batch, donors=donors, result=result, reason=reason)
    if progress is not None and done < total:
        progress("write", done, done)


def gifts_import(
    source: bytes | IO[bytes],
    *,
    by: Actor,
    fmt: str = "amparo",
    currency: str | None = None,
    name: str = "",
    progress: Progress | None = None,
) -> ImportResult:
    """Import a file (its bytes, or a binary file open for reading that can seek) all or
    nothing; references already recorded are skipped. Raises ImportRefused."""
    if fmt not in FORMATS:
        raise ImportRefused([_("Unknown format %(value)s.") % {"value": fmt}])
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    bank_currency = (currency or fund_currency()).upper()
    reason = f"import {fmt} {name}".strip()[:200]
    with transaction.atomic():
        checker = _Checker(by=by)
        result = _validate(
            stream, fmt=fmt, currency=bank_currency, checker=checker, progress=progress
        )
        _write(
            stream,
            fmt=fmt,
            currency=bank_currency,
            checker=checker,
            result=result,
            reason=reason,
            progress=progress,
        )
    return result
