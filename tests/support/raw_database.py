"""Search the raw database: every text and binary value of every table, as the database holds
it (ciphertext stays ciphertext), so a test can show that a person's values are gone."""

from __future__ import annotations

from django.db import connection


def raw_database_bytes() -> bytes:
    """Every str, bytes and memoryview value of every row of every table, joined. Lowercased,
    so a search for an email address does not depend on how it was typed."""
    chunks: list[bytes] = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {quote(table)}")  # table names come from the catalog
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, str):
                        chunks.append(value.encode())
                    elif isinstance(value, (bytes, memoryview)):
                        chunks.append(bytes(value))
    return b"\x00".join(chunks).lower()


def found_in_raw_database(*values: str) -> list[str]:
    """The values (of at least a few characters) that occur anywhere in the raw database."""
    raw = raw_database_bytes()
    return [v for v in values if v and v.lower().encode() in raw]
