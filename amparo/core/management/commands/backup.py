"""``amparo backup [--out DIR] [--recipient AGE_PUBLIC_KEY ...] [--keep N]``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.backups.archive import BackupError, configured_recipients, create_backup
from amparo.backups.tasks import backup_dir


class Command(BaseCommand):
    help = (
        "Write one encrypted backup archive (database and uploaded files, never the key files),"
        " encrypted with age to each recipient's public key."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out", type=Path, default=None, help="Folder (default: VAR_DIR/backups)."
        )
        parser.add_argument(
            "--recipient",
            action="append",
            default=[],
            metavar="AGE_PUBLIC_KEY",
            help="An age public key (age1...); repeat for several. Adds to AMPARO_BACKUP_RECIPIENTS.",
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=None,
            metavar="N",
            help="Then keep only the N newest archives.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        recipients = [*options["recipient"], *configured_recipients()]
        try:
            result = create_backup(
                out_dir=options["out"] or backup_dir(), recipients=recipients, keep=options["keep"]
            )
        except BackupError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        self.stdout.write(
            json.dumps(
                {
                    "archive": str(result.path),
                    "bytes": result.size,
                    "files": len(result.manifest["files"]),
                    "removed": [p.name for p in result.removed],
                },
                sort_keys=True,
            )
        )
