"""Writes of the Django side of deadlines: stored deadlines, overrides, calendar feeds.

Which deadlines a case has follows from its triggers (``plan_deadlines``, no database):

- each scheduled master or individual hearing → ``prehearing-filing`` (counted back from it);
- an immigration judge's final order → ``bia-appeal``, ``ij-reconsider``, ``ij-reopen``; a
  removal order in absentia → ``in-absentia-rescind`` instead (it cannot be appealed); a
  judge's bond decision → ``bia-appeal``;
- a Board final order (appeal dismissed; appeal sustained unless it results in relief; another
  decision the Board enters) → ``bia-reconsider``, ``bia-reopen``, ``petition-for-review``; a
  Board remand → nothing (``outcome_rules`` gives the reasons and the sources);
- a federal court's denial of a petition for review → ``pfr-rehearing``, ``cert-petition``;
  a petition granted or remanded → nothing (the case returns to the Board);
- timeline events: last arrival → ``asylum-one-year``; change of address →
  ``change-of-address`` and ``ar-11``; a filing received → ``filing-response``; a briefing
  notice → ``bia-brief-appellant`` and ``bia-brief-appellee``; voluntary departure granted →
  ``vd-depart`` (the days and stage granted) and, at the conclusion of proceedings,
  ``vd-bond``; an appeal filed while voluntary departure is in force → ``vd-bond-proof-bia``;
  a bond order → ``bond-stay-notice`` and ``bond-stay-appeal``; a referral for credible or
  reasonable fear review → ``credible-fear-review`` / ``reasonable-fear-review``; the
  certifier's signature on Supplement B → ``u-cert-expiry``; a court of appeals judgment →
  ``pfr-rehearing`` and ``cert-petition``;
- the client: a case that seeks SIJS, with the client's date of birth → ``sijs-age-out``.

Options that follow from the whole case: voluntary departure in force (a grant not ended by a
later "voluntary departure ended" event) adds its warning to the motions and the petition for
review; withholding-only proceedings add theirs to the petition for review; an unaccompanied
child makes the asylum one-year deadline exempt. Every deadline counts the confirmed
nationwide federal closures an administrator keeps (``FederalClosure``) as non-business days.

``deadlines_recompute`` turns that plan into rows: new ones are created, changed ones updated
(an override is cleared when its trigger date moves, and the event says so), and rows whose
trigger is gone are deactivated, never deleted. Every change is audited.
"""

from __future__ import annotations

import datetime
import json
import secrets
import uuid
from collections.abc import Collection
from dataclasses import dataclass, replace
from typing import Any

from django.db import connections, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import User
from amparo.audit.services import audit_record
from amparo.cases.choices import EventKind, HearingStatus
from amparo.cases.models import Case, CaseEvent, Client, Hearing, Outcome
from amparo.cases.outcomes import ReliefGranted
from amparo.cases.permissions import (
    can_edit_case,
    can_open_case,
    can_override_deadline,
    can_see_all_org_cases,
)
from amparo.cases.timeline import event_add_system
from amparo.core.services import Actor, ServiceError, is_system, require
from amparo.vault.errors import VaultError

from .engine import Deadline, compute
from .feeds import feed_name_clean
from .models import CalendarFeed, CaseDeadline, FederalClosure, FeedScope
from .rules import Custody as EngineCustody
from .rules import Hearing as EngineHearing

# --- Planning: from a case's triggers to the deadlines it has (no database) -----------------


@dataclass(frozen=True, slots=True)
class HearingTrigger:
    id: int
    kind: str  # master | individual | bond
    date: datetime.date


@dataclass(frozen=True, slots=True)
class OutcomeTrigger:
    id: int
    kind: str
    decided_by: str
    date: datetime.date
    in_absentia: bool
    relief: str = ""  # what was granted (relief or protection), if anything


@dataclass(frozen=True, slots=True)
class EventTrigger:
    id: str
    kind: str
    date: datetime.date
    days: int | None = None  # a voluntary departure grant: the days granted
    vd_stage: str = ""  # ... and when (pre-conclusion | conclusion)


