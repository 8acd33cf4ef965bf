"""Search keys: keyed digests of each name token and of the email of a request or a client.

Full names, A-numbers and phones already have blind indexes on their own rows. A search for a
single surname ("Mejía" for "Sofía Mejía Valadez") or an email needs more: one row here per
normalized name token, and one for the email, each holding the value encrypted under the
person's own data key (so shredding the subject clears it, like every vault field) and its
blind index. Token digests have their own scope, so they cannot be joined to the full-name index
of another table.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.cases.models import Client
from amparo.intake.models import HelpRequest
from amparo.vault.fields import BlindIndexField, EncryptedCharField
from amparo.vault.models import ProtectedModel


class SearchKey(ProtectedModel):
    """One searchable value of one request or client: a name token, or the email."""

    help_request = models.ForeignKey(
        HelpRequest, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    token = EncryptedCharField(_("name token"), max_length=200, blank=True)
    token_index = BlindIndexField(source="token", normalizer="name", scope="name_token")
    email = EncryptedCharField(_("email"), max_length=254, blank=True)
    email_index = BlindIndexField(source="email", normalizer="email", scope="search_email")

    class Meta:
        verbose_name = _("search key")
        verbose_name_plural = _("search keys")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=models.Q(help_request__isnull=True) ^ models.Q(client__isnull=True),
                name="search_key_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return str(self.pk)
