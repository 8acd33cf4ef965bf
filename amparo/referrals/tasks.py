"""Background tasks of routing. Arguments are ids only, never anything about the person."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from amparo.core.services import SYSTEM
from amparo.intake.models import HelpRequest


@task()
def route_help_request(help_request_id: str) -> dict[str, Any]:
    """Find a provider for a request that just became eligible (after its commit)."""
    from .services import referral_route

    request = HelpRequest.objects.filter(pk=help_request_id).first()
    if request is None:
        return {"referral": None}
    referral = referral_route(help_request=request, by=SYSTEM)
    return {"referral": referral.pk if referral else None}


@task()
def referral_sla_check(referral_id: int) -> dict[str, Any]:
    """Run when a referral's answer is due: expire and reroute it if nobody answered."""
    from .services import referral_expire

    expired = referral_expire(referral=int(referral_id), by=SYSTEM)
    return {"expired": expired is not None}


@task()
def referrals_sweep() -> dict[str, Any]:
    """Expire every overdue referral (for queues without deferred tasks, or a missed timer),
    and route every request whose routing task was lost."""
    from .services import referrals_expire_overdue, referrals_route_stranded

    return {
        "expired": referrals_expire_overdue(by=SYSTEM),
        "routed": referrals_route_stranded(by=SYSTEM),
    }


@task()
def assign_queue() -> dict[str, Any]:
    """Assign the waiting queue with the batch matcher."""
    from .services import referrals_assign_queue

    result = referrals_assign_queue(by=SYSTEM)
    return {
        "considered": result.considered,
        "referred": result.referred,
        "objective": result.objective,
    }
