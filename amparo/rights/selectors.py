"""Reads: what a rights page says now, and its history for the people who may edit it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from amparo.core.i18n_public import draft_languages

from .content import DEFAULT_LANGUAGE, TOPICS, languages, repository_page
from .models import PageVersion
from .permissions import can_edit_rights_pages


@dataclass(frozen=True)
class RightsPage:
    topic: str
    language: str
    title: str
    summary: str
    body: str
    reviewed: datetime.date
    version: PageVersion | None  # None: the repository's text
    #: True when the page is not written in the language asked for (English is shown).
    fallback: bool = False
    #: Who reviewed it (shipped text or an edit) and the law it rests on (shipped text only).
    reviewed_by: str = ""
    sources: tuple[str, ...] = ()
    #: A draft translation: ``reviewed`` is the day it was drafted, and the page says "not yet
    #: reviewed" until a translator signs this text off (``amparo.translations``). An edit of a
    #: page in a draft language is a draft too.
    drafted: bool = False


def _published(topic: str, language: str) -> PageVersion | None:
    return (
        PageVersion.objects.filter(topic=topic, language=language, published=True)
        .order_by("-number")
        .first()
    )


def rights_page(*, topic: str, language: str) -> RightsPage | None:
    """The newest published version of ``topic`` in ``language``, else the repository text;
    English when the language has neither. None for an unknown topic."""
    if topic not in TOPICS:
        return None
    for code in dict.fromkeys((language, DEFAULT_LANGUAGE)):
        version = _published(topic, code)
        text = repository_page(topic, code) if version is None else None
        source = version or text
        if source is not None:
            return RightsPage(
                topic=topic,
                language=code,
                title=source.title,
                summary=source.summary,
                body=source.body,
                reviewed=source.reviewed,
                version=version,
                fallback=code != language,
                reviewed_by=source.reviewed_by,
                sources=text.sources if text is not None else (),
                drafted=text.drafted if text is not None else code in draft_languages(),
            )
    return None


def rights_page_list(*, language: str) -> list[RightsPage]:
    found = [rights_page(topic=topic, language=language) for topic in TOPICS]
    return [page for page in found if page is not None]


def access_editable_page(user: Any, topic: str, language: str) -> None:
    """404 unless ``user`` may edit and the topic and language exist (same answer for both)."""
    if not can_edit_rights_pages(user) or topic not in TOPICS or language not in languages():
        raise Http404


def page_version_list(*, topic: str, language: str, fetched_by: Any) -> QuerySet[PageVersion]:
    if not can_edit_rights_pages(fetched_by):
        return PageVersion.objects.none()
    return (
        PageVersion.objects.filter(topic=topic, language=language)
        .select_related("author", "restored_from")
        .order_by("-number")
    )


def latest_version(*, topic: str, language: str) -> PageVersion | None:
    """The newest version, published or not (what the editor starts from)."""
    return PageVersion.objects.filter(topic=topic, language=language).order_by("-number").first()
