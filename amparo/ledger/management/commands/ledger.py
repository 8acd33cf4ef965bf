"""``amparo ledger verify``: re-add every entry and every balance; exit 1 when anything is off."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from amparo.core.commands import VerifyCommand
from amparo.ledger.verify import ledger_verify


class Command(VerifyCommand):
    help = "Ledger tools. 'verify' re-adds every entry and balance; exit status 0 means balanced."
    verify_help = "Check that every entry and every balance adds up."

    def verify(self) -> tuple[dict[str, Any], str | None]:
        report = ledger_verify()
        for problem in report.problems:
            self.stderr.write(problem)
        if report.balanced:
            return report.as_dict(), None
        return report.as_dict(), _("The books do not add up: %(n)s problems.") % {
            "n": len(report.problems)
        }