@dataclass(frozen=True, slots=True)
class CaseTriggers:
    """Everything that starts a clock in one case: dates, kinds and flags, nothing personal."""

    custody: str  # never_detained | detained | released
    case_type: str
    hearings: tuple[HearingTrigger, ...] = ()
    outcomes: tuple[OutcomeTrigger, ...] = ()
    events: tuple[EventTrigger, ...] = ()
    #: Read only for a case that seeks SIJS (the client's date of birth starts its clock).
    birth_date: datetime.date | None = None
    seeks_sijs: bool = False
    unaccompanied: bool = False


@dataclass(frozen=True, slots=True)
class Planned:
    rule_id: str
    source_key: str
    trigger: datetime.date
    custody: EngineCustody | None = None
    hearing: EngineHearing | None = None
    days: int | None = None
    vd_stage: str | None = None
    voluntary_departure: bool = False
    withholding_only: bool = False
    unaccompanied: bool = False

    def options(self) -> dict[str, Any]:
        """The engine's options for this deadline (every one of them: the memo key too)."""
        return {
            "custody": self.custody,
            "hearing": self.hearing,
            "days": self.days,
            "vd_stage": self.vd_stage,
            "voluntary_departure": self.voluntary_departure,
            "withholding_only": self.withholding_only,
            "unaccompanied": self.unaccompanied,
        }

    def memo_key(self) -> tuple[Any, ...]:
        """What the engine's answer depends on: the rule, the trigger and every option."""
        return (self.rule_id, self.trigger, *self.options().values())


_BOND_OUTCOMES = frozenset({"released", "kept_detained"})
_IJ_FINAL = frozenset(
    {"relief_granted", "protection_granted", "terminated", "voluntary_departure", "removal_order"}
)
#: Relief that lets the person stay (not withholding or CAT, which come with a removal order).
_RELIEF = frozenset(ReliefGranted.values)
_BIA_FINAL_ORDER = ("bia-reconsider", "bia-reopen", "petition-for-review")
_EVENT_RULES: dict[str, tuple[str, ...]] = {
    "last_arrival": ("asylum-one-year",),
    "change_of_address": ("change-of-address", "ar-11"),
    "filing_received": ("filing-response",),
    "briefing_notice": ("bia-brief-appellant", "bia-brief-appellee"),
    "vd_granted": ("vd-bond", "vd-depart"),
    "appeal_filed": ("vd-bond-proof-bia",),
    "bond_ordered": ("bond-stay-notice", "bond-stay-appeal"),
    "cf_review_referral": ("credible-fear-review",),
    "rf_review_referral": ("reasonable-fear-review",),
    "u_cert_signed": ("u-cert-expiry",),
    "ca_judgment": ("pfr-rehearing", "cert-petition"),
}
_VD_GRANTED = "vd_granted"
_VD_ENDED = "vd_ended"
#: The event kinds a case's triggers are read from (the end of voluntary departure starts no
#: clock, but removes the warnings of the grant it ends).
_EVENT_KINDS = (*_EVENT_RULES, _VD_ENDED)
#: Rules that warn that filing them ends voluntary departure (the engine's option).
_VD_WARNED = frozenset(
    {"ij-reconsider", "ij-reopen", "bia-reconsider", "bia-reopen", "petition-for-review"}
)
_CUSTODY_RULES = frozenset(
    {"prehearing-filing", "filing-response", "bia-brief-appellant", "bia-brief-appellee"}
)


def event_kind_of_rule(rule_id: str) -> str | None:
    """The kind of timeline event that starts ``rule_id``'s clock (each rule has one), so a
    deadline can say what it is counted from."""
    return next((kind for kind, rules in _EVENT_RULES.items() if rule_id in rules), None)


def engine_custody(custody: str) -> EngineCustody:
    return EngineCustody.DETAINED if custody == "detained" else EngineCustody.NON_DETAINED


