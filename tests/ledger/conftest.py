from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from amparo.accounts.roles import Role
from amparo.core.services import SYSTEM
from amparo.ledger.models import RestrictionKind
from amparo.ledger.services import restriction_ensure


@pytest.fixture
def treasurer(make_user: Any) -> Any:
    return make_user(Role.FUND_ADMIN)


@pytest.fixture
def detained(db: Any) -> Any:
    return restriction_ensure(
        slug="detained-removal-defense",
        name="Detained removal defense",
        kind=RestrictionKind.PUBLIC,
        grant_categories=["detained_removal"],
        by=SYSTEM,
    )


@pytest.fixture
def day() -> Any:
    return timezone.localdate() - datetime.timedelta(days=3)
