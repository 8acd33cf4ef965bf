"""Reads: which languages the public may choose, and how complete and reviewed each is.

A catalog's state is read from its ``.po`` file (the file translators edit in Poedit or
Weblate) and the newest sign-off of it: a public entry is *untranslated* when its ``msgstr`` is
empty or it is marked fuzzy (Django ignores fuzzy entries), *unreviewed* when it is translated
but the newest sign-off did not cover this exact translation, and *reviewed* otherwise. A
rights page in a draft language is reviewed when a sign-off covers its current text.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.conf.locale import LANG_INFO

from amparo.core.i18n_public import (
    draft_languages,
    has_catalogs,
    is_public_source,
    public_apps,
    public_languages,
    staff_languages,
)
from amparo.rights.content import TOPICS
from amparo.rights.selectors import RightsPage, rights_page

from .models import LanguageSetting, SignOff
from .permissions import can_review_translations

AMPARO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class LanguageOption:
    """A language as the picker offers it: in its own name and script."""

    code: str
    name_local: str
    bidi: bool


def language_option(code: str) -> LanguageOption:
    info = LANG_INFO.get(code, {})
    name = str(info.get("name_local") or code)
    return LanguageOption(
        code=code, name_local=name[:1].upper() + name[1:], bidi=bool(info.get("bidi"))
    )


def hidden_languages() -> set[str]:
    """The draft languages a fund admin hid from the public (one query)."""
    return set(LanguageSetting.objects.filter(hidden=True).values_list("language", flat=True))


def visible_public_languages() -> list[str]:
    """The languages a public page may be shown in: the staff languages, and each draft
    language that has catalogs and that no fund admin hid."""
    hidden = hidden_languages()
    staff = set(staff_languages())
    return [
        code
        for code in public_languages()
        if code in staff or (code not in hidden and has_catalogs(code))
    ]


# --- catalogs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogEntry:
    context: str | None
    msgid: str
    translated: bool
    #: A short digest of (context, msgid, plural, translation): what a sign-off covers.
    digest: str


def entry_digest(context: str | None, msgid: str, plural: str, translation: tuple[str, ...]) -> str:
    payload = "\x00".join([context or "", msgid, plural, "\x01".join(translation)])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:20]


def catalog_path(app: str, language: str) -> Path:
    return AMPARO_ROOT / app / "locale" / language / "LC_MESSAGES" / "django.po"


@functools.lru_cache(maxsize=64)
def _public_entries(path: str, app: str, _mtime_ns: int) -> tuple[CatalogEntry, ...]:
    found = []
    for entry in polib.pofile(path):
        if entry.obsolete or not any(is_public_source(app, f) for f, _line in entry.occurrences):
            continue
        if entry.msgid_plural:
            text = tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
        else:
            text = (entry.msgstr,)
        translated = bool(entry.translated()) and "fuzzy" not in entry.flags
        found.append(
            CatalogEntry(
                context=entry.msgctxt or None,
                msgid=entry.msgid,
                translated=translated,
                digest=entry_digest(entry.msgctxt, entry.msgid, entry.msgid_plural or "", text),
            )
        )
    return tuple(found)


def public_entries(app: str, language: str) -> tuple[CatalogEntry, ...] | None:
    """The public entries of ``app``'s catalog in ``language``; None when there is no catalog.
    Read again whenever the file changes."""
    path = catalog_path(app, language)
    try:
        mtime = path.stat().st_mtime_ns
    except FileNotFoundError:
        return None
    return _public_entries(str(path), app, mtime)


def catalog_digest(entries: tuple[CatalogEntry, ...]) -> str:
    return hashlib.sha256("\n".join(sorted(e.digest for e in entries)).encode()).hexdigest()


@dataclass(frozen=True)
class CatalogState:
    app: str
    language: str
    exists: bool
    total: int
    untranslated: list[str]
    unreviewed: list[str]
    signoff: SignOff | None

    @property
    def translated(self) -> int:
        return self.total - len(self.untranslated)

    @property
    def reviewed(self) -> int:
        return self.translated - len(self.unreviewed)

    @property
    def complete(self) -> bool:
        return self.exists and not self.untranslated

    @property
    def fully_reviewed(self) -> bool:
        return self.complete and not self.unreviewed


def _latest_signoffs(language: str, kind: str) -> dict[str, SignOff]:
    latest: dict[str, SignOff] = {}
    rows = SignOff.objects.filter(language=language, kind=kind).select_related("signed_by")
    for signoff in rows.order_by("-signed_at", "-pk"):
        latest.setdefault(signoff.item, signoff)
    return latest


def catalog_state(
    app: str, language: str, signoffs: dict[str, SignOff] | None = None
) -> CatalogState:
    if signoffs is None:
        signoffs = _latest_signoffs(language, SignOff.Kind.CATALOG)
    entries = public_entries(app, language)
    signoff = signoffs.get(app)
    covered = set(signoff.entries) if signoff is not None else set()
    rows = entries or ()
    return CatalogState(
        app=app,
        language=language,
        exists=entries is not None,
        total=len(rows),
        untranslated=[e.msgid for e in rows if not e.translated],
        unreviewed=[e.msgid for e in rows if e.translated and e.digest not in covered],
        signoff=signoff,
    )


def catalog_states(language: str) -> list[CatalogState]:
    """Every public catalog of ``language``, in app order (one query)."""
    signoffs = _latest_signoffs(language, SignOff.Kind.CATALOG)
    return [catalog_state(app, language, signoffs) for app in public_apps()]


def language_reviewed(language: str) -> bool:
    """True for a staff language, and for a draft language whose every public catalog is
    complete and signed off as it is now."""
    if language not in draft_languages():
        return True
    return all(state.fully_reviewed for state in catalog_states(language))


# --- rights pages ---------------------------------------------------------------------------


def page_digest(page: RightsPage) -> str:
    payload = "\x00".join([page.title, page.summary, page.body])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class PageState:
    topic: str
    language: str
    page: RightsPage | None  # None: not written in this language (English is shown)
    signoff: SignOff | None  # the newest sign-off, whatever text it covered

    @property
    def exists(self) -> bool:
        return self.page is not None

    @property
    def reviewed(self) -> bool:
        if self.page is None:
            return False
        if not self.page.drafted:
            return True
        return self.signoff is not None and self.signoff.digest == page_digest(self.page)


def page_states(language: str) -> list[PageState]:
    signoffs = _latest_signoffs(language, SignOff.Kind.RIGHTS_PAGE)
    states = []
    for topic in TOPICS:
        page = rights_page(topic=topic, language=language)
        if page is not None and page.fallback:
            page = None
        states.append(PageState(topic, language, page, signoffs.get(topic)))
    return states


def rights_page_reviewed(page: RightsPage) -> bool:
    """True unless ``page`` is a draft whose current text nobody signed off."""
    if not page.drafted or page.fallback:
        return True
    signoff = (
        SignOff.objects.filter(
            language=page.language, kind=SignOff.Kind.RIGHTS_PAGE, item=page.topic
        )
        .order_by("-signed_at", "-pk")
        .first()
    )
    return signoff is not None and signoff.digest == page_digest(page)


@dataclass(frozen=True)
class LanguageSummary:
    option: LanguageOption
    hidden: bool
    has_catalogs: bool
    catalogs: list[CatalogState]
    pages: list[PageState]

    @property
    def public_total(self) -> int:
        return sum(c.total for c in self.catalogs)

    @property
    def public_translated(self) -> int:
        return sum(c.translated for c in self.catalogs)

    @property
    def public_reviewed(self) -> int:
        return sum(c.reviewed for c in self.catalogs)

    @property
    def pages_written(self) -> int:
        return sum(1 for p in self.pages if p.exists)

    @property
    def pages_reviewed(self) -> int:
        return sum(1 for p in self.pages if p.reviewed)


def language_summaries(*, fetched_by: Any) -> list[LanguageSummary]:
    """The state of every draft language; [] for someone who may not see it."""
    if not can_review_translations(fetched_by):
        return []
    hidden = hidden_languages()
    return [_summary(code, hidden) for code in draft_languages()]


def language_summary(*, language: str, fetched_by: Any) -> LanguageSummary | None:
    """One draft language's state; None when it is not one or ``fetched_by`` may not see it."""
    if not can_review_translations(fetched_by) or language not in draft_languages():
        return None
    return _summary(language, hidden_languages())


def _summary(code: str, hidden: set[str]) -> LanguageSummary:
    return LanguageSummary(
        option=language_option(code),
        hidden=code in hidden,
        has_catalogs=has_catalogs(code),
        catalogs=catalog_states(code),
        pages=page_states(code),
    )


def default_fallback(user: Any) -> str:
    """The staff language a staff page falls back to for ``user``: theirs, else English."""
    preferred = getattr(user, "preferred_language", "") if user is not None else ""
    return preferred if preferred in staff_languages() else settings.LANGUAGE_CODE
