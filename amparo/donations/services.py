"""Recording money that comes in. Each service runs in one transaction, posts to the ledger in
that transaction and writes an audit event; anything refused changes nothing.

Ledger memos and audit reasons carry references (gift reference, payment reference), never a
donor's name or email.
"""

from __future__ import annotations

import datetime
import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from amparo.accounts.roles import Role
from amparo.accounts.services import user_credentials_revoke
from amparo.audit.services import audit_record
from amparo.core import identity
from amparo.core.services import (
    Actor,
    ServiceError,
    is_system,
    model_insert,
    model_update,
    require,
)
from amparo.ledger import chart
from amparo.ledger.currency import format_money, fund_currencies, is_currency
from amparo.ledger.models import EntrySource, JournalEntry, Restriction, RestrictionKind
from amparo.ledger.services import (
    EntrySpec,
    PostingSpec,
    entries_post,
    entry_post,
    restriction_ensure,
)
from amparo.organizations.models import Program
from amparo.vault.blind import matching
from amparo.vault.models import SubjectKind
from amparo.vault.services import subject_create, subject_shred

from .models import (
    Appropriation,
    AppropriationPayment,
    Channel,
    Donor,
    Frequency,
    Gift,
    GiftLocked,
    Pledge,
    PledgeStatus,
    Receipt,
    ReceiptKind,
    ReportingFrequency,
)
from .permissions import can_manage_gifts, can_view_own_gifts
from .receipts import receipt_pdf
from .tasks import email_receipt

MAX_REFERENCE = 100
MAX_NAME = 200


def _refused(field: str | None, message: Any, code: str, **params: Any) -> ServiceError:
    """A refusal of the values, beside ``field`` (the name of the form field it is about) or
    about the whole request; ``code`` names the rule."""
    error = ServiceError(message, code=code, params=params or None)
    return ServiceError({field: [error]}) if field else error


def _may_record(by: Actor) -> bool:
    """Fund administrators record money; the system does for the public donation pages, the
    processor's confirmations, imports and the seed."""
    return is_system(by) or can_manage_gifts(by)


def _today() -> datetime.date:
    return timezone.localdate()


def _check_amount(amount: int, currency: str) -> None:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise _refused("amount", _("The amount must be more than zero."), "not_positive")
    if not is_currency(currency):
        raise _refused(
            "currency", _("%(value)s is not a currency code."), "currency", value=currency
        )
    if currency not in fund_currencies():
        raise _refused(
            "currency", _("The fund does not accept %(value)s."), "currency", value=currency
        )


# --- Donors ----------------------------------------------------------------------------------


def donor_find_by_email(email: str) -> Donor | None:
    if not email:
        return None
    return Donor.objects.filter(matching(Donor, "email_index", email)).first()


def donor_create(
    *,
    name: str = "",
    email: str = "",
    language: str = "en",
    public_name: str = "",
    public_consent: bool = False,
    user: Any = None,
    by: Actor,
) -> Donor:
    """A donor with a data key of its own. A public name is kept only with consent."""
    require(_may_record(by))
    with transaction.atomic():
        donor = Donor(
            subject=subject_create(kind=SubjectKind.DONOR),
            name=name.strip(),
            email=email.strip(),
            language=language if language in ("en", "es") else "en",
            public_name=public_name.strip() if public_consent else "",
            public_consent=bool(public_consent and public_name.strip()),
            user=user,
        )
        model_insert(
            instance=donor,
            fields=["name", "email"],
            by=by,
            action="donations.donor_created",
            exclude=["subject", "user"],
        )
    return donor


def _close_donor_account(donor: Donor, *, by: Actor, reason: str) -> None:
    """A donor's own sign-in account holds the donor's email and name in the clear: it goes
    with the donor (switched off, its address and name replaced, its tokens revoked). A staff
    account that was linked to a donor profile is only unlinked: it is not the donor's."""
    user = donor.user
    donor.user = None
    if user is None or user.role != Role.DONOR:
        return
    user.email = f"removed-{uuid.uuid4().hex}@removed.invalid"
    user.first_name = user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save(update_fields=["email", "first_name", "last_name", "is_active", "password"])
    EmailAddress.objects.filter(user=user).delete()  # allauth's copy of the sign-in address
    user_credentials_revoke(user=user, by=by, reason=reason)
    audit_record(
        actor=by,
        action="accounts.user.removed_on_request",
        obj=user,
        fields=["email", "first_name", "last_name", "is_active", "password"],
    )


