"""Where the apps above referrals plug into a referral's life.

Notifications sit above referrals: a notification is about a referral, a request or a case, so
notify imports referrals and never the other way. What the router tells the world goes through
these hooks, which the notify app fills in its ``AppConfig.ready()``. Each is called inside the
service's transaction, so what it writes is kept or rolled back with the change itself; a hook
sends nothing itself (mail leaves through ``transaction.on_commit``).

- :data:`ON_SENT`: a referral was sent to a provider.
- :data:`ON_REROUTED_AWAY`: a referral nobody answered in time expired; the request moves on.
- :data:`ON_ESCALATED`: a request landed in the escalation queue (with the reason's code).

Without the notify app the hooks are empty: nobody is told.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from amparo.core.hooks import hook_register as hook_register  # the one way to fill a hook

if TYPE_CHECKING:
    from amparo.intake.models import HelpRequest

    from .models import Referral

ON_SENT: list[Callable[[Referral], None]] = []
ON_REROUTED_AWAY: list[Callable[[Referral], None]] = []
ON_ESCALATED: list[Callable[[HelpRequest, str], None]] = []


def referral_sent(referral: Referral) -> None:
    for hook in ON_SENT:
        hook(referral)


def referral_rerouted_away(referral: Referral) -> None:
    for hook in ON_REROUTED_AWAY:
        hook(referral)


def request_escalated(request: HelpRequest, reason: str) -> None:
    for hook in ON_ESCALATED:
        hook(request, reason)
