"""Where the apps above intake plug into a help request's life.

Intake sits below referrals: a referral points at a help request, so referrals imports intake
and never the other way (an import-linter contract keeps it so). What intake needs from the
router goes through these hooks, which the referrals app fills in its ``AppConfig.ready()``:

- :data:`ON_WAITING`: a request became eligible and waits for a provider. Called inside the
  transaction that made it so (the router queues its task so that a worker sees the request
  only once it is committed), with ``created`` true when the request was created waiting
  (nothing else can know of a request that did not exist: the text-message status hook then
  has nobody to tell, and asks nothing).
- :data:`ON_CLOSED`: staff closed an open request, inside the close's transaction (the router
  withdraws the pending referral).
- :data:`BECAME_CASE`: does anything say the request became a case? Purging refuses it then.
- :data:`DETAIL_CONTEXT`: more context for the staff detail page of a request (its referrals,
  the best provider for it).
- :data:`DETAIL_SECTIONS`: more context for the staff detail page, given the user too, called
  only when that user may see who the person is and the request was not purged (the text
  conversation of ``amparo.sms``, decrypted and its read audited for that user).
- :data:`IDENTITY_VISIBLE`: may this user see who the person is? Once the request became a
  case, the case's rules decide (fund staff never see a client's identity; intake workers have
  no access to the case): the pages then show initials only. Every hook must agree.
- :data:`PUBLIC_PLACEMENT`: who took the request, as the person may read it on the public status
  page (the organization's name and public phone), or None while nobody has.

Without the referrals app the hooks are empty: a request just waits.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from amparo.core.hooks import hook_register as hook_register  # the one way to fill a hook

if TYPE_CHECKING:
    from .models import HelpRequest

ON_WAITING: list[Callable[[HelpRequest, bool], None]] = []
ON_CLOSED: list[Callable[[HelpRequest, datetime.datetime], None]] = []
BECAME_CASE: list[Callable[[HelpRequest], bool]] = []
DETAIL_CONTEXT: list[Callable[[HelpRequest], dict[str, Any]]] = []
IDENTITY_VISIBLE: list[Callable[[Any, HelpRequest], bool]] = []
DETAIL_SECTIONS: list[Callable[[Any, HelpRequest], dict[str, Any]]] = []


@dataclass(frozen=True)
class PublicPlacement:
    """The provider that accepted a request, in words the person asking for help may read."""

    organization: str
    phone: str  # the organization's public phone, "" if it has none
    tel: str  # ``tel:`` link of that phone, "" when it cannot be read


PUBLIC_PLACEMENT: list[Callable[[HelpRequest], PublicPlacement | None]] = []


def request_waiting(request: HelpRequest, *, created: bool = False) -> None:
    for hook in ON_WAITING:
        hook(request, created)


def request_closed(request: HelpRequest, now: datetime.datetime) -> None:
    for hook in ON_CLOSED:
        hook(request, now)


def request_became_case(request: HelpRequest) -> bool:
    return any(hook(request) for hook in BECAME_CASE)


def request_detail_context(request: HelpRequest) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for hook in DETAIL_CONTEXT:
        context.update(hook(request))
    return context


def request_detail_sections(user: Any, request: HelpRequest) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for hook in DETAIL_SECTIONS:
        context.update(hook(user, request))
    return context


def request_identity_visible(user: Any, request: HelpRequest) -> bool:
    """Whether ``user``, who may open ``request``, may also see the person's identity on it."""
    return all(hook(user, request) for hook in IDENTITY_VISIBLE)


def request_public_placement(request: HelpRequest) -> PublicPlacement | None:
    """Who took ``request``, for the public status page; None while nobody has."""
    for hook in PUBLIC_PLACEMENT:
        found = hook(request)
        if found is not None:
            return found
    return None
