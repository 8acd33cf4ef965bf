"""The data migration gives rows written before search their keys (names and emails)."""

from __future__ import annotations

from importlib import import_module
from typing import Any

import pytest
from django.apps import apps
from django.db import connection

from amparo.search.models import SearchKey
from amparo.search.services import search_run
from tests.clock import frozen

pytestmark = [pytest.mark.django_db, frozen]


def test_existing_requests_and_clients_get_their_search_keys(people: dict[str, Any]) -> None:
    SearchKey.objects.all().delete()  # as before the search app existed
    assert search_run(by=people["intake"], query="Mejía") == []
    migration = import_module("amparo.search.migrations.0002_keys_for_existing_rows")
    migration.forwards(apps, connection.schema_editor())
    assert [r.reference for r in search_run(by=people["intake"], query="Mejía")] == [
        people["request"].reference
    ]
    assert [r.reference for r in search_run(by=people["attorney"], query="tomas@example.org")] == [
        people["case"].reference
    ]
    # two clients and one request, one email each
    assert SearchKey.objects.filter(email_index__isnull=False).count() == 3
