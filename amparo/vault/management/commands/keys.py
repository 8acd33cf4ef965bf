"""``amparo keys rotate``, ``status``, ``split`` (key shares) and ``recover``."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from amparo.core.services import SYSTEM
from amparo.vault.errors import VaultError
from amparo.vault.models import RotationStatus
from amparo.vault.selectors import key_status
from amparo.vault.services import kek_rotate
from amparo.vault.shares import (
    format_share,
    parse_shares,
    recover_secret,
    split_keys,
    write_recovered,
)


class Command(BaseCommand):
    help = "Key-encryption key tools: 'rotate' rewraps every data key under a new KEK; 'status'."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="subcommand", required=True, metavar="{rotate,status,split,recover}"
        )
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
        split = sub.add_parser(
            "split",
            help="Split the KEK and blind-index root into SLIP-39 word shares for key holders.",
        )
        split.add_argument("--shares", type=int, required=True, metavar="N")
        split.add_argument("--threshold", type=int, required=True, metavar="K")
        recover = sub.add_parser(
            "recover",
            help="Read K shares on stdin (one per line, or blocks separated by blank lines)"
            " and write the key files back.",
        )
        recover.add_argument(
            "--force", action="store_true", help="Overwrite existing, different key files."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "status":
            self.stdout.write(json.dumps(key_status(), sort_keys=True))
            return
        if options["subcommand"] == "split":
            self._split(options["shares"], options["threshold"])
            return
        if options["subcommand"] == "recover":
            self._recover(force=options["force"])
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

    def _split(self, shares: int, threshold: int) -> None:
        try:
            kek_id, words = split_keys(shares=shares, threshold=threshold)
        except VaultError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        blocks = [
            format_share(w, number=i, total=shares, threshold=threshold, kek_id=kek_id)
            for i, w in enumerate(words, start=1)
        ]
        self.stdout.write("\n\n".join(blocks))
        self.stderr.write(
            _(
                "Give each block to one key holder, on paper. Any %(k)d of them recover the keys;"
                " after 'amparo keys rotate', split again and destroy the old shares."
            )
            % {"k": threshold}
        )

    def _recover(self, *, force: bool) -> None:
        shares = parse_shares(sys.stdin.read())
        try:
            result = write_recovered(recover_secret(shares), force=force)
        except VaultError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        self.stdout.write(json.dumps(result, sort_keys=True))