def donor_shred(*, donor: Donor, by: Actor, reason: str) -> Donor:
    """Crypto-shred ``donor`` because the person asked to be removed.

    Guarantees: only fund administrators (or the system) may (checked first); a blank reason, or
    a donor already removed, is refused and changes nothing. One transaction destroys the
    donor's data key and email index (the vault clears the encrypted name and email), clears the
    public name and consent, and closes the donor's own sign-in account. The money stays exactly
    as it was: gifts, pledges, receipts and their ledger entries keep their amounts, dates and
    designations, now without a person behind them. Audited; the reason must not name the
    person.
    """
    require(_may_record(by))
    reason = (reason or "").strip()
    if not reason:
        raise _refused("reason", _("Say why the data is removed."), "reason_required")
    with transaction.atomic():
        locked = (
            Donor.objects.select_for_update(of=("self",))
            .select_related("subject", "user")
            .get(pk=donor.pk)
        )
        if locked.subject.is_shredded:
            raise _refused(None, _("This donor's data was already removed."), "already_removed")
        subject_shred(subject=locked.subject, by=by, reason=reason)
        locked.public_name = ""
        locked.public_consent = False
        _close_donor_account(locked, by=by, reason=reason)
        locked.save(update_fields=["public_name", "public_consent", "user"])
        audit_record(
            actor=by,
            action="donations.donor.shredded",
            obj=locked,
            fields=["public_name", "public_consent", "user"],
            reason=reason,
        )
    return locked


def donor_for(*, name: str, email: str, language: str = "en", by: Actor) -> Donor | None:
    """The donor with this email, or a new one; ``None`` (anonymous) when both are empty."""
    if not name.strip() and not email.strip():
        return None
    existing = donor_find_by_email(email)
    if existing is not None:
        return existing
    return donor_create(name=name, email=email, language=language, by=by)


# --- Designations ----------------------------------------------------------------------------


def designation_resolve(text: str, *, by: Actor) -> Restriction | None:
    """A designation names a restriction or a program (by short name); empty: unrestricted.
    A program's restriction is created the first time a gift names it."""
    require(_may_record(by))
    text = (text or "").strip()
    if not text:
        return None
    restriction = Restriction.objects.filter(slug=text).first()
    if restriction is not None:
        return restriction
    program = Program.objects.filter(slug=text, is_active=True).first()
    if program is None:
        raise _refused(
            "designation",
            _("%(value)s is not a program or a restriction of the fund."),
            "designation",
            value=text,
        )
    return restriction_ensure(
        slug=program.slug,
        name=program.name,
        kind=RestrictionKind.DONOR,
        grant_categories=program.categories,
        program_slug=program.slug,
        by=by,
    )


# --- Gifts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class GiftSpec:
    amount: int
    currency: str
    received_on: datetime.date
    reference: str
    donor: Donor | None = None
    designation: Restriction | None = None
    channel: str = Channel.IMPORT
    pledge: Pledge | None = None


def _debit_account(channel: str) -> str:
    return chart.PROCESSOR_CLEARING if channel == Channel.ONLINE else chart.CASH


def _check_gift(spec: GiftSpec) -> None:
    _check_amount(spec.amount, spec.currency)
    reference = spec.reference.strip()
    if not reference:
        raise _refused("reference", _("A gift needs a reference."), "reference")
    if len(reference) > MAX_REFERENCE:
        raise _refused("reference", _("A reference is at most 100 characters."), "reference")
    if spec.received_on > _today():
        raise _refused("received_on", _("A gift cannot be received in the future."), "future")


