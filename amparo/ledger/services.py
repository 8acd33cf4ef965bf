"""Writing to the books. The only module that creates journal entries and postings.

Every write goes through :func:`entries_post` (``entry_post`` posts one entry): it validates
the whole batch before touching the database, then in one transaction locks the restrictions
involved, inserts the entries and postings, moves the running balances and checks that no
restricted fund went below zero, and writes an audit event. Anything wrong refuses the whole
batch with a translated :class:`LedgerError`: nothing is half-posted.

Entries and postings are written by :func:`_insert_rows` (column names from the models'
``_meta``) rather than ``bulk_create``: the rows are already validated, and building and
compiling a model instance per posting was most of the cost of a large batch. SQLite gets
multi-row ``INSERT`` statements, PostgreSQL one ``COPY`` per table. The database still checks
every constraint (foreign keys, non-zero amounts, unique references, one reversal per entry)
and the append-only triggers are untouched (they refuse UPDATE and DELETE; these are
inserts). One entry posts through the same code as a million.

Memos and reasons are free text seen by fund staff and exports: services that post on behalf
of people (gifts, appropriations, grants) put references in them, never names.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.audit.services import audit_record
from amparo.core.services import Actor, ServiceError, require

from .chart import CASH, GRANTS_EXPENSE, STANDARD_ACCOUNTS
from .currency import fund_currencies, is_currency
from .models import (
    EQUITY_TYPES,
    Account,
    AccountBalance,
    BooksClosed,
    EntrySource,
    JournalEntry,
    Posting,
    Restriction,
    RestrictionKind,
)
from .permissions import can_post_entries

MAX_MEMO = 300
#: Most rows in one INSERT statement (fewer when the database limits query parameters).
ROWS_PER_INSERT = 1000


class LedgerError(ServiceError):
    """A refused posting: a :class:`ServiceError` about the whole entry (``message`` is
    translated, ``code`` names the rule), kept as its own class so that callers can tell a
    refusal of the books from one of their own values."""

    def __init__(self, message: Any, code: str, **params: Any) -> None:
        super().__init__(message, code=code, params=params or None)


@dataclass(frozen=True)
class PostingSpec:
    """One line of an entry: ``amount`` in minor units, debit > 0, credit < 0."""

    account: str | Account
    amount: int
    currency: str
    restriction: Restriction | None = None


@dataclass(frozen=True)
class EntrySpec:
    postings: Sequence[PostingSpec]
    memo: str
    effective_date: datetime.date
    reason: str = ""
    source_ref: str = ""


def today() -> datetime.date:
    return timezone.localdate()


# --- Accounts and restrictions ---------------------------------------------------------------


def chart_ensure() -> dict[str, Account]:
    """Create the standard accounts that do not exist yet; returns every account by code."""
    accounts = {a.code: a for a in Account.objects.all()}
    missing = [
        Account(code=s.code, name=s.english, type=s.type)
        for code, s in STANDARD_ACCOUNTS.items()
        if code not in accounts
    ]
    if missing:
        Account.objects.bulk_create(missing, ignore_conflicts=True)
        accounts = {a.code: a for a in Account.objects.all()}
    return accounts


def restriction_ensure(
    *,
    slug: str,
    name: str,
    kind: str = RestrictionKind.DONOR,
    grant_categories: Iterable[str] = (),
    program_slug: str = "",
    by: Actor,
) -> Restriction:
    """The restriction ``slug``, created with these values if it does not exist yet."""
    require(can_post_entries(by))
    with transaction.atomic():
        restriction, created = Restriction.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "grant_categories": list(grant_categories),
                "program_slug": program_slug,
            },
        )
        if created:
            audit_record(actor=by, action="ledger.restriction_created", obj=restriction)
    return restriction


# --- Posting ---------------------------------------------------------------------------------


def _validate(
    spec: EntrySpec,
    accounts: dict[str, Account],
    currencies: tuple[str, ...],
    closed: Any,
    current_date: datetime.date,
) -> dict[tuple[int, int, str], tuple[int, int]]:
    """The balance deltas of one entry ((account, restriction, currency) -> (amount, postings)),
    or a LedgerError. Touches no rows."""
    memo = (spec.memo or "").strip()
    if not memo:
        raise LedgerError(_("An entry needs a memo."), "memo")
    if len(memo) > MAX_MEMO:
        raise LedgerError(_("A memo is at most %(max)s characters."), "memo", max=MAX_MEMO)
    if not isinstance(spec.effective_date, datetime.date) or isinstance(
        spec.effective_date, datetime.datetime
    ):
        raise LedgerError(_("An entry needs a date."), "date")
    if spec.effective_date > current_date:
        raise LedgerError(_("An entry cannot be dated in the future."), "future")
    if closed is not None and spec.effective_date <= closed:
        raise LedgerError(
            _("The books are closed through %(date)s: date the entry after it."),
            "closed",
            date=closed.isoformat(),
        )
    if len(spec.postings) < 2:
        raise LedgerError(_("An entry needs at least two postings."), "postings")
    by_currency: dict[str, int] = defaultdict(int)
    by_fund: dict[tuple[str, int], int] = defaultdict(int)
    deltas: dict[tuple[int, int, str], tuple[int, int]] = {}
    for posting in spec.postings:
        amount = posting.amount
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise LedgerError(_("Amounts are whole numbers of cents."), "amount")
        if amount == 0:
            raise LedgerError(_("A posting cannot be zero."), "zero")
        currency = posting.currency
        if not is_currency(currency):
            raise LedgerError(
                _("%(value)s is not an ISO 4217 currency code."), "currency", value=currency
            )
        if currency not in currencies:
            raise LedgerError(
                _("The fund does not keep books in %(value)s."), "currency", value=currency
            )
        code = posting.account.code if isinstance(posting.account, Account) else posting.account
        account = accounts.get(code)
        if account is None:
            raise LedgerError(_("There is no account %(value)s."), "account", value=code)
        restriction_id = posting.restriction.pk if posting.restriction is not None else 0
        if posting.restriction is not None and restriction_id is None:
            raise LedgerError(_("Unknown restriction."), "restriction")
        by_currency[currency] += amount
        by_fund[(currency, restriction_id)] += amount
        key = (account.pk, restriction_id, currency)
        old_amount, old_count = deltas.get(key, (0, 0))
        deltas[key] = (old_amount + amount, old_count + 1)
    if any(total != 0 for total in by_currency.values()):
        raise LedgerError(
            _("The postings of an entry must add up to zero in each currency."), "unbalanced"
        )
    if any(total != 0 for total in by_fund.values()):
        raise LedgerError(
            _(
                "Restricted money moves only within its restriction: the postings of each "
                "restriction must add up to zero."
            ),
            "restriction_unbalanced",
        )
    return deltas


def _closed_through() -> datetime.date | None:
    row = BooksClosed.objects.order_by("-through").values_list("through", flat=True).first()
    return row


def _apply_balances(deltas: dict[tuple[int, int, str], tuple[int, int]]) -> None:
    """Move the running balances by ``deltas`` ((account, restriction, currency) -> (amount,
    postings)). Rows are created first if missing; each row moves with an atomic UPDATE."""
    AccountBalance.objects.bulk_create(
        [
            AccountBalance(
                account_id=account_id,
                restriction_id=restriction_id or None,
                restriction_key=restriction_id,
                currency=currency,
            )
            for (account_id, restriction_id, currency) in deltas
        ],
        ignore_conflicts=True,
    )
    for (account_id, restriction_id, currency), (amount, count) in sorted(deltas.items()):
        AccountBalance.objects.filter(
            account_id=account_id, restriction_key=restriction_id, currency=currency
        ).update(amount=F("amount") + amount, postings=F("postings") + count)


def _check_restricted_funds(
    deltas: dict[tuple[int, int, str], tuple[int, int]], types: dict[int, str]
) -> None:
    """Refuse when a restricted fund whose balance went down is now below zero."""
    equity = {str(t) for t in EQUITY_TYPES}
    went_down: set[tuple[int, str]] = set()
    change: dict[tuple[int, str], int] = defaultdict(int)
    for (account_id, restriction_id, currency), (amount, _count) in deltas.items():
        if restriction_id and types[account_id] in equity:
            change[(restriction_id, currency)] -= amount
    went_down = {key for key, value in change.items() if value < 0}
    for restriction_id, currency in sorted(went_down):
        available = restricted_balance(restriction_id=restriction_id, currency=currency)
        if available < 0:
            restriction = Restriction.objects.get(pk=restriction_id)
            raise LedgerError(
                _(
                    "Not enough money is held for %(restriction)s: this would spend more than "
                    "its balance."
                ),
                "overdrawn",
                restriction=restriction.name,
            )


def restricted_balance(*, restriction_id: int, currency: str) -> int:
    """Money held for a restriction (its net assets), in minor units, as of now."""
    rows = AccountBalance.objects.filter(
        restriction_key=restriction_id, currency=currency, account__type__in=EQUITY_TYPES
    ).values_list("amount", flat=True)
    return -sum(rows)


#: Columns written by :func:`_insert_entries` and :func:`entries_post`, in row order.
ENTRY_FIELDS = (
    "effective_date",
    "memo",
    "reason",
    "source",
    "source_ref",
    "reverses",
    "posted_by_id",
    "posted_at",
)
POSTING_FIELDS = ("entry", "account", "restriction", "amount", "currency")


def _insert_rows(
    model: type[JournalEntry] | type[Posting],
    fields: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    returning: bool = False,
) -> list[int]:
    """INSERT ``rows`` (values in ``fields`` order) into ``model``'s table; with ``returning``,
    the new primary keys in row order.

    PostgreSQL: one ``COPY ... FROM STDIN`` (keys drawn from the table's sequence first, so
    they are known in row order). SQLite: multi-row ``INSERT ... VALUES`` statements; the keys
    come back through ``RETURNING`` and are sorted, since SQLite numbers the rows of one
    INSERT in the order of its VALUES whatever order RETURNING lists them in.
    """
    if not rows:
        return []
    quote = connection.ops.quote_name
    by_name = {f.name: str(f.column) for f in model._meta.concrete_fields}
    table = quote(model._meta.db_table)
    columns = [quote(by_name[name]) for name in fields]
    if connection.vendor == "postgresql":
        return _copy_rows(model._meta.db_table, by_name["id"], columns, rows, returning=returning)
    one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    limit = connection.features.max_query_params
    per_statement = (
        ROWS_PER_INSERT if limit is None else max(1, min(ROWS_PER_INSERT, limit // len(fields)))
    )
    head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "  # noqa: S608 - names from _meta
    tail = f" RETURNING {quote(by_name['id'])}" if returning else ""
    full_sql = head + ", ".join([one_row] * per_statement) + tail
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            sql = (
                full_sql
                if len(chunk) == per_statement
                else (head + ", ".join([one_row] * len(chunk)) + tail)
            )
            cursor.execute(sql, [value for row in chunk for value in row])
            if returning:
                found = sorted(int(row[0]) for row in cursor.fetchall())
                if len(found) != len(chunk):  # pragma: no cover - a database that lost rows
                    raise LedgerError(_("The entry could not be posted."), "integrity")
                ids.extend(found)
    return ids


def _copy_rows(
    table: str,
    pk_column: str,
    columns: list[str],
    rows: Sequence[Sequence[Any]],
    *,
    returning: bool,
) -> list[int]:
    """PostgreSQL's bulk path for :func:`_insert_rows`: COPY, constraints checked per row."""
    quote = connection.ops.quote_name
    ids: list[int] = []
    with connection.cursor() as cursor:
        if returning:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk_column, len(rows)],
            )
            ids = sorted(int(row[0]) for row in cursor.fetchall())
            columns = [quote(pk_column), *columns]
        sql = f"COPY {quote(table)} ({', '.join(columns)}) FROM STDIN"
        # Errors come out as Django's (IntegrityError for a broken constraint), as from execute().
        with connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
            if returning:
                for pk, row in zip(ids, rows, strict=True):
                    copy.write_row((pk, *row))
            else:
                for row in rows:
                    copy.write_row(row)
    return ids


