"""Help requests, the rules that screen them, and the poverty tables those rules read.

Field classes (docs/data-protection.md):

- protected, encrypted under the person's own data key: name, A-number, date of birth, phone,
  email, the relative's name and phone, contact instructions, adverse parties' names;
- quasi-identifiers, encrypted the same way (together they point at one person, and a request
  that became a case is kept as long as the case): detention facility, immigration court, next
  hearing date, ZIP code, household size, income range, a running deadline's date, and the
  screening's reasons and income limit (they quote the ZIP code, facility, court and household
  size);
- blind indexes (exact-match lookups for duplicates and conflict checks): name, A-number, phone;
- not protected, coarse on purpose (statistics and routing read them): custody, county and the
  routing area (a county), languages, practice area, whether a hearing was missed or an order in
  absentia made, a running deadline's kind, the eligibility decision, the priority and its
  factors, the creation time (reports count weeks from it), when it was first referred and when
  a provider accepted it (copies of its referrals' times, for the impact figures), the reference
  code (random, says nothing about the person) and the hash of the status code.

Screening and triage run on the plaintext at the moment of intake and store only their results.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Custody is shared with cases: defined in core, importable from here for intake services.
from amparo.core.names import initials_of
from amparo.core.terms import Custody as Custody
from amparo.eligibility import poverty
from amparo.organizations.models import Program
from amparo.vault.errors import VaultError
from amparo.vault.fields import (
    BlindIndexField,
    EncryptedCharField,
    EncryptedDateField,
    EncryptedIntegerField,
    EncryptedJSONField,
    EncryptedTextField,
)
from amparo.vault.models import ProtectedModel
from amparo.vault.validators import validate_a_number, validate_email, validate_phone


class ForWhom(models.TextChoices):
    SELF = "self", _("For themself")
    FAMILY = "family", _("For a family member")


class ContactMethod(models.TextChoices):
    PHONE = "phone", _("Phone call")
    WHATSAPP = "whatsapp", _("WhatsApp")
    EMAIL = "email", pgettext_lazy("contact method", "Email")
    RELATIVE = "relative", _("Through a relative or friend")


class Source(models.TextChoices):
    PUBLIC = "public", _("Online form")
    TEXT = "text", _("Text message")
    HOTLINE = "hotline", _("Hotline call")
    DETENTION_VISIT = "detention_visit", _("Detention visit")
    API = "api", _("Partner system (API)")
    DEMO = "demo", _("Demo data")


class Eligibility(models.TextChoices):
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Not eligible")
    REVIEW = "review", _("Needs review")


class RequestState(models.TextChoices):
    """The lifecycle of a help request (staff-facing names; the public sees ``public_status``)."""

    NEEDS_REVIEW = "needs_review", _("Needs review")
    WAITING = "waiting", _("Waiting for a provider")
    REFERRED = "referred", _("Referred")
    ESCALATED = "escalated", _("Escalated: no provider took it")
    PLACED = "placed", _("Placed: a case was opened")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")
    CLOSED = "closed", _("Closed")


#: States in which a request is still looking for help.
OPEN_STATES: frozenset[str] = frozenset(
    {RequestState.NEEDS_REVIEW, RequestState.WAITING, RequestState.REFERRED, RequestState.ESCALATED}
)


class EscalationReason(models.TextChoices):
    NO_PROVIDER = "no_provider", _("No provider has room, the language and the practice area")
    ATTEMPTS_EXHAUSTED = "attempts_exhausted", _("Every provider tried declined or did not answer")


class DeadlineKind(models.TextChoices):
    """A running deadline after an immigration judge's decision (triage adds points within 30
    days)."""

    APPEAL = "appeal", _("Appeal to the Board of Immigration Appeals")
    MOTION = "motion", _("Motion to reopen or reconsider")
    PETITION = "petition", _("Petition for review to a court of appeals")


class PovertyRegion(models.TextChoices):
    CONTIGUOUS = poverty.CONTIGUOUS, _("48 contiguous states and the District of Columbia")
    ALASKA = poverty.ALASKA, _("Alaska")
    HAWAII = poverty.HAWAII, _("Hawaii")


class PovertyGuideline(models.Model):
    """One HHS poverty table (dollars a year). Shipped figures are copied in by a migration;
    an unverified table stays unverified until a fund administrator confirms it."""

    year = models.PositiveSmallIntegerField(_("year"))
    region = models.CharField(_("region"), max_length=16, choices=PovertyRegion.choices)
    first_person = models.PositiveIntegerField(_("guideline for one person (dollars)"))
    additional_person = models.PositiveIntegerField(
        _("added for each additional person (dollars)"), null=True, blank=True
    )
    verified = models.BooleanField(_("verified"), default=False)
    source = models.CharField(_("source"), max_length=300, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(
        pgettext_lazy("date and time", "confirmed"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("poverty guideline table")
        verbose_name_plural = _("poverty guideline tables")
        ordering: ClassVar[list[str]] = ["region", "-year"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["year", "region"], name="intake_poverty_year_region"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_region_display()}"

    def as_table(self) -> poverty.PovertyTable:
        return poverty.PovertyTable(
            year=self.year,
            region=self.region,
            first_person=self.first_person,
            additional_person=self.additional_person,
            verified=self.verified,
            source=self.source,
        )


class UnverifiedPolicy(models.TextChoices):
    FALLBACK = "fallback", _("Use the latest verified year, and say so")
    REVIEW = "review", _("Ask staff to confirm each income decision")


def _default_custodies() -> list[str]:
    return list(Custody.values)


class IntakePolicy(models.Model):
    """A program's intake rules as data: eligibility, triage weights, SLAs, retention.

    Fund administrators edit it on a page; code reads it through ``selectors.policy_for``.
    """

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="intake_policy")
    public_intake = models.BooleanField(
        _("receives requests from the public form"),
        default=True,
        help_text=_("The public form uses the first active program with this switched on."),
    )
    income_percent = models.PositiveSmallIntegerField(
        _("income limit, percent of the poverty guideline"),
        null=True,
        blank=True,
        default=200,
        help_text=_("Leave empty for no income limit."),
    )
    #: The newest year with a verified shipped table (migration 0004).
    poverty_year = models.PositiveSmallIntegerField(_("poverty guideline year"), default=2026)
    poverty_region = models.CharField(
        _("poverty guideline region"),
        max_length=16,
        choices=PovertyRegion.choices,
        default=PovertyRegion.CONTIGUOUS,
    )
    if_unverified = models.CharField(
        _("when that year's table is not verified"),
        max_length=16,
        choices=UnverifiedPolicy.choices,
        default=UnverifiedPolicy.FALLBACK,
    )
    zip_codes = models.JSONField(_("ZIP codes served"), default=list, blank=True)
    counties = models.JSONField(_("counties served"), default=list, blank=True)
    #: [{"name": ..., "county": ..., "local": bool}]: the list the public form offers.
    facilities = models.JSONField(_("detention facilities"), default=list, blank=True)
    courts = models.JSONField(_("immigration courts served"), default=list, blank=True)
    custodies = models.JSONField(
        _("custody situations served"), default=_default_custodies, blank=True
    )
    practice_areas = models.JSONField(_("practice areas served"), default=list, blank=True)
    interpreter_languages = models.JSONField(
        _("languages the fund provides interpreters for"), default=list, blank=True
    )
    triage_weights = models.JSONField(_("triage weights"), default=dict, blank=True)
    sla_hours_detained = models.PositiveSmallIntegerField(
        _("hours a provider has to answer a detained referral"), default=24
    )
    sla_hours_non_detained = models.PositiveSmallIntegerField(
        _("hours a provider has to answer any other referral"), default=72
    )
    max_referral_attempts = models.PositiveSmallIntegerField(
        _("providers tried before the request is escalated"), default=3
    )
    retention_days = models.PositiveSmallIntegerField(_("days kept when no case opens"), default=90)
    #: {language code: text}: where to go instead, shown to people who are not eligible.
    referrals_elsewhere = models.JSONField(_("referrals elsewhere"), default=dict, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("intake policy")
        verbose_name_plural = _("intake policies")

    def __str__(self) -> str:
        return str(self.program) if self.program_id else "default"

    def facility_names(self) -> list[str]:
        return [
            str(f.get("name", "")) for f in self.facilities if isinstance(f, dict) and f.get("name")
        ]

    def facility_county(self, name: str) -> str:
        for f in self.facilities:
            if isinstance(f, dict) and f.get("name") == name:
                return str(f.get("county", ""))
        return ""

    def local_facilities(self) -> list[str]:
        return [
            str(f["name"])
            for f in self.facilities
            if isinstance(f, dict) and f.get("name") and f.get("local", True)
        ]

    def sla_hours(self, detained: bool) -> int:
        return self.sla_hours_detained if detained else self.sla_hours_non_detained


class HelpRequest(ProtectedModel):
    """A person asking for a lawyer. Created only after consent; protected fields encrypted."""

    reference = models.CharField(_("reference"), max_length=16, unique=True, editable=False)
    status_code_hash = models.CharField(max_length=80, editable=False)
    idempotency_key = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    source = models.CharField(
        pgettext_lazy("origin", "source"), max_length=20, choices=Source.choices
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, null=True, blank=True, related_name="help_requests"
    )
    language = models.CharField(
        _("language of the request"),
        max_length=8,
        help_text=_("The language the person used; status and explanations use it."),
    )
    spoken_language = models.CharField(_("language spoken"), max_length=8)
    needs_interpreter = models.BooleanField(_("needs an interpreter"), default=False)
    for_whom = models.CharField(
        _("asked"), max_length=10, choices=ForWhom.choices, default=ForWhom.SELF
    )
    custody = models.CharField(_("custody"), max_length=16, choices=Custody.choices)
    # Quasi-identifiers: encrypted under the subject's data key, shredded with it.
    facility = EncryptedCharField(_("detention facility"), max_length=200, blank=True)
    next_hearing = EncryptedDateField(_("next hearing"), null=True, blank=True)
    court = EncryptedCharField(_("immigration court"), max_length=200, blank=True)
    zip_code = EncryptedCharField(_("ZIP code"), max_length=10, blank=True)
    household_size = EncryptedIntegerField(_("household size"), null=True, blank=True)
    income_low_cents = EncryptedIntegerField(
        _("yearly income, low end (cents)"), null=True, blank=True
    )
    income_high_cents = EncryptedIntegerField(
        _("yearly income, high end (cents)"), null=True, blank=True
    )
    # Coarse, in the clear: what statistics and routing need.
    county = models.CharField(_("county"), max_length=100, blank=True)
    area = models.CharField(_("routing area"), max_length=100, blank=True, editable=False)
    practice_area = models.CharField(_("practice area"), max_length=40, blank=True)
    minor = models.BooleanField(_("under 18"), default=False)
    unaccompanied_child = models.BooleanField(_("unaccompanied child"), default=False)
    in_absentia_risk = models.BooleanField(_("risk of an order in absentia"), default=False)
    missed_hearing = models.BooleanField(_("missed a hearing"), default=False)
    in_absentia_order = models.BooleanField(_("ordered removed in absentia"), default=False)
    #: A running deadline: its kind in the clear (coarse), its date encrypted (it dates the
    #: judge's decision); triage reads the date at intake and keeps only its points.
    deadline_kind = models.CharField(
        _("running deadline"), max_length=10, choices=DeadlineKind.choices, blank=True
    )
    deadline_date = EncryptedDateField(_("last day of the deadline"), null=True, blank=True)
    vulnerable = models.BooleanField(_("other vulnerability"), default=False)
    contact_method = models.CharField(
        _("safe way to reach them"), max_length=16, choices=ContactMethod.choices
    )
    safe_to_leave_message = models.BooleanField(_("safe to leave a message"), default=False)

    # Protected: encrypted under the subject's data key.
    name = EncryptedCharField(_("name"), max_length=200)
    a_number = EncryptedCharField(
        _("A-number"), max_length=16, blank=True, validators=[validate_a_number]
    )
    date_of_birth = EncryptedDateField(_("date of birth"), null=True, blank=True)
    phone = EncryptedCharField(_("phone"), max_length=40, blank=True, validators=[validate_phone])
    email = EncryptedCharField(_("email"), max_length=254, blank=True, validators=[validate_email])
    relative_name = EncryptedCharField(_("relative's name"), max_length=200, blank=True)
    relative_phone = EncryptedCharField(
        _("relative's phone"), max_length=40, blank=True, validators=[validate_phone]
    )
    contact_notes = EncryptedTextField(_("contact instructions"), blank=True)

    name_index = BlindIndexField(source="name", normalizer="name")
    a_number_index = BlindIndexField(source="a_number", normalizer="a_number")
    phone_index = BlindIndexField(source="phone", normalizer="phone")

    eligibility = models.CharField(_("eligibility"), max_length=12, choices=Eligibility.choices)
    #: Encrypted: the reasons quote the ZIP code, facility, court and household size, and the
    #: limit follows from the household size.
    eligibility_reasons = EncryptedJSONField(default=list, blank=True)
    poverty_year_used = models.PositiveSmallIntegerField(null=True, blank=True)
    income_limit = EncryptedIntegerField(_("income limit used (dollars)"), null=True, blank=True)
    screened_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    priority = models.PositiveIntegerField(_("priority"), default=0)
    priority_reasons = models.JSONField(default=list, blank=True)

    state = models.CharField(_("state"), max_length=16, choices=RequestState.choices)
    state_changed_at = models.DateTimeField(default=timezone.now)
    #: Waiting for the router: set when a request is handed to it (its task is queued), cleared
    #: when the router sends or escalates it. The sweep routes what stays set (a lost task).
    awaiting_routing = models.BooleanField(default=False)
    escalation_reason = models.CharField(
        max_length=24, choices=EscalationReason.choices, blank=True
    )
    possible_duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    #: Set when staff found this request to be the same person as another: it is closed,
    #: read-only, and the other one carries on.
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )
    consent_version = models.CharField(max_length=20, blank=True)
    consented_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    placed_at = models.DateTimeField(null=True, blank=True)
    #: When the request was first referred to a provider, and when a provider accepted it (the
    #: accepted referral's answer): copies of its referrals' times, kept by the referrals app
    #: (``amparo.referrals.marks``) whenever a referral is saved or deleted, so that the impact
    #: figures count the funnel and the days to acceptance from the requests alone.
    referred_at = models.DateTimeField(null=True, blank=True, editable=False)
    accepted_at = models.DateTimeField(null=True, blank=True, editable=False)
    purged_at = models.DateTimeField(_("data deleted"), null=True, blank=True)

    class Meta:
        verbose_name = _("help request")
        verbose_name_plural = _("help requests")
        ordering: ClassVar[list[str]] = ["-priority", "created_at"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["state", "-priority", "created_at"], name="intake_req_queue_idx"),
            models.Index(fields=["state", "state_changed_at"], name="intake_req_retention_idx"),
            # The impact figures (amparo.reports.metrics) read the funnel and the days to
            # acceptance from these two indexes, not from the wide rows.
            models.Index(
                fields=["eligibility", "referred_at", "accepted_at"], name="intake_req_funnel_idx"
            ),
            models.Index(
                fields=["accepted_at", "custody", "created_at"], name="intake_req_accepted_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def detained(self) -> bool:
        return self.custody == Custody.DETAINED

    @property
    def initials(self) -> str:
        """What a page shows of the person to a visitor the request's case refuses the name."""
        if self.purged_at is not None:
            return "—"
        try:
            return initials_of(self.name or "")
        except VaultError:
            return "—"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def income_low(self) -> int | None:
        return None if self.income_low_cents is None else self.income_low_cents // 100

    @property
    def income_high(self) -> int | None:
        return None if self.income_high_cents is None else self.income_high_cents // 100