def gifts_record(*, gifts: Sequence[GiftSpec], by: Actor, reason: str = "") -> list[Gift]:
    """Record ``gifts`` and post each to the ledger (Dr cash or processor clearing, Cr
    contributions, within the designation's restriction), all or nothing.

    Guarantees: amounts above zero in a currency the fund accepts; references unique (a
    reference already recorded is refused); the ledger entries and the gifts commit together;
    one audit event per call. Only fund administrators and the system record gifts.
    """
    require(_may_record(by))
    for spec in gifts:
        _check_gift(spec)
    refs = [g.reference.strip() for g in gifts]
    if len(set(refs)) != len(refs):
        raise _refused("reference", _("The same reference appears twice."), "duplicate")
    with transaction.atomic():
        if Gift.objects.filter(reference__in=refs).exists():
            raise _refused(
                "reference", _("A gift with this reference was already recorded."), "duplicate"
            )
        entries = [
            EntrySpec(
                postings=[
                    PostingSpec(_debit_account(g.channel), g.amount, g.currency, g.designation),
                    PostingSpec(chart.CONTRIBUTIONS, -g.amount, g.currency, g.designation),
                ],
                memo=f"Gift {g.reference.strip()}",
                effective_date=g.received_on,
                source_ref=g.reference.strip(),
            )
            for g in gifts
        ]
        posted = entries_post(entries=entries, by=by, source=EntrySource.DONATION, reason=reason)
        made = Gift.objects.bulk_create(
            [
                Gift(
                    donor=g.donor,
                    amount=g.amount,
                    currency=g.currency,
                    received_on=g.received_on,
                    reference=g.reference.strip(),
                    designation=g.designation,
                    channel=g.channel,
                    pledge=g.pledge,
                    entry=entry,
                )
                for g, entry in zip(gifts, posted, strict=True)
            ]
        )
        if len(made) == 1:
            audit_record(actor=by, action="donations.gift_recorded", obj=made[0], reason=reason)
        elif made:
            audit_record(
                actor=by,
                action="donations.gifts_recorded",
                object_type="donations.gift",
                reason=f"{len(made)} gifts. {reason}".strip(),
            )
    return made


def gift_record(*, by: Actor, reason: str = "", **spec: Any) -> Gift:
    return gifts_record(gifts=[GiftSpec(**spec)], by=by, reason=reason)[0]


@dataclass(frozen=True)
class GiftFee:
    """What a payment processor kept of ``gift`` (minor units, the gift's currency)."""

    gift: Gift
    amount: int


def fee_source_ref(gift_reference: str) -> str:
    """The ledger source reference of a gift's processing fee (``fee:`` and the gift's
    reference; a hash of it when that would not fit), so a gift's fee is posted once."""
    reference = gift_reference.strip()
    ref = f"fee:{reference}"
    if len(ref) <= MAX_REFERENCE:
        return ref
    return "fee:sha256:" + hashlib.sha256(reference.encode()).hexdigest()


def gift_fees_record(*, fees: Sequence[GiftFee], by: Actor, reason: str = "") -> list[JournalEntry]:
    """Book what a payment processor kept of gifts: per gift, one entry Dr processing fees
    (``chart.FEES_EXPENSE``), Cr the account the gift was debited to (cash for a payout export,
    processor clearing for online gifts), dated like the gift, all or nothing. The gift stays
    at its gross: the donor gave the gross and the receipt says so.

    Fees are an unrestricted expense, also for a restricted gift. A restriction pays only for
    what it allows (grant categories, through ``restricted_spend``), and the donor restricted
    the whole gross, so a restricted gift's fee is not taken from the restricted money: both
    postings carry no restriction. The fee lowers net assets without restriction (the fund
    pays it from general money) and the restricted balance keeps the gross, while the account
    the gift was debited to ends at gross minus fee in total, as the processor paid it out.

    Refused: a fee that is not above zero or larger than its gift (it is in the gift's
    currency); a gift whose fee was already posted (source reference ``fee:<gift reference>``).
    """
    require(_may_record(by))
    entries = []
    for fee in fees:
        gift = fee.gift
        if isinstance(fee.amount, bool) or not isinstance(fee.amount, int) or fee.amount <= 0:
            raise _refused(None, _("A fee must be more than zero."), "fee")
        if fee.amount > gift.amount:
            raise _refused(
                None,
                _("The fee of gift %(value)s is larger than the gift."),
                "fee",
                value=gift.reference,
            )
        entries.append(
            EntrySpec(
                postings=[
                    PostingSpec(chart.FEES_EXPENSE, fee.amount, gift.currency),
                    PostingSpec(_debit_account(gift.channel), -fee.amount, gift.currency),
                ],
                memo=f"Processing fee of gift {gift.reference}",
                effective_date=gift.received_on,
                source_ref=fee_source_ref(gift.reference),
            )
        )
    if not entries:
        return []
    with transaction.atomic():
        posted = entries_post(entries=entries, by=by, source=EntrySource.DONATION, reason=reason)
        audit_record(
            actor=by,
            action="donations.fees_recorded",
            object_type="donations.gift",
            reason=f"{len(posted)} fees. {reason}".strip(),
        )
    return posted


