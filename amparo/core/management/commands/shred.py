"""``amparo shred --case ID --reason "..."`` / ``--donor ID``: remove a person's data on request.

The operator's way to do what the case page and the donor page do, for a request that came by
letter or when nobody who owns the record can sign in. Runs as the system, through the same
services (``case_client_shred``, ``donor_shred``): same refusals, same audit events.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from amparo.cases.models import Case
from amparo.cases.services import case_client_shred
from amparo.core.services import SYSTEM
from amparo.donations.models import Donor
from amparo.donations.services import donor_shred


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value.strip())
    except ValueError:
        return None


def _refusal(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


class Command(BaseCommand):
    help = _("Remove a client's or a donor's data on request (crypto-shredding; cannot be undone).")

    def add_arguments(self, parser: CommandParser) -> None:
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--case", help=_("The case's id or reference (C-2026-7KQ3M)."))
        who.add_argument("--donor", help=_("The donor's id."))
        parser.add_argument(
            "--reason", required=True, help=_("Why (kept in the audit log; never a name).")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["case"]:
                self._shred_case(options["case"], options["reason"])
            else:
                self._shred_donor(options["donor"], options["reason"])
        except ValidationError as error:
            raise CommandError(_refusal(error)) from error

    def _shred_case(self, ident: str, reason: str) -> None:
        """A case by id or by reference: operators read references off letters and pages."""
        key = _uuid(ident)
        lookup = {"pk": key} if key else {"reference": ident.strip().upper()}
        case = Case.objects.select_related("client__subject").filter(**lookup).first()
        if case is None:
            raise CommandError(_("No case %(id)s.") % {"id": ident})
        case_client_shred(case=case, by=SYSTEM, reason=reason)
        self.stdout.write(
            _("Case %(ref)s: the client's data was removed; the case stays.")
            % {"ref": case.reference}
        )

    def _shred_donor(self, ident: str, reason: str) -> None:
        key = _uuid(ident)
        donor = Donor.objects.filter(pk=key).first() if key else None
        if donor is None:
            raise CommandError(_("No donor %(id)s.") % {"id": ident})
        donor_shred(donor=donor, by=SYSTEM, reason=reason)
        gifts = donor.gifts.count()
        self.stdout.write(
            _("Donor %(id)s: the donor's data was removed; %(gifts)s gifts stay.")
            % {"id": donor.pk, "gifts": gifts}
        )
