"""The journal is append-only in the database itself, and nothing else writes to it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from amparo.ledger import chart
from amparo.ledger.models import AppendOnlyError, JournalEntry, Posting
from amparo.ledger.services import PostingSpec, entry_post
from amparo.ledger.triggers import triggers_present
from tests.clock import frozen

pytestmark = [pytest.mark.django_db, frozen]

ROOT = Path(__file__).resolve().parents[2]


def _entry(treasurer: Any, day: Any) -> Any:
    return entry_post(
        postings=[
            PostingSpec(chart.CASH, 500, "USD"),
            PostingSpec(chart.CONTRIBUTIONS, -500, "USD"),
        ],
        memo="Gift",
        effective_date=day,
        by=treasurer,
    )


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE ledger_journalentry SET memo = 'changed'",
        "DELETE FROM ledger_journalentry",
        "UPDATE ledger_posting SET amount = amount * 2",
        "DELETE FROM ledger_posting",
    ],
)
def test_triggers_refuse_update_and_delete(treasurer: Any, day: Any, sql: Any) -> None:
    entry = _entry(treasurer, day)
    assert triggers_present(connection)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    entry.refresh_from_db()
    assert entry.memo == "Gift"
    assert sorted(Posting.objects.values_list("amount", flat=True)) == [-500, 500]


def test_the_models_refuse_changes_too(treasurer: Any, day: Any) -> None:
    entry = _entry(treasurer, day)
    entry.memo = "changed"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        JournalEntry.objects.update(memo="x")
    with pytest.raises(AppendOnlyError):
        Posting.objects.all().delete()


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_journal_and_puts_the_triggers_back(make_user: Any) -> None:
    from django.utils import timezone

    _entry(make_user(), timezone.localdate())
    call_command("flush", interactive=False, verbosity=0)
    assert not JournalEntry.objects.exists()
    assert triggers_present(connection)


_CREATES = re.compile(
    r"\b(JournalEntry|Posting)\s*\(|\b(JournalEntry|Posting)\.objects\.(bulk_)?create"
)


def test_no_journal_entry_or_posting_is_created_outside_the_ledger_services() -> None:
    offenders = []
    for path in (ROOT / "amparo").rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if rel == "amparo/ledger/services.py" or "/migrations/" in rel:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if _CREATES.search(line) and not line.lstrip().startswith(("class ", "#")):
                offenders.append(f"{rel}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)
