"""The words of a case: case types, stages, relief, hearings and events.

Values are stable identifiers (stored, exported, used by the API); labels are translated.
The outcome taxonomy and its mapping to EOIR's codes live in ``outcomes.py``; custody, which
intake shares, in ``amparo.core.terms``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Custody is shared with intake: defined in core, importable from here for the cases app.
from amparo.core.terms import Custody as Custody


class CaseType(models.TextChoices):
    # Before the immigration court (EOIR)
    REMOVAL = "removal", _("Removal proceedings")
    BOND = "bond", _("Bond (custody redetermination)")
    CREDIBLE_FEAR_REVIEW = "credible_fear_review", _("Credible fear review")
    REASONABLE_FEAR_REVIEW = "reasonable_fear_review", _("Reasonable fear review")
    ASYLUM_ONLY = "asylum_only", _("Asylum-only proceedings")
    WITHHOLDING_ONLY = "withholding_only", _("Withholding-only proceedings")
    # Affirmative matters (USCIS)
    AFFIRMATIVE_ASYLUM = "affirmative_asylum", _("Affirmative asylum")
    DACA = "daca", _("DACA")
    TPS = "tps", _("TPS")
    U_VISA = "u_visa", _("U visa")
    T_VISA = "t_visa", _("T visa")
    VAWA = "vawa", _("VAWA self-petition")
    SIJS = "sijs", _("Special Immigrant Juvenile Status")
    ADJUSTMENT = "adjustment", _("Adjustment of status")
    NATURALIZATION = "naturalization", _("Naturalization")
    FAMILY_PETITION = "family_petition", _("Family petition")


#: Matters decided by USCIS, not by an immigration judge: no EOIR deadlines apply.
AFFIRMATIVE_TYPES: frozenset[str] = frozenset(
    {
        CaseType.AFFIRMATIVE_ASYLUM,
        CaseType.DACA,
        CaseType.TPS,
        CaseType.U_VISA,
        CaseType.T_VISA,
        CaseType.VAWA,
        CaseType.SIJS,
        CaseType.ADJUSTMENT,
        CaseType.NATURALIZATION,
        CaseType.FAMILY_PETITION,
    }
)


class Stage(models.TextChoices):
    """Where the work stands (free to move; the lifecycle is ``CaseStatus``)."""

    INTAKE = "intake", _("Intake and fact-finding")
    MASTER_CALENDAR = "master_calendar", _("Master calendar hearings")
    BOND = "bond", _("Bond proceedings")
    PREPARING = "preparing", _("Preparing applications and evidence")
    INDIVIDUAL_HEARING = "individual_hearing", _("Individual (merits) hearing")
    FILED = "filed", _("Filed with USCIS, waiting")
    INTERVIEW = "interview", _("Interview")
    POST_DECISION = "post_decision", _("After the decision")
    BIA_APPEAL = "bia_appeal", _("Appeal to the BIA")
    FEDERAL_COURT = "federal_court", _("Federal court of appeals")


class Relief(models.TextChoices):
    """Relief a person may seek (a case can seek several)."""

    ASYLUM = "asylum", _("Asylum")
    WITHHOLDING = "withholding", _("Withholding of removal")
    CAT = "cat", _("Protection under the Convention Against Torture")
    CANCELLATION = "cancellation", _("Cancellation of removal")
    ADJUSTMENT = "adjustment", _("Adjustment of status")
    SIJS = "sijs", _("Special Immigrant Juvenile Status")
    VOLUNTARY_DEPARTURE = "voluntary_departure", _("Voluntary departure")
    BOND = "bond", _("Release on bond")
    TERMINATION = "termination", _("Termination of proceedings")
    U_VISA = "u_visa", _("U visa")
    T_VISA = "t_visa", _("T visa")
    VAWA = "vawa", _("VAWA")
    TPS = "tps", _("TPS")
    DACA = "daca", _("DACA")
    OTHER = "other", _("Other relief")


class CaseStatus(models.TextChoices):
    """The lifecycle (see ``workflow.py`` for the transitions)."""

    OPEN = "open", _("Open")
    ACTIVE = "active", _("Active")
    DECIDED = "decided", pgettext_lazy("case", "Decided")
    APPEAL = "appeal", _("On appeal")
    CLOSED = "closed", pgettext_lazy("case", "Closed")


class HearingKind(models.TextChoices):
    MASTER = "master", _("Master calendar hearing")
    INDIVIDUAL = "individual", _("Individual (merits) hearing")
    BOND = "bond", _("Bond hearing")


class HearingMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIDEO = "video", _("By video")


class HearingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    VACATED = "vacated", _("Cancelled or adjourned")


class EventKind(models.TextChoices):
    # Written by the services themselves
    OPENED = "opened", _("Case opened")
    STATUS = "status", _("Status changed")
    HEARING = "hearing", _("Hearing scheduled or changed")
    DECISION = "decision", _("Decision recorded")
    DOCUMENT = "document", _("Document added")
    TEAM = "team", _("Team changed")
    CUSTODY = "custody", _("Custody changed")
    DEADLINE = "deadline", _("Deadline overridden")
    # Entered by people; some start a deadline's clock
    LAST_ARRIVAL = "last_arrival", _("Last arrival in the United States")
    CHANGE_OF_ADDRESS = "change_of_address", _("Change of address")
    FILING_RECEIVED = "filing_received", _("Filing received from the other side")
    BRIEFING_NOTICE = "briefing_notice", _("BIA briefing notice")
    APPEAL_FILED = "appeal_filed", _("Appeal filed")
    VD_GRANTED = "vd_granted", _("Voluntary departure granted")
    VD_ENDED = "vd_ended", _("Voluntary departure ended")
    BOND_ORDERED = "bond_ordered", _("Bond ordered by the judge")
    # 8 CFR 1003.42(e) counts the judge's 7 days from the supervisory asylum officer's
    # approval of the negative finding, not from the referral reaching the court: the event
    # says which date to enter.
    CF_REVIEW_REFERRAL = (
        "cf_review_referral",
        _("Negative credible fear finding approved by the supervisor (review requested)"),
    )
    RF_REVIEW_REFERRAL = "rf_review_referral", _("Referred for reasonable fear review")
    U_CERT_SIGNED = "u_cert_signed", _("Certifier signed Supplement B")
    CA_JUDGMENT = "ca_judgment", _("Court of appeals judgment")
    FILING = "filing", _("Filing made")
    CONTACT = "contact", _("Contact with the client")
    OTHER = "other", pgettext_lazy("a kind of event or document", "Other")


#: Event kinds a person may add by hand (the others are written by the services).
MANUAL_EVENT_KINDS: tuple[str, ...] = (
    EventKind.LAST_ARRIVAL,
    EventKind.CHANGE_OF_ADDRESS,
    EventKind.FILING_RECEIVED,
    EventKind.BRIEFING_NOTICE,
    EventKind.APPEAL_FILED,
    EventKind.VD_GRANTED,
    EventKind.VD_ENDED,
    EventKind.BOND_ORDERED,
    EventKind.CF_REVIEW_REFERRAL,
    EventKind.RF_REVIEW_REFERRAL,
    EventKind.U_CERT_SIGNED,
    EventKind.CA_JUDGMENT,
    EventKind.FILING,
    EventKind.CONTACT,
    EventKind.OTHER,
)

#: Event kinds that start a deadline's clock: kind -> the rule ids they trigger. Some only
#: under a condition the deadline services check: ``vd-bond`` for a grant at the conclusion of
#: proceedings, ``vd-bond-proof-bia`` for an appeal filed while voluntary departure is in force.
#: The end of voluntary departure starts no clock but removes the warnings its grant added.
TRIGGER_EVENTS: dict[str, tuple[str, ...]] = {
    EventKind.LAST_ARRIVAL: ("asylum-one-year",),
    EventKind.CHANGE_OF_ADDRESS: ("change-of-address", "ar-11"),
    EventKind.FILING_RECEIVED: ("filing-response",),
    EventKind.BRIEFING_NOTICE: ("bia-brief-appellant", "bia-brief-appellee"),
    EventKind.VD_GRANTED: ("vd-bond", "vd-depart"),
    EventKind.VD_ENDED: (),
    EventKind.APPEAL_FILED: ("vd-bond-proof-bia",),
    EventKind.BOND_ORDERED: ("bond-stay-notice", "bond-stay-appeal"),
    EventKind.CF_REVIEW_REFERRAL: ("credible-fear-review",),
    EventKind.RF_REVIEW_REFERRAL: ("reasonable-fear-review",),
    EventKind.U_CERT_SIGNED: ("u-cert-expiry",),
    EventKind.CA_JUDGMENT: ("pfr-rehearing", "cert-petition"),
}


class VoluntaryDepartureStage(models.TextChoices):
    """When the judge granted voluntary departure (the engine's ``vd_stage`` values)."""

    PRE_CONCLUSION = "pre-conclusion", _("Before the conclusion of proceedings (up to 120 days)")
    CONCLUSION = "conclusion", _("At the conclusion of proceedings (up to 60 days)")


class TeamRole(models.TextChoices):
    LEAD = "lead", _("Lead attorney")
    ATTORNEY = "attorney", _("Attorney or accredited representative")
    ASSISTANT = "assistant", _("Legal assistant")


class DocumentKind(models.TextChoices):
    NOTICE = "notice", _("Notice or order from the court or DHS")
    APPLICATION = "application", _("Application or form")
    EVIDENCE = "evidence", _("Evidence")
    IDENTITY = "identity", _("Identity document")
    CORRESPONDENCE = "correspondence", _("Correspondence")
    OTHER = "other", pgettext_lazy("a kind of event or document", "Other")
