"""Clients, cases, hearings, events, documents, notes, outcomes and the team.

Field classification (docs/data-protection.md):

- Protected, encrypted under the client's data key (the vault ``Subject`` of the help request
  that became the case): the client's name, A-number, date of birth, phone, email, address and
  country of birth; the detention facility (it locates a person); event details; documents
  (content and file name); privileged notes; adverse parties' names.
- Blind indexes (exact match only, for conflict and duplicate checks): client name, A-number,
  phone; adverse party name.
- Plain: the organization, team, case type, stage, custody status, court, hearing dates, times,
  judges and modes, event dates and kinds, outcomes. Deadlines need dates in the clear to be
  computed, listed and put on calendars; on their own (without a name) they do not identify a
  person.
"""

from __future__ import annotations

import secrets
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.core.names import initials_of
from amparo.core.terms import Custody
from amparo.organizations.models import PracticeArea, ProviderOrganization
from amparo.vault.display import shown
from amparo.vault.errors import VaultError
from amparo.vault.fields import (
    BlindIndexField,
    EncryptedCharField,
    EncryptedDateField,
    EncryptedTextField,
)
from amparo.vault.models import ProtectedModel
from amparo.vault.validators import (
    validate_a_number,
    validate_email,
    validate_name,
    validate_phone,
)

from .choices import (
    CaseStatus,
    CaseType,
    DocumentKind,
    EventKind,
    HearingKind,
    HearingMode,
    HearingStatus,
    Stage,
    TeamRole,
    VoluntaryDepartureStage,
)
from .fields import EncryptedBinaryField
from .outcomes import (
    GRANTED_CHOICES,
    LATEST_FIRST,
    DecidedBy,
    EoirCode,
    OutcomeKind,
    eoir_code,
)

#: Crockford's base32 without I, L, O, U: easy to read out over the phone.
_REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_case_reference() -> str:
    """A short, random, non-identifying reference such as ``C-2026-7KQ3M``."""
    code = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(5))
    return f"C-{timezone.localdate().year}-{code}"


