"""`amparo donations import`: all or nothing, line-numbered refusals, idempotent."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from faker import Faker

from amparo.donations.models import Donor, Gift
from amparo.ledger.models import JournalEntry
from amparo.ledger.verify import ledger_verify
from amparo.vault.models import Subject

pytestmark = pytest.mark.django_db

HEADER = "date,amount,currency,donor_name,donor_email,reference,designation\n"


def _write(tmp_path: Path, text: str | bytes, name: str = "gifts.csv") -> str:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


def _good(detained: Any) -> str:
    fake = Faker()
    fake.seed_instance(7)
    return HEADER + "".join(
        [
            f"2025-01-15,50.00,USD,{fake.name()},{fake.email()},REF-1,\n",
            f"2025-02-01,125.5,USD,{fake.name()},{fake.email()},REF-2,{detained.slug}\n",
            "2025-03-03,20,USD,,,REF-3,\n",
        ]
    )


def _run(path: str, capsys: Any, *args: str) -> dict[str, Any]:
    call_command("donations", "import", path, *args)
    result: dict[str, Any] = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    return result


def test_import_posts_each_gift_and_a_second_run_imports_nothing(
    tmp_path: Any, capsys: Any, detained: Any
) -> None:
    path = _write(tmp_path, _good(detained))
    first = _run(path, capsys)
    assert first["imported"] == 3
    assert first["total_cents"] == 5_000 + 12_550 + 2_000
    assert Gift.objects.count() == 3
    assert Gift.objects.get(reference="REF-2").designation == detained
    assert Gift.objects.get(reference="REF-3").donor is None
    assert Donor.objects.count() == 2
    assert Subject.objects.filter(kind="donor").count() == 2
    assert JournalEntry.objects.filter(source="donation").count() == 3
    second = _run(path, capsys)
    assert second["imported"] == 0
    assert second["skipped"] == 3
    assert Gift.objects.count() == 3
    assert ledger_verify().balanced


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("2025-13-01,10.00,USD,,,BAD-1,", "is not a date"),
        ("2025-01-01,-10.00,USD,,,BAD-1,", "more than zero"),
        ("2025-01-01,0.00,USD,,,BAD-1,", "more than zero"),
        ("2025-01-01,10.00,XXX,,,BAD-1,", "is not a currency code"),
        ("2025-01-01,10.00,EUR,,,BAD-1,", "does not accept EUR"),
        ("2025-01-01,10.005,USD,,,BAD-1,", "more decimals"),
        ("2025-01-01,10,USD,,,,", "reference is missing"),
        ("2025-01-01,10,USD,,,REF-1,", "is repeated (first on line 2)"),
        ("2025-01-01,10,USD,,,BAD-1,no-such-program", "is not a program or a restriction"),
        ("2025-01-01,10,USD,,not-an-email,BAD-1,", "Line 5"),
    ],
)
def test_one_bad_row_refuses_the_whole_file_with_its_line_number(
    tmp_path: Any, capsys: Any, detained: Any, row: Any, message: Any
) -> None:
    path = _write(tmp_path, _good(detained) + row + "\n")
    with pytest.raises(CommandError) as info:
        call_command("donations", "import", path)
    assert info.value.returncode == 1
    err = capsys.readouterr().err
    assert "Line 5:" in err
    assert message in err
    assert not Gift.objects.exists()
    assert not JournalEntry.objects.exists()
    assert not Donor.objects.exists()


def test_missing_column_and_non_utf8_are_refused(tmp_path: Any, capsys: Any) -> None:
    path = _write(tmp_path, "date,amount,currency,reference\n2025-01-01,1,USD,X\n")
    with pytest.raises(CommandError):
        call_command("donations", "import", path)
    assert "missing column(s): donor_name, donor_email" in capsys.readouterr().err
    path = _write(
        tmp_path, (HEADER + "2025-01-01,1,USD,Jos\xe9,,X,\n").encode("latin-1"), "latin.csv"
    )
    with pytest.raises(CommandError):
        call_command("donations", "import", path)
    assert "not UTF-8" in capsys.readouterr().err
    assert not Gift.objects.exists()


def test_errors_are_in_spanish_when_the_operator_works_in_spanish(
    tmp_path: Any, capsys: Any
) -> None:
    from django.utils import translation

    path = _write(tmp_path, HEADER + "ayer,10,USD,,,R1,\n")
    with translation.override("es"), pytest.raises(CommandError):
        call_command("donations", "import", path)
    assert "Línea 2" in capsys.readouterr().err


def test_stripe_payout_export_imports_charges_only(tmp_path: Any, capsys: Any) -> None:
    text = (
        "balance_transaction_id,created_utc,available_on_utc,currency,gross,fee,net,reporting_category,customer_name,customer_email\n"
        "txn_1,2025-04-02 10:00:00,2025-04-04,usd,30.00,1.17,28.83,charge,Ana Ruiz,ana@example.net\n"
        "txn_2,2025-04-03 10:00:00,2025-04-05,usd,-1.00,0,-1.00,fee,,\n"
        "txn_3,2025-04-05 09:00:00,2025-04-05,usd,-28.83,0,-28.83,payout,,\n"
    )
    result = _run(_write(tmp_path, text), capsys, "--format", "stripe-payouts")
    assert result["imported"] == 1
    assert result["ignored"] == 2
    gift = Gift.objects.get()
    assert (gift.reference, gift.amount, gift.currency, gift.channel) == (
        "txn_1",
        3_000,
        "USD",
        "processor",
    )


def test_bank_statement_imports_credits_as_anonymous_gifts(tmp_path: Any, capsys: Any) -> None:
    text = (
        "Date,Description,Amount,Reference\n"
        '04/02/2025,DEPOSIT CHECK,"1,250.00",CHK-881\n'
        "04/03/2025,BANK FEE,-15.00,FEE-1\n"
    )
    result = _run(_write(tmp_path, text), capsys, "--format", "bank-csv")
    assert result["imported"] == 1
    gift = Gift.objects.get()
    assert (gift.amount, gift.donor, gift.channel) == (125_000, None, "bank")
