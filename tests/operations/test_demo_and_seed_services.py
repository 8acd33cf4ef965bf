"""The demo and seed registries and services, in process on the test database."""

from __future__ import annotations

import json
import stat

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db import transaction

from amparo.accounts.models import ApiToken, User
from amparo.accounts.roles import Role
from amparo.core import demo, seed
from amparo.core.demo import (
    DemoContext,
    demo_credentials_ensure,
    demo_credentials_valid,
    demo_seed,
    demo_steps,
    demo_users,
)
from amparo.organizations.models import AttorneyProfile, Fund, Membership, ProviderOrganization

pytestmark = pytest.mark.django_db

CORE_STEPS = ("fund", "organizations", "staff", "attorneys")


def core_seed() -> DemoContext:
    """The core app's steps only: later apps' steps are tested by those apps."""
    return demo_seed(steps=[s for s in demo_steps() if s.name in CORE_STEPS])


class Rollback(Exception):
    pass


def _snapshot(ctx: DemoContext) -> dict:
    return {
        "orgs": [o.name for o in ctx.organizations],
        "users": {
            r: [(u.email, u.first_name, u.last_name) for u in us] for r, us in ctx.users.items()
        },
        "attorneys": [
            (a.eoir_id, a.languages, a.practice_areas, a.capacity) for a in ctx.attorneys
        ],
    }


def test_demo_seed_is_the_same_every_time():
    snapshots = []
    for _ in range(2):
        with pytest.raises(Rollback), transaction.atomic():
            snapshots.append(_snapshot(core_seed()))
            raise Rollback
    assert snapshots[0] == snapshots[1]
    assert not Fund.objects.exists()  # rolled back: nothing left


def test_demo_seed_makes_every_role_enrolled_and_verified():
    ctx = core_seed()
    # Donors' accounts come with their gifts (the donations step), as digests with no address,
    # no password and no authenticator: the core steps make every other role.
    assert set(ctx.users) == set(Role.values) - {Role.DONOR}
    users = User.objects.all()
    assert users.count() == sum(len(u) for u in ctx.users.values())
    for user in users:
        assert user.is_demo
        assert not user.has_usable_password()  # until credentials are issued
        assert EmailAddress.objects.filter(
            user=user, email=user.email, verified=True, primary=True
        ).exists()
        assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    for org in ProviderOrganization.objects.all():
        admins = Membership.objects.filter(organization=org, user__role=Role.PROVIDER_ADMIN)
        assert admins.count() == 1
        assert org.offices.exists()
        assert AttorneyProfile.objects.filter(organization=org).exists()
    for profile in AttorneyProfile.objects.select_related("user"):
        profile.full_clean()  # languages, practice areas and EOIR ID pass the model's own rules
        assert Membership.objects.filter(
            user=profile.user, organization=profile.organization
        ).exists()


def test_a_later_app_can_add_a_step_between_the_core_ones():
    seen = []

    def after_orgs(ctx: DemoContext) -> None:
        seen.append((ctx.fund is not None, len(ctx.organizations), dict(ctx.users)))
        ctx.extra["note"] = "from a later app"

    demo.register_demo_step("test-between", after_orgs, order=25)
    try:
        names = [s.name for s in demo_steps()]
        assert names.index("organizations") < names.index("test-between") < names.index("staff")
        ctx = demo_seed(steps=[s for s in demo_steps() if s.name in (*CORE_STEPS, "test-between")])
    finally:
        demo.unregister_demo_step("test-between")
    assert seen == [(True, 5, {})]
    assert ctx.extra["note"] == "from a later app"
    assert "test-between" not in [s.name for s in demo_steps()]


def test_a_failing_step_leaves_nothing_behind():
    def broken(ctx: DemoContext) -> None:
        raise RuntimeError("boom")

    demo.register_demo_step("test-broken", broken, order=35)
    try:
        with pytest.raises(RuntimeError):
            demo_seed()
    finally:
        demo.unregister_demo_step("test-broken")
    assert not Fund.objects.exists()
    assert not User.objects.exists()


@pytest.fixture
def seeded(tmp_path):
    core_seed()
    path = tmp_path / "demo" / "credentials.json"
    entries, issued = demo_credentials_ensure(path)
    assert issued
    return path, entries


def test_credentials_are_written_privately_and_work(seeded):
    path, entries = seeded
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert json.loads(path.read_text()) == entries
    assert len(entries) == User.objects.count()
    for entry in entries:
        user = User.objects.get(email=entry["email"])
        assert user.check_password(entry["password"])
        token = ApiToken.objects.get(digest=ApiToken.digest_of(entry["api_token"]))
        assert token.user == user and token.is_active