def outcome_rules(o: OutcomeTrigger) -> tuple[str, ...]:
    """The rules one decision starts: only those it really starts.

    - An immigration judge's final order: appeal to the Board (8 CFR 1003.38(b)) and the
      motions before the judge (8 CFR 1003.23(b)(1)); in absentia, only the motion to rescind
      (INA 240(b)(5)(C)); a bond decision: the appeal.
    - The Board dismisses the appeal: the judge's order becomes final (8 CFR 1003.1(d)(7)(i),
      1241.1(a)), so the motions before the Board (8 CFR 1003.2(b)(2), (c)(2)) and the
      petition for review of a final order of removal (INA 242(b)(1)) run from its date.
    - The Board remands: no final order (8 CFR 1003.1(d)(7)(ii)); proceedings go on before the
      judge, whose new decision starts its own clocks. No motion or petition deadline.
    - The Board sustains: it depends on what follows. If it results in relief that lets the
      person stay (asylum, cancellation, ...), there is no order of removal for the respondent
      to petition against (INA 242(b)(1), (a)(1)) and nothing to reconsider: no deadline for
      the respondent. If it results in withholding or CAT, the removal order stands (the
      protection only bars removal to one country: Johnson v. Guzman Chavez, 594 U.S. 523
      (2021)), so the motions and the petition run; so they do when no result is stated
      (e.g. the Board sustained DHS's appeal and ordered removal): a clock shown in doubt is
      safer than one missing.
    - A federal court denies the petition: rehearing (45 days when the United States is a
      party, FRAP 40(d)(1)) and certiorari (90 days, S. Ct. R. 13.1). It grants or remands:
      the case returns to the Board, no deadline (the Board's new decision starts its own).
    - Any other decision the Board enters itself (a removal order, a termination, ...) is a
      final order: the motions and the petition; relief it grants itself: none, as above.
    """
    if o.decided_by == "ij":
        if o.kind == "removal_order" and o.in_absentia:
            return ("in-absentia-rescind",)
        if o.kind in _IJ_FINAL:
            return ("bia-appeal", "ij-reconsider", "ij-reopen")
        if o.kind in _BOND_OUTCOMES:
            return ("bia-appeal",)
        return ()
    if o.kind == "bia_dismissed":
        return _BIA_FINAL_ORDER
    if o.kind in ("bia_remanded", "pfr_granted", "pfr_remanded"):
        return ()
    if o.kind == "bia_sustained":
        return () if o.relief in _RELIEF else _BIA_FINAL_ORDER
    if o.kind == "pfr_denied":
        return ("pfr-rehearing", "cert-petition")
    if o.decided_by == "bia":
        if o.kind in ("admin_closed", "transfer", "pending") or o.kind in _BOND_OUTCOMES:
            return ()
        if o.kind == "relief_granted" and o.relief in _RELIEF:
            return ()
        return _BIA_FINAL_ORDER
    return ()


def plan_deadlines(triggers: CaseTriggers) -> list[Planned]:
    """The deadlines a case with these triggers has, one per (rule, trigger)."""
    custody = engine_custody(triggers.custody)
    plan: list[Planned] = []
    for h in triggers.hearings:
        if h.kind in ("master", "individual"):
            plan.append(
                Planned(
                    "prehearing-filing", f"hearing:{h.id}", h.date, custody, EngineHearing(h.kind)
                )
            )
    for o in triggers.outcomes:
        for rule_id in outcome_rules(o):
            plan.append(Planned(rule_id, f"outcome:{o.id}", o.date))
    for e in triggers.events:
        for rule_id in _EVENT_RULES.get(e.kind, ()):
            if rule_id == "vd-bond" and e.vd_stage != "conclusion":
                continue  # the bond is required of a grant at the conclusion of proceedings
            if rule_id == "vd-bond-proof-bia" and not _vd_in_force(triggers.events, on=e.date):
                continue
            if rule_id == "vd-depart" and e.days is None:
                continue  # a grant entered without its period (cannot happen through the service)
            plan.append(
                Planned(
                    rule_id,
                    f"event:{e.id}",
                    e.date,
                    custody if rule_id in _CUSTODY_RULES else None,
                    days=e.days if rule_id == "vd-depart" else None,
                    vd_stage=(e.vd_stage or None) if rule_id == "vd-depart" else None,
                )
            )
    if triggers.seeks_sijs and triggers.birth_date is not None:
        plan.append(Planned("sijs-age-out", "client:date_of_birth", triggers.birth_date))
    return _with_case_options(plan, triggers)


