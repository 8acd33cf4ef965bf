"""Migration 0007 encrypts the quasi-identifiers of existing requests under each request's own
subject, empties those of shredded subjects, and gives the values back when reversed."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from amparo.intake.models import HelpRequest
from amparo.vault.errors import SubjectShredded
from amparo.vault.models import Subject
from amparo.vault.services import subject_create

BEFORE = [("intake", "0006_status_code_hash_keyed_by_provider")]
AFTER = [("intake", "0007_quasi_identifiers_encrypted")]
PLAIN = {
    "facility": "Aurora Contract Detention Facility",
    "court": "Denver Immigration Court",
    "zip_code": "80010",
    "next_hearing": datetime.date(2026, 7, 14),
    "deadline_date": datetime.date(2026, 6, 2),
    "household_size": 4,
    "income_low_cents": 3_100_000,
    "income_high_cents": 3_400_000,
    "eligibility_reasons": [{"criterion": "residence", "params": {"zip": "80010"}}],
    "income_limit": 64_300,
}


def _migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def before_0007(transactional_db: Any) -> Iterator[Any]:
    """The database as it was before the migration; put forward again afterwards."""
    yield _migrate(BEFORE)
    _migrate(_leaves())


def _leaves() -> list[tuple[str, str]]:
    """Every app's latest migration: going back before intake 0007 also unapplied the apps that
    depend on it (search, ...), and the tests after this one need their tables."""
    executor = MigrationExecutor(connection)
    return list(executor.loader.graph.leaf_nodes())


def _old_request(apps: Any, subject: Any) -> uuid.UUID:
    Old = apps.get_model("intake", "HelpRequest")
    row = Old(
        id=uuid.uuid4(),
        subject_id=subject.pk,
        reference=uuid.uuid4().hex[:12],
        source="public",
        language="es",
        spoken_language="es",
        custody="detained",
        contact_method="phone",
        eligibility="eligible",
        state="waiting",
        **PLAIN,
    )
    row.save(force_insert=True)
    return row.pk


def _raw(pk: uuid.UUID, column: str) -> Any:
    with connection.cursor() as cursor:
        key = HelpRequest._meta.pk.get_db_prep_value(pk, connection)  # type: ignore[union-attr]
        cursor.execute(f"SELECT {column} FROM intake_helprequest WHERE id = %s", [key])
        return cursor.fetchone()[0]


def test_existing_values_are_encrypted_under_their_subject_and_come_back_on_reversal(
    before_0007: Any,
) -> None:
    live = _old_request(before_0007, subject_create(kind="client"))
    gone_subject = subject_create(kind="client")
    gone = _old_request(before_0007, gone_subject)
    # Shredded under the old schema: the key is gone (today's subject_shred would also blank
    # the new columns, which the old table does not have yet).
    Subject.objects.filter(pk=gone_subject.pk).update(wrapped_key=None, shredded_at=timezone.now())

    # The model as of 0007 (today's has columns later migrations add).
    New = _migrate(AFTER).get_model("intake", "HelpRequest")
    request = New.objects.get(pk=live)
    assert {name: getattr(request, name) for name in PLAIN} == PLAIN
    for name in PLAIN:
        assert isinstance(_raw(live, name), bytes | memoryview)
        assert bytes(_raw(gone, name)) == b""  # what a shred leaves
    with pytest.raises(SubjectShredded):
        _ = New.objects.get(pk=gone).facility

    apps = _migrate(BEFORE)
    Old = apps.get_model("intake", "HelpRequest")
    back = Old.objects.get(pk=live)
    assert {name: getattr(back, name) for name in PLAIN} == PLAIN
    assert Old.objects.get(pk=gone).facility == ""
