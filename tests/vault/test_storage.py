"""What is on disk: the database file (SQLite) or table file (PostgreSQL) holds no plaintext of
an encrypted value after saving, while an unencrypted marker saved alongside is found there,
which shows the test reads the right bytes."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from django.db import connection
from faker import Faker

from amparo.vault.services import subject_create
from bench.models import PlainSampleRecord, SampleRecord

pytestmark = pytest.mark.django_db(transaction=True)


def _database_bytes() -> bytes:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        name = connection.settings_dict["NAME"]
        if connection.is_in_memory_db():  # type: ignore[attr-defined]
            return bytes(connection.connection.serialize())
        data = Path(name).read_bytes()
        wal = Path(f"{name}-wal")
        return data + (wal.read_bytes() if wal.exists() else b"")
    with connection.cursor() as cursor:
        cursor.execute("CHECKPOINT")
        chunks = []
        for table in (SampleRecord._meta.db_table, PlainSampleRecord._meta.db_table):
            cursor.execute("SELECT pg_read_binary_file(pg_relation_filepath(%s))", [table])
            chunks.append(bytes(cursor.fetchone()[0]))
    return b"".join(chunks)


def test_the_database_on_disk_holds_no_plaintext_of_encrypted_values(fake: Faker) -> None:
    secret_name = f"Zyxnaphine {uuid.uuid4().hex[:10]} Quorvalis"
    secret_note = f"Detained at {uuid.uuid4().hex} since spring"
    marker = f"plain-marker-{uuid.uuid4().hex}"
    SampleRecord.objects.create(
        subject=subject_create(kind="client"),
        full_name=secret_name,
        a_number="A-987-654-321",
        notes=secret_note,
        label=marker,
    )
    PlainSampleRecord.objects.create(full_name=f"twin-{marker}", label=marker)
    raw = _database_bytes()
    assert marker.encode() in raw  # unencrypted columns are readable on disk...
    assert secret_name.encode() not in raw  # ...encrypted ones are not
    assert secret_note.encode() not in raw
    assert b"Zyxnaphine" not in raw
    assert b"987654321" not in raw and b"987-654-321" not in raw
