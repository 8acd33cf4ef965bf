"""The router's side of intake's hooks (:mod:`amparo.intake.hooks`), registered in
``ReferralsConfig.ready()``: intake never imports referrals, referrals plugs into intake."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django_tasks_db import DatabaseBackend

from amparo.intake import hooks
from amparo.intake.models import HelpRequest, RequestState
from amparo.rights.hotlines import tel_uri

from .models import Referral, ReferralStatus
from .selectors import identity_visible, referral_history
from .services import best_candidate
from .tasks import route_help_request


def route_on_commit(request: HelpRequest, created: bool = False) -> None:
    """Queue the routing of ``request`` so that a worker sees it only once it is committed.

    With the database-backed queue the task row is written in the same transaction (a
    transactional outbox: it commits, or rolls back, with the request, and costs no second
    commit; a worker that is down finds the row when it starts); with any other backend it is
    sent after the commit. The task's backend decides, not ``default_task_backend``: that is a
    proxy, never an instance of a backend class.
    """
    request_id = str(request.pk)
    if isinstance(route_help_request.get_backend(), DatabaseBackend):
        route_help_request.enqueue(request_id)
    else:
        transaction.on_commit(lambda: route_help_request.enqueue(request_id))


def withdraw_pending(request: HelpRequest, now: datetime.datetime) -> None:
    """The request was closed: its pending referral is withdrawn (in the close's transaction)."""
    Referral.objects.filter(help_request=request, status=ReferralStatus.PENDING).update(
        status=ReferralStatus.WITHDRAWN, responded_at=now
    )


def was_accepted(request: HelpRequest) -> bool:
    """A provider accepted the request: it became a case."""
    return Referral.objects.filter(help_request=request, status=ReferralStatus.ACCEPTED).exists()


def public_placement(request: HelpRequest) -> hooks.PublicPlacement | None:
    """The organization that accepted ``request`` and its public phone, for the person's own
    status page: nothing about the attorney, and nothing before a provider accepted."""
    accepted = (
        Referral.objects.filter(help_request=request, status=ReferralStatus.ACCEPTED)
        .select_related("organization")
        .order_by("-responded_at", "-pk")
        .first()
    )
    if accepted is None:
        return None
    phone = accepted.organization.public_phone.strip()
    return hooks.PublicPlacement(
        organization=accepted.organization.name, phone=phone, tel=tel_uri(phone) if phone else ""
    )


def detail_context(request: HelpRequest) -> dict[str, Any]:
    """The request's referrals, and the provider routing would pick now, for the staff page."""
    routable = request.state in (RequestState.WAITING, RequestState.ESCALATED)
    return {
        "referrals": referral_history(help_request=request),
        "candidate": best_candidate(request) if routable else None,
    }


def handoff_register() -> None:
    hooks.hook_register(hooks.ON_WAITING, route_on_commit)
    hooks.hook_register(hooks.ON_CLOSED, withdraw_pending)
    hooks.hook_register(hooks.BECAME_CASE, was_accepted)
    hooks.hook_register(hooks.DETAIL_CONTEXT, detail_context)
    hooks.hook_register(hooks.IDENTITY_VISIBLE, identity_visible)
    hooks.hook_register(hooks.PUBLIC_PLACEMENT, public_placement)
