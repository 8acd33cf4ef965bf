"""`amparo deadline RULE TRIGGER_DATE [--custody ...] [--hearing ...] [...]`: one deadline as JSON.

Prints exactly one JSON object with the keys rule, trigger, due, calendar_date, citation,
explanation and needs_review (ISO dates; null where the court sets the date or no clock runs).
Bad input (an unknown rule, an impossible or malformed date, a voluntary departure period the
law does not allow) exits with status 2 and one line on stderr.

Options a rule does not use are ignored: ``--days`` and ``--vd-stage`` (vd-depart),
``--voluntary-departure`` (ij-reopen, ij-reconsider, bia-reopen, bia-reconsider,
petition-for-review), ``--withholding-only`` (petition-for-review), ``--unaccompanied``
(asylum-one-year). ``--closure-scope`` adds the confirmed federal closures an administrator keeps (the
``FederalClosure`` table, shipped from `rules.FEDERAL_CLOSURES`; ``dc-area`` for the Board and
the courts around Washington, DC): the same days case deadlines count. Only then does the
command read the database; unconfirmed closures never move a date.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from amparo.core.i18n_public import staff_languages
from amparo.deadlines.engine import EARLIEST_TRIGGER, LATEST_TRIGGER, DeadlineError, compute
from amparo.deadlines.presentation import deadline_payload
from amparo.deadlines.rules import (
    RULES,
    VD_MAX_DAYS,
    ClosureScope,
    Custody,
    Hearing,
    VoluntaryDepartureStage,
)
from amparo.deadlines.services import confirmed_closures

#: Exit status for bad input, as argparse uses for usage errors.
USAGE_ERROR = 2
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _parse_date(value: str) -> date:
    if not _ISO_DATE.fullmatch(value):
        raise CommandError(
            _("%(value)s is not a date: use YYYY-MM-DD, for example 2026-06-04.")
            % {"value": value},
            returncode=USAGE_ERROR,
        )
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("%(value)s is not a real calendar date.") % {"value": value},
            returncode=USAGE_ERROR,
        ) from None
    if not EARLIEST_TRIGGER <= parsed <= LATEST_TRIGGER:
        raise CommandError(
            _("%(value)s is outside the dates the engine supports (%(first)s to %(last)s).")
            % {"value": value, "first": EARLIEST_TRIGGER, "last": LATEST_TRIGGER},
            returncode=USAGE_ERROR,
        )
    return parsed


def _check_departure_period(days: int | None, stage: str | None) -> None:
    if days is None:
        raise CommandError(
            _("vd-depart needs --days: the number of days the judge granted."),
            returncode=USAGE_ERROR,
        )
    limit = VD_MAX_DAYS[VoluntaryDepartureStage(stage or VoluntaryDepartureStage.PRE_CONCLUSION)]
    if not 1 <= days <= limit:
        raise CommandError(
            _("A voluntary departure period must be from 1 to %(max)s days; %(days)s was given.")
            % {"max": limit, "days": days},
            returncode=USAGE_ERROR,
        )


class Command(BaseCommand):
    help = gettext_noop("Compute one immigration deadline and print it as a JSON object.")
    # Pure computation: no database, no system checks needed.
    requires_system_checks: list[str] = []

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # argparse needs real strings: translate the help when the parser is built.
        self.help = _(self.help)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "rule", help=_("the rule id, one of: %(rules)s") % {"rules": ", ".join(RULES)}
        )
        parser.add_argument("trigger_date", help=_("the date that starts the count, YYYY-MM-DD"))
        parser.add_argument(
            "--custody",
            choices=[c.value for c in Custody],
            help=_("whether the person is detained"),
        )
        parser.add_argument(
            "--hearing",
            choices=[h.value for h in Hearing],
            help=_("the kind of hearing"),
        )
        parser.add_argument(
            "--days",
            type=int,
            metavar="N",
            help=_("vd-depart: the number of days of voluntary departure the judge granted"),
        )
        parser.add_argument(
            "--vd-stage",
            choices=[s.value for s in VoluntaryDepartureStage],
            help=_(
                "vd-depart: granted before the conclusion of proceedings (at most 120 days) or "
                "at their conclusion (at most 60 days)"
            ),
        )
        parser.add_argument(
            "--voluntary-departure",
            action="store_true",
            help=_(
                "a grant of voluntary departure is in force: warn that a motion to reopen or "
                "reconsider, or a petition for review, ends it"
            ),
        )
        parser.add_argument(
            "--withholding-only",
            action="store_true",
            help=_(
                "petition-for-review in a withholding-only case: the clock runs from the "
                "reinstated or administrative removal order"
            ),
        )
        parser.add_argument(
            "--unaccompanied",
            action="store_true",
            help=_("asylum-one-year for an unaccompanied child: exempt, no date"),
        )
        parser.add_argument(
            "--closure-scope",
            action="append",
            default=[],
            choices=[s.value for s in ClosureScope],
            help=_("add the confirmed federal closures kept for this scope (repeatable)"),
        )
        parser.add_argument(
            "--closure",
            action="append",
            default=[],
            metavar="YYYY-MM-DD",
            help=_("an extra day the court or the Board is closed (repeatable)"),
        )
        parser.add_argument(
            "--language",
            # The explanation is staff text: in the staff languages only.
            choices=staff_languages(),
            help=_("language of the explanation (default: the site's language)"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"] or settings.LANGUAGE_CODE):
            rule_id = options["rule"]
            if rule_id not in RULES:
                raise CommandError(
                    _("Unknown rule %(rule)s. Known rules: %(rules)s.")
                    % {"rule": rule_id, "rules": ", ".join(RULES)},
                    returncode=USAGE_ERROR,
                )
            trigger = _parse_date(options["trigger_date"])
            closures = frozenset(_parse_date(value) for value in options["closure"])
            if options["closure_scope"]:
                closures |= confirmed_closures(frozenset(options["closure_scope"]))
            if rule_id == "vd-depart":
                _check_departure_period(options["days"], options["vd_stage"])
            try:
                deadline = compute(
                    rule_id,
                    trigger,
                    custody=options["custody"],
                    hearing=options["hearing"],
                    closures=closures,
                    days=options["days"],
                    vd_stage=options["vd_stage"],
                    voluntary_departure=options["voluntary_departure"],
                    withholding_only=options["withholding_only"],
                    unaccompanied=options["unaccompanied"],
                )
            except DeadlineError as error:  # checked above; the engine's own words as a fallback
                raise CommandError(str(error), returncode=USAGE_ERROR) from None
            self.stdout.write(json.dumps(deadline_payload(deadline), ensure_ascii=False))