def test_valid_credentials_are_kept_as_they_are(seeded):
    path, entries = seeded
    content = path.read_bytes()
    again, issued = demo_credentials_ensure(path)
    assert not issued
    assert again == entries
    assert path.read_bytes() == content
    # Without the fingerprint's shortcut, the passwords are checked one by one: still valid.
    assert demo_credentials_valid(entries)


@pytest.mark.parametrize(
    "spoil",
    [
        "password edited",
        "file deleted",
        "token revoked",
        "totp secret edited",
        "role edited",
        "user deactivated",
        "password changed in the database",
        "not a list",
    ],
)
def test_credentials_that_no_longer_work_are_rotated(seeded, spoil):
    path, entries = seeded
    changed = [dict(e) for e in entries]
    if spoil == "password edited":
        changed[1]["password"] = "something-else-entirely"
        path.write_text(json.dumps(changed))
    elif spoil == "file deleted":
        path.unlink()
    elif spoil == "token revoked":
        ApiToken.objects.filter(digest=ApiToken.digest_of(entries[2]["api_token"])).update(
            revoked_at="2026-01-01T00:00Z"
        )
    elif spoil == "totp secret edited":
        changed[0]["totp_secret"] = "A" * 32
        path.write_text(json.dumps(changed))
    elif spoil == "role edited":
        changed[0]["role"] = Role.DONOR
        path.write_text(json.dumps(changed))
    elif spoil == "user deactivated":
        User.objects.filter(email=entries[-1]["email"]).update(is_active=False)
    elif spoil == "password changed in the database":
        user = User.objects.get(email=entries[0]["email"])
        user.set_password("changed-by-someone-1")
        user.save()
    elif spoil == "not a list":
        path.write_text('{"role": "fund_admin"}')

    new, issued = demo_credentials_ensure(path)

    assert issued
    assert json.loads(path.read_text()) == new
    expected = [e["email"] for e in entries if spoil != "user deactivated" or e is not entries[-1]]
    assert [e["email"] for e in new] == expected
    old_tokens = {e["api_token"] for e in entries}
    assert not old_tokens & {e["api_token"] for e in new}
    assert (
        not ApiToken.objects.active()
        .filter(digest__in=[ApiToken.digest_of(t) for t in old_tokens])
        .exists()
    )
    for entry in new:
        assert User.objects.get(email=entry["email"]).check_password(entry["password"])
    again, issued = demo_credentials_ensure(path)
    assert not issued and again == new


def test_seed_users_are_demo_users_without_credentials(seeded):
    path, entries = seeded
    seed.seed_run(seed=5, counts={"organizations": 2, "attorneys": 4, "users": 3})
    assert User.objects.filter(is_demo=True).count() == len(entries) + 7
    assert [u.email for u in demo_users()] == [e["email"] for e in entries]
    # The seed's users do not invalidate the demo's credentials file.
    assert demo_credentials_ensure(path) == (entries, False)


def test_seed_registry_accepts_later_kinds_and_reports_missing_ones():
    kinds = [k for k, _help, _default in seed.seed_kinds()]
    assert kinds[:3] == ["organizations", "users", "attorneys"]
    assert {"requests", "cases", "donations"} <= set(kinds)

    calls = []

    def generate_requests(ctx: seed.SeedContext, count: int) -> seed.SeedResult:
        calls.append((ctx.seed, count, ctx.counts["organizations"], ctx.rng("requests").random()))
        return seed.SeedResult(created=count)

    previous = {g.kind: g for g in seed.seed_generators()}.get("requests")
    seed.register_seed_generator("requests", generate_requests, order=50, help="help requests")
    try:
        report = seed.seed_run(
            seed=9, counts={"organizations": 1, "requests": 3, "test-unknown": 2}
        )
        again = seed.seed_run(seed=9, counts={"organizations": 1, "requests": 3})
    finally:
        seed.unregister_seed_generator("requests")
        if previous is not None:  # the intake app's own generator
            seed.register_seed_generator(
                "requests",
                previous.run,
                order=previous.order,
                help=previous.help,
                default=previous.default,
            )
    assert report.results["requests"] == seed.SeedResult(created=3)
    assert report.results["organizations"] == seed.SeedResult(created=1)
    assert again.results["organizations"] == seed.SeedResult(created=0, existing=1)
    assert report.unavailable == ["test-unknown"]
    assert calls[0] == calls[1]  # the same seed gives a generator the same random stream
    assert "requests" in [k for k, _h, _d in seed.seed_kinds()]  # still offered, as planned


def test_seed_streams_are_independent_per_kind():
    ctx = seed.SeedContext(seed=1)
    assert ctx.rng("users").random() == seed.SeedContext(seed=1).rng("users").random()
    assert ctx.rng("users").random() != ctx.rng("attorneys").random()
    assert (
        seed.SeedContext(seed=2).rng("users").random()
        != seed.SeedContext(seed=1).rng("users").random()
    )
