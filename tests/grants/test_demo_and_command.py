from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from amparo.core.demo import demo_seed, demo_steps
from amparo.grants.models import Award, GranteeReport, GrantRound, RoundStatus, Score, Tranche
from amparo.grants.selectors import public_grant_rows, report_state
from amparo.ledger.verify import ledger_verify
from tests.clock import frozen

pytestmark = [pytest.mark.django_db, frozen]
STEPS = ("fund", "organizations", "staff", "donations", "grants")


def test_the_demo_has_a_decided_round_with_scores_awards_payments_and_a_late_report() -> None:
    names = [s.name for s in demo_steps()]
    assert names.index("grants") > names.index("donations")
    demo_seed(steps=[s for s in demo_steps() if s.name in STEPS])
    assert GrantRound.objects.get().status == RoundStatus.DECIDED
    assert Score.objects.exists()
    assert Award.objects.count() == 2
    assert Tranche.objects.filter(paid_on__isnull=False).count() == 2
    from django.utils import timezone

    states = {report_state(r, timezone.localdate()) for r in GranteeReport.objects.all()}
    assert "late" in states and "submitted" in states
    rows = public_grant_rows()
    assert len(rows) == 2 and all(0 < r["disbursed"] < r["awarded"] for r in rows)
    assert ledger_verify().balanced


def test_reminder_command_prints_json() -> None:
    out = StringIO()
    call_command("grant_reminders", stdout=out)
    assert json.loads(out.getvalue().strip().splitlines()[-1]) == {"reminded": 0}
