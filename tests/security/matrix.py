"""The access matrix harness: reads docs/access-matrix.toml, builds a world, visits the rows.

How to add a row for a new URL (the coverage test tells you when one is missing):

1. Add a ``[[page]]`` (or ``[[api]]``) table to ``docs/access-matrix.toml`` with the status you
   expect for each of the seven roles, decided from docs/architecture.md ("Who uses it"), not from what
   the code happens to answer today. The failing coverage test prints a draft of the missing
   rows, with the statuses observed right now, for you to review and paste.
2. If the path names an object, write it with a placeholder (``/cases/{case}/``) and give
   ``own`` and ``other`` statuses instead of ``expect``. A new kind of object needs a builder:
   add a function to ``PLACEHOLDERS`` below (it gets the world, the scope and the role, and
   returns the value to put in the path).
"""

from __future__ import annotations

import datetime
import json
import re
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.utils import timezone

from amparo.accounts.roles import PROVIDER_ROLES, Role
from amparo.core.services import SYSTEM
from tests.support.url_walk import UrlEntry, url_entries

MATRIX_PATH = Path(settings.BASE_DIR) / "docs" / "access-matrix.toml"

#: Every row gives a status for each of these, in this order.
ROLES: tuple[str, ...] = (
    "anonymous",
    "fund_admin",
    "board_member",
    "intake_worker",
    "provider_admin",
    "attorney",
    "donor",
    "translator",
)
SCOPES = ("own", "other")
STATUSES = frozenset({200, 201, 204, 301, 302, 400, 401, 403, 404, 405, 409, 410, 422, 429})


# --- The table ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    kind: str  # "page" or "api"
    #: Pages: the URL pattern's name (``namespace:name``) or, for unnamed ones, its route.
    #: API: ``"METHOD /api/v1/path/{param}"`` as in the OpenAPI schema.
    key: str
    method: str
    path: str
    #: scope ("any", or "own" and "other") -> role -> expected status
    expect: dict[str, dict[str, int]]
    data: dict[str, Any] = field(default_factory=dict)
    json: dict[str, Any] | None = None
    note: str = ""

    @property
    def scopes(self) -> tuple[str, ...]:
        return tuple(self.expect)

    @property
    def label(self) -> str:
        return f"{self.key} {self.method}" if self.kind == "page" else self.key


@dataclass(frozen=True)
class OutOfScope:
    reason: str
    name_prefix: str = ""
    route_prefix: str = ""

    def matches(self, entry: UrlEntry) -> bool:
        if self.name_prefix and entry.name and entry.name.startswith(self.name_prefix):
            return True
        return bool(self.route_prefix and entry.route.startswith(self.route_prefix))


@dataclass(frozen=True)
class IdentityRow:
    """``[[identity]]``: on a page that shows a person, who sees who the person is (their name)
    and who sees initials or nothing: scope -> role -> shown."""

    key: str
    path: str
    shown: dict[str, dict[str, bool]]
    note: str = ""


@dataclass(frozen=True)
class Matrix:
    rows: list[Row]
    out_of_scope: list[OutOfScope]
    problems: list[str]
    identity: list[IdentityRow] = field(default_factory=list)


def _statuses(table: Any, where: str, problems: list[str]) -> dict[str, int]:
    if not isinstance(table, dict):
        problems.append(f"{where}: expected a table of role = status")
        return {}
    missing = [r for r in ROLES if r not in table]
    extra = [r for r in table if r not in ROLES]
    bad = [f"{r}={s}" for r, s in table.items() if s not in STATUSES]
    if missing:
        problems.append(f"{where}: no status for {', '.join(missing)}")
    if extra:
        problems.append(f"{where}: unknown roles {', '.join(extra)}")
    if bad:
        problems.append(f"{where}: unusual statuses {', '.join(bad)}")
    return {r: int(table[r]) for r in ROLES if r in table}


