"""Who may see and do what on a case: small named predicates (django-rules).

docs/architecture.md's role table, applied to cases:

- provider admins: every case of an organization they are an active admin of;
- attorneys: the cases they are on (an active assignment) in an organization they are an
  active member of, and every case of that organization when its
  ``attorneys_see_all_org_cases`` policy is on (to read; to change, they must be on the team);
- fund admins: every case, but only its non-privileged side: the reference, organization,
  type, stage, custody, court, hearings, deadlines and outcome. Not the client's identity or
  contact details, never notes or documents (privilege; minimization);
- intake workers, board members, donors and the public: no case at all.

Everything is asked of the database on each call, so revoking a membership or an assignment
takes effect on the next request. A read-only page that asks many questions about one case
(the case page: who sees the identity, who may edit, which transitions, the deadlines section)
wraps them in :func:`answers_remembered`: inside it, each membership and assignment question is
asked of the database once. Never around a write: a service asks afresh. Default deny: anything
not granted here is refused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar, cast

from rules.permissions import add_perm as _add_perm
from rules.predicates import predicate as _predicate

from amparo.accounts.roles import PROVIDER_ROLES, Role
from amparo.organizations.models import Membership

from .models import Case, CaseAssignment

F = TypeVar("F", bound=Callable[..., bool])


def predicate(func: F) -> F:
    """``rules.predicate``, typed: the result is called like the function it wraps."""
    return cast(F, _predicate(func))  # type: ignore[no-untyped-call]


def add_perm(name: str, pred: Callable[..., bool]) -> None:
    _add_perm(name, pred)  # type: ignore[no-untyped-call]


def _active_user(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


_remembered: ContextVar[dict[tuple[Any, ...], bool] | None] = ContextVar(
    "case_permission_answers", default=None
)


@contextmanager
def answers_remembered() -> Iterator[None]:
    """Within the block, ask each membership and assignment question of the database once.
    For one read-only page (one user, one request); the answers are forgotten on leaving."""
    token = _remembered.set({})
    try:
        yield
    finally:
        _remembered.reset(token)


def _asked(key: tuple[Any, ...], ask: Callable[[], bool]) -> bool:
    answers = _remembered.get()
    if answers is None:
        return ask()
    if key not in answers:
        answers[key] = ask()
    return answers[key]


def _member(user: Any, organization_id: int) -> bool:
    return _asked(
        ("member", user.pk, organization_id),
        lambda: (
            Membership.objects.active()
            .filter(user_id=user.pk, organization_id=organization_id)
            .exists()
        ),
    )


def _assigned(user: Any, case: Case) -> bool:
    return _asked(
        ("assigned", user.pk, case.pk),
        lambda: CaseAssignment.objects.filter(
            case_id=case.pk, user_id=user.pk, is_active=True
        ).exists(),
    )


@predicate
def is_case_fund_admin(user: Any, case: Case | None = None) -> bool:
    return _active_user(user) and user.role == Role.FUND_ADMIN


@predicate
def is_case_provider_admin(user: Any, case: Case | None) -> bool:
    """An active provider admin of the case's organization."""
    return (
        case is not None
        and _active_user(user)
        and user.role == Role.PROVIDER_ADMIN
        and _member(user, case.organization_id)
    )


@predicate
def is_on_case_team(user: Any, case: Case | None) -> bool:
    """An active assignment on the case, and still an active member of its organization."""
    if case is None or not _active_user(user) or user.role not in PROVIDER_ROLES:
        return False
    return _assigned(user, case) and _member(user, case.organization_id)


@predicate
def sees_all_org_cases(user: Any, case: Case | None) -> bool:
    """An attorney of an organization whose policy lets attorneys see all its cases."""
    return (
        case is not None
        and _active_user(user)
        and user.role == Role.ATTORNEY
        and case.organization.attorneys_see_all_org_cases
        and _member(user, case.organization_id)
    )