def _vd_in_force(events: tuple[EventTrigger, ...], *, on: datetime.date | None = None) -> bool:
    """Whether a voluntary departure grant is in force (on ``on``, or now): the latest grant
    (up to that day) is not followed by a "voluntary departure ended" event (up to that day)."""
    grants = [e.date for e in events if e.kind == _VD_GRANTED and (on is None or e.date <= on)]
    if not grants:
        return False
    granted = max(grants)
    return not any(
        e.kind == _VD_ENDED and granted <= e.date and (on is None or e.date <= on) for e in events
    )


def _with_case_options(plan: list[Planned], triggers: CaseTriggers) -> list[Planned]:
    """The options that follow from the whole case, on the deadlines they concern."""
    vd = _vd_in_force(triggers.events)
    withholding_only = triggers.case_type == "withholding_only"
    out: list[Planned] = []
    for item in plan:
        if vd and item.rule_id in _VD_WARNED:
            item = replace(item, voluntary_departure=True)
        if withholding_only and item.rule_id == "petition-for-review":
            item = replace(item, withholding_only=True)
        if triggers.unaccompanied and item.rule_id == "asylum-one-year":
            item = replace(item, unaccompanied=True)
        out.append(item)
    return out


def compute_planned(item: Planned, **kwargs: Any) -> Deadline:
    """The engine's answer for one planned deadline (``kwargs``: ``closures``, ``calendar``)."""
    return compute(item.rule_id, item.trigger, **item.options(), **kwargs)


def confirmed_closures(
    scopes: Collection[str] = (FederalClosure.Scope.NATIONWIDE,),
) -> frozenset[datetime.date]:
    """The confirmed federal closures an administrator keeps for these scopes (one query):
    extra non-business days. Case deadlines use the nationwide ones; ``amparo deadline
    --closure-scope`` asks for the scopes given. An unconfirmed closure never moves a date
    (counting it could make a deadline late)."""
    return frozenset(
        FederalClosure.objects.filter(scope__in=list(scopes), confirmed=True).values_list(
            "date", flat=True
        )
    )


def compute_many(
    cases: list[CaseTriggers], *, closures: frozenset[datetime.date] = frozenset()
) -> list[list[Deadline]]:
    """Every deadline of every case, computed once per distinct (rule, trigger, options).

    The engine is pure and its results are immutable, so cases that share a trigger date share
    the result: a bulk recomputation of 100,000 cases asks the engine far fewer questions. The
    memo key holds every option passed to the engine (``Planned.memo_key``); the closures are
    the same for the whole run.
    """
    memo: dict[tuple[Any, ...], Deadline] = {}
    out: list[list[Deadline]] = []
    for case in cases:
        results = []
        for item in plan_deadlines(case):
            key = item.memo_key()
            found = memo.get(key)
            if found is None:
                found = memo[key] = compute_planned(item, closures=closures)
            results.append(found)
        out.append(results)
    return out


# --- Stored deadlines --------------------------------------------------------------------------


def case_triggers(case: Any) -> CaseTriggers:
    """Read a case's triggers from the database (a few small queries)."""
    # Read from the database, not the instance: the caller's copy may predate a change.
    custody, case_type, relief, unaccompanied, client_id = (
        type(case)
        .objects.values_list(
            "custody", "case_type", "relief_sought", "unaccompanied_child", "client_id"
        )
        .get(pk=case.pk)
    )
    seeks_sijs = _seeks_sijs(case_type, relief)
    return CaseTriggers(
        custody=custody,
        case_type=case_type,
        hearings=tuple(
            HearingTrigger(pk, kind, date)
            for pk, kind, date in case.hearings.filter(status=HearingStatus.SCHEDULED)
            .order_by("pk")
            .values_list("pk", "kind", "date")
        ),
        outcomes=tuple(
            OutcomeTrigger(pk, kind, decided_by, date, in_absentia, relief)
            for pk, kind, decided_by, date, in_absentia, relief in case.outcomes.order_by(
                "pk"
            ).values_list("pk", "kind", "decided_by", "decision_date", "in_absentia", "relief")
        ),
        events=tuple(
            EventTrigger(str(pk), kind, date, days, vd_stage)
            for pk, kind, date, days, vd_stage in case.events.filter(kind__in=_EVENT_KINDS)
            .order_by("created_at")
            .values_list("pk", "kind", "date", "vd_days", "vd_stage")
        ),
        birth_date=_birth_dates([client_id]).get(client_id) if seeks_sijs else None,
        seeks_sijs=seeks_sijs,
        unaccompanied=bool(unaccompanied),
    )