def load_matrix(path: Path = MATRIX_PATH) -> Matrix:
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    rows: list[Row] = []
    problems: list[str] = []
    for kind in ("page", "api"):
        for i, item in enumerate(raw.get(kind, [])):
            if kind == "page":
                key = item.get("name") or item.get("route")
                method = str(item.get("method", "GET")).upper()
                path_template = item.get("path", "")
            else:
                key = item.get("operation", "")
                method, _sep, op_path = key.partition(" ")
                path_template = item.get("path", op_path)
            where = f"[[{kind}]] #{i + 1} ({key or '?'})"
            if not key or not path_template:
                problems.append(
                    f"{where}: needs {'name' if kind == 'page' else 'operation'} and path"
                )
                continue
            expect: dict[str, dict[str, int]] = {}
            if "expect" in item:
                expect["any"] = _statuses(item["expect"], f"{where} expect", problems)
            for scope in SCOPES:
                if scope in item:
                    expect[scope] = _statuses(item[scope], f"{where} {scope}", problems)
            if list(expect) not in (["any"], list(SCOPES)):
                problems.append(f"{where}: give either expect, or both own and other")
                continue
            if "{" in path_template and "any" in expect and not item.get("shared", False):
                problems.append(
                    f"{where}: the path names an object; give own and other "
                    "(or shared = true when the object belongs to nobody)"
                )
            rows.append(
                Row(
                    kind=kind,
                    key=key,
                    method=method,
                    path=path_template,
                    expect=expect,
                    data=dict(item.get("data", {})),
                    json=item.get("json"),
                    note=str(item.get("note", "")),
                )
            )
    seen: set[tuple[str, str, str]] = set()
    for row in rows:
        ident = (row.kind, row.key, row.method)
        if ident in seen:
            problems.append(f"two rows for {row.label}")
        seen.add(ident)
    out = [
        OutOfScope(
            reason=str(o.get("reason", "")),
            name_prefix=str(o.get("name_prefix", "")),
            route_prefix=str(o.get("route_prefix", "")),
        )
        for o in raw.get("out_of_scope", [])
    ]
    for o in out:
        if not o.reason or not (o.name_prefix or o.route_prefix):
            problems.append(f"out_of_scope {o}: needs a prefix and a reason")
    identity: list[IdentityRow] = []
    for i, item in enumerate(raw.get("identity", [])):
        where = f"[[identity]] #{i + 1} ({item.get('name', '?')})"
        shown: dict[str, dict[str, bool]] = {}
        for scope in SCOPES:
            table = item.get(scope)
            if not isinstance(table, dict) or sorted(table) != sorted(ROLES):
                problems.append(f"{where}: {scope} needs true or false for every role")
                continue
            if any(not isinstance(v, bool) for v in table.values()):
                problems.append(f"{where}: {scope} takes true or false")
                continue
            shown[scope] = dict(table)
        if not item.get("name") or not item.get("path") or len(shown) != len(SCOPES):
            problems.append(f"{where}: needs name, path, own and other")
            continue
        identity.append(
            IdentityRow(
                key=str(item["name"]),
                path=str(item["path"]),
                shown=shown,
                note=str(item.get("note", "")),
            )
        )
    return Matrix(rows=rows, out_of_scope=out, problems=problems, identity=identity)


# --- What must be covered ----------------------------------------------------------------------

_CONVERTER = re.compile(r"<(?:[^>:]+:)?([^>]+)>")


def api_route(entry: UrlEntry) -> str:
    """``api/v1/cases/<case_id>`` -> ``/api/v1/cases/{case_id}`` (the OpenAPI spelling)."""
    return "/" + _CONVERTER.sub(r"{\1}", entry.route)


def api_operations() -> list[str]:
    from amparo.api.api import api

    schema = api.get_openapi_schema()
    return sorted(
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method in operations
    )


def is_api_operation(entry: UrlEntry) -> bool:
    return entry.module.startswith("ninja.")


