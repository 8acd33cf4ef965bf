"""`amparo bench casepage`: the real case page, protected and with protection off. What it
reports and that its "protection off" is scoped to the bench's own requests (never how fast:
the suite times nothing)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from amparo.audit.models import AuditEvent
from amparo.audit.reads import audit_read
from amparo.cases.models import Case, Client
from bench.casepage import _plaintexts, _seed, measure, protection_off

from .conftest import last_json, run_bench

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def vault_keys(tmp_path: Path, settings: Any) -> None:
    settings.AMPARO = {
        **settings.AMPARO,
        "KEK_FILE": str(tmp_path / "keys" / "kek.key"),
        "BLIND_INDEX_KEY_FILE": None,
    }


def test_the_bench_times_the_case_page_both_ways_and_audits_only_the_protected_one() -> None:
    result = measure(cases=2, hearings=2, events=3, requests=4, seed=3)
    assert result["cases"] == 2 == Case.objects.count()
    assert result["protected_p50_ms"] > 0 and result["off_p50_ms"] > 0
    assert result["ratio"] == pytest.approx(
        result["protected_p50_ms"] / result["off_p50_ms"], rel=0.01
    )
    assert result["ratio_goal"] == 1.1
    # one audit event per protected page view, none with protection off
    assert result["audit_reads_written"] == 4
    # the same queries, plus the audit write
    assert result["queries_protected"] > result["queries_off"] > 10
    case = Case.objects.first()
    assert case is not None and case.hearings.count() == 2
    assert case.events.filter(details__isnull=False).count() >= 3
    assert case.adverse_parties.count() == 2 and case.assignments.count() == 2


def test_protection_off_answers_from_memory_writes_no_audit_and_ends_with_its_block() -> None:
    lead, (case,) = _seed(1, 0, 0, seed=5)
    real_name = Client.objects.get(pk=case.client_id).name
    plain = _plaintexts()
    assert plain[(Client, "name", case.client_id)] == real_name
    plain[(Client, "name", case.client_id)] = "Sentinel Only In Memory"
    reads = AuditEvent.objects.filter(action="read")
    before = reads.count()
    with protection_off(plain):
        assert Client.objects.get(pk=case.client_id).name == "Sentinel Only In Memory"
        audit_read(actor=lead, obj=case, fields=["client.name"])
        assert reads.count() == before
    assert Client.objects.get(pk=case.client_id).name == real_name  # decrypted again
    audit_read(actor=lead, obj=case, fields=["client.name"])
    assert reads.count() == before + 1


def test_amparo_bench_casepage_prints_one_json_object_last(tmp_path: Path) -> None:
    done = run_bench(
        "casepage",
        *("--cases", "1", "--hearings", "1", "--events", "1", "--requests", "2"),
        AMPARO_KEK_FILE=str(tmp_path / "never-used" / "kek.key"),
    )
    result = last_json(done)
    assert result["benchmark"] == "casepage" and result["requests"] == 2
    assert result["hearings_per_case"] == 1 and result["audit_reads_written"] == 2
    assert {"protected_p99_ms", "off_p99_ms", "protected_per_second", "compares"} <= set(result)
    assert not (tmp_path / "never-used").exists()  # throwaway keys, not the configured KEK


def test_amparo_bench_casepage_refuses_bad_arguments() -> None:
    done = run_bench("casepage", "--requests", "0")
    assert done.returncode == 2
    assert "positive" in done.stderr
