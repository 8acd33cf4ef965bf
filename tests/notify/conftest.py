"""Reminders and notifications reuse the case fixtures (synthetic organizations, attorneys and
cases) and the intake ones (a program, providers, requests submitted through the service)."""

from tests.cases.conftest import (  # noqa: F401  (fixtures)
    admin_of,
    attorney_of,
    fake,
    open_case,
    other_org,
    vault_keys,
)
from tests.intake.helpers import (  # noqa: F401  (fixtures)
    fresh_rules_cache,
    make_provider,
    policy,
    submit,
)
