"""The access matrix (docs/access-matrix.toml): every URL has a row; every row holds for every role.

To add a row: see the header of docs/access-matrix.toml and tests/security/matrix.py. When a
new URL has none, ``test_every_url_and_api_operation_has_a_row`` fails and prints a draft.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tests.security.matrix import (
    MATRIX_PATH,
    ROLES,
    Row,
    World,
    draft,
    identity_seen,
    load_matrix,
    observed,
    stale,
    uncovered,
)

MATRIX = load_matrix()


@pytest.fixture(autouse=True)
def vault_keys(tmp_path: Path, settings: Any) -> None:
    """Cases and help requests encrypt under a key-encryption key: a throwaway one per test."""
    settings.AMPARO = {
        **settings.AMPARO,
        "KEK_FILE": str(tmp_path / "keys" / "kek.key"),
        "BLIND_INDEX_KEY_FILE": None,
    }


@pytest.fixture
def world(db: Any) -> Iterator[World]:
    yield World()


def test_the_matrix_file_is_well_formed() -> None:
    assert MATRIX.problems == [], "\n".join(MATRIX.problems)
    assert len(MATRIX.rows) > 100  # a sanity floor: the file was read


@pytest.mark.django_db
def test_every_url_and_api_operation_has_a_row(vault_keys: None) -> None:
    pages, operations = uncovered(MATRIX)
    if pages or operations:
        missing = [e.key for e in pages] + operations
        pytest.fail(
            f"{len(missing)} URL pattern(s) or API operation(s) have no row in "
            f"{MATRIX_PATH.relative_to(MATRIX_PATH.parent.parent)}: {', '.join(missing)}\n\n"
            "Here is a draft; decide each status from docs/architecture.md before pasting it:\n\n"
            + draft(pages, operations)
        )


@pytest.mark.django_db
def test_a_missing_row_is_caught_and_drafted(vault_keys: None) -> None:
    """The coverage check itself: drop two rows and it must name them and draft them."""
    before_pages, before_operations = uncovered(MATRIX)  # normally none
    keep = [r for r in MATRIX.rows if r.key not in ("core:dashboard", "GET /api/v1/me")]
    pages, operations = uncovered(replace(MATRIX, rows=keep))
    pages = [e for e in pages if e not in before_pages]
    operations = [op for op in operations if op not in before_operations]
    assert [e.key for e in pages] == ["core:dashboard"]
    assert operations == ["GET /api/v1/me"]
    text = draft(pages, operations)
    assert 'name = "core:dashboard"' in text
    assert "expect = { anonymous = 302, fund_admin = 200," in text
    assert 'operation = "GET /api/v1/me"' in text
    assert "anonymous = 401" in text


def test_no_row_names_something_that_is_gone() -> None:
    assert stale(MATRIX) == [], "remove or rename these rows: the URL or operation is gone"


def _table(expected: dict[str, int], got: dict[str, int]) -> str:
    lines = [f"  {'role':<15} {'expected':>8} {'got':>5}"]
    for role in ROLES:
        mark = "" if expected[role] == got[role] else "   <-- differs"
        lines.append(f"  {role:<15} {expected[role]:>8} {got[role]:>5}{mark}")
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("row", "scope"),
    [
        pytest.param(row, scope, id=f"{row.label} [{scope}]")
        for row in MATRIX.rows
        for scope in row.scopes
    ],
)
def test_each_role_gets_the_expected_status(world: World, row: Row, scope: str) -> None:
    got = observed(world, row, scope)
    expected = row.expect[scope]
    assert got == expected, (
        f"{row.label} on {row.path!r} ({scope}): the answers differ from the matrix\n"
        + _table(expected, got)
        + (f"\n  note: {row.note}" if row.note else "")
    )


@pytest.mark.parametrize(
    ("row", "scope"),
    [
        pytest.param(row, scope, id=f"identity {row.key} [{scope}]")
        for row in MATRIX.identity
        for scope in row.shown
    ],
)
def test_each_role_sees_the_identity_as_the_matrix_says(world: World, row: Any, scope: str) -> None:
    """The ``[[identity]]`` rows: a page a role may open still shows who the person is only to
    those the matrix names (issue #15, finding 2: a case's client behind its referral)."""
    got = identity_seen(world, row, scope)
    expected = row.shown[scope]
    assert got == expected, (
        f"{row.key} on {row.path!r} ({scope}): who sees the name differs from the matrix\n"
        + "\n".join(
            f"  {role:<15} expected {expected[role]!s:<5} got {got[role]!s:<5}"
            + ("" if expected[role] == got[role] else "   <-- differs")
            for role in ROLES
        )
        + (f"\n  note: {row.note}" if row.note else "")
    )