def _insert_entries(
    entries: Sequence[EntrySpec],
    *,
    source: str,
    reason: str,
    reverses: JournalEntry | None,
    actor_id: int | None,
) -> list[JournalEntry]:
    """Insert one journal entry per spec (validated) and return them, primary keys set."""
    ops = connection.ops
    now = timezone.now()
    adapt = connection.vendor != "postgresql"  # COPY takes the Python values as they are
    db_now = ops.adapt_datetimefield_value(now) if adapt else now
    db_dates: dict[datetime.date, Any] = {}
    reverses_id = reverses.pk if reverses is not None else None
    values = []
    rows = []
    for spec in entries:
        day = spec.effective_date
        db_day = db_dates.get(day)
        if db_day is None:
            db_day = db_dates[day] = ops.adapt_datefield_value(day) if adapt else day
        memo = spec.memo.strip()
        why = (spec.reason or reason).strip()
        values.append((day, memo, why, spec.source_ref))
        rows.append((db_day, memo, why, source, spec.source_ref, reverses_id, actor_id, db_now))
    ids = _insert_rows(JournalEntry, ENTRY_FIELDS, rows, returning=True)
    # Instances as if read back: ``from_db`` takes values in the model's field order.
    mine = ("id", "effective_date", "memo", "reason", "source_ref")
    alias = connection.alias
    fixed: dict[str, Any] = {
        "source": source,
        "reverses_id": reverses_id,
        "posted_by_id": actor_id,
        "posted_at": now,
    }
    names = [f.attname for f in JournalEntry._meta.concrete_fields]
    slots = [(mine.index(n), None) if n in mine else (-1, fixed[n]) for n in names]
    made = []
    for pk, value in zip(ids, values, strict=True):
        row = (pk, *value)
        made.append(JournalEntry.from_db(alias, names, [row[i] if i >= 0 else v for i, v in slots]))
    if reverses is not None:
        for entry in made:
            entry.reverses = reverses
    return made


