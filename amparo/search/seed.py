"""``amparo seed --search-keys N``: search keys for up to N seeded requests and clients.

The seeds of requests and cases write rows with ``bulk_create``, which sends no ``post_save``, so
their people have no name-word or email keys yet. This generator runs after them and gives keys
to up to N requests and N clients that have none (idempotent: a second run finds nothing left).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, Model, OuterRef, QuerySet

from amparo.cases.models import Client
from amparo.core.seed import SeedContext, SeedResult, seed_generator
from amparo.intake.models import HelpRequest
from amparo.vault.errors import VaultError

from .models import SearchKey
from .services import keys_for

BATCH = 500


def _without_keys(model: type[Model], owner: str) -> QuerySet[Any]:
    has_keys = SearchKey.objects.filter(**{owner: OuterRef("pk")})
    rows: QuerySet[Any] = model._default_manager.filter(~Exists(has_keys)).select_related("subject")
    return rows.filter(purged_at__isnull=True) if model is HelpRequest else rows


def keys_fill_missing(limit: int) -> int:
    """Keys for up to ``limit`` requests and ``limit`` clients without any; how many got keys."""
    done = 0
    for model, owner in ((HelpRequest, "help_request"), (Client, "client")):
        batch: list[SearchKey] = []
        for record in _without_keys(model, owner)[:limit].iterator(chunk_size=BATCH):
            try:
                batch += keys_for(record, name=record.name or "", email=record.email or "")
            except VaultError:
                continue  # shredded: nothing to find it by
            done += 1
            if len(batch) >= BATCH:
                SearchKey.objects.bulk_create(batch)
                batch = []
        SearchKey.objects.bulk_create(batch)
    return done


@seed_generator("search-keys", order=900, help="search keys for seeded requests and clients")
def seed_search_keys(ctx: SeedContext, count: int) -> SeedResult:
    return SeedResult(created=keys_fill_missing(count))