def uncovered(matrix: Matrix) -> tuple[list[UrlEntry], list[str]]:
    """Patterns and API operations that have no row and are not declared out of scope."""
    page_keys = {row.key for row in matrix.rows if row.kind == "page"}
    api_keys = {row.key for row in matrix.rows if row.kind == "api"}
    operations = api_operations()
    operation_paths = {op.partition(" ")[2] for op in operations}
    missing_pages = []
    for entry in url_entries():
        if entry.key in page_keys or any(o.matches(entry) for o in matrix.out_of_scope):
            continue
        if is_api_operation(entry) and api_route(entry) in operation_paths:
            continue  # its operations need rows of their own, checked below
        missing_pages.append(entry)
    missing_ops = [op for op in operations if op not in api_keys]
    return missing_pages, missing_ops


def stale(matrix: Matrix) -> list[str]:
    """Rows whose pattern or operation no longer exists."""
    keys = {e.key for e in url_entries()}
    ops = set(api_operations())
    found = []
    for row in matrix.rows:
        if row.kind == "page" and row.key not in keys:
            found.append(row.label)
        if row.kind == "api" and row.key not in ops:
            found.append(row.label)
    return found


# --- The world: seven visitors and objects that are theirs or not ------------------------------


def _factories() -> Any:
    """tests.factories, typed loosely: factory_boy's classes are not typed."""
    import tests.factories

    return tests.factories


class World:
    """One visitor per role, two provider organizations, and objects built on demand.

    ``own``: the object belongs to the visitor's organization (provider roles are members of
    ``orgs["own"]``; the attorney leads its cases) or to the visitor themself (tokens, feeds).
    ``other``: it belongs to another organization or another person. Roles without an
    organization see the same objects under both names.
    """

    def __init__(self) -> None:
        f = _factories()

        self.orgs = {"own": f.OrganizationFactory(), "other": f.OrganizationFactory()}
        self.users: dict[str, Any] = {}
        for role in ROLES[1:]:
            user = f.UserFactory(role=role)
            f.enrol_totp(user)
            if role in PROVIDER_ROLES:
                f.MembershipFactory(user=user, organization=self.orgs["own"])
            if role == Role.ATTORNEY:
                f.AttorneyProfileFactory(user=user, organization=self.orgs["own"])
            self.users[role] = user
        # the people of the other organization
        self.strangers: dict[str, Any] = {}
        for role in (Role.PROVIDER_ADMIN, Role.ATTORNEY):
            user = f.UserFactory(role=role)
            f.enrol_totp(user)
            f.MembershipFactory(user=user, organization=self.orgs["other"])
            if role == Role.ATTORNEY:
                f.AttorneyProfileFactory(user=user, organization=self.orgs["other"])
            self.strangers[role] = user
        self._built: dict[tuple[str, str, str], str] = {}
        #: Objects several placeholders share (a case, its hearing, its deadlines), per scope.
        self.objects: dict[tuple[str, str], Any] = {}

    def people(self, scope: str) -> dict[str, Any]:
        """The provider admin and the attorney of the ``scope`` organization."""
        if scope == "own":
            return {r: self.users[r] for r in (Role.PROVIDER_ADMIN, Role.ATTORNEY)}
        return self.strangers

    def owner(self, scope: str, role: str) -> Any:
        """Who owns a personal object (a token, a feed): the visitor, or a stranger."""
        if scope == "own" and role != "anonymous":
            return self.users[role]
        return self.strangers[Role.ATTORNEY]

    def value(self, name: str, scope: str, role: str) -> str:
        builder = PLACEHOLDERS.get(name)
        if builder is None:
            raise KeyError(
                f"no builder for {{{name}}}: add one to PLACEHOLDERS in tests/security/matrix.py"
            )
        personal = name in PERSONAL_PLACEHOLDERS
        key = (name, scope, role if personal else "")
        if key not in self._built:
            self._built[key] = str(builder(self, scope, role))
        return self._built[key]

    def fill(self, template: str, scope: str, role: str) -> str:
        names = re.findall(r"{(\w+)}", template)
        values = {n: self.value(n, "own" if scope == "any" else scope, role) for n in names}
        return template.format(**values)

    def client(self, role: str) -> Client:
        client = Client(raise_request_exception=False)
        if role != "anonymous":
            client.force_login(
                self.users[role], backend="django.contrib.auth.backends.ModelBackend"
            )
        return client

    def api_token(self, role: str) -> str | None:
        if role == "anonymous":
            return None
        key = ("api-token", "own", role)
        if key not in self._built:
            from amparo.accounts.services import api_token_create

            _token, raw = api_token_create(user=self.users[role], name="access matrix")
            self._built[key] = raw
        return self._built[key]