def gift_update(*, gift: Gift, by: Actor, donor: Donor | None) -> Gift:
    """Attribute ``gift`` to ``donor`` (or make it anonymous). Refused once receipted."""
    require(can_manage_gifts(by))
    with transaction.atomic():
        locked = Gift.objects.select_for_update().get(pk=gift.pk)
        if locked.is_receipted:
            raise _refused(
                None, _("This gift has a tax receipt: it can no longer be changed."), "locked"
            )
        try:
            model_update(
                instance=locked,
                fields=["donor"],
                data={"donor": donor},
                by=by,
                action="donations.gift_updated",
            )
        except GiftLocked as exc:  # pragma: no cover - checked under the lock above
            raise _refused(None, _("This gift can no longer be changed."), "locked") from exc
    return locked


# --- Receipts --------------------------------------------------------------------------------


def _next_number(year: int, prefix: str) -> str:
    count = Receipt.objects.filter(number__startswith=f"{prefix}{year}-").count()
    return f"{prefix}{year}-{count + 1:06d}"


def receipt_issue(*, gift: Gift, by: Actor, email: bool = True) -> Receipt:
    """A tax receipt for ``gift`` in the donor's language; the gift is locked from then on.
    Once the transaction commits, the receipt is mailed to the donor (``email=False`` only for
    the demo, whose donors' addresses are invented).

    Anonymous gifts have no one to receipt; a gift is receipted once.
    """
    require(_may_record(by))
    with transaction.atomic():
        locked = Gift.objects.select_for_update().get(pk=gift.pk)
        if locked.donor is None:
            raise _refused(None, _("An anonymous gift has no one to receipt."), "anonymous")
        if locked.is_receipted:
            raise _refused(None, _("This gift already has a receipt."), "receipted")
        year = locked.received_on.year
        receipt = Receipt.objects.create(
            number=_next_number(year, "R"),
            kind=ReceiptKind.GIFT,
            donor=locked.donor,
            gift=locked,
            year=year,
            total=locked.amount,
            currency=locked.currency,
            language=locked.donor.language,
            issued_by_id=by.pk,
        )
        Gift.objects.filter(pk=locked.pk).update(receipted_at=receipt.issued_at)
        audit_record(actor=by, action="donations.receipt_issued", obj=receipt)
        if email:
            receipt_email_on_commit(receipt)
    gift.receipted_at = receipt.issued_at
    return receipt


def receipt_email_on_commit(receipt: Receipt) -> None:
    """Queue the receipt's mail for after the transaction commits: never for a receipt that
    was rolled back. Only the id travels in the queue."""
    receipt_id = receipt.pk
    transaction.on_commit(lambda: email_receipt.enqueue(receipt_id=receipt_id))


def receipt_email(*, receipt_id: int, by: Actor) -> bool:
    """Mail a tax receipt to its donor, in the receipt's language, from the fund, with the PDF
    attached. Returns whether a mail left.

    Attached rather than linked: the receipt holds the donor's own name, gift, amount, date,
    reference and designation and the fund's name, nothing about anyone else, and it goes only
    to the donor's own address; a donor without an account could not open a link behind
    sign-in. Idempotent: the receipt is marked mailed in the transaction that sends it, under a
    row lock, so a retried or doubled task sends once (and a failed send leaves it unmarked for
    the retry). Nothing leaves for a donor without an address or whose data was removed.
    """
    require(is_system(by) or can_manage_gifts(by))
    with transaction.atomic():
        receipt = (
            Receipt.objects.select_for_update(of=("self",))
            .select_related("donor", "donor__subject", "gift", "gift__designation")
            .filter(pk=receipt_id, kind=ReceiptKind.GIFT)
            .first()
        )
        if receipt is None or receipt.emailed_at is not None:
            return False
        donor = receipt.donor
        if donor.is_shredded or not donor.email:
            return False
        message = _receipt_message(receipt)
        model_update(
            instance=receipt,
            fields=["emailed_at"],
            data={"emailed_at": timezone.now()},
            by=by,
            action="donations.receipt_emailed",
        )
        message.send()
    return True


