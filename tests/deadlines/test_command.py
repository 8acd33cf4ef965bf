"""`amparo deadline`, through the real console script and through call_command."""

import json
import os
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command, get_commands, load_command_class
from django.core.management.base import CommandError

from amparo.deadlines.models import FederalClosure

KEYS = {"rule", "trigger", "due", "calendar_date", "citation", "explanation", "needs_review"}


def amparo_script() -> str:
    # The `amparo` entry point installed next to this interpreter (.venv/bin/amparo).
    script = Path(sys.executable).parent / "amparo"
    if script.exists():
        return str(script)
    found = shutil.which("amparo")
    assert found, "the amparo console script is not installed"
    return found


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    return subprocess.run(
        [amparo_script(), "deadline", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_console_script_prints_one_json_object() -> None:
    result = run("bia-appeal", "2026-06-04")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    payload = json.loads(lines[0])
    assert set(payload) == KEYS
    # 2026-06-04 + 30 = Sat 07-04 (Independence Day) -> Mon 2026-07-06.
    assert payload["rule"] == "bia-appeal"
    assert payload["trigger"] == "2026-06-04"
    assert payload["due"] == payload["calendar_date"] == "2026-07-06"
    assert payload["citation"] == "8 CFR 1003.38(b)-(c)"
    assert payload["needs_review"] is False
    assert "30 days" in payload["explanation"]


def test_console_script_detained_prehearing_has_null_dates() -> None:
    result = run("prehearing-filing", "2026-06-04", "--custody", "detained", "--hearing", "master")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["due"] is None and payload["calendar_date"] is None
    assert "court sets" in payload["explanation"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("bia-apeal", "2026-06-04"), "Unknown rule bia-apeal"),
        (("bia-appeal", "2026-02-30"), "2026-02-30 is not a real calendar date"),
        (("bia-appeal", "2026-13-01"), "2026-13-01 is not a real calendar date"),
        (("bia-appeal", "garbage"), "garbage is not a date"),
        (("bia-appeal", "20260604"), "20260604 is not a date"),
        (("bia-appeal", "1850-01-01"), "outside the dates"),
        (("bia-appeal", "2026-06-04", "--closure", "2026-02-30"), "not a real calendar date"),
    ],
)
def test_console_script_bad_input_exits_2_with_one_line(
    args: tuple[str, ...], expected: str
) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert expected in lines[0]


def test_console_script_bad_custody_is_a_usage_error() -> None:
    result = run("prehearing-filing", "2026-06-04", "--custody", "jail")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "invalid choice" in result.stderr


def test_console_script_in_spanish() -> None:
    result = run("nope", "2026-06-04", "--language", "es")
    assert result.returncode == 2
    assert "Regla desconocida" in result.stderr


def call(*args: str) -> dict[str, Any]:
    out = StringIO()
    call_command("deadline", *args, stdout=out)
    payload: dict[str, Any] = json.loads(out.getvalue())
    return payload


def test_call_command_review_case_explains_why() -> None:
    # Hearing Mon 2026-07-20 - 30 = Sat 06-20: due Mon 06-22, calendar Thu 06-18 (Fri 06-19 is
    # Juneteenth), flagged; the explanation carries the reason.
    payload = call("prehearing-filing", "2026-07-20", "--custody", "non-detained")
    assert set(payload) == KEYS
    assert (payload["due"], payload["calendar_date"], payload["needs_review"]) == (
        "2026-06-22",
        "2026-06-18",
        True,
    )
    assert "earlier business day" in payload["explanation"]
    assert "30 days" in payload["explanation"]


def test_call_command_with_a_closure() -> None:
    # Inauguration Day 2033 (Thu 01-20) as a closure moves the BIA appeal to Fri 01-21.
    assert call("bia-appeal", "2032-12-21")["due"] == "2033-01-20"
    assert call("bia-appeal", "2032-12-21", "--closure", "2033-01-20")["due"] == "2033-01-21"


def test_call_command_translates_the_explanation() -> None:
    payload = call("bia-appeal", "2026-06-04", "--language", "es")
    assert payload["explanation"].startswith("La apelación ante la Junta de Apelaciones")
    assert "2026-07-04" in payload["explanation"]  # the parameter survives translation
    assert payload["due"] == "2026-07-06"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("bia-apeal", "2026-06-04"), "Unknown rule"),
        (("bia-appeal", "2026-02-30"), "not a real calendar date"),
        (("bia-appeal", "soon"), "is not a date"),
    ],
)
def test_call_command_bad_input_raises_with_returncode_2(
    args: tuple[str, ...], expected: str
) -> None:
    out = StringIO()
    with pytest.raises(CommandError) as error:
        call_command("deadline", *args, stdout=out)
    assert error.value.returncode == 2
    assert expected in str(error.value)
    assert out.getvalue() == ""


# --- issue #14: the new rules and options --------------------------------------------------------


