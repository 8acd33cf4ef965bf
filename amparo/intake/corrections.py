"""Writes that correct a help request after it came in: change its answers, add or remove an
adverse party, merge two requests found to be the same person. Services like those of
:mod:`amparo.intake.services` (one transaction each, audited, intake staff only); kept apart
because they carry the request's history.

Every correction keeps a :class:`~amparo.intake.models.HelpRequestChange`: who, when, the names
of the fields, and the values they held before, encrypted under the request's own data key (so
the person's original answers stay readable to staff, and are shredded with the request). The
audit chain gets the field names, never a value.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.audit.services import audit_record
from amparo.core.services import ServiceError, model_insert, model_update, require
from amparo.organizations.models import PracticeArea

from . import hooks
from .models import (
    OPEN_STATES,
    AdverseParty,
    ChangeKind,
    ContactMethod,
    Custody,
    DeadlineKind,
    Eligibility,
    HelpRequest,
    HelpRequestChange,
    RequestState,
)
from .permissions import can_work_intake
from .policy import policy_for, routing_area
from .services import IntakeError, _apply_screening, _locked, _set_state, help_request_close

#: What staff may correct (model field names; income in cents).
EDIT_FIELDS = (
    "name",
    "a_number",
    "date_of_birth",
    "custody",
    "facility",
    "next_hearing",
    "court",
    "practice_area",
    "minor",
    "unaccompanied_child",
    "vulnerable",
    "in_absentia_risk",
    "missed_hearing",
    "in_absentia_order",
    "deadline_kind",
    "deadline_date",
    "zip_code",
    "county",
    "household_size",
    "income_low_cents",
    "income_high_cents",
    "spoken_language",
    "needs_interpreter",
    "contact_method",
    "phone",
    "email",
    "relative_name",
    "relative_phone",
    "safe_to_leave_message",
    "contact_notes",
)

#: Fields that screening or triage read: a change to one recomputes both.
SCREENED_FIELDS = frozenset(
    {
        "custody",
        "facility",
        "next_hearing",
        "court",
        "minor",
        "unaccompanied_child",
        "vulnerable",
        "in_absentia_risk",
        "missed_hearing",
        "in_absentia_order",
        "deadline_kind",
        "deadline_date",
        "zip_code",
        "county",
        "household_size",
        "income_low_cents",
        "income_high_cents",
    }
)

#: States in which a request can still be corrected: open, or found not eligible (a corrected
#: answer may make it eligible). A placed request is corrected on its case.
EDITABLE_STATES = frozenset({*OPEN_STATES, RequestState.NOT_ELIGIBLE})


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _refuse_unless_editable(request: HelpRequest) -> None:
    if request.purged_at is not None:
        raise IntakeError(_("This request's data was deleted."), code="purged")
    if request.merged_into_id is not None:
        raise IntakeError(
            _("This request was merged into another one: correct that one instead."),
            code="merged",
        )
    if request.state not in EDITABLE_STATES:
        raise IntakeError(
            _(
                "Only an open or not eligible request can be corrected; a case is corrected on the case."
            ),
            code="state",
        )


def _errors(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, Any] = {
        key: _("Unknown field.") for key in sorted(set(data) - set(EDIT_FIELDS))
    }
    allowed = {
        "custody": Custody.values,
        "contact_method": ContactMethod.values,
        "deadline_kind": ["", *DeadlineKind.values],
        "practice_area": ["", *PracticeArea.values],
    }
    for key, values in allowed.items():
        if key in data and data[key] not in values:
            errors[key] = _("Choose a value from the list.")
    if "name" in data and not str(data["name"] or "").strip():
        errors["name"] = _("Enter the person's name.")
    return errors


def _normalized(data: dict[str, Any], current: HelpRequest) -> dict[str, Any]:
    """The values to store: strings trimmed, and the pairs the intake forms keep consistent."""
    values = {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}
    merged = {name: values.get(name, getattr(current, name)) for name in EDIT_FIELDS}
    if merged["custody"] != Custody.DETAINED and merged["facility"]:
        values["facility"] = ""
    if merged["unaccompanied_child"] and not merged["minor"]:
        values["minor"] = True
    if merged["in_absentia_order"] and not merged["missed_hearing"]:
        values["missed_hearing"] = True
    if not (merged["deadline_kind"] and merged["deadline_date"]):
        values["deadline_kind"], values["deadline_date"] = "", None
    return values


def _record_change(
    *,
    request: HelpRequest,
    by: User,
    kind: str,
    fields: list[str],
    previous: dict[str, Any] | None = None,
    other: HelpRequest | None = None,
) -> HelpRequestChange:
    return HelpRequestChange.objects.create(
        subject_id=request.subject_id,
        help_request=request,
        kind=kind,
        changed_by=by,
        fields=sorted(fields),
        previous={k: _jsonable(v) for k, v in (previous or {}).items()},
        other=other,
    )


def help_request_update(*, help_request: HelpRequest, by: User, data: dict[str, Any]) -> list[str]:
    """Correct a request's answers; returns the names of the fields that changed.

    Guarantees: intake staff only; an open or not eligible request only (refused, and nothing
    changes, for a placed, closed, merged or shredded one); every changed field is audited by
    name (``intake.help_request.corrected``) and kept with its previous value in the request's
    history, encrypted under its data key; a change to anything screening or triage reads
    recomputes eligibility and priority with the program's rules. A request the new screening
    finds eligible and that was waiting for a review goes to the queue (and is routed after the
    commit); one that is no longer clearly eligible waits for a person's review (a correction
    never closes a request on its own). Bad values raise ``ServiceError`` by field.
    """
    require(can_work_intake(by))
    errors = _errors(data)
    if errors:
        raise ServiceError(errors)
    with transaction.atomic():
        request = _locked(help_request)
        _refuse_unless_editable(request)
        values = _normalized(data, request)
        before = {name: getattr(request, name) for name in EDIT_FIELDS}
        changed = model_update(
            instance=request,
            fields=EDIT_FIELDS,
            data=values,
            by=by,
            action="intake.help_request.corrected",
        )
        if not changed:
            return []
        _record_change(
            request=request,
            by=by,
            kind=ChangeKind.EDITED,
            fields=changed,
            previous={name: before[name] for name in changed},
        )
        if SCREENED_FIELDS & set(changed):
            _rescreen(request, by)
    _refresh(help_request, request)
    return changed


def _rescreen(request: HelpRequest, by: User) -> None:
    """Screening and triage again, on the corrected answers (caller holds the lock)."""
    policy = policy_for(request.program_id)
    now = timezone.now()
    request.area = routing_area(request, policy)
    _apply_screening(request, policy, now)
    fields = [
        "area",
        "eligibility",
        "eligibility_reasons",
        "poverty_year_used",
        "income_limit",
        "screened_at",
        "priority",
        "priority_reasons",
    ]
    waiting = False
    if request.state in (RequestState.NEEDS_REVIEW, RequestState.NOT_ELIGIBLE):
        target = (
            RequestState.WAITING
            if request.eligibility == Eligibility.ELIGIBLE
            and request.possible_duplicate_of_id is None
            else RequestState.NEEDS_REVIEW
        )
        waiting = target == RequestState.WAITING
        if target != request.state:
            _set_state(request, target, now=now)
    elif request.state == RequestState.WAITING and request.eligibility != Eligibility.ELIGIBLE:
        _set_state(request, RequestState.NEEDS_REVIEW, now=now)
    request.save(update_fields=[*fields, "state", "state_changed_at"])
    audit_record(
        actor=by,
        action="intake.help_request.rescreened",
        obj=request,
        reason=f"{request.eligibility} {request.state}",
    )
    if waiting:
        hooks.request_waiting(request)


def _refresh(target: HelpRequest, source: HelpRequest) -> None:
    for name in (
        *EDIT_FIELDS,
        "state",
        "eligibility",
        "priority",
        "priority_reasons",
        "eligibility_reasons",
        "merged_into_id",
    ):
        setattr(target, name, getattr(source, name))


# --- Adverse parties --------------------------------------------------------------------------

MAX_ADVERSE_PARTIES = 10


def help_request_adverse_party_add(
    *, help_request: HelpRequest, by: User, name: str
) -> AdverseParty:
    """Name someone on the other side of the person's matter, for conflict checks (encrypted
    under the request's data key, blind-indexed). Audited and kept in the request's history."""
    require(can_work_intake(by))
    name = (name or "").strip()
    if not name:
        raise ServiceError({"name": _("Enter the name.")})
    with transaction.atomic():
        request = _locked(help_request)
        _refuse_unless_editable(request)
        if request.adverse_parties.count() >= MAX_ADVERSE_PARTIES:
            raise ServiceError({"name": _("Enter at most 10 names.")})
        party = AdverseParty(subject_id=request.subject_id, help_request=request, name=name)
        _record_change(
            request=request, by=by, kind=ChangeKind.ADVERSE_PARTY_ADDED, fields=["adverse_parties"]
        )
        model_insert(
            instance=party,
            fields=["name"],
            by=by,
            action="intake.adverse_party.added",
            exclude=["subject", "help_request"],
        )
    return party


def help_request_adverse_party_remove(
    *, help_request: HelpRequest, by: User, party_id: Any
) -> None:
    """Remove an adverse party named by mistake. Its name stays in the request's history
    (encrypted), so the person's original answer is not lost. Audited."""
    require(can_work_intake(by))
    with transaction.atomic():
        request = _locked(help_request)
        _refuse_unless_editable(request)
        party = request.adverse_parties.filter(pk=party_id).first()
        if party is None:
            raise IntakeError(_("This adverse party is not on the request."), code="missing")
        _record_change(
            request=request,
            by=by,
            kind=ChangeKind.ADVERSE_PARTY_REMOVED,
            fields=["adverse_parties"],
            previous={"adverse_party": party.name},
        )
        audit_record(actor=by, action="intake.adverse_party.removed", obj=party, fields=["name"])
        party.delete()