def _receipt_message(receipt: Receipt) -> EmailMessage:
    """The receipt's mail in the receipt's language: a thank-you, the gift in one line, where
    the donor finds their receipts, and the PDF."""
    gift = receipt.gift
    assert gift is not None  # a gift receipt always has its gift
    with translation.override(receipt.language or "en"):
        context = {
            "fund_name": identity.fund_name(),
            "number": receipt.number,
            "amount": format_money(gift.amount, gift.currency),
            "received_on": date_format(gift.received_on, "DATE_FORMAT"),
            "donor_page": identity.absolute_url(reverse("core:dashboard")),
        }
        subject = render_to_string("donations/email/receipt_subject.txt", context)
        body = render_to_string("donations/email/receipt_message.txt", context)
    message = EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        from_email=identity.sender(),
        to=[receipt.donor.email],
    )
    message.attach(f"{receipt.number}.pdf", receipt_pdf(receipt), "application/pdf")
    return message


def year_end_statement_issue(*, donor: Donor, year: int, by: Actor) -> Receipt:
    """The year-end statement of ``donor`` for ``year`` (every gift of the year, receipted or
    not); issuing locks the gifts it lists. Issued once per year; later calls return it.
    Issued by fund administrators, the system, or the donor (on first download)."""
    require(
        _may_record(by)
        or (can_view_own_gifts(by) and donor.user_id is not None and donor.user_id == by.pk)
    )
    with transaction.atomic():
        existing = Receipt.objects.filter(donor=donor, year=year, kind=ReceiptKind.YEAR_END).first()
        if existing is not None:
            return existing
        gifts = list(Gift.objects.select_for_update().filter(donor=donor, received_on__year=year))
        if not gifts:
            raise _refused(None, _("There are no gifts in that year."), "empty")
        currencies = {g.currency for g in gifts}
        currency = sorted(currencies)[0]
        receipt = Receipt.objects.create(
            number=_next_number(year, "S"),
            kind=ReceiptKind.YEAR_END,
            donor=donor,
            year=year,
            total=sum(g.amount for g in gifts if g.currency == currency),
            currency=currency,
            language=donor.language,
            issued_by_id=by.pk,
        )
        Gift.objects.filter(pk__in=[g.pk for g in gifts], receipted_at=None).update(
            receipted_at=receipt.issued_at
        )
        audit_record(actor=by, action="donations.statement_issued", obj=receipt)
    return receipt


# --- Pledges and the payment processor -------------------------------------------------------


def pledge_start(
    *,
    donor: Donor | None,
    amount: int,
    currency: str,
    frequency: str,
    designation: Restriction | None,
    processor: str,
    by: Actor,
) -> Pledge:
    """A pledge waiting for the processor to confirm payment (started by the system for the
    public donation page)."""
    require(_may_record(by))
    _check_amount(amount, currency)
    if frequency not in Frequency.values:
        raise _refused("frequency", _("Choose how often to give."), "frequency")
    with transaction.atomic():
        pledge = Pledge.objects.create(
            donor=donor,
            amount=amount,
            currency=currency,
            frequency=frequency,
            designation=designation,
            processor=processor,
        )
        audit_record(actor=by, action="donations.pledge_started", obj=pledge)
    return pledge


def _next_charge(day: datetime.date, frequency: str) -> datetime.date | None:
    if frequency == Frequency.MONTHLY:
        month = day.month % 12 + 1
        year = day.year + (1 if month == 1 else 0)
        return _clamp(year, month, day.day)
    if frequency == Frequency.YEARLY:
        return _clamp(day.year + 1, day.month, day.day)
    return None


def _clamp(year: int, month: int, dom: int) -> datetime.date:
    while True:
        try:
            return datetime.date(year, month, dom)
        except ValueError:
            dom -= 1


