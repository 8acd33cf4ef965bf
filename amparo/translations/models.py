"""Which draft languages the public may choose, and who signed off which translation.

Nothing here is about a client or a donor: language codes, app names, topic slugs, digests of
public texts, and the staff member who acted.

A *sign-off* says: this person read this text in this language and it is right. It names the
text by a digest, so an edit after the sign-off (in Poedit, Weblate or the rights editor) makes
the text unreviewed again without anyone having to remember to say so. For a catalog it also
keeps the digest of each public entry it covered, so the translators' page lists exactly the
strings changed or added since.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LanguageSetting(models.Model):
    """A fund admin's choice for one draft language: offered to the public, or hidden."""

    language = models.CharField(_("language"), max_length=8, unique=True)
    hidden = models.BooleanField(_("hidden"), default=False)
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        verbose_name = _("language setting")
        verbose_name_plural = _("language settings")

    def __str__(self) -> str:
        return f"{self.language} ({'hidden' if self.hidden else 'shown'})"


class SignOff(models.Model):
    class Kind(models.TextChoices):
        CATALOG = "catalog", _("Catalog")
        RIGHTS_PAGE = "rights_page", _("Rights page")

    language = models.CharField(_("language"), max_length=8)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    #: The app of a catalog (``intake``) or the topic of a rights page (``at-home``).
    item = models.CharField(_("item"), max_length=64)
    #: SHA-256 of what was signed off: the public entries of the catalog, or the page's text.
    digest = models.CharField(max_length=64)
    #: A catalog's entries, each as a short digest of (context, msgid, msgstr); [] for a page.
    entries = models.JSONField(default=list)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(_("signed off"), default=timezone.now)

    class Meta:
        verbose_name = _("sign-off")
        verbose_name_plural = _("sign-offs")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["language", "kind", "item", "-signed_at"], name="signoff_latest")
        ]

    def __str__(self) -> str:
        return f"{self.language}/{self.kind}/{self.item} {self.signed_at:%Y-%m-%d}"
