"""Outcomes: docs/outcomes.md's taxonomy, which outcomes fit which case type, and ONE table to EOIR.

Five families, as docs/outcomes.md lists them:

- **custody** (bond and custody matters): released, or kept in detention;
- **completions** of proceedings before the immigration court: relief granted (with the relief:
  asylum, cancellation, adjustment, SIJS, other), protection with a removal order (withholding
  of removal or CAT: never counted as relief), termination or dismissal, voluntary departure,
  removal order (in absentia or not), withdrawn; for credible and reasonable fear reviews, the
  judge either vacates the negative finding or affirms it;
- **not completions**: administrative closure and transfer / change of venue are recorded, but
  the case stays open;
- **appeals** (the Board of Immigration Appeals: sustained, dismissed, remanded) and **federal
  court** (petition for review granted, denied, remanded): each starts only the deadlines it
  really starts (``amparo.deadlines.services.outcome_rules``);
- **affirmative** results (DACA, TPS, U visa, ... before USCIS): approved, denied, withdrawn,
  pending.

Every kind falls in exactly one reporting category (``CATEGORY_OF``); the published figures
group cases by it.

We store our own values. ``EOIR_CODES`` is the one place that maps them, keyed by case type, to
EOIR's case-type and decision codes, so that reports can be set beside EOIR's public data.

Where the codes come from, and how sure we are: the letters below are the decision codes as
they appear in EOIR's public case data (the FOIA release's lookup tables ``tblDecCode`` and
``tblLookupCaseType``), as we understand them from secondary descriptions of that data. None has
been checked against the lookup tables themselves, so every entry is ``confirmed=False`` and
reports must say so. Where we could not name a code at all (bond decisions live in a separate
EOIR table; affirmative matters are not EOIR's), the code is ``None``: a report counts those
by our own taxonomy only. Never fill in a guess: confirm against the lookup tables first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .choices import AFFIRMATIVE_TYPES, CaseType, Relief


class OutcomeFamily(models.TextChoices):
    CUSTODY = "custody", _("Custody")
    COMPLETION = "completion", _("Completion")
    NOT_COMPLETION = "not_completion", _("Recorded; the case stays open")
    APPEAL = "appeal", _("Board of Immigration Appeals")
    FEDERAL_COURT = "federal_court", _("Federal court")
    AFFIRMATIVE = "affirmative", _("Affirmative result")


class OutcomeKind(models.TextChoices):
    # custody
    RELEASED = "released", _("Released (bond, parole or other release)")
    KEPT_DETAINED = "kept_detained", _("Kept in detention (bond denied or not set)")
    # completions
    RELIEF_GRANTED = "relief_granted", _("Relief granted")
    PROTECTION_GRANTED = (
        "protection_granted",
        _("Protection with a removal order (withholding of removal or CAT)"),
    )
    TERMINATED = "terminated", _("Terminated or dismissed")
    ADMIN_CLOSED = "admin_closed", _("Administratively closed")
    VOLUNTARY_DEPARTURE = "voluntary_departure", _("Voluntary departure")
    REMOVAL_ORDER = "removal_order", _("Removal order")
    TRANSFER = "transfer", _("Transfer or change of venue")
    WITHDRAWN = "withdrawn", pgettext_lazy("case outcome", "Withdrawn")
    FEAR_FOUND = "fear_found", _("Negative fear finding vacated")
    FEAR_AFFIRMED = "fear_affirmed", _("Negative fear finding affirmed")
    # the Board of Immigration Appeals
    BIA_SUSTAINED = "bia_sustained", _("Appeal sustained (BIA)")
    BIA_DISMISSED = "bia_dismissed", _("Appeal dismissed (BIA)")
    BIA_REMANDED = "bia_remanded", _("Remanded to the immigration judge (BIA)")
    # a federal court of appeals
    PFR_GRANTED = "pfr_granted", _("Petition for review granted")
    PFR_DENIED = "pfr_denied", _("Petition for review denied")
    PFR_REMANDED = "pfr_remanded", _("Remanded to the BIA (federal court)")
    # affirmative
    APPROVED = "approved", _("Approved")
    DENIED = "denied", _("Denied")
    APPLICATION_WITHDRAWN = "application_withdrawn", _("Application withdrawn")
    PENDING = "pending", _("Pending")


class ReliefGranted(models.TextChoices):
    """What was granted, when the outcome is ``relief_granted`` (docs/outcomes.md's list): a subset of
    the relief a case may seek, with the same values and labels. Withholding of removal and CAT
    are not here: they are protection with a removal order (``ProtectionGranted``)."""

    ASYLUM = Relief.ASYLUM.value, Relief.ASYLUM.label
    CANCELLATION = Relief.CANCELLATION.value, Relief.CANCELLATION.label
    ADJUSTMENT = Relief.ADJUSTMENT.value, Relief.ADJUSTMENT.label
    SIJS = Relief.SIJS.value, Relief.SIJS.label
    OTHER = Relief.OTHER.value, Relief.OTHER.label


class ProtectionGranted(models.TextChoices):
    """What was granted, when the outcome is ``protection_granted``: protection that comes with
    an order of removal (withholding of removal, INA 241(b)(3); CAT withholding or deferral,
    8 CFR 1208.16-1208.17). Reported apart, never as relief."""

    WITHHOLDING = Relief.WITHHOLDING.value, Relief.WITHHOLDING.label
    CAT = Relief.CAT.value, Relief.CAT.label


#: Every value the outcome's ``relief`` field may hold (relief, then protection).
GRANTED_CHOICES: list[tuple[str, Any]] = [*ReliefGranted.choices, *ProtectionGranted.choices]


class OutcomeCategory(models.TextChoices):
    """The reporting categories: every outcome kind falls in exactly one (``CATEGORY_OF``)."""

    RELIEF = "relief", _("Relief granted")
    PROTECTION = "protection", _("Protection, with a removal order")
    TERMINATED = "terminated", _("Terminated or dismissed")
    REMOVAL = "removal", _("Removal or denial")
    OTHER = "other", _("Other completion")
    OPEN = "open", _("Not a completion: the case stays open")
    APPEAL = "appeal", _("Appellate decision")
    CUSTODY = "custody", _("Custody decision")


class DecidedBy(models.TextChoices):
    IJ = "ij", _("Immigration judge")
    BIA = "bia", _("Board of Immigration Appeals")
    USCIS = "uscis", _("USCIS")
    FEDERAL_COURT = "federal_court", _("Federal court")


FAMILY_OF: dict[str, str] = {
    OutcomeKind.RELEASED: OutcomeFamily.CUSTODY,
    OutcomeKind.KEPT_DETAINED: OutcomeFamily.CUSTODY,
    OutcomeKind.RELIEF_GRANTED: OutcomeFamily.COMPLETION,
    OutcomeKind.PROTECTION_GRANTED: OutcomeFamily.COMPLETION,
    OutcomeKind.TERMINATED: OutcomeFamily.COMPLETION,
    OutcomeKind.ADMIN_CLOSED: OutcomeFamily.NOT_COMPLETION,
    OutcomeKind.VOLUNTARY_DEPARTURE: OutcomeFamily.COMPLETION,
    OutcomeKind.REMOVAL_ORDER: OutcomeFamily.COMPLETION,
    OutcomeKind.TRANSFER: OutcomeFamily.NOT_COMPLETION,
    OutcomeKind.WITHDRAWN: OutcomeFamily.COMPLETION,
    OutcomeKind.FEAR_FOUND: OutcomeFamily.COMPLETION,
    OutcomeKind.FEAR_AFFIRMED: OutcomeFamily.COMPLETION,
    OutcomeKind.BIA_SUSTAINED: OutcomeFamily.APPEAL,
    OutcomeKind.BIA_DISMISSED: OutcomeFamily.APPEAL,
    OutcomeKind.BIA_REMANDED: OutcomeFamily.APPEAL,
    OutcomeKind.PFR_GRANTED: OutcomeFamily.FEDERAL_COURT,
    OutcomeKind.PFR_DENIED: OutcomeFamily.FEDERAL_COURT,
    OutcomeKind.PFR_REMANDED: OutcomeFamily.FEDERAL_COURT,
    OutcomeKind.APPROVED: OutcomeFamily.AFFIRMATIVE,
    OutcomeKind.DENIED: OutcomeFamily.AFFIRMATIVE,
    OutcomeKind.APPLICATION_WITHDRAWN: OutcomeFamily.AFFIRMATIVE,
    OutcomeKind.PENDING: OutcomeFamily.AFFIRMATIVE,
}

#: The reporting category of every outcome kind (exactly one each). Appellate decisions do not
#: change what a case counts as by themselves: the latest decision on the merits does (a
#: sustained appeal that states the relief or protection it results in counts as that).
CATEGORY_OF: dict[str, str] = {
    OutcomeKind.RELEASED: OutcomeCategory.CUSTODY,
    OutcomeKind.KEPT_DETAINED: OutcomeCategory.CUSTODY,
    OutcomeKind.RELIEF_GRANTED: OutcomeCategory.RELIEF,
    OutcomeKind.APPROVED: OutcomeCategory.RELIEF,
    OutcomeKind.PROTECTION_GRANTED: OutcomeCategory.PROTECTION,
    OutcomeKind.TERMINATED: OutcomeCategory.TERMINATED,
    OutcomeKind.REMOVAL_ORDER: OutcomeCategory.REMOVAL,
    OutcomeKind.VOLUNTARY_DEPARTURE: OutcomeCategory.REMOVAL,
    OutcomeKind.DENIED: OutcomeCategory.REMOVAL,
    OutcomeKind.WITHDRAWN: OutcomeCategory.OTHER,
    OutcomeKind.FEAR_FOUND: OutcomeCategory.OTHER,
    OutcomeKind.FEAR_AFFIRMED: OutcomeCategory.OTHER,
    OutcomeKind.APPLICATION_WITHDRAWN: OutcomeCategory.OTHER,
    OutcomeKind.ADMIN_CLOSED: OutcomeCategory.OPEN,
    OutcomeKind.TRANSFER: OutcomeCategory.OPEN,
    OutcomeKind.PENDING: OutcomeCategory.OPEN,
    OutcomeKind.BIA_SUSTAINED: OutcomeCategory.APPEAL,
    OutcomeKind.BIA_DISMISSED: OutcomeCategory.APPEAL,
    OutcomeKind.BIA_REMANDED: OutcomeCategory.APPEAL,
    OutcomeKind.PFR_GRANTED: OutcomeCategory.APPEAL,
    OutcomeKind.PFR_DENIED: OutcomeCategory.APPEAL,
    OutcomeKind.PFR_REMANDED: OutcomeCategory.APPEAL,
}

#: Categories that complete a case (the published outcome table's columns, in order).
COMPLETION_CATEGORIES: tuple[str, ...] = (
    OutcomeCategory.RELIEF,
    OutcomeCategory.PROTECTION,
    OutcomeCategory.TERMINATED,
    OutcomeCategory.REMOVAL,
    OutcomeCategory.OTHER,
)
#: Kinds that decide the merits: a case counts under the latest of them.
MERITS_KINDS: tuple[str, ...] = tuple(
    kind for kind, category in CATEGORY_OF.items() if category in COMPLETION_CATEGORIES
)
#: Custody decisions (a bond or custody hearing's result).
CUSTODY_KINDS: tuple[str, ...] = (OutcomeKind.RELEASED, OutcomeKind.KEPT_DETAINED)
#: The latest outcome first: what "latest" means everywhere. The later decision date wins; on
#: the same day, the one recorded later; at the same instant, the one recorded last.
LATEST_FIRST: tuple[str, ...] = ("-decision_date", "-recorded_at", "-pk")
#: Decisions of the Board and of the federal courts.
APPELLATE_KINDS: tuple[str, ...] = tuple(
    kind for kind, category in CATEGORY_OF.items() if category == OutcomeCategory.APPEAL
)
#: Who decides each appellate kind.
APPELLATE_DECIDER: dict[str, str] = {
    OutcomeKind.BIA_SUSTAINED: "bia",
    OutcomeKind.BIA_DISMISSED: "bia",
    OutcomeKind.BIA_REMANDED: "bia",
    OutcomeKind.PFR_GRANTED: "federal_court",
    OutcomeKind.PFR_DENIED: "federal_court",
    OutcomeKind.PFR_REMANDED: "federal_court",
}
#: Kinds that may (protection_granted, relief_granted: must) say what was granted.
GRANTS: dict[str, tuple[str, ...]] = {
    OutcomeKind.RELIEF_GRANTED: tuple(ReliefGranted.values),
    OutcomeKind.PROTECTION_GRANTED: tuple(ProtectionGranted.values),
    OutcomeKind.BIA_SUSTAINED: (*ReliefGranted.values, *ProtectionGranted.values),
}


def category_of(kind: str, relief: str = "") -> str:
    """The reporting category of one recorded outcome. Withholding and CAT are protection,
    whatever the kind says (an old row of ``relief_granted`` with withholding included); a
    sustained appeal that states its result counts as that result."""
    if relief in ProtectionGranted.values and (
        kind in GRANTS or CATEGORY_OF.get(kind) == OutcomeCategory.RELIEF
    ):
        return OutcomeCategory.PROTECTION
    if relief in ReliefGranted.values and kind in GRANTS:
        return OutcomeCategory.RELIEF
    return CATEGORY_OF.get(kind, OutcomeCategory.OTHER)


_REMOVAL_LIKE = (
    OutcomeKind.RELIEF_GRANTED,
    OutcomeKind.PROTECTION_GRANTED,
    OutcomeKind.TERMINATED,
    OutcomeKind.ADMIN_CLOSED,
    OutcomeKind.VOLUNTARY_DEPARTURE,
    OutcomeKind.REMOVAL_ORDER,
    OutcomeKind.TRANSFER,
    OutcomeKind.WITHDRAWN,
)
_APPEALS = (
    OutcomeKind.BIA_SUSTAINED,
    OutcomeKind.BIA_DISMISSED,
    OutcomeKind.BIA_REMANDED,
    OutcomeKind.PFR_GRANTED,
    OutcomeKind.PFR_DENIED,
    OutcomeKind.PFR_REMANDED,
)
_FEAR = (OutcomeKind.FEAR_FOUND, OutcomeKind.FEAR_AFFIRMED)
_AFFIRMATIVE = (
    OutcomeKind.APPROVED,
    OutcomeKind.DENIED,
    OutcomeKind.APPLICATION_WITHDRAWN,
    OutcomeKind.PENDING,
)

#: The outcomes that make sense for each case type.
OUTCOMES_BY_CASE_TYPE: dict[str, tuple[str, ...]] = {
    CaseType.REMOVAL: (*_REMOVAL_LIKE, *_APPEALS),
    CaseType.ASYLUM_ONLY: (
        OutcomeKind.RELIEF_GRANTED,
        OutcomeKind.PROTECTION_GRANTED,
        OutcomeKind.REMOVAL_ORDER,
        OutcomeKind.TERMINATED,
        OutcomeKind.WITHDRAWN,
        *_APPEALS,
    ),
    # Withholding-only proceedings can grant only protection (8 CFR 1208.2(c)(3)(i)).
    CaseType.WITHHOLDING_ONLY: (
        OutcomeKind.PROTECTION_GRANTED,
        OutcomeKind.REMOVAL_ORDER,
        OutcomeKind.TERMINATED,
        OutcomeKind.WITHDRAWN,
        *_APPEALS,
    ),
    CaseType.BOND: (OutcomeKind.RELEASED, OutcomeKind.KEPT_DETAINED, OutcomeKind.WITHDRAWN),
    CaseType.CREDIBLE_FEAR_REVIEW: _FEAR,
    CaseType.REASONABLE_FEAR_REVIEW: _FEAR,
    **dict.fromkeys(AFFIRMATIVE_TYPES, _AFFIRMATIVE),
}

#: Outcomes that are not final: recording one leaves the case where it is, and a case cannot be
#: closed on one. Administrative closure and change of venue keep the case open; a remand sends
#: it back to the judge (BIA) or to the Board (federal court), as does a granted petition.
NOT_FINAL: frozenset[str] = frozenset(
    {
        OutcomeKind.PENDING,
        OutcomeKind.ADMIN_CLOSED,
        OutcomeKind.TRANSFER,
        OutcomeKind.BIA_REMANDED,
        OutcomeKind.PFR_GRANTED,
        OutcomeKind.PFR_REMANDED,
    }
)

#: Immigration judges' decisions that are final orders: they start the appeal and motion clocks.
IJ_FINAL_ORDERS: frozenset[str] = frozenset(
    {
        OutcomeKind.RELIEF_GRANTED,
        OutcomeKind.PROTECTION_GRANTED,
        OutcomeKind.TERMINATED,
        OutcomeKind.VOLUNTARY_DEPARTURE,
        OutcomeKind.REMOVAL_ORDER,
    }
)


@dataclass(frozen=True)
class EoirCode:
    """EOIR's case-type code and decision code for one of our outcomes (None: none known)."""

    case_type: str | None
    decision: str | None
    confirmed: bool = False


_RMV, _AOC, _WHO, _CFR, _RFR = "RMV", "AOC", "WHO", "CFR", "RFR"

#: THE table: (our case type, our outcome) -> EOIR's codes. Read the module docstring first.
EOIR_CODES: dict[tuple[str, str], EoirCode] = {
    # Removal proceedings
    (CaseType.REMOVAL, OutcomeKind.REMOVAL_ORDER): EoirCode(_RMV, "X"),
    (CaseType.REMOVAL, OutcomeKind.VOLUNTARY_DEPARTURE): EoirCode(_RMV, "V"),
    (CaseType.REMOVAL, OutcomeKind.TERMINATED): EoirCode(_RMV, "T"),
    (CaseType.REMOVAL, OutcomeKind.RELIEF_GRANTED): EoirCode(_RMV, "R"),
    # EOIR's completion codes do not tell withholding or CAT apart from a removal order (the
    # grant is in the application records): no decision code until that table is checked.
    (CaseType.REMOVAL, OutcomeKind.PROTECTION_GRANTED): EoirCode(_RMV, None),
    (CaseType.REMOVAL, OutcomeKind.WITHDRAWN): EoirCode(_RMV, "W"),
    (CaseType.REMOVAL, OutcomeKind.ADMIN_CLOSED): EoirCode(_RMV, None),
    (CaseType.REMOVAL, OutcomeKind.TRANSFER): EoirCode(_RMV, None),
    # Asylum-only and withholding-only proceedings
    (CaseType.ASYLUM_ONLY, OutcomeKind.RELIEF_GRANTED): EoirCode(_AOC, "R"),
    (CaseType.ASYLUM_ONLY, OutcomeKind.PROTECTION_GRANTED): EoirCode(_AOC, None),
    (CaseType.ASYLUM_ONLY, OutcomeKind.REMOVAL_ORDER): EoirCode(_AOC, "X"),
    (CaseType.ASYLUM_ONLY, OutcomeKind.TERMINATED): EoirCode(_AOC, "T"),
    (CaseType.ASYLUM_ONLY, OutcomeKind.WITHDRAWN): EoirCode(_AOC, "W"),
    (CaseType.WITHHOLDING_ONLY, OutcomeKind.PROTECTION_GRANTED): EoirCode(_WHO, "R"),
    (CaseType.WITHHOLDING_ONLY, OutcomeKind.REMOVAL_ORDER): EoirCode(_WHO, "X"),
    (CaseType.WITHHOLDING_ONLY, OutcomeKind.TERMINATED): EoirCode(_WHO, "T"),
    (CaseType.WITHHOLDING_ONLY, OutcomeKind.WITHDRAWN): EoirCode(_WHO, "W"),
    # Fear reviews: the judge vacates or affirms the asylum officer's negative finding
    (CaseType.CREDIBLE_FEAR_REVIEW, OutcomeKind.FEAR_FOUND): EoirCode(_CFR, None),
    (CaseType.CREDIBLE_FEAR_REVIEW, OutcomeKind.FEAR_AFFIRMED): EoirCode(_CFR, None),
    (CaseType.REASONABLE_FEAR_REVIEW, OutcomeKind.FEAR_FOUND): EoirCode(_RFR, None),
    (CaseType.REASONABLE_FEAR_REVIEW, OutcomeKind.FEAR_AFFIRMED): EoirCode(_RFR, None),
    # Bond: EOIR keeps custody decisions in a table of their own; no code mapped yet.
    (CaseType.BOND, OutcomeKind.RELEASED): EoirCode(None, None),
    (CaseType.BOND, OutcomeKind.KEPT_DETAINED): EoirCode(None, None),
    (CaseType.BOND, OutcomeKind.WITHDRAWN): EoirCode(None, None),
    # Appellate decisions (the Board's own data, the federal courts' dockets) have no code here.
}


def eoir_code(case_type: str, outcome: str) -> EoirCode:
    """EOIR's codes for ``outcome`` in a case of ``case_type``; affirmative matters have none."""
    if case_type in AFFIRMATIVE_TYPES:
        return EoirCode(None, None)
    return EOIR_CODES.get((case_type, outcome), EoirCode(None, None))


def outcome_allowed(case_type: str, outcome: str) -> bool:
    return outcome in OUTCOMES_BY_CASE_TYPE.get(case_type, ())


def outcome_choices(case_type: str) -> list[tuple[str, str]]:
    labels = dict(OutcomeKind.choices)
    return [(value, str(labels[value])) for value in OUTCOMES_BY_CASE_TYPE.get(case_type, ())]
