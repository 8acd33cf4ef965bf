"""Domain words that several apps store, defined once with one set of labels.

Values are stable identifiers (stored, exported, used by the API and the reports); labels are
translated with a context, so that the same English word used elsewhere keeps its own Spanish.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import pgettext_lazy


class Custody(models.TextChoices):
    """docs/outcomes.md's custody taxonomy (as EOIR's data records it): of a help request and a case."""

    NEVER_DETAINED = "never_detained", pgettext_lazy("custody", "Never detained")
    DETAINED = "detained", pgettext_lazy("custody", "Detained")
    RELEASED = "released", pgettext_lazy("custody", "Released from detention")