# --- Builders for placeholders ------------------------------------------------------------------
# Each gets (world, scope, role) and returns what goes into the path. Prefer the owning app's
# services, so objects are as real as the ones people create.


def _org(world: World, scope: str, role: str) -> str:
    return str(world.orgs[scope].slug)


def _token(world: World, scope: str, role: str) -> int:
    from amparo.accounts.services import api_token_create

    token, _raw = api_token_create(user=world.owner(scope, role), name="matrix")
    return int(token.pk)


def _program(world: World, scope: str, role: str) -> str:
    f = _factories()

    return str(f.ProgramFactory().slug)


def _office(world: World, scope: str, role: str) -> int:
    f = _factories()

    return int(f.OfficeFactory(organization=world.orgs[scope]).pk)


def _membership(world: World, scope: str, role: str) -> int:
    """A colleague's membership in the ``scope`` organization (not the visitor's own)."""
    f = _factories()

    colleague = f.UserFactory(role=Role.ATTORNEY)
    return int(f.MembershipFactory(user=colleague, organization=world.orgs[scope]).pk)


def _case_object(world: World, scope: str) -> Any:
    key = ("case", scope)
    if key not in world.objects:
        from amparo.cases.services import case_open
        from amparo.vault.services import subject_create

        lead = world.people(scope)[Role.ATTORNEY]
        case = case_open(
            organization=world.orgs[scope],
            lead_attorney=lead,
            subject=subject_create(kind="client"),
            client={"name": "Synthetic Client", "date_of_birth": datetime.date(1990, 4, 1)},
            custody="never_detained",
            court="Denver Immigration Court",
            next_hearing=timezone.localdate() + datetime.timedelta(days=40),
            by=lead,
        )
        world.objects[key] = case
    return world.objects[key]


def _case(world: World, scope: str, role: str) -> str:
    return str(_case_object(world, scope).pk)


def _hearing(world: World, scope: str, role: str) -> int:
    return int(_case_object(world, scope).hearings.order_by("pk").first().pk)


def _deadline(world: World, scope: str, role: str) -> int:
    return int(_case_object(world, scope).deadlines.order_by("pk").first().pk)


def _document(world: World, scope: str, role: str) -> str:
    from amparo.cases.services import document_add

    case = _case_object(world, scope)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    lead = world.people(scope)[Role.ATTORNEY]
    return str(document_add(case=case, data=pdf, filename="notice.pdf", kind="notice", by=lead).pk)


def _assignment(world: World, scope: str, role: str) -> int:
    """A team member who is not the lead (the provider admin, as assistant)."""
    from amparo.cases.services import team_add

    case = _case_object(world, scope)
    people = world.people(scope)
    assignment = team_add(
        case=case,
        user=people[Role.PROVIDER_ADMIN],
        role="assistant",
        by=people[Role.PROVIDER_ADMIN],
    )
    return int(assignment.pk)


def _transition(world: World, scope: str, role: str) -> str:
    return "activate"


def _feed(world: World, scope: str, role: str) -> int:
    from amparo.deadlines.services import feed_create

    feed, _raw = feed_create(by=world.owner(scope, role), scope="attorney", name="Phone")
    return int(feed.pk)


def _feed_token(world: World, scope: str, role: str) -> str:
    from amparo.deadlines.services import feed_create

    _feed_row, raw = feed_create(by=world.owner(scope, role), scope="attorney", name="Phone")
    return raw


