"""``amparo audit verify``: walk the hash chain of audit events."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from amparo.audit.verify import EDITED, INSERTED, REMOVED, verify_chain
from amparo.core.commands import VerifyCommand


class Command(VerifyCommand):
    help = "Audit log tools. 'verify' checks the hash chain; exit status 0 means intact."
    verify_help = "Check that no audit event was edited, removed or inserted."

    def verify(self) -> tuple[dict[str, Any], str | None]:
        report = verify_chain()
        problem = report.problem
        if problem is None:
            return report.as_dict(), None
        where = {
            "seq": problem.seq,
            "id": problem.event_id if problem.event_id is not None else "-",
        }
        messages = {
            EDITED: _("Audit event %(seq)s (id %(id)s) was edited."),
            REMOVED: _("Audit event %(seq)s was removed."),
            INSERTED: _("Audit event %(seq)s (id %(id)s) was inserted."),
        }
        return report.as_dict(), messages[problem.kind] % where + f" ({problem.detail})"
