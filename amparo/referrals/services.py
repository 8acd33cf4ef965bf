"""Writes on referrals: route, batch-assign, accept, decline, expire. One transaction each, audited.

The life of a referral: ``referral_route`` picks the best provider that can take the request
(or escalates it to fund staff when none can), checks for conflicts and starts the SLA timer.
The provider accepts (``referral_accept``: a case opens, an attorney leads it) or declines
(``referral_decline``: the request goes to the next provider). A referral nobody answers in
time expires (``referral_expire``, run by the task queue) and the request moves on too. After
``max_referral_attempts`` providers, or when nobody has room, fund staff take over.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.audit.services import audit_record
from amparo.cases.models import Case
from amparo.cases.services import case_open
from amparo.core.services import SYSTEM, Actor, ServiceError, SystemActor, is_system, require
from amparo.intake.models import EscalationReason, HelpRequest, IntakePolicy, RequestState
from amparo.intake.policy import policy_for, public_policy
from amparo.intake.services import help_request_mark
from amparo.matching.solver import solve
from amparo.organizations.models import AttorneyProfile, Membership, ProviderOrganization

from . import hooks
from .conflicts import conflict_matches
from .models import ConflictStatus, DeclineReason, Referral, ReferralMethod, ReferralStatus
from .permissions import can_answer_referral, can_route_requests
from .routing import (
    Candidate,
    available_attorneys,
    batch_input,
    candidates,
    organization_areas,
)

logger = logging.getLogger("amparo.referrals")

#: States from which a request may be (re)routed.
ROUTABLE_STATES = (RequestState.WAITING, RequestState.ESCALATED, RequestState.REFERRED)


class ReferralError(ServiceError):
    """A referral change that cannot go ahead; ``message`` is translated, ``code`` is stable.

    A :class:`~amparo.core.services.ServiceError` like any other. With ``field`` (the answer
    form's field it is about: ``attorney``, ``conflict_waived``, ``reason``) the pages show it
    beside that field (``amparo.core.forms.run_service``); ``message`` and ``code`` stay
    readable either way, for the API.
    """

    def __init__(self, message: str, *, code: str, field: str | None = None) -> None:
        if field is None:
            super().__init__(message, code=code)
            return
        super().__init__({field: [ServiceError(message, code=code)]})
        self.message, self.code, self.params = message, code, None


def _lock_request(help_request: HelpRequest | Any) -> HelpRequest:
    pk = help_request.pk if isinstance(help_request, HelpRequest) else help_request
    return HelpRequest.objects.select_for_update().get(pk=pk)


def _escalate(request: HelpRequest, reason: str, by: Actor) -> None:
    if request.state == RequestState.ESCALATED and request.escalation_reason == reason:
        return
    help_request_mark(help_request=request, state=RequestState.ESCALATED, escalation_reason=reason)
    audit_record(actor=by, action="referrals.request.escalated", obj=request, reason=reason)
    hooks.request_escalated(request, reason)
    logger.info("help request escalated id=%s reason=%s", request.pk, reason)


def _schedule_sla_check(referral: Referral) -> None:
    """Ask the task queue to look at the referral when its answer is due (ids only)."""
    from django_tasks import default_task_backend

    from .tasks import referral_sla_check

    if not default_task_backend.supports_defer:
        return  # the periodic sweep (`amparo referrals sweep`) catches it instead
    referral_id, due = referral.pk, referral.due_at
    transaction.on_commit(lambda: referral_sla_check.using(run_after=due).enqueue(referral_id))


def _send(
    request: HelpRequest,
    *,
    organization: ProviderOrganization,
    attorney: AttorneyProfile | None,
    interpreter: bool,
    method: str,
    policy: IntakePolicy,
    by: Actor,
    now: datetime.datetime,
) -> Referral:
    """Create the referral, run the conflict check, start the timer (caller holds the lock)."""
    attempt = request.referrals.count() + 1
    referral = Referral(
        help_request=request,
        organization=organization,
        attorney=attorney,
        method=method,
        attempt=attempt,
        interpreter=interpreter,
        sent_at=now,
        due_at=now + datetime.timedelta(hours=policy.sla_hours(request.detained)),
        sent_by=None if isinstance(by, SystemActor) else by,
    )
    matches = conflict_matches(help_request=request, organization=organization)
    referral.conflict = ConflictStatus.HIT if matches else ConflictStatus.CLEAR
    referral.conflict_matches = matches
    referral.save()
    help_request_mark(help_request=request, state=RequestState.REFERRED)
    audit_record(actor=by, action="referrals.referral.sent", obj=referral, reason=method)
    audit_record(
        actor=by,
        action="referrals.conflict_check",
        obj=referral,
        fields=[f"{kind}_index" for kind in matches],
        reason=referral.conflict,
    )
    _schedule_sla_check(referral)
    hooks.referral_sent(referral)
    logger.info(
        "referral sent id=%s org=%s attempt=%s conflict=%s",
        referral.pk,
        organization.pk,
        attempt,
        referral.conflict,
    )
    return referral


def referral_route(
    *,
    help_request: HelpRequest,
    by: Actor,
    organization: ProviderOrganization | None = None,
    now: datetime.datetime | None = None,
) -> Referral | None:
    """Send ``help_request`` to the best provider that can take it, or escalate it.

    Guarantees: at most one referral waits for an answer per request (a second call returns
    the pending one); providers that already had the request are not asked again; after the
    program's ``max_referral_attempts``, or when no provider has room, language and practice
    area, the request goes to the escalation queue instead. With ``organization`` (staff's
    manual choice) the filters are skipped and that organization gets the referral.
    Returns the referral sent, or None. Fund staff route by hand; :data:`SYSTEM` routes what
    comes in, and what a decline or a timeout sends on.
    """
    require(is_system(by) or can_route_requests(by))
    now = now or timezone.now()
    with transaction.atomic():
        request = _lock_request(help_request)
        if request.purged_at is not None or request.state not in ROUTABLE_STATES:
            return None
        pending = request.referrals.filter(status=ReferralStatus.PENDING).first()
        if pending is not None:
            return pending
        policy = policy_for(request.program_id)
        if organization is not None:
            best = next(iter(candidates(request, policy, only_organization=organization.pk)), None)
            return _send(
                request,
                organization=organization,
                attorney=best.attorney if best else None,
                interpreter=best.interpreter if best else False,
                method=ReferralMethod.MANUAL,
                policy=policy,
                by=by,
                now=now,
            )
        tried = set(request.referrals.values_list("organization_id", flat=True))
        if (
            len(tried) >= policy.max_referral_attempts
            or request.referrals.count() >= policy.max_referral_attempts
        ):
            _escalate(request, EscalationReason.ATTEMPTS_EXHAUSTED, by)
            return None
        found = candidates(request, policy, exclude_organizations=tried)
        if not found:
            reason = EscalationReason.ATTEMPTS_EXHAUSTED if tried else EscalationReason.NO_PROVIDER
            _escalate(request, reason, by)
            return None
        best = found[0]
        return _send(
            request,
            organization=best.organization,
            attorney=best.attorney,
            interpreter=best.interpreter,
            method=ReferralMethod.SINGLE,
            policy=policy,
            by=by,
            now=now,
        )


@dataclass(frozen=True)
class BatchResult:
    considered: int
    referred: int
    objective: int
    bound: float | None


def referrals_assign_queue(
    *, by: Actor, limit: int = 5000, now: datetime.datetime | None = None
) -> BatchResult:
    """Assign the whole pending queue at once with the batch matcher (``amparo.matching``).

    The matcher maximizes the total priority served under every attorney's room, language and
    practice area; each assignment is then sent as a referral in its own transaction (a request
    that changed meanwhile, or an organization that already had it, is skipped and left for
    single routing). Fund staff, or :data:`SYSTEM` (the scheduled batch).
    """
    require(is_system(by) or can_route_requests(by))
    now = now or timezone.now()
    queue = list(
        HelpRequest.objects.filter(
            state__in=(RequestState.WAITING, RequestState.ESCALATED), purged_at__isnull=True
        )
        .exclude(referrals__status=ReferralStatus.PENDING)
        .order_by("-priority", "created_at")[:limit]
    )
    if not queue:
        return BatchResult(considered=0, referred=0, objective=0, bound=None)
    policy = public_policy()
    data = batch_input(queue, policy.interpreter_languages)
    result = solve(data.requests, data.attorneys)
    referred = 0
    for assignment in result.assignments:
        request = data.by_index[assignment.request_id]
        profile = data.profiles[assignment.attorney_id]
        with transaction.atomic():
            locked = _lock_request(request)
            if locked.purged_at is not None or locked.state not in (
                RequestState.WAITING,
                RequestState.ESCALATED,
            ):
                continue
            history = set(locked.referrals.values_list("organization_id", flat=True))
            if profile.organization_id in history:
                continue
            _send(
                locked,
                organization=profile.organization,
                attorney=profile,
                interpreter=assignment.interpreter,
                method=ReferralMethod.BATCH,
                policy=policy_for(locked.program_id),
                by=by,
                now=now,
            )
            referred += 1
    logger.info("batch assignment: %s of %s requests referred", referred, len(queue))
    return BatchResult(
        considered=len(queue), referred=referred, objective=result.objective, bound=result.bound
    )


# --- The provider's answer --------------------------------------------------------------------


def _lock_referral(referral: Referral | int) -> Referral:
    pk = referral.pk if isinstance(referral, Referral) else referral
    locked = Referral.objects.select_for_update().filter(pk=pk).first()
    if locked is None:
        raise ReferralError(_("This referral no longer exists."), code="missing")
    return locked


def _check_answerable(referral: Referral, by: User) -> None:
    require(can_answer_referral(by, referral))
    if referral.status == ReferralStatus.ACCEPTED:
        raise ReferralError(_("This referral was already accepted."), code="accepted")
    if referral.status != ReferralStatus.PENDING:
        raise ReferralError(
            _("This referral is closed: it was declined, withdrawn or not answered in time."),
            code="closed",
        )


def _conflict_recheck(referral: Referral, by: User) -> bool:
    """Run the conflict check again at the moment of accepting (the request's adverse parties
    or the provider's clients may have changed since it was sent), in its own transaction so
    that the new result is kept even when the accept is then refused. True when it found kinds
    of match that the referral did not show: the provider must see them before accepting."""
    with transaction.atomic():
        locked = _lock_referral(referral)
        _check_answerable(locked, by)
        request = _lock_request(locked.help_request_id)
        if request.purged_at is not None:
            return False
        matches = conflict_matches(help_request=request, organization=locked.organization)
        before = list(locked.conflict_matches or [])
        if sorted(matches) == sorted(before):
            return False
        locked.conflict = ConflictStatus.HIT if matches else ConflictStatus.CLEAR
        locked.conflict_matches = matches
        locked.save(update_fields=["conflict", "conflict_matches"])
        audit_record(
            actor=by,
            action="referrals.conflict_check",
            obj=locked,
            fields=[f"{kind}_index" for kind in matches],
            reason=f"{locked.conflict} at accept",
        )
    referral.conflict, referral.conflict_matches = locked.conflict, matches
    return bool(set(matches) - set(before))


def referral_accept(
    *,
    referral: Referral,
    by: User,
    lead_attorney: AttorneyProfile | None = None,
    conflict_waived: bool = False,
) -> Case:
    """The provider takes the case: a case opens with ``lead_attorney`` (default: the
    suggested one) leading it, and the request is placed.

    Guarantees: exactly one case per help request, even when two people accept at the same
    moment: the referral row is locked, and the database refuses a second accepted referral
    for the request (a partial unique index) as well as a second case for the referral. A
    referral flagged by the conflict check needs ``conflict_waived``. Audited; the case,
    the referral and the request commit together or not at all. Only a provider admin of the
    referral's organization (checked on the locked row, before anything is written).
    """
    if _conflict_recheck(referral, by):
        raise ReferralError(
            _(
                "The conflict check, run again now, found a possible conflict that was not there when the referral was sent: check it, then confirm before accepting."
            ),
            code="conflict",
        )
    try:
        with transaction.atomic():
            locked = _lock_referral(referral)
            _check_answerable(locked, by)
            request = _lock_request(locked.help_request_id)
            if request.purged_at is not None:
                raise ReferralError(_("This request's data was deleted."), code="purged")
            if locked.conflict == ConflictStatus.HIT and not conflict_waived:
                raise ReferralError(
                    _(
                        "The conflict check found a possible conflict: confirm that you checked it before accepting."
                    ),
                    code="conflict",
                    field="conflict_waived",
                )
            attorney = lead_attorney or locked.attorney
            if attorney is None:
                raise ReferralError(
                    _("Choose the attorney who will lead the case."),
                    code="attorney",
                    field="attorney",
                )
            if (
                attorney.organization_id != locked.organization_id
                or not attorney.user.is_active
                or not Membership.objects.active()
                .filter(user_id=attorney.user_id, organization_id=locked.organization_id)
                .exists()
            ):
                raise ReferralError(
                    _("The lead attorney must be an active attorney of your organization."),
                    code="attorney",
                    field="attorney",
                )
            now = timezone.now()
            locked.status = ReferralStatus.ACCEPTED
            locked.responded_at = now
            locked.responded_by = by
            locked.lead_attorney = attorney
            locked.conflict_waived = bool(conflict_waived and locked.conflict == ConflictStatus.HIT)
            locked.save()
            case = case_open(
                organization=locked.organization,
                lead_attorney=attorney.user,
                subject=request.subject,
                client={
                    "name": request.name,
                    "a_number": request.a_number,
                    "date_of_birth": request.date_of_birth,
                    "phone": request.phone,
                    "email": request.email,
                },
                custody=request.custody,
                facility=request.facility,
                court=request.court,
                practice_area=request.practice_area,
                next_hearing=request.next_hearing
                if request.next_hearing and request.next_hearing >= timezone.localdate()
                else None,
                language=request.language,
                referral_id=locked.pk,
                adverse_parties=[p.name for p in request.adverse_parties.all()],
                by=by,
            )
            locked.case_id = str(case.pk)
            locked.save(update_fields=["case_id"])
            help_request_mark(help_request=request, state=RequestState.PLACED)
            audit_record(
                actor=by,
                action="referrals.referral.accepted",
                obj=locked,
                reason="conflict checked and waived by the provider"
                if locked.conflict_waived
                else "",
            )
    except IntegrityError as exc:
        raise ReferralError(_("This request was already accepted."), code="accepted") from exc
    except ReferralError:
        raise
    except DjangoValidationError as exc:
        raise ReferralError(
            _("The case could not be opened: %(detail)s") % {"detail": " ".join(exc.messages)},
            code="invalid",
        ) from exc
    logger.info("referral accepted id=%s case=%s", locked.pk, case.pk)
    return case


def referral_decline(*, referral: Referral, by: User, reason: str) -> Referral:
    """The provider says no, with a reason; the request goes to the next provider (or to the
    escalation queue) in the same transaction, routed by :data:`SYSTEM` (the provider does
    not choose who gets it next)."""
    with transaction.atomic():
        locked = _lock_referral(referral)
        _check_answerable(locked, by)
        if reason not in DeclineReason.values:
            raise ReferralError(_("Choose a reason."), code="reason", field="reason")
        request = _lock_request(locked.help_request_id)
        locked.status = ReferralStatus.DECLINED
        locked.decline_reason = reason
        locked.responded_at = timezone.now()
        locked.responded_by = by
        locked.save(update_fields=["status", "decline_reason", "responded_at", "responded_by"])
        audit_record(actor=by, action="referrals.referral.declined", obj=locked, reason=reason)
        if request.state == RequestState.REFERRED:
            help_request_mark(help_request=request, state=RequestState.WAITING)
        referral_route(help_request=request, by=SYSTEM)
    return locked


def referral_expire(
    *, referral: Referral | int, by: Actor, now: datetime.datetime | None = None
) -> Referral | None:
    """Expire a referral whose answer is overdue, and reroute its request (to the next provider
    or the escalation queue). Returns the expired referral; None (and nothing changes) when it
    was answered meanwhile or is not due yet, so running it twice is harmless. The scheduler
    (:data:`SYSTEM`) or fund staff."""
    require(is_system(by) or can_route_requests(by))
    now = now or timezone.now()
    referral_id = referral.pk if isinstance(referral, Referral) else referral
    with transaction.atomic():
        locked = Referral.objects.select_for_update().filter(pk=referral_id).first()
        if locked is None or locked.status != ReferralStatus.PENDING or locked.due_at > now:
            return None
        request = _lock_request(locked.help_request_id)
        locked.status = ReferralStatus.EXPIRED
        locked.responded_at = now
        locked.save(update_fields=["status", "responded_at"])
        audit_record(actor=by, action="referrals.referral.expired", obj=locked, reason="sla")
        hooks.referral_rerouted_away(locked)
        if request.state == RequestState.REFERRED:
            help_request_mark(help_request=request, state=RequestState.WAITING)
        referral_route(help_request=request, by=SYSTEM, now=now)
    return locked


def referrals_expire_overdue(*, by: Actor, now: datetime.datetime | None = None) -> int:
    """Expire (and reroute) every overdue referral; returns how many expired."""
    require(is_system(by) or can_route_requests(by))
    now = now or timezone.now()
    ids = list(
        Referral.objects.filter(status=ReferralStatus.PENDING, due_at__lte=now)
        .order_by("due_at")
        .values_list("pk", flat=True)
    )
    return sum(
        1
        for referral_id in ids
        if referral_expire(referral=referral_id, by=by, now=now) is not None
    )


#: How long a request may await its routing task before the sweep routes it itself: the task
#: normally runs within seconds of the commit; this leaves it room under load.
ROUTING_GRACE = datetime.timedelta(minutes=2)


def referrals_route_stranded(*, by: Actor, now: datetime.datetime | None = None) -> int:
    """Route every request still awaiting the router ``ROUTING_GRACE`` after it was handed to
    it (its task was lost: pruned, failed, or never sent by a backend that enqueues after the
    commit); returns how many were sent or escalated. Each in its own transaction; a request
    routed meanwhile is left as it is. The periodic sweep (:data:`SYSTEM`) or fund staff."""
    require(is_system(by) or can_route_requests(by))
    now = now or timezone.now()
    ids = list(
        HelpRequest.objects.filter(
            awaiting_routing=True,
            state=RequestState.WAITING,
            purged_at__isnull=True,
            state_changed_at__lte=now - ROUTING_GRACE,
        )
        .order_by("-priority", "created_at")
        .values_list("pk", flat=True)
    )
    routed = 0
    for request_id in ids:
        referral_route(help_request=HelpRequest(pk=request_id), by=by, now=now)
        routed += not HelpRequest.objects.filter(pk=request_id, awaiting_routing=True).exists()
    if ids:
        logger.warning("routing sweep: %s of %s stranded requests routed", routed, len(ids))
    return routed


def best_candidate(help_request: HelpRequest) -> Candidate | None:
    """The provider single routing would pick now (for staff pages)."""
    found = candidates(help_request, policy_for(help_request.program_id))
    return found[0] if found else None


def best_candidates(help_requests: list[HelpRequest]) -> dict[Any, Candidate | None]:
    """:func:`best_candidate` for each request (by id), for a list page: the attorneys, the
    areas and each program's rules are read once, whatever the number of requests."""
    areas = organization_areas()
    pool = available_attorneys()
    policies: dict[int | None, IntakePolicy] = {}
    best: dict[Any, Candidate | None] = {}
    for help_request in help_requests:
        program = help_request.program_id
        if program not in policies:
            policies[program] = policy_for(program)
        found = candidates(help_request, policies[program], areas=areas, pool=pool)
        best[help_request.pk] = found[0] if found else None
    return best