def _seeks_sijs(case_type: str, relief: Any) -> bool:
    if isinstance(relief, str):  # a JSON column read straight from the cursor
        relief = json.loads(relief or "[]")
    return case_type == "sijs" or "sijs" in (relief or ())


def _birth_dates(client_ids: list[Any]) -> dict[Any, datetime.date]:
    """The known dates of birth of these clients, through the model (the field is encrypted
    under each client's key; a shredded client has none)."""
    found: dict[Any, datetime.date] = {}
    for client in Client.objects.filter(pk__in=client_ids):
        try:
            born = client.date_of_birth
        except VaultError:
            continue
        if born is not None:
            found[client.pk] = born
    return found


def _raw_rows(qs: Any) -> list[tuple[Any, ...]]:
    """The rows of a ``values_list`` queryset straight from the cursor: no model field
    conversion (dates may come back as ISO strings, ids in the backend's own form)."""
    sql, params = qs.query.get_compiler(using=qs.db).as_sql()
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _day(value: Any) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def load_triggers(*, limit: int | None = None) -> list[CaseTriggers]:
    """The triggers of many cases at once (the first ``limit`` by primary key, or all), in
    four queries whatever the number: what a bulk recomputation reads. Rows are read from the
    cursor directly (this is the benchmark's hot path: 100,000 cases and their triggers)."""
    cases = Case.objects.order_by("pk")
    rows = _raw_rows(
        (cases[:limit] if limit else cases).values_list(
            "pk", "custody", "case_type", "relief_sought", "unaccompanied_child", "client_id"
        )
    )
    # All cases: plain scans. Some: a subquery (no list of ids as query parameters).
    scope: dict[str, Any] = (
        {"case_id__in": cases.values("pk")[:limit]} if limit and len(rows) == limit else {}
    )
    hearings: dict[Any, list[HearingTrigger]] = {}
    outcomes: dict[Any, list[OutcomeTrigger]] = {}
    events: dict[Any, list[EventTrigger]] = {}
    for case_id, pk, kind, date in _raw_rows(
        Hearing.objects.filter(status=HearingStatus.SCHEDULED, **scope)
        .order_by("pk")
        .values_list("case_id", "pk", "kind", "date")
    ):
        hearings.setdefault(case_id, []).append(HearingTrigger(pk, kind, _day(date)))
    for case_id, pk, kind, decided_by, date, absentia, relief in _raw_rows(
        Outcome.objects.filter(**scope)
        .order_by("pk")
        .values_list(
            "case_id", "pk", "kind", "decided_by", "decision_date", "in_absentia", "relief"
        )
    ):
        outcomes.setdefault(case_id, []).append(
            OutcomeTrigger(pk, kind, decided_by, _day(date), bool(absentia), relief or "")
        )
    for case_id, event_pk, kind, date, days, vd_stage in _raw_rows(
        CaseEvent.objects.filter(kind__in=_EVENT_KINDS, **scope)
        .order_by("created_at")
        .values_list("case_id", "pk", "kind", "date", "vd_days", "vd_stage")
    ):
        events.setdefault(case_id, []).append(
            EventTrigger(str(uuid.UUID(str(event_pk))), kind, _day(date), days, vd_stage or "")
        )
    # Dates of birth are encrypted: read (through the model) only for the cases seeking SIJS.
    sijs = {pk for pk, _c, case_type, relief, *_ in rows if _seeks_sijs(case_type, relief)}
    born = _birth_dates([_uuid(row[5]) for row in rows if row[0] in sijs]) if sijs else {}
    return [
        CaseTriggers(
            custody=custody,
            case_type=case_type,
            hearings=tuple(hearings.get(pk, ())),
            outcomes=tuple(outcomes.get(pk, ())),
            events=tuple(events.get(pk, ())),
            birth_date=born.get(_uuid(client_id)) if pk in sijs else None,
            seeks_sijs=pk in sijs,
            unaccompanied=bool(unaccompanied),
        )
        for pk, custody, case_type, _relief, unaccompanied, client_id in rows
    ]