class Client(ProtectedModel):
    """The person a case is for. Every personal value is encrypted under ``subject``'s key."""

    organization = models.ForeignKey(
        ProviderOrganization,
        on_delete=models.PROTECT,
        related_name="clients",
        verbose_name=_("organization"),
    )
    name = EncryptedCharField(_("full name"), max_length=200, validators=[validate_name])
    a_number = EncryptedCharField(
        _("A-number"), max_length=16, blank=True, validators=[validate_a_number]
    )
    date_of_birth = EncryptedDateField(_("date of birth"), null=True, blank=True)
    phone = EncryptedCharField(_("phone"), max_length=40, blank=True, validators=[validate_phone])
    email = EncryptedCharField(_("email"), max_length=254, blank=True, validators=[validate_email])
    address = EncryptedTextField(_("address"), max_length=500, blank=True)
    country_of_birth = EncryptedCharField(_("country of birth"), max_length=100, blank=True)

    name_index = BlindIndexField(source="name", normalizer="name")
    a_number_index = BlindIndexField(source="a_number", normalizer="a_number")
    phone_index = BlindIndexField(source="phone", normalizer="phone")

    language = models.CharField(
        _("preferred language"),
        max_length=8,
        default="es",
        help_text=_("Reminders are sent in Spanish or English."),
    )
    remind_by_sms = models.BooleanField(_("hearing reminders by text message"), default=False)
    remind_by_email = models.BooleanField(_("hearing reminders by email"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")

    def __str__(self) -> str:
        return str(self.pk)  # never the name: __str__ ends up in logs and admin titles

    @property
    def display_name(self) -> str:
        """The name; ``[removed on request]`` once the client's data was shredded, a dash when
        it cannot be read otherwise (pages must still render)."""
        try:
            return shown(lambda: self.name)
        except VaultError:
            return "—"

    @property
    def initials(self) -> str:
        """``J. G.`` for "Juana García López": what calendars show instead of a name."""
        try:
            return shown(lambda: initials_of(self.name or ""))
        except VaultError:
            return "—"


class Case(ProtectedModel):
    """A matter a provider organization works for a client. ``subject`` is the client's."""

    reference = models.CharField(
        _("case reference"), max_length=20, unique=True, default=new_case_reference, editable=False
    )
    organization = models.ForeignKey(
        ProviderOrganization,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("organization"),
    )
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="cases", verbose_name=_("client")
    )
    lead_attorney = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_cases",
        verbose_name=_("lead attorney"),
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="CaseAssignment",
        through_fields=("case", "user"),
        related_name="case_teams",
        verbose_name=_("team"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    case_type = models.CharField(
        _("case type"), max_length=32, choices=CaseType.choices, default=CaseType.REMOVAL
    )
    practice_area = models.CharField(
        _("practice area"), max_length=32, choices=PracticeArea.choices, blank=True
    )
    stage = models.CharField(_("stage"), max_length=32, choices=Stage.choices, default=Stage.INTAKE)
    custody = models.CharField(
        _("custody"), max_length=16, choices=Custody.choices, default=Custody.NEVER_DETAINED
    )
    facility = EncryptedCharField(_("detention facility"), max_length=200, blank=True)
    court = models.CharField(_("immigration court"), max_length=120, blank=True)
    relief_sought = models.JSONField(_("relief sought"), default=list, blank=True)
    #: An unaccompanied child (INA 208(a)(2)(E)): the asylum one-year deadline does not apply.
    unaccompanied_child = models.BooleanField(_("unaccompanied child"), default=False)
    referral_id = models.PositiveBigIntegerField(
        _("referral"), null=True, blank=True, unique=True, editable=False
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now, editable=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)
    #: The latest final outcome's kind and relief, and the latest custody decision's kind
    #: (blank: none yet), copied from the outcomes by :func:`amparo.cases.latest
    #: .latest_outcomes_sync` whenever one is recorded: what the public figures group on.
    latest_final_kind = models.CharField(max_length=24, blank=True, default="", editable=False)
    latest_final_relief = models.CharField(max_length=16, blank=True, default="", editable=False)
    latest_custody_decision = models.CharField(
        max_length=24, blank=True, default="", editable=False
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering: ClassVar[list[str]] = ["-opened_at"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["organization", "status"], name="cases_case_org_status_idx"),
            # Covers the impact figures' GROUP BY (amparo.reports.metrics.case_counts): every
            # case counted from the index alone, its totals (open, detained) with it.
            models.Index(
                fields=[
                    "custody",
                    "latest_final_kind",
                    "latest_final_relief",
                    "latest_custody_decision",
                    "referral_id",
                    "status",
                    "practice_area",
                ],
                name="cases_case_impact2_idx",
            ),
            # The attorneys with open cases, counted from the index alone.
            models.Index(fields=["status", "lead_attorney"], name="cases_case_status_lead_idx"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_closed(self) -> bool:
        return self.status == CaseStatus.CLOSED

    @property
    def outcome(self) -> Outcome | None:
        """The latest recorded outcome (decision), if any."""
        cached = getattr(self, "_prefetched_objects_cache", {}).get("outcomes")
        if cached is not None:
            items = sorted(cached, key=lambda o: (o.decision_date, o.recorded_at, o.pk))
            return items[-1] if items else None
        return self.outcomes.order_by(*LATEST_FIRST).first()

    def relief_sought_labels(self) -> list[str]:
        from .choices import Relief

        labels = dict(Relief.choices)
        return [str(labels.get(r, r)) for r in self.relief_sought]


class CaseAssignment(models.Model):
    """A person on a case's team. Revoking it (``is_active=False``) takes effect at once."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_assignments"
    )
    role = models.CharField(
        _("role on the case"), max_length=16, choices=TeamRole.choices, default=TeamRole.ATTORNEY
    )
    is_active = models.BooleanField(_("active"), default=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("case assignment")
        verbose_name_plural = _("case assignments")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["case", "user"], name="cases_assignment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.case} / {self.user_id}"


class Hearing(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="hearings")
    kind = models.CharField(_("kind of hearing"), max_length=16, choices=HearingKind.choices)
    date = models.DateField(_("date"))
    time = models.TimeField(_("time"), null=True, blank=True)
    judge = models.CharField(_("immigration judge"), max_length=120, blank=True)
    mode = models.CharField(
        _("in person or by video"),
        max_length=16,
        choices=HearingMode.choices,
        default=HearingMode.IN_PERSON,
    )
    status = models.CharField(
        _("status"), max_length=16, choices=HearingStatus.choices, default=HearingStatus.SCHEDULED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        ordering: ClassVar[list[str]] = ["date", "time", "pk"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["date"], name="cases_hearing_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.kind} {self.date}"

    @property
    def is_scheduled(self) -> bool:
        return self.status == HearingStatus.SCHEDULED

    def starts_at(self) -> Any:
        """The aware start time in the fund's time zone (9:00 when no time is known)."""
        import datetime

        when = self.time or datetime.time(9, 0)
        naive = datetime.datetime.combine(self.date, when)
        return timezone.make_aware(naive, timezone.get_default_timezone())


class CaseEvent(ProtectedModel):
    """One line of the case's timeline. ``details`` is free text, so it is encrypted."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=24, choices=EventKind.choices)
    date = models.DateField(_("date"))
    details = EncryptedTextField(_("details"), max_length=2000, blank=True)
    #: A voluntary departure grant: the days granted and when (they start the clocks of
    #: ``vd-depart`` and ``vd-bond``; the service checks the 120/60-day maximum).
    vd_days = models.PositiveSmallIntegerField(_("days granted"), null=True, blank=True)
    vd_stage = models.CharField(
        _("granted"), max_length=16, choices=VoluntaryDepartureStage.choices, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering: ClassVar[list[str]] = ["-date", "-created_at"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.date}"


class Document(ProtectedModel):
    """A file of the case, encrypted at rest with the client's key (content and file name)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(
        _("kind of document"),
        max_length=20,
        choices=DocumentKind.choices,
        default=DocumentKind.OTHER,
    )
    filename = EncryptedCharField(_("file name"), max_length=200)
    content = EncryptedBinaryField(_("content"))
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    metadata_stripped = models.BooleanField(_("metadata removed"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering: ClassVar[list[str]] = ["-uploaded_at"]

    def __str__(self) -> str:
        return str(self.pk)


class CaseNote(ProtectedModel):
    """A privileged note (attorney work product). Never shown to fund staff."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = EncryptedTextField(_("note"), max_length=20000)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("privileged note")
        verbose_name_plural = _("privileged notes")
        ordering: ClassVar[list[str]] = ["-created_at"]

    def __str__(self) -> str:
        return str(self.pk)


class AdverseParty(ProtectedModel):
    """Someone on the other side (an abuser in a VAWA or U visa matter, a co-respondent with a
    conflicting interest): kept for conflict checks through a blind index on the name."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="adverse_parties")
    name = EncryptedCharField(_("name"), max_length=200, validators=[validate_name])
    name_index = BlindIndexField(source="name", normalizer="name")
    relationship = models.CharField(_("relationship to the client"), max_length=120, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("adverse party")
        verbose_name_plural = _("adverse parties")

    def __str__(self) -> str:
        return str(self.pk)


class Outcome(models.Model):
    """A decision in the case (an immigration judge's, the Board's, USCIS's, a court's)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="outcomes")
    kind = models.CharField(_("outcome"), max_length=24, choices=OutcomeKind.choices)
    relief = models.CharField(
        _("relief or protection granted"), max_length=16, choices=GRANTED_CHOICES, blank=True
    )
    in_absentia = models.BooleanField(_("ordered in absentia"), default=False)
    decided_by = models.CharField(_("decided by"), max_length=16, choices=DecidedBy.choices)
    decision_date = models.DateField(_("date of the decision"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering: ClassVar[list[str]] = ["-decision_date", "-recorded_at"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"

    @property
    def eoir(self) -> EoirCode:
        return eoir_code(self.case.case_type, self.kind)
