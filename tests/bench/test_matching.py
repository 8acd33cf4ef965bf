"""`amparo bench matching` and `amparo bench surge` through the real management command."""

from __future__ import annotations

import json

import pytest
from django.core.management import ManagementUtility

from bench import matching as benchmarks
from bench.registry import load

from .conftest import last_json, run_bench


def bench(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    ManagementUtility(["amparo", "bench", *args]).execute()
    last = capsys.readouterr().out.strip().splitlines()[-1]
    result = json.loads(last)
    assert isinstance(result, dict)
    return result


def test_both_benchmarks_are_registered() -> None:
    assert load()["matching"].run is benchmarks.matching
    assert load()["surge"].run is benchmarks.surge


def test_bench_matching_prints_objective_bound_and_gap(capsys: pytest.CaptureFixture[str]) -> None:
    result = bench(capsys, "matching", "--requests", "3000", "--attorneys", "60", "--seed", "4")
    for key in ("seconds", "objective", "fcfs_objective", "bound", "gap_to_bound"):
        assert key in result
    assert result["gap_to_bound"] == 0.0
    assert result["bound"] == result["objective"]
    assert isinstance(result["objective"], int) and isinstance(result["fcfs_objective"], int)
    assert result["objective"] > result["fcfs_objective"]
    # Both baselines side by side, each ratio the ratio of the totals it prints, said in words.
    triage = result["triage_greedy_objective"]
    assert isinstance(triage, int) and result["fcfs_objective"] < triage <= result["objective"]
    assert result["objective_over_fcfs"] == round(result["objective"] / result["fcfs_objective"], 4)
    assert result["objective_over_triage_greedy"] == round(result["objective"] / triage, 4)
    assert result["triage_greedy_gap_to_bound"] == round(
        (result["bound"] - triage) / result["bound"], 6
    )
    compares = result["compares"]
    assert isinstance(compares, dict)
    assert {"objective_over_fcfs", "objective_over_triage_greedy", "gap_to_bound"} <= set(compares)
    assert result["params"] == {"requests": 3000, "attorneys": 60, "seed": 4, "interpreters": True}
    again = bench(capsys, "matching", "--requests", "3000", "--attorneys", "60", "--seed", "4")
    assert again["objective"] == result["objective"]

    strict = bench(
        capsys,
        "matching",
        "--requests",
        "3000",
        "--attorneys",
        "60",
        "--seed",
        "4",
        "--no-interpreters",
    )
    assert strict["interpreter_assignments"] == strict["fcfs_interpreter_assignments"] == 0
    assert isinstance(strict["objective"], int) and strict["objective"] <= result["objective"]


def test_bench_surge_prints_detained_percentiles(capsys: pytest.CaptureFixture[str]) -> None:
    result = bench(
        capsys,
        "surge",
        "--seed",
        "2",
        "--requests",
        "500",
        "--seats",
        "unlimited",
        "--no-answer",
        "0",
    )
    for policy in ("amparo", "fcfs", "fcfs_reroute", "triage_no_reroute"):
        assert result[f"detained_p50_hours_{policy}"] == 0.0
        assert result[f"detained_p90_hours_{policy}"] == 0.0
    params = result["params"]
    assert isinstance(params, dict)
    assert params["seed"] == 2 and params["seats_per_provider"] is None
    default = bench(capsys, "surge", "--seed", "2")
    assert default == {**bench(capsys, "surge", "--seed", "2"), "seconds": default["seconds"]}


@pytest.mark.parametrize(
    "args",
    [
        ["matching", "--requests", "0"],
        ["matching", "--attorneys", "many"],
        ["surge", "--no-answer", "1"],
        ["surge", "--seats", "0"],
        ["surge", "--detained-share", "2"],
    ],
)
def test_bad_arguments_exit_with_a_message_not_a_traceback(
    capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    with pytest.raises(SystemExit) as exit:
        ManagementUtility(["amparo", "bench", *args]).execute()
    assert exit.value.code == 2
    err = capsys.readouterr().err
    assert "usage: amparo bench" in err and "error:" in err


def test_the_amparo_front_door_prints_json_on_its_last_line() -> None:
    payload = last_json(run_bench("surge", "--requests", "300", "--seed", "1"))
    assert {
        "detained_p50_hours_amparo",
        "detained_p90_hours_amparo",
        "detained_p50_hours_fcfs",
        "detained_p90_hours_fcfs",
        "detained_p90_hours_fcfs_reroute",
        "detained_p90_hours_triage_no_reroute",
        "compares",
        "params",
    } <= set(payload)
    assert payload["params"]["requests"] == 300