def _notes_json(deadline: Deadline) -> list[list[Any]]:
    return [[note.message, dict(note.params)] for note in deadline.notes]


def _effective(row: CaseDeadline) -> datetime.date | None:
    return row.override_date or row.calendar_date


@dataclass
class RecomputeReport:
    created: list[str]
    updated: list[str]
    deactivated: list[str]
    overrides_cleared: list[str]

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deactivated)


def deadlines_recompute(*, case: Case, by: Actor) -> RecomputeReport:
    """Bring the stored deadlines of ``case`` in line with its triggers.

    Who may: :data:`~amparo.core.services.SYSTEM` (after a system event, or the bulk
    recomputation when the rules change), whoever may change the case, and whoever may open
    cases for its organization (accepting a referral opens a case its acceptor may not lead).
    The result depends only on the triggers, so no caller can choose a date through it.

    Idempotent (a second call changes nothing); runs in the caller's transaction (or its own);
    audited when anything changed. An override survives a recomputation unless the trigger date
    it was set against moved: then it is cleared and the audit event names it.
    """
    require(is_system(by) or can_edit_case(by, case) or can_open_case(by, case.organization))
    report = RecomputeReport([], [], [], [])
    now = timezone.now()
    with transaction.atomic():
        existing = {
            (row.rule_id, row.source_key): row
            for row in CaseDeadline.objects.select_for_update().filter(case=case)
        }
        seen: set[tuple[str, str]] = set()
        closures = confirmed_closures()
        for item in plan_deadlines(case_triggers(case)):
            key = (item.rule_id, item.source_key)
            seen.add(key)
            result = compute_planned(item, closures=closures)
            fields = {
                "trigger_date": result.trigger,
                "due": result.due,
                "calendar_date": result.calendar_date,
                "citation": result.citation,
                "explanation": result.explanation,
                "notes": _notes_json(result),
                "needs_review": result.needs_review,
            }
            row = existing.get(key)
            if row is None:
                row = CaseDeadline(case=case, rule_id=item.rule_id, source_key=item.source_key)
                for name, value in fields.items():
                    setattr(row, name, value)
                row.effective_date = _effective(row)
                row.computed_at = now
                row.save(force_insert=True)
                report.created.append(item.rule_id)
                continue
            changed = [name for name, value in fields.items() if getattr(row, name) != value]
            if not changed and row.is_active:
                continue
            if "trigger_date" in changed and row.override_date is not None:
                row.override_date = None
                row.override_reason = ""
                row.overridden_by = None
                row.overridden_at = None
                report.overrides_cleared.append(item.rule_id)
            for name, value in fields.items():
                setattr(row, name, value)
            row.is_active = True
            row.effective_date = _effective(row)
            row.computed_at = now
            row.save()
            report.updated.append(item.rule_id)
        for key, row in existing.items():
            if key not in seen and row.is_active:
                row.is_active = False
                row.computed_at = now
                row.save(update_fields=["is_active", "computed_at"])
                report.deactivated.append(row.rule_id)
        if report.changed:
            parts = [
                f"{label}: {', '.join(sorted(ids))}"
                for label, ids in (
                    ("created", report.created),
                    ("updated", report.updated),
                    ("deactivated", report.deactivated),
                    ("override cleared", report.overrides_cleared),
                )
                if ids
            ]
            audit_record(
                actor=by,
                action="case.deadlines.recomputed",
                obj=case,
                fields=["deadlines"],
                reason="; ".join(parts),
            )
    return report


def deadline_override(
    *, deadline: CaseDeadline, date: datetime.date, reason: str, by: User
) -> CaseDeadline:
    """Set the date of a deadline by hand, with a reason (required; audited).

    The computed dates stay beside it, so anyone can see what the rule said and why the
    attorney chose otherwise. A later date than the rule's last day is allowed (a judge may
    have set one) but the reason must say why.
    """
    require(can_override_deadline(by, deadline.case))
    reason = (reason or "").strip()
    errors: dict[str, Any] = {}
    if not reason:
        errors["reason"] = _("Say why the date is different from the rule's.")
    elif len(reason) > 1000:
        errors["reason"] = _("Keep the reason under 1,000 characters.")
    if not isinstance(date, datetime.date):
        errors["date"] = _("Enter a real date, for example 2026-06-04.")
    if errors:
        raise ServiceError(errors)
    with transaction.atomic():
        row = _override_write(
            deadline=deadline, date=date, reason=reason, by=by, action="case.deadline.overridden"
        )
        event_add_system(case=row.case, kind=EventKind.DEADLINE, by=by)
    return row


