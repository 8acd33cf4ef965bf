"""`amparo bench backup` end to end on a tiny count (its JSON, never its timings)."""

from __future__ import annotations

from .conftest import last_json, run_bench


def test_amparo_bench_backup_prints_seconds_and_bytes() -> None:
    result = last_json(run_bench("backup", "--cases", "20"))
    assert result["cases"] == 20
    assert result["archive_bytes"] > 0 and result["database_bytes"] > 0
    assert result["bytes_per_case"] == round(result["archive_bytes"] / 20, 1)
    assert {"backup_seconds", "decrypt_and_verify_seconds", "seed_seconds"} <= set(result)


def test_amparo_bench_backup_refuses_bad_arguments() -> None:
    done = run_bench("backup", "--cases", "0")
    assert done.returncode == 2 and "positive" in done.stderr
