"""``python -m bench.run_all`` writes where it ran, then one line per benchmark with its JSON."""

from __future__ import annotations

import json
from pathlib import Path

from bench import run_all


def test_run_all_records_the_machine_then_each_run(tmp_path: Path) -> None:
    out = tmp_path / "results.jsonl"
    assert run_all.main(["--out", str(out), "--only", "surge"]) == 0
    first, *runs = [json.loads(line) for line in out.read_text().splitlines()]
    facts = first["machine"]
    assert facts["cpus"] and facts["sqlite"] and len(facts["load_average"]) == 3
    assert [r["name"] for r in runs] == ["surge"]
    (surge,) = runs
    assert "failed" not in surge, surge.get("failed")
    assert surge["database"] == "sqlite" and surge["seconds"] > 0
    assert len(surge["load_before"]) == len(surge["load_after"]) == 3
    result = surge["result"]
    # the benchmark's own JSON, its four policies side by side
    for policy in ("amparo", "fcfs", "fcfs_reroute", "triage_no_reroute"):
        assert f"detained_p50_hours_{policy}" in result


def test_every_benchmark_has_a_run() -> None:
    from bench.registry import load

    assert {name for name, _args, _db in run_all.RUNS} == set(load())