# --- Merging ----------------------------------------------------------------------------------


def _became_case(request: HelpRequest) -> bool:
    return (
        request.state == RequestState.PLACED
        or request.placed_at is not None
        or hooks.request_became_case(request)
    )


def help_request_merge(*, keep: HelpRequest, merge: HelpRequest, by: User) -> HelpRequest:
    """``merge`` is the same person as ``keep``: close it as merged into ``keep``.

    Guarantees: intake staff only; ``merge`` stays, read-only, with its own answers and a link
    to ``keep``; its pending referral is withdrawn (as when staff close a request); adverse
    parties it names and ``keep`` does not are added to ``keep`` (under ``keep``'s data key);
    both histories say so; audited on both. Refused, changing nothing: the same request twice,
    a shredded or already merged one, two requests that both became cases (each case has its
    own client record and work; they are merged, if at all, by the providers), and a ``merge``
    that became a case (keep that one instead).
    """
    require(can_work_intake(by))
    if keep.pk == merge.pk:
        raise IntakeError(_("Choose two different requests."), code="same")
    with transaction.atomic():
        # Lock both in a fixed order, so two merges of the same pair cannot deadlock.
        first, second = sorted([keep, merge], key=lambda r: str(r.pk))
        locked = {str(r.pk): _locked(r) for r in (first, second)}
        survivor, merged = locked[str(keep.pk)], locked[str(merge.pk)]
        for request in (survivor, merged):
            if request.purged_at is not None:
                raise IntakeError(_("This request's data was deleted."), code="purged")
            if request.merged_into_id is not None:
                raise IntakeError(
                    _("Request %(reference)s was already merged into another one.")
                    % {"reference": request.reference},
                    code="merged",
                )
        if _became_case(merged) and _became_case(survivor):
            raise IntakeError(
                _(
                    "Both requests became cases, so they cannot be merged here: each case has its own client record, hearings and work. Ask the providers to combine the cases."
                ),
                code="both_cases",
            )
        if _became_case(merged):
            raise IntakeError(
                _(
                    "Request %(reference)s became a case: keep that one, and merge the other into it."
                )
                % {"reference": merged.reference},
                code="case",
            )
        if merged.is_open:
            help_request_close(help_request=merged, by=by, reason="merged")
            merged.refresh_from_db(fields=["state", "state_changed_at"])
        merged.merged_into = survivor
        merged.save(update_fields=["merged_into"])
        known = set(survivor.adverse_parties.values_list("name_index", flat=True))
        added = 0
        for party in merged.adverse_parties.all():
            if party.name_index and party.name_index not in known:
                AdverseParty.objects.create(
                    subject_id=survivor.subject_id, help_request=survivor, name=party.name
                )
                known.add(party.name_index)
                added += 1
        _record_change(
            request=merged, by=by, kind=ChangeKind.MERGED_INTO, fields=["merged_into"],
            other=survivor,
        )  # fmt: skip
        _record_change(
            request=survivor,
            by=by,
            kind=ChangeKind.MERGED_FROM,
            fields=["adverse_parties"] if added else [],
            other=merged,
        )
        audit_record(
            actor=by,
            action="intake.help_request.merged",
            obj=merged,
            fields=["merged_into"],
            reason=f"into {survivor.pk}",
        )
        audit_record(
            actor=by,
            action="intake.help_request.merged_from",
            obj=survivor,
            fields=["adverse_parties"] if added else [],
            reason=f"from {merged.pk}",
        )
    merge.state, merge.merged_into_id = merged.state, survivor.pk
    return survivor
