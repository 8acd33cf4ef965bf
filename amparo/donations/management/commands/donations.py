"""``amparo donations import FILE [--format amparo|stripe-payouts|bank-csv] [--currency USD]
[--progress auto|bar|json|none]`` and ``amparo donations charge-due`` (charge recurring pledges
that are due).

The import reads the file as it goes (see :mod:`amparo.donations.imports`) and tells how far
it is on standard error: a progress bar on a terminal, otherwise one JSON object per line
(``{"stage": "validate"|"write", "done": N, "total": N}``, in lines after the header; at each
stage's start and end and at most once a second between). The summary is the last line of
standard output.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.utils.translation import gettext as _

from amparo.core.services import SYSTEM
from amparo.donations.imports import FORMATS, ImportRefused, gifts_import
from amparo.donations.services import pledges_charge_due

PROGRESS = ("auto", "bar", "json", "none")


class _Stream:
    """``stderr`` as a plain text stream (no line ending added) for the progress bar."""

    def __init__(self, out: OutputWrapper) -> None:
        self.out = out

    def write(self, text: str) -> None:
        self.out.write(text, ending="")

    def flush(self) -> None:
        self.out.flush()


class BarProgress:
    """One progress bar per stage (tqdm), on standard error."""

    def __init__(self, out: OutputWrapper) -> None:
        self.stream = _Stream(out)
        self.bar: Any = None
        self.stage = ""

    def __call__(self, stage: str, done: int, total: int) -> None:
        from tqdm import tqdm

        if stage != self.stage:
            self.close()
            label = _("Checking") if stage == "validate" else _("Writing")
            self.bar = tqdm(
                total=total, desc=label, unit=_("lines"), file=self.stream, dynamic_ncols=True
            )
            self.stage = stage
        self.bar.total = total
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


class JsonProgress:
    """One JSON object per line on standard error: at each stage's start and end, and at most
    once every ``interval`` seconds between."""

    def __init__(self, out: OutputWrapper, interval: float = 1.0) -> None:
        self.out = out
        self.interval = interval
        self.stage = ""
        self.last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if stage == self.stage and done < total and now - self.last < self.interval:
            return
        self.stage, self.last = stage, now
        self.out.write(json.dumps({"stage": stage, "done": done, "total": total}))

    def close(self) -> None:
        pass


class Command(BaseCommand):
    help = "Donations tools: import a file of gifts (all or nothing), charge due recurring pledges."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{import,charge-due}")
        imp = sub.add_parser("import", help="Import gifts from a CSV file; see docs/imports.md.")
        imp.add_argument("file")
        imp.add_argument("--format", choices=FORMATS, default="amparo")
        imp.add_argument("--currency", default=None, help="currency of a bank statement")
        imp.add_argument(
            "--progress",
            choices=PROGRESS,
            default="auto",
            help="on standard error: a bar, JSON lines, or nothing (auto: a bar on a terminal, "
            "JSON lines otherwise)",
        )
        sub.add_parser("charge-due", help="Charge every recurring pledge that is due today.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "charge-due":
            gifts = pledges_charge_due(by=SYSTEM)
            self.stdout.write(json.dumps({"charged": len(gifts)}))
            return
        path = Path(options["file"])
        mode = options["progress"]
        if mode == "auto":
            mode = "bar" if self.stderr.isatty() else "json"
        progress = {"bar": BarProgress, "json": JsonProgress}.get(mode)
        reporter = progress(self.stderr) if progress is not None else None
        try:
            stream = path.open("rb")
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(file)s.") % {"file": path.name}, returncode=1
            ) from exc
        try:
            with stream:
                result = gifts_import(
                    stream,
                    fmt=options["format"],
                    currency=options["currency"],
                    name=path.name,
                    by=SYSTEM,
                    progress=reporter,
                )
        except ImportRefused as exc:
            if reporter is not None:
                reporter.close()
            for error in exc.errors:
                self.stderr.write(error)
            if exc.count > len(exc.errors):
                self.stderr.write(
                    _("… and %(n)s more problem(s), not shown.")
                    % {"n": exc.count - len(exc.errors)}
                )
            raise CommandError(
                _("Nothing was imported: the file has %(n)s problem(s).") % {"n": exc.count},
                returncode=1,
            ) from exc
        finally:
            if reporter is not None:
                reporter.close()
        self.stdout.write(json.dumps(result.as_dict(), sort_keys=True))