def pledge_paid(*, pledge: Pledge, processor_ref: str, by: Actor) -> Gift:
    """The processor confirmed a payment of ``pledge``: record the gift (idempotent per
    ``processor_ref``) and move the pledge on (a one-time pledge completes; a recurring one
    becomes active with its next charge date)."""
    require(_may_record(by))
    with transaction.atomic():
        locked = Pledge.objects.select_for_update().get(pk=pledge.pk)
        existing = Gift.objects.filter(reference=processor_ref).first()
        if existing is not None:
            return existing
        if locked.status in (PledgeStatus.CANCELLED, PledgeStatus.COMPLETED):
            raise _refused(None, _("This pledge is no longer open."), "closed")
        today = _today()
        gift = gifts_record(
            gifts=[
                GiftSpec(
                    amount=locked.amount,
                    currency=locked.currency,
                    received_on=today,
                    reference=processor_ref,
                    donor=locked.donor,
                    designation=locked.designation,
                    channel=Channel.ONLINE,
                    pledge=locked,
                )
            ],
            by=by,
        )[0]
        nxt = _next_charge(today, locked.frequency)
        Pledge.objects.filter(pk=locked.pk).update(
            status=PledgeStatus.COMPLETED if nxt is None else PledgeStatus.ACTIVE,
            next_charge_on=nxt,
            processor_ref=locked.processor_ref or processor_ref,
        )
    return gift


def pledge_cancel(*, pledge: Pledge, by: Actor) -> Pledge:
    """Cancel ``pledge`` (a completed one stays completed)."""
    require(_may_record(by))
    with transaction.atomic():
        Pledge.objects.filter(pk=pledge.pk).exclude(status=PledgeStatus.COMPLETED).update(
            status=PledgeStatus.CANCELLED, next_charge_on=None
        )
        audit_record(actor=by, action="donations.pledge_cancelled", obj=pledge)
    pledge.refresh_from_db()
    return pledge


def pledges_charge_due(*, by: Actor, today: datetime.date | None = None) -> list[Gift]:
    """Charge every active recurring pledge that is due, through its processor."""
    require(_may_record(by))
    from .processors import processor_named

    today = today or _today()
    gifts = []
    for pledge in Pledge.objects.filter(status=PledgeStatus.ACTIVE, next_charge_on__lte=today):
        ref = processor_named(pledge.processor).charge(pledge)
        if ref:
            gifts.append(pledge_paid(pledge=pledge, processor_ref=ref, by=by))
    return gifts


# --- Public money ----------------------------------------------------------------------------


def appropriation_create(
    *,
    name: str,
    funder: str,
    restriction: Restriction | None,
    amount: int,
    currency: str,
    period_start: datetime.date,
    period_end: datetime.date,
    reporting: str = "quarterly",
    new_restriction: str = "",
    by: Actor,
) -> Appropriation:
    """Public money granted to the fund for ``restriction`` over a period. Nothing is posted
    to the ledger until a payment arrives (``appropriation_receive``).

    Without ``restriction``, ``new_restriction`` names a public restriction to create with
    it (in the same transaction).

    Refused: an empty or too long name or funder, no restriction (or a new one whose short
    name is taken), an amount not above zero or in a currency the fund does not accept, a
    period that ends before it starts, an unknown reporting frequency.
    """
    require(_may_record(by))
    name, funder = (name or "").strip(), (funder or "").strip()
    if not name:
        raise _refused("name", _("An appropriation needs a name."), "name")
    if len(name) > MAX_NAME:
        raise _refused("name", _("A name is at most %(max)s characters."), "name", max=MAX_NAME)
    if not funder:
        raise _refused("funder", _("Name the funder, for example the city council."), "funder")
    if len(funder) > MAX_NAME:
        raise _refused(
            "funder", _("A funder is at most %(max)s characters."), "funder", max=MAX_NAME
        )
    new_restriction = (new_restriction or "").strip()
    slug = slugify(new_restriction)[:80]
    if restriction is None:
        if not new_restriction:
            raise _refused(
                "restriction", _("Choose a restriction, or name a new public one."), "restriction"
            )
        if len(new_restriction) > MAX_NAME:
            raise _refused(
                "new_restriction",
                _("A name is at most %(max)s characters."),
                "new_restriction",
                max=MAX_NAME,
            )
        if not slug:
            raise _refused(
                "new_restriction",
                _("Use letters or digits in the restriction's name."),
                "new_restriction",
            )
    elif new_restriction:
        raise _refused(
            "new_restriction",
            _("Choose a restriction or name a new one, not both."),
            "new_restriction",
        )
    _check_amount(amount, currency)
    if period_end < period_start:
        raise _refused("period_end", _("The period must end on or after it starts."), "period")
    if reporting not in ReportingFrequency.values:
        raise _refused("reporting", _("Choose how often to report."), "reporting")
    with transaction.atomic():
        if restriction is None:
            if Restriction.objects.filter(Q(slug=slug) | Q(name__iexact=new_restriction)).exists():
                raise _refused(
                    "new_restriction",
                    _("There is already a restriction named like this: choose it in the list."),
                    "new_restriction",
                )
            restriction = restriction_ensure(
                slug=slug, name=new_restriction, kind=RestrictionKind.PUBLIC, by=by
            )
        appropriation = Appropriation.objects.create(
            name=name,
            funder=funder,
            restriction=restriction,
            amount=amount,
            currency=currency,
            period_start=period_start,
            period_end=period_end,
            reporting=reporting,
        )
        audit_record(actor=by, action="donations.appropriation_created", obj=appropriation)
    return appropriation