def entries_post(
    *,
    entries: Sequence[EntrySpec],
    by: Actor,
    source: str = EntrySource.MANUAL,
    reason: str = "",
    reverses: JournalEntry | None = None,
) -> list[JournalEntry]:
    """Post ``entries`` together, all or nothing.

    Guarantees: each entry has two or more non-zero postings in currencies the fund keeps,
    adding up to zero per currency and per restriction; no entry is dated in the future or in
    a closed period; no ``(source, source_ref)`` is posted twice; no restricted fund goes below
    zero (the restrictions involved are locked, so two spends cannot both pass); the running
    balances move in the same transaction; one audit event records the posting. Only fund
    administrators and the system post.
    """
    require(can_post_entries(by))
    if not entries:
        return []
    if source not in EntrySource.values:
        raise LedgerError(_("Unknown entry source."), "source")
    currencies = fund_currencies()
    refs = [e.source_ref for e in entries if e.source_ref]
    if len(refs) != len(set(refs)):
        raise LedgerError(_("The same reference appears twice."), "duplicate")
    with transaction.atomic():
        accounts = chart_ensure()
        restriction_ids = sorted(
            {p.restriction.pk for e in entries for p in e.postings if p.restriction is not None}
        )
        if restriction_ids:
            # The serialization point of restricted spends (SQLite: IMMEDIATE transactions).
            list(
                Restriction.objects.select_for_update()
                .filter(pk__in=restriction_ids)
                .order_by("pk")
            )
        closed = _closed_through()
        current_date = today()
        totals: dict[tuple[int, int, str], tuple[int, int]] = {}
        for spec in entries:
            for key, (amount, count) in _validate(
                spec, accounts, currencies, closed, current_date
            ).items():
                old_amount, old_count = totals.get(key, (0, 0))
                totals[key] = (old_amount + amount, old_count + count)
        if refs and JournalEntry.objects.filter(source=source, source_ref__in=refs).exists():
            raise LedgerError(_("This has already been posted."), "duplicate")
        actor_id = None if by.pk is None else int(by.pk)
        made = _insert_entries(
            entries, source=source, reason=reason, reverses=reverses, actor_id=actor_id
        )
        account_ids = {code: account.pk for code, account in accounts.items()}
        rows = [
            (
                entry_id,
                account_ids[p.account.code if isinstance(p.account, Account) else p.account],
                p.restriction.pk if p.restriction is not None else None,
                p.amount,
                p.currency,
            )
            for entry_id, spec in zip((e.pk for e in made), entries, strict=True)
            for p in spec.postings
        ]
        try:
            _insert_rows(Posting, POSTING_FIELDS, rows)
        except IntegrityError as exc:  # pragma: no cover - validated above
            raise LedgerError(_("The entry could not be posted."), "integrity") from exc
        _apply_balances(totals)
        _check_restricted_funds(totals, {a.pk: a.type for a in accounts.values()})
        if len(made) == 1:
            audit_record(
                actor=by,
                action="ledger.entry_reversed" if reverses is not None else "ledger.entry_posted",
                obj=made[0],
                reason=made[0].reason,
            )
        else:
            audit_record(
                actor=by,
                action="ledger.entries_posted",
                object_type="ledger.journalentry",
                object_id=f"{made[0].pk}-{made[-1].pk}",
                reason=f"{len(made)} entries ({source}). {reason}".strip(),
            )
    return made