@predicate
def can_view_case(user: Any, case: Case | None) -> bool:
    """See the case at all (the fund admin's view leaves out privileged parts)."""
    return bool(
        is_case_fund_admin(user, case)
        or is_case_provider_admin(user, case)
        or is_on_case_team(user, case)
        or sees_all_org_cases(user, case)
    )


@predicate
def can_view_client_identity(user: Any, case: Case | None) -> bool:
    """The client's name, A-number, date of birth and contact details."""
    return bool(
        is_case_provider_admin(user, case)
        or is_on_case_team(user, case)
        or sees_all_org_cases(user, case)
    )


@predicate
def can_view_privileged(user: Any, case: Case | None) -> bool:
    """Privileged notes and documents: the provider's people only, never fund staff."""
    return bool(can_view_client_identity(user, case))


@predicate
def can_edit_case(user: Any, case: Case | None) -> bool:
    """Change the case: its team, and the provider admins of its organization. Nobody once the
    client's data was removed on request: every change would write under the destroyed key."""
    if _client_removed(case):
        return False
    return bool(is_case_provider_admin(user, case) or is_on_case_team(user, case))


@predicate
def can_manage_case_team(user: Any, case: Case | None) -> bool:
    """Add or remove people: the organization's provider admins and the lead attorney (not
    once the client's data was removed: the case is then read-only)."""
    return not _client_removed(case) and _answers_for_client(user, case)


def _answers_for_client(user: Any, case: Case | None) -> bool:
    """The organization's provider admins and the case's lead attorney."""
    if is_case_provider_admin(user, case):
        return True
    return (
        case is not None
        and _active_user(user)
        and case.lead_attorney_id == user.pk
        and bool(is_on_case_team(user, case))
    )


def _client_removed(case: Case | None) -> bool:
    """The client's data was shredded (on request): the case stays, read-only."""
    return case is not None and case.subject.is_shredded


@predicate
def can_close_case(user: Any, case: Case | None) -> bool:
    """Close or reopen: the lead attorney and the organization's provider admins."""
    return bool(can_manage_case_team(user, case))


@predicate
def can_override_deadline(user: Any, case: Case | None) -> bool:
    """Override a computed deadline (with a reason): attorneys on the team, provider admins."""
    if _client_removed(case):
        return False
    if is_case_provider_admin(user, case):
        return True
    return bool(is_on_case_team(user, case)) and user.role == Role.ATTORNEY


@predicate
def can_shred_client(user: Any, case: Case | None) -> bool:
    """Remove the client's data on request: the people who answer for the client, the
    organization's provider admins and the case's lead attorney (never fund staff)."""
    return _answers_for_client(user, case)


@predicate
def can_open_case(user: Any, organization: Any) -> bool:
    """Open a case for ``organization``: its provider admins and attorneys."""
    return (
        organization is not None
        and _active_user(user)
        and user.role in PROVIDER_ROLES
        and _member(user, organization.pk)
    )


add_perm("cases.view_case", can_view_case)
add_perm("cases.view_client_identity", can_view_client_identity)
add_perm("cases.view_privileged", can_view_privileged)
add_perm("cases.change_case", can_edit_case)
add_perm("cases.manage_team", can_manage_case_team)
add_perm("cases.close_case", can_close_case)
add_perm("cases.override_deadline", can_override_deadline)
add_perm("cases.open_case", can_open_case)
add_perm("cases.shred_client", can_shred_client)


@predicate
def can_see_all_org_cases(user: Any, organization: Any) -> bool:
    """Every case of ``organization``: its provider admins, and its attorneys when the
    organization's policy allows (for organization-wide calendars and dashboards)."""
    if organization is None or not _active_user(user) or not _member(user, organization.pk):
        return False
    return user.role == Role.PROVIDER_ADMIN or (
        user.role == Role.ATTORNEY and bool(organization.attorneys_see_all_org_cases)
    )
