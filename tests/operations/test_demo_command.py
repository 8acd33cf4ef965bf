"""``amparo demo``, run for real in subprocesses on throwaway SQLite databases."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import signal
import socket
import stat
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth.hashers import check_password

from amparo.accounts.roles import Role
from tests.support.totp import real_time, totp_code

from .conftest import (
    REPO,
    Browser,
    amparo_cmd,
    amparo_env,
    copy_var,
    credentials,
    db_rows,
    free_port,
    http_get,
    processes_using,
    run_amparo,
    wait_for,
    wait_task,
)

#: The roles with a password, a TOTP secret and an API token in the credentials file. Donors
#: have none: they sign in by a link mailed to the address on their donor record.
ROLES = {"fund_admin", "board_member", "intake_worker", "provider_admin", "attorney", "translator"}
TABLES = (
    "organizations_fund",
    "organizations_program",
    "organizations_providerorganization",
    "organizations_office",
    "organizations_membership",
    "organizations_attorneyprofile",
    "accounts_user",
    "account_emailaddress",
    "mfa_authenticator",
)


def counts(var_dir: Path) -> dict[str, int]:
    return {t: db_rows(var_dir, f"SELECT COUNT(*) FROM {t}")[0][0] for t in TABLES}


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_demo_prepares_folders_and_private_credentials(demo_var):
    assert mode(demo_var / "keys") == 0o700
    assert mode(demo_var / "demo") == 0o700
    assert mode(demo_var / "demo" / "credentials.json") == 0o600
    assert (demo_var / "static" / "staticfiles.json").exists()  # collectstatic ran (whitenoise)
    first_run = (demo_var.parent / "first-run.txt").read_text()
    assert "Demo data created" in first_run
    for role in ROLES:
        assert role in first_run  # the sign-in table has a row per role
    assert "/accounts/donor/sign-in/" in first_run  # and donors are told how they sign in


def test_credentials_cover_every_demo_user_and_role(demo_var):
    entries = credentials(demo_var)
    assert {e["role"] for e in entries} == ROLES
    assert all(
        list(e) == ["role", "email", "password", "totp_secret", "api_token", "organization"]
        for e in entries
    )
    users = dict(
        db_rows(
            demo_var, "SELECT email, role FROM accounts_user WHERE is_demo = 1 AND role != 'donor'"
        )
    )
    assert {e["email"]: e["role"] for e in entries} == users
    donors = db_rows(
        demo_var, "SELECT email, first_name, password FROM accounts_user WHERE role = 'donor'"
    )
    assert donors and all(
        email.endswith("@donor.invalid") and not name and password.startswith("!")
        for email, name, password in donors
    )
    assert db_rows(demo_var, "SELECT COUNT(*) FROM accounts_user WHERE is_demo = 0")[0][0] == 0
    slugs = {r[0] for r in db_rows(demo_var, "SELECT slug FROM organizations_providerorganization")}
    for entry in entries:
        if entry["role"] in ("provider_admin", "attorney"):
            assert entry["organization"] in slugs
        else:
            assert entry["organization"] is None


def test_passwords_check_against_the_stored_hashes(demo_var, settings):
    # The demo uses the production hasher; the test settings only know MD5.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    hashes = dict(db_rows(demo_var, "SELECT email, password FROM accounts_user"))
    first_of_role = {}
    for entry in credentials(demo_var):
        first_of_role.setdefault(entry["role"], entry)
    for entry in first_of_role.values():
        assert hashes[entry["email"]].startswith("pbkdf2_sha256$")
        assert check_password(entry["password"], hashes[entry["email"]])
        assert not check_password(entry["password"] + "x", hashes[entry["email"]])
    # Every password is its own (they are random, not one shared secret).
    assert len({e["password"] for e in credentials(demo_var)}) == len(credentials(demo_var))


def test_totp_secrets_and_tokens_match_the_database(demo_var):
    user_ids = dict(db_rows(demo_var, "SELECT email, id FROM accounts_user"))
    verified = {
        r[0]
        for r in db_rows(
            demo_var, 'SELECT email FROM account_emailaddress WHERE verified = 1 AND "primary" = 1'
        )
    }
    totp = {
        r[0]: json.loads(r[1])
        for r in db_rows(
            demo_var, "SELECT user_id, data FROM mfa_authenticator WHERE type = 'totp'"
        )
    }
    for entry in credentials(demo_var):
        uid = user_ids[entry["email"]]
        assert entry["email"] in verified
        assert len(base64.b32decode(entry["totp_secret"])) == 20
        assert uid in totp
        digest = hashlib.sha256(entry["api_token"].encode()).hexdigest()
        assert db_rows(
            demo_var,
            "SELECT user_id FROM accounts_apitoken WHERE digest = ? AND revoked_at IS NULL",
            (digest,),
        ) == [(uid,)]


def test_demo_data_is_a_whole_fund(demo_var):
    assert db_rows(demo_var, "SELECT COUNT(*) FROM organizations_fund")[0][0] == 1
    programs = dict(db_rows(demo_var, "SELECT slug, categories FROM organizations_program"))
    categories = sorted(c for cats in programs.values() for c in json.loads(cats))
    assert categories == sorted(
        ["detained_removal", "affirmative_non_detained", "capacity_building", "filing_fees"]
    )
    assert db_rows(demo_var, "SELECT COUNT(*) FROM organizations_providerorganization")[0][0] == 5
    orgs_with_office = db_rows(
        demo_var, "SELECT COUNT(DISTINCT organization_id) FROM organizations_office"
    )[0][0]
    assert orgs_with_office == 5
    profiles = db_rows(
        demo_var,
        "SELECT organization_id, languages, practice_areas, capacity FROM organizations_attorneyprofile",
    )
    assert len(profiles) == 25
    languages = {lang for p in profiles for lang in json.loads(p[1])}
    assert {"en", "es", "fr", "pt", "ar", "am", "quc", "mam", "ht", "ru"} <= languages
    assert len({p[0] for p in profiles}) == 5  # attorneys in every organization
    assert all(json.loads(p[2]) and p[3] > 0 for p in profiles)
    admins = db_rows(
        demo_var,
        "SELECT m.organization_id FROM organizations_membership m JOIN accounts_user u ON u.id = m.user_id "
        "WHERE u.role = 'provider_admin'",
    )
    assert sorted(a[0] for a in admins) == sorted({p[0] for p in profiles})  # one per organization


def test_second_run_changes_nothing_and_keeps_the_file(demo_var, tmp_path):
    var_dir = copy_var(demo_var, tmp_path / "var")
    before, file_before = counts(var_dir), (var_dir / "demo" / "credentials.json").read_bytes()
    result = run_amparo(var_dir, "demo", "--no-serve")
    assert result.returncode == 0, result.stderr
    assert "demo data left as it is" in result.stdout
    assert "still work: kept" in result.stdout
    assert counts(var_dir) == before
    assert (var_dir / "demo" / "credentials.json").read_bytes() == file_before


def test_a_tampered_file_rotates_every_password_and_token(demo_var, tmp_path):
    var_dir = copy_var(demo_var, tmp_path / "var")
    path = var_dir / "demo" / "credentials.json"
    old = credentials(var_dir)
    tampered = [dict(e) for e in old]
    tampered[3]["password"] = "not-the-password-1"
    path.write_text(json.dumps(tampered))
    before = counts(var_dir)

    result = run_amparo(var_dir, "demo", "--no-serve")

    assert result.returncode == 0, result.stderr
    assert "New passwords and API tokens" in result.stdout
    new = credentials(var_dir)
    assert [e["email"] for e in new] == [e["email"] for e in old]
    assert all(
        n["password"] != o["password"] and n["api_token"] != o["api_token"]
        for n, o in zip(new, old)
    )
    assert [e["totp_secret"] for e in new] == [e["totp_secret"] for e in old]
    old_digest = hashlib.sha256(old[0]["api_token"].encode()).hexdigest()
    assert db_rows(
        var_dir,
        "SELECT revoked_at IS NOT NULL FROM accounts_apitoken WHERE digest = ?",
        (old_digest,),
    ) == [(1,)]
    assert counts(var_dir) == before
    assert mode(path) == 0o600


def test_bad_port_is_refused_with_a_message(tmp_path):
    result = run_amparo(tmp_path / "var", "demo", AMPARO_PORT="http")
    assert result.returncode == 2
    assert "AMPARO_PORT must be a port number" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "var").exists()  # refused before touching anything


def _sign_in(base: str, entry: dict) -> Browser:
    browser = Browser(base)
    assert browser.get("/accounts/login/") == 200
    assert browser.submit({"login": entry["email"], "password": entry["password"]}) == 200
    assert "/2fa/authenticate" in browser.url, browser.url
    assert browser.submit({"code": totp_code(entry["totp_secret"], clock=real_time)}) == 200
    return browser


def test_demo_serves_signs_in_every_role_runs_tasks_and_stops_cleanly(demo_var, tmp_path):
    var_dir = copy_var(demo_var, tmp_path / "var")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "demo.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            amparo_cmd("demo"),
            env=amparo_env(var_dir, AMPARO_PORT=str(port)),
            cwd=REPO,
            stdout=out,
            stderr=subprocess.STDOUT,
            process_group=0,
        )
    try:
        wait_for(f"{base}/healthz", proc=proc)
        entries = credentials(var_dir)

        # Each role signs in with its password and its TOTP code, and reaches its dashboard.
        first_of_role = {}
        for entry in entries:
            first_of_role.setdefault(entry["role"], entry)
        for entry in first_of_role.values():
            browser = _sign_in(base, entry)
            assert browser.url == f"{base}/dashboard/", (entry["role"], browser.url)

        # Every API token stands for its user.
        for entry in entries:
            status, body = http_get(
                f"{base}/api/v1/me", {"Authorization": f"Bearer {entry['api_token']}"}
            )
            assert status == 200
            me = json.loads(body)
            assert (me["email"], me["role"], me["organization"]) == (
                entry["email"],
                entry["role"],
                entry["organization"],
            )
        assert http_get(f"{base}/api/v1/me", {"Authorization": "Bearer amp_wrong"})[0] == 401

        # Static files come from whitenoise, with far-future caching for hashed names.
        status, home = http_get(base + "/")
        assert status == 200
        css = re.search(r'href="(/static/[^"]+\.css)"', home.decode()).group(1)
        status, _body = http_get(base + css)
        assert status == 200

        # The demo's worker runs what is enqueued.
        enqueue = subprocess.run(
            amparo_cmd(
                "shell",
                "-c",
                "from amparo.core.tasks import ping; print(ping.enqueue('demo-check').id)",
            ),
            env=amparo_env(var_dir),
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert enqueue.returncode == 0, enqueue.stderr
        task_id = enqueue.stdout.strip().splitlines()[-1]
        wait_task(var_dir, task_id)

        output = log.read_text()
        assert f"Amparo is running at {base}/" in output
        for role in ROLES:
            assert role in output
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=60)
    assert code == 0, log.read_text()
    assert "Stopped the server and the worker." in log.read_text()
    # Both children are gone: nothing answers, and no process runs on this var folder.
    with pytest.raises(OSError):
        http_get(f"{base}/healthz", timeout=2)
    assert not processes_using(var_dir)


def test_roles_are_the_declared_roles():
    # The credentials use the role names of accounts.roles; keep the two in step.
    assert set(Role.values) == ROLES | {"donor"}


def test_a_busy_port_is_refused_before_anything_is_touched(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_amparo(tmp_path / "var", "demo", AMPARO_PORT=str(port))
    assert result.returncode == 2
    assert f"Port {port} is already in use" in result.stderr
    assert not (tmp_path / "var").exists()


def test_the_demo_stops_everything_when_a_child_dies(demo_var, tmp_path):
    var_dir = copy_var(demo_var, tmp_path / "var")
    port = free_port()
    log = tmp_path / "demo.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            amparo_cmd("demo"),
            env=amparo_env(var_dir, AMPARO_PORT=str(port)),
            cwd=REPO,
            stdout=out,
            stderr=subprocess.STDOUT,
            process_group=0,
        )
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz", proc=proc)
        workers = [
            pid
            for pid in processes_using(var_dir)
            if b"worker" in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        ]
        assert len(workers) == 1
        os.kill(workers[0], signal.SIGKILL)
        code = proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert code == 1
    assert "The task worker stopped unexpectedly" in log.read_text()
    assert not processes_using(var_dir)  # the web server was stopped too
