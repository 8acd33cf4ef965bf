"""The restore drill: seed, back up, lose the database, restore into an empty one, verify.

Runs the real ``amparo`` command in subprocesses, on the database vendor the suite runs on: a
fresh SQLite file, or (when ``DATABASE_URL`` names PostgreSQL) fresh databases created on that
server and dropped afterwards, through ``pg_dump``/``pg_restore``.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pyrage
import pytest

from .conftest import copy_var, run_amparo

SUITE_URL = os.environ.get("DATABASE_URL", "")
VENDOR = "postgresql" if SUITE_URL.startswith(("postgres://", "postgresql://")) else "sqlite"

SAMPLE = (
    "from amparo.cases.models import Client\n"
    "print(sorted((c.name, c.a_number, str(c.date_of_birth)) for c in Client.objects.all())[:8])\n"
)


@pytest.fixture
def fresh_database(tmp_path: Path) -> Iterator[object]:
    """fresh_database(name) -> a DATABASE_URL of a new, empty database (dropped afterwards)."""
    created: list[str] = []

    def make(name: str) -> str:
        if VENDOR == "sqlite":
            return f"sqlite:///{tmp_path / f'{name}.sqlite3'}"
        import psycopg

        db = f"amparo_drill_{name}_{os.getpid()}"
        base = SUITE_URL.rsplit("/", 1)[0]
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{db}"')
            conn.execute(f'CREATE DATABASE "{db}"')
        created.append(db)
        return f"{base}/{db}"

    yield make
    if created:
        import psycopg

        base = SUITE_URL.rsplit("/", 1)[0]
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            for db in created:
                conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


@pytest.fixture
def source_var(demo_var: Path, tmp_path: Path, fresh_database) -> tuple[Path, str]:
    """A var folder with the demo's data (cases, protected values, ledger, audit events)."""
    if VENDOR == "sqlite":
        var = copy_var(demo_var, tmp_path / "source")
        return var, f"sqlite:///{var / 'amparo.sqlite3'}"
    var = tmp_path / "source"
    var.mkdir()
    url = fresh_database("source")
    result = run_amparo(var, "demo", "--no-serve", timeout=900, DATABASE_URL=url)
    assert result.returncode == 0, result.stdout + result.stderr
    return var, url


def _tables(url: str) -> int:
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        if not Path(path).exists():
            return 0
        with sqlite3.connect(path) as conn:
            return conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[
                0
            ]
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
        assert row is not None
        return int(row[0])


def test_backup_lose_everything_restore_and_verify(
    source_var: tuple[Path, str], tmp_path: Path, fresh_database
) -> None:
    if VENDOR == "postgresql" and shutil.which("pg_dump") is None:
        pytest.fail("the suite runs on PostgreSQL but pg_dump is missing (postgresql-client)")
    src, src_url = source_var
    identity = pyrage.x25519.Identity.generate()
    identity_file = tmp_path / "backup-identity.txt"
    identity_file.write_text(f"# a board member's key\n{identity}\n")
    before = run_amparo(src, "shell", "-c", SAMPLE, DATABASE_URL=src_url)
    assert before.returncode == 0, before.stderr
    assert before.stdout.count("'") > 8  # there are clients to compare

    out = tmp_path / "backups"
    made = run_amparo(
        src,
        "backup",
        "--out",
        str(out),
        "--recipient",
        str(identity.to_public()),
        DATABASE_URL=src_url,
    )
    assert made.returncode == 0, made.stderr
    [archive] = out.glob("amparo-backup-*.tar.gz.age")
    assert b"SQLite format" not in archive.read_bytes()[:4096]  # encrypted, not a plain copy

    # The server is lost. A new one gets the key files back (from shares) and an empty database.
    dst = tmp_path / "replacement"
    dst.mkdir()
    shutil.copytree(src / "keys", dst / "keys")
    dst_url = fresh_database("replacement")

    # A tampered archive is refused before anything is written.
    tampered = tmp_path / "tampered.tar.gz.age"
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0x01
    tampered.write_bytes(bytes(data))
    refused = run_amparo(
        dst, "restore", str(tampered), "--identity", str(identity_file), DATABASE_URL=dst_url
    )
    assert refused.returncode != 0 and "altered" in refused.stderr
    assert _tables(dst_url) == 0

    # A database that is not empty is refused.
    refused = run_amparo(
        src, "restore", str(archive), "--identity", str(identity_file), DATABASE_URL=src_url
    )
    assert refused.returncode != 0 and "not empty" in refused.stderr

    restored = run_amparo(
        dst, "restore", str(archive), "--identity", str(identity_file), DATABASE_URL=dst_url
    )
    assert restored.returncode == 0, restored.stdout + restored.stderr
    for check in (("audit", "verify"), ("ledger", "verify")):
        result = run_amparo(dst, *check, DATABASE_URL=dst_url)
        assert result.returncode == 0, (check, result.stdout, result.stderr)
    after = run_amparo(dst, "shell", "-c", SAMPLE, DATABASE_URL=dst_url)
    assert after.returncode == 0, after.stderr
    assert after.stdout == before.stdout
    # Nothing is left to migrate: the restored schema is the current one.
    plan = run_amparo(dst, "migrate", "--check", DATABASE_URL=dst_url)
    assert plan.returncode == 0, plan.stdout + plan.stderr