def test_call_command_voluntary_departure_period() -> None:
    # Order Wed 2026-06-10 + 60 = Sun 08-09: due Mon 08-10, calendar Fri 08-07, not flagged.
    payload = call("vd-depart", "2026-06-10", "--days", "60", "--vd-stage", "conclusion")
    assert (payload["due"], payload["calendar_date"], payload["needs_review"]) == (
        "2026-08-10",
        "2026-08-07",
        False,
    )
    assert "60 days" in payload["explanation"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("vd-depart", "2026-06-10"), "needs --days"),
        (("vd-depart", "2026-06-10", "--days", "61", "--vd-stage", "conclusion"), "1 to 60 days"),
        (("vd-depart", "2026-06-10", "--days", "121"), "1 to 120 days"),
        (("vd-depart", "2026-06-10", "--days", "0"), "1 to 120 days"),
    ],
)
def test_call_command_refuses_a_period_the_law_does_not_allow(
    args: tuple[str, ...], expected: str
) -> None:
    with pytest.raises(CommandError) as error:
        call_command("deadline", *args, stdout=StringIO())
    assert error.value.returncode == 2
    assert expected in str(error.value)


def test_call_command_warnings_and_no_clock() -> None:
    warned = call("ij-reopen", "2026-03-06", "--voluntary-departure")
    assert warned["due"] == "2026-06-04"
    assert "ends the grant of voluntary departure" in warned["explanation"]
    pfr = call("petition-for-review", "2026-09-12", "--withholding-only")
    assert pfr["needs_review"] is True and "Riley v. Bondi" in pfr["explanation"]
    child = call("asylum-one-year", "2025-07-04", "--unaccompanied")
    assert child["due"] is None and child["calendar_date"] is None
    assert "208(a)(2)(E)" in child["explanation"]


@pytest.mark.django_db
def test_call_command_counts_the_confirmed_closures_the_cases_count() -> None:
    # --closure-scope reads the closures an administrator keeps (shipped by the data migration),
    # confirmed ones only, like case deadlines. vd-bond from Fri 2024-12-20, 5 business days:
    # Mon 12-23 (1), Tue 12-24 closed (executive order, confirmed), Wed 12-25 Christmas, Thu
    # 12-26 (2), Fri 12-27 (3), Mon 12-30 (4), Tue 12-31 (5). Without closures Mon 12-30.
    assert call("vd-bond", "2024-12-20")["due"] == "2024-12-30"
    assert call("vd-bond", "2024-12-20", "--closure-scope", "nationwide")["due"] == "2024-12-31"
    # vd-bond from Mon 2025-12-22: Tue 23 (1), Wed 24 (2), Thu 25 Christmas, Fri 26 (3), Mon 29
    # (4), Tue 30 (5). The December 2025 closures (Wed 24, Fri 26) ship unconfirmed: counting
    # them would give Fri 2026-01-02, a day late if they did not happen.
    assert call("vd-bond", "2025-12-22", "--closure-scope", "nationwide")["due"] == "2025-12-30"
    # Once an administrator confirms them: 23 (1), 29 (2), 30 (3), 31 (4), Jan 1 New Year's
    # Day, Fri 2026-01-02 (5).
    FederalClosure.objects.filter(date__in=["2025-12-24", "2025-12-26"]).update(confirmed=True)
    assert call("vd-bond", "2025-12-22", "--closure-scope", "nationwide")["due"] == "2026-01-02"
    # A DC-area closure (Inauguration Day, Wed 2021-01-20, 5 U.S.C. 6103(c)) counts only for
    # that scope: a BIA appeal from Mon 2020-12-21 + 30 days = Wed 2021-01-20, or Thu 01-21.
    assert call("bia-appeal", "2020-12-21", "--closure-scope", "nationwide")["due"] == "2021-01-20"
    assert call("bia-appeal", "2020-12-21", "--closure-scope", "dc-area")["due"] == "2021-01-21"
    # A closure an administrator adds is counted too: Thu 2026-12-24 closed, vd-bond from Tue
    # 2026-12-22: Wed 23 (1), Thu 24 closed, Fri 25 Christmas, Mon 28 (2), Tue 29 (3), Wed 30
    # (4), Thu 31 (5); without it Wed 12-30.
    assert call("vd-bond", "2026-12-22", "--closure-scope", "nationwide")["due"] == "2026-12-30"
    FederalClosure.objects.create(
        date="2026-12-24", name="Christmas Eve", scope="nationwide", confirmed=True
    )
    assert call("vd-bond", "2026-12-22", "--closure-scope", "nationwide")["due"] == "2026-12-31"


def test_call_command_new_rule_in_spanish() -> None:
    payload = call("bond-stay-appeal", "2026-11-16", "--language", "es")
    assert payload["due"] == "2026-12-01"
    assert payload["explanation"].startswith("La suspensión automática")


def test_help_lists_every_rule_and_the_new_options() -> None:
    command = load_command_class(get_commands()["deadline"], "deadline")
    text = command.create_parser("amparo", "deadline").format_help()
    squashed = " ".join(text.split())
    for rule_id in ("vd-depart", "sijs-age-out", "cert-petition", "bia-appeal"):
        assert rule_id in squashed
    for option in ("--days", "--vd-stage", "--voluntary-departure", "--withholding-only"):
        assert option in squashed
