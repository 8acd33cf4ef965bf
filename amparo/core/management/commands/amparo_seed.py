"""``amparo seed``: deterministic synthetic data at scale, for benchmarks.

``amparo seed --organizations 50 --attorneys 1000 --users 500 --requests 100000 --seed 7``.
Each kind comes from a generator in :mod:`amparo.core.seed`; apps add theirs (requests, cases,
donations, ...) and get a ``--KIND N`` option here. The same ``--seed`` gives the same data.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from amparo.core.seed import SeedError, seed_kinds, seed_run

from ._operations import count_arg


def _dest(kind: str) -> str:
    return kind.replace("-", "_")


class Command(BaseCommand):
    help = _("Create deterministic synthetic data at scale (for benchmarks). Same seed, same data.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed",
            type=count_arg,
            default=1,
            metavar="S",
            help=_("The random seed (default: 1)."),
        )
        for kind, label, default in seed_kinds():
            parser.add_argument(
                f"--{kind}",
                dest=_dest(kind),
                type=count_arg,
                default=default,
                metavar="N",
                help=_("How many %(what)s to create (default: %(default)d).")
                % {"what": str(label), "default": default},
            )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = {kind: options[_dest(kind)] for kind, _label, _default in seed_kinds()}
        try:
            report = seed_run(seed=options["seed"], counts=counts)
        except SeedError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        for kind, result in report.results.items():
            self.stdout.write(
                _("%(kind)s: %(created)d created, %(existing)d already there (seed %(seed)d).")
                % {
                    "kind": kind,
                    "created": result.created,
                    "existing": result.existing,
                    "seed": options["seed"],
                }
            )
        for kind in report.unavailable:
            self.stderr.write(
                _(
                    "%(kind)s: not available yet, no installed app generates them; nothing was created."
                )
                % {"kind": kind}
            )
