"""`amparo bench backup [--cases N] [--seed S]`: how long a backup of N cases takes, how big.

Seeds N cases (100,000 by default; the reports benchmark's fast seeder) in a throwaway database
with throwaway keys, writes one encrypted archive to a temporary folder, then decrypts and
verifies it (the first half of a restore). Prints seconds and bytes as one JSON object.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.registry import register


@register("backup", "one encrypted backup of N seeded cases: seconds and bytes (no baseline)")
def backup_bench(argv: list[str]) -> dict[str, Any]:
    import pyrage

    from amparo.backups.archive import create_backup, open_archive, private_tempdir
    from bench.reports import seed
    from bench.throwaway import throwaway_environment

    parser = argparse.ArgumentParser(prog="amparo bench backup")
    parser.add_argument("--cases", type=int, default=100_000, help="cases to seed")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.cases < 1:
        parser.error("--cases must be positive")
    identity = pyrage.x25519.Identity.generate()
    with throwaway_environment(), tempfile.TemporaryDirectory(prefix="amparo-bench-backup-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        seed(args.cases, args.seed)
        seed_seconds = time.perf_counter() - started
        started = time.perf_counter()
        result = create_backup(out_dir=folder / "out", recipients=[str(identity.to_public())])
        backup_seconds = time.perf_counter() - started
        (folder / "identity.txt").write_text(str(identity) + "\n")
        started = time.perf_counter()
        with private_tempdir(folder) as work:
            open_archive(result.path, folder / "identity.txt", work)
        verify_seconds = time.perf_counter() - started
        database = result.manifest["files"][0]
    return {
        "cases": args.cases,
        "database_vendor": result.manifest["database_vendor"],
        "seed_seconds": round(seed_seconds, 2),
        "backup_seconds": round(backup_seconds, 3),
        "decrypt_and_verify_seconds": round(verify_seconds, 3),
        "database_bytes": database["size"],
        "archive_bytes": result.size,
        "bytes_per_case": round(result.size / args.cases, 1),
    }
