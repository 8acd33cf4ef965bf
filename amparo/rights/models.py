"""Fund admins' edits of the rights pages. Every save is a new row; nothing is overwritten.

The public page shows the newest published version of its topic and language, or the text in
the repository when there is none. Nothing here is about a client: titles and bodies are
general information written by staff.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_TITLE = 120
MAX_SUMMARY = 300
MAX_BODY = 20_000
MAX_NOTE = 200
MAX_REVIEWER = 200


class PageVersion(models.Model):
    topic = models.CharField(_("topic"), max_length=40)
    language = models.CharField(_("language"), max_length=10)
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=MAX_TITLE)
    summary = models.CharField(_("summary"), max_length=MAX_SUMMARY)
    body = models.TextField(_("text"))
    reviewed = models.DateField(_("last reviewed"))
    #: Who checked the text, as the public page names them (a name and a role, not an account).
    reviewed_by = models.CharField(_("reviewed by"), max_length=MAX_REVIEWER, blank=True)
    published = models.BooleanField(_("published"), default=True)
    note = models.CharField(_("what changed"), max_length=MAX_NOTE, blank=True)
    #: The version this one copies, when it was made by "restore" (0 rows: the repository text).
    restored_from = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    restored_repository = models.BooleanField(default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("rights page version")
        verbose_name_plural = _("rights page versions")
        ordering: ClassVar[list[str]] = ["topic", "language", "-number"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["topic", "language", "number"], name="rights_version_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.language}/{self.topic} v{self.number}"