class AdverseParty(ProtectedModel):
    """Someone on the other side of the person's matter (e.g. an abuser in a VAWA or U visa
    case), named for conflict checks. Encrypted under the requester's data key."""

    help_request = models.ForeignKey(
        HelpRequest, on_delete=models.CASCADE, related_name="adverse_parties"
    )
    name = EncryptedCharField(_("name"), max_length=200)
    name_index = BlindIndexField(source="name", normalizer="name")

    class Meta:
        verbose_name = _("adverse party")
        verbose_name_plural = _("adverse parties")

    def __str__(self) -> str:
        return str(self.pk)


class ChangeKind(models.TextChoices):
    EDITED = "edited", _("Corrected")
    ADVERSE_PARTY_ADDED = "adverse_party_added", _("Adverse party added")
    ADVERSE_PARTY_REMOVED = "adverse_party_removed", _("Adverse party removed")
    MERGED_FROM = "merged_from", _("Another request merged into this one")
    MERGED_INTO = "merged_into", _("Merged into another request")


class HelpRequestChange(ProtectedModel):
    """One correction of a help request: who, when, which fields (names, in the clear) and the
    values those fields held before (encrypted under the request's data key, so shredded with
    it). The first change of a field keeps the person's own original answer."""

    help_request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=24, choices=ChangeKind.choices)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    fields = models.JSONField(default=list, blank=True)
    #: {field name: the value before this change}, JSON (dates as ISO strings).
    previous = EncryptedJSONField(default=dict, blank=True)
    #: The other request of a merge.
    other = models.ForeignKey(
        HelpRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("change to a help request")
        verbose_name_plural = _("changes to help requests")
        ordering: ClassVar[list[str]] = ["-changed_at"]

    def __str__(self) -> str:
        return str(self.pk)