def _step(world: World, scope: str, role: str) -> str:
    from amparo.intake.wizard import STEPS

    return STEPS[0].slug


def _help_request_object(world: World, scope: str) -> Any:
    """A help request referred to the ``scope`` organization."""
    key = ("help-request", scope)
    if key not in world.objects:
        from faker import Faker

        from amparo.intake.models import IntakePolicy
        from amparo.intake.services import help_request_submit
        from amparo.referrals.services import referral_route
        from tests.intake.helpers import request_data

        f = _factories()

        if not IntakePolicy.objects.exists():
            IntakePolicy.objects.create(
                program=f.ProgramFactory(),
                counties=["Denver"],
                zip_codes=["80203"],
                facilities=[
                    {"name": "Front Range Processing Center", "county": "Adams", "local": True}
                ],
                courts=["Denver Immigration Court"],
            )
        fake = Faker(["en_US"])
        fake.seed_instance(100 if scope == "own" else 200)
        submission = help_request_submit(data=request_data(fake), source="public", by=SYSTEM)
        request = submission.help_request
        referral = referral_route(
            help_request=request, organization=world.orgs[scope], by=world.users[Role.FUND_ADMIN]
        )
        assert referral is not None and referral.organization_id == world.orgs[scope].pk, (
            f"could not refer a help request to the {scope} organization"
        )
        world.objects[key] = request
    return world.objects[key]


def _case_request_object(world: World, scope: str) -> Any:
    """A help request the ``scope`` organization accepted: it became that organization's case,
    led by its attorney. Its identity then follows the case's rules."""
    key = ("case-request", scope)
    if key not in world.objects:
        from faker import Faker

        from amparo.intake.services import help_request_submit
        from amparo.organizations.models import AttorneyProfile
        from amparo.referrals.services import referral_accept, referral_route
        from tests.intake.helpers import request_data

        _help_request_object(world, scope)  # the intake policy
        fake = Faker(["en_US"])
        fake.seed_instance(300 if scope == "own" else 400)
        request = help_request_submit(
            data=request_data(fake), source="public", by=SYSTEM
        ).help_request
        referral = referral_route(
            help_request=request, organization=world.orgs[scope], by=world.users[Role.FUND_ADMIN]
        )
        assert referral is not None
        people = world.people(scope)
        referral_accept(
            referral=referral,
            by=people[Role.PROVIDER_ADMIN],
            lead_attorney=AttorneyProfile.objects.get(user=people[Role.ATTORNEY]),
            conflict_waived=True,
        )
        world.objects[key] = request
    return world.objects[key]


def _case_request(world: World, scope: str, role: str) -> str:
    return str(_case_request_object(world, scope).pk)


def _case_referral(world: World, scope: str, role: str) -> int:
    request = _case_request_object(world, scope)
    return int(request.referrals.order_by("pk").first().pk)


def _request(world: World, scope: str, role: str) -> str:
    return str(_help_request_object(world, scope).pk)


def _referral(world: World, scope: str, role: str) -> int:
    request = _help_request_object(world, scope)
    return int(request.referrals.order_by("pk").first().pk)


def _guideline(world: World, scope: str, role: str) -> int:
    from amparo.intake.models import PovertyGuideline

    guideline = PovertyGuideline.objects.order_by("-year").first()
    assert guideline is not None, "no poverty guideline: the intake migrations should add them"
    return int(guideline.pk)


def _profile(world: World, scope: str, role: str) -> int:
    return int(world.people(scope)[Role.ATTORNEY].attorney_profile.pk)


def _email_key(world: World, scope: str, role: str) -> str:
    return "not-a-real-key"


def _reset_key(world: World, scope: str, role: str) -> str:
    return "0-not-a-real-key"


