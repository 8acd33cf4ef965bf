"""Processor fees: a payout export's charges are gifts at gross, and the fee the processor kept
of each is booked (Dr processing fees, Cr the account the gift was debited to) in the same
all-or-nothing import, once."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum
from django.utils import translation

from amparo.core.services import SYSTEM, ServiceError
from amparo.donations.models import Channel, Gift
from amparo.donations.services import (
    GiftFee,
    fee_source_ref,
    gift_fees_record,
    gift_record,
)
from amparo.ledger import chart
from amparo.ledger.models import EntrySource, JournalEntry, Posting
from amparo.ledger.services import PostingSpec, entry_post, restricted_balance
from amparo.ledger.verify import ledger_verify

pytestmark = pytest.mark.django_db

HEADER = (
    "balance_transaction_id,created_utc,available_on_utc,currency,gross,fee,net,"
    "reporting_category,customer_name,customer_email\n"
)
#: Three charges (one without a fee), a standalone fee row and the payout: synthetic data.
CHARGES = (
    "txn_a1,2025-04-02 10:00:00,2025-04-04,usd,30.00,1.17,28.83,charge,Ana Prueba,ana@example.net\n"
    "txn_a2,2025-04-02 11:30:00,2025-04-04,usd,100.00,3.20,96.80,charge,,\n"
    "txn_a3,2025-04-03 08:15:00,2025-04-05,usd,12.50,0.00,12.50,charge,,\n"
    "txn_a4,2025-04-03 09:00:00,2025-04-05,usd,-2.00,0.00,-2.00,fee,,\n"
    "txn_a5,2025-04-05 09:00:00,2025-04-05,usd,-138.13,0.00,-138.13,payout,,\n"
)
GROSS = [3_000, 10_000, 1_250]
FEES = [117, 320, 0]
NETS = [2_883, 9_680, 1_250]


def _write(tmp_path: Path, text: str, name: str = "payout.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _run(path: str, capsys: Any) -> dict[str, Any]:
    call_command("donations", "import", path, "--format", "stripe-payouts")
    result: dict[str, Any] = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    return result


def _refused(path: str, capsys: Any) -> str:
    with pytest.raises(CommandError):
        call_command("donations", "import", path, "--format", "stripe-payouts")
    return str(capsys.readouterr().err)


def _balance(code: str, *, restricted: bool | None = None) -> int:
    """The balance of account ``code`` in USD, added up from its postings."""
    postings = Posting.objects.filter(account__code=code, currency="USD")
    if restricted is not None:
        postings = postings.filter(restriction__isnull=not restricted)
    return int(postings.aggregate(total=Sum("amount"))["total"] or 0)


def _nothing_changed() -> None:
    assert Gift.objects.count() == 0
    assert JournalEntry.objects.count() == 0
    assert Posting.objects.count() == 0


def test_gifts_stay_at_gross_and_each_fee_is_booked_so_cash_is_the_net(
    tmp_path: Any, capsys: Any
) -> None:
    result = _run(_write(tmp_path, HEADER + CHARGES), capsys)
    assert result["imported"] == 3
    assert result["ignored"] == 2
    assert result["total_cents"] == sum(GROSS)
    assert (result["fees"], result["fees_cents"]) == (2, sum(FEES))

    gifts = {g.reference: g for g in Gift.objects.all()}
    assert [gifts[r].amount for r in ("txn_a1", "txn_a2", "txn_a3")] == GROSS
    assert {g.channel for g in gifts.values()} == {Channel.PROCESSOR}

    fee_entries = JournalEntry.objects.filter(source_ref__startswith="fee:").order_by("source_ref")
    assert [e.source_ref for e in fee_entries] == ["fee:txn_a1", "fee:txn_a2"]
    for entry, fee, ref in zip(fee_entries, FEES, ("txn_a1", "txn_a2"), strict=False):
        lines = sorted(
            (p.account.code, p.amount, p.restriction_id)
            for p in entry.postings.select_related("account")
        )
        assert lines == sorted([(chart.FEES_EXPENSE, fee, None), (chart.CASH, -fee, None)])
        assert entry.effective_date == gifts[ref].received_on
        assert entry.source == EntrySource.DONATION

    assert _balance(chart.CASH) == sum(NETS)
    assert _balance(chart.PROCESSOR_CLEARING) == 0
    assert _balance(chart.CONTRIBUTIONS) == -sum(GROSS)
    assert _balance(chart.FEES_EXPENSE) == sum(FEES)
    report = ledger_verify()
    assert report.balanced, report.problems


def test_reimporting_posts_no_second_fee(tmp_path: Any, capsys: Any) -> None:
    path = _write(tmp_path, HEADER + CHARGES)
    _run(path, capsys)
    entries, postings = JournalEntry.objects.count(), Posting.objects.count()
    again = _run(path, capsys)
    assert (again["imported"], again["skipped"], again["fees"], again["fees_cents"]) == (0, 3, 0, 0)
    assert (JournalEntry.objects.count(), Posting.objects.count()) == (entries, postings)
    assert _balance(chart.CASH) == sum(NETS)


def test_a_new_charge_in_a_later_export_books_only_its_own_fee(tmp_path: Any, capsys: Any) -> None:
    _run(_write(tmp_path, HEADER + CHARGES), capsys)
    later = CHARGES + ("txn_b1,2025-04-06 10:00:00,2025-04-08,usd,50.00,1.75,48.25,charge,,\n")
    result = _run(_write(tmp_path, HEADER + later, "later.csv"), capsys)
    assert (result["imported"], result["skipped"], result["fees_cents"]) == (1, 3, 175)
    assert JournalEntry.objects.filter(source_ref__startswith="fee:").count() == 3
    assert _balance(chart.CASH) == sum(NETS) + 4_825
    assert ledger_verify().balanced


BAD_FEES = [
    ("-1.17", "28.83", "the fee is negative"),
    ("abc", "28.83", "the fee is not a number with a dot for decimals"),
    ("", "28.83", "the fee is not a number with a dot for decimals"),
    ("1.175", "28.825", "the fee has more decimals than the currency allows"),
    ("30.01", "0", "the fee is larger than the gross amount"),
    ("1.17", "29.83", "the net is not the gross minus the fee"),
]


@pytest.mark.parametrize(("fee", "net", "message"), BAD_FEES)
def test_a_bad_fee_refuses_the_whole_file_with_its_line_number(
    tmp_path: Any, capsys: Any, fee: str, net: str, message: str
) -> None:
    text = (
        HEADER
        + "txn_c1,2025-04-01 10:00:00,2025-04-03,usd,20.00,0.88,19.12,charge,,\n"
        + f"txn_c2,2025-04-02 10:00:00,2025-04-04,usd,30.00,{fee},{net},charge,,\n"
    )
    err = _refused(_write(tmp_path, text), capsys)
    assert f"Line 3: {message}." in err
    assert "Line 2" not in err
    _nothing_changed()


def test_a_file_without_the_fee_column_is_refused(tmp_path: Any, capsys: Any) -> None:
    text = (
        "balance_transaction_id,created_utc,currency,gross,reporting_category\n"
        "txn_d1,2025-04-02 10:00:00,usd,30.00,charge\n"
    )
    err = _refused(_write(tmp_path, text), capsys)
    assert "Line 1: missing column(s): fee." in err
    _nothing_changed()


def test_the_net_column_is_optional(tmp_path: Any, capsys: Any) -> None:
    text = (
        "balance_transaction_id,created_utc,currency,gross,fee,reporting_category\n"
        "txn_e1,2025-04-02 10:00:00,usd,30.00,1.17,charge\n"
    )
    result = _run(_write(tmp_path, text), capsys)
    assert (result["imported"], result["fees_cents"]) == (1, 117)
    assert _balance(chart.CASH) == 2_883


def test_a_fee_refused_by_the_ledger_leaves_no_gift_behind(tmp_path: Any, capsys: Any) -> None:
    # Something already posted under the fee's source reference: the fee is refused, and so
    # is the gift of the same import.
    entry_post(
        postings=[
            PostingSpec(chart.FEES_EXPENSE, 100, "USD"),
            PostingSpec(chart.CASH, -100, "USD"),
        ],
        memo="fee booked by hand",
        effective_date=datetime.date(2025, 4, 1),
        by=SYSTEM,
        source=EntrySource.DONATION,
        source_ref="fee:txn_a1",
    )
    err = _refused(_write(tmp_path, HEADER + CHARGES), capsys)
    assert "already been posted" in err
    assert Gift.objects.count() == 0
    assert JournalEntry.objects.count() == 1


def test_a_bad_fee_is_refused_in_spanish(tmp_path: Any, capsys: Any) -> None:
    text = HEADER + "txn_f1,2025-04-02 10:00:00,2025-04-04,usd,30.00,-1,31,charge,,\n"
    with translation.override("es"):
        err = _refused(_write(tmp_path, text), capsys)
    assert "Línea 2: la comisión es negativa." in err
    _nothing_changed()


# --- The service ------------------------------------------------------------------------------


def test_a_restricted_gifts_fee_is_paid_from_unrestricted_money(detained: Any) -> None:
    gift = gift_record(
        amount=10_000,
        currency="USD",
        received_on=datetime.date(2025, 4, 2),
        reference="txn_g1",
        designation=detained,
        channel=Channel.PROCESSOR,
        by=SYSTEM,
    )
    (entry,) = gift_fees_record(fees=[GiftFee(gift=gift, amount=320)], by=SYSTEM)
    assert {p.restriction_id for p in entry.postings.all()} == {None}
    # The donor's restriction keeps the whole gross; general money pays the fee.
    assert restricted_balance(restriction_id=detained.pk, currency="USD") == 10_000
    assert _balance(chart.CASH, restricted=True) == 10_000
    assert _balance(chart.CASH, restricted=False) == -320
    assert _balance(chart.CASH) == 9_680
    assert _balance(chart.FEES_EXPENSE, restricted=False) == 320
    assert ledger_verify().balanced


def test_an_online_gifts_fee_comes_out_of_processor_clearing() -> None:
    gift = gift_record(
        amount=5_000,
        currency="USD",
        received_on=datetime.date(2025, 4, 2),
        reference="pay_h1",
        channel=Channel.ONLINE,
        by=SYSTEM,
    )
    gift_fees_record(fees=[GiftFee(gift=gift, amount=175)], by=SYSTEM)
    assert _balance(chart.PROCESSOR_CLEARING) == 4_825
    assert _balance(chart.CASH) == 0


@pytest.mark.parametrize("amount", [0, -5, 5_001])
def test_the_service_refuses_a_fee_not_above_zero_or_above_the_gift(amount: int) -> None:
    gift = gift_record(
        amount=5_000,
        currency="USD",
        received_on=datetime.date(2025, 4, 2),
        reference="txn_i1",
        channel=Channel.PROCESSOR,
        by=SYSTEM,
    )
    before = JournalEntry.objects.count()
    with pytest.raises(ServiceError):
        gift_fees_record(fees=[GiftFee(gift=gift, amount=amount)], by=SYSTEM)
    assert JournalEntry.objects.count() == before


def test_the_service_posts_a_gifts_fee_once() -> None:
    gift = gift_record(
        amount=5_000,
        currency="USD",
        received_on=datetime.date(2025, 4, 2),
        reference="txn_j1",
        channel=Channel.PROCESSOR,
        by=SYSTEM,
    )
    gift_fees_record(fees=[GiftFee(gift=gift, amount=100)], by=SYSTEM)
    with pytest.raises(ServiceError):
        gift_fees_record(fees=[GiftFee(gift=gift, amount=100)], by=SYSTEM)
    assert _balance(chart.FEES_EXPENSE) == 100


def test_a_long_reference_still_has_a_fee_reference_that_fits() -> None:
    long_a, long_b = "a" * 99 + "1", "a" * 99 + "2"
    assert fee_source_ref("txn_1") == "fee:txn_1"
    refs = {fee_source_ref(long_a), fee_source_ref(long_b)}
    assert len(refs) == 2
    assert all(len(r) <= 100 for r in refs)
    assert fee_source_ref(long_a) == fee_source_ref(long_a)
