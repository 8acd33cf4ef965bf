"""`amparo donations import` of big files: nothing written when a late line is bad, batches
within SQLite's parameter limit, a refusal in a late batch undoes the earlier ones, progress
as JSON lines or a bar on standard error."""

from __future__ import annotations

import datetime
import io
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError, connection

from amparo.core.services import SYSTEM
from amparo.donations.imports import BATCH_ROWS, MAX_ERRORS, batch_size
from amparo.donations.models import Gift
from amparo.ledger.models import JournalEntry
from amparo.ledger.services import books_close
from amparo.ledger.verify import ledger_verify
from tests.clock import FROZEN_TODAY, frozen

pytestmark = [pytest.mark.django_db, frozen]

HEADER = "date,amount,currency,donor_name,donor_email,reference,designation\n"
DAY = (FROZEN_TODAY - datetime.timedelta(days=30)).isoformat()


def _file(tmp_path: Path, rows: int, bad: dict[int, str] | None = None) -> str:
    """``rows`` anonymous gifts (line n+1 holds gift n); ``bad`` replaces lines by number."""
    bad = bad or {}
    path = tmp_path / "gifts.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        for n in range(1, rows + 1):
            out.write(bad.get(n + 1, f"{DAY},{n % 97 + 1}.25,USD,,,G-{n},") + "\n")
    return str(path)


@pytest.fixture
def parameter_limit() -> Iterator[int | None]:
    """The database's limit on query parameters: SQLite's real limit lowered to the 999 Django
    plans for; PostgreSQL's ``None`` (no limit Django plans for: full batches)."""
    if connection.vendor != "sqlite":
        yield connection.features.max_query_params
        return
    connection.ensure_connection()
    raw = connection.connection
    old = raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)
    try:
        yield 999
    finally:
        raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, old)


def test_a_bad_line_50001_refuses_the_whole_file(tmp_path: Path) -> None:
    path = _file(tmp_path, 50_100, {50_001: f"{DAY},ten,USD,,,G-BAD,"})
    err = io.StringIO()
    with pytest.raises(CommandError) as info:
        call_command("donations", "import", path, "--progress", "none", stderr=err)
    assert info.value.returncode == 1
    assert "1 problem" in str(info.value)
    assert err.getvalue().splitlines() == [
        "Line 50001: the amount is not a number with a dot for decimals."
    ]
    assert not Gift.objects.exists()
    assert not JournalEntry.objects.exists()


def test_many_problems_are_counted_and_the_first_ones_listed(tmp_path: Path) -> None:
    bad = {line: f"{DAY},0,USD,,,B-{line}," for line in range(2, 2 + MAX_ERRORS + 30)}
    err = io.StringIO()
    with pytest.raises(CommandError) as info:
        call_command(
            "donations", "import", _file(tmp_path, 300, bad), "--progress", "none", stderr=err
        )
    lines = err.getvalue().splitlines()
    assert f"{MAX_ERRORS + 30} problem(s)" in str(info.value)
    assert len(lines) == MAX_ERRORS + 1
    assert lines[0].startswith("Line 2:") and lines[MAX_ERRORS - 1].startswith("Line 101:")
    assert lines[-1] == "… and 30 more problem(s), not shown."


def test_batches_stay_within_the_database_s_parameter_limit(
    tmp_path: Path, capsys: Any, parameter_limit: int | None
) -> None:
    if parameter_limit is not None:
        # The limit is in force: one statement with 1,000 parameters is refused.
        with pytest.raises(OperationalError, match="too many SQL variables"):
            Gift.objects.filter(reference__in=[str(n) for n in range(1000)]).count()
        assert 900 < batch_size() < parameter_limit
    else:
        assert batch_size() == BATCH_ROWS
    rows = 2 * batch_size() + 5
    call_command("donations", "import", _file(tmp_path, rows), "--progress", "none")
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (result["imported"], result["rows"]) == (rows, rows)
    assert Gift.objects.count() == rows
    assert JournalEntry.objects.filter(source="donation").count() == rows
    assert ledger_verify().balanced
    # A second run skips every row, batch by batch.
    call_command("donations", "import", _file(tmp_path, rows), "--progress", "none")
    again = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (again["imported"], again["skipped"]) == (0, rows)


def test_a_refusal_in_a_late_batch_undoes_the_earlier_batches(tmp_path: Path) -> None:
    # Every row passes the check; the ledger refuses the last one (dated in closed books)
    # while the batches before it are already written, in the same transaction.
    closed = FROZEN_TODAY - datetime.timedelta(days=200)
    books_close(through=closed, by=SYSTEM, reason="Year end")
    rows = 2 * batch_size() + 3
    late = f"{(closed - datetime.timedelta(days=1)).isoformat()},5,USD,,,G-LATE,"
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "donations",
            "import",
            _file(tmp_path, rows, {rows + 1: late}),
            "--progress",
            "json",
            stderr=err,
        )
    stages = [json.loads(line) for line in err.getvalue().splitlines() if line.startswith("{")]
    assert {"stage": "write", "done": 0, "total": rows} in stages  # the writing had begun
    assert not Gift.objects.exists()
    assert not JournalEntry.objects.exists()


def test_progress_is_json_lines_when_stderr_is_not_a_terminal(tmp_path: Path, capsys: Any) -> None:
    rows = 2_500
    err = io.StringIO()
    call_command("donations", "import", _file(tmp_path, rows), stderr=err)  # --progress auto
    events = [json.loads(line) for line in err.getvalue().splitlines()]
    assert events[0] == {"stage": "validate", "done": 0, "total": rows}
    assert {"stage": "validate", "done": rows, "total": rows} in events
    assert events[-1] == {"stage": "write", "done": rows, "total": rows}
    writes = [e["done"] for e in events if e["stage"] == "write"]
    assert writes == sorted(writes) and writes[0] == 0
    assert json.loads(capsys.readouterr().out.strip())["imported"] == rows


def test_the_bar_can_be_forced_into_a_pipe(tmp_path: Path, capsys: Any) -> None:
    err = io.StringIO()
    call_command("donations", "import", _file(tmp_path, 1_200), "--progress", "bar", stderr=err)
    text = err.getvalue()
    assert "Checking" in text and "Writing" in text
    assert "1200/1200" in text
    assert not any(line.startswith("{") for line in text.splitlines())
    assert json.loads(capsys.readouterr().out.strip())["imported"] == 1_200
