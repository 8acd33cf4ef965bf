from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from amparo.accounts.roles import Role

from .clock import ENV, requested, session_clock_start, session_clock_stop
from .factories import (
    PASSWORD,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
    city_restriction,
    enrol_totp,
)
from .mailcheck import Inbox, smtp_inbox


def pytest_configure(config):
    # A fresh clone has no var/ yet, and SQLite cannot create the test database in a missing folder.
    from django.conf import settings

    Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)
    # AMPARO_TEST_NOW moves the whole session's clock (here, so xdist workers move it too, and
    # before collection imports any test module).
    session_clock_start()


def pytest_unconfigure(config):
    session_clock_stop()


def pytest_report_header(config):
    moment = requested()
    if not moment:
        return "clock: real"
    if os.environ.get(EVERY_TEST_ENV):
        return f"clock: {ENV}={moment.isoformat()}, every test"
    return (
        f"clock: {ENV}={moment.isoformat()}; the tests that freeze their own clock are left out "
        f"(they run the same at any clock; {EVERY_TEST_ENV}=1 keeps them)"
    )


#: With the clock moved, run even the tests that freeze their own clock.
EVERY_TEST_ENV = "AMPARO_TEST_NOW_EVERY_TEST"


def pytest_collection_modifyitems(config, items):
    """With the session's clock moved (AMPARO_TEST_NOW), leave out the tests marked to run at a
    fixed instant (``frozen``, ``travelling``, ``pytest.mark.time_machine``): the marker moves
    their clock there before their fixtures run, so they run exactly as they do without
    AMPARO_TEST_NOW and would only repeat the plain run. CI runs the moved clocks to find
    what depends on the day, which is everything else."""
    if requested() is None or os.environ.get(EVERY_TEST_ENV):
        return
    fixed = [item for item in items if item.get_closest_marker("time_machine") is not None]
    if fixed:
        config.hook.pytest_deselected(items=fixed)
        items[:] = [item for item in items if item.get_closest_marker("time_machine") is None]


# In CI, property tests and schemathesis draw the same examples on every run (a fixed seed per
# test), so a run fails only when the code changed; locally they explore new examples each time.
hypothesis_settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


@pytest.fixture
def make_user(db):
    """make_user(role, org=None, mfa=True) -> a verified user, enrolled in TOTP by default."""

    def _make(role: str = Role.FUND_ADMIN, org=None, mfa: bool = True, **kwargs):
        user = UserFactory(role=role, **kwargs)
        if org is not None:
            MembershipFactory(user=user, organization=org)
        if mfa:
            enrol_totp(user)
        return user

    return _make


@pytest.fixture
def org(db):
    return OrganizationFactory()


@pytest.fixture
def city(db):
    """The city's public money for detained removal defense (a restriction, no money yet)."""
    return city_restriction()


@pytest.fixture
def client_for(db):
    """client_for(user) -> a Client signed in as ``user`` (session already MFA-complete)."""

    def _client(user) -> Client:
        c = Client()
        c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return c

    return _client


@pytest.fixture
def password() -> str:
    return PASSWORD


#: A fund identity no default shares, so a test that finds it knows where the text came from.
SYNTHETIC_FUND = {
    "FUND_NAME": "Synthetic City Fund",
    "CITY": "Denver",
    "HOTLINE": "(303) 555-0100",
    "SITE_URL": "https://fondo.amparo.test",
}


@pytest.fixture
def fund_settings(settings):
    """The fund's identity set as a deployment sets it (``settings.AMPARO``), with a public
    address that is not the test client's host."""
    settings.AMPARO = {**settings.AMPARO, **SYNTHETIC_FUND}
    settings.DEFAULT_FROM_EMAIL = "no-reply@fondo.amparo.test"
    return SYNTHETIC_FUND


@pytest.fixture(autouse=True)
def _language_reset():
    """Every test starts and ends in the default language: a test that activates Spanish (and
    forgets to leave it) must not change how the next test in the same worker formats dates."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _intake_rules_forgotten():
    """The intake rules the process keeps for 30 seconds (amparo.intake.policy) are forgotten
    around every test: a program made by a test that was rolled back must not be served to the
    next one (its id would point at no row)."""
    from amparo.intake.policy import forget_cached_rules

    forget_cached_rules()
    yield
    forget_cached_rules()


@pytest.fixture
def smtp_server(settings) -> Iterator[Inbox]:
    """A real SMTP server (aiosmtpd) on a free local port; Django's mail goes there."""
    yield from smtp_inbox(settings)
