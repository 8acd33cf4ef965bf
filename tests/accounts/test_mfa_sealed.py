"""TOTP secrets and recovery-code seeds are sealed at rest (ASVS 5.0 6.5.2, 13.3.1): a copy of
the database cannot make valid codes."""

from __future__ import annotations

import importlib
import json

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.apps import apps
from django.db import connection
from django.test import Client

from amparo.accounts.mfa import PREFIX
from amparo.accounts.roles import Role
from tests.factories import PASSWORD, UserFactory, enrol_totp
from tests.support.totp import totp_code

pytestmark = pytest.mark.django_db

migration = importlib.import_module("amparo.accounts.migrations.0004_mfa_secrets_sealed")


def _raw_data() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM mfa_authenticator")
        return [row[0] if isinstance(row[0], str) else json.dumps(row[0]) for row in cursor]


def test_the_secret_and_the_seed_are_not_in_the_database_and_codes_still_work() -> None:
    user = UserFactory(role=Role.ATTORNEY)
    secret = enrol_totp(user)
    codes = RecoveryCodes.activate(user)
    seed = codes.instance.data["seed"]
    assert seed.startswith(PREFIX)
    raw = " ".join(_raw_data())
    assert secret not in raw and PREFIX in raw
    assert codes.get_unused_codes()  # the seed still opens

    client = Client()
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    answer = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert answer.status_code == 302 and answer["Location"] == "/dashboard/"


def test_the_migration_seals_secrets_stored_before_and_can_undo_it() -> None:
    user = UserFactory(role=Role.ATTORNEY)
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXPJBSWY3DP"}
    )
    migration.seal(apps, connection.schema_editor())
    stored = Authenticator.objects.get(user=user).data["secret"]
    assert stored.startswith(PREFIX) and "JBSWY3DP" not in " ".join(_raw_data())
    migration.seal(apps, connection.schema_editor())  # running twice changes nothing
    assert Authenticator.objects.get(user=user).data["secret"] == stored
    migration.unseal(apps, connection.schema_editor())
    assert Authenticator.objects.get(user=user).data["secret"] == "JBSWY3DPEHPK3PXPJBSWY3DP"
