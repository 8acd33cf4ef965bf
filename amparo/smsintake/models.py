"""One open text conversation per phone number, its answers sealed in the person's envelope.

- ``phone_index``: a blind index of the number (its own scope, so it links to no other table);
  the number itself is never stored here: each text brings it again.
- ``state``: the conversation (language, answers, where it stands), encrypted under the data
  key of the conversation's own subject; shredded when the request is created or the
  conversation is abandoned (:mod:`amparo.smsintake.services`), then the row is deleted.
- ``last_message_at``: plain, so the sweep finds conversations silent for a day.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.vault.fields import EncryptedJSONField
from amparo.vault.models import ProtectedModel


class Conversation(ProtectedModel):
    phone_index = models.CharField(_("phone (blind index)"), max_length=64, unique=True)
    state = EncryptedJSONField(_("conversation state"), default=dict, blank=True)
    started_at = models.DateTimeField(_("started"))
    last_message_at = models.DateTimeField(_("last message"), db_index=True)

    class Meta:
        verbose_name = _("text conversation")
        verbose_name_plural = _("text conversations")

    def __str__(self) -> str:
        return f"conversation {self.pk}"
