"""How the text-message channel hands a person's message to the app that holds a conversation.

``amparo.sms`` receives a text (signature checked, deduplicated, rate limited), answers the
keywords (HELP/AYUDA, STOP/ALTO, START) and status codes itself, and offers everything else to
each function in :data:`CONVERSATION_HANDLERS` in turn; the first that returns an
:class:`Outcome` answers it. Apps above (``amparo.smsintake``) fill the list in their
``AppConfig.ready()`` with :func:`amparo.core.hooks.hook_register`.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Inbound:
    """One text a person sent, as the channel hands it on."""

    phone: str  # E.164, as the provider gave it (``+17205550123``)
    body: str  # the text, whitespace stripped
    language: str  # the number's last known language (a code in settings.LANGUAGES), else "en"
    received_at: datetime.datetime


@dataclass(frozen=True)
class Outcome:
    """What a handler answers: the replies, in order, already in the person's language."""

    replies: list[str] = field(default_factory=list)
    language: str = "en"  # the conversation's language now; the channel remembers it
    # Set once the conversation created (or belongs to) a help request: the channel links this
    # exchange, and the same number's unlinked messages of the past 24 hours, to that request.
    help_request_id: uuid.UUID | None = None


Handler = Callable[[Inbound], Outcome | None]
CONVERSATION_HANDLERS: list[Handler] = []
