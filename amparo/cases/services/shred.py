"""Remove a client's data on request: crypto-shred the person, keep the case's shape."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from amparo.audit.services import audit_record
from amparo.core.services import Actor, ServiceError, is_system, require
from amparo.vault.services import subject_shred

from ..models import Case
from ..permissions import can_shred_client


def case_client_shred(*, case: Case, by: Actor, reason: str) -> Case:
    """Crypto-shred the client of ``case`` because the person asked to be removed.

    Guarantees: ``by`` is the system or someone who answers for the client (checked first); a
    blank reason, or a client already removed, is refused and changes nothing. One transaction
    destroys the client's data key and blind indexes through the vault, which clears every
    value encrypted under it: the client, this and any other case of the same person, the help
    request the case came from (it shares the subject), documents, notes, adverse parties and
    timeline details. What is not personal stays, so the fund's counts and outcomes still add
    up: the case row, its reference, type, stage, court, hearings, deadlines and outcomes.
    Audited on the case (and by the vault on the subject); the reason must not name the person.
    """
    require(is_system(by) or can_shred_client(by, case))
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError({"reason": [ServiceError(_("Say why the data is removed."))]})
    with transaction.atomic():
        subject = case.client.subject
        if subject.is_shredded:
            raise ServiceError(_("This client's data was already removed."))
        subject_shred(subject=subject, by=by, reason=reason)
        audit_record(actor=by, action="cases.client.shredded", obj=case, reason=reason)
    case.client.subject.refresh_from_db()
    return case