def appropriation_receive(
    *,
    appropriation: Appropriation,
    amount: int,
    currency: str,
    received_on: datetime.date,
    reference: str,
    by: Actor,
) -> AppropriationPayment:
    """Money of ``appropriation`` arrived: post it as restricted revenue (Dr cash, Cr
    government appropriations, within the appropriation's restriction).

    Refused: a currency other than the appropriation's, a date outside its period or in the
    future, more than what is left of the appropriation, a reference already used (also when
    two people record it at the same moment).
    """
    require(_may_record(by))
    _check_amount(amount, currency)
    if currency != appropriation.currency:
        raise _refused(
            "currency",
            _("This appropriation is in %(value)s."),
            "currency",
            value=appropriation.currency,
        )
    if not appropriation.period_start <= received_on <= appropriation.period_end:
        raise _refused(
            "received_on",
            _("The date is outside the appropriation's period (%(start)s to %(end)s)."),
            "period",
            start=appropriation.period_start.isoformat(),
            end=appropriation.period_end.isoformat(),
        )
    if received_on > _today():
        raise _refused("received_on", _("A payment cannot be received in the future."), "future")
    reference = (reference or "").strip()
    if not reference:
        raise _refused("reference", _("A payment needs a reference."), "reference")
    if len(reference) > MAX_REFERENCE:
        raise _refused("reference", _("A reference is at most 100 characters."), "reference")
    try:
        with transaction.atomic():
            locked = Appropriation.objects.select_for_update().get(pk=appropriation.pk)
            if AppropriationPayment.objects.filter(reference=reference).exists():
                raise _refused("reference", _("This payment was already recorded."), "duplicate")
            received = sum(locked.payments.values_list("amount", flat=True))
            if received + amount > locked.amount:
                raise _refused(
                    "amount", _("This is more than what is left of the appropriation."), "beyond"
                )
            entry = entry_post(
                postings=[
                    PostingSpec(chart.CASH, amount, currency, locked.restriction),
                    PostingSpec(chart.PUBLIC_FUNDS, -amount, currency, locked.restriction),
                ],
                memo=f"Appropriation {locked.pk} payment {reference}",
                effective_date=received_on,
                by=by,
                source=EntrySource.APPROPRIATION,
                source_ref=reference,
            )
            payment = AppropriationPayment.objects.create(
                appropriation=locked,
                amount=amount,
                received_on=received_on,
                reference=reference,
                entry=entry,
            )
            audit_record(actor=by, action="donations.appropriation_received", obj=payment)
    except IntegrityError as exc:  # the same reference committed meanwhile
        raise _refused("reference", _("This payment was already recorded."), "duplicate") from exc
    return payment


def reporting_periods(appropriation: Appropriation) -> list[tuple[datetime.date, datetime.date]]:
    """The appropriation's reporting periods (monthly, quarterly or annual), clipped to it."""
    months = {"monthly": 1, "quarterly": 3, "annual": 12}[appropriation.reporting]
    periods = []
    start = appropriation.period_start
    while start <= appropriation.period_end:
        month = start.month - 1 + months
        nxt = datetime.date(start.year + month // 12, month % 12 + 1, 1)
        end = min(nxt - datetime.timedelta(days=1), appropriation.period_end)
        periods.append((start, end))
        start = nxt
    return periods


def new_reference(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:16]}"
