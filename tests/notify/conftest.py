"""Reminders reuse the case fixtures (synthetic organizations, attorneys and cases)."""

from tests.cases.conftest import (  # noqa: F401  (fixtures)
    admin_of,
    attorney_of,
    fake,
    open_case,
    other_org,
    vault_keys,
)
