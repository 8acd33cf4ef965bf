"""Writes of the search app: keeping the search keys in step with names and emails, and the
one service that runs a search (permission first, then the audit event, then the read).

Keys are refreshed from ``post_save`` of ``HelpRequest`` and ``Client`` (connected in
``SearchConfig.ready()``), so that every service that writes a name or an email, in intake,
cases or later apps, keeps them true without importing this app. ``bulk_create`` sends no
signal: bulk writers (seeds, benchmarks) call :func:`keys_for` themselves.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from amparo.audit.services import audit_record
from amparo.cases.models import Client
from amparo.core.services import Actor, ServiceError, require
from amparo.intake.models import HelpRequest
from amparo.vault.crypto import blind_digest
from amparo.vault.fields import Sealed
from amparo.vault.keys import index_key
from amparo.vault.normalize import NormalizationError, normalize_name

from .models import SearchKey
from .permissions import can_search

#: Longer queries are refused: no identifier or name is this long, and the digest costs little.
MAX_QUERY = 200
AUDIT_ACTION = "search"


def name_tokens(name: str) -> list[str]:
    """The distinct normalized words of ``name`` (accents, case and punctuation folded away),
    so that any one of them finds the person: ``Sofía Mejía-Valadez`` gives three."""
    try:
        folded = normalize_name(name)
    except NormalizationError:
        return []
    return sorted(set(folded.split()))


def keys_for(record: HelpRequest | Client, *, name: str, email: str) -> list[SearchKey]:
    """Unsaved search keys of ``record`` (a help request or a client) for ``name`` and
    ``email``; the caller saves them, one by one or in bulk."""
    owner: dict[str, Any] = (
        {"help_request": record} if isinstance(record, HelpRequest) else {"client": record}
    )
    # The record's subject row, when it is at hand, is shared by every key: their values are
    # sealed under the one data key without a query (or an unwrap) per key.
    if type(record)._meta.get_field("subject").is_cached(record):
        owner["subject"] = record.subject
    else:
        owner["subject_id"] = record.subject_id
    keys = [SearchKey(token=t, **owner) for t in name_tokens(name)]
    if email:
        keys.append(SearchKey(email=email, **owner))
    return keys


def keys_refresh(record: HelpRequest | Client, *, created: bool = False) -> None:
    """Replace the search keys of ``record`` with keys of its current name and email
    (``created``: the record was just inserted, so it has none to replace)."""
    owner = {"help_request": record} if isinstance(record, HelpRequest) else {"client": record}
    with transaction.atomic(savepoint=False):
        if not created:
            SearchKey.objects.filter(**owner).delete()
        purged = getattr(record, "purged_at", None) is not None
        if not purged and not record.is_shredded:
            SearchKey.objects.bulk_create(
                keys_for(record, name=record.name or "", email=record.email or "")
            )


def _assigned(instance: Model, field: str) -> bool:
    """Whether ``field`` was given a new value since loading (a loaded value stays sealed)."""
    value = instance.__dict__.get(field)
    return value is not None and not isinstance(value, Sealed)


def keys_refresh_on_save(
    sender: type[Model],
    instance: Model,
    raw: bool = False,
    update_fields: Any = None,
    **kwargs: Any,
) -> None:
    """``post_save`` receiver: refresh the keys when the name or the email was written."""
    if raw or not isinstance(instance, HelpRequest | Client):
        return
    if update_fields is not None and not {"name", "email", "purged_at"} & set(update_fields):
        return
    fresh = kwargs.get("created", False)
    if (
        fresh
        or any(_assigned(instance, f) for f in ("name", "email"))
        or (update_fields is not None and "purged_at" in update_fields)
    ):
        keys_refresh(instance, created=fresh)


def query_digest(query: str) -> str:
    """The keyed digest of a search, as the audit chain keeps it: the same query gives the same
    digest (so an investigator holding the key can ask "who searched for this?"), and the
    query itself is never stored."""
    folded = " ".join(query.split()).casefold()
    return blind_digest(index_key("search_query"), folded)


def search_run(*, by: Actor, query: str) -> list[Any]:
    """Search what ``by`` may see for ``query``; every search is audited as a digest."""
    from .selectors import classify, search_results

    require(can_search(by))
    text = (query or "").strip()
    if not text:
        raise ServiceError({"q": _("Enter a name, an A-number, a phone, an email or a reference.")})
    if len(text) > MAX_QUERY:
        raise ServiceError({"q": _("A search holds at most 200 characters.")})
    kind = classify(text)
    audit_record(
        actor=by, action=AUDIT_ACTION, object_type="search.query", object_id=query_digest(text)
    )
    return search_results(fetched_by=by, query=text, kind=kind)