def _override_write(
    *, deadline: CaseDeadline, date: datetime.date | None, reason: str, by: User, action: str
) -> CaseDeadline:
    """Lock the row, set (``date``) or clear (None) its override, recompute and audit it.

    Runs inside the caller's transaction."""
    row = CaseDeadline.objects.select_for_update().get(pk=deadline.pk)
    row.override_date = date
    row.override_reason = reason
    row.overridden_by = by if date is not None else None
    row.overridden_at = timezone.now() if date is not None else None
    row.effective_date = _effective(row)
    row.save()
    audit_record(
        actor=by,
        action=action,
        obj=row,
        fields=["override_date", "override_reason"],
        reason=row.rule_id,
    )
    return row


def deadline_override_clear(*, deadline: CaseDeadline, by: User) -> CaseDeadline:
    """Go back to the computed date (audited)."""
    require(can_override_deadline(by, deadline.case))
    with transaction.atomic():
        return _override_write(
            deadline=deadline, date=None, reason="", by=by, action="case.deadline.override_cleared"
        )


def deadline_complete(*, deadline: CaseDeadline, by: User, done: bool = True) -> CaseDeadline:
    """Mark a deadline done (filed, or no longer needed), or not done again (audited)."""
    require(can_edit_case(by, deadline.case))
    with transaction.atomic():
        row = CaseDeadline.objects.select_for_update().get(pk=deadline.pk)
        row.completed_at = timezone.now() if done else None
        row.completed_by = by if done else None
        row.save(update_fields=["completed_at", "completed_by"])
        audit_record(
            actor=by,
            action="case.deadline.done" if done else "case.deadline.reopened",
            obj=row,
            fields=["completed_at"],
            reason=row.rule_id,
        )
    return row


# --- Calendar feeds ----------------------------------------------------------------------------

FEED_TOKEN_PREFIX = "cal_"


def feed_create(
    *,
    scope: str,
    name: str,
    organization: Any = None,
    include_names: bool = False,
    by: User,
) -> tuple[CalendarFeed, str]:
    """A new feed of ``by``'s own (a feed is personal: nobody makes one for someone else);
    returns it with its raw token, which is never stored and shown only once."""
    require(by.is_authenticated and by.is_active)
    owner = by
    errors: dict[str, Any] = {}
    if scope not in FeedScope.values:
        errors["scope"] = _("Choose a value from the list.")
    try:
        name = feed_name_clean(name)
    except ServiceError as error:
        errors.update(error.message_dict)
    if scope == FeedScope.ORGANIZATION and not can_see_all_org_cases(owner, organization):
        errors["scope"] = _("You cannot see every case of this organization.")
    if errors:
        raise ServiceError(errors)
    raw = FEED_TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        feed = CalendarFeed.objects.create(
            owner=owner,
            scope=scope,
            organization=organization if scope == FeedScope.ORGANIZATION else None,
            name=name[:80],
            digest=CalendarFeed.digest_of(raw),
            hint=raw[len(FEED_TOKEN_PREFIX) : len(FEED_TOKEN_PREFIX) + 6],
            include_names=include_names,
        )
        audit_record(
            actor=owner,
            action="calendar.feed.created",
            obj=feed,
            fields=["scope", "include_names"],
        )
    return feed, raw


def feed_revoke(*, feed: CalendarFeed, by: User) -> CalendarFeed:
    """Revoke a feed: its address stops working at once (audited; revoking twice is harmless)."""
    require(feed.owner_id == by.pk)
    with transaction.atomic():
        updated = CalendarFeed.objects.filter(pk=feed.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if updated:
            audit_record(actor=by, action="calendar.feed.revoked", obj=feed, fields=["revoked_at"])
    feed.refresh_from_db()
    return feed
