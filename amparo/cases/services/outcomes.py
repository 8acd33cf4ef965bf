"""Decisions: record one, move the case to *decided*, start the clocks it starts."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import User
from amparo.audit.services import audit_record
from amparo.core.services import ServiceError, require

from ..choices import AFFIRMATIVE_TYPES, CaseStatus, EventKind
from ..hooks import triggers_changed
from ..latest import LATEST_FIELDS, latest_outcomes_sync
from ..models import Case, Outcome
from ..outcomes import (
    APPELLATE_DECIDER,
    GRANTS,
    NOT_FINAL,
    DecidedBy,
    OutcomeKind,
    ProtectionGranted,
    outcome_allowed,
)
from ..permissions import can_edit_case
from ..timeline import event_add_system
from ..workflow import DECISION_SOURCES
from ._common import check_choice, check_date


def _outcome_errors(
    case: Case, kind: str, decided_by: str, decision_date: Any, relief: str, in_absentia: bool
) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    check_choice(errors, "kind", kind, OutcomeKind.values)
    check_choice(errors, "decided_by", decided_by, DecidedBy.values)
    check_date(errors, "decision_date", decision_date, not_after_today=True)
    if "kind" not in errors and not outcome_allowed(case.case_type, kind):
        errors["kind"] = _("This outcome does not fit a case of this type.")
    if "decided_by" not in errors:
        affirmative = case.case_type in AFFIRMATIVE_TYPES
        if affirmative and decided_by not in (DecidedBy.USCIS, DecidedBy.FEDERAL_COURT):
            errors["decided_by"] = _("USCIS decides affirmative matters.")
        if not affirmative and decided_by == DecidedBy.USCIS:
            errors["decided_by"] = _("A judge or the Board decides this kind of case.")
        needed = APPELLATE_DECIDER.get(kind)
        if needed and decided_by != needed:
            errors["decided_by"] = (
                _("The Board of Immigration Appeals decides this.")
                if needed == DecidedBy.BIA
                else _("A federal court decides this.")
            )
    if kind == OutcomeKind.RELIEF_GRANTED:
        if relief in ProtectionGranted.values:
            errors["relief"] = _(
                "Withholding of removal and CAT are protection with a removal order, not relief:"
                " record that outcome instead."
            )
        elif relief not in GRANTS[kind]:
            errors["relief"] = _("Say which relief was granted.")
    elif kind == OutcomeKind.PROTECTION_GRANTED:
        if relief not in GRANTS[kind]:
            errors["relief"] = _("Say which protection was granted: withholding or CAT.")
    elif kind == OutcomeKind.BIA_SUSTAINED:
        if relief and relief not in GRANTS[kind]:
            errors["relief"] = _("Unknown relief.")
    elif relief:
        errors["relief"] = _(
            "Relief is given only when the outcome grants relief or protection, or sustains an"
            " appeal."
        )
    if in_absentia and not (kind == OutcomeKind.REMOVAL_ORDER and decided_by == DecidedBy.IJ):
        errors["in_absentia"] = _("Only an immigration judge's removal order can be in absentia.")
    return errors


def outcome_record(
    *,
    case: Case,
    kind: str,
    decided_by: str,
    decision_date: datetime.date,
    relief: str = "",
    in_absentia: bool = False,
    by: User,
) -> Outcome:
    """Record a decision. The case moves to *decided*; an outcome that is not final (a pending
    affirmative result, administrative closure, change of venue, a remand, a granted petition
    for review) leaves it where it is. The deadlines the decision starts are created
    (``amparo.deadlines.services.outcome_rules``): an immigration judge's final order starts
    the appeal and motion clocks, an in-absentia order the clock to rescind it, a Board final
    order the motions and the petition for review, a denied petition rehearing and certiorari.
    The case's latest final outcome and custody decision (what the public figures count it
    under) are brought up to date. One transaction; audited.
    """
    require(can_edit_case(by, case))
    errors = _outcome_errors(case, kind, decided_by, decision_date, relief, in_absentia)
    if errors:
        raise ServiceError(errors)
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.status not in DECISION_SOURCES:
            raise ServiceError(_("The case is closed. Reopen it first."))
        outcome = Outcome.objects.create(
            case=locked,
            kind=kind,
            relief=relief or "",
            in_absentia=bool(in_absentia),
            decided_by=decided_by,
            decision_date=decision_date,
            recorded_by=by,
        )
        before = locked.status
        if kind not in NOT_FINAL:  # pending, closure, change of venue, remands: stays as it is
            locked.status = CaseStatus.DECIDED
        locked.updated_at = timezone.now()
        locked.save(update_fields=["status", "updated_at"])
        latest_outcomes_sync(Case.objects.filter(pk=locked.pk))
        locked.refresh_from_db(fields=LATEST_FIELDS)
        event_add_system(case=locked, kind=EventKind.DECISION, by=by, date=decision_date)
        triggers_changed(locked, by)
        audit_record(
            actor=by,
            action="case.outcome.recorded",
            obj=locked,
            fields=["outcome", "status"],
            reason=f"{kind} by {decided_by}; {before} -> {locked.status}",
        )
    return outcome