def _grant_object(world: World, scope: str) -> Any:
    """An award to the ``scope`` organization, decided today in a round funded by the city."""
    key = ("grant", scope)
    if key not in world.objects:
        from amparo.grants.models import Application, GrantRound, RoundStatus
        from amparo.grants.services import award_decide, round_create
        from amparo.ledger import chart
        from amparo.ledger.services import PostingSpec, entry_post, restriction_ensure

        admin = world.users[Role.FUND_ADMIN]
        today = timezone.localdate()
        city = restriction_ensure(
            slug=f"matrix-city-{scope}",
            name=f"Matrix city money ({scope})",
            kind="public",
            grant_categories=["detained_removal"],
            by=SYSTEM,
        )
        entry_post(
            postings=[
                PostingSpec(chart.CASH, 1_000_000, "USD", city),
                PostingSpec(chart.PUBLIC_FUNDS, -1_000_000, "USD", city),
            ],
            memo="Matrix appropriation",
            effective_date=today - datetime.timedelta(days=3),
            by=SYSTEM,
            source="appropriation",
            source_ref=f"MATRIX-{scope}",
        )
        grant_round = round_create(
            name=f"Matrix round ({scope})",
            budget=1_000_000,
            opens_on=today - datetime.timedelta(days=60),
            closes_on=today - datetime.timedelta(days=30),
            restriction=city,
            categories=["detained_removal"],
            by=admin,
        )
        GrantRound.objects.filter(pk=grant_round.pk).update(status=RoundStatus.IN_REVIEW)
        application = Application.objects.create(
            round=grant_round,
            organization=world.orgs[scope],
            category="detained_removal",
            narrative="Removal defense for detained people.",
            requested=500_000,
        )
        world.objects[key] = award_decide(application=application, amount=500_000, by=admin)
    return world.objects[key]


def _grant(world: World, scope: str, role: str) -> int:
    return int(_grant_object(world, scope).pk)


def _round(world: World, scope: str, role: str) -> int:
    """The round of the ``scope`` organization's award (rounds belong to the fund: ``own`` and
    ``other`` differ by whose application it holds)."""
    return int(_grant_object(world, scope).application.round_id)


def _notification(world: World, scope: str, role: str) -> int:
    """A notification of the visitor (``own``) or of a stranger (``other``), of a kind the
    recipient's role receives (any kind for a role that receives none: the door is what counts)."""
    from amparo.notify.models import ROLE_KINDS, NotificationKind
    from amparo.notify.notifications import notifications_create

    recipient = world.owner(scope, role)
    kinds = ROLE_KINDS.get(recipient.role, (NotificationKind.CASE_ASSIGNED,))
    (notification,) = notifications_create(
        recipients=[recipient],
        kind=kinds[0],
        subject=f"matrix:{scope}",
        occasion=role,  # one per visitor: a stranger's other notification is made once per role
        reference="C-MATRIX",
        url="/dashboard/",
    )
    return int(notification.pk)


def _donor(world: World, scope: str, role: str) -> str:
    """A donor (fund records belong to no organization: the same one for every scope)."""
    key = ("donor", "shared")
    if key not in world.objects:
        from amparo.donations.services import donor_create

        world.objects[key] = donor_create(
            name="Synthetic Donor", email="synthetic.donor@example.org", by=SYSTEM
        )
    return str(world.objects[key].pk)


def _quarter(world: World, scope: str, role: str) -> str:
    """The current calendar quarter (``2026-Q4``): a grant decided today reports on it."""
    today = timezone.localdate()
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"


#: Placeholder name -> builder. Names in paths: ``/organizations/{org}/offices/{office}/``.
PLACEHOLDERS: dict[str, Callable[[World, str, str], Any]] = {
    "org": _org,
    "token": _token,
    "program": _program,
    "office": _office,
    "membership": _membership,
    "case": _case,
    "hearing": _hearing,
    "deadline": _deadline,
    "document": _document,
    "assignment": _assignment,
    "transition": _transition,
    "feed": _feed,
    "feed_token": _feed_token,
    "step": _step,
    "request": _request,
    "referral": _referral,
    "case_request": _case_request,
    "case_referral": _case_referral,
    "guideline": _guideline,
    "profile": _profile,
    "email_key": _email_key,
    "reset_key": _reset_key,
    "grant": _grant,
    "round": _round,
    "notification": _notification,
    "quarter": _quarter,
    "donor": _donor,
}
#: Placeholders whose "own" object belongs to the visiting person, not their organization.
PERSONAL_PLACEHOLDERS = frozenset({"token", "feed", "feed_token", "notification"})


