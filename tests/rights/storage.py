"""Where typed values could end up on the server, searched for after a family plan."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from django.core.cache import caches
from django.db import connection
from faker import Faker

from amparo.rights.forms import STEP_NAMES


def plan_answers(seed: int, locale: str = "en_US") -> dict[str, str]:
    """Synthetic answers, each with a unique marker that appears nowhere else."""
    fake = Faker(locale)
    fake.seed_instance(seed)

    def marked(text: str) -> str:
        return f"{text} Zq{fake.hexify('^' * 12)}"  # seeded: stable screenshots

    return {
        "children": marked(
            f"{fake.first_name()} {fake.last_name()}, {fake.date_of_birth(maximum_age=12)}"
        ),
        "pickup": marked(f"{fake.name()} {fake.numerify('(303) 555-01##')}"),
        "contacts": marked(f"{fake.name()} {fake.numerify('(720) 555-01##')}"),
        "documents": marked(f"{fake.street_address()}, {fake.word()}"),
        "medical": marked(f"{fake.word()} {fake.word()}"),
        "lawyer": marked(fake.company()),
    }


def needles(answers: dict[str, str]) -> list[str]:
    """What must not be found: every whole answer, its marker and the longest word in it."""
    found = []
    for name in STEP_NAMES:
        value = answers.get(name, "")
        if not value:
            continue
        found.append(value)
        found.append(value.split()[-1])  # the marker
    return found


def rows_holding(values: Iterable[str]) -> list[str]:
    """Tables with a row whose text contains one of ``values``."""
    values = list(values)
    hits: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                text = " ".join(
                    bytes(v).decode("utf-8", "replace")
                    if isinstance(v, bytes | memoryview)
                    else str(v)
                    for v in row
                )
                hits.extend(f"{table}: {v[:20]}" for v in values if v in text)
    return hits


def database_files() -> list[Path]:
    """The SQLite file of the test database and its WAL and journal (none on PostgreSQL)."""
    if connection.vendor != "sqlite":
        return []
    name = Path(str(connection.settings_dict["NAME"]))
    return [p for p in (name, Path(f"{name}-wal"), Path(f"{name}-journal")) if p.exists()]


def files_holding(values: Iterable[str]) -> list[str]:
    hits: list[str] = []
    for path in database_files():
        data = path.read_bytes()
        hits.extend(
            f"{path.name}: {v[:20]}"
            for v in values
            if v.encode() in data or v.encode("utf-16-le") in data
        )
    return hits


def cache_holding(values: Iterable[str]) -> list[str]:
    """Entries of the local-memory caches (the test settings' default) holding a value."""
    hits: list[str] = []
    for alias in caches:
        store = getattr(caches[alias], "_cache", None)
        if not isinstance(store, dict):
            continue
        for key, blob in store.items():
            text = (blob if isinstance(blob, bytes) else str(blob).encode()) + str(key).encode()
            hits.extend(f"cache {alias}" for v in values if v.encode() in text)
    return hits
