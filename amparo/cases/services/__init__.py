"""Writes on cases. Each service checks its permission first (``PermissionDenied``, answered
as a 404 like a missing case), refuses bad values with a field-aware ``ServiceError``, runs in
one transaction and writes its audit event in it (see :mod:`amparo.core.services`).

- :mod:`.case`: open a case, change its facts and its client's details, move it along;
- :mod:`.hearings`: schedule and change hearings;
- :mod:`.team`: who works on the case;
- :mod:`.documents`: timeline lines, documents, privileged notes, adverse parties;
- :mod:`.outcomes`: decisions;
- :mod:`.shred`: remove the client's data on request.

The case services call the deadline services (never the other way round: the deadline services
write their timeline lines with :func:`amparo.cases.timeline.event_add_system`).
"""

from ..timeline import event_add_system
from .case import (
    CASE_FIELDS,
    CLIENT_FIELDS,
    CLIENT_FLAGS,
    CLIENT_KEYS,
    case_open,
    case_transition,
    case_update,
    client_update,
)
from .documents import adverse_party_add, document_add, event_add, note_add
from .hearings import HEARING_FIELDS, hearing_add, hearing_update
from .outcomes import outcome_record
from .shred import case_client_shred
from .team import team_add, team_revoke

__all__ = [
    "CASE_FIELDS",
    "CLIENT_FIELDS",
    "CLIENT_FLAGS",
    "CLIENT_KEYS",
    "HEARING_FIELDS",
    "adverse_party_add",
    "case_client_shred",
    "case_open",
    "case_transition",
    "case_update",
    "client_update",
    "document_add",
    "event_add",
    "event_add_system",
    "hearing_add",
    "hearing_update",
    "note_add",
    "outcome_record",
    "team_add",
    "team_revoke",
]