def entry_post(
    *,
    postings: Sequence[PostingSpec],
    memo: str,
    effective_date: datetime.date,
    by: Actor,
    reason: str = "",
    source: str = EntrySource.MANUAL,
    source_ref: str = "",
) -> JournalEntry:
    """Post one balanced entry (see :func:`entries_post` for what is guaranteed)."""
    spec = EntrySpec(
        postings=postings,
        memo=memo,
        effective_date=effective_date,
        reason=reason,
        source_ref=source_ref,
    )
    return entries_post(entries=[spec], by=by, source=source)[0]


def entry_reverse(*, entry: JournalEntry, reason: str, by: Actor) -> JournalEntry:
    """Post the mirror image of ``entry``, dated today, linked to it, with a reason.

    Guarantees: an entry is reversed at most once; a reversal is not itself reversed (post a
    new entry instead); reversing restores every balance the entry moved; a reversal that would
    overdraw a restricted fund (its money was spent since) is refused like any other entry.
    """
    require(can_post_entries(by))
    reason = (reason or "").strip()
    if not reason:
        raise LedgerError(_("Say why the entry is reversed."), "reason")
    if entry.reverses_id is not None:
        raise LedgerError(_("A reversal cannot be reversed: post a new entry instead."), "reversal")
    if JournalEntry.objects.filter(reverses=entry).exists():
        raise LedgerError(_("This entry has already been reversed."), "reversed")
    postings = [
        PostingSpec(
            account=p.account,
            amount=-p.amount,
            currency=p.currency,
            restriction=p.restriction,
        )
        for p in entry.postings.select_related("account", "restriction")
    ]
    closed = _closed_through()
    when = max(today(), entry.effective_date)
    if closed is not None and when <= closed:  # pragma: no cover - today is after a close
        when = closed + datetime.timedelta(days=1)
    spec = EntrySpec(
        postings=postings,
        memo=str(_("Reversal of entry %(number)s") % {"number": entry.pk})[:MAX_MEMO],
        effective_date=when,
        reason=reason,
        source_ref=f"entry:{entry.pk}",
    )
    try:
        return entries_post(entries=[spec], by=by, source=EntrySource.REVERSAL, reverses=entry)[0]
    except IntegrityError as exc:  # two reversals at once: the OneToOne refuses the second
        raise LedgerError(_("This entry has already been reversed."), "reversed") from exc


