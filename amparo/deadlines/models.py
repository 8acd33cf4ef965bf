"""Stored deadlines (one row per computed deadline of a case) and calendar feeds.

The engine (``engine.py``) computes; these rows remember what it computed for each case, from
which trigger, and what an attorney did about it (an override with a reason, or done). They are
recomputed by ``services.deadlines_recompute`` whenever a trigger changes.
"""

from __future__ import annotations

import datetime
import hashlib
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from amparo.cases.choices import EventKind

from .rules import RULES


class CaseDeadline(models.Model):
    """One deadline of one case, as the engine computed it from one trigger."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="deadlines")
    rule_id = models.CharField(_("rule"), max_length=40)
    #: What started the clock: ``hearing:<id>``, ``outcome:<id>`` or ``event:<uuid>``.
    source_key = models.CharField(max_length=64)
    trigger_date = models.DateField(_("trigger date"))
    due = models.DateField(_("due"), null=True, blank=True)
    calendar_date = models.DateField(_("calendar date"), null=True, blank=True)
    citation = models.CharField(_("citation"), max_length=200)
    #: The engine's explanation (English source text, translated when shown) and its notes as
    #: ``[[message, {param: value}], ...]``.
    explanation = models.TextField(_("explanation"))
    notes = models.JSONField(default=list, blank=True)
    needs_review = models.BooleanField(_("needs review"), default=False)
    override_date = models.DateField(_("date set by the attorney"), null=True, blank=True)
    override_reason = models.TextField(_("reason for the change"), blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    overridden_at = models.DateTimeField(null=True, blank=True)
    #: The date that counts: the override if there is one, else the calendar date. Kept in a
    #: column so that dashboards and feeds can filter and sort on it.
    effective_date = models.DateField(null=True, blank=True, db_index=True)
    completed_at = models.DateTimeField(_("done"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    #: False once its trigger is gone (a hearing cancelled, an event removed).
    is_active = models.BooleanField(default=True)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering: ClassVar[list[str]] = ["effective_date", "rule_id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["case", "rule_id", "source_key"], name="deadlines_casedeadline_unique"
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(
                fields=["is_active", "completed_at", "effective_date"],
                name="deadlines_open_by_date_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.rule_id} {self.effective_date}"

    @property
    def rule_title(self) -> str:
        rule = RULES.get(self.rule_id)
        return gettext(rule.title) if rule else self.rule_id

    @property
    def source_text(self) -> str:
        """What started the clock, in words: a case can have the same rule from several triggers
        (a filing deadline before each hearing, an appeal of each decision), and their cards
        must not read alike."""
        kind = self.source_key.partition(":")[0]
        day = date_format(self.trigger_date, "DATE_FORMAT")
        if kind == "hearing":
            return gettext("from the hearing of %(date)s") % {"date": day}
        if kind == "outcome":
            return gettext("from the decision of %(date)s") % {"date": day}
        if kind == "client":
            # The date of birth is the client's, and not for every screen.
            return gettext("from the client's date of birth")
        return self._event_source_text(day)

    def _event_source_text(self, day: str) -> str:
        """An event's deadline names the event: "from “Change of address” on May 1, 2026"."""
        from .services import event_kind_of_rule  # services import this module

        kind = event_kind_of_rule(self.rule_id)
        if kind is None or kind not in EventKind.values:
            return gettext("from the event of %(date)s") % {"date": day}
        label = EventKind(kind).label
        return gettext("from “%(event)s” on %(date)s") % {"event": label, "date": day}

    @property
    def full_title(self) -> str:
        """The rule and its trigger: "BIA appeal — from the decision of Dec 3, 2026"."""
        return f"{self.rule_title} — {self.source_text}"

    @property
    def explanation_text(self) -> str:
        """The explanation and its notes in the active language."""
        parts = [gettext(self.explanation)]
        for item in self.notes or []:
            message, params = (item[0], item[1]) if len(item) > 1 else (item[0], {})
            text = gettext(message)
            parts.append(text % params if params else text)
        return " ".join(parts)

    @property
    def is_overridden(self) -> bool:
        return self.override_date is not None

    @property
    def is_done(self) -> bool:
        return self.completed_at is not None

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return (
            self.is_active
            and not self.is_done
            and self.effective_date is not None
            and self.effective_date < today
        )


class FederalClosure(models.Model):
    """A day federal offices were closed that is not a legal holiday (an executive order,
    Inauguration Day in the DC area, an emergency). Confirmed nationwide closures are extra
    non-business days for every deadline; an administrator adds new ones as they are announced.
    The data migration ships ``rules.FEDERAL_CLOSURES``."""

    class Scope(models.TextChoices):
        NATIONWIDE = "nationwide", _("Nationwide (the Board and every immigration court)")
        DC_AREA = "dc-area", _("Washington, DC area only")

    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=120)
    scope = models.CharField(
        _("scope"), max_length=16, choices=Scope.choices, default=Scope.NATIONWIDE
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    confirmed = models.BooleanField(
        _("confirmed"),
        default=False,
        help_text=_("Checked against the official text. Only confirmed closures move deadlines."),
    )

    class Meta:
        verbose_name = _("federal closure")
        verbose_name_plural = _("federal closures")
        ordering: ClassVar[list[str]] = ["date", "scope"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["date", "scope"], name="deadlines_closure_date_scope"),
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.scope}"


class FeedScope(models.TextChoices):
    ATTORNEY = "attorney", _("My cases")
    ORGANIZATION = "organization", _("All cases of my organization")


class CalendarFeedQuerySet(models.QuerySet["CalendarFeed"]):
    def active(self) -> CalendarFeedQuerySet:
        return self.filter(revoked_at__isnull=True)


class CalendarFeed(models.Model):
    """A secret, revocable iCalendar address. The token is shown once; only its SHA-256 is kept.

    The feed shows what its owner may see *at the time it is fetched*: a revoked membership or
    assignment empties it on the next fetch.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    scope = models.CharField(_("what it shows"), max_length=16, choices=FeedScope.choices)
    organization = models.ForeignKey(
        "organizations.ProviderOrganization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=80)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(max_length=8, editable=False)
    include_names = models.BooleanField(
        _("show clients' full names"),
        default=False,
        help_text=_(
            "Off: events show the client's initials and the case reference. Turn on only if "
            "the calendar app and every device it syncs to are as safe as Amparo."
        ),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_fetched_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        ordering: ClassVar[list[str]] = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def describe(self) -> dict[str, Any]:
        return {"id": self.pk, "scope": self.scope, "include_names": self.include_names}
