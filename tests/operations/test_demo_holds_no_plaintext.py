"""After seeding the demo, the raw database holds none of the protected values it seeded.

The demo's clients, help requests and donors are read back through the vault (decrypted by
the ORM), then every such value is searched for, byte for byte, in the raw SQLite file and its
WAL, or in a ``pg_dump`` of the PostgreSQL database when the suite runs on PostgreSQL.
"""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from pathlib import Path

import pytest

from .conftest import REPO, amparo_cmd, amparo_env, run_amparo

# Prints every protected string value of every model that has encrypted fields, decrypted
# through the vault, plus the public organization names (a control: they must be found).
DUMP_PLAINTEXT = """
import json
from django.apps import apps
from amparo.vault.fields import EncryptedField
from amparo.organizations.models import ProviderOrganization
values = []
for model in apps.get_models():
    fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedField)]
    if not fields:
        continue
    for row in model._default_manager.all():
        for f in fields:
            try:
                value = getattr(row, f.attname)
            except Exception:
                continue
            if isinstance(value, str):
                values.append(value)
            elif isinstance(value, dict):
                values.extend(v for v in value.values() if isinstance(v, str))
control = list(ProviderOrganization.objects.values_list("name", flat=True))
# Public by design: the sign-in addresses of staff accounts, and the facility and court names
# every program publishes in its lists (a request's choice among them is encrypted; the lists are
# not). Donor accounts are not public: their address and name are protected.
from amparo.accounts.models import User
from amparo.donations.models import Donor
from amparo.intake.models import IntakePolicy
public = [u.lower() for u in User.objects.exclude(role="donor").values_list("email", flat=True)]
# The words of staff addresses ("andres.garcia@...") and staff names are public too: a client
# whose name shares one of them has that single word (a search key) found there, not leaked.
public += [w for e in list(public) for w in e.split("@")[0].replace("-", ".").split(".") if w]
staff = User.objects.exclude(role="donor").values_list("first_name", "last_name")
public += [w.lower() for names in staff for name in names for w in name.split() if w]
public += [n for p in IntakePolicy.objects.all() for n in p.facility_names()]
public += [str(c) for p in IntakePolicy.objects.all() for c in p.courts]
accounts = [v for d in Donor.objects.filter(user__role="donor") for v in (d.email, d.name)]
print(json.dumps({"protected": values, "control": control, "public": public, "donor_accounts": accounts}))
"""


def _plaintexts(var_dir: Path, **extra: str) -> tuple[set[str], list[str]]:
    """The protected values of the demo (donor accounts' addresses and names among them) and the
    control values, read through the vault by the project's own shell."""
    result = subprocess.run(
        amparo_cmd("shell", "-c", DUMP_PLAINTEXT),
        env=amparo_env(var_dir, **extra),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout.strip().splitlines()[-1])
    # Short values ("es", "CO") would match by chance anywhere: names, numbers, emails are long.
    public = set(data["public"])

    def is_public(value: str) -> bool:
        # A single word of a client's name (a search key) may sit inside a public one: "manuel"
        # in a staff address "emmanuel.ortiz@...". That is the staff member's, not a leak.
        lowered = value.lower()
        return value in public or lowered in public or any(lowered in p for p in public)

    protected = {
        v.strip() for v in data["protected"] if len(v.strip()) >= 6 and not is_public(v.strip())
    }
    accounts = {v.strip() for v in data["donor_accounts"] if v.strip()}
    assert len(accounts) >= 4, "the demo should have donors who sign in"
    assert accounts <= protected, "a donor account's address or name must count as protected"
    return protected, data["control"]


def _assert_absent(raw: bytes, protected: set[str], control: list[str]) -> None:
    assert len(protected) >= 50, "the demo should seed many protected values"
    assert control and all(name.encode() in raw for name in control), "the search must work"
    found = sorted(v for v in protected if v.encode("utf-8") in raw)
    assert found == [], f"protected values readable in the raw database: {found}"


def _backends() -> list[str]:
    url = os.environ.get("DATABASE_URL", "")
    return ["sqlite", "postgresql"] if url.startswith("postgres") else ["sqlite"]


@pytest.mark.parametrize("backend", _backends())
def test_the_raw_demo_database_holds_no_protected_value(
    backend: str, demo_var: Path, tmp_path: Path
) -> None:
    if backend == "sqlite":
        protected, control = _plaintexts(demo_var)
        raw = b"".join(
            p.read_bytes()
            for p in demo_var.glob("amparo.sqlite3*")  # the file, its WAL and shared memory
        )
        _assert_absent(raw, protected, control)
        return

    import psycopg

    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    name = f"amparo_plain_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    try:
        url = f"{base}/{name}"
        var_dir = tmp_path / "var"
        result = run_amparo(var_dir, "demo", "--no-serve", timeout=600, DATABASE_URL=url)
        assert result.returncode == 0, result.stdout + result.stderr
        protected, control = _plaintexts(var_dir, DATABASE_URL=url)
        dump = subprocess.run(
            ["pg_dump", "--no-owner", "--dbname", url], capture_output=True, timeout=300
        )
        assert dump.returncode == 0, dump.stderr.decode()
        _assert_absent(dump.stdout, protected, control)
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