def restricted_spend(
    *,
    restriction: Restriction,
    category: str,
    amount: int,
    currency: str,
    memo: str,
    effective_date: datetime.date,
    by: Actor,
    expense_account: str = GRANTS_EXPENSE,
    credit_account: str = CASH,
    source: str = EntrySource.DISBURSEMENT,
    source_ref: str = "",
    reason: str = "",
) -> JournalEntry:
    """Spend ``amount`` held for ``restriction`` on ``category`` (a grant category).

    Refused when the restriction does not allow the category, or when the restricted balance
    would go below zero (checked under a lock on the restriction, so concurrent spends
    serialize and cannot both pass). Grant disbursements post through here.
    """
    require(can_post_entries(by))
    if not restriction.allows(category):
        raise LedgerError(
            _("Money held for %(restriction)s cannot pay for this category."),
            "outside_restriction",
            restriction=restriction.name,
        )
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise LedgerError(_("The amount must be more than zero."), "not_positive")
    return entry_post(
        postings=[
            PostingSpec(expense_account, amount, currency, restriction),
            PostingSpec(credit_account, -amount, currency, restriction),
        ],
        memo=memo,
        effective_date=effective_date,
        by=by,
        reason=reason,
        source=source,
        source_ref=source_ref,
    )


def books_close(*, through: datetime.date, by: Actor, reason: str = "") -> BooksClosed:
    """Close the books through ``through``: later entries must be dated after it."""
    require(can_post_entries(by))
    if through >= today():
        raise LedgerError(_("Only past days can be closed."), "close_future")
    with transaction.atomic():
        current = _closed_through()
        if current is not None and through <= current:
            raise LedgerError(_("The books are already closed through that day."), "closed")
        actor_id = None if by.pk is None else int(by.pk)
        row = BooksClosed.objects.create(through=through, closed_by_id=actor_id, reason=reason)
        audit_record(actor=by, action="ledger.books_closed", obj=row, reason=reason)
    return row