# --- Visiting ------------------------------------------------------------------------------------


@contextmanager
def rolled_back() -> Iterator[None]:
    """Whatever a visit changes is undone, so the next role finds the same world."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def fetch(world: World, row: Row, scope: str, role: str) -> Any:
    """The response ``role`` gets for ``row`` on the ``scope`` object (changes rolled back)."""
    path = world.fill(row.path, scope, role)
    headers: dict[str, Any] = {}
    if row.kind == "api":
        raw = world.api_token(role)
        if raw:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    client = world.client(role)
    cache.clear()  # allauth keeps its rate limits in the cache
    with rolled_back():
        if row.json is not None:
            response = client.generic(
                row.method, path, json.dumps(row.json), content_type="application/json", **headers
            )
        elif row.method == "GET":
            response = client.get(path, row.data, **headers)
        elif row.method == "POST":
            response = client.post(path, row.data, **headers)
        else:
            response = client.generic(row.method, path, **headers)
    return response


def visit(world: World, row: Row, scope: str, role: str) -> int:
    """The status ``role`` gets for ``row`` on the ``scope`` object."""
    return int(fetch(world, row, scope, role).status_code)


def identity_seen(world: World, row: IdentityRow, scope: str) -> dict[str, bool]:
    """For each role: does the page show the person's name (on the ``scope`` object)?"""
    request = _case_request_object(world, scope)
    name = request.name
    probe = Row(kind="page", key=row.key, method="GET", path=row.path, expect={})
    return {
        role: name in fetch(world, probe, scope, role).content.decode(errors="replace")
        for role in ROLES
    }


def observed(world: World, row: Row, scope: str) -> dict[str, int]:
    return {role: visit(world, row, scope, role) for role in ROLES}


# --- Drafting rows for uncovered patterns --------------------------------------------------------


def draft_path(entry: UrlEntry) -> str:
    """The route with ``{placeholders}`` named after its parameters (rename to real ones)."""
    route = entry.route.replace("^", "").replace("$", "")
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", route)
    return "/" + _CONVERTER.sub(r"{\1}", route)


def inline(statuses: dict[str, int]) -> str:
    return "{ " + ", ".join(f"{r} = {statuses[r]}" for r in ROLES) + " }"


def draft(pages: list[UrlEntry], ops: list[str]) -> str:
    """TOML rows for uncovered patterns, with today's statuses where they can be observed.

    Today's statuses are a starting point for review, not the answer: decide each one from
    docs/architecture.md, and fix the code where it disagrees.
    """
    world = World()
    out = []
    for entry in pages:
        path = draft_path(entry)
        head = f'[[page]]\nname = "{entry.key}"\npath = "{path}"\n'
        if "{" in path:
            out.append(
                head
                + "own = { ... }  # placeholders: see PLACEHOLDERS in tests/security/matrix.py\nother = { ... }\n"
            )
            continue
        row = Row("page", entry.key, "GET", path, {"any": {}})
        out.append(
            head + f"expect = {inline(observed(world, row, 'any'))}  # observed today: review\n"
        )
    for op in ops:
        method, _sep, path = op.partition(" ")
        head = f'[[api]]\noperation = "{op}"\n'
        if "{" in path:
            out.append(head + 'path = "..."\nown = { ... }\nother = { ... }\n')
            continue
        row = Row("api", op, method, path, {"any": {}}, json={} if method != "GET" else None)
        out.append(
            head + f"expect = {inline(observed(world, row, 'any'))}  # observed today: review\n"
        )
    return "\n".join(out)
