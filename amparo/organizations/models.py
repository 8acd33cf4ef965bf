from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.core.identity import fund_name

from .languages import LANGUAGES, language_name


class GrantCategory(models.TextChoices):
    """The four grant categories of a Denver-like fund (docs/architecture.md)."""

    DETAINED_REMOVAL = "detained_removal", _("Removal defense for detained people")
    AFFIRMATIVE_NON_DETAINED = (
        "affirmative_non_detained",
        _("Affirmative relief and non-detained removal defense"),
    )
    CAPACITY_BUILDING = "capacity_building", _("Capacity building")
    FILING_FEES = "filing_fees", _("Filing and legal fees")


class PracticeArea(models.TextChoices):
    DETAINED_REMOVAL = "detained_removal", _("Detained removal defense")
    NON_DETAINED_REMOVAL = "non_detained_removal", _("Non-detained removal defense")
    ASYLUM = "asylum", _("Asylum")
    BOND = "bond", _("Bond")
    DACA = "daca", _("DACA")
    TPS = "tps", _("TPS")
    U_T_VISA = "u_t_visa", _("U and T visas")
    SIJS = "sijs", _("Special Immigrant Juvenile Status")
    VAWA = "vawa", _("VAWA self-petitions")
    NATURALIZATION = "naturalization", _("Naturalization")
    FAMILY_PETITIONS = "family_petitions", _("Family petitions")
    APPEALS = "appeals", _("Appeals (BIA and federal courts)")


class Fund(models.Model):
    """The fund this deployment runs: it owns the programs and names its fiscal holder.

    Its name, city and hotline are not stored here: the settings are their one source
    (``amparo.core.identity``), so pages, PDFs and mails cannot disagree with this row.
    """

    holder = models.CharField(_("fiscal holder"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")

    def __str__(self) -> str:
        return fund_name()


class Program(models.Model):
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="programs")
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), unique=True)
    description = models.TextField(_("description"), blank=True)
    categories = models.JSONField(_("grant categories"), default=list)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering: ClassVar[list[str]] = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        valid = set(GrantCategory.values)
        bad = [c for c in self.categories if c not in valid]
        if bad:
            raise ValidationError({"categories": _("Unknown grant category.")})

    @property
    def category_labels(self) -> list[str]:
        labels = dict(GrantCategory.choices)
        return [str(labels.get(c, c)) for c in self.categories]


class ProviderOrganization(models.Model):
    """A nonprofit legal services provider that receives referrals and grants."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("short name"), unique=True)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    public_phone = models.CharField(_("public phone"), max_length=40, blank=True)
    accepting_new_cases = models.BooleanField(_("accepting new cases"), default=True)
    attorneys_see_all_org_cases = models.BooleanField(
        _("attorneys see every case of the organization"),
        default=False,
        help_text=_("When off, attorneys see only the cases they are assigned to."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("provider organization")
        verbose_name_plural = _("provider organizations")
        ordering: ClassVar[list[str]] = ["name"]

    def __str__(self) -> str:
        return self.name


class Office(models.Model):
    organization = models.ForeignKey(
        ProviderOrganization, on_delete=models.CASCADE, related_name="offices"
    )
    name = models.CharField(_("name"), max_length=120)
    address = models.CharField(_("street address"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=120)
    state = models.CharField(_("state"), max_length=2, default="CO")
    zip_code = models.CharField(_("ZIP code"), max_length=10, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    counties_served = models.JSONField(_("counties served"), default=list, blank=True)

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering: ClassVar[list[str]] = ["organization__name", "name"]

    def __str__(self) -> str:
        return f"{self.organization.name} — {self.name}"


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> MembershipQuerySet:
        return self.filter(is_active=True, organization__is_active=True)


class Membership(models.Model):
    """A person's place in a provider organization. Deactivating it takes effect at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        ProviderOrganization, on_delete=models.CASCADE, related_name="memberships"
    )
    is_active = models.BooleanField(_("active"), default=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["user", "organization"], name="membership_unique_user_org"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization}"


class MembershipInvitation(models.Model):
    """An invitation to a person who already has an account: it waits for their answer, and the
    membership is created only when they accept (issue #15, finding 6)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership_invitations"
    )
    organization = models.ForeignKey(
        ProviderOrganization, on_delete=models.CASCADE, related_name="invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    accepted = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("membership invitation")
        verbose_name_plural = _("membership invitations")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["user", "organization"],
                condition=models.Q(answered_at__isnull=True),
                name="membership_invitation_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.organization}"


class RepresentativeKind(models.TextChoices):
    ATTORNEY = "attorney", _("Attorney")
    ACCREDITED_REP = "accredited_rep", _("DOJ accredited representative")


#: What a provider administrator may change about their own organization (the rest is the
#: fund's), in the form's order.
ORGANIZATION_PROVIDER_FIELDS: tuple[str, ...] = (
    "description",
    "website",
    "public_phone",
    "accepting_new_cases",
    "attorneys_see_all_org_cases",
)
#: Everything a fund administrator may change about an organization, in the form's order.
ORGANIZATION_ADMIN_FIELDS: tuple[str, ...] = (
    "name",
    "slug",
    *ORGANIZATION_PROVIDER_FIELDS,
    "is_active",
)


#: The routing fields of an :class:`AttorneyProfile` that its form shows and its services change,
#: in the form's order.
ATTORNEY_PROFILE_FIELDS = (
    "kind",
    "eoir_id",
    "bar_number",
    "languages",
    "practice_areas",
    "capacity",
    "accepting_new_cases",
)


class AttorneyProfile(models.Model):
    """What routing needs to know about a lawyer: languages, practice areas, room left."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attorney_profile"
    )
    organization = models.ForeignKey(
        ProviderOrganization, on_delete=models.CASCADE, related_name="attorneys"
    )
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=RepresentativeKind.choices,
        default=RepresentativeKind.ATTORNEY,
    )
    eoir_id = models.CharField(_("EOIR ID"), max_length=20, blank=True)
    bar_number = models.CharField(_("bar number"), max_length=40, blank=True)
    languages = models.JSONField(_("languages"), default=list)
    practice_areas = models.JSONField(_("practice areas"), default=list)
    capacity = models.PositiveIntegerField(
        _("maximum active cases"), default=25, validators=[MinValueValidator(0)]
    )
    accepting_new_cases = models.BooleanField(_("accepting new cases"), default=True)

    class Meta:
        verbose_name = _("attorney profile")
        verbose_name_plural = _("attorney profiles")

    def __str__(self) -> str:
        return str(self.user)

    def clean(self) -> None:
        errors = {}
        if any(code not in LANGUAGES for code in self.languages):
            errors["languages"] = _("Choose languages from the list.")
        if any(a not in PracticeArea.values for a in self.practice_areas):
            errors["practice_areas"] = _("Choose practice areas from the list.")
        if not self.eoir_id and not self.bar_number:
            errors["eoir_id"] = _("Enter an EOIR ID or a bar number.")
        if errors:
            raise ValidationError(errors)

    @property
    def language_names(self) -> list[str]:
        return [language_name(c) for c in self.languages]

    @property
    def practice_area_labels(self) -> list[str]:
        labels = dict(PracticeArea.choices)
        return [str(labels.get(a, a)) for a in self.practice_areas]
