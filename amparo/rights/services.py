"""Writes: saving and restoring versions of the rights pages, each audited."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import User
from amparo.audit.services import audit_record
from amparo.core.services import Actor, ServiceError, require

from .content import TOPICS, languages, repository_page
from .models import PageVersion
from .permissions import can_edit_rights_pages

EDITED_FIELDS = ("title", "summary", "body", "reviewed", "reviewed_by", "published", "note")
#: What a new version copies from the version or repository text it starts from (a restore, or
#: the editor's starting values).
COPIED_FIELDS = ("title", "summary", "body", "reviewed", "reviewed_by")


def _next_number(topic: str, language: str) -> int:
    # Lock the topic's rows so two admins saving at once get different numbers.
    rows = PageVersion.objects.select_for_update().filter(topic=topic, language=language)
    current = rows.aggregate(n=Max("number"))["n"]
    return int(current or 0) + 1


def _check(by: Actor, topic: str, language: str) -> None:
    require(can_edit_rights_pages(by))
    if topic not in TOPICS or language not in languages():
        raise ServiceError(_("There is no such rights page."), code="page")


def _version_add(
    *, topic: str, language: str, by: Actor, action: str, reason_tail: str = "", **values: Any
) -> PageVersion:
    """Number and save a new version of one page with ``values``, and audit it as ``action``,
    in one transaction. Earlier versions are never changed."""
    with transaction.atomic():
        version = PageVersion.objects.create(
            topic=topic,
            language=language,
            number=_next_number(topic, language),
            author=cast(User, by),
            **values,
        )
        audit_record(
            actor=by,
            action=action,
            obj=version,
            fields=EDITED_FIELDS,
            reason=f"{language}/{topic} v{version.number}{reason_tail}",
        )
    return version


def page_version_save(
    *,
    topic: str,
    language: str,
    title: str,
    summary: str,
    body: str,
    reviewed: datetime.date,
    published: bool,
    note: str,
    by: Actor,
    reviewed_by: str = "",
) -> PageVersion:
    """A new version of one page by a fund admin, with its audit event, in one transaction.
    Earlier versions are never changed."""
    _check(by, topic, language)
    return _version_add(
        topic=topic,
        language=language,
        by=by,
        action="rights.page_saved",
        title=title,
        summary=summary,
        body=body,
        reviewed=reviewed,
        reviewed_by=reviewed_by.strip(),
        published=published,
        note=note,
    )


def page_version_restore(
    *, topic: str, language: str, version: PageVersion | None, by: Actor
) -> PageVersion:
    """A new, published version that copies ``version`` (None: the repository's text)."""
    _check(by, topic, language)
    if version is not None and (version.topic != topic or version.language != language):
        raise ServiceError(
            {"version": [ServiceError(_("This version belongs to another page."), code="page")]}
        )
    origin = repository_page(topic, language) if version is None else version
    if origin is None:
        raise ServiceError(
            {"version": [ServiceError(_("This page has no text in the repository."))]}
        )
    source = {name: getattr(origin, name) for name in COPIED_FIELDS}
    return _version_add(
        topic=topic,
        language=language,
        by=by,
        action="rights.page_restored",
        reason_tail=" from " + ("the repository" if version is None else f"v{version.number}"),
        published=True,
        restored_from=version,
        restored_repository=version is None,
        note="",
        **source,
    )
