"""The benchmarks live in ``bench/``, outside the product (issue #16): ``amparo bench`` lists
and runs them, and a production database never holds a benchmark table."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from bench.registry import MODULES, load

from .conftest import REPO, run_bench

NAMES = {
    "backup",
    "casepage",
    "deadlines",
    "imports",
    "intake",
    "ledger",
    "matching",
    "raid",
    "reports",
    "search",
    "slowclients",
    "surge",
    "vault",
}


def test_amparo_bench_alone_lists_every_benchmark_with_a_line_each() -> None:
    done = run_bench()
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[0].startswith("usage: amparo bench NAME")
    listed = {line.split()[0]: line.split(None, 1)[1] for line in lines[1:]}
    assert set(listed) == NAMES == set(load())
    assert all(len(description) > 20 for description in listed.values())


def test_an_unknown_benchmark_is_refused_with_the_list() -> None:
    done = run_bench("nonesuch")
    assert done.returncode == 2
    assert "unknown benchmark 'nonesuch'" in done.stderr and "matching" in done.stderr


def test_no_module_of_the_product_mentions_a_benchmark_module() -> None:
    product = Path(REPO / "amparo")
    offenders = [
        str(path.relative_to(REPO))
        for path in product.rglob("*.py")
        if "bench" in path.name or any(f"{module}" in path.read_text() for module in MODULES)
    ]
    assert offenders == []


PRODUCTION_STATE = r"""
import django
django.setup()
from django.apps import apps
from django.core.management import call_command
from django.db import connection
call_command("migrate", verbosity=0, interactive=False)
try:
    apps.get_model("bench", "SampleRecord")
except LookupError:
    print("no bench model")
tables = set(connection.introspection.table_names())
print(sorted(t for t in tables if "sample" in t or t.startswith("bench")))
"""


def test_a_production_database_has_no_benchmark_model_or_table(tmp_path: Path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "AMPARO_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
    }
    done = subprocess.run(
        [sys.executable, "-c", PRODUCTION_STATE],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.splitlines()[-2:] == ["no bench model", "[]"]


@pytest.mark.django_db(transaction=True)
def test_the_vault_migration_drops_the_old_sample_tables() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([("bench", None), ("vault", "0001_initial")])
    before = set(connection.introspection.table_names())
    assert {"vault_samplerecord", "vault_plainsamplerecord"} <= before
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    after = set(connection.introspection.table_names())
    assert not {"vault_samplerecord", "vault_plainsamplerecord"} & after
    assert {"bench_samplerecord", "bench_plainsamplerecord"} <= after
