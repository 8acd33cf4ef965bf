"""Outcomes: docs/outcomes.md's taxonomy, which outcomes fit which case type, and ONE table to EOIR.

Three families, as docs/outcomes.md lists them:

- **custody** (bond and custody matters): released, or kept in detention;
- **completions** of proceedings before the immigration court: relief granted (with the relief:
  asylum, withholding, CAT, cancellation, adjustment, SIJS, other), termination or dismissal,
  administrative closure, voluntary departure, removal order (in absentia or not),
  transfer / change of venue, withdrawn; for credible and reasonable fear reviews, the judge
  either vacates the negative finding or affirms it;
- **affirmative** results (DACA, TPS, U visa, ... before USCIS): approved, denied, withdrawn,
  pending.

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

from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import AFFIRMATIVE_TYPES, CaseType, Relief


class OutcomeFamily(models.TextChoices):
    CUSTODY = "custody", _("Custody")
    COMPLETION = "completion", _("Completion")
    AFFIRMATIVE = "affirmative", _("Affirmative result")


class OutcomeKind(models.TextChoices):
    # custody
    RELEASED = "released", _("Released (bond, parole or other release)")
    KEPT_DETAINED = "kept_detained", _("Kept in detention (bond denied or not set)")
    # completions
    RELIEF_GRANTED = "relief_granted", _("Relief granted")
    TERMINATED = "terminated", _("Terminated or dismissed")
    ADMIN_CLOSED = "admin_closed", _("Administratively closed")
    VOLUNTARY_DEPARTURE = "voluntary_departure", _("Voluntary departure")
    REMOVAL_ORDER = "removal_order", _("Removal order")
    TRANSFER = "transfer", _("Transfer or change of venue")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    FEAR_FOUND = "fear_found", _("Negative fear finding vacated")
    FEAR_AFFIRMED = "fear_affirmed", _("Negative fear finding affirmed")
    # affirmative
    APPROVED = "approved", _("Approved")
    DENIED = "denied", _("Denied")
    APPLICATION_WITHDRAWN = "application_withdrawn", _("Application withdrawn")
    PENDING = "pending", _("Pending")


class ReliefGranted(models.TextChoices):
    """What was granted, when the outcome is ``relief_granted`` (docs/outcomes.md's list): a subset of
    the relief a case may seek, with the same values and labels."""

    ASYLUM = Relief.ASYLUM.value, Relief.ASYLUM.label
    WITHHOLDING = Relief.WITHHOLDING.value, Relief.WITHHOLDING.label
    CAT = Relief.CAT.value, Relief.CAT.label
    CANCELLATION = Relief.CANCELLATION.value, Relief.CANCELLATION.label
    ADJUSTMENT = Relief.ADJUSTMENT.value, Relief.ADJUSTMENT.label
    SIJS = Relief.SIJS.value, Relief.SIJS.label
    OTHER = Relief.OTHER.value, Relief.OTHER.label


class DecidedBy(models.TextChoices):
    IJ = "ij", _("Immigration judge")
    BIA = "bia", _("Board of Immigration Appeals")
    USCIS = "uscis", _("USCIS")
    FEDERAL_COURT = "federal_court", _("Federal court")


FAMILY_OF: dict[str, str] = {
    OutcomeKind.RELEASED: OutcomeFamily.CUSTODY,
    OutcomeKind.KEPT_DETAINED: OutcomeFamily.CUSTODY,
    OutcomeKind.RELIEF_GRANTED: OutcomeFamily.COMPLETION,
    OutcomeKind.TERMINATED: OutcomeFamily.COMPLETION,
    OutcomeKind.ADMIN_CLOSED: OutcomeFamily.COMPLETION,
    OutcomeKind.VOLUNTARY_DEPARTURE: OutcomeFamily.COMPLETION,
    OutcomeKind.REMOVAL_ORDER: OutcomeFamily.COMPLETION,
    OutcomeKind.TRANSFER: OutcomeFamily.COMPLETION,
    OutcomeKind.WITHDRAWN: OutcomeFamily.COMPLETION,
    OutcomeKind.FEAR_FOUND: OutcomeFamily.COMPLETION,
    OutcomeKind.FEAR_AFFIRMED: OutcomeFamily.COMPLETION,
    OutcomeKind.APPROVED: OutcomeFamily.AFFIRMATIVE,
    OutcomeKind.DENIED: OutcomeFamily.AFFIRMATIVE,
    OutcomeKind.APPLICATION_WITHDRAWN: OutcomeFamily.AFFIRMATIVE,
    OutcomeKind.PENDING: OutcomeFamily.AFFIRMATIVE,
}

_REMOVAL_LIKE = (
    OutcomeKind.RELIEF_GRANTED,
    OutcomeKind.TERMINATED,
    OutcomeKind.ADMIN_CLOSED,
    OutcomeKind.VOLUNTARY_DEPARTURE,
    OutcomeKind.REMOVAL_ORDER,
    OutcomeKind.TRANSFER,
    OutcomeKind.WITHDRAWN,
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
    CaseType.REMOVAL: _REMOVAL_LIKE,
    CaseType.ASYLUM_ONLY: (
        OutcomeKind.RELIEF_GRANTED,
        OutcomeKind.REMOVAL_ORDER,
        OutcomeKind.TERMINATED,
        OutcomeKind.WITHDRAWN,
    ),
    CaseType.WITHHOLDING_ONLY: (
        OutcomeKind.RELIEF_GRANTED,
        OutcomeKind.REMOVAL_ORDER,
        OutcomeKind.TERMINATED,
        OutcomeKind.WITHDRAWN,
    ),
    CaseType.BOND: (OutcomeKind.RELEASED, OutcomeKind.KEPT_DETAINED, OutcomeKind.WITHDRAWN),
    CaseType.CREDIBLE_FEAR_REVIEW: _FEAR,
    CaseType.REASONABLE_FEAR_REVIEW: _FEAR,
    **dict.fromkeys(AFFIRMATIVE_TYPES, _AFFIRMATIVE),
}

#: Outcomes that are not final: a case cannot be closed on them.
NOT_FINAL: frozenset[str] = frozenset({OutcomeKind.PENDING})

#: Immigration judges' decisions that are final orders: they start the appeal and motion clocks.
IJ_FINAL_ORDERS: frozenset[str] = frozenset(
    {
        OutcomeKind.RELIEF_GRANTED,
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
    (CaseType.REMOVAL, OutcomeKind.WITHDRAWN): EoirCode(_RMV, "W"),
    (CaseType.REMOVAL, OutcomeKind.ADMIN_CLOSED): EoirCode(_RMV, None),
    (CaseType.REMOVAL, OutcomeKind.TRANSFER): EoirCode(_RMV, None),
    # Asylum-only and withholding-only proceedings
    (CaseType.ASYLUM_ONLY, OutcomeKind.RELIEF_GRANTED): EoirCode(_AOC, "R"),
    (CaseType.ASYLUM_ONLY, OutcomeKind.REMOVAL_ORDER): EoirCode(_AOC, "X"),
    (CaseType.ASYLUM_ONLY, OutcomeKind.TERMINATED): EoirCode(_AOC, "T"),
    (CaseType.ASYLUM_ONLY, OutcomeKind.WITHDRAWN): EoirCode(_AOC, "W"),
    (CaseType.WITHHOLDING_ONLY, OutcomeKind.RELIEF_GRANTED): EoirCode(_WHO, "R"),
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
