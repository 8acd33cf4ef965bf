"""`amparo bench vault`: what it reports (never how fast: benchmarks print ratios, the suite
does not time anything)."""

from __future__ import annotations

from pathlib import Path

import pytest

from amparo.audit.models import AuditEvent
from bench.models import PlainSampleRecord, SampleRecord
from bench.vault import run_vault_bench

from .conftest import last_json, run_bench

EXPECTED_KEYS = {
    "benchmark",
    "database",
    "records",
    "fields_per_record",
    "records_per_second",
    "requests",
    "page_median_ms_protected",
    "page_median_ms_plain",
    "page_ratio",
    "page_ratio_goal",
    "page_ratio_within_goal",
    "page",
}


@pytest.mark.django_db
def test_the_bench_measures_both_pages_and_audits_each_protected_read() -> None:
    result = run_vault_bench(records=20, requests=6, pages=3)
    assert set(result) >= EXPECTED_KEYS
    assert result["records"] == 20 and result["fields_per_record"] == 10
    assert result["records_per_second"] > 0
    assert result["page_median_ms_protected"] > 0 and result["page_median_ms_plain"] > 0
    assert result["page_ratio"] == pytest.approx(
        result["page_median_ms_protected"] / result["page_median_ms_plain"], rel=0.01
    )
    assert result["page_ratio_goal"] == 1.3
    assert SampleRecord.objects.count() == PlainSampleRecord.objects.count() == 3
    # 6 timed requests plus 3 warm-up requests of the protected page, each an audited read
    assert AuditEvent.objects.filter(action="read", object_type="bench.samplerecord").count() == 9


def test_amparo_bench_vault_prints_one_json_object_last(tmp_path: Path) -> None:
    done = run_bench(
        "vault",
        "--records",
        "30",
        "--requests",
        "4",
        "--pages",
        "2",
        AMPARO_KEK_FILE=str(tmp_path / "never-used" / "kek.key"),
    )
    result = last_json(done)
    assert set(result) >= EXPECTED_KEYS
    assert result["records"] == 30 and result["requests"] == 4
    # the bench used throwaway keys, not the configured KEK
    assert not (tmp_path / "never-used").exists()


def test_amparo_bench_vault_refuses_bad_arguments() -> None:
    done = run_bench("vault", "--records", "0")
    assert done.returncode == 2
    assert "positive" in done.stderr
