"""``amparo restore ARCHIVE --identity FILE``: into an empty database only."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.backups.archive import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore an encrypted backup archive into an EMPTY database (and MEDIA_ROOT). Every"
        " checksum is verified before anything is written. Keep the same key-encryption key file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--identity",
            type=Path,
            required=True,
            help="An age identity file (AGE-SECRET-KEY-1...).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = restore_backup(archive=options["archive"], identity_file=options["identity"])
        except BackupError as exc:
            raise CommandError(f"restore refused: {exc}", returncode=2) from exc
        self.stdout.write(
            json.dumps(
                {
                    "restored": str(options["archive"]),
                    "created_at": manifest["created_at"],
                    "database_vendor": manifest["database_vendor"],
                    "amparo_version": manifest["amparo_version"],
                    "files": len(manifest["files"]),
                },
                sort_keys=True,
            )
        )
        self.stderr.write(
            "Restored. Next: 'amparo migrate' (if this Amparo is newer), 'amparo audit verify',"
            " 'amparo ledger verify'."
        )
