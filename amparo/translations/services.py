"""Writes: hide or show a draft language, and sign off a catalog or a rights page.

Each is one transaction with its audit event (no text in the event: the language, the item and
the digest of what was signed off go in the reason).
"""

from __future__ import annotations

from typing import cast

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import User
from amparo.audit.services import audit_record
from amparo.core.i18n_public import draft_languages, public_apps
from amparo.core.services import Actor, ServiceError, require
from amparo.rights.content import TOPICS
from amparo.rights.selectors import rights_page

from .models import LanguageSetting, SignOff
from .permissions import can_hide_languages, can_review_translations
from .selectors import catalog_digest, page_digest, public_entries


def _check_language(language: str) -> None:
    if language not in draft_languages():
        raise ServiceError(
            {"language": [ServiceError(_("Choose a language that is still a draft."))]}
        )


def language_visibility_set(*, language: str, hidden: bool, by: Actor) -> LanguageSetting:
    """Hide ``language`` from the public (its pages answer in English and the picker leaves it
    out) or show it again. Staff languages cannot be hidden. Audited."""
    require(can_hide_languages(by))
    _check_language(language)
    with transaction.atomic():
        setting, _created = LanguageSetting.objects.select_for_update().get_or_create(
            language=language
        )
        setting.hidden = hidden
        setting.changed_at = timezone.now()
        setting.changed_by = cast(User, by)
        setting.save()
        audit_record(
            actor=by,
            action="translations.language_hidden" if hidden else "translations.language_shown",
            obj=setting,
            fields=["hidden"],
            reason=language,
        )
    return setting


def catalog_sign_off(*, language: str, app: str, by: Actor) -> SignOff:
    """``by`` read every public string of ``app``'s catalog in ``language`` and it is right.

    Refused while a public string is untranslated or fuzzy: a sign-off covers a whole catalog.
    It covers the translations as they are now; a later change makes them unreviewed again.
    """
    require(can_review_translations(by))
    _check_language(language)
    if app not in public_apps():
        raise ServiceError({"item": [ServiceError(_("There is no such catalog."))]})
    entries = public_entries(app, language)
    if not entries:
        raise ServiceError(_("This catalog has no strings to sign off yet."))
    missing = sum(1 for e in entries if not e.translated)
    if missing:
        raise ServiceError(
            _("Translate every string first: %(count)d still empty or fuzzy.") % {"count": missing}
        )
    return _sign_off(
        language=language,
        kind=SignOff.Kind.CATALOG,
        item=app,
        digest=catalog_digest(entries),
        entries=sorted(e.digest for e in entries),
        by=by,
    )


def rights_page_sign_off(*, language: str, topic: str, by: Actor) -> SignOff:
    """``by`` read the rights page ``topic`` in ``language`` as it is now and it is right: its
    "not yet reviewed" notice goes away until the text changes."""
    require(can_review_translations(by))
    _check_language(language)
    page = rights_page(topic=topic, language=language) if topic in TOPICS else None
    if page is None or page.fallback:
        raise ServiceError(
            {"item": [ServiceError(_("This page is not written in this language."))]}
        )
    return _sign_off(
        language=language,
        kind=SignOff.Kind.RIGHTS_PAGE,
        item=topic,
        digest=page_digest(page),
        entries=[],
        by=by,
    )


def _sign_off(
    *, language: str, kind: str, item: str, digest: str, entries: list[str], by: Actor
) -> SignOff:
    with transaction.atomic():
        signoff = SignOff.objects.create(
            language=language,
            kind=kind,
            item=item,
            digest=digest,
            entries=entries,
            signed_by=cast(User, by),
        )
        audit_record(
            actor=by,
            action="translations.signed_off",
            obj=signoff,
            fields=["digest"],
            reason=f"{language}/{kind}/{item} {digest[:12]}",
        )
    return signoff
