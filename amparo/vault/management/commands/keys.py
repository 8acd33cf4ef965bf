"""``amparo keys rotate`` and ``amparo keys status``."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from amparo.core.services import SYSTEM
from amparo.vault.errors import VaultError
from amparo.vault.models import RotationStatus
from amparo.vault.selectors import key_status
from amparo.vault.services import kek_rotate


class Command(BaseCommand):
    help = "Key-encryption key tools: 'rotate' rewraps every data key under a new KEK; 'status'."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{rotate,status}")
        rotate = sub.add_parser(
            "rotate",
            help="Rewrap every data key under a new KEK, then retire the old one. Resumes an unfinished rotation.",
        )
        rotate.add_argument(
            "--batch-size", type=int, default=500, help="Data keys per transaction."
        )
        rotate.add_argument(
            "--max-batches",
            type=int,
            default=None,
            help="Stop after this many batches; run again to continue.",
        )
        rotate.add_argument("--reason", default="", help="Why (recorded in the audit log).")
        sub.add_parser("status", help="Show the active KEK and how many data keys each KEK wraps.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "status":
            self.stdout.write(json.dumps(key_status(), sort_keys=True))
            return
        if options["batch_size"] < 1 or (
            options["max_batches"] is not None and options["max_batches"] < 1
        ):
            raise CommandError(
                _("Batch size and batch count must be positive numbers."), returncode=2
            )
        try:
            rotation = kek_rotate(
                by=SYSTEM,
                reason=options["reason"] or "amparo keys rotate",
                batch_size=options["batch_size"],
                max_batches=options["max_batches"],
            )
        except VaultError as exc:
            raise CommandError(_("Key rotation failed: %(error)s") % {"error": exc}) from exc
        result = {
            "rotation": rotation.pk,
            "old_kek_id": rotation.old_kek_id,
            "new_kek_id": rotation.new_kek_id,
            "status": rotation.status,
            "rewrapped": rotation.rewrapped,
            "retired": rotation.retired_at is not None,
        }
        self.stdout.write(json.dumps(result, sort_keys=True))
        if rotation.status == RotationStatus.RUNNING:
            self.stderr.write(
                _("The rotation is not finished: run 'amparo keys rotate' again to continue.")
            )
